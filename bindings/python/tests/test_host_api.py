# SPDX-License-Identifier: LGPL-2.1-or-later
"""What needs no kernel: enums, the command table, argument checks the
library makes before the kernel (on a context over /dev/null), lifetimes."""

import errno
import os

import pytest

import libiommufd
from libiommufd import Command, Feature, Features, HwptFlag, MapFlag
from libiommufd import libiommufd_c as _c


def test_version():
    assert libiommufd.version() == libiommufd.__version__
    assert libiommufd.__version__.count(".") == 2


def test_enums_carry_the_c_values():
    assert MapFlag.READABLE | MapFlag.WRITEABLE == 6
    assert HwptFlag.NEST_PARENT == 1 and HwptFlag.PASID == 8
    assert Command.IOAS_ALLOC == 0x81 and Command.HW_QUEUE_ALLOC == 0x94
    assert len(Feature) == _c.IOMMUFD_FEATURE_COUNT


def test_every_feature_has_its_c_name_and_a_flag():
    for f in Feature:
        assert libiommufd.feature_name(f) == f.name
        assert f.flag in Features and f.flag.name == f.name
    assert libiommufd.feature_name(len(Feature)) is None


def test_command_table():
    table = libiommufd.commands()
    assert [c.nr for c in table] == list(Command)
    m = libiommufd.command(Command.IOAS_MAP)
    assert (m.name, m.release, m.first_size) == ("IOMMU_IOAS_MAP", (6, 2), 40)
    names = [f.name for f in m.fields]
    assert names[:3] == ["size", "flags", "ioas_id"] and "iova" in names
    hwpt = libiommufd.command(Command.HWPT_ALLOC)
    assert any(f.name == "fault_id" and f.release == (6, 11) for f in hwpt.fields)
    with pytest.raises(libiommufd.InvalidArgumentError):
        libiommufd.command(0x7F)


def test_context_manager_closes(null_ctx):
    with libiommufd.Context("/dev/null") as c:
        fd = c.fileno()
        assert os.fstat(fd)
        assert not c.closed
    assert c.closed
    with pytest.raises(OSError):
        os.fstat(fd)
    with pytest.raises(ValueError, match="closed"):
        c.ioas()
    c.close()  # twice is fine


def test_adopt_fd_refuses_what_is_no_iommufd():
    fd = os.open("/dev/null", os.O_RDWR)
    try:
        with pytest.raises(libiommufd.IommufdError) as info:
            libiommufd.Context.adopt_fd(fd)
        assert info.value.errno == errno.ENOTTY
        assert os.fstat(fd)  # still the caller's
    finally:
        os.close(fd)


def test_log_level(null_ctx):
    null_ctx.log_level = libiommufd.LogLevel.DEBUG
    assert null_ctx.log_level == libiommufd.LogLevel.DEBUG


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (1 << 32, ValueError),
                                      ("1", TypeError), (1.0, TypeError)])
def test_object_ids_are_checked(null_ctx, bad, exc):
    with pytest.raises(exc):
        null_ctx.destroy(bad)


def test_objects_stand_for_their_ids(null_ctx):
    a, b = null_ctx.ioas_from_id(7), null_ctx.ioas_from_id(7)
    assert int(a) == 7 and a == b and hash(a) == hash(b)
    assert [10, 20][null_ctx.ioas_from_id(1)] == 20  # __index__


class TestArgumentsRefusedBeforeTheKernel:
    """The C library answers these without an ioctl: /dev/null never sees them."""

    def test_unmap_zero_length(self, null_ctx):
        with pytest.raises(libiommufd.InvalidArgumentError):
            null_ctx.ioas_from_id(1).unmap(0x1000, 0)

    def test_unmap_wrapping(self, null_ctx):
        with pytest.raises(libiommufd.IommufdError) as info:
            null_ctx.ioas_from_id(1).unmap(1 << 63, (1 << 63) + 4096)
        assert info.value.errno == errno.EOVERFLOW

    def test_map_empty_buffer(self, null_ctx):
        with pytest.raises(libiommufd.InvalidArgumentError):
            null_ctx.ioas_from_id(1).map(bytearray())

    def test_hwpt_data_without_a_type(self, null_ctx):
        with pytest.raises(libiommufd.InvalidArgumentError, match="data_type"):
            null_ctx.hwpt_alloc(1, 2, data=b"\0" * 4)

    def test_dirty_bitmap_too_small(self, null_ctx):
        hwpt = libiommufd.Hwpt(null_ctx, 1)
        with pytest.raises(libiommufd.InvalidArgumentError):
            hwpt.get_dirty_bitmap(0, 4096 * 128, 4096, merge_into=bytearray(8))

    def test_dirty_page_size_not_a_power_of_two(self, null_ctx):
        with pytest.raises(libiommufd.InvalidArgumentError):
            libiommufd.Hwpt(null_ctx, 1).get_dirty_bitmap(0, 3000 * 64, 3000)

    def test_veventq_depth(self, null_ctx):
        viommu = libiommufd.Viommu(null_ctx, 1)
        with pytest.raises(libiommufd.InvalidArgumentError):
            viommu.veventq(libiommufd.VeventqType.SELFTEST, 0)


class TestInvalidateEntries:
    def test_one_buffer_needs_entry_len(self, null_ctx):
        with pytest.raises(ValueError, match="entry_len"):
            libiommufd.Hwpt(null_ctx, 1).invalidate(0, b"\0" * 16)

    def test_buffer_is_whole_entries(self, null_ctx):
        with pytest.raises(ValueError, match="whole number"):
            libiommufd.Hwpt(null_ctx, 1).invalidate(0, b"\0" * 12, 8)

    def test_entries_of_one_size(self, null_ctx):
        with pytest.raises(ValueError, match="8 bytes"):
            libiommufd.Hwpt(null_ctx, 1).invalidate(0, [b"\0" * 8, b"\0" * 4])
