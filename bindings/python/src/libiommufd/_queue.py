# SPDX-License-Identifier: LGPL-2.1-or-later
"""What fault queues, vEVENTQs and rings share: an fd to wait on, reads that
never block, iteration, select/asyncio."""

from __future__ import annotations

import asyncio
import select
import weakref
from typing import Any, AsyncIterator, Generic, Iterator, List, Optional, TypeVar

T = TypeVar("T")


class Pollable(Generic[T]):
    """A source of records with an fd that is readable while records wait.

    Subclasses give :meth:`fileno` and :meth:`read` (non-blocking: ``[]``
    when nothing waits).  Iterating yields what waits now and stops when
    nothing does; :meth:`wait` blocks on the fd; :meth:`aread` and
    ``async for`` wait through the running asyncio loop.
    """

    def fileno(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def read(self, max_records: int = 64) -> List[T]:  # pragma: no cover - abstract
        raise NotImplementedError

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Wait until records wait (True) or *timeout* seconds pass (False)."""
        ready, _, _ = select.select([self.fileno()], [], [], timeout)
        return bool(ready)

    def __iter__(self) -> Iterator[T]:
        while True:
            batch = self.read()
            if not batch:
                return
            yield from batch

    async def aread(self, max_records: int = 64) -> List[T]:
        """Wait (through the running event loop) for records and read them."""
        while True:
            batch = self.read(max_records)
            if batch:
                return batch
            await _readable(self.fileno())

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            for item in await self.aread():
                yield item


async def _readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    fut: "asyncio.Future[None]" = loop.create_future()

    def ready() -> None:
        if not fut.done():
            fut.set_result(None)

    loop.add_reader(fd, ready)
    try:
        await fut
    finally:
        loop.remove_reader(fd)


class Handle:
    """A native handle closed once, by its owner or by its context."""

    _h: Any = None

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._h is None

    def _handle_or_raise(self) -> Any:
        h = self._h
        if h is None:
            raise ValueError(f"{type(self).__name__} is closed")
        return h

    def _close_for_context(self) -> None:
        self.close()

    def close(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_h", None) is not None:
            try:
                self.close()
            except Exception:
                pass


class KernelQueue(Handle):
    """A queue a context allocated (fault queue, vEVENTQ): a handle with an
    object ID and an fd, which rings may read from.  Subclasses name their
    C calls in ``_fd_call`` and ``_close_call``."""

    _fd_call: Any
    _close_call: Any

    def _adopt(self, ctx: Any, handle: Any, object_id: int) -> None:
        self._ctx = ctx
        self._h = handle
        self._id = object_id
        self._rings: "weakref.WeakSet[Any]" = weakref.WeakSet()
        ctx._adopt_child(self)

    @property
    def id(self) -> int:
        """The queue's object ID."""
        return self._id

    def __index__(self) -> int:
        return self._id

    def fileno(self) -> int:
        """The queue's fd: readable while records wait."""
        return type(self)._fd_call(self._handle_or_raise())

    def close(self) -> None:
        """Close the queue (its rings first: a ring must not outlive it)."""
        for ring in list(self._rings):
            ring.close()
        h, self._h = self._h, None
        if h is not None:
            type(self)._close_call(h)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"<{name} closed>" if self._h is None else f"<{name} id={self._id}>"
