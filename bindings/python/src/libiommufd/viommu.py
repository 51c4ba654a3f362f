# SPDX-License-Identifier: LGPL-2.1-or-later
"""vIOMMUs, vDEVICEs, HW queues, and mappings of what a vIOMMU offers."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

from . import libiommufd_c as _c
from ._base import KernelObject, ObjectId, byte_view, oid
from .enums import HwQueueType, InvalidateDataType, VeventqType, ViommuType
from .hwpt import Entries, invalidate
from .veventq import VeventQueue

__all__ = ["Viommu", "Vdevice", "HwQueue", "MappedRange"]


def viommu_alloc(ctx: Any, device: ObjectId, hwpt: ObjectId, type: ViommuType,
                 data: Optional[Any]) -> "Viommu":
    opts = _c.iommufd_viommu_alloc_opts()
    view = None
    if data is not None:
        view = byte_view(data, "data")
        if view.readonly:
            raise ValueError("viommu_alloc: data must be writable (the kernel writes back)")
        opts.data = view
        opts.data_len = len(view)
    viommu_id = _c.iommufd_viommu_alloc(ctx._handle, oid(device, "device"), oid(hwpt, "hwpt"),
                                        int(type), opts)
    return Viommu(ctx, viommu_id, bytes(view) if view is not None else None)


class Viommu(KernelObject):
    """A vIOMMU (``ctx.viommu_alloc()``).  :attr:`data` holds the kernel's
    answer in the type's data, if data was given."""

    __slots__ = ("data",)

    def __init__(self, ctx: Any, viommu_id: int, data: Optional[bytes] = None) -> None:
        super().__init__(ctx, viommu_id)
        self.data = data

    def invalidate(self, data_type: InvalidateDataType, entries: Optional[Entries],
                   entry_len: Optional[int] = None) -> int:
        """Invalidate caches the vIOMMU covers (IOMMU_HWPT_INVALIDATE on a
        vIOMMU); returns how many entries were handled (see
        :meth:`Hwpt.invalidate`)."""
        return invalidate(_c.iommufd_viommu_invalidate, self._ctx, self.id, data_type,
                          entries, entry_len)

    def vdevice(self, device: ObjectId, virt_id: int) -> "Vdevice":
        """Give bound device *device* the virtual ID *virt_id* on this vIOMMU
        (IOMMU_VDEVICE_ALLOC)."""
        return Vdevice(self._ctx, _c.iommufd_vdevice_alloc(self._ctx._handle, self.id,
                                                          oid(device, "device"), virt_id))

    def hw_queue(self, type: HwQueueType, index: int, iova: int, length: int) -> "HwQueue":
        """Give the IOMMU queue *index* of *type* in guest memory at
        [iova, iova + length) of the nesting parent's IOAS (mapped there
        already) (IOMMU_HW_QUEUE_ALLOC, Linux 6.17)."""
        return HwQueue(self._ctx, _c.iommufd_hw_queue_alloc(self._ctx._handle, self.id,
                                                           int(type), index, iova, length))

    def veventq(self, type: VeventqType, depth: int, *, data_len: int = 0) -> VeventQueue:
        """Allocate a vEVENTQ of *type* holding up to *depth* events
        (IOMMU_VEVENTQ_ALLOC, Linux 6.15)."""
        return VeventQueue(self._ctx, self, type, depth, data_len)

    def mmap(self, offset: int, length: int) -> "MappedRange":
        """Map what the vIOMMU offers at *offset* (from its data) read-write;
        close the result to unmap (the vIOMMU cannot be destroyed before)."""
        ctx = self._ctx
        addr = _c.iommufd_viommu_mmap(ctx._handle, offset, length)
        return MappedRange(addr, length, lambda a, n: _c.iommufd_viommu_munmap(ctx._handle, a, n))


class Vdevice(KernelObject):
    """A vDEVICE: a device with the ID the guest gives it."""

    __slots__ = ()


class HwQueue(KernelObject):
    """A HW queue the IOMMU reads directly."""

    __slots__ = ()


class MappedRange:
    """Memory the SDK mmap()ed for the caller: :attr:`buffer` is a
    memoryview of it.  :meth:`close` (or leaving a ``with`` block) unmaps;
    views taken from :attr:`buffer` must not be used after that."""

    def __init__(self, addr: int, length: int, unmap: Any) -> None:
        self.address = addr
        self.length = length
        self._unmap = unmap
        self._array = (ctypes.c_ubyte * length).from_address(addr)
        self.buffer: Optional[memoryview] = memoryview(self._array).cast("B")

    def close(self) -> None:
        """Unmap."""
        if self.buffer is None:
            return
        self.buffer.release()
        self.buffer = None
        self._array = None
        self._unmap(self.address, self.length)

    def __enter__(self) -> "MappedRange":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self.length
