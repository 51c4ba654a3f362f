# SPDX-License-Identifier: LGPL-2.1-or-later
"""Rings: a fault queue's (or a vEVENTQ's) records moved into a lock-free
ring by a pump, so a consumer takes them without a syscall per record.

The pump runs on a thread of the library's own (``thread=True``) or from
the caller's loop (poll :meth:`pump_fileno`, call :meth:`pump`).  The
consumer waits on :meth:`fileno` (an eventfd) and reads; as every queue here
it iterates and works with ``select`` and asyncio.  When the ring is full
the pump leaves records in the kernel: none is dropped.
"""

from __future__ import annotations

from typing import Any, Dict, List

from . import libiommufd_c as _c
from ._queue import Handle, Pollable
from .fault import _FAULT, FaultGroup, FaultQueue, read_groups
from .veventq import _VEVENT_SIZE, Vevent, VeventQueue, read_vevents

__all__ = ["FaultRing", "VeventRing", "DEFAULT_CAPACITY", "MAX_CAPACITY"]

DEFAULT_CAPACITY: int = _c.IOMMUFD_RING_DEFAULT_CAPACITY
MAX_CAPACITY: int = _c.IOMMUFD_RING_MAX_CAPACITY

_STATS = ("pushed", "taken", "full", "pump_reads", "signals", "capacity")


def _opts(capacity: int, thread: bool) -> Any:
    opts = _c.iommufd_ring_opts()
    opts.capacity = capacity
    opts.flags = _c.IOMMUFD_RING_THREAD if thread else 0
    return opts


class _Ring(Handle):
    """What both rings share; subclasses name their C calls."""

    _new: Any
    _free: Any
    _eventfd: Any
    _pump_fd: Any
    _pump: Any
    _start: Any
    _stop: Any
    _stats: Any

    def __init__(self, queue: Any, capacity: int, thread: bool) -> None:
        self._queue = queue
        self._h = type(self)._new(queue._handle_or_raise(), _opts(capacity, thread))
        queue._rings.add(self)

    def fileno(self) -> int:
        """The consumer's eventfd: readable while records (or a pump
        failure) wait.  Do not read it: :meth:`read` clears it."""
        return type(self)._eventfd(self._handle_or_raise())

    def pump_fileno(self) -> int:
        """The producer's fd, for a pump run from the caller's loop:
        readable when :meth:`pump` has work."""
        return type(self)._pump_fd(self._handle_or_raise())

    def pump(self) -> int:
        """One producer step: move what the kernel queue holds into the ring
        as far as it fits; returns the records moved."""
        return type(self)._pump(self._handle_or_raise())

    def start(self) -> None:
        """Start the library's pump thread."""
        type(self)._start(self._handle_or_raise())

    def stop(self) -> None:
        """Stop the pump thread (records in the ring stay)."""
        type(self)._stop(self._handle_or_raise())

    def stats(self) -> Dict[str, int]:
        """What the ring has seen: pushed, taken, full, pump_reads, signals,
        capacity."""
        s = type(self)._stats(self._handle_or_raise())
        return {name: getattr(s, name) for name in _STATS}

    def close(self) -> int:
        """Stop the pump and free the ring (see the subclasses for what
        happens to records still in it)."""
        h, self._h = self._h, None
        if h is None:
            return 0
        self._queue._rings.discard(self)
        return type(self)._free(h)


class FaultRing(_Ring, Pollable[FaultGroup]):
    """A ring fed from a :class:`FaultQueue` (``FaultRing(queue)``), which
    is read only through the ring from then on.  Groups arrive whole; answer
    them on the queue (``group.respond()``).  Closing answers the groups
    still in the ring INVALID and returns how many."""

    _new = staticmethod(_c.iommufd_fault_ring_new)
    _free = staticmethod(_c.iommufd_fault_ring_free)
    _eventfd = staticmethod(_c.iommufd_fault_ring_eventfd)
    _pump_fd = staticmethod(_c.iommufd_fault_ring_pump_fd)
    _pump = staticmethod(_c.iommufd_fault_ring_pump)
    _start = staticmethod(_c.iommufd_fault_ring_start)
    _stop = staticmethod(_c.iommufd_fault_ring_stop)
    _stats = staticmethod(_c.iommufd_fault_ring_stats)

    def __init__(self, queue: FaultQueue, capacity: int = 0, *, thread: bool = True) -> None:
        super().__init__(queue, capacity, thread)
        self._buf = bytearray(64 * _FAULT.size)
        self._responder = queue

    def read(self, max_records: int = 64) -> List[FaultGroup]:
        """Take the groups in the ring, whole, up to about *max_records*
        records; ``[]`` when empty."""
        return read_groups(self, _c.iommufd_fault_ring_take, self._handle_or_raise(),
                           max_records)


class VeventRing(_Ring, Pollable[Vevent]):
    """A ring fed from a :class:`VeventQueue`; events keep their ``lost``
    counts.  Closing drops what the ring still holds and returns how many."""

    _new = staticmethod(_c.iommufd_vevent_ring_new)
    _free = staticmethod(_c.iommufd_vevent_ring_free)
    _eventfd = staticmethod(_c.iommufd_vevent_ring_eventfd)
    _pump_fd = staticmethod(_c.iommufd_vevent_ring_pump_fd)
    _pump = staticmethod(_c.iommufd_vevent_ring_pump)
    _start = staticmethod(_c.iommufd_vevent_ring_start)
    _stop = staticmethod(_c.iommufd_vevent_ring_stop)
    _stats = staticmethod(_c.iommufd_vevent_ring_stats)

    def __init__(self, queue: VeventQueue, capacity: int = 0, *, thread: bool = True) -> None:
        super().__init__(queue, capacity, thread)
        self._buf = bytearray(64 * _VEVENT_SIZE)

    def read(self, max_records: int = 64) -> List[Vevent]:
        """Take up to *max_records* events; ``[]`` when empty."""
        return read_vevents(self, _c.iommufd_vevent_ring_take, self._handle_or_raise(),
                            max_records)
