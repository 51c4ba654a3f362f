package iommufd_test

import (
	"strings"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd/iommufdtest"
)

const (
	iotlbDefault = 0xbadbeef
	mockIOTLBs   = 4 // MOCK_NESTED_DOMAIN_IOTLB_NUM
)

func (f *fixture) nested(t *testing.T, parent uint32, fq *iommufd.FaultQueue) *iommufd.HWPT {
	t.Helper()
	return f.hwpt(t, parent, &iommufd.HWPTOptions{
		FaultQueue: fq, Data: iommufd.HWPTSelftest{IOTLB: iotlbDefault}})
}

func expectIOTLB(t *testing.T, f *fixture, h *iommufd.HWPT, want [mockIOTLBs]uint32) {
	t.Helper()
	for i, v := range want {
		if err := iommufdtest.CheckIOTLB(f.ctx, h.ID(), uint32(i), v); err != nil {
			t.Errorf("IOTLB entry %d is not %#x: %v", i, v, err)
		}
	}
}

// BIND_PGTBL: a nested HWPT carries the selftest's vendor data, seen in
// the mock IOTLB; a device attaches to it.
func TestKernelNestedHWPT(t *testing.T) {
	f := newFixture(t)
	parent := f.hwpt(t, f.ioas, &iommufd.HWPTOptions{Flags: iommufd.HWPTNestParent})
	nested := f.nested(t, parent.ID(), nil)
	expectIOTLB(t, f, nested, [4]uint32{iotlbDefault, iotlbDefault, iotlbDefault, iotlbDefault})
	got, err := f.dev.Replace(nested.ID())
	must(t, err)
	if got != nested.ID() {
		t.Errorf("attached to %d, want %d", got, nested.ID())
	}
	_, err = f.dev.Replace(f.ioas)
	must(t, err)

	_, err = f.ctx.AllocHWPT(f.dev.DevID, parent.ID(), &iommufd.HWPTOptions{
		Data: iommufd.HWPTVTDS1{PgtblAddr: 0x1000, AddrWidth: 48}})
	wantErrno(t, syscall.EOPNOTSUPP, err, "VT-d data on the mock")
	_, err = f.ctx.AllocHWPT(f.dev.DevID, nested.ID(), &iommufd.HWPTOptions{
		Data: iommufd.HWPTSelftest{IOTLB: 1}})
	wantErrno(t, syscall.EINVAL, err, "a nested HWPT as parent")
	_, err = f.ctx.AllocHWPT(f.dev.DevID, parent.ID(), &iommufd.HWPTOptions{
		Flags: iommufd.HWPTDirtyTracking, Data: iommufd.HWPTSelftest{IOTLB: 1}})
	wantErrno(t, syscall.EOPNOTSUPP, err, "a dirty-tracking nested HWPT")
	must(t, nested.Close())
	must(t, nested.Close())
}

// CACHE_INVLD: entries clear the mock IOTLB; an invalid entry in the
// middle stops the kernel there, and the count says where.
func TestKernelInvalidate(t *testing.T) {
	f := newFixture(t)
	parent := f.hwpt(t, f.ioas, &iommufd.HWPTOptions{Flags: iommufd.HWPTNestParent})
	nested := f.nested(t, parent.ID(), nil)

	n, err := nested.Invalidate(iommufd.SelftestInvalidations{{IOTLBID: 1}, {IOTLBID: 3}})
	if err != nil || n != 2 {
		t.Fatalf("invalidate: %d, %v", n, err)
	}
	expectIOTLB(t, f, nested, [4]uint32{iotlbDefault, 0, iotlbDefault, 0})

	n, err = nested.Invalidate(iommufd.SelftestInvalidations{{IOTLBID: 0}, {IOTLBID: 9}, {IOTLBID: 2}})
	wantErrno(t, syscall.EINVAL, err, "IOTLB entry 9")
	if n != 1 {
		t.Errorf("handled %d, want 1", n)
	}
	if err != nil && !strings.Contains(err.Error(), "handled 1 of 3") {
		t.Errorf("the sentence does not say how far: %v", err)
	}
	expectIOTLB(t, f, nested, [4]uint32{0, 0, iotlbDefault, 0})

	n, err = nested.Invalidate(iommufd.SelftestInvalidations{{Flags: 1}})
	if err != nil || n != 1 {
		t.Fatalf("invalidate all: %d, %v", n, err)
	}
	expectIOTLB(t, f, nested, [4]uint32{})
	if n, err := nested.Invalidate(iommufd.SelftestInvalidations{}); err != nil || n != 0 {
		t.Errorf("no entries asks for the type: %d, %v", n, err)
	}
	_, err = nested.Invalidate(iommufd.VTDS1Invalidations{})
	wantErrno(t, syscall.EINVAL, err, "a type the mock does not take")
}

