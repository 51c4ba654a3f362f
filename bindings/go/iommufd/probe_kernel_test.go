package iommufd_test

import (
	"encoding/json"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// The host report: every command the kernel knows, as JSON an agent
// can hand on.
func TestKernelProbe(t *testing.T) {
	ctx := openKernel(t)
	rep, err := ctx.Probe()
	must(t, err)
	if rep.Library != iommufd.Version() || rep.Kernel < iommufd.KVer(6, 11) {
		t.Errorf("report: library %q kernel %v", rep.Library, rep.Kernel)
	}
	known := map[string]bool{}
	for _, c := range rep.Commands {
		known[c.Name] = c.Known
		if c.Known && c.KernelSize == 0 {
			t.Errorf("%s known but with size 0", c.Name)
		}
	}
	if !known["IOMMU_IOAS_MAP"] || !known["IOMMU_FAULT_QUEUE_ALLOC"] {
		t.Errorf("commands %v", known)
	}
	if want := kernelAtLeast(6, 15); known["IOMMU_VEVENTQ_ALLOC"] != want {
		t.Errorf("IOMMU_VEVENTQ_ALLOC known: %v, want %v", known["IOMMU_VEVENTQ_ALLOC"], want)
	}
	feats := map[iommufd.Feature]iommufd.FeatureStatus{}
	for _, f := range rep.Features {
		feats[f.Feature] = f
		t.Logf("host %-16v %-5v %s", f.Feature, f.Supported, f.Reason)
	}
	if !feats[iommufd.FeaturePageRequest].Supported || !feats[iommufd.FeatureNestParent].Supported {
		t.Errorf("features %+v", feats)
	}
	if st := feats[iommufd.FeatureVIOMMU]; st.Supported != kernelAtLeast(6, 13) || st.Release != iommufd.KVer(6, 13) {
		t.Errorf("VIOMMU: %+v", st)
	}
	b, err := json.Marshal(rep)
	must(t, err)
	var back iommufd.HostReport
	must(t, json.Unmarshal(b, &back))
	if back.Kernel != rep.Kernel || len(back.Features) != len(rep.Features) ||
		back.Features[3] != rep.Features[3] {
		t.Errorf("JSON round trip lost something")
	}
}

// The device probe on a mock device: the mock nests and tracks dirty
// pages; answers carry reasons.
func TestKernelProbeDevice(t *testing.T) {
	f := newFixture(t)
	feats, err := f.ctx.DeviceFeatures(f.dev.DevID)
	must(t, err)
	for _, st := range feats {
		t.Logf("device %-16v %-5v %s", st.Feature, st.Supported, st.Reason)
		if st.Reason == "" {
			t.Errorf("%v: no reason", st.Feature)
		}
	}
	for _, ft := range []iommufd.Feature{iommufd.FeatureNestParent, iommufd.FeatureBindPgtbl,
		iommufd.FeatureCacheInvld, iommufd.FeatureDirtyTracking, iommufd.FeaturePageRequest} {
		if !feats[ft].Supported {
			t.Errorf("%v: %+v", ft, feats[ft])
		}
	}
	if feats[iommufd.FeatureVIOMMU].Supported != kernelAtLeast(6, 13) {
		t.Errorf("VIOMMU: %+v", feats[iommufd.FeatureVIOMMU])
	}
	// Nothing left behind: the IOAS can still be unmapped and the device
	// is where it was.
	if _, err := f.ctx.UnmapAll(f.ioas); err != nil {
		t.Error(err)
	}
}
