# SPDX-License-Identifier: LGPL-2.1-or-later
"""UNSTABLE: the iommufd selftest mock (``IOMMU_TEST_CMD``), in kernels built
with ``CONFIG_IOMMUFD_TEST``: mock devices without hardware, and looks
inside the kernel (what a mock domain maps, pin counts, the mock IOTLB...).

The mock's interface is kernel-internal and changes between releases; so do
these wrappers of ``<libiommufd/testing.h>``.  Every call raises
:class:`NotSupportedError` ("needs CONFIG_IOMMUFD_TEST", or the op named)
when the kernel lacks the mock or the op.
"""

from __future__ import annotations

import enum
import os
import struct
from typing import Any, Optional

from . import libiommufd_c as _c
from ._base import ObjectId, byte_view, oid
from .enums import FaultPerm

__all__ = [
    "APERTURE_START", "APERTURE_LAST", "PAGE_SIZE", "DeviceFlag", "Op", "AccessFlag", "RwFlag",
    "op_supported", "MockDevice", "Access", "add_reserved", "check_map", "check_refs",
    "set_temp_memory_limit", "dirty", "check_iotlb", "check_dev_cache", "trigger_iopf",
    "trigger_vevent", "pasid_attach", "pasid_replace", "pasid_detach", "pasid_check_hwpt",
    "hwpt_data", "invalidate_entry", "viommu_invalidate_entry", "viommu_data",
    "INVALIDATE_ALL",
]

APERTURE_START: int = _c.IOMMUFD_TEST_APERTURE_START
APERTURE_LAST: int = _c.IOMMUFD_TEST_APERTURE_LAST
PAGE_SIZE: int = _c.IOMMUFD_TEST_PAGE_SIZE
#: flags of the mock's invalidation entries: every entry
INVALIDATE_ALL = 1


class DeviceFlag(enum.IntFlag):
    """Mock device flags."""

    NONE = 0
    NO_DIRTY = _c.IOMMUFD_TEST_DEVICE_NO_DIRTY
    PASID = _c.IOMMUFD_TEST_DEVICE_PASID


class AccessFlag(enum.IntFlag):
    """Flags of :class:`Access` (the mock's create-access flags)."""

    NONE = 0
    #: the access pins pages (:meth:`Access.pin`), as a driver that DMAs does
    NEEDS_PIN_PAGES = 1 << 0


class RwFlag(enum.IntFlag):
    """Flags of :meth:`Access.rw`."""

    NONE = 0
    WRITE = _c.IOMMUFD_TEST_RW_WRITE
    SLOW_PATH = _c.IOMMUFD_TEST_RW_SLOW_PATH


Op = enum.IntEnum("Op", {name[len("IOMMUFD_TEST_OP_"):]: getattr(_c, name)
                         for name in dir(_c) if name.startswith("IOMMUFD_TEST_OP_")})
Op.__doc__ = "Ops of the mock, for :func:`op_supported`."


def op_supported(ctx: Any, op: int) -> bool:
    """Does this kernel's mock know *op*?  (False without a mock.)"""
    return bool(_c.iommufd_test_op_supported(ctx._handle, int(op)))


class MockDevice:
    """A mock device, bound and attached to *pt* (an IOAS or HWPT).

    ``dev_id`` is its iommufd device ID (as VFIO bind gives), ``hwpt_id``
    the HWPT it was attached to, ``stdev_id`` the selftest object whose
    destruction unplugs it (:meth:`close`, or leaving a ``with`` block).
    """

    def __init__(self, ctx: Any, pt: ObjectId, flags: DeviceFlag = DeviceFlag.NONE) -> None:
        self._ctx = ctx
        self.stdev_id, self.hwpt_id, self.dev_id = _c.iommufd_test_mock_domain(
            ctx._handle, oid(pt, "pt"), int(flags))
        self.closed = False

    def __index__(self) -> int:
        return self.dev_id

    def replace(self, pt: ObjectId) -> int:
        """Move the device to *pt*; returns the HWPT now attached."""
        self.hwpt_id = _c.iommufd_test_mock_domain_replace(self._ctx._handle, self.stdev_id,
                                                           oid(pt, "pt"))
        return self.hwpt_id

    def close(self) -> None:
        """Unplug the device."""
        if not self.closed and not self._ctx.closed:
            self._ctx.destroy(self.stdev_id)
        self.closed = True

    def __enter__(self) -> "MockDevice":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<MockDevice dev_id={self.dev_id} stdev_id={self.stdev_id} hwpt_id={self.hwpt_id}>"


