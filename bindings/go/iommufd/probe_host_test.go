package iommufd_test

import (
	"encoding/json"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

func TestFeatureNames(t *testing.T) {
	want := []string{"BIND_PGTBL", "BIND_PASID_TABLE", "CACHE_INVLD", "PAGE_REQUEST", "PASID",
		"SYSWIDE_PASID", "DIRTY_TRACKING", "NEST_PARENT", "VIOMMU", "VEVENTQ", "HW_QUEUE",
		"MAP_FILE", "CHANGE_PROCESS"}
	fs := iommufd.Features()
	if len(fs) != len(want) {
		t.Fatalf("%d features, want %d", len(fs), len(want))
	}
	for i, f := range fs {
		if f.String() != want[i] {
			t.Errorf("feature %d is %q, want %q", i, f, want[i])
		}
	}
	if s := iommufd.Feature(99).String(); s != "Feature(99)" {
		t.Errorf("an unknown feature prints as %q", s)
	}
}

func TestFeatureStatusJSON(t *testing.T) {
	st := iommufd.FeatureStatus{Feature: iommufd.FeaturePageRequest, Supported: false,
		Release: iommufd.KVer(6, 11), Reason: "needs Linux >= 6.11"}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"feature":"PAGE_REQUEST","supported":false,"release":"6.11","reason":"needs Linux \u003e= 6.11"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back iommufd.FeatureStatus
	if err := json.Unmarshal(b, &back); err != nil || back != st {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

// The command table is the library's own: no kernel is asked.
func TestCommandTable(t *testing.T) {
	cmds, err := iommufd.Commands()
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) != int(iommufd.CmdLast-iommufd.CmdFirst+1) {
		t.Fatalf("%d commands", len(cmds))
	}
	if cmds[0].Name != "IOMMU_DESTROY" || cmds[0].Release != iommufd.KVer(6, 2) {
		t.Errorf("first command: %+v", cmds[0])
	}
	var fault *iommufd.Command
	for i := range cmds {
		if cmds[i].Name == "IOMMU_HWPT_ALLOC" {
			fault = &cmds[i]
		}
	}
	if fault == nil {
		t.Fatal("no IOMMU_HWPT_ALLOC")
	}
	found := false
	for _, f := range fault.Fields {
		if f.Name == "fault_id" {
			found = true
			if f.Release != iommufd.KVer(6, 11) || f.Dir != "in" {
				t.Errorf("fault_id: %+v", f)
			}
		}
	}
	if !found {
		t.Error("IOMMU_HWPT_ALLOC has no field fault_id")
	}
}

func TestVersion(t *testing.T) {
	if v := iommufd.Version(); v != "0.1.0" {
		t.Errorf("Version() = %q", v)
	}
}

func TestGroups(t *testing.T) {
	faults := []iommufd.Fault{
		{Cookie: 7, Addr: 0x1000},
		{Cookie: 7, Addr: 0x2000, Flags: iommufd.FaultLastPage},
		{Cookie: 9, Addr: 0x3000, Flags: iommufd.FaultLastPage},
	}
	g := iommufd.Groups(faults)
	if len(g) != 2 || g[0].Cookie != 7 || len(g[0].Faults) != 2 || g[1].Cookie != 9 ||
		len(g[1].Faults) != 1 {
		t.Errorf("groups: %+v", g)
	}
	if iommufd.Groups(nil) != nil {
		t.Error("no records, no groups")
	}
}

func TestBitmap(t *testing.T) {
	b := iommufd.NewBitmap(130)
	if len(b) != 3 {
		t.Fatalf("%d words for 130 bits", len(b))
	}
	b.Set(0)
	b.Set(64)
	b.Set(129)
	if !b.Test(64) || b.Test(63) || b.Count() != 3 {
		t.Errorf("bitmap %x", b)
	}
}
