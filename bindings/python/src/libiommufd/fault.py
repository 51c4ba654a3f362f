# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fault queues (PAGE_REQUEST): page requests read in whole groups and
answered by cookie."""

from __future__ import annotations

import errno
import struct
from typing import TYPE_CHECKING, Any, Iterable, List, NamedTuple, Tuple, Union

from . import libiommufd_c as _c
from ._queue import KernelQueue, Pollable
from .enums import FaultFlag, FaultPerm, FaultResponse
from .errors import IommufdError

if TYPE_CHECKING:  # pragma: no cover
    from .ring import FaultRing

__all__ = ["Fault", "FaultGroup", "FaultQueue"]

_FAULT = struct.Struct("=IIIIIIQII")
_RESPONSE = struct.Struct("=II")
assert _FAULT.size == _c.SIZEOF_FAULT and _RESPONSE.size == _c.SIZEOF_FAULT_RESPONSE

#: The largest group a read grows its buffer for.
MAX_GROUP_RECORDS = 4096


class Fault(NamedTuple):
    """One page request (struct iommufd_fault)."""

    flags: FaultFlag
    dev_id: int
    pasid: int
    grpid: int
    perm: FaultPerm
    addr: int
    length: int
    cookie: int

    @classmethod
    def _unpack(cls, rec: Tuple[int, ...]) -> "Fault":
        flags, dev_id, pasid, grpid, perm, _res, addr, length, cookie = rec
        return cls(FaultFlag(flags), dev_id, pasid, grpid, FaultPerm(perm), addr, length, cookie)


class FaultGroup:
    """A page-request group: its records (the last has LAST_PAGE) and the
    cookie its one response names."""

    __slots__ = ("faults", "cookie", "_queue")

    def __init__(self, queue: "FaultQueue", faults: Tuple[Fault, ...], cookie: int) -> None:
        self.faults = faults
        self.cookie = cookie
        self._queue = queue

    def respond(self, code: FaultResponse = FaultResponse.SUCCESS) -> None:
        """Answer the group (once)."""
        self._queue.respond(self.cookie, code)

    def __len__(self) -> int:
        return len(self.faults)

    def __iter__(self):
        return iter(self.faults)

    def __repr__(self) -> str:
        return f"<FaultGroup cookie={self.cookie} records={len(self.faults)}>"


CookieLike = Union[int, FaultGroup]


def parse_groups(queue: "FaultQueue", buf: Any, count: int) -> List[FaultGroup]:
    """Split *count* records of *buf* into groups (iommufd_fault_next_group
    checks them: a malformed run raises EPROTO)."""
    view = memoryview(buf)[:count * _FAULT.size]
    records = [Fault._unpack(r) for r in _FAULT.iter_unpack(view)]
    groups, pos = [], 0
    while pos < count:
        start = pos
        _found, pos, (n, cookie) = _c.iommufd_fault_next_group(view, pos)
        groups.append(FaultGroup(queue, tuple(records[start:start + n]), cookie))
    return groups


def read_groups(queue: Any, take: Any, handle: Any, max_records: int) -> List[FaultGroup]:
    """Read with *take* (queue read or ring take), growing the buffer when
    the next group is larger than it."""
    if max_records <= 0:
        raise ValueError("max_records must be positive")
    if len(queue._buf) < max_records * _FAULT.size:
        queue._buf = bytearray(max_records * _FAULT.size)
    buf = memoryview(queue._buf)[:max_records * _FAULT.size]
    while True:
        try:
            count = take(handle, buf)
            break
        except IommufdError as e:
            if e.errno != errno.EMSGSIZE or len(buf) >= MAX_GROUP_RECORDS * _FAULT.size:
                raise
            queue._buf = bytearray(2 * len(buf))
            buf = memoryview(queue._buf)
    return parse_groups(queue._responder, buf, count)


def pack_responses(responses: Iterable[Union[CookieLike, Tuple[CookieLike, int]]]) -> bytes:
    out = []
    for r in responses:
        target, code = (r if isinstance(r, tuple) else (r, FaultResponse.SUCCESS))
        cookie = target.cookie if isinstance(target, FaultGroup) else int(target)
        out.append(_RESPONSE.pack(cookie, int(code)))
    return b"".join(out)


class FaultQueue(KernelQueue, Pollable[FaultGroup]):
    """A fault queue (``ctx.fault_queue()``).

    Give its :attr:`id` as ``fault_queue`` to :meth:`Context.hwpt_alloc`;
    the HWPT's page requests then arrive here.  Reading never blocks;
    iterate, :meth:`wait`, ``select`` on :meth:`fileno`, or ``async for``.
    Each group read is owed one response.
    """

    _fd_call = staticmethod(_c.iommufd_fault_queue_fd)
    _close_call = staticmethod(_c.iommufd_fault_queue_close)

    def __init__(self, ctx: Any) -> None:
        h = _c.iommufd_fault_queue_alloc(ctx._handle, None)
        self._adopt(ctx, h, _c.iommufd_fault_queue_id(h))
        self._buf = bytearray(64 * _FAULT.size)
        self._responder = self

    def read(self, max_records: int = 64) -> List[FaultGroup]:
        """The groups waiting now, whole, up to about *max_records* records
        (more when one group is bigger); ``[]`` when none waits."""
        return read_groups(self, _c.iommufd_fault_queue_read, self._handle_or_raise(),
                           max_records)

    def respond(self, group: CookieLike, code: FaultResponse = FaultResponse.SUCCESS) -> None:
        """Answer *group* (a :class:`FaultGroup` or its cookie) with *code*."""
        cookie = group.cookie if isinstance(group, FaultGroup) else int(group)
        _c.iommufd_fault_queue_respond(self._handle_or_raise(), cookie, int(code))

    def respond_batch(self, responses: Iterable[Union[CookieLike, Tuple[CookieLike, int]]]) -> int:
        """Answer several groups in one write: groups or cookies (SUCCESS),
        or (group, code) pairs.  All are checked before any is sent; returns
        how many the kernel took."""
        packed = pack_responses(responses)
        if not packed:
            return 0
        return _c.iommufd_fault_queue_respond_batch(self._handle_or_raise(), packed)

    @property
    def owed(self) -> int:
        """Groups read and not yet answered."""
        return _c.iommufd_fault_queue_owed(self._handle_or_raise())

    def close(self) -> None:
        """Close the queue; the kernel answers groups still owed INVALID.
        Raises :class:`BusyError` (after freeing the handle) while a HWPT
        still names the queue: its ID lives on until destroyed."""
        super().close()

    def ring(self, capacity: int = 0, *, thread: bool = True) -> "FaultRing":
        """A :class:`FaultRing` fed from this queue (read only through it from
        then on); *capacity* 0 takes the default, *thread* starts the
        library's pump thread."""
        from .ring import FaultRing

        return FaultRing(self, capacity, thread=thread)