class Access:
    """An in-kernel access to an IOAS, as an emulated device driver has."""

    def __init__(self, ctx: Any, ioas: ObjectId,
                 flags: AccessFlag = AccessFlag.NEEDS_PIN_PAGES) -> None:
        self._ctx = ctx
        self.fd: Optional[int] = _c.iommufd_test_create_access(ctx._handle, oid(ioas, "ioas"),
                                                               int(flags))

    def _fd(self) -> int:
        if self.fd is None:
            raise ValueError("the access is closed")
        return self.fd

    def replace_ioas(self, ioas: ObjectId) -> None:
        """Move the access to another IOAS."""
        _c.iommufd_test_access_replace_ioas(self._ctx._handle, self._fd(), oid(ioas, "ioas"))

    def pin(self, iova: int, buffer: Any, flags: int = 0) -> int:
        """Pin [iova, iova + len(buffer)) and check it maps *buffer*;
        returns the pages ID for :meth:`unpin`."""
        view = byte_view(buffer)
        return _c.iommufd_test_access_pages(self._ctx._handle, self._fd(), iova, len(view),
                                            view, flags)

    def unpin(self, pages_id: int) -> None:
        """Release pages pinned by :meth:`pin`."""
        _c.iommufd_test_destroy_access_pages(self._ctx._handle, self._fd(), pages_id)

    def rw(self, iova: int, buffer: Any, flags: RwFlag = RwFlag.NONE) -> None:
        """Copy IOVA memory into *buffer*, or *buffer* to the IOVA with
        :attr:`RwFlag.WRITE`."""
        view = byte_view(buffer)
        if view.readonly:
            view = memoryview(bytearray(view))
        _c.iommufd_test_access_rw(self._ctx._handle, self._fd(), iova, view, int(flags))

    def close(self) -> None:
        """Destroy the access."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "Access":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def add_reserved(ctx: Any, ioas: ObjectId, start: int, length: int) -> None:
    """Reserve [start, start + length) in *ioas*, as a device would."""
    _c.iommufd_test_add_reserved(ctx._handle, oid(ioas, "ioas"), start, length)


def check_map(ctx: Any, hwpt: ObjectId, iova: int, buffer: Any) -> None:
    """Prove mock HWPT *hwpt* maps [iova, iova + len(buffer)) to *buffer*'s
    pages; raises :class:`InvalidArgumentError` where it does not."""
    view = byte_view(buffer)
    _c.iommufd_test_check_map(ctx._handle, oid(hwpt, "hwpt"), iova, len(view), view)


def check_refs(ctx: Any, buffer: Any, refs: int) -> None:
    """Prove *buffer*'s pages have *refs* pin references (EIO otherwise)."""
    _c.iommufd_test_check_refs(ctx._handle, byte_view(buffer), refs)


def set_temp_memory_limit(ctx: Any, limit: int) -> None:
    """Limit the pages the mock's storage may use (0 restores)."""
    _c.iommufd_test_set_temp_memory_limit(ctx._handle, limit)


def dirty(ctx: Any, hwpt: ObjectId, iova: int, length: int, page_size: int,
          bitmap: Any) -> int:
    """Mark dirty the pages of [iova, iova + length) whose bit is set in
    *bitmap*; returns how many were marked."""
    view = byte_view(bitmap, "bitmap")
    pages = length // page_size
    if len(view) * 8 < pages:
        raise ValueError(f"dirty: a bitmap of {len(view)} bytes is short of {pages} pages")
    return _c.iommufd_test_dirty(ctx._handle, oid(hwpt, "hwpt"), iova, length, page_size, view)


