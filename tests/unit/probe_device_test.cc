// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The device-level feature probe: its answers and reasons per release for
// mock devices (plain, without dirty tracking, PASID-capable, not nesting)
// and for VT-d and SMMUv3 models; its argument checks; its cache.
#include "probe_device_support.h"

#include <cstring>

namespace {

using namespace probe_device;

// ---- the mock device, on every profile -------------------------------------

class DeviceProbe : public DeviceProbeTest {};

TEST_P(DeviceProbe, MockAnswers)
{
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		const iommufd_feature_status st = Probe(f);

		EXPECT_TRUE(Is(MockAnswer(f, kver(), iommu_), st)) << iommufd_feature_name(f);
		EXPECT_EQ(HostRelease(f), st.release) << iommufd_feature_name(f);
	}
}

// An unsupported host answer comes back exactly as the host probe gives it.
TEST_P(DeviceProbe, HostAnswerFirst)
{
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status host{};

		ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, f, &host));
		const iommufd_feature_status st = Probe(f);
		if (host.supported)
			continue;
		EXPECT_EQ(0u, st.supported);
		EXPECT_STREQ(host.reason, st.reason);
		EXPECT_EQ(host.release, st.release);
	}
}

// Whatever the probe made is gone, the device is as it was, no fd is left.
TEST_P(DeviceProbe, LeavesNothingBehind)
{
	const std::vector<uint32_t> before = Objects();
	const uint32_t next = fk_.ictx().NextId();
	const std::vector<int> fds = OpenFds();

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		Probe(f);
	EXPECT_EQ(before, Objects());
	EXPECT_EQ(next, fk_.ictx().NextId());
	EXPECT_EQ(fds, OpenFds());
	EXPECT_EQ(1u, fk_.ictx().objects.at(dev_).refs) << "the device is held as before";
}

// Cached: a second round costs one GET_HW_INFO per call, nothing else.
TEST_P(DeviceProbe, Cached)
{
	if (!Has(UAPI_CMD_GET_HW_INFO))
		GTEST_SKIP() << "no GET_HW_INFO before 6.6: answers are the host's";
	std::vector<iommufd_feature_status> first;

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		first.push_back(Probe(f));
	fk_.ResetCounters();
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		const iommufd_feature_status st = Probe(f);

		EXPECT_EQ(0, std::memcmp(&first[f], &st, sizeof(st))) << iommufd_feature_name(f);
	}
	EXPECT_EQ(static_cast<unsigned>(IOMMUFD_FEATURE_COUNT), fk_.ioctls());
	EXPECT_EQ(static_cast<unsigned>(IOMMUFD_FEATURE_COUNT), fk_.ioctls(UAPI_CMD_GET_HW_INFO));
}

INSTANTIATE_FOR_ALL_PROFILES(DeviceProbe);

// ---- other mock devices -----------------------------------------------------

class DeviceProbeNoDirty : public DeviceProbeTest {
	void SetUp() override
	{
		iommu_.dirty = false;
		iommu_.caps = 0;
		DeviceProbeTest::SetUp();
	}
};

TEST_P(DeviceProbeNoDirty, Answers)
{
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		EXPECT_TRUE(Is(MockAnswer(f, kver(), iommu_), Probe(f))) << iommufd_feature_name(f);
}

INSTANTIATE_FOR_PROFILES(DeviceProbeNoDirty, ProfilesSince(Kver(6, 7)));

class DeviceProbePasid : public DeviceProbeTest {
	void SetUp() override
	{
		iommu_.max_pasid_log2 = 20;
		DeviceProbeTest::SetUp();
	}
};

TEST_P(DeviceProbePasid, Answers)
{
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		EXPECT_TRUE(Is(MockAnswer(f, kver(), iommu_), Probe(f))) << iommufd_feature_name(f);
	if (kver() >= Kver(6, 15)) {
		EXPECT_STREQ("mock IOMMU: PASID width 20", Probe(IOMMUFD_FEATURE_PASID).reason);
	}
}

INSTANTIATE_FOR_PROFILES(DeviceProbePasid, ProfilesSince(Kver(6, 12)));

class DeviceProbeNoNest : public DeviceProbeTest {
	void SetUp() override
	{
		iommu_.nesting = false;
		DeviceProbeTest::SetUp();
	}
};

