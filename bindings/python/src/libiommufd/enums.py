# SPDX-License-Identifier: LGPL-2.1-or-later
"""The SDK's constants as Python enums (values taken from the C headers)."""

from __future__ import annotations

import enum

from . import libiommufd_c as _c


def _u32(value: int) -> int:
    """A C enum constant as the unsigned value the kernel sees (SWIG hands
    out C ints, so 0xdeadbeef arrives negative)."""
    return value & 0xFFFFFFFF

__all__ = [
    "LogLevel",
    "MapFlag",
    "Option",
    "HwptFlag",
    "HwptDataType",
    "InvalidateDataType",
    "DirtyFlag",
    "HwInfoType",
    "HwCap",
    "Command",
    "FieldDir",
    "Feature",
    "Features",
    "ViommuType",
    "HwQueueType",
    "FaultFlag",
    "FaultPerm",
    "FaultResponse",
    "VeventqType",
    "VeventFlag",
    "DeviceFlag",
    "RegionFlag",
    "IrqFlag",
    "PciRegion",
    "PciIrq",
]


class LogLevel(enum.IntEnum):
    """Log levels of a context (``IOMMUFD_LOG_*``); DEFAULT lets
    ``LIBIOMMUFD_LOG`` in the environment decide."""

    DEFAULT = _c.IOMMUFD_LOG_DEFAULT
    OFF = _c.IOMMUFD_LOG_OFF
    ERR = _c.IOMMUFD_LOG_ERR
    WARN = _c.IOMMUFD_LOG_WARN
    INFO = _c.IOMMUFD_LOG_INFO
    DEBUG = _c.IOMMUFD_LOG_DEBUG


class MapFlag(enum.IntFlag):
    """Flags of IOAS map and copy."""

    FIXED_IOVA = _c.IOMMUFD_MAP_FIXED_IOVA
    WRITEABLE = _c.IOMMUFD_MAP_WRITEABLE
    READABLE = _c.IOMMUFD_MAP_READABLE


class Option(enum.IntEnum):
    """Options of :meth:`Context.get_option` / :meth:`Context.set_option`."""

    RLIMIT_MODE = _c.IOMMUFD_OPTION_RLIMIT_MODE
    HUGE_PAGES = _c.IOMMUFD_OPTION_HUGE_PAGES


class HwptFlag(enum.IntFlag):
    """Flags of HWPT allocation."""

    NEST_PARENT = _c.IOMMUFD_HWPT_NEST_PARENT
    DIRTY_TRACKING = _c.IOMMUFD_HWPT_DIRTY_TRACKING
    PASID = _c.IOMMUFD_HWPT_PASID


class HwptDataType(enum.IntEnum):
    """Vendor data types of nested HWPTs."""

    NONE = _c.IOMMUFD_HWPT_DATA_NONE
    VTD_S1 = _c.IOMMUFD_HWPT_DATA_VTD_S1
    ARM_SMMUV3 = _c.IOMMUFD_HWPT_DATA_ARM_SMMUV3
    AMD_GUEST = _c.IOMMUFD_HWPT_DATA_AMD_GUEST
    SELFTEST = _u32(_c.IOMMUFD_HWPT_DATA_SELFTEST)


class InvalidateDataType(enum.IntEnum):
    """Invalidation entry types."""

    VTD_S1 = _c.IOMMUFD_INVALIDATE_DATA_VTD_S1
    VIOMMU_ARM_SMMUV3 = _c.IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3
    SELFTEST = _u32(_c.IOMMUFD_INVALIDATE_DATA_SELFTEST)


class DirtyFlag(enum.IntFlag):
    """Flags of :meth:`Hwpt.get_dirty_bitmap`."""

    NO_CLEAR = _c.IOMMUFD_DIRTY_NO_CLEAR
    MERGE = _c.IOMMUFD_DIRTY_MERGE
    CHUNKED = _c.IOMMUFD_DIRTY_CHUNKED


