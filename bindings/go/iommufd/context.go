package iommufd

import (
	"runtime"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/bridge"
	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// Context is an open iommufd (one /dev/iommu file description).  It owns
// the file descriptor and every kernel object created through it: the
// kernel destroys them all when the context is closed.
//
// A Context may be used by several goroutines at once for map, unmap,
// copy and queries; Close must not race with other calls on it.
// Kernel objects (IOAS, HWPT, vIOMMU, vDEVICE, ...) are named by their
// uint32 IDs, as VMMs think of them.
type Context struct {
	h uintptr // struct iommufd_ctx *; 0 once closed
}

// LogLevel is how much the C library logs to standard error.
type LogLevel int

// Log levels, most severe first.  LogDefault lets the environment decide
// (LIBIOMMUFD_LOG=err|warn|info|debug, else off).
const (
	LogDefault LogLevel = 0
	LogOff     LogLevel = 1
	LogErr     LogLevel = 2
	LogWarn    LogLevel = 3
	LogInfo    LogLevel = 4
	LogDebug   LogLevel = 5
)

// Open opens /dev/iommu.  Linux 6.2.
func Open() (*Context, error) { return OpenPath("") }

// OpenPath opens the iommufd device node at path ("" means /dev/iommu).
// A kernel without iommufd gives an error that errors.Is matches with
// fs.ErrNotExist (syscall.ENOENT).
func OpenPath(path string) (*Context, error) {
	opts := cgen.NewIommufd_ctx_opts()
	defer cgen.DeleteIommufd_ctx_opts(opts)
	var pin runtime.Pinner
	defer pin.Unpin()
	if path != "" {
		cpath := append([]byte(path), 0)
		pin.Pin(&cpath[0])
		opts.Set_path_ptr(unsafe.Pointer(&cpath[0]))
	}
	var h uintptr
	begin()
	rc := cgen.Iommufd_ctx_open(opts, &h)
	if err := end("iommufd_ctx_open", int64(rc)); err != nil {
		return nil, err
	}
	return &Context{h: h}, nil
}

// AdoptFD makes a Context of an iommufd another party opened, for instance
// one received over a unix socket.  On success the Context owns fd and
// closes it; on failure fd stays the caller's.  An fd that is no iommufd
// gives syscall.ENOTTY.
func AdoptFD(fd int) (*Context, error) {
	var h uintptr
	begin()
	rc := cgen.Iommufd_ctx_adopt_fd(fd, nil, &h)
	if err := end("iommufd_ctx_adopt_fd", int64(rc)); err != nil {
		return nil, err
	}
	return &Context{h: h}, nil
}

// Close closes the context and its file descriptor; the kernel destroys
// every object created through it.  Close the context's fault queues,
// vEVENTQs, rings and bound devices first: they refer to it.  Closing
// twice is no error.
func (c *Context) Close() error {
	if c.h != 0 {
		cgen.Iommufd_ctx_close(c.h)
		c.h = 0
	}
	return nil
}

// FD returns the context's file descriptor (owned by the context: to hand
// it to another process, pass it over a unix socket; do not close it), or
// -1 when the context is closed.
func (c *Context) FD() int {
	if c.h == 0 {
		return -1
	}
	return cgen.Iommufd_ctx_fd(c.h)
}

// SetLogLevel sets how much the C library logs to standard error for
// this context.
func (c *Context) SetLogLevel(level LogLevel) {
	if c.h != 0 {
		cgen.Iommufd_ctx_set_log_level(c.h, int(level))
	}
}

// Destroy destroys any kernel object by ID (IOMMU_DESTROY).  syscall.EBUSY:
// the object is still in use.  Linux 6.2.
func (c *Context) Destroy(id uint32) error {
	const op = "iommufd_destroy"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_destroy(c.h, id)))
}

// Version returns the C library's version, "MAJOR.MINOR.PATCH".
func Version() string { return cgen.Iommufd_version_string() }

func init() {
	bridge.Handle = func(ctx any) uintptr { return ctx.(*Context).h }
	bridge.Begin = begin
	bridge.End = end
	bridge.Closed = errClosed
}
