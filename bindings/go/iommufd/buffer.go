package iommufd

import (
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Buffer is memory for DMA: an anonymous mapping made with mmap(2), never
// the Go heap, so that the garbage collector can neither move nor reuse
// pages a device reads or writes.  Map and MapAt take a Buffer.
//
// The kernel pins the pages of a mapped Buffer until they are unmapped
// from the IOAS; closing the Buffer first only removes them from this
// process's view.  A Buffer may be shared between goroutines; its bytes
// are as any shared memory (a device may write them at any time).
type Buffer struct {
	b     []byte
	owner bool // false for views made by Slice
}

// NewBuffer maps size bytes (rounded up to whole pages) of zeroed,
// private, readable and writable memory.
func NewBuffer(size int) (*Buffer, error) {
	return newBuffer(size, 0)
}

// NewHugeBuffer is NewBuffer with MAP_HUGETLB: the size is rounded up to
// the default huge page size, and the call fails with syscall.ENOMEM
// when no huge pages are reserved.
func NewHugeBuffer(size int) (*Buffer, error) {
	return newBuffer(size, unix.MAP_HUGETLB)
}

func newBuffer(size int, flags int) (*Buffer, error) {
	const op = "iommufd.NewBuffer"
	if size <= 0 {
		return nil, errArg(op, "size must be positive")
	}
	b, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|flags)
	if err != nil {
		errno, _ := err.(syscall.Errno)
		return nil, &Error{Op: op, Errno: errno,
			Msg: fmt.Sprintf("%s: mmap of %d bytes: %v", op, size, err)}
	}
	return &Buffer{b: b, owner: true}, nil
}

// Bytes returns the buffer's memory.
func (b *Buffer) Bytes() []byte { return b.b }

// Len returns the buffer's length in bytes.
func (b *Buffer) Len() int { return len(b.b) }

// Slice returns a view of length bytes at offset: a Buffer for Map that
// shares this one's memory.  Closing a view does nothing.
func (b *Buffer) Slice(offset, length int) (*Buffer, error) {
	if offset < 0 || length <= 0 || offset > len(b.b) || length > len(b.b)-offset {
		return nil, errArg("iommufd.Buffer.Slice", fmt.Sprintf(
			"range [%d, +%d) outside a buffer of %d bytes", offset, length, len(b.b)))
	}
	return &Buffer{b: b.b[offset : offset+length : offset+length]}, nil
}

// Close unmaps the buffer (munmap).  Closing twice, or closing a view,
// does nothing.
func (b *Buffer) Close() error {
	if !b.owner || b.b == nil {
		return nil
	}
	err := unix.Munmap(b.b)
	b.b = nil
	return err
}

// ptr is the buffer's address for the C library; nil for an empty or
// closed buffer (which the library refuses with its own sentence).
func (b *Buffer) ptr() unsafe.Pointer {
	if b == nil || len(b.b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b.b[0])
}

func (b *Buffer) length() uint64 {
	if b == nil {
		return 0
	}
	return uint64(len(b.b))
}
