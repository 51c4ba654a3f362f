# SPDX-License-Identifier: LGPL-2.1-or-later
"""HWPTs on the mock: nested HWPTs with the selftest's data, invalidation
checked against the mock IOTLB, dirty tracking through the bitmap."""

import mmap

import pytest

import libiommufd
from libiommufd import HwptDataType, HwptFlag, InvalidateDataType, testing

pytestmark = pytest.mark.kernel

IOTLB_DEFAULT = 0xBADBEEF  # what the selftests give nested IOTLB entries
IOTLBS = 4                 # MOCK_NESTED_DOMAIN_IOTLB_NUM
SELFTEST = InvalidateDataType.SELFTEST


@pytest.fixture
def nested(ctx, ioas, mock):
    with ctx.hwpt_alloc(mock, ioas, flags=HwptFlag.NEST_PARENT) as parent:
        with ctx.hwpt_alloc(mock, parent, data_type=HwptDataType.SELFTEST,
                            data=testing.hwpt_data(IOTLB_DEFAULT)) as hwpt:
            yield hwpt


def iotlb(ctx, hwpt, values):
    for i, v in enumerate(values):
        testing.check_iotlb(ctx, hwpt, i, v)


def test_paging_hwpt_maps_the_ioas(ctx, ioas, mock, pages):
    iova = ioas.map(pages)
    with ctx.hwpt_alloc(mock, ioas) as hwpt:
        assert mock.replace(hwpt) == hwpt.id
        testing.check_map(ctx, hwpt, iova, pages)
        with pytest.raises(libiommufd.BusyError):
            hwpt.destroy()
        mock.replace(ioas)


def test_nested_carries_the_vendor_data(ctx, ioas, mock):
    with ctx.hwpt_alloc(mock, ioas, flags=HwptFlag.NEST_PARENT) as parent:
        with ctx.hwpt_alloc(mock, parent, data_type=HwptDataType.SELFTEST,
                            data=testing.hwpt_data(0x1234)) as hwpt:
            iotlb(ctx, hwpt, [0x1234] * IOTLBS)
            with pytest.raises(libiommufd.InvalidArgumentError):
                testing.check_iotlb(ctx, hwpt, 0, 0x4321)
            with pytest.raises(libiommufd.BusyError, match=""):
                parent.destroy()  # the nested HWPT holds it
            assert mock.replace(hwpt) == hwpt.id
            mock.replace(ioas)


def test_invalidation_clears_the_mock_iotlb(ctx, nested):
    entries = [testing.invalidate_entry(1), testing.invalidate_entry(3)]
    assert nested.invalidate(SELFTEST, entries) == 2
    iotlb(ctx, nested, [IOTLB_DEFAULT, 0, IOTLB_DEFAULT, 0])
    one_buffer = testing.invalidate_entry(0, flags=testing.INVALIDATE_ALL)
    assert nested.invalidate(SELFTEST, one_buffer, 8) == 1
    iotlb(ctx, nested, [0] * IOTLBS)


def test_a_refused_entry_says_how_far_it_got(ctx, nested):
    entries = [testing.invalidate_entry(i) for i in (0, 1, 9, 3)]
    with pytest.raises(libiommufd.InvalidArgumentError) as info:
        nested.invalidate(SELFTEST, entries)
    assert info.value.handled == 2
    assert "handled 2 of 4" in info.value.strerror
    iotlb(ctx, nested, [0, 0, IOTLB_DEFAULT, IOTLB_DEFAULT])


def test_no_entries_asks_for_the_type(ctx, nested):
    assert nested.invalidate(SELFTEST, []) == 0
    with pytest.raises(libiommufd.InvalidArgumentError):
        nested.invalidate(InvalidateDataType.VTD_S1, None)


def test_nested_refusals(ctx, ioas, mock):
    with pytest.raises(libiommufd.InvalidArgumentError):  # parent is no NEST_PARENT
        with ctx.hwpt_alloc(mock, ioas) as plain:
            ctx.hwpt_alloc(mock, plain, data_type=HwptDataType.SELFTEST,
                           data=testing.hwpt_data(1))
    with pytest.raises(libiommufd.NotFoundError):
        ctx.hwpt_alloc(0xFFFF, ioas)


class TestDirty:
    PAGE = testing.PAGE_SIZE  # one dirty bit per mock page

    @pytest.fixture
    def dirty_hwpt(self, ctx, ioas, mock):
        ioas.huge_pages = False
        buf = mmap.mmap(-1, 1 << 20)
        self.iova = ioas.map(buf, testing.APERTURE_START)
        with ctx.hwpt_alloc(mock, ioas, flags=HwptFlag.DIRTY_TRACKING) as hwpt:
            hwpt.set_dirty_tracking(True)
            yield hwpt
            hwpt.set_dirty_tracking(False)

    def mark(self, ctx, hwpt, pages, length):
        bits = bytearray(length // self.PAGE // 8)
        for p in pages:
            bits[p // 8] |= 1 << (p % 8)
        assert testing.dirty(ctx, hwpt, self.iova, length, self.PAGE, bits) == len(pages)

    @pytest.mark.parametrize("chunked", [False, True])
    def test_marked_pages_come_back(self, ctx, dirty_hwpt, chunked):
        length = 1 << 20
        marked = [0, 2, 64, 130, 510]
        self.mark(ctx, dirty_hwpt, marked, length)
        want = [self.iova + p * self.PAGE for p in marked]
        assert dirty_hwpt.dirty_iovas(self.iova, length, self.PAGE, no_clear=True) == want
        bitmap = dirty_hwpt.get_dirty_bitmap(self.iova, length, self.PAGE, chunked=chunked)
        assert len(bitmap) == length // self.PAGE // 8
        assert bitmap[0] == 0b101
        assert dirty_hwpt.dirty_iovas(self.iova, length, self.PAGE) == []  # cleared

    def test_merge_keeps_the_bits_given(self, ctx, dirty_hwpt):
        length = 64 * self.PAGE
        self.mark(ctx, dirty_hwpt, [4], length)
        into = bytearray(b"\x01" + b"\0" * 7)
        assert dirty_hwpt.get_dirty_bitmap(self.iova, length, self.PAGE,
                                           merge_into=into) is into
        assert into[0] == 0b10001

    def test_without_dirty_tracking(self, ctx, ioas, mock):
        with ctx.hwpt_alloc(mock, ioas) as plain:
            with pytest.raises(libiommufd.NotSupportedError):
                plain.set_dirty_tracking(True)
