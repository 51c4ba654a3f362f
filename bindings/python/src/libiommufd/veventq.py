# SPDX-License-Identifier: LGPL-2.1-or-later
"""vEVENTQs: events a vIOMMU reports for its vDEVICEs, with losses counted."""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any, List, NamedTuple

from . import libiommufd_c as _c
from ._base import ObjectId, oid
from ._queue import KernelQueue, Pollable
from .enums import VeventFlag, VeventqType

if TYPE_CHECKING:  # pragma: no cover
    from .ring import VeventRing

__all__ = ["Vevent", "VeventQueue", "read_vevents"]

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


def read_vevents(owner: Any, take: Any, handle: Any, max_records: int) -> List[Vevent]:
    """Read up to *max_records* events with *take* (queue read or ring take)
    into *owner*'s buffer."""
    if max_records <= 0:
        raise ValueError("max_records must be positive")
    if len(owner._buf) < max_records * _VEVENT_SIZE:
        owner._buf = bytearray(max_records * _VEVENT_SIZE)
    view = memoryview(owner._buf)[:max_records * _VEVENT_SIZE]
    return parse_vevents(view, take(handle, view))


class VeventQueue(KernelQueue, Pollable[Vevent]):
    """A vEVENTQ (``viommu.veventq()`` / ``ctx.veventq()``).  Reading never
    blocks; iterate, :meth:`wait`, ``select`` on :meth:`fileno`, or
    ``async for``."""

    _fd_call = staticmethod(_c.iommufd_veventq_fd)
    _close_call = staticmethod(_c.iommufd_veventq_close)

    def __init__(self, ctx: Any, viommu: ObjectId, type: VeventqType, depth: int,
                 data_len: int = 0) -> None:
        opts = _c.iommufd_veventq_opts()
        opts.data_len = data_len
        h = _c.iommufd_veventq_alloc(ctx._handle, oid(viommu, "viommu"), int(type), depth, opts)
        self._adopt(ctx, h, _c.iommufd_veventq_id(h))
        self._buf = bytearray(64 * _VEVENT_SIZE)

    def read(self, max_records: int = 64) -> List[Vevent]:
        """Up to *max_records* waiting events; ``[]`` when none waits."""
        return read_vevents(self, _c.iommufd_veventq_read, self._handle_or_raise(), max_records)

    @property
    def lost(self) -> int:
        """Events lost in all, as counted by the reads so far."""
        return _c.iommufd_veventq_lost(self._handle_or_raise())

    def ring(self, capacity: int = 0, *, thread: bool = True) -> "VeventRing":
        """A :class:`VeventRing` fed from this queue (read only through it from
        then on); *capacity* 0 takes the default, *thread* starts the
        library's pump thread.  Closing the queue drops what the ring holds."""
        from .ring import VeventRing

        return VeventRing(self, capacity, thread=thread)