// Dirty tracking: pages the mock marks dirty read back in the bitmap,
// which a read clears unless DirtyNoClear.
func TestKernelDirtyBitmap(t *testing.T) {
	f := newFixture(t)
	// As the kernel's selftest does: PTEs of the mock's own page size, so
	// a dirty bit stands for one 2 KiB page.
	must(t, f.ctx.SetOption(iommufd.OptionHugePages, f.ioas, 0))
	h := f.hwpt(t, f.ioas, &iommufd.HWPTOptions{Flags: iommufd.HWPTDirtyTracking})
	_, err := f.dev.Replace(h.ID())
	must(t, err)
	t.Cleanup(func() { f.dev.Replace(f.ioas) })

	const pages = 64
	ps := uint64(iommufdtest.PageSize)
	buf := newBuffer(t, pages*ps)
	iova, err := f.ctx.Map(f.ioas, buf, iommufd.MapReadWrite)
	must(t, err)
	must(t, h.SetDirtyTracking(true))

	// Even pages only, as the kernel's selftest marks: 7.2's mock reports
	// a dirty odd 2 KiB page as its even neighbour.
	mark := iommufd.NewBitmap(pages)
	for _, i := range []uint64{0, 2, 30, 32, 62} {
		mark.Set(i)
	}
	n, err := iommufdtest.Dirty(f.ctx, h.ID(), iova, pages*ps, ps, mark)
	must(t, err)
	if n != 5 {
		t.Errorf("the mock marked %d pages, want 5", n)
	}
	got, err := h.DirtyBitmap(iova, pages*ps, ps, iommufd.DirtyNoClear)
	must(t, err)
	if len(got) != 1 || got[0] != mark[0] {
		t.Errorf("bitmap %x, want %x", got, mark)
	}
	got, err = h.DirtyBitmap(iova, pages*ps, ps, iommufd.DirtyNoClear|iommufd.DirtyChunked)
	must(t, err)
	if len(got) != 1 || got[0] != mark[0] {
		t.Errorf("chunked: bitmap %x, want %x", got, mark)
	}
	got, err = h.DirtyBitmap(iova, pages*ps, ps, 0)
	must(t, err)
	if got.Count() != 5 {
		t.Errorf("NO_CLEAR cleared: %x", got)
	}
	got, err = h.DirtyBitmap(iova, pages*ps, ps, 0)
	must(t, err)
	if got.Count() != 0 {
		t.Errorf("a read did not clear: %x", got)
	}
	must(t, h.SetDirtyTracking(false))

	plain := f.hwpt(t, f.ioas, nil)
	wantErrno(t, syscall.EOPNOTSUPP, plain.SetDirtyTracking(true), "a HWPT without dirty tracking")
}

// HW info of a mock device: the selftest type and its test register.
func TestKernelHWInfo(t *testing.T) {
	f := newFixture(t)
	info, err := f.ctx.HWInfo(f.dev.DevID)
	must(t, err)
	if info.Type != iommufd.HWInfoTypeSelftest || info.Selftest == nil ||
		info.Selftest.TestReg != 0xdeadbeef {
		t.Errorf("HW info %+v", info)
	}
	if len(info.Raw) != int(info.DataLen) {
		t.Errorf("raw %d bytes, data_len %d", len(info.Raw), info.DataLen)
	}
	if info.CapabilitiesKnown && info.Capabilities&iommufd.HWCapDirtyTracking == 0 {
		t.Errorf("the mock tracks dirty pages: capabilities %#x", info.Capabilities)
	}
	_, err = f.ctx.HWInfo(0x7777)
	wantErrno(t, syscall.ENOENT, err, "no such device")
}
