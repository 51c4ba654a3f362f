// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The device probe under injected failures: for every feature and every N,
// fail the Nth ioctl of a probe on a fresh context.  The probe must either
// answer or fail with the injected errno and a sentence naming the feature,
// and in both cases leave the kernel's objects and the fds as they were;
// a failed probe caches nothing, so the next probe answers as one that was
// never disturbed.  The ABI probe's own ioctls are left out (an undisturbed
// probe of another device on the same context runs first): it has its own
// sweep.
#include "probe_device_support.h"

namespace {

using namespace probe_device;

class DeviceProbeFailNth : public ::testing::TestWithParam<int> {
protected:
	void TearDown() override { fk_.Uninstall(); }
	std::vector<uint32_t> Objects() { return ObjectIds(fk_); }
	std::vector<int> OpenFds() const { return probe_device::OpenFds(fk_); }

	// The undisturbed answers on a context of their own.
	std::vector<iommufd_feature_status> Reference(fake::Profile p)
	{
		std::vector<iommufd_feature_status> out(IOMMUFD_FEATURE_COUNT);
		iommufd_ctx *c = nullptr;

		EXPECT_EQ(0, iommufd_ctx_open(nullptr, &c));
		const uint32_t dev = fake::AddIommuDevice(fk_, iommu_);
		for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
			EXPECT_EQ(0, iommufd_probe_device_feature(c, dev, f, &out[f]))
				<< fake::ProfileName(p) << " " << iommufd_feature_name(f);
		iommufd_ctx_close(c);
		return out;
	}

	// One probe of @f with the @n-th ioctl failing; false once the probe
	// made fewer than @n ioctls (nothing was injected).
	bool Once(uint32_t f, unsigned n, int err, const iommufd_feature_status &want)
	{
		iommufd_ctx *c = nullptr;
		iommufd_feature_status st{};
		const std::string at = std::string(iommufd_feature_name(f)) + " N=" +
				       std::to_string(n) + " err=" + std::to_string(err);

		EXPECT_EQ(0, iommufd_ctx_open(nullptr, &c));
		// The ABI probe (its own sweep is in fail_nth_test.cc) learns
		// what it needs from an undisturbed probe of another device.
		const uint32_t warm = fake::AddIommuDevice(fk_, iommu_);
		EXPECT_EQ(0, iommufd_probe_device_feature(c, warm, f, &st)) << at;
		const uint32_t dev = fake::AddIommuDevice(fk_, iommu_);
		const std::vector<uint32_t> before = Objects();
		const std::vector<int> fds = OpenFds();
		fk_.ResetCounters();
		fk_.FailIoctl(n, err);
		const int rc = iommufd_probe_device_feature(c, dev, f, &st);
		const bool injected = fk_.ioctls() >= n;
		fk_.FailIoctl(0, 0);

		EXPECT_TRUE(rc == 0 || rc == -err) << at << ": " << rc;
		if (rc) {
			EXPECT_NE(std::string::npos,
				  std::string(iommufd_ctx_last_error(c)).find(iommufd_feature_name(f)))
				<< at << ": " << iommufd_ctx_last_error(c);
		} else {
			EXPECT_EQ(want.supported, st.supported) << at << ": " << st.reason;
		}
		EXPECT_EQ(before, Objects()) << at;
		EXPECT_EQ(fds, OpenFds()) << at;
		// Nothing wrong was cached.
		EXPECT_EQ(0, iommufd_probe_device_feature(c, dev, f, &st)) << at;
		EXPECT_EQ(want.supported, st.supported) << at << ": " << st.reason;
		EXPECT_EQ(before, Objects()) << at;
		iommufd_ctx_close(c);
		return injected;
	}

	fake::FakeKernel fk_;
	fake::DevIommu iommu_; // the mock
};

TEST_P(DeviceProbeFailNth, EveryFeatureEveryN)
{
	const int err = GetParam();

	for (fake::Profile p : {fake::Profile::Linux6_12, fake::Profile::Linux7_2}) {
		fk_.SetProfile(p);
		fk_.Install();
		const std::vector<iommufd_feature_status> want = Reference(p);
		unsigned total = 0;

		for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
			unsigned n = 1;
			while (Once(f, n, err, want[f]) && n < 400)
				n++;
			EXPECT_LT(n, 400u) << iommufd_feature_name(f);
			total += n;
		}
		// The sweep really went through the allocations.
		EXPECT_GT(total, 2u * IOMMUFD_FEATURE_COUNT) << fake::ProfileName(p);
		fk_.Uninstall();
	}
}

INSTANTIATE_TEST_SUITE_P(Errno, DeviceProbeFailNth, ::testing::Values(ENOMEM, EFAULT, EIO, EBADF));

} // namespace
