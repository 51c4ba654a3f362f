package iommufd

import (
	"fmt"
	"strings"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// Release is a Linux release as IOMMUFD_KVER() makes it: major<<8 | minor.
// It prints and marshals as "6.11"; 0 prints as "".
type Release uint32

// KVer returns the Release major.minor.
func KVer(major, minor int) Release { return Release(major<<8 | minor) }

// Major returns the major number.
func (r Release) Major() int { return int(r >> 8) }

// Minor returns the minor number.
func (r Release) Minor() int { return int(r & 0xff) }

func (r Release) String() string {
	if r == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%d", r.Major(), r.Minor())
}

// MarshalText makes a Release "6.11" in JSON.
func (r Release) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads "6.11" (or "").
func (r *Release) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*r = 0
		return nil
	}
	var major, minor int
	if _, err := fmt.Sscanf(string(b), "%d.%d", &major, &minor); err != nil {
		return fmt.Errorf("iommufd: release %q: want MAJOR.MINOR", b)
	}
	*r = KVer(major, minor)
	return nil
}

// Feature names what the feature probe answers (enum iommufd_feature),
// after the original IOMMU uAPI proposal where it had a name.
type Feature uint32

// Features.
const (
	FeatureBindPgtbl      Feature = iota // nested HWPT with vendor stage-1 data
	FeatureBindPASIDTable                // vIOMMU + vDEVICE + nested HWPT with the guest's PASID table
	FeatureCacheInvld                    // IOMMU_HWPT_INVALIDATE
	FeaturePageRequest                   // fault queue + HWPT with a fault queue
	FeaturePASID                         // PASID attach
	FeatureSyswidePASID                  // one PASID space for all devices
	FeatureDirtyTracking
	FeatureNestParent
	FeatureVIOMMU
	FeatureVeventq
	FeatureHWQueue
	FeatureMapFile
	FeatureChangeProcess
	featureCount
)

// Features returns every feature, in order.
func Features() []Feature {
	fs := make([]Feature, featureCount)
	for i := range fs {
		fs[i] = Feature(i)
	}
	return fs
}

// String returns the feature's name, "BIND_PGTBL" etc.
func (f Feature) String() string {
	if f >= featureCount {
		return fmt.Sprintf("Feature(%d)", uint32(f))
	}
	return cgen.Iommufd_feature_name(uint32(f))
}

// MarshalText makes a Feature its name in JSON.
func (f Feature) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads a feature name.
func (f *Feature) UnmarshalText(b []byte) error {
	for _, g := range Features() {
		if strings.EqualFold(g.String(), string(b)) {
			*f = g
			return nil
		}
	}
	return fmt.Errorf("iommufd: unknown feature %q", b)
}

// FeatureStatus is one answer of the feature probe.
type FeatureStatus struct {
	Feature   Feature `json:"feature"`
	Supported bool    `json:"supported"`
	Release   Release `json:"release,omitempty"` // the release it needs
	Reason    string  `json:"reason"`            // what was shown, e.g. "needs Linux >= 6.11"
}

func featureStatus(f Feature, st cgen.Iommufd_feature_status) FeatureStatus {
	return FeatureStatus{
		Feature:   f,
		Supported: st.GetSupported() != 0,
		Release:   Release(st.GetRelease()),
		Reason:    st.GetReason(),
	}
}

// ProbeHostFeature tells whether this kernel can do f at all: are the
// commands, fields and flags it needs there.  No side effects.
func (c *Context) ProbeHostFeature(f Feature) (FeatureStatus, error) {
	const op = "iommufd_probe_host_feature"
	if c.h == 0 {
		return FeatureStatus{}, errClosed(op)
	}
	st := cgen.NewIommufd_feature_status()
	defer cgen.DeleteIommufd_feature_status(st)
	begin()
	if err := end(op, int64(cgen.Iommufd_probe_host_feature(c.h, uint32(f), st))); err != nil {
		return FeatureStatus{}, err
	}
	return featureStatus(f, st), nil
}

// ProbeDeviceFeature tells whether bound device devID can do f: the host
// answer first, then, when the kernel has it, the IOMMU behind the device,
// found by doing with temporary objects that are destroyed again (the
// device's attachment and the caller's objects are never touched).
// Answers are cached per context and device.
func (c *Context) ProbeDeviceFeature(devID uint32, f Feature) (FeatureStatus, error) {
	const op = "iommufd_probe_device_feature"
	if c.h == 0 {
		return FeatureStatus{}, errClosed(op)
	}
	st := cgen.NewIommufd_feature_status()
	defer cgen.DeleteIommufd_feature_status(st)
	begin()
	if err := end(op, int64(cgen.Iommufd_probe_device_feature(c.h, devID, uint32(f), st))); err != nil {
		return FeatureStatus{}, err
	}
	return featureStatus(f, st), nil
}

// HostFeatures probes every feature on the host.
func (c *Context) HostFeatures() ([]FeatureStatus, error) {
	return probeAll(func(f Feature) (FeatureStatus, error) { return c.ProbeHostFeature(f) })
}

// DeviceFeatures probes every feature of bound device devID.
func (c *Context) DeviceFeatures(devID uint32) ([]FeatureStatus, error) {
	return probeAll(func(f Feature) (FeatureStatus, error) { return c.ProbeDeviceFeature(devID, f) })
}

func probeAll(probe func(Feature) (FeatureStatus, error)) ([]FeatureStatus, error) {
	out := make([]FeatureStatus, 0, featureCount)
	for _, f := range Features() {
		st, err := probe(f)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// HostReport is what an orchestration agent wants to know of a host, in
// one JSON-friendly value: the library, the kernel as the ABI probe sees
// it, every command and field it knows, and every feature.
type HostReport struct {
	Library  string          `json:"library"`
	Kernel   Release         `json:"kernel"` // lowest release consistent with the probe
	Commands []CommandStatus `json:"commands"`
	Features []FeatureStatus `json:"features"`
}

// Probe makes the HostReport of this context's kernel.  No side effects:
// the ABI probe's ioctls fail before they touch any object.
func (c *Context) Probe() (*HostReport, error) {
	const op = "iommufd_probe_release"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	begin()
	rel := cgen.Iommufd_probe_release(c.h)
	if err := end(op, int64(rel)); err != nil {
		return nil, err
	}
	cmds, err := c.ProbeCommands()
	if err != nil {
		return nil, err
	}
	feats, err := c.HostFeatures()
	if err != nil {
		return nil, err
	}
	return &HostReport{Library: Version(), Kernel: Release(rel), Commands: cmds, Features: feats}, nil
}
