# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hardware page tables: paging and nested HWPTs, cache invalidation, dirty
tracking."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Union

from . import libiommufd_c as _c
from ._base import KernelObject, ObjectId, byte_view, oid
from .enums import DirtyFlag, HwptDataType, HwptFlag, InvalidateDataType

__all__ = ["Hwpt", "Entries"]

#: Invalidation entries: one buffer of equal-sized entries, or a sequence of
#: bytes-like entries of one size.
Entries = Union[bytes, bytearray, memoryview, Sequence[Any]]


def hwpt_alloc(ctx: Any, device: ObjectId, pt: ObjectId, flags: HwptFlag,
               fault_queue: Optional[Any], data_type: HwptDataType,
               data: Optional[Any]) -> "Hwpt":
    opts = _c.iommufd_hwpt_alloc_opts()
    opts.flags = int(flags)
    opts.fault_id = 0 if fault_queue is None else oid(fault_queue, "fault_queue")
    opts.data_type = int(data_type)
    view = None
    if data is not None:
        view = byte_view(data, "data")
        opts.data = view
        opts.data_len = len(view)
    hwpt_id = _c.iommufd_hwpt_alloc(ctx._handle, oid(device, "device"), oid(pt, "pt"), opts)
    del view  # the kernel has read the data
    return Hwpt(ctx, hwpt_id)


def invalidate(call: Callable[..., None], ctx: Any, object_id: int, data_type: int,
               entries: Optional[Entries], entry_len: Optional[int]) -> int:
    """Send invalidation *entries* through *call* (the HWPT or vIOMMU form);
    returns the entries handled.  On failure the exception's ``handled``
    says how many were, the entry at that index being the one refused."""
    if entries is None or (not isinstance(entries, (bytes, bytearray, memoryview))
                           and len(entries) == 0):
        _c_entries, count, entry_len = None, 0, entry_len or 1
    elif isinstance(entries, (bytes, bytearray, memoryview)):
        if not entry_len:
            raise ValueError("invalidate: entry_len is needed with one buffer of entries")
        _c_entries = byte_view(entries, "entries")
        if len(_c_entries) % entry_len:
            raise ValueError(f"invalidate: {len(_c_entries)} bytes are not a whole number "
                             f"of {entry_len}-byte entries")
        count = len(_c_entries) // entry_len
    else:
        views = [bytes(byte_view(e, "entry")) for e in entries]
        entry_len = entry_len or len(views[0])
        if any(len(v) != entry_len for v in views):
            raise ValueError(f"invalidate: every entry must be {entry_len} bytes")
        _c_entries, count = b"".join(views), len(views)
    return call(ctx._handle, object_id, int(data_type), _c_entries, entry_len, count)


class Hwpt(KernelObject):
    """A HWPT (``ctx.hwpt_alloc()``)."""

    __slots__ = ()

    def invalidate(self, data_type: InvalidateDataType, entries: Optional[Entries],
                   entry_len: Optional[int] = None) -> int:
        """Invalidate caches of this nested HWPT with vendor *entries*
        (IOMMU_HWPT_INVALIDATE); returns how many were handled.  No entries
        asks whether the HWPT takes *data_type* at all."""
        return invalidate(_c.iommufd_hwpt_invalidate, self._ctx, self.id, data_type,
                          entries, entry_len)

    def set_dirty_tracking(self, enable: bool) -> None:
        """Start or stop tracking DMA writes (the HWPT was allocated with
        DIRTY_TRACKING); starting clears old bits."""
        _c.iommufd_hwpt_set_dirty_tracking(self._ctx._handle, self.id, int(bool(enable)))

    def get_dirty_bitmap(self, iova: int, length: int, page_size: int, *,
                         no_clear: bool = False, merge_into: Optional[Any] = None,
                         chunked: bool = False) -> Any:
        """Read (and clear, unless *no_clear*) the dirty bits of
        [iova, iova + length), one bit per *page_size*: bit i % 64 of 64-bit
        word i // 64 stands for page iova + i * page_size.  Returns a new
        bytearray, or ORs the bits into *merge_into* (a writable buffer,
        8-byte aligned) and returns it.  One ioctl reads the whole range;
        *chunked* reads 32768 pages per ioctl, so maps and unmaps of the IOAS
        by other threads never wait for a whole huge range."""
        flags = DirtyFlag.NO_CLEAR if no_clear else DirtyFlag(0)
        if chunked:
            flags |= DirtyFlag.CHUNKED
        pages = length // page_size if page_size else 0
        if merge_into is None:
            bitmap: Any = bytearray(8 * ((pages + 63) // 64) or 8)
        else:
            bitmap = merge_into
            flags |= DirtyFlag.MERGE
        _c.iommufd_hwpt_get_dirty_bitmap(self._ctx._handle, self.id, iova, length, page_size,
                                         bitmap, int(flags))
        return bitmap

    def dirty_iovas(self, iova: int, length: int, page_size: int, *,
                    no_clear: bool = False) -> List[int]:
        """The IOVAs of the dirty pages of [iova, iova + length)."""
        bitmap = self.get_dirty_bitmap(iova, length, page_size, no_clear=no_clear)
        bits = int.from_bytes(bitmap, "little")
        out = []
        while bits:
            low = bits & -bits
            out.append(iova + (low.bit_length() - 1) * page_size)
            bits ^= low
        return out