TEST_P(DeviceProbeNoNest, Answers)
{
	const std::vector<uint32_t> before = Objects();

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		EXPECT_TRUE(Is(MockAnswer(f, kver(), iommu_), Probe(f))) << iommufd_feature_name(f);
	EXPECT_EQ(before, Objects());
}

INSTANTIATE_FOR_PROFILES(DeviceProbeNoNest, ProfilesSince(Kver(6, 7)));

// ---- VT-d and SMMUv3 models (7.2) -----------------------------------------------

class DeviceProbeVendor : public DeviceProbeTest {
protected:
	void SetUp() override { Start(fake::Profile::Linux7_2); }
	void Use(const fake::DevIommu &m)
	{
		iommu_ = m;
		dev_ = fake::AddIommuDevice(fk_, iommu_);
	}
};

TEST_F(DeviceProbeVendor, VtdWithoutNesting)
{
	Use(Vtd(false, false));
	const std::string no_nest = "VT-d: no nested translation (ECAP.NEST clear); NEST_PARENT "
				    "refused: Operation not supported";

	EXPECT_TRUE(Is({false, no_nest}, Probe(IOMMUFD_FEATURE_NEST_PARENT)));
	EXPECT_TRUE(Is({false, no_nest}, Probe(IOMMUFD_FEATURE_BIND_PGTBL)));
	EXPECT_TRUE(Is({false, no_nest}, Probe(IOMMUFD_FEATURE_CACHE_INVLD)));
	EXPECT_TRUE(Is({false, "VT-d: the kernel has no vIOMMU type for this IOMMU"},
		       Probe(IOMMUFD_FEATURE_VIOMMU)));
	EXPECT_TRUE(Is({false, "VT-d: the kernel has no vIOMMU type for this IOMMU"},
		       Probe(IOMMUFD_FEATURE_VEVENTQ)));
	EXPECT_TRUE(Is({false, "VT-d: nests per PASID entry: the host keeps the PASID table"},
		       Probe(IOMMUFD_FEATURE_BIND_PASID_TABLE)));
	EXPECT_TRUE(Is({false, "VT-d: no HW queue type for this IOMMU (Tegra241 CMDQV and the "
			       "mock have them)"},
		       Probe(IOMMUFD_FEATURE_HW_QUEUE)));
	fk_.ResetCounters();
	EXPECT_TRUE(Is({false, "VT-d: no page requests (ECAP.PRS clear)"},
		       Probe(IOMMUFD_FEATURE_PAGE_REQUEST)));
	EXPECT_EQ(0u, fk_.ioctls(UAPI_CMD_FAULT_QUEUE_ALLOC)) << "the ECAP said no already";
	EXPECT_TRUE(Is({false, "IOMMU has no dirty tracking (GET_HW_INFO capabilities 0x0 lack "
			       "DIRTY_TRACKING)"},
		       Probe(IOMMUFD_FEATURE_DIRTY_TRACKING)));
}

TEST_F(DeviceProbeVendor, VtdNesting)
{
	Use(Vtd(true, true));
	EXPECT_TRUE(Is({true, "VT-d: NEST_PARENT HWPT allocated"},
		       Probe(IOMMUFD_FEATURE_NEST_PARENT)));
	EXPECT_TRUE(Is({true, "VT-d: nested VTD_S1 HWPT allocated on a NEST_PARENT HWPT"},
		       Probe(IOMMUFD_FEATURE_BIND_PGTBL)));
	// The fake's nested HWPTs take only the mock's invalidation entries.
	EXPECT_TRUE(Is({false, "VT-d: invalidation refused: Invalid argument"},
		       Probe(IOMMUFD_FEATURE_CACHE_INVLD)));
	EXPECT_TRUE(Is({true, "VT-d: fault queue + paging HWPT with fault_id allocated; ECAP.PRS "
			      "set; the device's PRI is checked at attach"},
		       Probe(IOMMUFD_FEATURE_PAGE_REQUEST)));
}

