package iommufd

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The waiter on an eventfd, which polls as the kernel's queue fds do: it
// returns when the fd turns readable, when the context ends, and when it
// is closed.
func TestWaiter(t *testing.T) {
	efd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(efd)
	w, err := newWaiter(efd, "eventfd")
	if err != nil {
		t.Fatal(err)
	}
	tries := 0
	readable := func() bool {
		tries++
		var b [8]byte
		_, err := unix.Read(efd, b[:])
		return err == nil
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := w.wait(ctx, readable); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("nothing to read: want DeadlineExceeded, got %v", err)
	}

	// A later wait is not hit by the old deadline.
	go func() {
		time.Sleep(20 * time.Millisecond)
		unix.Write(efd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	}()
	tries = 0
	if err := w.wait(context.Background(), readable); err != nil {
		t.Fatalf("readable: %v", err)
	}
	if tries < 2 {
		t.Errorf("%d tries: the wait did not wait", tries)
	}

	go func() {
		time.Sleep(20 * time.Millisecond)
		w.close()
	}()
	if err := w.wait(context.Background(), readable); !errors.Is(err, os.ErrClosed) {
		t.Fatalf("closed: want os.ErrClosed, got %v", err)
	}
}
