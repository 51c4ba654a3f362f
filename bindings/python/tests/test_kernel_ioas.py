# SPDX-License-Identifier: LGPL-2.1-or-later
"""IOAS map, unmap and copy against a real iommufd, proved with the mock
(MD_CHECK_MAP, MD_CHECK_REFS, accesses)."""

import errno
import mmap
import os

import pytest

import libiommufd
from libiommufd import testing

pytestmark = pytest.mark.kernel

PAGE = mmap.PAGESIZE


def test_map_lands_in_the_mock_domain(ctx, ioas, mock, pages):
    pages[:5] = b"hello"
    iova = ioas.map(pages)
    assert testing.APERTURE_START <= iova <= testing.APERTURE_LAST
    assert iova % PAGE == 0
    testing.check_map(ctx, mock.hwpt_id, iova, pages)
    testing.check_refs(ctx, pages, 1)
    with pytest.raises(libiommufd.IommufdError) as info:
        testing.check_refs(ctx, pages, 0)
    assert info.value.errno == errno.EIO
    assert ioas.unmap(iova, len(pages)) == len(pages)
    testing.check_refs(ctx, pages, 0)
    with pytest.raises(libiommufd.InvalidArgumentError):
        testing.check_map(ctx, mock.hwpt_id, iova, pages)


def test_map_at_a_fixed_iova_and_its_errnos(ctx, ioas, mock, pages):
    want = testing.APERTURE_START + 0x100000
    assert ioas.map(pages, want) == want
    testing.check_map(ctx, mock.hwpt_id, want, pages)
    with pytest.raises(libiommufd.ExistsError):
        ioas.map(mmap.mmap(-1, PAGE), want)
    with pytest.raises(FileNotFoundError):  # partly covers the mapping
        ioas.unmap(want, PAGE)
    with pytest.raises(libiommufd.InvalidArgumentError):  # outside the mock aperture
        ioas.map(mmap.mmap(-1, PAGE), testing.APERTURE_LAST + 1)


@pytest.mark.parametrize("make", [
    lambda: mmap.mmap(-1, 4 * PAGE),
    lambda: memoryview(mmap.mmap(-1, 8 * PAGE))[2 * PAGE:6 * PAGE],
    lambda: memoryview(mmap.mmap(-1, 4 * PAGE)).cast("Q"),
], ids=["mmap", "memoryview-slice", "memoryview-of-u64"])
def test_any_writable_buffer_maps(ctx, ioas, mock, make):
    buf = make()
    iova = ioas.map(buf)
    testing.check_map(ctx, mock.hwpt_id, iova, buf)
    ioas.unmap(iova, len(memoryview(buf).cast("B")))


def test_a_bytearray_maps_where_no_domain_asks_for_alignment(ctx):
    # A bytearray's memory starts a few bytes into a page: a domain (the
    # mock's 2 KiB pages) refuses that offset, an IOAS without one takes it.
    buf = bytearray(b"\x11" * 3000)
    with ctx.ioas() as a:
        iova = a.map(buf)
        # an access that pins would ask for page alignment too
        with testing.Access(ctx, a, testing.AccessFlag.NONE) as acc:
            out = bytearray(len(buf))
            acc.rw(iova, out)
            assert out == buf
        with pytest.raises(BufferError):
            buf.extend(b"1")
        a.unmap(iova, 3000)
    buf.extend(b"1")


def test_read_only_buffer_maps_readable(ctx, ioas, mock):
    backing = mmap.mmap(-1, 2 * PAGE)
    backing[:] = b"\x5a" * PAGE * 2
    data = memoryview(backing).toreadonly()
    iova = ioas.map(data)
    with testing.Access(ctx, ioas) as acc:
        out = bytearray(len(data))
        acc.rw(iova, out)
        assert out == data
        with pytest.raises(libiommufd.IommufdError):  # devices may not write
            acc.rw(iova, b"\1" * 16, testing.RwFlag.WRITE)
    ioas.unmap(iova, len(data))


def test_mapped_memory_stays_alive_until_unmapped(ctx, ioas, mock):
    buf = mmap.mmap(-1, 2 * PAGE)
    other = mmap.mmap(-1, PAGE)
    a, _ = ioas.map(buf), ioas.map(memoryview(other))
    with pytest.raises(BufferError):
        buf.close()
    ioas.unmap(a, 2 * PAGE)
    buf.close()
    with pytest.raises(BufferError):
        other.close()
    assert ioas.unmap_all() == PAGE
    other.close()


def test_destroying_the_ioas_releases_its_buffers(ctx):
    buf = bytearray(PAGE)
    with ctx.ioas() as a:
        a.map(buf)
        with pytest.raises(BufferError):
            buf.extend(b"1")
    buf.extend(b"1")


