package iommufd

import (
	"context"
	"errors"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
	"golang.org/x/sys/unix"
)

// The vfio_dmatest device: an emulated VFIO device from the companion
// kernel module (driver/, `insmod vfio_dmatest.ko devices=N`) whose DMA
// engine reaches memory only through the IOAS it is attached to, so a
// program can check that the bytes a device moves end up where the IOAS
// says, with no hardware.  Map page-aligned memory (a Buffer): the
// device's access pins pages, so the IOAS wants page-aligned IOVAs.

// DMATestOp is what a transfer does (enum iommufd_dmatest_op).
type DMATestOp uint32

// Operations of a transfer.
const (
	DMATestOpCopy     DMATestOp = 1 // Length bytes SrcIOVA -> DstIOVA
	DMATestOpFill     DMATestOp = 2 // Pattern (8 bytes, little-endian), repeated over DstIOVA
	DMATestOpChecksum DMATestOp = 3 // FNV-1a 64 of SrcIOVA into DMATestResult.Checksum
)

// DMATestFlags are the flags of a transfer (enum
// iommufd_dmatest_xfer_flag).
type DMATestFlags uint32

// Flags of a transfer.
const (
	// DMATestPin pins every page first (vfio_pin_pages) and copies
	// through the pins, instead of iommufd_access_rw chunk by chunk.
	DMATestPin DMATestFlags = 1 << 8
	// DMATestHold stops the transfer before it moves bytes (after
	// pinning) until Release; Submit returns once it is held.
	DMATestHold DMATestFlags = 1 << 9
)

// DMATestStatus is where a transfer is (the device's STATUS register).
type DMATestStatus uint32

// Statuses of a transfer.
const (
	DMATestIdle DMATestStatus = iota
	DMATestBusy
	DMATestHeld
	DMATestDone
	DMATestFailed // ended in error: DMATestResult.Error says why
)

var dmaTestStatusNames = [...]string{"idle", "busy", "held", "done", "failed"}

func (s DMATestStatus) String() string {
	if int(s) < len(dmaTestStatusNames) {
		return dmaTestStatusNames[s]
	}
	return "status " + strconv.FormatUint(uint64(s), 10)
}

// DMATestErrorCode is why a transfer failed (the device's ERROR
// register, enum iommufd_dmatest_error).
type DMATestErrorCode uint32

// Why a transfer failed.
const (
	DMATestErrNone      DMATestErrorCode = 0
	DMATestErrInvalid   DMATestErrorCode = 1 // bad op or length, range wraps
	DMATestErrUnmapped  DMATestErrorCode = 2 // FaultIOVA is not mapped
	DMATestErrReadOnly  DMATestErrorCode = 3 // FaultIOVA is mapped read-only
	DMATestErrUnmapping DMATestErrorCode = 4 // FaultIOVA was unmapped under a pinned transfer
	DMATestErrDetached  DMATestErrorCode = 5 // not attached, or detached meanwhile
	DMATestErrAborted   DMATestErrorCode = 6 // Abort, Reset or Close
	DMATestErrNoMem     DMATestErrorCode = 7
	DMATestErrIO        DMATestErrorCode = 8 // other; KernelErrno says which
)

// String returns the C library's word for the code ("unmapped",
// "read-only"...).
func (e DMATestErrorCode) String() string { return cgen.Iommufd_dmatest_error_name(uint32(e)) }

// DMATestResult is the device's view of the last transfer (struct
// iommufd_dmatest_result).
type DMATestResult struct {
	Status      DMATestStatus    `json:"status"`
	Error       DMATestErrorCode `json:"error"`        // DMATestErrNone unless Status is DMATestFailed
	KernelErrno syscall.Errno    `json:"kernel_errno"` // the kernel's errno behind Error, or 0
	FaultIOVA   uint64           `json:"fault_iova"`   // the first IOVA the device could not reach
	DoneBytes   uint64           `json:"done_bytes"`   // bytes moved (or checksummed) before it ended
	Checksum    uint64           `json:"checksum"`     // DMATestOpChecksum: FNV-1a 64 of the source
	Completions uint64           `json:"completions"`  // transfers ended done since the device was created
	Errors      uint64           `json:"errors"`       // transfers ended failed since then
	PinnedPages uint64           `json:"pinned_pages"` // pages the device holds pinned now
}

