package iommufd

import (
	"runtime"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// Device is an open VFIO device cdev (/dev/vfio/devices/vfioN).  Once
// bound, it lives in one Context, which must stay open as long as the
// device does.  Calls on one Device must not race.
type Device struct {
	h uintptr // struct iommufd_device *; 0 once closed
}

// OpenDevice opens a VFIO device cdev by path.  syscall.ENOENT: no such
// node (a kernel without CONFIG_VFIO_DEVICE_CDEV, or no device).
// Linux 6.6.
func OpenDevice(path string) (*Device, error) {
	return openDevice("iommufd_device_open", func(h *uintptr) int { return cgen.Iommufd_device_open(path, h) })
}

// OpenPCIDevice opens the VFIO cdev of PCI device bdf ("0000:00:0a.0", or
// "00:0a.0" for domain 0).  syscall.ENODEV, with a sentence saying why,
// when it has none (no such device, bound to another driver...).
func OpenPCIDevice(bdf string) (*Device, error) {
	return openDevice("iommufd_device_open_pci", func(h *uintptr) int { return cgen.Iommufd_device_open_pci(bdf, h) })
}

// AdoptDeviceFD takes ownership of an open VFIO cdev fd (for instance one
// received over a unix socket).  On failure fd stays the caller's.
func AdoptDeviceFD(fd int) (*Device, error) {
	return openDevice("iommufd_device_adopt_fd", func(h *uintptr) int { return cgen.Iommufd_device_adopt_fd(fd, h) })
}

func openDevice(op string, open func(*uintptr) int) (*Device, error) {
	var h uintptr
	begin()
	if err := end(op, int64(open(&h))); err != nil {
		return nil, err
	}
	return &Device{h: h}, nil
}

// Close closes the device (the kernel unbinds and detaches it).  Closing
// twice is no error.
func (d *Device) Close() error {
	if d.h != 0 {
		cgen.Iommufd_device_close(d.h)
		d.h = 0
	}
	return nil
}

// FD returns the cdev's fd (owned by the device), or -1 once closed.
func (d *Device) FD() int {
	if d.h == 0 {
		return -1
	}
	return cgen.Iommufd_device_fd(d.h)
}

// Bind binds the device to ctx (VFIO_DEVICE_BIND_IOMMUFD) and returns its
// device ID, used by HWPT, HW info and vDEVICE calls.  vfToken, when not
// nil, is the 16-byte VF token the PF driver requires (Linux 6.17).
// Linux 6.6.
func (d *Device) Bind(ctx *Context, vfToken []byte) (uint32, error) {
	const op = "iommufd_device_bind"
	if d.h == 0 || ctx.h == 0 {
		return 0, errClosed(op)
	}
	var o cgen.Iommufd_bind_opts
	var pin runtime.Pinner
	defer pin.Unpin()
	if vfToken != nil {
		if len(vfToken) != 16 {
			return 0, errArg(op, "a VF token has 16 bytes")
		}
		co := cgen.NewIommufd_bind_opts()
		defer cgen.DeleteIommufd_bind_opts(co)
		pin.Pin(&vfToken[0])
		co.SetVf_token(unsafe.Pointer(&vfToken[0]))
		o = co
	}
	var id uint32
	begin()
	if err := end(op, int64(cgen.Iommufd_device_bind(d.h, ctx.h, o, &id))); err != nil {
		return 0, err
	}
	return id, nil
}

// ID returns the device ID from Bind, or 0 when not bound.
func (d *Device) ID() uint32 {
	if d.h == 0 {
		return 0
	}
	return cgen.Iommufd_device_id(d.h)
}

// Attach attaches the device to ptID (an IOAS, a paging or a nested HWPT)
// and returns the HWPT now attached; on an attached device it replaces
// the attachment without a window of blocked DMA.  Linux 6.6.
func (d *Device) Attach(ptID uint32) (uint32, error) {
	return d.attach("iommufd_device_attach", func(hwpt *uint32) int {
		return cgen.Iommufd_device_attach(d.h, ptID, hwpt)
	})
}

// Detach detaches the device: its DMA is blocked.  Linux 6.6.
func (d *Device) Detach() error {
	_, err := d.attach("iommufd_device_detach", func(*uint32) int { return cgen.Iommufd_device_detach(d.h) })
	return err
}

// AttachPASID attaches PASID pasid of the device to ptID (a HWPT
// allocated with HWPTPASID) and returns the HWPT now attached.
// Linux 6.15.
func (d *Device) AttachPASID(pasid, ptID uint32) (uint32, error) {
	return d.attach("iommufd_device_pasid_attach", func(hwpt *uint32) int {
		return cgen.Iommufd_device_pasid_attach(d.h, pasid, ptID, hwpt)
	})
}

// DetachPASID detaches PASID pasid.  Linux 6.15.
func (d *Device) DetachPASID(pasid uint32) error {
	_, err := d.attach("iommufd_device_pasid_detach", func(*uint32) int {
		return cgen.Iommufd_device_pasid_detach(d.h, pasid)
	})
	return err
}

func (d *Device) attach(op string, call func(*uint32) int) (uint32, error) {
	if d.h == 0 {
		return 0, errClosed(op)
	}
	var hwpt uint32
	begin()
	err := end(op, int64(call(&hwpt)))
	return hwpt, err
}

// DeviceInfo is what VFIO_DEVICE_GET_INFO says of a device.
type DeviceInfo struct {
	Flags      uint32 `json:"flags"` // VFIO_DEVICE_FLAGS_*: RESET 1, PCI 2, PLATFORM 4, CAPS 128
	NumRegions uint32 `json:"num_regions"`
	NumIRQs    uint32 `json:"num_irqs"`
}

// Info returns VFIO_DEVICE_GET_INFO of the bound device.  Linux 6.6.
func (d *Device) Info() (DeviceInfo, error) {
	const op = "iommufd_device_get_info"
	if d.h == 0 {
		return DeviceInfo{}, errClosed(op)
	}
	in := cgen.NewIommufd_device_info()
	defer cgen.DeleteIommufd_device_info(in)
	begin()
	if err := end(op, int64(cgen.Iommufd_device_get_info(d.h, in))); err != nil {
		return DeviceInfo{}, err
	}
	return DeviceInfo{Flags: in.GetFlags(), NumRegions: in.GetNum_regions(), NumIRQs: in.GetNum_irqs()}, nil
}

// RegionArea is one mmap-able window of a region.
type RegionArea struct {
	Offset uint64 `json:"offset"` // from the start of the region
	Size   uint64 `json:"size"`
}

// RegionInfo is what VFIO_DEVICE_GET_REGION_INFO says of a region, with
// its capability chain decoded.
type RegionInfo struct {
	Index        uint32       `json:"index"`
	Flags        uint32       `json:"flags"` // READ 1, WRITE 2, MMAP 4, CAPS 8
	Size         uint64       `json:"size"`
	Offset       uint64       `json:"offset"` // of the region in the device fd
	Type         uint32       `json:"type"`
	Subtype      uint32       `json:"subtype"`
	MSIXMappable bool         `json:"msix_mappable"`
	Areas        []RegionArea `json:"areas"` // mmap-able windows
}

// RegionInfo returns the info of region index.  Linux 6.6.
func (d *Device) RegionInfo(index uint32) (*RegionInfo, error) {
	const op = "iommufd_device_region_info"
	if d.h == 0 {
		return nil, errClosed(op)
	}
	in := cgen.NewIommufd_region_info()
	defer cgen.DeleteIommufd_region_info(in)
	begin()
	if err := end(op, int64(cgen.Iommufd_device_region_info(d.h, index, in))); err != nil {
		return nil, err
	}
	ri := &RegionInfo{Index: in.GetIndex(), Flags: in.GetFlags(), Size: in.GetSize(),
		Offset: in.GetOffset(), Type: in.GetType(), Subtype: in.GetSubtype(),
		MSIXMappable: in.GetMsix_mappable() != 0}
	for i := uint32(0); i < in.GetNr_areas() && i < 16; i++ {
		ri.Areas = append(ri.Areas, RegionArea{Offset: in.Area_offset(i), Size: in.Area_size(i)})
	}
	return ri, nil
}

// ReadRegion reads len(buf) bytes at offset of region index (aligned 1,
// 2, 4 and 8-byte reads are single accesses of that width).  Linux 6.6.
func (d *Device) ReadRegion(index uint32, offset uint64, buf []byte) error {
	return d.regionIO("iommufd_device_region_read", index, offset, buf, cgen.Iommufd_device_region_read)
}

// WriteRegion writes buf at offset of region index.  Linux 6.6.
func (d *Device) WriteRegion(index uint32, offset uint64, buf []byte) error {
	return d.regionIO("iommufd_device_region_write", index, offset, buf, cgen.Iommufd_device_region_write)
}

func (d *Device) regionIO(op string, index uint32, offset uint64, buf []byte,
	fn func(uintptr, uint32, uint64, unsafe.Pointer, int64) int) error {
	if d.h == 0 {
		return errClosed(op)
	}
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	begin()
	return end(op, int64(fn(d.h, index, offset, p, int64(len(buf)))))
}

// MmapRegion maps [offset, offset+length) of region index (shared; prot
// as mmap(2), e.g. unix.PROT_READ|unix.PROT_WRITE); the range must lie in
// one mmap-able area.  MunmapRegion undoes it.  Linux 6.6.
func (d *Device) MmapRegion(index uint32, offset, length uint64, prot int) ([]byte, error) {
	const op = "iommufd_device_region_mmap"
	if d.h == 0 {
		return nil, errClosed(op)
	}
	var p unsafe.Pointer
	begin()
	if err := end(op, int64(cgen.Iommufd_device_region_mmap(d.h, index, offset, length, prot, &p))); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

// MunmapRegion unmaps memory from MmapRegion.
func MunmapRegion(b []byte) error {
	const op = "iommufd_device_region_munmap"
	if len(b) == 0 {
		return errArg(op, "empty mapping")
	}
	begin()
	return end(op, int64(cgen.Iommufd_device_region_munmap(unsafe.Pointer(&b[0]), uint64(len(b)))))
}

// IRQInfo is what VFIO_DEVICE_GET_IRQ_INFO says of an IRQ index.
type IRQInfo struct {
	Index uint32 `json:"index"`
	Flags uint32 `json:"flags"` // EVENTFD 1, MASKABLE 2, AUTOMASKED 4, NORESIZE 8
	Count uint32 `json:"count"` // vectors
}

// IRQInfo returns the info of IRQ index (PCI: INTx 0, MSI 1, MSI-X 2...).
func (d *Device) IRQInfo(index uint32) (IRQInfo, error) {
	const op = "iommufd_device_irq_info"
	if d.h == 0 {
		return IRQInfo{}, errClosed(op)
	}
	in := cgen.NewIommufd_irq_info()
	defer cgen.DeleteIommufd_irq_info(in)
	begin()
	if err := end(op, int64(cgen.Iommufd_device_irq_info(d.h, index, in))); err != nil {
		return IRQInfo{}, err
	}
	return IRQInfo{Index: in.GetIndex(), Flags: in.GetFlags(), Count: in.GetCount()}, nil
}

// SetIRQEventfds routes vectors [start, start+len(fds)) of IRQ index to
// the eventfds fds (-1 leaves a vector unrouted), enabling the index; no
// fds disables it (VFIO_DEVICE_SET_IRQS).  Linux 6.6.
func (d *Device) SetIRQEventfds(index, start uint32, fds []int32) error {
	const op = "iommufd_device_set_irq_eventfds"
	if d.h == 0 {
		return errClosed(op)
	}
	var p unsafe.Pointer
	if len(fds) > 0 {
		p = unsafe.Pointer(&fds[0])
	}
	begin()
	return end(op, int64(cgen.Iommufd_device_set_irq_eventfds(d.h, index, start, p, uint32(len(fds)))))
}

// Reset resets the device (VFIO_DEVICE_RESET).  Linux 6.6.
func (d *Device) Reset() error {
	const op = "iommufd_device_reset"
	if d.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_device_reset(d.h)))
}
