package iommufd

import (
	"runtime"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// HWPT is a hardware page table: a paging HWPT over an IOAS, or a nested
// one carrying a guest's stage-1 table (BIND_PGTBL) over a nesting parent
// or a vIOMMU.  Close destroys it.
type HWPT struct {
	object
}

// object is a kernel object of a Context named by its ID, which Close
// destroys.
type object struct {
	ctx *Context
	id  uint32
}

// ID returns the object's ID.
func (o *object) ID() uint32 { return o.id }

// Close destroys the object (IOMMU_DESTROY).  Closing twice is no error.
func (o *object) Close() error {
	if o.id == 0 {
		return nil
	}
	err := o.ctx.Destroy(o.id)
	if err == nil {
		o.id = 0
	}
	return err
}

// HWPTFlags are the flags of HWPTOptions (enum iommufd_hwpt_alloc_flag).
type HWPTFlags uint32

// HWPT allocation flags.
const (
	HWPTNestParent    HWPTFlags = 1 << 0 // may parent nested HWPTs (6.7)
	HWPTDirtyTracking HWPTFlags = 1 << 1 // tracks DMA writes (6.7)
	HWPTPASID         HWPTFlags = 1 << 3 // attachable to PASIDs (6.15)
)

// HWPTData is the vendor data of a nested HWPT: one of HWPTSelftest,
// HWPTVTDS1, HWPTArmSMMUv3, or RawHWPTData for another type.
type HWPTData interface {
	hwptData() (dataType uint32, data []byte)
}

// HWPTSelftest is the selftest mock's nested data: the initial value of
// its IOTLB entries (struct iommufd_hwpt_selftest).
type HWPTSelftest struct {
	IOTLB uint32 `json:"iotlb"`
}

// HWPTVTDS1 is an Intel VT-d stage-1 table (struct iommufd_hwpt_vtd_s1).
type HWPTVTDS1 struct {
	Flags     uint64 `json:"flags"` // SRE 1, EAFE 2, WPE 4
	PgtblAddr uint64 `json:"pgtbl_addr"`
	AddrWidth uint32 `json:"addr_width"`
	reserved  uint32
}

// HWPTArmSMMUv3 is an ARM SMMUv3 guest Stream Table Entry (little-endian
// words, struct iommufd_hwpt_arm_smmuv3).
type HWPTArmSMMUv3 struct {
	STE [2]uint64 `json:"ste"`
}

// RawHWPTData is vendor data of any type, as bytes.
type RawHWPTData struct {
	Type uint32
	Data []byte
}

// Vendor data types (enum iommufd_hwpt_data_type).
const (
	HWPTDataVTDS1     = 1
	HWPTDataArmSMMUv3 = 2
	HWPTDataAMDGuest  = 3
	HWPTDataSelftest  = 0xdead
)

func (d HWPTSelftest) hwptData() (uint32, []byte)  { return HWPTDataSelftest, asBytes(&d) }
func (d HWPTVTDS1) hwptData() (uint32, []byte)     { return HWPTDataVTDS1, asBytes(&d) }
func (d HWPTArmSMMUv3) hwptData() (uint32, []byte) { return HWPTDataArmSMMUv3, asBytes(&d) }
func (d RawHWPTData) hwptData() (uint32, []byte)   { return d.Type, d.Data }

// asBytes views a pointer-free value as its bytes.
func asBytes[T any](v *T) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(v)), unsafe.Sizeof(*v))
}

// HWPTOptions are the options of AllocHWPT; nil means a plain paging HWPT.
type HWPTOptions struct {
	Flags HWPTFlags
	// FaultQueue receives the HWPT's page requests (PAGE_REQUEST); nil
	// for none.  Linux 6.11 (on paging HWPTs, newer kernels only).
	FaultQueue *FaultQueue
	// Data makes a nested HWPT; nil for a paging one.
	Data HWPTData
}

// AllocHWPT allocates a HWPT for device devID (IOMMU_HWPT_ALLOC) over
// ptID: an IOAS for a paging HWPT; a nesting parent HWPT or a vIOMMU for a
// nested one (opts.Data set).  syscall.EOPNOTSUPP: the kernel or the IOMMU
// lacks a flag, type or field (the sentence says which, and the release
// it needs).  Linux 6.6; nesting 6.7; fault queues 6.11.
func (c *Context) AllocHWPT(devID, ptID uint32, opts *HWPTOptions) (*HWPT, error) {
	const op = "iommufd_hwpt_alloc"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	var o cgen.Iommufd_hwpt_alloc_opts
	var pin runtime.Pinner
	defer pin.Unpin()
	if opts != nil {
		co := cgen.NewIommufd_hwpt_alloc_opts()
		defer cgen.DeleteIommufd_hwpt_alloc_opts(co)
		co.SetFlags(uint32(opts.Flags))
		if opts.FaultQueue != nil {
			co.SetFault_id(opts.FaultQueue.ID())
		}
		if opts.Data != nil {
			typ, data := opts.Data.hwptData()
			co.SetData_type(typ)
			if len(data) > 0 {
				// The options live in C memory: the data they point to
				// stays put while pinned.
				pin.Pin(&data[0])
				co.SetData(unsafe.Pointer(&data[0]))
				co.SetData_len(uint32(len(data)))
			}
		}
		o = co
	}
	var id uint32
	begin()
	if err := end(op, int64(cgen.Iommufd_hwpt_alloc(c.h, devID, ptID, o, &id))); err != nil {
		return nil, err
	}
	return &HWPT{object{ctx: c, id: id}}, nil
}

