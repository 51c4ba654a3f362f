# SPDX-License-Identifier: LGPL-2.1-or-later
"""The mock vIOMMU: vDEVICEs, vIOMMU invalidation of the mock's device cache,
vEVENTQs fed by TRIGGER_VEVENT with their losses counted, data loopback and
mmap.  Kernels without them refuse naming the release."""

import asyncio
import struct

import pytest

import libiommufd
from libiommufd import (HwptDataType, HwptFlag, InvalidateDataType, VeventFlag,
                        VeventqType, ViommuType, testing)

from conftest import needs, release

pytestmark = pytest.mark.kernel

VIRT_ID = 0x99
CACHE_DEFAULT = 0xBADDAD  # IOMMU_TEST_DEV_CACHE_DEFAULT
CACHES = 4


@pytest.fixture
def parent(ctx, ioas, mock):
    with ctx.hwpt_alloc(mock, ioas, flags=HwptFlag.NEST_PARENT) as p:
        yield p


@pytest.fixture
def viommu(ctx, mock, parent):
    needs(6, 13, "IOMMU_VIOMMU_ALLOC")
    with ctx.viommu_alloc(mock, parent, ViommuType.SELFTEST) as v:
        yield v


@pytest.fixture
def vevent_setup(ctx, ioas, mock, viommu):
    """A vDEVICE and the device on a nested HWPT of the vIOMMU: the mock
    then reports events."""
    needs(6, 15, "vEVENTQs")
    with viommu.vdevice(mock, VIRT_ID):
        with ctx.hwpt_alloc(mock, viommu, data_type=HwptDataType.SELFTEST,
                            data=testing.hwpt_data(0)) as nested:
            mock.replace(nested)
            yield viommu
            mock.replace(ioas)


def caches(ctx, mock, values):
    for i, v in enumerate(values):
        testing.check_dev_cache(ctx, mock, i, v)


def test_older_kernels_refuse_naming_the_release(ctx, mock, parent):
    if release() >= (6, 13):
        pytest.skip("this kernel has vIOMMUs")
    with pytest.raises(libiommufd.NotSupportedError) as info:
        ctx.viommu_alloc(mock, parent, ViommuType.SELFTEST)
    assert info.value.needs_release == (6, 13)


def test_vdevice_and_cache_invalidation(ctx, mock, viommu):
    d = CACHE_DEFAULT
    with viommu.vdevice(mock, VIRT_ID) as vdev:
        assert vdev.id
        with pytest.raises(libiommufd.ExistsError):
            viommu.vdevice(mock, VIRT_ID + 1)  # one per device
        caches(ctx, mock, [d] * CACHES)
        assert viommu.invalidate(InvalidateDataType.SELFTEST, []) == 0
        e = testing.viommu_invalidate_entry
        assert viommu.invalidate(InvalidateDataType.SELFTEST, [e(VIRT_ID, 1)]) == 1
        caches(ctx, mock, [d, 0, d, d])
        with pytest.raises(libiommufd.NotSupportedError) as info:
            viommu.invalidate(InvalidateDataType.SELFTEST,
                              [e(VIRT_ID, 0), e(VIRT_ID, 2, flags=0xFFFFFFFF)])
        assert info.value.handled == 1
        caches(ctx, mock, [0, 0, d, d])
        assert viommu.invalidate(InvalidateDataType.SELFTEST,
                                 [e(VIRT_ID, 0, flags=testing.INVALIDATE_ALL)]) == 1
        caches(ctx, mock, [0] * CACHES)


def test_events_come_in_sequence(ctx, mock, vevent_setup):
    with vevent_setup.veventq(VeventqType.SELFTEST, 16) as q:
        assert q.read() == []
        for _ in range(3):
            testing.trigger_vevent(ctx, mock)
        assert q.wait(5)
        events = q.read()
        assert len(events) == 3
        seqs = [e.sequence for e in events]
        assert seqs == list(range(seqs[0], seqs[0] + 3))
        for e in events:
            assert e.lost == 0 and e.flags == VeventFlag(0)
            assert struct.unpack("=I", e.data[:4])[0] == VIRT_ID
        assert q.lost == 0


def test_losses_are_counted(ctx, mock, vevent_setup):
    with vevent_setup.veventq(VeventqType.SELFTEST, 2) as q:
        for _ in range(10):
            testing.trigger_vevent(ctx, mock)
        events = list(q)
        delivered = [e for e in events if VeventFlag.LOST not in e.flags]
        assert len(delivered) == 2
        assert q.lost == 10 - 2
        testing.trigger_vevent(ctx, mock)
        (after,) = [e for e in q if VeventFlag.LOST not in e.flags]
        assert after.sequence == (delivered[-1].sequence + 9) & 0x7FFFFFFF


def test_events_with_asyncio(ctx, mock, vevent_setup):
    with vevent_setup.veventq(VeventqType.SELFTEST, 16) as q:
        async def main():
            asyncio.get_running_loop().call_later(0.05, testing.trigger_vevent, ctx, mock)
            async for event in q:
                return event

        event = asyncio.run(asyncio.wait_for(main(), 20))
        assert struct.unpack("=I", event.data[:4])[0] == VIRT_ID


def test_one_queue_per_type(ctx, vevent_setup):
    with vevent_setup.veventq(VeventqType.SELFTEST, 4):
        with pytest.raises(libiommufd.ExistsError):
            vevent_setup.veventq(VeventqType.SELFTEST, 4)


def test_data_loopback_and_mmap(ctx, mock, parent):
    needs(6, 17, "vIOMMU data and mmap")
    data = testing.viommu_data(0xBEEF)
    with ctx.viommu_alloc(mock, parent, ViommuType.SELFTEST, data=data) as v:
        _in, out, offset, length = struct.unpack("=IIQQ", v.data)
        assert out == 0xBEEF and bytes(data) == v.data
        with pytest.raises(libiommufd.IommufdError):
            v.mmap(offset, length // 2)
        with v.mmap(offset, length) as m:
            assert struct.unpack_from("=I", m.buffer)[0] == 0xBEEF
            with pytest.raises(libiommufd.BusyError):
                v.destroy()
