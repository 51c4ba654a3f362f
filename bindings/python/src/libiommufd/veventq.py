# SPDX-License-Identifier: LGPL-2.1-or-later
"""vEVENTQs: events a vIOMMU reports for its vDEVICEs, with losses counted."""

from __future__ import annotations

import struct
import weakref
from typing import TYPE_CHECKING, Any, List, NamedTuple

from . import libiommufd_c as _c
from ._base import ObjectId, oid
from ._queue import Handle, Pollable
from .enums import VeventFlag, VeventqType

if TYPE_CHECKING:  # pragma: no cover
    from .ring import VeventRing

__all__ = ["Vevent", "VeventQueue"]

_HEAD = struct.Struct("=IIII")
_DATA_MAX = _c.IOMMUFD_VEVENT_DATA_MAX
_VEVENT_SIZE = _HEAD.size + _DATA_MAX
assert _VEVENT_SIZE == _c.SIZEOF_VEVENT


class Vevent(NamedTuple):
    """One event (struct iommufd_vevent).

    ``lost`` counts the events the kernel dropped just before this one;
    ``data`` is the vendor record (at most 64 bytes: see TRUNCATED).
    """

    flags: VeventFlag
    sequence: int
    lost: int
    data_len: int
    data: bytes


def parse_vevents(buf: Any, count: int) -> List[Vevent]:
    view = memoryview(buf)
    out = []
    for i in range(count):
        base = i * _VEVENT_SIZE
        flags, seq, lost, data_len = _HEAD.unpack_from(view, base)
        start = base + _HEAD.size
        data = bytes(view[start:start + min(data_len, _DATA_MAX)])
        out.append(Vevent(VeventFlag(flags), seq, lost, data_len, data))
    return out


class VeventQueue(Handle, Pollable[Vevent]):
    """A vEVENTQ (``viommu.veventq()`` / ``ctx.veventq()``).  Reading never
    blocks; iterate, :meth:`wait`, ``select`` on :meth:`fileno`, or
    ``async for``."""

    def __init__(self, ctx: Any, viommu: ObjectId, type: VeventqType, depth: int,
                 data_len: int = 0) -> None:
        self._ctx = ctx
        opts = _c.iommufd_veventq_opts()
        opts.data_len = data_len
        self._h = _c.iommufd_veventq_alloc(ctx._handle, oid(viommu, "viommu"), int(type),
                                           depth, opts)
        self._id = _c.iommufd_veventq_id(self._h)
        self._buf = bytearray(64 * _VEVENT_SIZE)
        self._rings: "weakref.WeakSet[Any]" = weakref.WeakSet()
        ctx._adopt_child(self)

    @property
    def id(self) -> int:
        """The queue's object ID."""
        return self._id

    def __index__(self) -> int:
        return self._id

    def fileno(self) -> int:
        """The queue's fd: readable while events wait."""
        return _c.iommufd_veventq_fd(self._handle_or_raise())

    def read(self, max_records: int = 64) -> List[Vevent]:
        """Up to *max_records* waiting events; ``[]`` when none waits."""
        if max_records <= 0:
            raise ValueError("max_records must be positive")
        if len(self._buf) < max_records * _VEVENT_SIZE:
            self._buf = bytearray(max_records * _VEVENT_SIZE)
        view = memoryview(self._buf)[:max_records * _VEVENT_SIZE]
        count = _c.iommufd_veventq_read(self._handle_or_raise(), view)
        return parse_vevents(view, count)

    @property
    def lost(self) -> int:
        """Events lost in all, as counted by the reads so far."""
        return _c.iommufd_veventq_lost(self._handle_or_raise())

    def close(self) -> None:
        """Close and destroy the queue; events still queued are dropped."""
        for ring in list(self._rings):
            ring.close()  # a ring must not outlive its queue
        h, self._h = self._h, None
        if h is not None:
            _c.iommufd_veventq_close(h)

    def ring(self, capacity: int = 0, *, thread: bool = True) -> "VeventRing":
        """A :class:`VeventRing` fed from this queue (read only through it from
        then on); *capacity* 0 takes the default, *thread* starts the
        library's pump thread."""
        from .ring import VeventRing

        return VeventRing(self, capacity, thread=thread)

    def __repr__(self) -> str:
        return "<VeventQueue closed>" if self._h is None else f"<VeventQueue id={self._id}>"