// Invalidate invalidates caches of a nested HWPT with vendor entries
// (IOMMU_HWPT_INVALIDATE, CACHE_INVLD) and returns how many the kernel
// handled: all of them, or on failure the index of the one that failed.
// No entries asks whether the HWPT takes that type at all.  Linux 6.8.
func (h *HWPT) Invalidate(entries Invalidations) (int, error) {
	return invalidate(h.ctx, "iommufd_hwpt_invalidate", h.id, entries, cgen.Iommufd_hwpt_invalidate)
}

// Invalidations is an array of one vendor's invalidation entries:
// SelftestInvalidations, VTDS1Invalidations, ArmSMMUv3Invalidations,
// VIOMMUSelftestInvalidations, or RawInvalidations.
type Invalidations interface {
	invalidations() (dataType uint32, entries unsafe.Pointer, entryLen uint32, n int)
}

// Invalidation data types (enum iommufd_invalidate_data_type).
const (
	InvalidateDataVTDS1           = 0
	InvalidateDataVIOMMUArmSMMUv3 = 1
	InvalidateDataSelftest        = 0xdeadbeef
)

// SelftestInvalidate is an entry of the mock's nested HWPT: IOTLB entry
// IOTLBID, or with flag 1 (all) every one (struct
// iommufd_selftest_invalidate).
type SelftestInvalidate struct {
	Flags   uint32 `json:"flags"`
	IOTLBID uint32 `json:"iotlb_id"`
}

// VIOMMUSelftestInvalidate is an entry of the mock's vIOMMU: device-cache
// entry CacheID (0..3) of the device with virtual ID VDevID, or with flag
// 1 (all) every one (struct iommufd_viommu_selftest_invalidate).
type VIOMMUSelftestInvalidate struct {
	Flags   uint32 `json:"flags"`
	VDevID  uint32 `json:"vdev_id"`
	CacheID uint32 `json:"cache_id"`
}

// VTDS1Invalidate is a VT-d stage-1 IOTLB invalidation (struct
// iommufd_vtd_s1_invalidate).
type VTDS1Invalidate struct {
	Addr     uint64 `json:"addr"`
	NPages   uint64 `json:"npages"`
	Flags    uint32 `json:"flags"` // LEAF 1
	reserved uint32
}

// ArmSMMUv3Invalidate is an SMMUv3 command (little endian, struct
// iommufd_arm_smmuv3_invalidate).
type ArmSMMUv3Invalidate struct {
	Cmd [2]uint64 `json:"cmd"`
}

// Typed entry arrays.
type (
	SelftestInvalidations       []SelftestInvalidate
	VIOMMUSelftestInvalidations []VIOMMUSelftestInvalidate
	VTDS1Invalidations          []VTDS1Invalidate
	ArmSMMUv3Invalidations      []ArmSMMUv3Invalidate
)

// RawInvalidations are entries of any type: Count entries of EntryLen
// bytes each in Data.
type RawInvalidations struct {
	Type     uint32
	EntryLen uint32
	Count    int
	Data     []byte
}

func entriesOf[T any](s []T) (unsafe.Pointer, uint32, int) {
	var zero T
	if len(s) == 0 {
		return nil, uint32(unsafe.Sizeof(zero)), 0
	}
	return unsafe.Pointer(&s[0]), uint32(unsafe.Sizeof(zero)), len(s)
}

func (s SelftestInvalidations) invalidations() (uint32, unsafe.Pointer, uint32, int) {
	p, l, n := entriesOf(s)
	return InvalidateDataSelftest, p, l, n
}

func (s VIOMMUSelftestInvalidations) invalidations() (uint32, unsafe.Pointer, uint32, int) {
	p, l, n := entriesOf(s)
	return InvalidateDataSelftest, p, l, n
}

func (s VTDS1Invalidations) invalidations() (uint32, unsafe.Pointer, uint32, int) {
	p, l, n := entriesOf(s)
	return InvalidateDataVTDS1, p, l, n
}

func (s ArmSMMUv3Invalidations) invalidations() (uint32, unsafe.Pointer, uint32, int) {
	p, l, n := entriesOf(s)
	return InvalidateDataVIOMMUArmSMMUv3, p, l, n
}

func (r RawInvalidations) invalidations() (uint32, unsafe.Pointer, uint32, int) {
	var p unsafe.Pointer
	if len(r.Data) > 0 {
		p = unsafe.Pointer(&r.Data[0])
	}
	return r.Type, p, r.EntryLen, r.Count
}

type invalidateFn func(uintptr, uint32, uint32, unsafe.Pointer, uint32, *uint32) int

func invalidate(c *Context, op string, id uint32, e Invalidations, fn invalidateFn) (int, error) {
	if c.h == 0 {
		return 0, errClosed(op)
	}
	if e == nil {
		return 0, errArg(op, "no entries (nil Invalidations)")
	}
	typ, p, entryLen, n := e.invalidations()
	if r, ok := e.(RawInvalidations); ok && uint64(len(r.Data)) < uint64(r.EntryLen)*uint64(r.Count) {
		return 0, errArg(op, "RawInvalidations: Data is shorter than Count * EntryLen")
	}
	if n < 0 || uint64(n) > 0xffffffff {
		return 0, errArg(op, "entry count out of range")
	}
	num := uint32(n)
	begin()
	err := end(op, int64(fn(c.h, id, typ, p, entryLen, &num)))
	return int(num), err
}
