package iommufd

import (
	"math/bits"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// DirtyFlags are the flags of ReadDirty.
type DirtyFlags uint32

// Dirty bitmap flags.
const (
	// DirtyNoClear reads without clearing (before an unmap).
	DirtyNoClear DirtyFlags = 1 << 0
	// DirtyMerge ORs into the bitmap instead of replacing it: to merge
	// the HWPTs of several devices.
	DirtyMerge DirtyFlags = 1 << 16
	// DirtyChunked reads 32768 pages per ioctl, so maps and unmaps of
	// the IOAS by other threads wait for one chunk at most.
	DirtyChunked DirtyFlags = 1 << 17
)

// Bitmap is a dirty bitmap: bit i (bit i%64 of word i/64) stands for the
// page at iova + i*pageSize, as the kernel writes it.
type Bitmap []uint64

// NewBitmap returns a zeroed bitmap for pages bits.
func NewBitmap(pages uint64) Bitmap { return make(Bitmap, (pages+63)/64) }

// Test reports whether bit i is set.
func (b Bitmap) Test(i uint64) bool { return b[i/64]&(1<<(i%64)) != 0 }

// Set sets bit i.
func (b Bitmap) Set(i uint64) { b[i/64] |= 1 << (i % 64) }

// Count returns the number of bits set.
func (b Bitmap) Count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// SetDirtyTracking starts or stops tracking DMA writes in a paging HWPT
// allocated with HWPTDirtyTracking (IOMMU_HWPT_SET_DIRTY_TRACKING).
// Starting clears the dirty bits left from before.  Linux 6.7.
func (h *HWPT) SetDirtyTracking(enable bool) error {
	const op = "iommufd_hwpt_set_dirty_tracking"
	if h.ctx.h == 0 {
		return errClosed(op)
	}
	on := 0
	if enable {
		on = 1
	}
	begin()
	return end(op, int64(cgen.Iommufd_hwpt_set_dirty_tracking(h.ctx.h, h.id, on)))
}

// DirtyBitmap reads (and clears, unless DirtyNoClear) the dirty bits of
// [iova, iova+length) in pageSize units into a new Bitmap.  Linux 6.7.
func (h *HWPT) DirtyBitmap(iova, length, pageSize uint64, flags DirtyFlags) (Bitmap, error) {
	if pageSize == 0 {
		return nil, errArg("iommufd_hwpt_get_dirty_bitmap", "page size 0")
	}
	b := NewBitmap(length / pageSize)
	return b, h.ReadDirty(iova, length, pageSize, b, flags&^DirtyMerge)
}

// ReadDirty reads the dirty bits of [iova, iova+length) into b, which must
// hold length/pageSize bits (IOMMU_HWPT_GET_DIRTY_BITMAP: one ioctl, or
// one per 32768 pages with DirtyChunked).  Without DirtyMerge, b is zeroed
// first.  The range must be fully mapped.  Linux 6.7.
func (h *HWPT) ReadDirty(iova, length, pageSize uint64, b Bitmap, flags DirtyFlags) error {
	const op = "iommufd_hwpt_get_dirty_bitmap"
	if h.ctx.h == 0 {
		return errClosed(op)
	}
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	begin()
	rc := cgen.Iommufd_hwpt_get_dirty_bitmap(h.ctx.h, h.id, iova, length, pageSize, p,
		int64(len(b)*8), uint32(flags))
	return end(op, int64(rc))
}
