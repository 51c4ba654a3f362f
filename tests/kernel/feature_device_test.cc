// SPDX-License-Identifier: LGPL-2.1-or-later
// The device-level feature probe against the real kernels, with mock
// devices (plain, NO_DIRTY, and on 7.2 PASID-capable): every feature's
// answer and reason checked against what the kernels' sources say the mock
// does, and the kernel's state compared before and after probing -- object
// IDs, the device's mappings, page pin counts, the HWPT it is attached to,
// its PASID attachments and the process's open files.
#include "kernel_test.h"
#include "test_helpers.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <libiommufd/probe.h>

namespace {

enum class Mock { kPlain, kNoDirty, kPasid };

const char *MockName(Mock m)
{
	return m == Mock::kPlain ? "plain" : m == Mock::kNoDirty ? "NO_DIRTY" : "PASID";
}


// What a mock device answers, from the kernels' sources (selftest.c,
// hw_pagetable.c, viommu.c, eventq.c of 6.12 and 7.2) and from which
// commands each kernel has (Debian's 6.12 stops at FAULT_QUEUE_ALLOC).
Answer Expected(uint32_t f, bool is_72, Mock m)
{
	const bool on612 = f == IOMMUFD_FEATURE_BIND_PGTBL || f == IOMMUFD_FEATURE_NEST_PARENT ||
			   f == IOMMUFD_FEATURE_DIRTY_TRACKING || f == IOMMUFD_FEATURE_CACHE_INVLD ||
			   f == IOMMUFD_FEATURE_PAGE_REQUEST;
	const std::string no_pasid =
		"mock IOMMU: no PASID for this device (GET_HW_INFO max_pasid_log2 0)";

	if (!is_72 && !on612)
		return {false, "needs Linux ..."};
	switch (f) {
	case IOMMUFD_FEATURE_NEST_PARENT:
		return {true, "mock IOMMU: NEST_PARENT HWPT allocated"};
	case IOMMUFD_FEATURE_BIND_PGTBL:
		return {true, "mock IOMMU: nested SELFTEST HWPT allocated on a NEST_PARENT HWPT"};
	case IOMMUFD_FEATURE_CACHE_INVLD:
		return {true, "mock IOMMU: a nested SELFTEST HWPT handled an invalidation (1 of 1 "
			      "entries)"};
	case IOMMUFD_FEATURE_BIND_PASID_TABLE:
		return {true, "mock IOMMU: vIOMMU, vDEVICE and a nested SELFTEST HWPT (the guest's "
			      "PASID table) allocated"};
	case IOMMUFD_FEATURE_VIOMMU:
		return {true, "mock IOMMU: vIOMMU and vDEVICE allocated"};
	case IOMMUFD_FEATURE_VEVENTQ:
		return {true, "mock IOMMU: vEVENTQ allocated on a vIOMMU"};
	case IOMMUFD_FEATURE_HW_QUEUE:
		return {true, "mock IOMMU: HW queue allocated on a vIOMMU over a pinned page"};
	case IOMMUFD_FEATURE_PAGE_REQUEST:
		// 6.12's paging HWPTs take no fault queue; its nested ones do.
		return {true, std::string("mock IOMMU: fault queue + ") +
				      (is_72 ? "paging" : "nested") +
				      " HWPT with fault_id allocated; the mock raises page requests "
				      "on demand"};
	case IOMMUFD_FEATURE_PASID:
		if (m != Mock::kPasid)
			return {false, no_pasid};
		return {true, "mock IOMMU: PASID width 20"};
	case IOMMUFD_FEATURE_SYSWIDE_PASID:
		if (m != Mock::kPasid)
			return {false, no_pasid};
		return {true, "mock IOMMU: PASID width 20; the caller picks PASIDs, so one "
			      "system-wide space fits"};
	case IOMMUFD_FEATURE_DIRTY_TRACKING:
		// 7.2 also reports IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED (0x8) for the
		// mock, which is no PCI device; 6.12 has no such bit.
		if (m == Mock::kNoDirty)
			return {false, std::string("IOMMU has no dirty tracking (GET_HW_INFO "
						   "capabilities ") +
					       (is_72 ? "0x8" : "0x0") + " lack DIRTY_TRACKING)"};
		return {true, "mock IOMMU: GET_HW_INFO reports IOMMU_HW_CAP_DIRTY_TRACKING"};
	case IOMMUFD_FEATURE_MAP_FILE:
	case IOMMUFD_FEATURE_CHANGE_PROCESS:
		return {true, "a host feature, nothing device-specific: ok: ..."};
	}
	return {false, "?"};
}


// The process's open file descriptors, with what they refer to.
std::vector<std::string> OpenFiles()
{
	std::vector<std::string> files;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return files;
	const std::string own = std::to_string(dirfd(d));
	while (const dirent *e = readdir(d)) {
		const std::string name = e->d_name;
		char target[256] = "";

		if (name == "." || name == ".." || name == own)
			continue;
		if (readlink(("/proc/self/fd/" + name).c_str(), target, sizeof(target) - 1) < 0)
			target[0] = '\0';
		files.push_back(name + " -> " + target);
	}
	closedir(d);
	std::sort(files.begin(), files.end());
	return files;
}

class FeatureDeviceTest : public KernelTest {
protected:
	void SetUp() override
	{
		KernelTest::SetUp();
		if (HasFatalFailure())
			return;
		is_72_ = KernelAtLeast(6, 15);
		ioas_ = NewIoas();
	}

