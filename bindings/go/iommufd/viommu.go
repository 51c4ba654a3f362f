package iommufd

import (
	"runtime"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// VIOMMUType is the type of a vIOMMU (enum iommufd_viommu_type).
type VIOMMUType uint32

// vIOMMU types.
const (
	VIOMMUTypeDefault       VIOMMUType = 0 // refused by current kernels
	VIOMMUTypeArmSMMUv3     VIOMMUType = 1
	VIOMMUTypeTegra241CMDQV VIOMMUType = 2
	VIOMMUTypeSelftest      VIOMMUType = 0xdeadbeef
)

// VIOMMUSelftest is the selftest mock's vIOMMU data: it copies InData to
// OutData and to the first word of the two pages it offers to mmap
// (struct iommufd_viommu_selftest, Linux 6.17).
type VIOMMUSelftest struct {
	InData        uint32 `json:"in_data"`
	OutData       uint32 `json:"out_data"`
	OutMmapOffset uint64 `json:"out_mmap_offset"`
	OutMmapLength uint64 `json:"out_mmap_length"`
}

// Bytes returns the memory of d itself, for AllocVIOMMU: after the call,
// d holds what the kernel wrote back.
func (d *VIOMMUSelftest) Bytes() []byte { return asBytes(d) }

// VIOMMU is the guest's view of one physical IOMMU, on a nesting-parent
// HWPT.  Nested HWPTs may take it as their parent (AllocHWPT), and
// invalidations may target it.  Close destroys it.
type VIOMMU struct {
	object
}

// AllocVIOMMU allocates a vIOMMU of type typ for the IOMMU behind device
// devID, translating through nesting-parent HWPT hwptID
// (IOMMU_VIOMMU_ALLOC).  data, when not nil, is the type's data: sent to
// the kernel and overwritten with what it writes back (Linux 6.17).
// syscall.EOPNOTSUPP: the IOMMU does not offer typ, or "needs Linux
// 6.13".  Linux 6.13.
func (c *Context) AllocVIOMMU(devID, hwptID uint32, typ VIOMMUType, data []byte) (*VIOMMU, error) {
	const op = "iommufd_viommu_alloc"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	var o cgen.Iommufd_viommu_alloc_opts
	var pin runtime.Pinner
	defer pin.Unpin()
	if len(data) > 0 {
		co := cgen.NewIommufd_viommu_alloc_opts()
		defer cgen.DeleteIommufd_viommu_alloc_opts(co)
		pin.Pin(&data[0])
		co.SetData(unsafe.Pointer(&data[0]))
		co.SetData_len(uint32(len(data)))
		o = co
	}
	var id uint32
	begin()
	if err := end(op, int64(cgen.Iommufd_viommu_alloc(c.h, devID, hwptID, uint32(typ), o, &id))); err != nil {
		return nil, err
	}
	return &VIOMMU{object{ctx: c, id: id}}, nil
}

// Invalidate invalidates caches the vIOMMU covers (device caches, guest
// TLBs) with vendor entries and returns how many the kernel handled, as
// HWPT.Invalidate.  Linux 6.13.
func (v *VIOMMU) Invalidate(entries Invalidations) (int, error) {
	return invalidate(v.ctx, "iommufd_viommu_invalidate", v.id, entries, cgen.Iommufd_viommu_invalidate)
}

// AllocVDevice tells the vIOMMU that device devID has virtual ID virtID
// in the guest (a virtual StreamID, a vRID) and returns the vDEVICE's ID
// (IOMMU_VDEVICE_ALLOC); Context.Destroy frees it.  syscall.EEXIST: the
// device has one already, or virtID is taken.  Linux 6.13.
func (v *VIOMMU) AllocVDevice(devID uint32, virtID uint64) (uint32, error) {
	const op = "iommufd_vdevice_alloc"
	if v.ctx.h == 0 {
		return 0, errClosed(op)
	}
	var id uint32
	begin()
	err := end(op, int64(cgen.Iommufd_vdevice_alloc(v.ctx.h, v.id, devID, virtID, &id)))
	return id, err
}

// HWQueueType is the type of a HW queue (enum iommufd_hw_queue_type).
type HWQueueType uint32

// HW queue types.
const (
	HWQueueTypeDefault       HWQueueType = 0
	HWQueueTypeTegra241CMDQV HWQueueType = 1
	HWQueueTypeSelftest      HWQueueType = 0xdeadbeef
)

// AllocHWQueue gives the IOMMU queue index of type typ in guest memory at
// [iova, iova+length) of the IOAS under the vIOMMU's nesting parent, which
// must be mapped already, and returns its ID (IOMMU_HW_QUEUE_ALLOC).  The
// queue pins that range until destroyed.  Linux 6.17.
func (v *VIOMMU) AllocHWQueue(typ HWQueueType, index uint32, iova, length uint64) (uint32, error) {
	const op = "iommufd_hw_queue_alloc"
	if v.ctx.h == 0 {
		return 0, errClosed(op)
	}
	var id uint32
	begin()
	err := end(op, int64(cgen.Iommufd_hw_queue_alloc(v.ctx.h, v.id, uint32(typ), index, iova, length, &id)))
	return id, err
}

// MmapVIOMMU maps what a vIOMMU offers at offset (from its data, e.g.
// VIOMMUSelftest.OutMmapOffset) for length bytes, shared and writable, and
// returns the memory; MunmapVIOMMU undoes it.  syscall.ENXIO: offset or
// length is not what the kernel offered.  Linux 6.17.
func (c *Context) MmapVIOMMU(offset uint64, length int) ([]byte, error) {
	const op = "iommufd_viommu_mmap"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	if length <= 0 {
		return nil, errArg(op, "length must be positive")
	}
	var p unsafe.Pointer
	begin()
	if err := end(op, int64(cgen.Iommufd_viommu_mmap(c.h, offset, int64(length), &p))); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

// MunmapVIOMMU unmaps memory from MmapVIOMMU.
func (c *Context) MunmapVIOMMU(b []byte) error {
	const op = "iommufd_viommu_munmap"
	if c.h == 0 {
		return errClosed(op)
	}
	if len(b) == 0 {
		return errArg(op, "empty mapping")
	}
	begin()
	return end(op, int64(cgen.Iommufd_viommu_munmap(c.h, unsafe.Pointer(&b[0]), int64(len(b)))))
}
