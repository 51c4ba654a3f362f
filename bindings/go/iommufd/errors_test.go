package iommufd_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// No kernel needed: a missing node fails in open(2), and the error carries
// the SDK's sentence and the errno.
func TestOpenMissingNode(t *testing.T) {
	_, err := iommufd.OpenPath("/nonexistent/iommu")
	if !errors.Is(err, syscall.ENOENT) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want ENOENT, got %v", err)
	}
	var e *iommufd.Error
	if !errors.As(err, &e) || e.Op != "iommufd_ctx_open" || e.Errno != syscall.ENOENT {
		t.Fatalf("want an *iommufd.Error of iommufd_ctx_open, got %#v", err)
	}
	if !strings.Contains(err.Error(), "cannot open /nonexistent/iommu") {
		t.Errorf("the sentence does not name the path: %q", err)
	}
}

// Adopting an fd that is no iommufd fails with ENOTTY and leaves the fd
// open and the caller's.
func TestAdoptNotAnIommufd(t *testing.T) {
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = iommufd.AdoptFD(int(f.Fd()))
	if !errors.Is(err, syscall.ENOTTY) {
		t.Fatalf("want ENOTTY, got %v", err)
	}
	if err.Error() == "" {
		t.Error("no sentence")
	}
	if _, err := f.Stat(); err != nil {
		t.Errorf("the fd was closed: %v", err)
	}
}

func TestErrorWithoutSentence(t *testing.T) {
	e := &iommufd.Error{Op: "iommufd_destroy", Errno: syscall.EBUSY}
	if got := e.Error(); got != "iommufd_destroy: device or resource busy" {
		t.Errorf("got %q", got)
	}
	if !errors.Is(e, syscall.EBUSY) {
		t.Error("errors.Is does not see the errno")
	}
}

// A closed Context refuses every call with EBADF, before the C library.
func TestClosedContext(t *testing.T) {
	c := &iommufd.Context{}
	if _, err := c.AllocIOAS(); !errors.Is(err, syscall.EBADF) {
		t.Errorf("AllocIOAS: want EBADF, got %v", err)
	}
	if err := c.Destroy(1); !errors.Is(err, syscall.EBADF) || !errors.Is(err, os.ErrClosed) {
		t.Errorf("Destroy: want EBADF, got %v", err)
	}
	if _, err := c.Probe(); !errors.Is(err, syscall.EBADF) {
		t.Errorf("Probe: want EBADF, got %v", err)
	}
	if c.FD() != -1 {
		t.Error("FD of a closed context")
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
}

// Device paths need no iommufd: a missing cdev node, a malformed PCI
// address, an fd that is no VFIO device.
func TestDeviceOpenErrors(t *testing.T) {
	if _, err := iommufd.OpenDevice("/nonexistent/vfio0"); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("OpenDevice: want ENOENT, got %v", err)
	}
	_, err := iommufd.OpenPCIDevice("not-a-bdf")
	if !errors.Is(err, syscall.EINVAL) || !strings.Contains(err.Error(), "not-a-bdf") {
		t.Errorf("OpenPCIDevice: want EINVAL naming the address, got %v", err)
	}
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := iommufd.AdoptDeviceFD(int(f.Fd())); !errors.Is(err, syscall.ENOTTY) {
		t.Errorf("AdoptDeviceFD: want ENOTTY, got %v", err)
	}
}
