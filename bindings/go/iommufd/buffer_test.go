package iommufd_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

func TestBuffer(t *testing.T) {
	b, err := iommufd.NewBuffer(3 * 4096)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3*4096 {
		t.Fatalf("Len %d", b.Len())
	}
	for i, v := range b.Bytes() {
		if v != 0 {
			t.Fatalf("byte %d is %d, not zero", i, v)
		}
	}
	b.Bytes()[4096] = 0x5a
	v, err := b.Slice(4096, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if v.Len() != 4096 || v.Bytes()[0] != 0x5a {
		t.Error("the view does not share the memory")
	}
	if err := v.Close(); err != nil || b.Bytes()[4096] != 0x5a {
		t.Error("closing a view unmapped the buffer")
	}
	for _, r := range [][2]int{{-1, 1}, {0, 0}, {3 * 4096, 1}, {4096, 2*4096 + 1}} {
		if _, err := b.Slice(r[0], r[1]); !errors.Is(err, syscall.EINVAL) {
			t.Errorf("Slice(%d, %d): want EINVAL, got %v", r[0], r[1], err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Error("closing twice:", err)
	}
	if _, err := iommufd.NewBuffer(0); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("NewBuffer(0): want EINVAL, got %v", err)
	}
}
