package iommufd

import "github.com/libiommufd/libiommufd/bindings/go/internal/cgen"

// HWInfoType is the type of IOMMU behind a device (enum
// iommufd_hw_info_type).
type HWInfoType uint32

// IOMMU types.
const (
	HWInfoTypeNone          HWInfoType = 0
	HWInfoTypeIntelVTD      HWInfoType = 1
	HWInfoTypeArmSMMUv3     HWInfoType = 2
	HWInfoTypeTegra241CMDQV HWInfoType = 3
	HWInfoTypeAMD           HWInfoType = 4
	HWInfoTypeSelftest      HWInfoType = 0xfeedbeef
)

// HWCaps are the capability bits of HWInfo (enum iommufd_hw_cap).
type HWCaps uint64

// Capabilities.
const (
	HWCapDirtyTracking      HWCaps = 1 << 0
	HWCapPCIPASIDExec       HWCaps = 1 << 1
	HWCapPCIPASIDPriv       HWCaps = 1 << 2
	HWCapPCIATSNotSupported HWCaps = 1 << 3
	hwInfoMaxData                  = 256
)

// HWInfo is what IOMMU_GET_HW_INFO says of the IOMMU behind a device.
type HWInfo struct {
	Type    HWInfoType `json:"type"`
	DataLen uint32     `json:"data_len"` // bytes of vendor data the kernel has
	// Capabilities means nothing when CapabilitiesKnown is false (a
	// kernel before 6.7), not "none".
	Capabilities      HWCaps `json:"capabilities"`
	CapabilitiesKnown bool   `json:"capabilities_known"`
	// MaxPASIDLog2 is the PASID width (0: no PASID); it means nothing
	// when MaxPASIDLog2Known is false.
	MaxPASIDLog2      uint32 `json:"max_pasid_log2"`
	MaxPASIDLog2Known bool   `json:"max_pasid_log2_known"`
	// The vendor data, by Type; Raw holds it as bytes for any type.
	VTD      *HWInfoVTD      `json:"vtd,omitempty"`
	SMMUv3   *HWInfoSMMUv3   `json:"smmuv3,omitempty"`
	Selftest *HWInfoSelftest `json:"selftest,omitempty"`
	Raw      []byte          `json:"raw"`
}

// HWInfoVTD is Intel VT-d's vendor data.
type HWInfoVTD struct {
	Flags   uint32 `json:"flags"`
	CapReg  uint64 `json:"cap_reg"`
	EcapReg uint64 `json:"ecap_reg"`
}

// HWInfoSMMUv3 is ARM SMMUv3's vendor data.
type HWInfoSMMUv3 struct {
	Flags uint32    `json:"flags"`
	IDR   [6]uint32 `json:"idr"`
	IIDR  uint32    `json:"iidr"`
	AIDR  uint32    `json:"aidr"`
}

// HWInfoSelftest is the selftest mock's vendor data (TestReg 0xdeadbeef).
type HWInfoSelftest struct {
	Flags   uint32 `json:"flags"`
	TestReg uint32 `json:"test_reg"`
}

// HWInfo returns what the IOMMU behind bound device devID is and can do
// (IOMMU_GET_HW_INFO).  syscall.ENOENT: no such device.  Linux 6.6.
func (c *Context) HWInfo(devID uint32) (*HWInfo, error) {
	const op = "iommufd_get_hw_info"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	in := cgen.NewIommufd_hw_info()
	defer cgen.DeleteIommufd_hw_info(in)
	begin()
	if err := end(op, int64(cgen.Iommufd_get_hw_info(c.h, devID, in))); err != nil {
		return nil, err
	}
	info := &HWInfo{
		Type:              HWInfoType(in.GetType()),
		DataLen:           in.GetData_len(),
		Capabilities:      HWCaps(in.GetCapabilities()),
		CapabilitiesKnown: in.GetCapabilities_known() != 0,
		MaxPASIDLog2:      in.GetMax_pasid_log2(),
		MaxPASIDLog2Known: in.GetMax_pasid_log2_known() != 0,
	}
	n := min(info.DataLen, hwInfoMaxData)
	info.Raw = make([]byte, n)
	for i := range info.Raw {
		info.Raw[i] = in.Raw_byte(uint32(i))
	}
	switch info.Type {
	case HWInfoTypeIntelVTD:
		v := in.GetVtd()
		info.VTD = &HWInfoVTD{Flags: v.GetFlags(), CapReg: v.GetCap_reg(), EcapReg: v.GetEcap_reg()}
	case HWInfoTypeArmSMMUv3:
		s := in.GetSmmuv3()
		info.SMMUv3 = &HWInfoSMMUv3{Flags: s.GetFlags(), IIDR: s.GetIidr(), AIDR: s.GetAidr()}
		for i := range info.SMMUv3.IDR {
			info.SMMUv3.IDR[i] = leUint32(info.Raw, 8+4*i)
		}
	case HWInfoTypeSelftest:
		s := in.GetSelftest()
		info.Selftest = &HWInfoSelftest{Flags: s.GetFlags(), TestReg: s.GetTest_reg()}
	}
	return info, nil
}

// leUint32 reads a little-endian word at off of b, 0 past its end.
func leUint32(b []byte, off int) uint32 {
	if off+4 > len(b) {
		return 0
	}
	return uint32(b[off]) | uint32(b[off+1])<<8 | uint32(b[off+2])<<16 | uint32(b[off+3])<<24
}