// OK reports whether the transfer ended done.
func (r DMATestResult) OK() bool { return r.Status == DMATestDone }

// DMATestTransfer is one transfer (struct iommufd_dmatest_xfer).
type DMATestTransfer struct {
	Op      DMATestOp
	Flags   DMATestFlags
	SrcIOVA uint64 // DMATestOpCopy, DMATestOpChecksum: where the device reads
	DstIOVA uint64 // DMATestOpCopy, DMATestOpFill: where the device writes
	Length  uint64 // 1 .. MaxLength()
	Pattern uint64 // DMATestOpFill
}

// DMATestOptions are the options of OpenDMATest.
type DMATestOptions struct {
	PT     uint32 // an IOAS or HWPT to attach the device to at once (0: none)
	NoMmap bool   // read the registers with pread instead of mapping them
}

// DMATestCount returns how many vfio_dmatest instances the loaded module
// has (0 when it is not loaded).
func DMATestCount() (int, error) {
	const op = "iommufd_dmatest_count"
	begin()
	n := cgen.Iommufd_dmatest_count()
	if err := end(op, int64(n)); err != nil {
		return 0, err
	}
	return n, nil
}

// DMATestPath returns the VFIO cdev of instance index
// (/dev/vfio/devices/vfioN).  syscall.ENODEV, with a sentence saying
// whether the module is not loaded or has fewer instances.
func DMATestPath(index uint) (string, error) {
	const op = "iommufd_dmatest_path"
	var buf [4096]byte
	begin()
	if err := end(op, int64(cgen.Iommufd_dmatest_path(index, unsafe.Pointer(&buf[0]), int64(len(buf))))); err != nil {
		return "", err
	}
	return unix.ByteSliceToString(buf[:]), nil
}

// DMATestChecksumOf returns the device's checksum (FNV-1a 64) of b,
// computed here, to compare with DMATestResult.Checksum.
func DMATestChecksumOf(b []byte) uint64 {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	return cgen.Iommufd_dmatest_checksum(p, int64(len(b)))
}

// DMATest is an open vfio_dmatest instance, bound to a Context (which
// must stay open as long as it does).  One transfer runs at a time;
// calls on one DMATest must not race, except Close, which may wake a
// Wait in progress on another goroutine.
type DMATest struct {
	q     queue // the handle, the poller of both interrupt eventfds, the lock
	index uint
}

// OpenDMATest opens instance index of the module, binds it to c, checks
// it is the device this library knows, routes its completion and error
// interrupts to eventfds and, with opts.PT, attaches it.  syscall.ENODEV:
// no such instance (the sentence says why); syscall.EPROTO: a device of
// another register version.
func (c *Context) OpenDMATest(index uint, opts *DMATestOptions) (*DMATest, error) {
	const op = "iommufd_dmatest_open"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	o := cgen.NewIommufd_dmatest_open_opts()
	defer cgen.DeleteIommufd_dmatest_open_opts(o)
	if opts != nil {
		o.SetPt_id(opts.PT)
		if opts.NoMmap {
			o.SetNo_mmap(1)
		}
	}
	var h uintptr
	begin()
	if err := end(op, int64(cgen.Iommufd_dmatest_open(c.h, index, o, &h))); err != nil {
		return nil, err
	}
	w, err := interruptWaiter(h)
	if err != nil {
		cgen.Iommufd_dmatest_close(h)
		return nil, &Error{Op: op, Errno: errnoOf(err), Msg: op + ": polling its eventfds: " + err.Error()}
	}
	dt := &DMATest{index: index}
	dt.q.h, dt.q.w = h, w
	return dt, nil
}

// interruptWaiter polls both interrupt eventfds through one epoll fd,
// which the runtime's poller watches: it is readable while either is.
func interruptWaiter(h uintptr) (*waiter, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	defer unix.Close(ep) // the waiter holds a duplicate
	for _, fd := range []int{cgen.Iommufd_dmatest_completion_fd(h), cgen.Iommufd_dmatest_error_fd(h)} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, err
		}
	}
	return newWaiter(ep, "vfio_dmatest interrupts")
}

// Close closes the device and its eventfds (the kernel aborts a pending
// transfer and drops its pins); a Wait in progress returns an error
// matching os.ErrClosed.  Closing twice is no error.
func (dt *DMATest) Close() error {
	_, err := dt.q.close("iommufd_dmatest_close", func(h uintptr) int64 {
		cgen.Iommufd_dmatest_close(h)
		return 0
	})
	return err
}

