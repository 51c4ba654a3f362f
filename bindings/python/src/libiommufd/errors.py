# SPDX-License-Identifier: LGPL-2.1-or-later
"""Errors: every failure of the SDK is an :class:`IommufdError`.

It is an :class:`OSError` carrying the errno the C call returned and, as
``strerror``, the sentence the SDK recorded (``iommufd_ctx_last_error()``),
e.g. ``"IOMMU_VIOMMU_ALLOC needs Linux 6.13 or newer (this kernel does not
know it)"``.  Common errnos get subclasses that also derive from the
matching built-in exception, so ``except FileNotFoundError`` catches
``ENOENT`` from here as it does from ``open()``.
"""

from __future__ import annotations

import errno as _errno
import re
from typing import Optional, Tuple

__all__ = [
    "IommufdError",
    "InvalidArgumentError",
    "NotFoundError",
    "ExistsError",
    "BusyError",
    "PermissionDeniedError",
    "NotSupportedError",
    "TimedOutError",
    "error_from_errno",
]

_NEEDS = re.compile(r"needs Linux (\d+)\.(\d+)")


class IommufdError(OSError):
    """A libiommufd call failed.

    Attributes:
        errno: the errno the C call returned (positive).
        strerror: the SDK's sentence saying what went wrong.
        function: the C function that failed, e.g. ``"iommufd_ioas_map"``.
        needs_release: ``(major, minor)`` when the sentence says the call
            needs a newer Linux release, else ``None``.
    """

    function: Optional[str] = None

    @property
    def needs_release(self) -> Optional[Tuple[int, int]]:
        m = _NEEDS.search(self.strerror or "")
        return (int(m.group(1)), int(m.group(2))) if m else None


class InvalidArgumentError(IommufdError, ValueError):
    """EINVAL: an argument (or an object ID's kind) was refused."""


class NotFoundError(IommufdError, FileNotFoundError):
    """ENOENT: no such object, or nothing mapped there."""


class ExistsError(IommufdError, FileExistsError):
    """EEXIST: the range is mapped already, or the object exists."""


class BusyError(IommufdError):
    """EBUSY: the object is still in use."""


class PermissionDeniedError(IommufdError, PermissionError):
    """EPERM / EACCES."""


class NotSupportedError(IommufdError):
    """EOPNOTSUPP: this kernel, IOMMU or device cannot do it; see
    :attr:`needs_release` for the release that brings it."""


class TimedOutError(IommufdError, TimeoutError):
    """ETIMEDOUT: what was waited for did not happen in time."""


_BY_ERRNO = {
    _errno.EINVAL: InvalidArgumentError,
    _errno.ENOENT: NotFoundError,
    _errno.EEXIST: ExistsError,
    _errno.EBUSY: BusyError,
    _errno.EPERM: PermissionDeniedError,
    _errno.EACCES: PermissionDeniedError,
    _errno.EOPNOTSUPP: NotSupportedError,
    _errno.ETIMEDOUT: TimedOutError,
}


def error_from_errno(err: int, sentence: str, function: Optional[str] = None) -> IommufdError:
    """The exception for ``errno`` *err* with the SDK's *sentence*."""
    exc = _BY_ERRNO.get(err, IommufdError)(err, sentence or _strerror(err))
    exc.function = function
    return exc


def _strerror(err: int) -> str:
    import os

    return os.strerror(err)
