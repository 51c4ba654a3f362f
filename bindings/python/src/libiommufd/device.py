# SPDX-License-Identifier: LGPL-2.1-or-later
"""VFIO devices through their cdev: open, bind, attach, regions, IRQs."""

from __future__ import annotations

import array
import mmap as _mmap
import os
from typing import Any, NamedTuple, Optional, Sequence, Tuple

from . import libiommufd_c as _c
from ._base import ObjectId, byte_view, fd_of, oid
from ._queue import Handle
from .enums import DeviceFlag, IrqFlag, RegionFlag
from .viommu import MappedRange

__all__ = ["Device", "DeviceInfo", "RegionInfo", "IrqInfo"]


class DeviceInfo(NamedTuple):
    """VFIO_DEVICE_GET_INFO."""

    flags: DeviceFlag
    num_regions: int
    num_irqs: int


class RegionInfo(NamedTuple):
    """A region, with its mmap-able areas as (offset, size) pairs."""

    index: int
    flags: RegionFlag
    size: int
    offset: int
    type: int
    subtype: int
    msix_mappable: bool
    areas: Tuple[Tuple[int, int], ...]


class IrqInfo(NamedTuple):
    """VFIO_DEVICE_GET_IRQ_INFO."""

    index: int
    flags: IrqFlag
    count: int


class Device(Handle):
    """An open VFIO device cdev.

    ``Device.open(path)``, ``Device.open_pci("0000:00:04.0")`` or
    ``Device.adopt_fd(fd)``; then :meth:`bind` it to a context and
    :meth:`attach` it to an IOAS or HWPT.  Closing the context closes the
    device first.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle
        self._ctx: Any = None

    @classmethod
    def open(cls, path: Any) -> "Device":
        """Open ``/dev/vfio/devices/vfioN``."""
        return cls(_c.iommufd_device_open(os.fsdecode(path)))

    @classmethod
    def open_pci(cls, bdf: str) -> "Device":
        """Open the VFIO cdev of PCI device *bdf*; the error says why there
        is none (no such device, another driver...)."""
        return cls(_c.iommufd_device_open_pci(bdf))

    @classmethod
    def adopt_fd(cls, fd: Any) -> "Device":
        """Take ownership of an open VFIO cdev fd."""
        return cls(_c.iommufd_device_adopt_fd(fd_of(fd)))

    def fileno(self) -> int:
        """The cdev's fd (owned by the device)."""
        return _c.iommufd_device_fd(self._handle_or_raise())

    def close(self) -> None:
        """Close the device (the kernel unbinds and detaches it)."""
        h, self._h = self._h, None
        if h is not None:
            _c.iommufd_device_close(h)

    def bind(self, ctx: Any, *, vf_token: Optional[bytes] = None) -> int:
        """Bind to *ctx* (VFIO_DEVICE_BIND_IOMMUFD); returns the device ID
        used by HWPT, HW info and vDEVICE calls.  *vf_token*: the 16-byte
        VF token (a UUID's bytes) a PF driver may require."""
        opts = _c.iommufd_bind_opts()
        token = None
        if vf_token is not None:
            token = bytes(byte_view(vf_token, "vf_token"))
            if len(token) != 16:
                raise ValueError("vf_token must be 16 bytes")
            opts.vf_token = token
        dev_id = _c.iommufd_device_bind(self._handle_or_raise(), ctx._handle, opts)
        self._ctx = ctx
        ctx._adopt_child(self)
        return dev_id

    @property
    def id(self) -> int:
        """The device ID from :meth:`bind` (0 when not bound)."""
        return _c.iommufd_device_id(self._handle_or_raise())

    def __index__(self) -> int:
        return self.id

    def attach(self, pt: ObjectId) -> int:
        """Attach (or replace the attachment) to an IOAS or HWPT; returns the
        HWPT now attached."""
        return _c.iommufd_device_attach(self._handle_or_raise(), oid(pt, "pt"))

    def detach(self) -> None:
        """Detach: the device's DMA is blocked."""
        _c.iommufd_device_detach(self._handle_or_raise())

    def pasid_attach(self, pasid: int, pt: ObjectId) -> int:
        """Attach PASID *pasid* to *pt* (Linux 6.15); returns the HWPT."""
        return _c.iommufd_device_pasid_attach(self._handle_or_raise(), pasid, oid(pt, "pt"))

    def pasid_detach(self, pasid: int) -> None:
        """Detach PASID *pasid*."""
        _c.iommufd_device_pasid_detach(self._handle_or_raise(), pasid)

    def info(self) -> DeviceInfo:
        """VFIO_DEVICE_GET_INFO."""
        i = _c.iommufd_device_get_info(self._handle_or_raise())
        return DeviceInfo(DeviceFlag(i.flags), i.num_regions, i.num_irqs)

    def region_info(self, index: int) -> RegionInfo:
        """Region *index* with its capabilities decoded."""
        r = _c.iommufd_device_region_info(self._handle_or_raise(), index)
        n = min(r.nr_areas, _c.IOMMUFD_REGION_MAX_SPARSE)
        areas = tuple((r.area_offset(i), r.area_size(i)) for i in range(n))
        return RegionInfo(r.index, RegionFlag(r.flags), r.size, r.offset, r.type, r.subtype,
                          bool(r.msix_mappable), areas)

    def read_region(self, index: int, offset: int, size: int) -> bytes:
        """Read *size* bytes at *offset* of region *index* (aligned 1/2/4/8
        byte reads are single accesses)."""
        buf = bytearray(size)
        _c.iommufd_device_region_read(self._handle_or_raise(), index, offset, buf)
        return bytes(buf)

    def write_region(self, index: int, offset: int, data: Any) -> None:
        """Write *data* at *offset* of region *index*."""
        _c.iommufd_device_region_write(self._handle_or_raise(), index, offset,
                                       byte_view(data, "data"))

    def mmap_region(self, index: int, offset: int, length: int,
                    prot: int = _mmap.PROT_READ | _mmap.PROT_WRITE) -> MappedRange:
        """Map [offset, offset + length) of region *index* (page aligned,
        inside one mmap-able area); close the result to unmap."""
        addr = _c.iommufd_device_region_mmap(self._handle_or_raise(), index, offset, length, prot)
        return MappedRange(addr, length, _c.iommufd_device_region_munmap)

    def irq_info(self, index: int) -> IrqInfo:
        """VFIO_DEVICE_GET_IRQ_INFO of IRQ index *index*."""
        i = _c.iommufd_device_irq_info(self._handle_or_raise(), index)
        return IrqInfo(i.index, IrqFlag(i.flags), i.count)

    def set_irq_eventfds(self, index: int, fds: Sequence[Any], start: int = 0) -> None:
        """Route vectors start.. of IRQ index *index* to eventfds *fds* (ints
        or objects with fileno(); -1 leaves a vector unrouted)."""
        packed = array.array("i", [f if isinstance(f, int) else fd_of(f) for f in fds])
        if not packed:
            raise ValueError("set_irq_eventfds: no fds (use disable_irq)")
        _c.iommufd_device_set_irq_eventfds(self._handle_or_raise(), index, start, packed)

    def disable_irq(self, index: int) -> None:
        """Disable IRQ index *index*."""
        _c.iommufd_device_set_irq_eventfds(self._handle_or_raise(), index, 0, b"")

    def reset(self) -> None:
        """VFIO_DEVICE_RESET."""
        _c.iommufd_device_reset(self._handle_or_raise())

    def __repr__(self) -> str:
        return "<Device closed>" if self._h is None else f"<Device fd={self.fileno()}>"
