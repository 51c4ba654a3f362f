package iommufd

import (
	"context"
	"os"
	"sync"
	"unsafe"
)

// queue is what FaultQueue and VeventQueue share: the C handle, the
// poller, and the lock that keeps Close away from the C calls.
type queue struct {
	mu sync.RWMutex
	h  uintptr // the C handle; 0 once closed
	id uint32
	w  *waiter
}

// queue is also what the rings (FaultRing, VeventRing) are made of: their
// handle, their consumer eventfd's poller, and the same lock.

// open finishes a queue or ring the C library allocated: its poller on the
// fd that is readable while records wait.  On failure the C object is
// freed again.
func (q *queue) open(op string, h uintptr, fd func(uintptr) int, closeFn func(uintptr) int64) error {
	w, err := newWaiter(fd(h), op)
	if err != nil {
		closeFn(h)
		return &Error{Op: op, Errno: errnoOf(err), Msg: op + ": polling its fd: " + err.Error()}
	}
	q.h, q.w = h, w
	return nil
}

func (q *queue) fd(fd func(uintptr) int) int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.h == 0 {
		return -1
	}
	return fd(q.h)
}

// call runs fn on the handle unless the queue is closed.
func (q *queue) call(op string, fn func(h uintptr) int64) (int64, error) {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.h == 0 {
		return 0, errClosed(op)
	}
	begin()
	rc := fn(q.h)
	if err := end(op, rc); err != nil {
		return 0, err
	}
	return rc, nil
}

// tryRead reads up to n records into p without waiting.
func (q *queue) tryRead(op string, p unsafe.Pointer, n int,
	read func(uintptr, unsafe.Pointer, int64) int64) (int, error) {
	if n == 0 {
		return 0, errArg(op, "empty buffer")
	}
	got, err := q.call(op, func(h uintptr) int64 { return read(h, p, int64(n)) })
	return int(got), err
}

// read waits for try to read something, the context to end, or Close.
func (q *queue) read(ctx context.Context, op string, try func() (int, error)) (int, error) {
	var n int
	var rerr error
	err := q.w.wait(ctx, func() bool {
		n, rerr = try()
		return n > 0 || rerr != nil
	})
	if rerr != nil {
		return 0, rerr
	}
	if err == os.ErrClosed {
		return 0, errClosed(op)
	}
	return n, err
}

// close wakes a read in progress, then frees the C queue or ring and
// returns what that returned.
func (q *queue) close(op string, closeFn func(uintptr) int64) (int64, error) {
	q.w.close()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.h == 0 {
		return 0, nil
	}
	begin()
	rc := closeFn(q.h)
	err := end(op, rc)
	q.h = 0
	return rc, err
}

// closeInt adapts the close functions that return an int.
func closeInt(fn func(uintptr) int) func(uintptr) int64 {
	return func(h uintptr) int64 { return int64(fn(h)) }
}
