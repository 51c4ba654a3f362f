package iommufd

import (
	"errors"
	"io/fs"
	"runtime"
	"syscall"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// Error is a failed libiommufd call: the errno the C library returned and
// the sentence it recorded for it.  It unwraps to its syscall.Errno, so
// errors.Is(err, syscall.ENOENT) and errors.Is(err, fs.ErrNotExist) work.
type Error struct {
	Op    string        // the C function, e.g. "iommufd_ioas_map"
	Errno syscall.Errno // what it returned, negated
	Msg   string        // the SDK's sentence (iommufd_ctx_last_error())

	closed bool // a call on a closed handle: also matches fs.ErrClosed
}

// Error returns the SDK's sentence, which names the call and says what
// went wrong, or, when there is none, the call and the errno.
func (e *Error) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return e.Op + ": " + e.Errno.Error()
}

// Unwrap returns the errno.
func (e *Error) Unwrap() error { return e.Errno }

// Is makes the error of a call on a closed handle match fs.ErrClosed
// (os.ErrClosed) besides syscall.EBADF.
func (e *Error) Is(target error) bool { return e.closed && target == fs.ErrClosed }

// errClosed is the error of a call on a closed handle.
func errClosed(op string) error {
	return &Error{Op: op, Errno: syscall.EBADF, Msg: op + ": the handle is closed", closed: true}
}

// errArg is the error of an argument refused before the C library sees
// it (one a Go type cannot express in C, such as a negative length).
func errArg(op, why string) error {
	return &Error{Op: op, Errno: syscall.EINVAL, Msg: op + ": " + why}
}

// The sentence of a failure is kept per OS thread, so a C call and the
// read of its sentence must run on one thread: begin pins the goroutine
// to its thread, end unpins it.  Both are cheap (no system call).
func begin() { runtime.LockOSThread() }

// end finishes a call begun with begin: a negative rc becomes an *Error
// with the calling thread's latest sentence.
func end(op string, rc int64) error {
	var err error
	if rc < 0 {
		err = &Error{Op: op, Errno: syscall.Errno(-rc), Msg: cgen.Iommufd_ctx_last_error(0)}
	}
	runtime.UnlockOSThread()
	return err
}

// errnoOf returns the errno inside err, or EIO.
func errnoOf(err error) syscall.Errno {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return syscall.EIO
}