TEST_F(DeviceProbeVendor, Smmuv3)
{
	Use(Smmuv3(0, false));
	EXPECT_TRUE(Is({true, "SMMUv3: nested ARM_SMMUV3 HWPT allocated through a vIOMMU"},
		       Probe(IOMMUFD_FEATURE_BIND_PGTBL)));
	EXPECT_TRUE(Is({true, "SMMUv3: the vIOMMU took a zero-entry invalidation of its type"},
		       Probe(IOMMUFD_FEATURE_CACHE_INVLD)));
	EXPECT_TRUE(Is({true, "SMMUv3: vIOMMU, vDEVICE and a nested ARM_SMMUV3 HWPT (the "
			      "guest's PASID table) allocated"},
		       Probe(IOMMUFD_FEATURE_BIND_PASID_TABLE)));
	EXPECT_TRUE(Is({true, "SMMUv3: vEVENTQ allocated on a vIOMMU"},
		       Probe(IOMMUFD_FEATURE_VEVENTQ)));
	EXPECT_TRUE(Is({false, "SMMUv3: no Tegra241 CMDQV, no HW queue type (GET_HW_INFO of that "
			       "type refused: Operation not supported)"},
		       Probe(IOMMUFD_FEATURE_HW_QUEUE)));
	EXPECT_TRUE(Is({true, "SMMUv3: fault queue + paging HWPT with fault_id allocated; IDR0 "
			      "stall model 0 allows stalls; the device must be able to stall "
			      "(checked at attach)"},
		       Probe(IOMMUFD_FEATURE_PAGE_REQUEST)));
}

TEST_F(DeviceProbeVendor, Smmuv3TegraAndNoStalls)
{
	Use(Smmuv3(1, true));
	EXPECT_TRUE(Is({true, "SMMUv3: GET_HW_INFO answers for Tegra241 CMDQV, whose VCMDQs are "
			      "HW queues (inferred: none allocated)"},
		       Probe(IOMMUFD_FEATURE_HW_QUEUE)));
	EXPECT_TRUE(Is({false, "SMMUv3: no stalls (IDR0 stall model 1; Linux takes no PRI faults)"},
		       Probe(IOMMUFD_FEATURE_PAGE_REQUEST)));
}

TEST_F(DeviceProbeVendor, UnknownIommu)
{
	fake::DevIommu m;

	m.hw_info_type = 0x1234;
	Use(m);
	EXPECT_TRUE(Is({false, "IOMMU type 0x1234: no nested HWPT data type known for this IOMMU"},
		       Probe(IOMMUFD_FEATURE_BIND_PGTBL)));
	EXPECT_TRUE(Is({true, "IOMMU type 0x1234: NEST_PARENT HWPT allocated"},
		       Probe(IOMMUFD_FEATURE_NEST_PARENT)));
	EXPECT_TRUE(Is({false, "IOMMU type 0x1234: no page-request support known for this IOMMU"},
		       Probe(IOMMUFD_FEATURE_PAGE_REQUEST)));
}

// A driver that cannot describe the device: the answers that rest on the
// HW info say so, the others are still found by doing.
TEST_F(DeviceProbeVendor, HwInfoFails)
{
	fake::DevIommu m;

	m.hw_info_fails = true;
	Use(m);
	EXPECT_TRUE(Is({false, "IOMMU type 0x0: the IOMMU driver could not describe it "
			       "(GET_HW_INFO)"},
		       Probe(IOMMUFD_FEATURE_PASID)));
	EXPECT_TRUE(Is({true, "IOMMU type 0x0: NEST_PARENT HWPT allocated"},
		       Probe(IOMMUFD_FEATURE_NEST_PARENT)));
	EXPECT_TRUE(Is({true, "IOMMU type 0x0: DIRTY_TRACKING HWPT allocated (the kernel reports "
			      "no capabilities)"},
		       Probe(IOMMUFD_FEATURE_DIRTY_TRACKING)));
}

