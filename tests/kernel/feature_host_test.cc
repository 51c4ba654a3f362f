// SPDX-License-Identifier: LGPL-2.1-or-later
// The host-level feature probe against the real kernels: Debian's 6.12
// stops at page requests; 7.2 has everything.
#include "kernel_test.h"

#include <libiommufd/probe.h>

namespace {

class FeatureHostTest : public KernelTest {};

// Written from the kernels' command sets, not from the library's tables.
bool ExpectedOn612(uint32_t feature)
{
	switch (feature) {
	case IOMMUFD_FEATURE_BIND_PGTBL:
	case IOMMUFD_FEATURE_NEST_PARENT:
	case IOMMUFD_FEATURE_DIRTY_TRACKING:
	case IOMMUFD_FEATURE_CACHE_INVLD:
	case IOMMUFD_FEATURE_PAGE_REQUEST:
		return true;
	default: // vIOMMU, vEVENTQ, HW queue, MAP_FILE, CHANGE_PROCESS, PASID attach
		return false;
	}
}

TEST_F(FeatureHostTest, AnswersForThisKernel)
{
	const bool is_612 = !KernelAtLeast(6, 13);

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status st{};

		ASSERT_OK(iommufd_probe_host_feature(ctx_, f, &st));
		const bool want = is_612 ? ExpectedOn612(f) : true;
		EXPECT_EQ(want ? 1u : 0u, st.supported) << iommufd_feature_name(f) << ": " << st.reason;
		EXPECT_NE(0u, st.release) << iommufd_feature_name(f);
		EXPECT_NE('\0', st.reason[0]) << iommufd_feature_name(f);
	}
}

// The host probe creates nothing: the first object after it gets ID 1.
TEST_F(FeatureHostTest, CreatesNothing)
{
	iommufd_feature_status st{};

	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		ASSERT_OK(iommufd_probe_host_feature(ctx_, f, &st));
	EXPECT_EQ(1u, NewIoas());
}

} // namespace