class HwInfoType(enum.IntEnum):
    """Which IOMMU a device sits behind (IOMMU_GET_HW_INFO)."""

    NONE = _c.IOMMUFD_HW_INFO_NONE
    INTEL_VTD = _c.IOMMUFD_HW_INFO_INTEL_VTD
    ARM_SMMUV3 = _c.IOMMUFD_HW_INFO_ARM_SMMUV3
    TEGRA241_CMDQV = _c.IOMMUFD_HW_INFO_TEGRA241_CMDQV
    AMD = _c.IOMMUFD_HW_INFO_AMD
    SELFTEST = _u32(_c.IOMMUFD_HW_INFO_SELFTEST)


class HwCap(enum.IntFlag):
    """Capability bits of IOMMU_GET_HW_INFO."""

    DIRTY_TRACKING = _c.IOMMUFD_HW_CAP_DIRTY_TRACKING
    PCI_PASID_EXEC = _c.IOMMUFD_HW_CAP_PCI_PASID_EXEC
    PCI_PASID_PRIV = _c.IOMMUFD_HW_CAP_PCI_PASID_PRIV
    PCI_ATS_NOT_SUPPORTED = _c.IOMMUFD_HW_CAP_PCI_ATS_NOT_SUPPORTED


class Command(enum.IntEnum):
    """iommufd command numbers."""

    DESTROY = _c.IOMMUFD_CMD_ID_DESTROY
    IOAS_ALLOC = _c.IOMMUFD_CMD_ID_IOAS_ALLOC
    IOAS_ALLOW_IOVAS = _c.IOMMUFD_CMD_ID_IOAS_ALLOW_IOVAS
    IOAS_COPY = _c.IOMMUFD_CMD_ID_IOAS_COPY
    IOAS_IOVA_RANGES = _c.IOMMUFD_CMD_ID_IOAS_IOVA_RANGES
    IOAS_MAP = _c.IOMMUFD_CMD_ID_IOAS_MAP
    IOAS_UNMAP = _c.IOMMUFD_CMD_ID_IOAS_UNMAP
    OPTION = _c.IOMMUFD_CMD_ID_OPTION
    VFIO_IOAS = _c.IOMMUFD_CMD_ID_VFIO_IOAS
    HWPT_ALLOC = _c.IOMMUFD_CMD_ID_HWPT_ALLOC
    GET_HW_INFO = _c.IOMMUFD_CMD_ID_GET_HW_INFO
    HWPT_SET_DIRTY_TRACKING = _c.IOMMUFD_CMD_ID_HWPT_SET_DIRTY_TRACKING
    HWPT_GET_DIRTY_BITMAP = _c.IOMMUFD_CMD_ID_HWPT_GET_DIRTY_BITMAP
    HWPT_INVALIDATE = _c.IOMMUFD_CMD_ID_HWPT_INVALIDATE
    FAULT_QUEUE_ALLOC = _c.IOMMUFD_CMD_ID_FAULT_QUEUE_ALLOC
    IOAS_MAP_FILE = _c.IOMMUFD_CMD_ID_IOAS_MAP_FILE
    VIOMMU_ALLOC = _c.IOMMUFD_CMD_ID_VIOMMU_ALLOC
    VDEVICE_ALLOC = _c.IOMMUFD_CMD_ID_VDEVICE_ALLOC
    IOAS_CHANGE_PROCESS = _c.IOMMUFD_CMD_ID_IOAS_CHANGE_PROCESS
    VEVENTQ_ALLOC = _c.IOMMUFD_CMD_ID_VEVENTQ_ALLOC
    HW_QUEUE_ALLOC = _c.IOMMUFD_CMD_ID_HW_QUEUE_ALLOC