// A vDEVICE the caller made stays, and counts as the evidence.
TEST_F(DeviceProbeVendor, CallersVdeviceUntouched)
{
	Use(fake::DevIommu{});
	uint32_t ioas = NewIoas(), parent = 0;
	iommufd_hwpt_alloc_opts o = {};
	o.sz = sizeof(o);
	o.flags = IOMMUFD_HWPT_NEST_PARENT;
	ASSERT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_, ioas, &o, &parent));
	uapi_viommu_alloc va = {};
	va.type = UAPI_VIOMMU_TYPE_SELFTEST;
	va.dev_id = dev_;
	va.hwpt_id = parent;
	ASSERT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_VIOMMU_ALLOC, &va));
	uapi_vdevice_alloc vd = {};
	vd.viommu_id = va.out_viommu_id;
	vd.dev_id = dev_;
	ASSERT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_VDEVICE_ALLOC, &vd));
	const std::vector<uint32_t> before = Objects();

	EXPECT_TRUE(Is({true, "mock IOMMU: vIOMMU allocated; the device already has a vDEVICE"},
		       Probe(IOMMUFD_FEATURE_VIOMMU)));
	EXPECT_TRUE(Is({true, "mock IOMMU: vIOMMU, vDEVICE (the device's own) and a nested "
			      "SELFTEST HWPT (the guest's PASID table) allocated"},
		       Probe(IOMMUFD_FEATURE_BIND_PASID_TABLE)));
	EXPECT_EQ(before, Objects());
	EXPECT_EQ(fake::ObjType::kVdevice, fk_.ictx().objects.at(vd.out_vdevice_id).type);
}

// ---- arguments --------------------------------------------------------------

class DeviceProbeArgs : public DeviceProbeTest {
protected:
	void SetUp() override
	{
		Start(fake::Profile::Linux7_2);
		dev_ = fake::AddIommuDevice(fk_, iommu_);
	}
};

TEST_F(DeviceProbeArgs, Checked)
{
	iommufd_feature_status st{};
	const char fn[] = "iommufd_probe_device_feature";

	EXPECT_REJECTED(nullptr, EINVAL, std::string(fn) + ": the context is NULL",
			iommufd_probe_device_feature(nullptr, dev_, 0, &st));
	EXPECT_REJECTED(ctx_, EINVAL, std::string(fn) + ": status is NULL",
			iommufd_probe_device_feature(ctx_, dev_, 0, nullptr));
	EXPECT_REJECTED(ctx_, EINVAL, std::string(fn) + ": no feature 13 (features are 0..12)",
			iommufd_probe_device_feature(ctx_, dev_, IOMMUFD_FEATURE_COUNT, &st));
	EXPECT_REJECTED(ctx_, EINVAL, std::string(fn) + ": no feature 4294967295",
			iommufd_probe_device_feature(ctx_, dev_, UINT32_MAX, &st));
}

TEST_F(DeviceProbeArgs, UnknownDevice)
{
	iommufd_feature_status st{};
	const uint32_t ioas = NewIoas();
	const std::vector<uint32_t> before = Objects();

	EXPECT_FAILS(ctx_, ENOENT, "iommufd_probe_device_feature: no device 77 is bound to this "
				   "context",
		     iommufd_probe_device_feature(ctx_, 77, IOMMUFD_FEATURE_NEST_PARENT, &st));
	EXPECT_FAILS(ctx_, ENOENT, "no device " + std::to_string(ioas) + " is bound",
		     iommufd_probe_device_feature(ctx_, ioas, IOMMUFD_FEATURE_MAP_FILE, &st));
	EXPECT_EQ(before, Objects());
}

// Before GET_HW_INFO (6.6) a device cannot be checked, and the host lacks
// every feature: its answer comes back.
TEST(DeviceProbeOld, HostAnswerOn6_2)
{
	fake::FakeKernel fk(fake::Profile::Linux6_2);
	iommufd_ctx *ctx = nullptr;
	iommufd_feature_status st{};

	fk.Install();
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx));
	EXPECT_EQ(0, iommufd_probe_device_feature(ctx, 77, IOMMUFD_FEATURE_NEST_PARENT, &st));
	EXPECT_EQ(0u, st.supported);
	EXPECT_STREQ("needs Linux 6.7 or newer (this kernel lacks IOMMU_HWPT_ALLOC.data_type)",
		     st.reason);
	iommufd_ctx_close(ctx);
}

// ---- the cache and a device ID given to another device ---------------------------

