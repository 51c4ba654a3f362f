# SPDX-License-Identifier: LGPL-2.1-or-later
"""DmaTest: real DMA through iommufd with the vfio_dmatest module.

The device tests need the module loaded (``insmod vfio_dmatest.ko
devices=2``): the VM runs of ctest (python_latest, python_6.12) load it
through tests/vm/with-module, which also sets LIBIOMMUFD_LOADED_MODULES so
that a missing device fails them instead of skipping.  On the host they
skip, saying the module is not loaded.  The bytes are checked in Python's
own view of the buffers, never through the device.
"""

import errno
import glob
import mmap
import os
import random
import select
from types import SimpleNamespace

import pytest

import libiommufd
from libiommufd import (DmaTest, DmaTestErrorCode, DmaTestFlag, DmaTestOp, DmaTestStatus,
                        InvalidArgumentError, IommufdError)

PAGE = mmap.PAGESIZE
PAGES = 4
LEN = PAGES * PAGE
TIMEOUT = 30.0  # seconds; a transfer takes far less, even under TCG


def fnv1a_64(data):
    """FNV-1a 64, written out here to check the library's and the device's."""
    h = 0xCBF29CE484222325
    for b in bytes(data):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def _missing():
    """Why the device tests cannot run here, or None."""
    try:
        if DmaTest.count() == 0:
            DmaTest.path(0)  # raises, saying the module is not loaded
        libiommufd.Context().close()
        return None
    except OSError as e:
        return (f"no vfio_dmatest device here ({e.strerror}); the VM runs of ctest load the "
                "module (tests/vm/with-module)")


@pytest.fixture
def module():
    reason = _missing()
    if reason is not None:
        if "vfio_dmatest" in os.environ.get("LIBIOMMUFD_LOADED_MODULES", "").split():
            pytest.fail(f"vfio_dmatest was loaded for this run, yet: {reason}")
        pytest.skip(reason)


def _iova_base(ioas):
    """A 1 MiB-aligned IOVA with room for the tests' mappings and holes."""
    need = 64 * PAGE
    for r in ioas.iova_ranges():
        start = (max(r.start, 1 << 20) + (1 << 20) - 1) & ~((1 << 20) - 1)
        if start + need - 1 <= r.last:
            return start
    pytest.fail(f"no IOVA range fits {need} bytes: {ioas.iova_ranges()}")


@pytest.fixture
def dma(module):
    """A context, an IOAS with two 4-page buffers mapped at fixed IOVAs
    with unmapped pages between them, and instance 0 attached to it."""
    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        base = _iova_base(ioas)
        src, dst = mmap.mmap(-1, LEN), mmap.mmap(-1, LEN)
        src_iova, dst_iova = base, base + 16 * PAGE
        ioas.map(src, src_iova)
        ioas.map(dst, dst_iova)
        with DmaTest(ctx, 0, ioas=ioas) as dt:
            yield SimpleNamespace(ctx=ctx, ioas=ioas, dt=dt, src=src, dst=dst,
                                  src_iova=src_iova, dst_iova=dst_iova, base=base)
    src.close()
    dst.close()


def _random(n):
    return bytes(random.getrandbits(8) for _ in range(n))


def _signalled(fd):
    """Whether eventfd *fd* becomes readable within the test timeout."""
    return bool(select.select([fd], [], [], TIMEOUT)[0])


# ---- anywhere --------------------------------------------------------------------------


def test_host_checksum_is_fnv1a_64():
    assert DmaTest.host_checksum(b"") == 0xCBF29CE484222325
    assert DmaTest.host_checksum(b"a") == 0xAF63DC4C8601EC8C
    data = _random(3 * PAGE + 17)
    want = fnv1a_64(data)
    assert DmaTest.host_checksum(data) == want
    assert DmaTest.host_checksum(bytearray(data)) == want
    assert DmaTest.host_checksum(memoryview(data)[5:]) == fnv1a_64(data[5:])