class FieldDir(enum.IntEnum):
    """How the kernel uses a command field."""

    IN = _c.IOMMUFD_FIELD_IN
    OUT = _c.IOMMUFD_FIELD_OUT
    INOUT = _c.IOMMUFD_FIELD_INOUT
    RESERVED = _c.IOMMUFD_FIELD_RESERVED


class Feature(enum.IntEnum):
    """Features the probe answers about (names of the original IOMMU uAPI
    proposal where it had one)."""

    BIND_PGTBL = _c.IOMMUFD_FEATURE_BIND_PGTBL
    BIND_PASID_TABLE = _c.IOMMUFD_FEATURE_BIND_PASID_TABLE
    CACHE_INVLD = _c.IOMMUFD_FEATURE_CACHE_INVLD
    PAGE_REQUEST = _c.IOMMUFD_FEATURE_PAGE_REQUEST
    PASID = _c.IOMMUFD_FEATURE_PASID
    SYSWIDE_PASID = _c.IOMMUFD_FEATURE_SYSWIDE_PASID
    DIRTY_TRACKING = _c.IOMMUFD_FEATURE_DIRTY_TRACKING
    NEST_PARENT = _c.IOMMUFD_FEATURE_NEST_PARENT
    VIOMMU = _c.IOMMUFD_FEATURE_VIOMMU
    VEVENTQ = _c.IOMMUFD_FEATURE_VEVENTQ
    HW_QUEUE = _c.IOMMUFD_FEATURE_HW_QUEUE
    MAP_FILE = _c.IOMMUFD_FEATURE_MAP_FILE
    CHANGE_PROCESS = _c.IOMMUFD_FEATURE_CHANGE_PROCESS

    @property
    def flag(self) -> "Features":
        """This feature as a member of :class:`Features`."""
        return Features[self.name]


class Features(enum.Flag):
    """A set of :class:`Feature` s, e.g. what a host supports."""

    BIND_PGTBL = 1 << Feature.BIND_PGTBL
    BIND_PASID_TABLE = 1 << Feature.BIND_PASID_TABLE
    CACHE_INVLD = 1 << Feature.CACHE_INVLD
    PAGE_REQUEST = 1 << Feature.PAGE_REQUEST
    PASID = 1 << Feature.PASID
    SYSWIDE_PASID = 1 << Feature.SYSWIDE_PASID
    DIRTY_TRACKING = 1 << Feature.DIRTY_TRACKING
    NEST_PARENT = 1 << Feature.NEST_PARENT
    VIOMMU = 1 << Feature.VIOMMU
    VEVENTQ = 1 << Feature.VEVENTQ
    HW_QUEUE = 1 << Feature.HW_QUEUE
    MAP_FILE = 1 << Feature.MAP_FILE
    CHANGE_PROCESS = 1 << Feature.CHANGE_PROCESS


class ViommuType(enum.IntEnum):
    """vIOMMU types."""

    DEFAULT = _c.IOMMUFD_VIOMMU_TYPE_DEFAULT
    ARM_SMMUV3 = _c.IOMMUFD_VIOMMU_TYPE_ARM_SMMUV3
    TEGRA241_CMDQV = _c.IOMMUFD_VIOMMU_TYPE_TEGRA241_CMDQV
    SELFTEST = _u32(_c.IOMMUFD_VIOMMU_TYPE_SELFTEST)


class HwQueueType(enum.IntEnum):
    """HW queue types."""

    DEFAULT = _c.IOMMUFD_HW_QUEUE_TYPE_DEFAULT
    TEGRA241_CMDQV = _c.IOMMUFD_HW_QUEUE_TYPE_TEGRA241_CMDQV
    SELFTEST = _u32(_c.IOMMUFD_HW_QUEUE_TYPE_SELFTEST)


class FaultFlag(enum.IntFlag):
    """Flags of a page request."""

    PASID_VALID = _c.IOMMUFD_FAULT_PASID_VALID
    LAST_PAGE = _c.IOMMUFD_FAULT_LAST_PAGE


