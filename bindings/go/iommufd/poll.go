package iommufd

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// waiter waits for an event queue's fd to become readable through the Go
// runtime's poller (no thread parked per reader), honouring a
// context.Context.  It polls a duplicate of the library's fd: the two
// share one open file description, so the duplicate's O_NONBLOCK is the
// library's too, which is harmless: the kernel's fault and vEVENT reads
// never block anyway.
type waiter struct {
	f      *os.File
	rc     syscall.RawConn
	closed atomic.Bool // the poller's "use of closed file" is not os.ErrClosed
}

func newWaiter(fd int, name string) (*waiter, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		unix.Close(nfd)
		return nil, err
	}
	f := os.NewFile(uintptr(nfd), name)
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &waiter{f: f, rc: rc}, nil
}

// wait calls try until it reports done, waiting for the fd to become
// readable in between.  It returns ctx.Err() when ctx ends first, and
// os.ErrClosed when the waiter is closed meanwhile.
func (w *waiter) wait(ctx context.Context, try func() bool) error {
	if ctx.Done() != nil {
		fired := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			w.f.SetReadDeadline(time.Unix(1, 0)) // wakes the poller
			close(fired)
		})
		defer func() {
			if !stop() {
				<-fired // the deadline is set: undo it only after
			}
			w.f.SetReadDeadline(time.Time{})
		}()
	}
	err := w.rc.Read(func(uintptr) bool { return try() })
	switch {
	case err == nil:
		return nil
	case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil:
		return ctx.Err()
	case w.closed.Load():
		return os.ErrClosed
	}
	return err
}

// close wakes every wait in progress (they return os.ErrClosed).
func (w *waiter) close() error {
	w.closed.Store(true)
	return w.f.Close()
}