// Index returns the instance number (vfio_dmatest.<index>).
func (dt *DMATest) Index() uint { return dt.index }

// DevID returns the device ID the context knows the device by (for HWPT
// allocation, HW info), or 0 once closed.
func (dt *DMATest) DevID() uint32 {
	id, _ := dt.q.call("iommufd_device_id", func(h uintptr) int64 {
		return int64(cgen.Iommufd_device_id(cgen.Iommufd_dmatest_device(h)))
	})
	return uint32(id)
}

// MaxLength returns the longest transfer the device accepts (module
// parameter max_len), or 0 once closed.
func (dt *DMATest) MaxLength() uint64 {
	var n uint64
	dt.q.call("iommufd_dmatest_max_length", func(h uintptr) int64 {
		n = cgen.Iommufd_dmatest_max_length(h)
		return 0
	})
	return n
}

// CompletionFD and ErrorFD return the eventfds the device's completion
// and error interrupts signal, for an event loop of one's own (owned by
// the DMATest; Wait reads them), or -1 once closed.
func (dt *DMATest) CompletionFD() int { return dt.q.fd(cgen.Iommufd_dmatest_completion_fd) }

// ErrorFD: see CompletionFD.
func (dt *DMATest) ErrorFD() int { return dt.q.fd(cgen.Iommufd_dmatest_error_fd) }

// Attach attaches the device to ptID (an IOAS or a HWPT), or moves it
// there, and returns the HWPT now attached.
func (dt *DMATest) Attach(ptID uint32) (uint32, error) {
	var hwpt uint32
	_, err := dt.q.call("iommufd_device_attach", func(h uintptr) int64 {
		return int64(cgen.Iommufd_device_attach(cgen.Iommufd_dmatest_device(h), ptID, &hwpt))
	})
	return hwpt, err
}

// Detach detaches the device: a pending transfer fails with
// DMATestErrDetached, and transfers fail so until it is attached again.
func (dt *DMATest) Detach() error {
	_, err := dt.q.call("iommufd_device_detach", func(h uintptr) int64 {
		return int64(cgen.Iommufd_device_detach(cgen.Iommufd_dmatest_device(h)))
	})
	return err
}

// Reset resets the device (VFIO_DEVICE_RESET): a pending transfer is
// aborted, the registers return to idle.
func (dt *DMATest) Reset() error {
	_, err := dt.q.call("iommufd_device_reset", func(h uintptr) int64 {
		return int64(cgen.Iommufd_device_reset(cgen.Iommufd_dmatest_device(h)))
	})
	return err
}

// Submit programs x and rings the doorbell.  It returns once the device
// has latched the transfer (with DMATestHold: once it is held); Wait gives
// the outcome.  syscall.EINVAL: an unknown op or flag, Length 0 or over
// MaxLength, or a range that wraps, refused before the device sees it;
// syscall.EBUSY: a transfer is running or held.
func (dt *DMATest) Submit(x DMATestTransfer) error {
	cx := cgen.NewIommufd_dmatest_xfer()
	defer cgen.DeleteIommufd_dmatest_xfer(cx)
	cx.SetOp(uint32(x.Op))
	cx.SetFlags(uint32(x.Flags))
	cx.SetSrc_iova(x.SrcIOVA)
	cx.SetDst_iova(x.DstIOVA)
	cx.SetLength(x.Length)
	cx.SetPattern(x.Pattern)
	_, err := dt.q.call("iommufd_dmatest_submit", func(h uintptr) int64 {
		return int64(cgen.Iommufd_dmatest_submit(h, cx))
	})
	return err
}

// Release lets a held transfer go on.  syscall.EINVAL: nothing is held.
func (dt *DMATest) Release() error {
	_, err := dt.q.call("iommufd_dmatest_release", func(h uintptr) int64 {
		return int64(cgen.Iommufd_dmatest_release(h))
	})
	return err
}

// Abort ends the running or held transfer: it fails with
// DMATestErrAborted.  syscall.EINVAL: nothing to abort.
func (dt *DMATest) Abort() error {
	_, err := dt.q.call("iommufd_dmatest_abort", func(h uintptr) int64 {
		return int64(cgen.Iommufd_dmatest_abort(h))
	})
	return err
}

