# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pieces every module uses: object IDs, buffers, kernel objects."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Optional, SupportsIndex, Union

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

#: An object ID, or any object standing for one (an :class:`Ioas`,
#: :class:`Hwpt`... has ``__index__``).
ObjectId = Union[int, SupportsIndex]


def oid(obj: ObjectId, what: str = "object") -> int:
    """The kernel object ID *obj* stands for."""
    try:
        value = operator.index(obj)
    except TypeError:
        raise TypeError(f"{what} must be an object ID (int) or an iommufd object, "
                        f"not {type(obj).__name__}") from None
    if not 0 <= value <= 0xFFFFFFFF:
        raise ValueError(f"{what} {value} is not a 32-bit object ID")
    return value


def byte_view(buffer: Any, what: str = "buffer") -> memoryview:
    """A flat byte view of *buffer* (any object with the buffer protocol)."""
    try:
        view = memoryview(buffer)
    except TypeError:
        raise TypeError(f"{what} must support the buffer protocol (bytearray, mmap, "
                        f"memoryview...), not {type(buffer).__name__}") from None
    if not view.c_contiguous:
        raise ValueError(f"{what} must be C-contiguous")
    if view.ndim != 1 or view.format != "B":
        view = view.cast("B")
    return view


def fd_of(file: Any) -> int:
    """An fd from an int or an object with ``fileno()``."""
    if isinstance(file, int):
        return file
    fileno = getattr(file, "fileno", None)
    if fileno is None:
        raise TypeError(f"expected an fd or an object with fileno(), not {type(file).__name__}")
    return int(fileno())


class KernelObject:
    """An iommufd object known by its ID (IOAS, HWPT, vIOMMU...).

    ``int(obj)`` is its ID, and the object may be passed wherever an ID is
    expected.  :meth:`destroy` (or leaving a ``with`` block) destroys it;
    otherwise it lives until its context closes.
    """

    __slots__ = ("_ctx", "_id")

    def __init__(self, ctx: "Context", object_id: int) -> None:
        self._ctx = ctx
        self._id: Optional[int] = object_id

    @property
    def id(self) -> int:
        """The kernel object ID."""
        if self._id is None:
            raise ValueError(f"{type(self).__name__} was destroyed")
        return self._id

    @property
    def context(self) -> "Context":
        """The context the object lives in."""
        return self._ctx

    def __index__(self) -> int:
        return self.id

    __int__ = __index__

    def destroy(self) -> None:
        """Destroy the kernel object (IOMMU_DESTROY); a second call does
        nothing.  Raises :class:`BusyError` while something still uses it."""
        if self._id is None or self._ctx.closed:
            self._id = None
            return
        self._ctx.destroy(self._id)
        self._id = None

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KernelObject):
            return self._ctx is other._ctx and self._id == other._id
        return NotImplemented

    def __hash__(self) -> int:
        return hash((id(self._ctx), self._id))

    def __repr__(self) -> str:
        state = "destroyed" if self._id is None else f"id={self._id}"
        return f"<{type(self).__name__} {state}>"
