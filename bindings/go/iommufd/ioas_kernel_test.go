package iommufd_test

import (
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd/iommufdtest"
)

// Map at a kernel-chosen IOVA: the mock domain maps those pages, pinned
// once; unmapping releases them.
func TestKernelMapUnmap(t *testing.T) {
	f := newFixture(t)
	buf := newBuffer(t, 4*page)
	iova, err := f.ctx.Map(f.ioas, buf, iommufd.MapReadWrite)
	must(t, err)
	if iova < iommufdtest.ApertureStart || iova > iommufdtest.ApertureLast {
		t.Errorf("IOVA %#x outside the mock aperture", iova)
	}
	must(t, iommufdtest.CheckMap(f.ctx, f.dev.HWPTID, iova, buf.Bytes()))
	must(t, iommufdtest.CheckRefs(f.ctx, buf.Bytes(), 1))
	n, err := f.ctx.Unmap(f.ioas, iova, 4*page)
	must(t, err)
	if n != 4*page {
		t.Errorf("unmapped %d bytes, want %d", n, 4*page)
	}
	must(t, iommufdtest.CheckRefs(f.ctx, buf.Bytes(), 0))
	_, err = f.ctx.Unmap(f.ioas, iova, 4*page)
	wantErrno(t, syscall.ENOENT, err, "unmapping twice")
}

// A fixed IOVA, a taken one, a sub-range of a Buffer, and unmap-all.
func TestKernelMapAt(t *testing.T) {
	f := newFixture(t)
	buf := newBuffer(t, 4*page)
	at := iommufdtest.ApertureStart + 16*page
	must(t, f.ctx.MapAt(f.ioas, buf, at, iommufd.MapReadable))
	wantErrno(t, syscall.EEXIST, f.ctx.MapAt(f.ioas, buf, at, iommufd.MapReadable), "a taken IOVA")
	half, err := buf.Slice(int(2*page), int(2*page))
	must(t, err)
	must(t, f.ctx.MapAt(f.ioas, half, at+8*page, iommufd.MapReadWrite))
	must(t, iommufdtest.CheckMap(f.ctx, f.dev.HWPTID, at+8*page, half.Bytes()))
	must(t, iommufdtest.CheckRefs(f.ctx, half.Bytes(), 2))
	n, err := f.ctx.UnmapAll(f.ioas)
	must(t, err)
	if n != 6*page {
		t.Errorf("unmap-all: %d bytes, want %d", n, 6*page)
	}
	n, err = f.ctx.UnmapAll(f.ioas)
	if err != nil || n != 0 {
		t.Errorf("unmap-all of an empty IOAS: %d, %v", n, err)
	}
}

func TestKernelMapErrors(t *testing.T) {
	f := newFixture(t)
	buf := newBuffer(t, page)
	_, err := f.ctx.Map(0x7777, buf, iommufd.MapReadable)
	wantErrno(t, syscall.ENOENT, err, "no such IOAS")
	_, err = f.ctx.Map(f.ioas, buf, 0)
	wantErrno(t, syscall.EINVAL, err, "no access flag")
	_, err = f.ctx.Map(f.ioas, nil, iommufd.MapReadable)
	wantErrno(t, syscall.EINVAL, err, "no buffer")
	wantErrno(t, syscall.EBUSY, f.ctx.Destroy(f.ioas), "an IOAS with a device")
}

