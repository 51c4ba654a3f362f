package iommufd

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// The Go record types are read and written by C through unsafe.Pointer:
// their size and every field's offset must be the C struct's.
func TestRecordLayoutsMatchC(t *testing.T) {
	for _, tc := range []struct {
		c      string
		v      any
		fields []string // in the order of ifd_go_layout()'s field numbers
	}{
		{"iommufd_fault", Fault{}, []string{"DevID", "PASID", "GrpID", "Perm", "Addr", "Length", "Cookie"}},
		{"iommufd_fault_response", FaultResponse{}, []string{"Code"}},
		{"iommufd_vevent", Vevent{}, []string{"Sequence", "Lost", "DataLen", "Data"}},
		{"iommufd_iova_range", IOVARange{}, []string{"Last"}},
		{"iommufd_selftest_invalidate", SelftestInvalidate{}, []string{"IOTLBID"}},
		{"iommufd_viommu_selftest_invalidate", VIOMMUSelftestInvalidate{}, []string{"VDevID", "CacheID"}},
		{"iommufd_vtd_s1_invalidate", VTDS1Invalidate{}, nil},
		{"iommufd_hwpt_selftest", HWPTSelftest{}, nil},
		{"iommufd_hwpt_vtd_s1", HWPTVTDS1{}, nil},
		{"iommufd_viommu_selftest", VIOMMUSelftest{}, []string{"OutData", "OutMmapOffset", "OutMmapLength"}},
	} {
		typ := reflect.TypeOf(tc.v)
		if got, want := int64(typ.Size()), cgen.Ifd_go_layout(tc.c, 0); got != want {
			t.Errorf("%s: Go size %d, C size %d", tc.c, got, want)
		}
		for i, name := range tc.fields {
			f, ok := typ.FieldByName(name)
			if !ok {
				t.Fatalf("%s has no field %s", typ, name)
			}
			if got, want := int64(f.Offset), cgen.Ifd_go_layout(tc.c, i+1); got != want {
				t.Errorf("%s.%s: Go offset %d, C offset %d", tc.c, name, got, want)
			}
		}
	}
	if n := unsafe.Sizeof(ArmSMMUv3Invalidate{}); n != 16 {
		t.Errorf("ArmSMMUv3Invalidate is %d bytes, want 16", n)
	}
}

// The Go constants are the C enums' values.
func TestConstantsMatchC(t *testing.T) {
	for _, tc := range []struct {
		name    string
		go_, c_ uint64
	}{
		{"MapWriteable", uint64(MapWriteable), uint64(cgen.IOMMUFD_MAP_WRITEABLE)},
		{"MapReadable", uint64(MapReadable), uint64(cgen.IOMMUFD_MAP_READABLE)},
		{"mapFixedIOVA", uint64(mapFixedIOVA), uint64(cgen.IOMMUFD_MAP_FIXED_IOVA)},
		{"HWPTNestParent", uint64(HWPTNestParent), uint64(cgen.IOMMUFD_HWPT_NEST_PARENT)},
		{"HWPTDirtyTracking", uint64(HWPTDirtyTracking), uint64(cgen.IOMMUFD_HWPT_DIRTY_TRACKING)},
		{"HWPTPASID", uint64(HWPTPASID), uint64(cgen.IOMMUFD_HWPT_PASID)},
		{"HWPTDataSelftest", HWPTDataSelftest, uint64(cgen.IOMMUFD_HWPT_DATA_SELFTEST)},
		{"HWPTDataVTDS1", HWPTDataVTDS1, uint64(cgen.IOMMUFD_HWPT_DATA_VTD_S1)},
		{"HWPTDataArmSMMUv3", HWPTDataArmSMMUv3, uint64(cgen.IOMMUFD_HWPT_DATA_ARM_SMMUV3)},
		{"InvalidateDataSelftest", InvalidateDataSelftest, uint64(uint32(cgen.IOMMUFD_INVALIDATE_DATA_SELFTEST))},
		{"InvalidateDataVTDS1", InvalidateDataVTDS1, uint64(cgen.IOMMUFD_INVALIDATE_DATA_VTD_S1)},
		{"DirtyNoClear", uint64(DirtyNoClear), uint64(cgen.IOMMUFD_DIRTY_NO_CLEAR)},
		{"DirtyMerge", uint64(DirtyMerge), uint64(cgen.IOMMUFD_DIRTY_MERGE)},
		{"DirtyChunked", uint64(DirtyChunked), uint64(cgen.IOMMUFD_DIRTY_CHUNKED)},
		{"FaultLastPage", uint64(FaultLastPage), uint64(cgen.IOMMUFD_FAULT_LAST_PAGE)},
		{"FaultPASIDValid", uint64(FaultPASIDValid), uint64(cgen.IOMMUFD_FAULT_PASID_VALID)},
		{"FaultPermWrite", uint64(FaultPermWrite), uint64(cgen.IOMMUFD_FAULT_PERM_WRITE)},
		{"RespInvalid", uint64(RespInvalid), uint64(cgen.IOMMUFD_FAULT_RESP_INVALID)},
		{"VeventLost", uint64(VeventLost), uint64(cgen.IOMMUFD_VEVENT_LOST)},
		{"VeventTruncated", uint64(VeventTruncated), uint64(cgen.IOMMUFD_VEVENT_TRUNCATED)},
		{"VeventqTypeSelftest", uint64(VeventqTypeSelftest), uint64(uint32(cgen.IOMMUFD_VEVENTQ_TYPE_SELFTEST))},
		{"VIOMMUTypeSelftest", uint64(VIOMMUTypeSelftest), uint64(uint32(cgen.IOMMUFD_VIOMMU_TYPE_SELFTEST))},
		{"HWQueueTypeSelftest", uint64(HWQueueTypeSelftest), uint64(uint32(cgen.IOMMUFD_HW_QUEUE_TYPE_SELFTEST))},
		{"HWInfoTypeSelftest", uint64(HWInfoTypeSelftest), uint64(uint32(cgen.IOMMUFD_HW_INFO_SELFTEST))},
		{"HWInfoTypeIntelVTD", uint64(HWInfoTypeIntelVTD), uint64(cgen.IOMMUFD_HW_INFO_INTEL_VTD)},
		{"HWCapDirtyTracking", uint64(HWCapDirtyTracking), uint64(cgen.IOMMUFD_HW_CAP_DIRTY_TRACKING)},
		{"OptionHugePages", uint64(OptionHugePages), uint64(cgen.IOMMUFD_OPTION_HUGE_PAGES)},
		{"LogDebug", uint64(LogDebug), uint64(cgen.IOMMUFD_LOG_DEBUG)},
		{"FeatureChangeProcess", uint64(FeatureChangeProcess), uint64(cgen.IOMMUFD_FEATURE_CHANGE_PROCESS)},
		{"featureCount", uint64(featureCount), uint64(cgen.IOMMUFD_FEATURE_COUNT)},
		{"CmdLast", uint64(CmdLast), uint64(cgen.IOMMUFD_CMD_ID_LAST)},
		{"hwInfoMaxData", hwInfoMaxData, uint64(cgen.IOMMUFD_HW_INFO_MAX_DATA)},
		{"veventDataMax", veventDataMax, uint64(cgen.IOMMUFD_VEVENT_DATA_MAX)},
	} {
		if tc.go_ != tc.c_ {
			t.Errorf("%s = %#x, C says %#x", tc.name, tc.go_, tc.c_)
		}
	}
}
