# SPDX-License-Identifier: LGPL-2.1-or-later
"""libiommufd: Linux iommufd (``/dev/iommu``) from Python.

An idiomatic layer over the libiommufd C SDK::

    import mmap, libiommufd

    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        buf = mmap.mmap(-1, 1 << 20)
        iova = ioas.map(buf)          # pinned, kept alive until unmapped
        ioas.unmap(iova, len(buf))

Every failure raises an :class:`IommufdError` (an :class:`OSError`) with
the errno and the SDK's sentence.  The selftest mock is in
:mod:`libiommufd.testing`.
"""

from __future__ import annotations

try:
    from . import libiommufd_c as _c
except ImportError as e:  # pragma: no cover - depends on the build
    raise ImportError(
        "libiommufd: the compiled module is missing or cannot load libiommufd.so "
        f"({e}); build the package with pip or with the CMake option LIBIOMMUFD_BINDINGS"
    ) from e

from .errors import (BusyError, ExistsError, InvalidArgumentError, IommufdError,
                     NotFoundError, NotSupportedError, PermissionDeniedError, TimedOutError,
                     error_from_errno)

# Every negative errno of the C layer raises through this, in C.
_c._set_error_factory(error_from_errno)

from .enums import (Command, DeviceFlag, DirtyFlag, FaultFlag, FaultPerm,  # noqa: E402
                    FaultResponse, Feature, Features, FieldDir, HwCap, HwInfoType,
                    HwptDataType, HwptFlag, HwQueueType, InvalidateDataType, IrqFlag,
                    LogLevel, MapFlag, Option, PciIrq, PciRegion, RegionFlag, VeventFlag,
                    VeventqType, ViommuType)
from .context import Context  # noqa: E402
from .device import Device, DeviceInfo, IrqInfo, RegionInfo  # noqa: E402
from .dmatest import (DmaTest, DmaTestErrorCode, DmaTestFlag, DmaTestOp,  # noqa: E402
                      DmaTestResult, DmaTestStatus)
from .fault import Fault, FaultGroup, FaultQueue  # noqa: E402
from .hwpt import Hwpt  # noqa: E402
from .ioas import Ioas, IovaRange  # noqa: E402
from .ring import FaultRing, VeventRing  # noqa: E402
from .probe import (CommandDesc, FeatureStatus, FieldDesc, HwInfo, command,  # noqa: E402
                    commands, feature_name)
from .veventq import Vevent, VeventQueue  # noqa: E402
from .viommu import HwQueue, MappedRange, Vdevice, Viommu  # noqa: E402

__version__: str = _c.iommufd_version_string()


def version() -> str:
    """The version of the C library in use."""
    return _c.iommufd_version_string()


__all__ = [
    "Context", "Ioas", "IovaRange", "Hwpt", "Device", "DeviceInfo", "RegionInfo", "IrqInfo",
    "FaultQueue", "FaultGroup", "Fault", "FaultRing", "VeventQueue", "Vevent", "VeventRing", "Viommu", "Vdevice",
    "HwQueue", "MappedRange", "FeatureStatus", "HwInfo", "CommandDesc", "FieldDesc",
    "command", "commands", "feature_name", "version",
    "IommufdError", "InvalidArgumentError", "NotFoundError", "ExistsError", "BusyError",
    "PermissionDeniedError", "NotSupportedError", "TimedOutError",
    "DmaTest", "DmaTestOp", "DmaTestFlag", "DmaTestStatus", "DmaTestErrorCode", "DmaTestResult",
    "Command", "DeviceFlag", "DirtyFlag", "FaultFlag", "FaultPerm", "FaultResponse",
    "Feature", "Features", "FieldDir", "HwCap", "HwInfoType", "HwptDataType", "HwptFlag",
    "HwQueueType", "InvalidateDataType", "IrqFlag", "LogLevel", "MapFlag", "Option",
    "PciIrq", "PciRegion", "RegionFlag", "VeventFlag", "VeventqType", "ViommuType",
]