def test_count_is_what_sysfs_shows():
    shown = glob.glob("/sys/bus/platform/drivers/vfio_dmatest/vfio_dmatest.*")
    assert DmaTest.count() == len(shown)


def test_no_such_instance_says_why(null_ctx):
    n = DmaTest.count()
    with pytest.raises(IommufdError) as info:
        DmaTest.path(n)
    e = info.value
    assert e.errno == errno.ENODEV and e.function == "iommufd_dmatest_path"
    if n == 0:
        assert "vfio_dmatest module is not loaded" in e.strerror
    else:
        assert f"has {n} instance" in e.strerror
    # Opening fails the same way, with the sentence in the context.
    with pytest.raises(IommufdError) as info:
        DmaTest(null_ctx, n)
    assert info.value.errno == errno.ENODEV and "vfio_dmatest" in info.value.strerror
    assert null_ctx.last_error == info.value.strerror


def test_error_names_and_enums_follow_c():
    assert DmaTestOp.COPY == 1 and DmaTestFlag.PIN == 0x100 and DmaTestFlag.HOLD == 0x200
    assert DmaTestStatus.DONE == 3 and DmaTestErrorCode.UNMAPPED == 2
    names = {c: libiommufd.libiommufd_c.iommufd_dmatest_error_name(c) for c in DmaTestErrorCode}
    assert names[DmaTestErrorCode.UNMAPPED] == "unmapped"
    assert names[DmaTestErrorCode.READ_ONLY] == "read-only"
    assert "unknown" not in names.values() and len(set(names.values())) == len(names)
    assert libiommufd.libiommufd_c.iommufd_dmatest_error_name(999) == "unknown"


# ---- with the module -------------------------------------------------------------------


def test_path_and_count(module):
    n = DmaTest.count()
    assert n >= 1
    for i in range(n):
        path = DmaTest.path(i)
        assert path.startswith("/dev/vfio/devices/vfio") and os.path.exists(path)
        link = glob.glob(f"/sys/bus/platform/devices/vfio_dmatest.{i}/vfio-dev/vfio*")
        assert [os.path.basename(p) for p in link] == [os.path.basename(path)]


def test_copy_through_the_iommu(dma):
    data = _random(LEN)
    dma.src[:] = data
    before = dma.dt.status()
    dma.dt.submit(DmaTestOp.COPY, src_iova=dma.src_iova, dst_iova=dma.dst_iova, length=LEN)
    assert _signalled(dma.dt.completion_fileno())
    r = dma.dt.wait(TIMEOUT)
    assert r.ok and r.status == DmaTestStatus.DONE and r.error == DmaTestErrorCode.NONE
    assert r.done_bytes == LEN and r.fault_iova == 0 and r.pinned_pages == 0
    assert (r.completions, r.errors) == (before.completions + 1, before.errors)
    assert dma.dst[:] == data


def test_pinned_copy(dma):
    data = _random(LEN - 3)
    dma.src[3:] = data
    r = dma.dt.copy(dma.src_iova + 3, dma.dst_iova + 1, LEN - 3, flags=DmaTestFlag.PIN,
                    timeout=TIMEOUT)
    assert r.ok and r.done_bytes == LEN - 3 and r.pinned_pages == 0
    assert dma.dst[1:LEN - 2] == data
    assert dma.dst[0] == 0 and dma.dst[LEN - 2:] == b"\0\0"


