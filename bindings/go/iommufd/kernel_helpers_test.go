package iommufd_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd/iommufdtest"
	"golang.org/x/sys/unix"
)

// The kernel scenarios need /dev/iommu with the selftest mock: they run in
// the test VM (ctest -L go boots it on each kernel) and skip elsewhere.

var page = uint64(os.Getpagesize())

// openKernel opens /dev/iommu with the selftest mock or skips the test.
func openKernel(t *testing.T) *iommufd.Context { return iommufdtest.Open(t) }

// kernelAtLeast compares the running kernel's release with major.minor.
func kernelAtLeast(major, minor int) bool {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return false
	}
	f := strings.FieldsFunc(unix.ByteSliceToString(u.Release[:]), func(r rune) bool {
		return r < '0' || r > '9'
	})
	if len(f) < 2 {
		return false
	}
	ma, _ := strconv.Atoi(f[0])
	mi, _ := strconv.Atoi(f[1])
	return ma > major || ma == major && mi >= minor
}

// needKernel skips a test the running kernel cannot do, naming why.
func needKernel(t *testing.T, major, minor int, what string) {
	t.Helper()
	if !kernelAtLeast(major, minor) {
		t.Skipf("%s needs Linux %d.%d", what, major, minor)
	}
}

// fixture: a context, an IOAS and a mock device attached to it.
type fixture struct {
	ctx  *iommufd.Context
	ioas uint32
	dev  *iommufdtest.MockDevice
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ctx: openKernel(t)}
	f.ioas = f.newIOAS(t)
	f.dev = f.newMock(t, f.ioas, 0)
	return f
}

func (f *fixture) newIOAS(t *testing.T) uint32 {
	t.Helper()
	id, err := f.ctx.AllocIOAS()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (f *fixture) newMock(t *testing.T, pt uint32, flags iommufdtest.DeviceFlags) *iommufdtest.MockDevice {
	t.Helper()
	d, err := iommufdtest.NewMockDevice(f.ctx, pt, flags)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func newBuffer(t *testing.T, size uint64) *iommufd.Buffer {
	t.Helper()
	b, err := iommufd.NewBuffer(int(size))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func (f *fixture) hwpt(t *testing.T, pt uint32, opts *iommufd.HWPTOptions) *iommufd.HWPT {
	t.Helper()
	h, err := f.ctx.AllocHWPT(f.dev.DevID, pt, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// wantErrno fails unless err carries errno and a sentence.
func wantErrno(t *testing.T, errno syscall.Errno, err error, what string) {
	t.Helper()
	var e *iommufd.Error
	if !errors.Is(err, errno) || !errors.As(err, &e) || e.Msg == "" {
		t.Errorf("%s: want %v with a sentence, got %v", what, errno, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
