# SPDX-License-Identifier: LGPL-2.1-or-later
"""The iommufd context: one open /dev/iommu and every object made through it."""

from __future__ import annotations

import os
import weakref
from typing import Any, Dict, List, Optional, Union

from . import libiommufd_c as _c
from ._base import ObjectId, oid, fd_of
from .enums import HwptDataType, HwptFlag, LogLevel, Option, ViommuType
from .errors import IommufdError
from .probe import ProbeMixin

__all__ = ["Context"]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class Context(ProbeMixin):
    """An open iommufd (``/dev/iommu``).

    The context owns every kernel object made through it: closing it
    destroys them all.  Use it as a context manager::

        with libiommufd.Context() as ctx, ctx.ioas() as ioas:
            iova = ioas.map(buf)

    A context may be shared by threads for map, unmap, copy and queries.
    Buffers mapped into its IOASes are kept alive (and cannot be resized or
    closed) until they are unmapped, their IOAS destroyed, or the context
    closed.
    """

    def __init__(self, path: Optional[PathLike] = None, *,
                 log_level: LogLevel = LogLevel.DEFAULT) -> None:
        """Open *path* (default ``/dev/iommu``).

        Raises :class:`FileNotFoundError` (an :class:`IommufdError`) when
        the kernel has no iommufd, :class:`PermissionError` without access.
        """
        self._h: Any = None
        self._init_state()
        self._h = _c._ctx_open(None if path is None else os.fsdecode(path), int(log_level))

    def _init_state(self) -> None:
        # ioas id -> [[iova, length, holder], ...]: what keeps mapped memory alive
        self._maps: Dict[int, List[list]] = {}
        # handles that must close before the context (queues, rings, devices)
        self._children: "weakref.WeakSet[Any]" = weakref.WeakSet()
        self._probe_init()

    @classmethod
    def adopt_fd(cls, fd: Any, *, log_level: LogLevel = LogLevel.DEFAULT) -> "Context":
        """A context owning *fd*, an iommufd another party opened (e.g. one
        received over a unix socket).  On success the context closes it."""
        self = cls.__new__(cls)
        self._h = None
        self._init_state()
        self._h = _c.iommufd_ctx_adopt_fd(fd_of(fd), None)
        if log_level != LogLevel.DEFAULT:
            _c.iommufd_ctx_set_log_level(self._h, int(log_level))
        return self

    # ---- lifetime -----------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._h is None

    @property
    def _handle(self) -> Any:
        h = self._h
        if h is None:
            raise ValueError("the iommufd context is closed")
        return h

    def close(self) -> None:
        """Close the context; the kernel destroys every object made through
        it.  Queues, rings and devices bound to it are closed first."""
        h, self._h = self._h, None
        if h is None:
            return
        for child in list(self._children):
            try:
                child._close_for_context()
            except IommufdError:
                pass
        _c.iommufd_ctx_close(h)
        self._maps.clear()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_h", None) is not None:
            try:
                self.close()
            except Exception:  # at interpreter exit the module may be gone
                pass

    def __repr__(self) -> str:
        return "<Context closed>" if self._h is None else f"<Context fd={self.fileno()}>"

    def fileno(self) -> int:
        """The context's fd (owned by the context: do not close it)."""
        return _c.iommufd_ctx_fd(self._handle)

    @property
    def last_error(self) -> str:
        """This thread's most recent failure sentence on this context."""
        return _c.iommufd_ctx_last_error(self._handle)

    @property
    def log_level(self) -> LogLevel:
        """The context's log level (the log goes to stderr)."""
        return LogLevel(_c.iommufd_ctx_get_log_level(self._handle))

    @log_level.setter
    def log_level(self, level: LogLevel) -> None:
        _c.iommufd_ctx_set_log_level(self._handle, int(level))

    def _adopt_child(self, child: Any) -> None:
        self._children.add(child)

    # ---- objects ------------------------------------------------------------

    def destroy(self, obj: ObjectId) -> None:
        """Destroy any kernel object by ID (IOMMU_DESTROY)."""
        object_id = oid(obj)
        _c.iommufd_destroy(self._handle, object_id)
        self._maps.pop(object_id, None)

    def ioas(self) -> "Ioas":
        """Allocate an empty IOAS (IOMMU_IOAS_ALLOC)."""
        return Ioas(self, _c.iommufd_ioas_alloc(self._handle))

    def ioas_from_id(self, ioas_id: int) -> "Ioas":
        """An :class:`Ioas` for an existing IOAS ID (e.g. the VFIO one)."""
        return Ioas(self, oid(ioas_id, "ioas_id"))

    def hwpt_alloc(self, device: ObjectId, pt: ObjectId, *, flags: HwptFlag = HwptFlag(0),
                   fault_queue: Optional[Any] = None,
                   data_type: HwptDataType = HwptDataType.NONE,
                   data: Optional[Any] = None) -> "Hwpt":
        """Allocate a HWPT for bound device *device* (IOMMU_HWPT_ALLOC).

        *pt* is an IOAS for a paging HWPT; a NEST_PARENT HWPT or a vIOMMU for
        a nested one, which takes vendor *data* (bytes) of *data_type*.
        *fault_queue* (a :class:`FaultQueue` or its ID) receives its page
        requests.
        """
        return hwpt_alloc(self, device, pt, flags, fault_queue, data_type, data)

    def fault_queue(self) -> "FaultQueue":
        """Allocate a fault queue (IOMMU_FAULT_QUEUE_ALLOC, Linux 6.11)."""
        return FaultQueue(self)

    def viommu_alloc(self, device: ObjectId, hwpt: ObjectId, type: ViommuType, *,
                     data: Optional[Any] = None) -> "Viommu":
        """Allocate a vIOMMU of *type* for the IOMMU behind *device* on
        NEST_PARENT HWPT *hwpt* (IOMMU_VIOMMU_ALLOC, Linux 6.13).  *data*
        (a writable buffer) is sent and receives the kernel's answer."""
        return viommu_alloc(self, device, hwpt, type, data)

    # ---- options and compat -----------------------------------------------------

    def get_option(self, option: Option, obj: ObjectId = 0) -> int:
        """Read *option* of the context (obj 0) or of an object."""
        return _c.iommufd_option_get(self._handle, int(option), oid(obj))

    def set_option(self, option: Option, value: int, obj: ObjectId = 0) -> None:
        """Change *option* of the context (obj 0) or of an object."""
        _c.iommufd_option_set(self._handle, int(option), oid(obj), int(value))

    @property
    def vfio_ioas(self) -> Optional["Ioas"]:
        """The IOAS of the legacy VFIO container API, or None; assign an
        IOAS (or None to clear)."""
        try:
            return Ioas(self, _c.iommufd_vfio_ioas_get(self._handle))
        except IommufdError as e:
            if e.errno == 19:  # ENODEV: none set
                return None
            raise

    @vfio_ioas.setter
    def vfio_ioas(self, ioas: Optional[ObjectId]) -> None:
        if ioas is None:
            _c.iommufd_vfio_ioas_clear(self._handle)
        else:
            _c.iommufd_vfio_ioas_set(self._handle, oid(ioas, "ioas"))

    def change_process(self) -> None:
        """Move the pins of every file-backed mapping to this process
        (IOMMU_IOAS_CHANGE_PROCESS, Linux 6.14)."""
        _c.iommufd_ioas_change_process(self._handle)

    # ---- what keeps mapped memory alive -------------------------------------------

    def _hold(self, ioas_id: int, iova: int, length: int, holder: Any) -> None:
        self._maps.setdefault(ioas_id, []).append([iova, length, holder])

    def _release(self, ioas_id: int, iova: int, length: int) -> None:
        """Forget the mappings of *ioas_id* inside [iova, iova + length)."""
        held = self._maps.get(ioas_id)
        if held:
            end = iova + length
            held[:] = [m for m in held if not (iova <= m[0] and m[0] + m[1] <= end)]

    def _holders(self, ioas_id: int, iova: int, length: int) -> List[Any]:
        end = iova + length
        return [m[2] for m in self._maps.get(ioas_id, ())
                if m[0] < end and iova < m[0] + m[1]]


from .fault import FaultQueue  # noqa: E402  (these import Context lazily)
from .hwpt import Hwpt, hwpt_alloc  # noqa: E402
from .ioas import Ioas  # noqa: E402
from .viommu import Viommu, viommu_alloc  # noqa: E402
