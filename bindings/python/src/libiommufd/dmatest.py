# SPDX-License-Identifier: LGPL-2.1-or-later
"""The vfio_dmatest device: real DMA through iommufd, with no hardware.

The companion kernel module (``driver/``, ``insmod vfio_dmatest.ko
devices=N``) registers emulated VFIO devices whose DMA engine reaches
memory only through the IOAS they are attached to.  :class:`DmaTest` opens
one and programs its transfers, so a script can check that the bytes a
device moves end up where the IOAS says::

    with libiommufd.Context() as ctx, ctx.ioas() as ioas:
        src, dst = mmap.mmap(-1, 4096), mmap.mmap(-1, 4096)
        s, d = ioas.map(src), ioas.map(dst)
        with DmaTest(ctx, 0, ioas=ioas) as dt:
            r = dt.copy(s, d, 4096)          # r.status is DONE or ERROR
            assert dst[:] == src[:]

Map page-aligned memory (an ``mmap``): the device's access pins pages, so
the IOAS wants page-aligned IOVAs once it is attached.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple, Optional

from . import libiommufd_c as _c
from ._base import ObjectId, byte_view, oid
from ._queue import Handle
from .device import Device

__all__ = ["DmaTest", "DmaTestOp", "DmaTestFlag", "DmaTestStatus", "DmaTestErrorCode",
           "DmaTestResult"]


class DmaTestOp(enum.IntEnum):
    """What a transfer does (``enum iommufd_dmatest_op``)."""

    COPY = _c.IOMMUFD_DMATEST_COPY          #: length bytes src_iova -> dst_iova
    FILL = _c.IOMMUFD_DMATEST_FILL          #: the 8-byte pattern (LE) over dst_iova
    CHECKSUM = _c.IOMMUFD_DMATEST_CHECKSUM  #: FNV-1a 64 of src_iova


class DmaTestFlag(enum.IntFlag):
    """Flags of a transfer (``enum iommufd_dmatest_xfer_flag``)."""

    #: pin every page first (vfio_pin_pages) and copy through the pins
    PIN = _c.IOMMUFD_DMATEST_PIN
    #: stop before moving bytes until :meth:`DmaTest.release`
    HOLD = _c.IOMMUFD_DMATEST_HOLD


class DmaTestStatus(enum.IntEnum):
    """Where a transfer is (the device's STATUS register)."""

    IDLE = _c.IOMMUFD_DMATEST_IDLE
    BUSY = _c.IOMMUFD_DMATEST_BUSY
    HELD = _c.IOMMUFD_DMATEST_HELD
    DONE = _c.IOMMUFD_DMATEST_DONE
    ERROR = _c.IOMMUFD_DMATEST_ERROR


class DmaTestErrorCode(enum.IntEnum):
    """Why a transfer ended in ERROR (the device's ERROR register)."""

    NONE = _c.IOMMUFD_DMATEST_ERR_NONE
    INVALID = _c.IOMMUFD_DMATEST_ERR_INVALID      #: bad op or length, range wraps
    UNMAPPED = _c.IOMMUFD_DMATEST_ERR_UNMAPPED    #: fault_iova is not mapped
    READ_ONLY = _c.IOMMUFD_DMATEST_ERR_READ_ONLY  #: fault_iova is mapped read-only
    UNMAPPING = _c.IOMMUFD_DMATEST_ERR_UNMAPPING  #: unmapped under a pinned transfer
    DETACHED = _c.IOMMUFD_DMATEST_ERR_DETACHED    #: not attached, or detached meanwhile
    ABORTED = _c.IOMMUFD_DMATEST_ERR_ABORTED      #: abort(), reset or close
    NOMEM = _c.IOMMUFD_DMATEST_ERR_NOMEM
    IO = _c.IOMMUFD_DMATEST_ERR_IO                #: other; kernel_errno says which


def _enum(kind: Any, value: int) -> Any:
    """*value* as member of *kind*, or the plain int a newer device may send."""
    try:
        return kind(value)
    except ValueError:
        return value


class DmaTestResult(NamedTuple):
    """The device's view of the last transfer (``struct
    iommufd_dmatest_result``)."""

    status: DmaTestStatus
    error: DmaTestErrorCode     #: NONE unless status is ERROR
    kernel_errno: int           #: the kernel's errno behind the error, or 0
    fault_iova: int             #: ERROR: the first IOVA the device could not reach
    done_bytes: int             #: bytes moved (or checksummed) before it ended
    checksum: int               #: CHECKSUM: FNV-1a 64 of the source
    completions: int            #: transfers ended DONE since the device was created
    errors: int                 #: transfers ended ERROR since then
    pinned_pages: int           #: pages the device holds pinned now

    @classmethod
    def _from_c(cls, r: Any) -> "DmaTestResult":
        return cls(_enum(DmaTestStatus, r.status), _enum(DmaTestErrorCode, r.error),
                   r.kernel_errno, r.fault_iova, r.done_bytes, r.checksum, r.completions,
                   r.errors, r.pinned_pages)

    @property
    def ok(self) -> bool:
        """True when the transfer ended DONE."""
        return self.status == DmaTestStatus.DONE

    @property
    def error_name(self) -> str:
        """A word for :attr:`error` ("unmapped", "read-only"...)."""
        return _c.iommufd_dmatest_error_name(int(self.error))


def _timeout_ms(timeout: Optional[float]) -> int:
    """Seconds (None: no limit) as the C call's milliseconds."""
    if timeout is None:
        return -1
    if timeout < 0:
        raise ValueError("timeout must be >= 0 seconds, or None")
    return min(int(timeout * 1000 + 0.5), 0x7FFFFFFF)


class _DeviceView(Device):
    """The :class:`Device` a :class:`DmaTest` owns: closing it is the
    DmaTest's job, so :meth:`close` only lets go of it."""

    def close(self) -> None:
        self._h = None


class DmaTest(Handle):
    """An open vfio_dmatest instance (``DmaTest(ctx, index, ioas=...)``).

    Opening binds the device to *ctx*, checks it is the device this library
    knows, routes its completion and error interrupts to eventfds and, with
    *ioas* (an IOAS or HWPT), attaches it.  Then :meth:`copy`,
    :meth:`fill`, :meth:`checksum` (or :meth:`submit` and :meth:`wait`)
    program transfers; a transfer that ends in ERROR is no exception: its
    :class:`DmaTestResult` says why.  Failures of the calls themselves
    raise :class:`IommufdError` with the SDK's sentence.

    One transfer runs at a time; calls on one DmaTest must not race.
    Closing (or closing the context) aborts a pending transfer and drops
    its pins.
    """

    def __init__(self, ctx: Any, index: int = 0, *, ioas: Optional[ObjectId] = None,
                 mmap_registers: bool = True) -> None:
        opts = _c.iommufd_dmatest_open_opts()
        opts.pt_id = 0 if ioas is None else oid(ioas, "ioas")
        opts.no_mmap = 0 if mmap_registers else 1
        self._h = _c.iommufd_dmatest_open(ctx._handle, index, opts)
        self._ctx = ctx
        self._index = index
        self._device = _DeviceView(_c.iommufd_dmatest_device(self._h))
        self._device._ctx = ctx
        ctx._adopt_child(self)

    @classmethod
    def open(cls, ctx: Any, index: int = 0, *, ioas: Optional[ObjectId] = None,
             mmap_registers: bool = True) -> "DmaTest":
        """The same as ``DmaTest(ctx, index, ioas=ioas)``."""
        return cls(ctx, index, ioas=ioas, mmap_registers=mmap_registers)

    # ---- the module's instances ------------------------------------------------

    @staticmethod
    def count() -> int:
        """How many instances the loaded module has (0 when it is not
        loaded)."""
        return _c.iommufd_dmatest_count()

    @staticmethod
    def path(index: int) -> str:
        """The VFIO cdev of instance *index* (``/dev/vfio/devices/vfioN``).
        Raises :class:`IommufdError` (ENODEV) saying whether the module is
        not loaded or has fewer instances."""
        return _c.iommufd_dmatest_path(index)

    @staticmethod
    def host_checksum(buffer: Any) -> int:
        """The device's CHECKSUM (FNV-1a 64) of *buffer*, computed here, to
        compare with :attr:`DmaTestResult.checksum`."""
        return _c.iommufd_dmatest_checksum(byte_view(buffer))

    # ---- the device ------------------------------------------------------------------

    @property
    def index(self) -> int:
        """The instance number (``vfio_dmatest.<index>``)."""
        return self._index

    @property
    def device(self) -> Device:
        """The underlying VFIO device (owned by this DmaTest): attach,
        detach, reset, region and IRQ info."""
        self._handle_or_raise()
        return self._device

    @property
    def id(self) -> int:
        """The device ID the context knows it by."""
        return self.device.id

    def __index__(self) -> int:
        return self.id

    @property
    def max_length(self) -> int:
        """The longest transfer the device accepts (module parameter
        max_len)."""
        return _c.iommufd_dmatest_max_length(self._handle_or_raise())

    def completion_fileno(self) -> int:
        """The eventfd the completion interrupt signals (owned by the
        DmaTest), for select or an event loop; :meth:`wait` reads it."""
        return _c.iommufd_dmatest_completion_fd(self._handle_or_raise())

    def error_fileno(self) -> int:
        """The eventfd the error interrupt signals (owned by the DmaTest)."""
        return _c.iommufd_dmatest_error_fd(self._handle_or_raise())

    def close(self) -> None:
        """Close the device and its eventfds; the kernel aborts a pending
        transfer and drops its pins."""
        h, self._h = self._h, None
        if h is not None:
            self._device.close()
            _c.iommufd_dmatest_close(h)

    # ---- transfers -------------------------------------------------------------------

    def submit(self, op: DmaTestOp, *, src_iova: int = 0, dst_iova: int = 0, length: int,
               pattern: int = 0, flags: DmaTestFlag = DmaTestFlag(0)) -> None:
        """Program a transfer and ring the doorbell; returns once the device
        latched it (with HOLD: once it is held).  :meth:`wait` gives the
        outcome.  The library refuses a bad op, flag or length, or a range
        that wraps, before the device sees it (:class:`InvalidArgumentError`);
        :class:`BusyError` while a transfer runs or is held."""
        xfer = _c.iommufd_dmatest_xfer()
        xfer.op = int(op)
        xfer.flags = int(flags)
        xfer.src_iova = src_iova
        xfer.dst_iova = dst_iova
        xfer.length = length
        xfer.pattern = pattern & 0xFFFFFFFFFFFFFFFF
        _c.iommufd_dmatest_submit(self._handle_or_raise(), xfer)

    def wait(self, timeout: Optional[float] = None) -> DmaTestResult:
        """Wait (through the interrupt eventfds, the GIL released) until the
        transfer ends, at most *timeout* seconds (None: no limit).  Raises
        :class:`TimedOutError` (a :class:`TimeoutError`) when it has not
        ended, :class:`InvalidArgumentError` when nothing was submitted."""
        return DmaTestResult._from_c(
            _c.iommufd_dmatest_wait(self._handle_or_raise(), _timeout_ms(timeout)))

    def run(self, op: DmaTestOp, *, src_iova: int = 0, dst_iova: int = 0, length: int,
            pattern: int = 0, flags: DmaTestFlag = DmaTestFlag(0),
            timeout: Optional[float] = None) -> DmaTestResult:
        """:meth:`submit`, then :meth:`wait`."""
        self.submit(op, src_iova=src_iova, dst_iova=dst_iova, length=length, pattern=pattern,
                    flags=flags)
        return self.wait(timeout)

    def copy(self, src_iova: int, dst_iova: int, length: int, *,
             flags: DmaTestFlag = DmaTestFlag(0), timeout: Optional[float] = None
             ) -> DmaTestResult:
        """Copy *length* bytes from *src_iova* to *dst_iova* and wait."""
        return self.run(DmaTestOp.COPY, src_iova=src_iova, dst_iova=dst_iova, length=length,
                        flags=flags, timeout=timeout)

    def fill(self, dst_iova: int, length: int, pattern: int, *,
             flags: DmaTestFlag = DmaTestFlag(0), timeout: Optional[float] = None
             ) -> DmaTestResult:
        """Write the 8 bytes of *pattern* (little-endian), repeated, over
        *length* bytes at *dst_iova* and wait."""
        return self.run(DmaTestOp.FILL, dst_iova=dst_iova, length=length, pattern=pattern,
                        flags=flags, timeout=timeout)

    def checksum(self, src_iova: int, length: int, *, flags: DmaTestFlag = DmaTestFlag(0),
                 timeout: Optional[float] = None) -> DmaTestResult:
        """Let the device checksum *length* bytes at *src_iova* and wait;
        the result's :attr:`~DmaTestResult.checksum` is the FNV-1a 64
        :meth:`host_checksum` computes here."""
        return self.run(DmaTestOp.CHECKSUM, src_iova=src_iova, length=length, flags=flags,
                        timeout=timeout)

    def release(self) -> None:
        """Let a held transfer go on (:class:`InvalidArgumentError` when
        nothing is held)."""
        _c.iommufd_dmatest_release(self._handle_or_raise())

    def abort(self) -> None:
        """End the running or held transfer: it ends in ERROR, ABORTED
        (:class:`InvalidArgumentError` when there is nothing to abort)."""
        _c.iommufd_dmatest_abort(self._handle_or_raise())

    def status(self) -> DmaTestResult:
        """The registers now, without waiting."""
        return DmaTestResult._from_c(_c.iommufd_dmatest_status(self._handle_or_raise()))

    def __repr__(self) -> str:
        if self._h is None:
            return "<DmaTest closed>"
        return f"<DmaTest vfio_dmatest.{self._index} id={self.id}>"
