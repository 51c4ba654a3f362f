// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The host-level feature probe: per release, which features the kernel
// offers and the reason given, with no object created.
#include "probe_device_support.h"

namespace {

using fake::Kver;

// The first release offering each feature, written independently of the
// library's tables (shared with the device-level probe's tests).
using probe_device::HostRelease;

class FeatureHost : public ProfileTest {};

TEST_P(FeatureHost, AnswersPerRelease)
{
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status st{};
		const bool want = kver() >= HostRelease(f);

		ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, f, &st)) << iommufd_feature_name(f);
		EXPECT_EQ(want ? 1u : 0u, st.supported) << iommufd_feature_name(f) << ": " << st.reason;
		EXPECT_EQ(HostRelease(f), st.release) << iommufd_feature_name(f);
		const std::string reason = st.reason;
		if (want)
			EXPECT_EQ(0u, reason.rfind("ok: ", 0)) << reason;
		else
			EXPECT_EQ(0u, reason.rfind("needs Linux ", 0)) << reason;
	}
}

// A missing command is named with the release that brings it.
class FeatureHostBefore6_11 : public ProfileTest {};

TEST_P(FeatureHostBefore6_11, ReasonNamesWhatIsMissing)
{
	iommufd_feature_status st{};

	ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, IOMMUFD_FEATURE_PAGE_REQUEST, &st));
	EXPECT_STREQ("needs Linux 6.11 or newer (this kernel lacks IOMMU_FAULT_QUEUE_ALLOC)",
		     st.reason);
}

TEST_P(FeatureHost, NoObjectsAndCached)
{
	iommufd_feature_status st{};

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, f, &st));
	EXPECT_EQ(1u, NewIoas()) << "the probe created an object";
	fk_.ResetCounters();
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		ASSERT_EQ(0, iommufd_probe_host_feature(ctx_, f, &st));
	EXPECT_EQ(0u, fk_.ioctls()) << "answers are cached";
}

TEST_F(FakeKernelTest, FeatureHostArguments)
{
	iommufd_feature_status st{};

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_probe_host_feature: no feature 13",
		     iommufd_probe_host_feature(ctx_, IOMMUFD_FEATURE_COUNT, &st));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_probe_host_feature: status is NULL",
		     iommufd_probe_host_feature(ctx_, 0, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_probe_host_feature: the context is NULL",
		     iommufd_probe_host_feature(nullptr, 0, &st));
	EXPECT_STREQ("BIND_PGTBL", iommufd_feature_name(IOMMUFD_FEATURE_BIND_PGTBL));
	EXPECT_STREQ("CHANGE_PROCESS", iommufd_feature_name(IOMMUFD_FEATURE_CHANGE_PROCESS));
	EXPECT_EQ(nullptr, iommufd_feature_name(IOMMUFD_FEATURE_COUNT));
}

INSTANTIATE_FOR_ALL_PROFILES(FeatureHost);
INSTANTIATE_FOR_PROFILES(FeatureHostBefore6_11, ProfilesBefore(Kver(6, 11)));

} // namespace