def check_iotlb(ctx: Any, hwpt: ObjectId, iotlb_id: int, expected: int) -> None:
    """Prove entry *iotlb_id* of nested mock HWPT *hwpt* holds *expected*."""
    _c.iommufd_test_check_iotlb(ctx._handle, oid(hwpt, "hwpt"), iotlb_id, expected)


def check_dev_cache(ctx: Any, device: ObjectId, cache_id: int, expected: int) -> None:
    """Prove cache entry *cache_id* of mock device *device* holds *expected*."""
    _c.iommufd_test_check_dev_cache(ctx._handle, oid(device, "device"), cache_id, expected)


def trigger_iopf(ctx: Any, device: ObjectId, addr: int, *, pasid: int = 0, grpid: int = 0,
                 perm: int = FaultPerm.READ) -> None:
    """Make mock device *device* raise a page request (Linux 6.11+)."""
    _c.iommufd_test_trigger_iopf(ctx._handle, oid(device, "device"), pasid, grpid, int(perm),
                                 addr)


def trigger_vevent(ctx: Any, device: ObjectId) -> None:
    """Make mock device *device* report a vIOMMU event (Linux 6.15+)."""
    _c.iommufd_test_trigger_vevent(ctx._handle, oid(device, "device"))


def pasid_attach(ctx: Any, mock: MockDevice, pasid: int, pt: ObjectId) -> None:
    """Attach *pasid* of mock device *mock* to *pt* (Linux 6.15+)."""
    _c.iommufd_test_pasid_attach(ctx._handle, mock.stdev_id, pasid, oid(pt, "pt"))


def pasid_replace(ctx: Any, mock: MockDevice, pasid: int, pt: ObjectId) -> None:
    """Replace the HWPT of *pasid* of *mock*."""
    _c.iommufd_test_pasid_replace(ctx._handle, mock.stdev_id, pasid, oid(pt, "pt"))


def pasid_detach(ctx: Any, mock: MockDevice, pasid: int) -> None:
    """Detach *pasid* of *mock*."""
    _c.iommufd_test_pasid_detach(ctx._handle, mock.stdev_id, pasid)


def pasid_check_hwpt(ctx: Any, mock: MockDevice, pasid: int, hwpt: ObjectId) -> None:
    """Prove *pasid* of *mock* is attached to *hwpt* (0: to none)."""
    _c.iommufd_test_pasid_check_hwpt(ctx._handle, mock.stdev_id, pasid, oid(hwpt, "hwpt"))


# ---- the mock's vendor data ------------------------------------------------------

def hwpt_data(iotlb: int) -> bytes:
    """Nested HWPT data of type SELFTEST: the IOTLB entries' initial value."""
    return struct.pack("=I", iotlb)


def invalidate_entry(iotlb_id: int, flags: int = 0) -> bytes:
    """A SELFTEST invalidation entry of a nested HWPT (flags INVALIDATE_ALL:
    every IOTLB entry)."""
    return struct.pack("=II", flags, iotlb_id)


def viommu_invalidate_entry(vdev_id: int, cache_id: int, flags: int = 0) -> bytes:
    """A SELFTEST invalidation entry of a vIOMMU: cache entry *cache_id* of
    the device with virtual ID *vdev_id*."""
    return struct.pack("=III", flags, vdev_id, cache_id)


def viommu_data(in_data: int) -> bytearray:
    """SELFTEST vIOMMU data (Linux 6.17): the kernel copies *in_data* to
    out_data and tells where its pages are: unpack the answer with
    ``struct.unpack("=IIQQ", viommu.data)``."""
    return bytearray(struct.pack("=IIQQ", in_data, 0, 0, 0))