// Status reads the registers now, without waiting.
func (dt *DMATest) Status() (DMATestResult, error) {
	return dt.result("iommufd_dmatest_status", func(h uintptr, r cgen.Iommufd_dmatest_result) int {
		return cgen.Iommufd_dmatest_status(h, r)
	})
}

// Wait waits until the transfer ends, through the interrupt eventfds on
// the runtime's poller (no thread parked), and returns the outcome: a
// transfer that failed is no error (see DMATestResult.Error).  It returns
// ctx.Err() when ctx ends first (a held transfer waits for Release), an
// error matching os.ErrClosed when Close is called meanwhile, and
// syscall.EINVAL when nothing was submitted.
func (dt *DMATest) Wait(ctx context.Context) (DMATestResult, error) {
	const op = "iommufd_dmatest_wait"
	var res DMATestResult
	var rerr error
	err := dt.q.w.wait(ctx, func() bool {
		// Drain first, then look: an interrupt after the look wakes
		// the poller again (the device sets STATUS before it signals).
		res, rerr = dt.result(op, func(h uintptr, r cgen.Iommufd_dmatest_result) int {
			drain(h)
			return cgen.Iommufd_dmatest_wait(h, 0, r)
		})
		return !errors.Is(rerr, syscall.ETIMEDOUT)
	})
	switch {
	case err == os.ErrClosed:
		return DMATestResult{}, errClosed(op)
	case err != nil:
		return DMATestResult{}, err
	}
	return res, rerr
}

// drain reads what count the interrupt eventfds of h hold (they never
// block): a count is only a reason to look at STATUS again.
func drain(h uintptr) {
	var count [8]byte
	unix.Read(cgen.Iommufd_dmatest_completion_fd(h), count[:])
	unix.Read(cgen.Iommufd_dmatest_error_fd(h), count[:])
}

// Run submits x and waits for it (Submit, then Wait).
func (dt *DMATest) Run(ctx context.Context, x DMATestTransfer) (DMATestResult, error) {
	if err := dt.Submit(x); err != nil {
		return DMATestResult{}, err
	}
	return dt.Wait(ctx)
}

// Copy copies length bytes from srcIOVA to dstIOVA and waits.
func (dt *DMATest) Copy(ctx context.Context, srcIOVA, dstIOVA, length uint64, flags DMATestFlags) (DMATestResult, error) {
	return dt.Run(ctx, DMATestTransfer{Op: DMATestOpCopy, Flags: flags, SrcIOVA: srcIOVA, DstIOVA: dstIOVA, Length: length})
}

// Fill writes the 8 bytes of pattern (little-endian), repeated, over
// length bytes at dstIOVA and waits.
func (dt *DMATest) Fill(ctx context.Context, dstIOVA, length, pattern uint64, flags DMATestFlags) (DMATestResult, error) {
	return dt.Run(ctx, DMATestTransfer{Op: DMATestOpFill, Flags: flags, DstIOVA: dstIOVA, Length: length, Pattern: pattern})
}

// Checksum lets the device checksum length bytes at srcIOVA and waits;
// the result's Checksum is what DMATestChecksumOf computes here.
func (dt *DMATest) Checksum(ctx context.Context, srcIOVA, length uint64, flags DMATestFlags) (DMATestResult, error) {
	return dt.Run(ctx, DMATestTransfer{Op: DMATestOpChecksum, Flags: flags, SrcIOVA: srcIOVA, Length: length})
}

// result runs a C call that fills a struct iommufd_dmatest_result.
func (dt *DMATest) result(op string, fn func(uintptr, cgen.Iommufd_dmatest_result) int) (DMATestResult, error) {
	r := cgen.NewIommufd_dmatest_result()
	defer cgen.DeleteIommufd_dmatest_result(r)
	if _, err := dt.q.call(op, func(h uintptr) int64 { return int64(fn(h, r)) }); err != nil {
		return DMATestResult{}, err
	}
	return DMATestResult{
		Status:      DMATestStatus(r.GetStatus()),
		Error:       DMATestErrorCode(r.GetError()),
		KernelErrno: syscall.Errno(r.GetKernel_errno()),
		FaultIOVA:   r.GetFault_iova(),
		DoneBytes:   r.GetDone_bytes(),
		Checksum:    r.GetChecksum(),
		Completions: r.GetCompletions(),
		Errors:      r.GetErrors(),
		PinnedPages: r.GetPinned_pages(),
	}, nil
}
