# SPDX-License-Identifier: LGPL-2.1-or-later
"""I/O address spaces: the map of IOVA to memory."""

from __future__ import annotations

import os
import struct
from typing import Any, Iterable, List, NamedTuple, Optional, Tuple

from . import libiommufd_c as _c
from ._base import KernelObject, ObjectId, byte_view, fd_of, oid
from .enums import MapFlag, Option

__all__ = ["Ioas", "IovaRange"]

_RANGE = struct.Struct("=QQ")
assert _RANGE.size == _c.SIZEOF_IOVA_RANGE


_NO_RANGES = bytearray()


class IovaRange(NamedTuple):
    """An inclusive IOVA range [start, last]."""

    start: int
    last: int

    @property
    def length(self) -> int:
        """Bytes in the range."""
        return self.last - self.start + 1


def _map_flags(readable: bool, writable: bool, fixed: bool) -> int:
    flags = 0
    if readable:
        flags |= MapFlag.READABLE
    if writable:
        flags |= MapFlag.WRITEABLE
    if fixed:
        flags |= MapFlag.FIXED_IOVA
    return flags


class Ioas(KernelObject):
    """An IOAS (``ctx.ioas()``): map, unmap and copy of user memory."""

    __slots__ = ("_rbuf",)

    def __init__(self, ctx: Any, ioas_id: int) -> None:
        super().__init__(ctx, ioas_id)
        self._rbuf = _NO_RANGES  # grown on first use

    def map(self, buffer: Any, iova: Optional[int] = None, *, readable: bool = True,
            writable: Optional[bool] = None) -> int:
        """Map the memory of *buffer* (bytearray, mmap, memoryview, any
        writable C-contiguous buffer) and return its IOVA.

        With *iova* the mapping goes there (FIXED_IOVA); otherwise the kernel
        picks.  *writable* defaults to whether the buffer is; a read-only
        buffer (bytes, a PROT_READ mmap) maps READABLE only.  The buffer is
        pinned and kept alive (a bytearray cannot be resized, an mmap not
        closed) until it is unmapped.
        """
        view = byte_view(buffer)
        if writable is None:
            writable = not view.readonly
        elif writable and view.readonly:
            raise ValueError("map: a read-only buffer cannot be mapped WRITEABLE")
        flags = _map_flags(readable, writable, iova is not None)
        ctx = self._ctx
        out = _c.iommufd_ioas_map(ctx._handle, self.id, view, flags, iova or 0)
        ctx._hold(self._id, out, len(view), view)
        return out

    def map_file(self, file: Any, offset: int = 0, length: Optional[int] = None,
                 iova: Optional[int] = None, *, readable: bool = True,
                 writable: bool = True) -> int:
        """Map *length* bytes of *file* (an fd or an object with fileno():
        memfd, hugetlbfs...) from *offset*, by fd rather than by address
        (IOMMU_IOAS_MAP_FILE, Linux 6.13).  *length* defaults to the rest of
        the file.  Returns the IOVA."""
        fd = fd_of(file)
        if length is None:
            length = os.fstat(fd).st_size - offset
        flags = _map_flags(readable, writable, iova is not None)
        return _c.iommufd_ioas_map_file(self._ctx._handle, self.id, fd, offset, length,
                                        flags, iova or 0)

    def unmap(self, iova: int, length: int) -> int:
        """Unmap every mapping inside [iova, iova + length); returns the
        bytes unmapped.  A mapping only partly inside fails the call
        (:class:`NotFoundError`)."""
        ctx = self._ctx
        done = _c.iommufd_ioas_unmap(ctx._handle, self.id, iova, length)
        ctx._release(self._id, iova, length)
        return done

    def unmap_all(self) -> int:
        """Unmap everything; returns the bytes unmapped (0 when empty)."""
        ctx = self._ctx
        done = _c.iommufd_ioas_unmap_all(ctx._handle, self.id)
        ctx._maps.pop(self._id, None)
        return done

    def copy_from(self, src: ObjectId, src_iova: int, length: int,
                  iova: Optional[int] = None, *, readable: bool = True,
                  writable: bool = True) -> int:
        """Map here the pages behind [src_iova, src_iova + length) of IOAS
        *src* (IOMMU_IOAS_COPY), without touching user memory; returns the
        IOVA here.  What keeps the source memory alive now keeps it alive for
        this mapping too."""
        ctx = self._ctx
        src_id = oid(src, "src")
        out = _c.iommufd_ioas_copy(ctx._handle, self.id, src_id, src_iova, length,
                                   _map_flags(readable, writable, iova is not None),
                                   iova or 0)
        ctx._hold(self._id, out, length, ctx._holders(src_id, src_iova, length))
        return out

    def iova_ranges(self) -> List[IovaRange]:
        """The IOVA ranges usable for mapping now, lowest first."""
        h, ioas_id, buf = self._ctx._handle, self.id, self._rbuf
        while True:
            count, _align = _c.iommufd_ioas_iova_ranges(h, ioas_id, buf)
            if count * _RANGE.size <= len(buf):
                break
            buf = self._rbuf = bytearray(max(count, 8) * _RANGE.size)
        make, unpack = IovaRange._make, _RANGE.unpack_from
        return [make(unpack(buf, i * 16)) for i in range(count)]

    @property
    def alignment(self) -> int:
        """The IOVA alignment every mapping of this IOAS must have."""
        return _c.iommufd_ioas_iova_ranges(self._ctx._handle, self.id, bytearray())[1]

    def allow_iovas(self, ranges: Iterable[Tuple[int, int]]) -> None:
        """Restrict the IOVAs the kernel may pick (and devices' reserved
        regions) to *ranges* of inclusive (start, last); empty lifts it."""
        packed = b"".join(_RANGE.pack(start, last) for start, last in ranges)
        _c.iommufd_ioas_allow_iovas(self._ctx._handle, self.id, packed)

    @property
    def huge_pages(self) -> bool:
        """Whether the IOAS may use huge IOMMU pages (IOMMU_OPTION)."""
        return bool(self._ctx.get_option(Option.HUGE_PAGES, self))

    @huge_pages.setter
    def huge_pages(self, enable: bool) -> None:
        self._ctx.set_option(Option.HUGE_PAGES, int(bool(enable)), self)
