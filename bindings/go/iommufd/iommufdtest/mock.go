// Package iommufdtest wraps the iommufd selftest mock (IOMMU_TEST_CMD),
// present only in kernels built with CONFIG_IOMMUFD_TEST: mock devices
// without hardware, and looks inside the kernel (what a mock domain maps,
// page pin counts, the mock IOTLB, page requests and vIOMMU events on
// demand).  The mock's interface is kernel-internal and changes between
// releases: nothing here carries an API promise (the C functions are
// <libiommufd/testing.h>, symbol version LIBIOMMUFD_TESTING_UNSTABLE).
//
// Every call fails with syscall.EOPNOTSUPP, its sentence saying "needs
// CONFIG_IOMMUFD_TEST" or naming the op, when the kernel's mock lacks it.
package iommufdtest

import (
	"os"
	"testing"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/bridge"
	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// The mock domain's IOVA aperture and page size.
const (
	ApertureStart uint64 = 1 << 24
	ApertureLast  uint64 = 1<<31 - 1
	PageSize             = 2048
)

// DeviceFlags are the flags of NewMockDevice.
type DeviceFlags uint32

// Mock device flags.
const (
	DeviceNoDirty DeviceFlags = 1 << 0 // no dirty tracking
	DevicePASID   DeviceFlags = 1 << 2 // PASID capable (Linux 6.15)
)

// Op names an op of the mock, for OpSupported (enum iommufd_test_op).
type Op uint32

// Mock ops.
const (
	OpAddReserved        Op = 1
	OpMockDomain         Op = 2
	OpMDCheckMap         Op = 3
	OpMDCheckRefs        Op = 4
	OpCreateAccess       Op = 5
	OpDestroyAccessPages Op = 6
	OpAccessPages        Op = 7
	OpAccessRW           Op = 8
	OpSetTempMemoryLimit Op = 9
	OpMockDomainReplace  Op = 10
	OpAccessReplaceIOAS  Op = 11
	OpMockDomainFlags    Op = 12
	OpDirty              Op = 13
	OpMDCheckIOTLB       Op = 14
	OpTriggerIOPF        Op = 15
	OpDevCheckCache      Op = 16
	OpTriggerVevent      Op = 17
	OpPASIDAttach        Op = 18
	OpPASIDReplace       Op = 19
	OpPASIDDetach        Op = 20
	OpPASIDCheckHWPT     Op = 21
)

// Open opens /dev/iommu for a test, closed when the test ends, or skips
// the test, saying why, where there is no iommufd or no selftest mock.
func Open(tb testing.TB) *iommufd.Context {
	tb.Helper()
	if _, err := os.Stat("/dev/iommu"); err != nil {
		tb.Skip("no /dev/iommu here: the kernel scenarios run in the test VM (ctest -L go)")
	}
	ctx, err := iommufd.Open()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ctx.Close() })
	if ok, err := OpSupported(ctx, OpMockDomain); err != nil || !ok {
		tb.Skipf("this kernel has no selftest mock (CONFIG_IOMMUFD_TEST): %v", err)
	}
	return ctx
}

// call runs one C call on ctx's handle with the binding's error rules.
func call(ctx *iommufd.Context, op string, fn func(h uintptr) int) error {
	h := bridge.Handle(ctx)
	if h == 0 {
		return bridge.Closed(op)
	}
	bridge.Begin()
	return bridge.End(op, int64(fn(h)))
}

// OpSupported tells whether this kernel's mock knows op (false also when
// there is no mock at all).
func OpSupported(ctx *iommufd.Context, op Op) (bool, error) {
	var yes bool
	err := call(ctx, "iommufd_test_op_supported", func(h uintptr) int {
		rc := cgen.Iommufd_test_op_supported(h, uint32(op))
		yes = rc == 1
		return rc
	})
	return yes, err
}

// MockDevice is a mock device, bound and attached to an IOAS or HWPT.
// Close unplugs it.
type MockDevice struct {
	ctx *iommufd.Context
	// StdevID is the selftest device object (destroyed by Close).
	StdevID uint32
	// HWPTID is the HWPT it is attached to (a mock domain when attached
	// to an IOAS).
	HWPTID uint32
	// DevID is its device ID, as VFIO bind would give.
	DevID uint32
}

// NewMockDevice creates a mock device, binds it and attaches it to ptID
// (an IOAS or HWPT).
func NewMockDevice(ctx *iommufd.Context, ptID uint32, flags DeviceFlags) (*MockDevice, error) {
	// Out-parameters are variables of their own: cgo refuses a pointer
	// into a struct that holds Go pointers (ctx).
	var stdev, hwpt, dev uint32
	err := call(ctx, "iommufd_test_mock_domain", func(h uintptr) int {
		return cgen.Iommufd_test_mock_domain(h, ptID, uint32(flags), &stdev, &hwpt, &dev)
	})
	if err != nil {
		return nil, err
	}
	return &MockDevice{ctx: ctx, StdevID: stdev, HWPTID: hwpt, DevID: dev}, nil
}

// Close unplugs the device (destroys its selftest object).  Closing
// twice is no error.
func (d *MockDevice) Close() error {
	if d.StdevID == 0 {
		return nil
	}
	err := d.ctx.Destroy(d.StdevID)
	if err == nil {
		d.StdevID = 0
	}
	return err
}

// Replace moves the device to ptID and returns the HWPT now attached
// (also kept in HWPTID).
func (d *MockDevice) Replace(ptID uint32) (uint32, error) {
	var hwpt uint32
	err := call(d.ctx, "iommufd_test_mock_domain_replace", func(h uintptr) int {
		return cgen.Iommufd_test_mock_domain_replace(h, d.StdevID, ptID, &hwpt)
	})
	if err == nil {
		d.HWPTID = hwpt
	}
	return hwpt, err
}

