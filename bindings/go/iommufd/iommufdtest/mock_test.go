package iommufdtest_test

import (
	"bytes"
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd/iommufdtest"
)

func TestClosedContext(t *testing.T) {
	ctx := &iommufd.Context{}
	_, err := iommufdtest.NewMockDevice(ctx, 1, 0)
	if !errors.Is(err, syscall.EBADF) || !errors.Is(err, os.ErrClosed) {
		t.Errorf("want a closed-context error, got %v", err)
	}
}

// The ops every mock of the matrix knows, and one past the last.
func TestOpSupported(t *testing.T) {
	ctx := iommufdtest.Open(t)
	for _, op := range []iommufdtest.Op{iommufdtest.OpMockDomain, iommufdtest.OpMDCheckMap,
		iommufdtest.OpDirty, iommufdtest.OpTriggerIOPF} {
		if ok, err := iommufdtest.OpSupported(ctx, op); !ok || err != nil {
			t.Errorf("op %d: %v, %v", op, ok, err)
		}
	}
	if ok, err := iommufdtest.OpSupported(ctx, 200); ok || err != nil {
		t.Errorf("op 200: %v, %v", ok, err)
	}
}

// An access writes and reads guest memory by IOVA, and pins pages.
func TestAccess(t *testing.T) {
	ctx := iommufdtest.Open(t)
	ioas, err := ctx.AllocIOAS()
	if err != nil {
		t.Fatal(err)
	}
	dev, err := iommufdtest.NewMockDevice(ctx, ioas, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	page := os.Getpagesize()
	buf, err := iommufd.NewBuffer(2 * page)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Close()
	iova, err := ctx.Map(ioas, buf, iommufd.MapReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	a, err := iommufdtest.NewAccess(ctx, ioas, iommufdtest.AccessNeedsPin)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	msg := []byte("through the IOVA")
	if err := a.ReadWrite(iova+100, msg, iommufdtest.RWWrite); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes()[100:100+len(msg)], msg) {
		t.Error("the write did not land in the buffer")
	}
	back := make([]byte, len(msg))
	if err := a.ReadWrite(iova+100, back, 0); err != nil || !bytes.Equal(back, msg) {
		t.Errorf("read back %q, %v", back, err)
	}
	id, err := a.Pages(iova, buf.Bytes()[:page], iommufdtest.PagesWrite)
	if err != nil {
		t.Fatal(err)
	}
	// The access shares the mapping's pin.
	if err := iommufdtest.CheckRefs(ctx, buf.Bytes()[:page], 1); err != nil {
		t.Error(err)
	}
	if err := a.DestroyPages(id); err != nil {
		t.Error(err)
	}
	if err := a.DestroyPages(id); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("destroying twice: want ENOENT, got %v", err)
	}
}