class FaultPerm(enum.IntFlag):
    """The access a page request asks for."""

    READ = _c.IOMMUFD_FAULT_PERM_READ
    WRITE = _c.IOMMUFD_FAULT_PERM_WRITE
    EXEC = _c.IOMMUFD_FAULT_PERM_EXEC
    PRIV = _c.IOMMUFD_FAULT_PERM_PRIV


class FaultResponse(enum.IntEnum):
    """Answers to a page-request group."""

    SUCCESS = _c.IOMMUFD_FAULT_RESP_SUCCESS
    INVALID = _c.IOMMUFD_FAULT_RESP_INVALID


class VeventqType(enum.IntEnum):
    """vEVENTQ types."""

    DEFAULT = _c.IOMMUFD_VEVENTQ_TYPE_DEFAULT
    ARM_SMMUV3 = _c.IOMMUFD_VEVENTQ_TYPE_ARM_SMMUV3
    TEGRA241_CMDQV = _c.IOMMUFD_VEVENTQ_TYPE_TEGRA241_CMDQV
    SELFTEST = _u32(_c.IOMMUFD_VEVENTQ_TYPE_SELFTEST)


class VeventFlag(enum.IntFlag):
    """Flags of a vEVENT."""

    LOST = _c.IOMMUFD_VEVENT_LOST
    TRUNCATED = _c.IOMMUFD_VEVENT_TRUNCATED


class DeviceFlag(enum.IntFlag):
    """VFIO device flags (VFIO_DEVICE_FLAGS_*)."""

    RESET = _c.IOMMUFD_DEVICE_FLAG_RESET
    PCI = _c.IOMMUFD_DEVICE_FLAG_PCI
    PLATFORM = _c.IOMMUFD_DEVICE_FLAG_PLATFORM
    CAPS = _c.IOMMUFD_DEVICE_FLAG_CAPS


class RegionFlag(enum.IntFlag):
    """VFIO region flags."""

    READ = _c.IOMMUFD_REGION_READ
    WRITE = _c.IOMMUFD_REGION_WRITE
    MMAP = _c.IOMMUFD_REGION_MMAP
    CAPS = _c.IOMMUFD_REGION_CAPS


class IrqFlag(enum.IntFlag):
    """VFIO IRQ flags."""

    EVENTFD = _c.IOMMUFD_IRQ_EVENTFD
    MASKABLE = _c.IOMMUFD_IRQ_MASKABLE
    AUTOMASKED = _c.IOMMUFD_IRQ_AUTOMASKED
    NORESIZE = _c.IOMMUFD_IRQ_NORESIZE


class PciRegion(enum.IntEnum):
    """Region indexes of a vfio-pci device."""

    BAR0 = _c.IOMMUFD_PCI_BAR0_REGION
    BAR1 = _c.IOMMUFD_PCI_BAR1_REGION
    BAR2 = _c.IOMMUFD_PCI_BAR2_REGION
    BAR3 = _c.IOMMUFD_PCI_BAR3_REGION
    BAR4 = _c.IOMMUFD_PCI_BAR4_REGION
    BAR5 = _c.IOMMUFD_PCI_BAR5_REGION
    ROM = _c.IOMMUFD_PCI_ROM_REGION
    CONFIG = _c.IOMMUFD_PCI_CONFIG_REGION
    VGA = _c.IOMMUFD_PCI_VGA_REGION


class PciIrq(enum.IntEnum):
    """IRQ indexes of a vfio-pci device."""

    INTX = _c.IOMMUFD_PCI_INTX_IRQ
    MSI = _c.IOMMUFD_PCI_MSI_IRQ
    MSIX = _c.IOMMUFD_PCI_MSIX_IRQ
    ERR = _c.IOMMUFD_PCI_ERR_IRQ
    REQ = _c.IOMMUFD_PCI_REQ_IRQ