// TriggerIOPF makes the device raise a page request (Linux 6.11).
func (d *MockDevice) TriggerIOPF(pasid, grpid uint32, perm iommufd.FaultPerm, addr uint64) error {
	return call(d.ctx, "iommufd_test_trigger_iopf", func(h uintptr) int {
		return cgen.Iommufd_test_trigger_iopf(h, d.DevID, pasid, grpid, uint32(perm), addr)
	})
}

// TriggerVevent makes the device report a vIOMMU event; it needs a
// vDEVICE (Linux 6.15).
func (d *MockDevice) TriggerVevent() error {
	return call(d.ctx, "iommufd_test_trigger_vevent", func(h uintptr) int {
		return cgen.Iommufd_test_trigger_vevent(h, d.DevID)
	})
}

// CheckDevCache proves the device's cache entry cacheID holds expected
// (vIOMMU invalidation, Linux 6.13).
func (d *MockDevice) CheckDevCache(cacheID, expected uint32) error {
	return call(d.ctx, "iommufd_test_check_dev_cache", func(h uintptr) int {
		return cgen.Iommufd_test_check_dev_cache(h, d.DevID, cacheID, expected)
	})
}

// AttachPASID attaches PASID pasid of a DevicePASID device to ptID
// (Linux 6.15).
func (d *MockDevice) AttachPASID(pasid, ptID uint32) error {
	return call(d.ctx, "iommufd_test_pasid_attach", func(h uintptr) int {
		return cgen.Iommufd_test_pasid_attach(h, d.StdevID, pasid, ptID)
	})
}

// ReplacePASID moves PASID pasid to ptID (Linux 6.15).
func (d *MockDevice) ReplacePASID(pasid, ptID uint32) error {
	return call(d.ctx, "iommufd_test_pasid_replace", func(h uintptr) int {
		return cgen.Iommufd_test_pasid_replace(h, d.StdevID, pasid, ptID)
	})
}

// DetachPASID detaches PASID pasid (Linux 6.15).
func (d *MockDevice) DetachPASID(pasid uint32) error {
	return call(d.ctx, "iommufd_test_pasid_detach", func(h uintptr) int {
		return cgen.Iommufd_test_pasid_detach(h, d.StdevID, pasid)
	})
}

// CheckPASIDHWPT proves PASID pasid is attached to hwptID (0: to none).
func (d *MockDevice) CheckPASIDHWPT(pasid, hwptID uint32) error {
	return call(d.ctx, "iommufd_test_pasid_check_hwpt", func(h uintptr) int {
		return cgen.Iommufd_test_pasid_check_hwpt(h, d.StdevID, pasid, hwptID)
	})
}

// AddReserved reserves [start, start+length) in IOAS ioas, as a device's
// reserved region would.
func AddReserved(ctx *iommufd.Context, ioas uint32, start, length uint64) error {
	return call(ctx, "iommufd_test_add_reserved", func(h uintptr) int {
		return cgen.Iommufd_test_add_reserved(h, ioas, start, length)
	})
}

// CheckMap proves that mock HWPT hwptID maps [iova, iova+len(buf)) to the
// pages of buf.  syscall.EINVAL: a page maps elsewhere or not at all.
func CheckMap(ctx *iommufd.Context, hwptID uint32, iova uint64, buf []byte) error {
	return call(ctx, "iommufd_test_check_map", func(h uintptr) int {
		return cgen.Iommufd_test_check_map(h, hwptID, iova, uint64(len(buf)), ptr(buf))
	})
}

// CheckRefs proves every page of buf has refs pin references.
// syscall.EIO: a page's count differs.
func CheckRefs(ctx *iommufd.Context, buf []byte, refs uint32) error {
	return call(ctx, "iommufd_test_check_refs", func(h uintptr) int {
		return cgen.Iommufd_test_check_refs(h, ptr(buf), uint64(len(buf)), refs)
	})
}

// SetTempMemoryLimit limits the pages the mock's storage may use (0
// restores the default).
func SetTempMemoryLimit(ctx *iommufd.Context, limit uint32) error {
	return call(ctx, "iommufd_test_set_temp_memory_limit", func(h uintptr) int {
		return cgen.Iommufd_test_set_temp_memory_limit(h, limit)
	})
}

// Dirty marks as dirty, in the mock domain of hwptID, the pages of
// [iova, iova+length) whose bit is set in bitmap (one bit per pageSize),
// and returns how many it marked.
func Dirty(ctx *iommufd.Context, hwptID uint32, iova, length, pageSize uint64,
	bitmap iommufd.Bitmap) (uint64, error) {
	var n uint64
	err := call(ctx, "iommufd_test_dirty", func(h uintptr) int {
		var p unsafe.Pointer
		if len(bitmap) > 0 {
			p = unsafe.Pointer(&bitmap[0])
		}
		return cgen.Iommufd_test_dirty(h, hwptID, iova, length, pageSize, p, &n)
	})
	return n, err
}

// CheckIOTLB proves entry iotlbID of nested mock HWPT hwptID holds
// expected.
func CheckIOTLB(ctx *iommufd.Context, hwptID, iotlbID, expected uint32) error {
	return call(ctx, "iommufd_test_check_iotlb", func(h uintptr) int {
		return cgen.Iommufd_test_check_iotlb(h, hwptID, iotlbID, expected)
	})
}

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}
