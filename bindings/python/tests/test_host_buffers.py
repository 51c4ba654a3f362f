# SPDX-License-Identifier: LGPL-2.1-or-later
"""Buffers and records without a kernel: what map accepts, what keeps mapped
memory alive, record parsing, queues as select/asyncio sources."""

import array
import asyncio
import errno
import mmap
import os
import struct

import pytest

import libiommufd
from libiommufd import FaultFlag, FaultPerm, FaultResponse, VeventFlag
from libiommufd._base import byte_view
from libiommufd._queue import Pollable
from libiommufd.fault import _FAULT, pack_responses, parse_groups
from libiommufd.veventq import _VEVENT_SIZE, parse_vevents


class TestWhatMapAccepts:
    def test_buffers_become_flat_bytes(self):
        a = array.array("I", range(4))
        v = byte_view(a)
        assert (v.format, v.ndim, len(v)) == ("B", 1, 16)
        assert len(byte_view(mmap.mmap(-1, 8192))) == 8192

    def test_not_a_buffer(self, null_ctx):
        with pytest.raises(TypeError, match="buffer protocol"):
            null_ctx.ioas_from_id(1).map([1, 2, 3])

    def test_not_contiguous(self, null_ctx):
        strided = memoryview(bytearray(64))[::2]
        with pytest.raises(ValueError, match="contiguous"):
            null_ctx.ioas_from_id(1).map(strided)

    def test_read_only_cannot_be_writeable(self, null_ctx):
        with pytest.raises(ValueError, match="read-only"):
            null_ctx.ioas_from_id(1).map(b"x" * 4096, writable=True)

    def test_a_failed_map_holds_nothing(self, null_ctx):
        buf = bytearray(4096)
        with pytest.raises(libiommufd.IommufdError):
            null_ctx.ioas_from_id(1).map(buf)  # ENOTTY from /dev/null
        buf.extend(b"1")  # not exported: resizable again
        assert not null_ctx._maps


class TestKeepAlive:
    """The context's book of what memory each IOAS maps."""

    def test_held_views_pin_their_objects(self, null_ctx):
        buf = bytearray(8192)
        null_ctx._hold(1, 0x10000, 8192, memoryview(buf))
        with pytest.raises(BufferError):
            buf.extend(b"1")
        null_ctx._release(1, 0x10000, 8192)
        buf.extend(b"1")

    def test_unmap_releases_only_what_lies_inside(self, null_ctx):
        for iova in (0x1000, 0x3000, 0x5000):
            null_ctx._hold(1, iova, 0x1000, iova)
        null_ctx._release(1, 0x2800, 0x2000)  # covers 0x3000 only
        assert [m[0] for m in null_ctx._maps[1]] == [0x1000, 0x5000]
        assert null_ctx._holders(1, 0x2000, 0x4000) == [0x5000]

    def test_close_releases_everything(self):
        c = libiommufd.Context("/dev/null")
        m = mmap.mmap(-1, 4096)
        c._hold(1, 0, 4096, memoryview(m))
        with pytest.raises(BufferError):
            m.close()
        c.close()
        m.close()


def _fault(cookie, last=True, addr=0x1000, grpid=1):
    flags = FaultFlag.LAST_PAGE if last else 0
    return _FAULT.pack(flags, 5, 0, grpid, FaultPerm.READ, 0, addr, 0, cookie)


class TestFaultRecords:
    def test_groups_split_on_last_page(self):
        raw = b"".join([_fault(7, last=False), _fault(7, addr=0x2000), _fault(9)])
        groups = parse_groups(None, raw, 3)
        assert [(g.cookie, len(g)) for g in groups] == [(7, 2), (9, 1)]
        f = groups[0].faults[1]
        assert (f.addr, f.dev_id, f.perm, f.flags) == (0x2000, 5, FaultPerm.READ,
                                                       FaultFlag.LAST_PAGE)

    def test_a_group_without_its_last_page_is_refused(self):
        with pytest.raises(libiommufd.IommufdError) as info:
            parse_groups(None, _fault(7, last=False), 1)
        assert info.value.errno == errno.EPROTO

    def test_responses_pack_as_the_kernel_reads_them(self):
        raw = b"".join([_fault(3), _fault(4)])
        g = parse_groups(None, raw, 2)
        packed = pack_responses([g[0], (g[1], FaultResponse.INVALID), 11])
        assert struct.unpack("=6I", packed) == (3, 0, 4, 1, 11, 0)


def test_vevents_parse_with_their_losses():
    raw = bytearray(2 * _VEVENT_SIZE)
    struct.pack_into("=IIIII", raw, 0, 0, 5, 0, 4, 0x99)
    struct.pack_into("=IIII", raw, _VEVENT_SIZE, VeventFlag.LOST, 9, 3, 0)
    ev = parse_vevents(raw, 2)
    assert ev[0].sequence == 5 and ev[0].data == struct.pack("=I", 0x99)
    assert ev[1].flags == VeventFlag.LOST and ev[1].lost == 3 and ev[1].data == b""


class PipeSource(Pollable):
    """A pipe standing in for a queue: one record per byte."""

    def __init__(self):
        self.r, self.w = os.pipe()
        os.set_blocking(self.r, False)

    def fileno(self):
        return self.r

    def read(self, max_records=64):
        try:
            return list(os.read(self.r, max_records))
        except BlockingIOError:
            return []


class TestPollable:
    def test_iteration_drains_what_waits(self):
        p = PipeSource()
        assert not p.wait(0)
        os.write(p.w, b"\1\2\3")
        assert p.wait(0)
        assert list(p) == [1, 2, 3]
        assert list(p) == []

    def test_asyncio(self):
        p = PipeSource()

        async def main():
            loop = asyncio.get_running_loop()
            loop.call_later(0.05, os.write, p.w, b"\7")
            first = await asyncio.wait_for(p.aread(), 5)
            loop.call_later(0.05, os.write, p.w, b"\10")
            async for item in p:
                return first, item

        assert asyncio.run(main()) == ([7], 8)