	// A mock device of kind @m attached to the fixture's IOAS.
	MockDev Add(Mock m)
	{
		const uint32_t flags = m == Mock::kNoDirty ? IOMMUFD_TEST_DEVICE_NO_DIRTY
				       : m == Mock::kPasid ? IOMMUFD_TEST_DEVICE_PASID
							   : 0;
		MockDev d;

		EXPECT_OK(iommufd_test_mock_domain(ctx_, ioas_, flags, &d.stdev_id, &d.hwpt_id,
						   &d.dev_id));
		return d;
	}

	bool HasPasidMock()
	{
		return iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_PASID_ATTACH) == 1;
	}

	// Probe every feature of @d, check each answer, print it.
	void CheckAll(const MockDev &d, Mock m)
	{
		for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
			iommufd_feature_status st{};

			ASSERT_OK(iommufd_probe_device_feature(ctx_, d.dev_id, f, &st));
			printf("[ feature  ] %s %-8s %-16s %-3s %s\n", RunningKernel().release.c_str(),
			       MockName(m), iommufd_feature_name(f), st.supported ? "yes" : "no",
			       st.reason);
			EXPECT_TRUE(Is(Expected(f, is_72_, m), st)) << iommufd_feature_name(f);
			EXPECT_NE(0u, st.release) << iommufd_feature_name(f);
		}
	}

	bool is_72_ = false;
	uint32_t ioas_ = 0;
};

TEST_F(FeatureDeviceTest, PlainMock)
{
	CheckAll(Add(Mock::kPlain), Mock::kPlain);
}

TEST_F(FeatureDeviceTest, NoDirtyMock)
{
	CheckAll(Add(Mock::kNoDirty), Mock::kNoDirty);
}

TEST_F(FeatureDeviceTest, PasidMock)
{
	if (!HasPasidMock())
		GTEST_SKIP() << "this kernel's mock has no PASID-capable devices (6.15+); the host "
				"answer for PASID is checked by PlainMock";
	CheckAll(Add(Mock::kPasid), Mock::kPasid);
}

// The state a probe must leave as it was.
struct Snapshot {
	std::vector<std::string> files;
	bool map_ok, refs_ok;
	int pasid_none; // iommufd_test_pasid_check_hwpt(.., 0): nothing at PASID 1
};

class FeatureDeviceSideEffects : public FeatureDeviceTest {
protected:
	void SetUp() override
	{
		FeatureDeviceTest::SetUp();
		if (HasFatalFailure())
			return;
		kind_ = HasPasidMock() ? Mock::kPasid : Mock::kPlain;
		dev_ = Add(kind_);
		iova_ = Map(ioas_, buf_.p(), buf_.size());
	}

	Snapshot Take()
	{
		Snapshot s;

		s.files = OpenFiles();
		s.map_ok = CheckMap(dev_.hwpt_id, iova_, buf_.size(), buf_.p()) == 0;
		s.refs_ok = CheckRefs(buf_.p(), buf_.size(), 1) == 0;
		s.pasid_none = kind_ == Mock::kPasid
				       ? iommufd_test_pasid_check_hwpt(ctx_, dev_.stdev_id, 1, 0)
				       : 0;
		return s;
	}

	// The IDs the next @n objects get, without keeping them.
	std::vector<uint32_t> NextIds(unsigned n)
	{
		std::vector<uint32_t> ids;

		for (unsigned i = 0; i < n; i++)
			ids.push_back(NewIoas());
		for (uint32_t id : ids)
			Destroy(id);
		return ids;
	}

