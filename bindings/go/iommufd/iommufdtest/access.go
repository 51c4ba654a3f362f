package iommufdtest

import (
	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"golang.org/x/sys/unix"
)

// Access is an in-kernel access to an IOAS, as an emulated device's
// driver has.  Close destroys it.
type Access struct {
	ctx *iommufd.Context
	fd  int
}

// Flags of NewAccess, Pages and ReadWrite.
const (
	// AccessNeedsPin: the access pins pages (Pages); without it only
	// ReadWrite works.
	AccessNeedsPin uint32 = 1 << 0
	PagesWrite     uint32 = 1 << 0 // Pages: pin for writing
	RWWrite        uint32 = 1 << 0 // ReadWrite: write the buffer to the IOVA
	RWSlowPath     uint32 = 1 << 2
)

// NewAccess creates an access to IOAS ioas (flags: AccessNeedsPin).
func NewAccess(ctx *iommufd.Context, ioas uint32, flags uint32) (*Access, error) {
	var fd int32
	err := call(ctx, "iommufd_test_create_access", func(h uintptr) int {
		return cgen.Iommufd_test_create_access(h, ioas, flags, &fd)
	})
	if err != nil {
		return nil, err
	}
	return &Access{ctx: ctx, fd: int(fd)}, nil
}

// Close destroys the access (closes its fd).
func (a *Access) Close() error {
	if a.fd < 0 {
		return nil
	}
	err := unix.Close(a.fd)
	a.fd = -1
	return err
}

// ReplaceIOAS moves the access to IOAS ioas.
func (a *Access) ReplaceIOAS(ioas uint32) error {
	return call(a.ctx, "iommufd_test_access_replace_ioas", func(h uintptr) int {
		return cgen.Iommufd_test_access_replace_ioas(h, a.fd, ioas)
	})
}

// Pages pins [iova, iova+len(buf)) through the access, checks it maps
// buf, and returns the pin's ID for DestroyPages.
func (a *Access) Pages(iova uint64, buf []byte, flags uint32) (uint32, error) {
	var id uint32
	err := call(a.ctx, "iommufd_test_access_pages", func(h uintptr) int {
		return cgen.Iommufd_test_access_pages(h, a.fd, iova, uint64(len(buf)), ptr(buf), flags, &id)
	})
	return id, err
}

// DestroyPages releases a pin from Pages.
func (a *Access) DestroyPages(id uint32) error {
	return call(a.ctx, "iommufd_test_destroy_access_pages", func(h uintptr) int {
		return cgen.Iommufd_test_destroy_access_pages(h, a.fd, id)
	})
}

// ReadWrite copies between buf and the IOVA iova through the access:
// with RWWrite, buf to the IOVA; else the IOVA into buf.
func (a *Access) ReadWrite(iova uint64, buf []byte, flags uint32) error {
	return call(a.ctx, "iommufd_test_access_rw", func(h uintptr) int {
		return cgen.Iommufd_test_access_rw(h, a.fd, iova, ptr(buf), uint64(len(buf)), flags)
	})
}