// Copy maps the source's pages into another IOAS, sharing their pin, and
// outlives the source mapping.
func TestKernelCopy(t *testing.T) {
	f := newFixture(t)
	dst := f.newIOAS(t)
	ddev := f.newMock(t, dst, 0)
	buf := newBuffer(t, 4*page)
	src, err := f.ctx.Map(f.ioas, buf, iommufd.MapReadWrite)
	must(t, err)
	d1, err := f.ctx.Copy(dst, f.ioas, src, 4*page, iommufd.MapReadWrite)
	must(t, err)
	must(t, iommufdtest.CheckMap(f.ctx, ddev.HWPTID, d1, buf.Bytes()))
	d2 := iommufdtest.ApertureStart + 64*page
	must(t, f.ctx.CopyAt(dst, f.ioas, src+page, 2*page, d2, iommufd.MapReadable))
	must(t, iommufdtest.CheckMap(f.ctx, ddev.HWPTID, d2, buf.Bytes()[page:3*page]))
	must(t, iommufdtest.CheckRefs(f.ctx, buf.Bytes(), 1))
	_, err = f.ctx.Unmap(f.ioas, src, 4*page)
	must(t, err)
	must(t, iommufdtest.CheckMap(f.ctx, ddev.HWPTID, d1, buf.Bytes()))
	_, err = f.ctx.Copy(dst, f.ioas, src, page, iommufd.MapReadable)
	wantErrno(t, syscall.ENOENT, err, "copy of an unmapped range")
}

// The mock's aperture, split by reserved regions; AllowIOVAs steers the
// kernel's choice.
func TestKernelIOVARanges(t *testing.T) {
	f := newFixture(t)
	r, align, err := f.ctx.IOVARanges(f.ioas)
	must(t, err)
	if len(r) != 1 || r[0] != (iommufd.IOVARange{Start: iommufdtest.ApertureStart, Last: iommufdtest.ApertureLast}) {
		t.Errorf("ranges %+v, want the mock aperture", r)
	}
	if align != iommufdtest.PageSize {
		t.Errorf("alignment %d, want the mock page %d", align, iommufdtest.PageSize)
	}
	const mib = 1 << 20
	for i := uint64(0); i < 5; i++ {
		must(t, iommufdtest.AddReserved(f.ctx, f.ioas, iommufdtest.ApertureStart+(2*i+1)*mib, mib))
	}
	r, _, err = f.ctx.IOVARanges(f.ioas) // more than IOVARanges's first guess of 4
	must(t, err)
	if len(r) != 6 || r[5].Start != iommufdtest.ApertureStart+10*mib {
		t.Errorf("ranges %+v, want 6", r)
	}
	small := make([]iommufd.IOVARange, 2)
	n, _, err := f.ctx.IOVARangesInto(f.ioas, small)
	if err != nil || n != 6 || small[1] != r[1] {
		t.Errorf("IOVARangesInto: %d %+v %v", n, small, err)
	}

	allowed := iommufd.IOVARange{Start: iommufdtest.ApertureStart + 16*mib, Last: iommufdtest.ApertureStart + 32*mib - 1}
	must(t, f.ctx.AllowIOVAs(f.ioas, []iommufd.IOVARange{allowed}))
	buf := newBuffer(t, page)
	iova, err := f.ctx.Map(f.ioas, buf, iommufd.MapReadable)
	must(t, err)
	if iova < allowed.Start || iova > allowed.Last {
		t.Errorf("IOVA %#x outside the allowed range", iova)
	}
	must(t, f.ctx.AllowIOVAs(f.ioas, nil))
}

func TestKernelOptions(t *testing.T) {
	f := newFixture(t)
	v, err := f.ctx.Option(iommufd.OptionHugePages, f.ioas)
	must(t, err)
	if v != 1 {
		t.Errorf("huge pages default %d, want 1", v)
	}
	must(t, f.ctx.SetOption(iommufd.OptionHugePages, f.ioas, 0))
	_, err = f.ctx.Option(iommufd.OptionID(99), 0)
	wantErrno(t, syscall.EOPNOTSUPP, err, "unknown option")
	_, err = f.ctx.VFIOIOAS()
	wantErrno(t, syscall.ENODEV, err, "no VFIO IOAS yet")
	must(t, f.ctx.SetVFIOIOAS(f.ioas))
	id, err := f.ctx.VFIOIOAS()
	if err != nil || id != f.ioas {
		t.Errorf("VFIO IOAS %d, %v", id, err)
	}
	must(t, f.ctx.ClearVFIOIOAS())
}