def test_fill_and_checksum(dma):
    dma.dst[:] = b"\xee" * LEN
    pattern = 0x0123456789ABCDEF
    start, length = 5, 2 * PAGE + 11
    r = dma.dt.fill(dma.dst_iova + start, length, pattern, timeout=TIMEOUT)
    assert r.ok and r.done_bytes == length
    unit = pattern.to_bytes(8, "little")
    assert dma.dst[start:start + length] == (unit * (length // 8 + 1))[:length]
    assert dma.dst[:start] == b"\xee" * start
    assert dma.dst[start + length:] == b"\xee" * (LEN - start - length)

    r = dma.dt.checksum(dma.dst_iova, LEN, timeout=TIMEOUT)
    assert r.ok and r.done_bytes == LEN
    assert r.checksum == fnv1a_64(dma.dst[:]) == DmaTest.host_checksum(dma.dst)


def test_unmapped_iova_is_reported(dma):
    dma.src[:] = _random(LEN)
    # The last page of src, then the unmapped page after it.
    src = dma.src_iova + (PAGES - 1) * PAGE
    dma.dt.submit(DmaTestOp.COPY, src_iova=src, dst_iova=dma.dst_iova, length=2 * PAGE)
    assert _signalled(dma.dt.error_fileno())
    r = dma.dt.wait(TIMEOUT)
    assert not r.ok and r.status == DmaTestStatus.ERROR
    assert r.error == DmaTestErrorCode.UNMAPPED and r.error_name == "unmapped"
    assert r.fault_iova == dma.src_iova + LEN
    # Unpinned, the device moved what it reached before the hole.
    assert r.done_bytes == PAGE
    assert dma.dst[:PAGE] == dma.src[(PAGES - 1) * PAGE:]
    assert dma.dst[PAGE:] == bytes(LEN - PAGE)

    # Pinned, pinning fails first and nothing moves.
    dma.dst[:] = bytes(LEN)
    r = dma.dt.copy(src, dma.dst_iova, 2 * PAGE, flags=DmaTestFlag.PIN, timeout=TIMEOUT)
    assert r.error == DmaTestErrorCode.UNMAPPED and r.fault_iova == dma.src_iova + LEN
    assert dma.dst[:] == bytes(LEN) and r.pinned_pages == 0


def test_read_only_destination(dma):
    ro = mmap.mmap(-1, PAGE)
    ro_iova = dma.base + 32 * PAGE
    dma.ioas.map(ro, ro_iova, writable=False)
    dma.src[:PAGE] = _random(PAGE)
    r = dma.dt.copy(dma.src_iova, ro_iova, PAGE, timeout=TIMEOUT)
    assert r.error == DmaTestErrorCode.READ_ONLY and r.fault_iova == ro_iova
    assert ro[:] == bytes(PAGE)
    # Reading it is fine.
    r = dma.dt.checksum(ro_iova, PAGE, timeout=TIMEOUT)
    assert r.ok and r.checksum == fnv1a_64(bytes(PAGE))
    dma.ioas.unmap(ro_iova, PAGE)
    ro.close()


def test_held_transfer_released(dma):
    data = _random(LEN)
    dma.src[:] = data
    dma.dt.submit(DmaTestOp.COPY, src_iova=dma.src_iova, dst_iova=dma.dst_iova, length=LEN,
                  flags=DmaTestFlag.PIN | DmaTestFlag.HOLD)
    s = dma.dt.status()
    assert s.status == DmaTestStatus.HELD and s.pinned_pages == 2 * PAGES
    with pytest.raises(TimeoutError) as info:
        dma.dt.wait(0.05)
    assert info.value.errno == errno.ETIMEDOUT and "held" in info.value.strerror
    with pytest.raises(libiommufd.BusyError):
        dma.dt.copy(dma.src_iova, dma.dst_iova, PAGE)
    assert dma.dst[:] == bytes(LEN)  # nothing moved while held
    dma.dt.release()
    r = dma.dt.wait(TIMEOUT)
    assert r.ok and r.pinned_pages == 0 and dma.dst[:] == data


def test_held_transfer_aborted(dma):
    dma.dt.submit(DmaTestOp.FILL, dst_iova=dma.dst_iova, length=LEN, pattern=-1,
                  flags=DmaTestFlag.HOLD)
    dma.dt.abort()
    r = dma.dt.wait(TIMEOUT)
    assert r.error == DmaTestErrorCode.ABORTED and dma.dst[:] == bytes(LEN)
    with pytest.raises(InvalidArgumentError):
        dma.dt.abort()  # nothing left to abort
    with pytest.raises(InvalidArgumentError):
        dma.dt.release()  # nothing held


def test_unmap_under_a_pinned_transfer(dma):
    dma.dt.submit(DmaTestOp.COPY, src_iova=dma.src_iova, dst_iova=dma.dst_iova, length=LEN,
                  flags=DmaTestFlag.PIN | DmaTestFlag.HOLD)
    assert dma.dt.status().pinned_pages == 2 * PAGES
    # The device drops its pins, so the unmap succeeds.
    assert dma.ioas.unmap(dma.src_iova, LEN) == LEN
    r = dma.dt.wait(TIMEOUT)
    assert r.error == DmaTestErrorCode.UNMAPPING and r.fault_iova == dma.src_iova
    assert r.pinned_pages == 0 and dma.dst[:] == bytes(LEN)


def test_arguments_checked_before_the_device(dma):
    with pytest.raises(InvalidArgumentError) as info:
        dma.dt.wait(0)
    assert "nothing was submitted" in info.value.strerror
    for bad in (dict(length=0), dict(length=dma.dt.max_length + 1),
                dict(length=PAGE, src_iova=(1 << 64) - PAGE // 2)):
        with pytest.raises(InvalidArgumentError):
            dma.dt.submit(DmaTestOp.COPY, **{"src_iova": dma.src_iova,
                                             "dst_iova": dma.dst_iova, **bad})
    with pytest.raises(InvalidArgumentError):
        dma.dt.submit(99, length=PAGE)
    assert dma.dt.status().status == DmaTestStatus.IDLE  # none reached the device


def test_attach_later_and_detach(module):
    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        buf = mmap.mmap(-1, PAGE)
        iova = ioas.map(buf)
        with DmaTest.open(ctx, 0) as dt:
            assert dt.index == 0 and dt.max_length >= PAGE
            r = dt.fill(iova, PAGE, 0x11, timeout=TIMEOUT)
            assert r.error == DmaTestErrorCode.DETACHED and buf[:] == bytes(PAGE)
            dt.device.attach(ioas)
            assert dt.fill(iova, PAGE, 0x11, timeout=TIMEOUT).ok
            assert buf[:8] == b"\x11" + bytes(7)
            dt.device.detach()
            r = dt.fill(iova, PAGE, 0x22, timeout=TIMEOUT)
            assert r.error == DmaTestErrorCode.DETACHED and buf[0] == 0x11
        ioas.unmap(iova, PAGE)
    buf.close()


def test_closing_the_context_closes_the_device(module):
    ctx = libiommufd.Context()
    dt = DmaTest(ctx, 0)
    device = dt.device
    assert dt.id == device.id > 0
    ctx.close()
    assert dt.closed and device.closed
    with pytest.raises(ValueError):
        dt.status()
    # The device is free again.
    with libiommufd.Context() as ctx2, DmaTest(ctx2, 0) as dt2:
        assert dt2.status().status in (DmaTestStatus.IDLE, DmaTestStatus.ERROR,
                                       DmaTestStatus.DONE)


def test_two_devices_share_an_ioas(dma):
    if DmaTest.count() < 2:
        pytest.skip("needs two vfio_dmatest instances (insmod ... devices=2)")
    with DmaTest(dma.ctx, 1, ioas=dma.ioas) as other:
        assert other.id != dma.dt.id
        dma.src[:] = _random(LEN)
        assert dma.dt.copy(dma.src_iova, dma.dst_iova, PAGE, timeout=TIMEOUT).ok
        assert other.copy(dma.src_iova + PAGE, dma.dst_iova + PAGE, LEN - PAGE,
                          timeout=TIMEOUT).ok
        assert dma.dst[:] == dma.src[:]