TEST_F(DeviceProbeArgs, AnotherDeviceUnderTheSameId)
{
	EXPECT_EQ(0u, Probe(IOMMUFD_FEATURE_PASID).supported);
	// Unplug it (as closing its VFIO cdev would) and plug a PASID-capable
	// one, which the kernel gives the freed ID.
	fk_.ictx().objects.erase(dev_);
	fake::DevIommu pasid;
	pasid.max_pasid_log2 = 20;
	ASSERT_EQ(dev_, fake::AddIommuDevice(fk_, pasid));
	EXPECT_STREQ("mock IOMMU: PASID width 20", Probe(IOMMUFD_FEATURE_PASID).reason);
	// Gone for good: ENOENT, not a cached answer.
	fk_.ictx().objects.erase(dev_);
	iommufd_feature_status st{};
	EXPECT_FAILS(ctx_, ENOENT, "no device",
		     iommufd_probe_device_feature(ctx_, dev_, IOMMUFD_FEATURE_PASID, &st));
}

TEST_F(DeviceProbeArgs, CachePerDeviceAndContext)
{
	fake::DevIommu nodirty;
	nodirty.caps = 0;
	nodirty.dirty = false;
	const uint32_t dev2 = fake::AddIommuDevice(fk_, nodirty);

	EXPECT_EQ(1u, Probe(IOMMUFD_FEATURE_DIRTY_TRACKING).supported);
	EXPECT_EQ(0u, Probe(IOMMUFD_FEATURE_DIRTY_TRACKING, dev2).supported);
	EXPECT_EQ(1u, Probe(IOMMUFD_FEATURE_DIRTY_TRACKING).supported);
	// More devices than the cache has slots: answers stay right.
	std::vector<uint32_t> devs;
	for (int i = 0; i < 12; i++)
		devs.push_back(fake::AddIommuDevice(fk_, i % 2 ? nodirty : fake::DevIommu{}));
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < devs.size(); i++)
			EXPECT_EQ(i % 2 ? 0u : 1u,
				  Probe(IOMMUFD_FEATURE_DIRTY_TRACKING, devs[i]).supported);
}

} // namespace

// ---- failures ---------------------------------------------------------------

namespace {

// The @nth ioctl of command @nr from now fails with @err (0: every one).
void FailCmd(fake::FakeKernel &fk, uint32_t nr, int err, unsigned nth = 1)
{
	auto seen = std::make_shared<unsigned>(0);

	fk.before_ioctl = [=](fake::FakeKernel &k, uint32_t n) {
		if (n == nr && (!nth || ++*seen == nth))
			k.FailIoctl(1, err);
	};
}

TEST_F(DeviceProbeArgs, FailureNamesFeatureAndStep)
{
	const std::vector<uint32_t> before = Objects();
	iommufd_feature_status st{};

	// The ABI probe sends its own HWPT_ALLOC: let it learn first.
	ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, IOMMUFD_FEATURE_BIND_PGTBL, &st));
	FailCmd(fk_, UAPI_CMD_HWPT_ALLOC, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "iommufd_probe_device_feature: BIND_PGTBL of device 1: "
				   "IOMMU_HWPT_ALLOC failed: Cannot allocate memory",
		     iommufd_probe_device_feature(ctx_, dev_, IOMMUFD_FEATURE_BIND_PGTBL, &st));
	EXPECT_EQ(before, Objects());
	fk_.before_ioctl = nullptr;
	EXPECT_EQ(1u, Probe(IOMMUFD_FEATURE_BIND_PGTBL).supported) << "nothing was cached";
}

TEST_F(DeviceProbeArgs, DestroyRetried)
{
	const std::vector<uint32_t> before = Objects();

	FailCmd(fk_, UAPI_CMD_DESTROY, EIO, 2);
	EXPECT_EQ(1u, Probe(IOMMUFD_FEATURE_CACHE_INVLD).supported);
	EXPECT_EQ(before, Objects());
}

// An object that cannot be destroyed is reported, not hidden.
TEST_F(DeviceProbeArgs, DestroyFailingForGood)
{
	iommufd_feature_status st{};

	FailCmd(fk_, UAPI_CMD_DESTROY, EIO, 0);
	EXPECT_FAILS(ctx_, EIO, "NEST_PARENT of device 1: IOMMU_DESTROY failed",
		     iommufd_probe_device_feature(ctx_, dev_, IOMMUFD_FEATURE_NEST_PARENT, &st));
	fk_.before_ioctl = nullptr;
}

} // namespace