	Buffer buf_{256 * 1024};
	Mock kind_ = Mock::kPlain;
	MockDev dev_;
	uint64_t iova_ = 0;
};

TEST_F(FeatureDeviceSideEffects, StateUnchanged)
{
	// More than a probe ever holds at once: a leaked object would show as
	// a gap in the IDs.
	const std::vector<uint32_t> ids = NextIds(16);
	const Snapshot before = Take();

	ASSERT_TRUE(before.map_ok) << iommufd_ctx_last_error(ctx_);
	ASSERT_TRUE(before.refs_ok) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, before.pasid_none) << iommufd_ctx_last_error(ctx_);
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status st{};

		ASSERT_OK(iommufd_probe_device_feature(ctx_, dev_.dev_id, f, &st));
		EXPECT_EQ(ids, NextIds(16)) << "after " << iommufd_feature_name(f);
	}
	const Snapshot after = Take();
	EXPECT_EQ(before.files, after.files) << "an fd of the probe stayed open";
	EXPECT_TRUE(after.map_ok) << "the device's HWPT no longer maps the buffer: "
				  << iommufd_ctx_last_error(ctx_);
	EXPECT_TRUE(after.refs_ok) << "pin counts changed: " << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0, after.pasid_none) << "something is attached at PASID 1";
	// Still attached to the same HWPT: moving it to its IOAS again finds
	// that HWPT (the IOAS's only domain), and the IOAS is in use.
	uint32_t hwpt = 0;
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, ioas_, &hwpt));
	EXPECT_EQ(dev_.hwpt_id, hwpt);
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, ioas_));
}

// A probe that fails on the way destroys what it made too: a device
// unplugged between two probes.
TEST_F(FeatureDeviceSideEffects, UnpluggedDevice)
{
	iommufd_feature_status st{};
	const uint32_t dev_id = dev_.dev_id;

	Destroy(dev_.stdev_id);
	const std::vector<uint32_t> ids = NextIds(16);
	EXPECT_ERRNO(ENOENT, iommufd_probe_device_feature(ctx_, dev_id,
							  IOMMUFD_FEATURE_NEST_PARENT, &st));
	EXPECT_EQ(ids, NextIds(16));
}

// Cached answers follow the device behind a dev_id: unplug a plain mock
// device, plug a PASID-capable one under the same ID, and the answer
// changes; unplug it, and the probe says ENOENT.
TEST_F(FeatureDeviceTest, AnswersFollowTheDevice)
{
	iommufd_feature_status st{};

	if (!HasPasidMock())
		GTEST_SKIP() << "needs the mock's PASID-capable devices (6.15+) to plug a different "
				"device";
	const MockDev plain = Add(Mock::kPlain);
	ASSERT_OK(iommufd_probe_device_feature(ctx_, plain.dev_id, IOMMUFD_FEATURE_PASID, &st));
	EXPECT_EQ(0u, st.supported) << st.reason;
	Destroy(plain.stdev_id);
	const MockDev pasid = Add(Mock::kPasid);
	if (pasid.dev_id != plain.dev_id)
		GTEST_SKIP() << "the kernel gave the new device ID " << pasid.dev_id << ", not "
			     << plain.dev_id;
	ASSERT_OK(iommufd_probe_device_feature(ctx_, pasid.dev_id, IOMMUFD_FEATURE_PASID, &st));
	EXPECT_STREQ("mock IOMMU: PASID width 20", st.reason);
	Destroy(pasid.stdev_id);
	EXPECT_ERRNO(ENOENT, iommufd_probe_device_feature(ctx_, pasid.dev_id,
							  IOMMUFD_FEATURE_PASID, &st));
}

TEST_F(FeatureDeviceTest, Errnos)
{
	iommufd_feature_status st{};
	const MockDev d = Add(Mock::kPlain);

	EXPECT_ERRNO(ENOENT, iommufd_probe_device_feature(ctx_, 0x7777, 0, &st));
	EXPECT_ERRNO(ENOENT, iommufd_probe_device_feature(ctx_, ioas_, 0, &st));
	EXPECT_ERRNO(EINVAL, iommufd_probe_device_feature(ctx_, d.dev_id, IOMMUFD_FEATURE_COUNT,
							  &st));
	EXPECT_ERRNO(EINVAL, iommufd_probe_device_feature(ctx_, d.dev_id, 0, nullptr));
}

} // namespace