def test_copy_maps_the_same_pages_in_another_ioas(ctx, ioas, mock, pages):
    src_iova = ioas.map(pages)
    with ctx.ioas() as dst, testing.MockDevice(ctx, dst) as dev2:
        iova = dst.copy_from(ioas, src_iova, len(pages))
        testing.check_map(ctx, dev2.hwpt_id, iova, pages)
        testing.check_refs(ctx, pages, 1)  # the copy shares the source's pin
        ioas.unmap(src_iova, len(pages))
        testing.check_map(ctx, dev2.hwpt_id, iova, pages)
        with pytest.raises(BufferError):  # the copy keeps the memory alive
            pages.close()
        dst.unmap(iova, len(pages))
    testing.check_refs(ctx, pages, 0)
    pages.close()


def test_iova_ranges_follow_the_devices(ctx, ioas):
    whole = ioas.iova_ranges()
    assert whole == [libiommufd.IovaRange(0, (1 << 64) - 1)]
    with testing.MockDevice(ctx, ioas):
        assert ioas.iova_ranges() == [(testing.APERTURE_START, testing.APERTURE_LAST)]
        assert ioas.alignment >= testing.PAGE_SIZE
        start = testing.APERTURE_START
        for i in range(12):  # more ranges than the first buffer holds
            testing.add_reserved(ctx, ioas, start + (2 * i + 1) * 0x10000, 0x10000)
        ranges = ioas.iova_ranges()
        assert len(ranges) == 13
        assert ranges[0] == (start, start + 0x10000 - 1)
        assert all(r.length > 0 for r in ranges)


def test_allowed_ranges_steer_kernel_chosen_iovas(ctx, ioas, mock):
    window = (testing.APERTURE_START + 0x400000, testing.APERTURE_START + 0x4FFFFF)
    ioas.allow_iovas([window])
    iova = ioas.map(mmap.mmap(-1, 2 * PAGE))
    assert window[0] <= iova and iova + 2 * PAGE - 1 <= window[1]
    ioas.allow_iovas([])


def test_access_reads_and_writes_by_iova(ctx, ioas, mock, pages):
    pages[:] = bytes(range(256)) * (len(pages) // 256)
    iova = ioas.map(pages)
    with testing.Access(ctx, ioas) as acc:
        out = bytearray(300)
        acc.rw(iova + 100, out)
        assert out == pages[100:400]
        acc.rw(iova + PAGE - 8, b"\xee" * 16, testing.RwFlag.WRITE)
        assert pages[PAGE - 8:PAGE + 8] == b"\xee" * 16
        pid = acc.pin(iova, memoryview(pages)[:PAGE])
        acc.unpin(pid)


def test_huge_pages_option(ctx, ioas):
    assert ioas.huge_pages
    ioas.huge_pages = False
    assert not ioas.huge_pages


def test_map_file_of_a_memfd(ctx, ioas, mock):
    fd = os.memfd_create("py-map-file")
    try:
        os.ftruncate(fd, 4 * PAGE)
        if not ctx.knows_command(libiommufd.Command.IOAS_MAP_FILE):
            with pytest.raises(libiommufd.NotSupportedError) as info:
                ioas.map_file(fd)
            assert info.value.needs_release == (6, 13)
            pytest.skip("IOMMU_IOAS_MAP_FILE needs Linux 6.13 (refusal checked)")
        iova = ioas.map_file(fd)
        with mmap.mmap(fd, 4 * PAGE) as view:
            view[:4] = b"file"
            testing.check_map(ctx, mock.hwpt_id, iova, view)
            ioas.unmap(iova, 4 * PAGE)
    finally:
        os.close(fd)


def test_vfio_compat_ioas(ctx, ioas):
    assert ctx.vfio_ioas is None
    ctx.vfio_ioas = ioas
    assert ctx.vfio_ioas == ioas
    ctx.vfio_ioas = None
    assert ctx.vfio_ioas is None


def test_destroy_says_what_is_busy(ctx, ioas, mock):
    with pytest.raises(libiommufd.BusyError):
        ioas.destroy()
    mock.close()
    ioas.destroy()
    with pytest.raises(libiommufd.NotFoundError):
        ctx.destroy(ioas.id if ioas._id else 0xFFFF)


def test_change_process(ctx):
    if not ctx.knows_command(libiommufd.Command.IOAS_CHANGE_PROCESS):
        with pytest.raises(libiommufd.NotSupportedError) as info:
            ctx.change_process()
        assert info.value.needs_release == (6, 14)
        pytest.skip("IOMMU_IOAS_CHANGE_PROCESS needs Linux 6.14 (refusal checked)")
    ctx.change_process()  # no file mappings: nothing to move
