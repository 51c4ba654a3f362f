// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_option_get/_set (IOMMU_OPTION) and iommufd_vfio_ioas_* (IOMMU_VFIO_IOAS).
#include "test_support.h"

namespace {

class Options : public ProfileTest {};

TEST_P(Options, RlimitMode)
{
	uint64_t v = 7;

	ASSERT_EQ(0, iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, &v));
	EXPECT_EQ(0u, v) << "per user by default";
	ASSERT_EQ(0, iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
	ASSERT_EQ(0, iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, &v));
	EXPECT_EQ(1u, v);
	EXPECT_TRUE(fk_.ictx().account_mm);
}

TEST_P(Options, RlimitModeOnceObjectsExist)
{
	NewIoas();
	EXPECT_FAILS(ctx_, EBUSY,
		     "iommufd_option_set: the rlimit mode cannot change once the context has "
		     "objects",
		     iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
}

TEST_P(Options, RlimitModeNeedsCapSysResource)
{
	fk_.cap_sys_resource = false;
	EXPECT_FAILS(ctx_, EPERM, "iommufd_option_set: changing the rlimit mode needs CAP_SYS_RESOURCE",
		     iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
	uint64_t v;
	EXPECT_EQ(0, iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, &v)) << "reading is fine";
}

TEST_P(Options, RlimitModeIsNotPerObject)
{
	uint64_t v;
	const uint32_t ioas = NewIoas();

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "iommufd_option_get: option 0 is not known to this kernel (or not valid for "
		     "object 1)",
		     iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, ioas, &v));
}

TEST_P(Options, HugePages)
{
	const uint32_t ioas = NewIoas();
	uint64_t v = 7;

	ASSERT_EQ(0, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, &v));
	EXPECT_EQ(1u, v);
	ASSERT_EQ(0, iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 0));
	ASSERT_EQ(0, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, &v));
	EXPECT_EQ(0u, v);
	EXPECT_FALSE(fk_.ioas(ioas).huge_pages);
	EXPECT_EQ(24u, fk_.last_size(UAPI_CMD_OPTION));
}

TEST_P(Options, HugePagesNeedsAnIoas)
{
	uint64_t v;

	EXPECT_FAILS(ctx_, ENOENT, "iommufd_option_get: no object with ID 0",
		     iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, 0, &v));
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_option_set: no object with ID 6",
		     iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, 6, 1));
}

TEST_P(Options, VfioIoasUnset)
{
	uint32_t id = 5;

	EXPECT_FAILS(ctx_, ENODEV,
		     "iommufd_vfio_ioas_get: no IOAS is set for the VFIO container emulation",
		     iommufd_vfio_ioas_get(ctx_, &id));
	EXPECT_EQ(5u, id) << "untouched on failure";
}

TEST_P(Options, VfioIoasSetGetClear)
{
	const uint32_t a = NewIoas(), b = NewIoas();
	uint32_t id = 0;

	ASSERT_EQ(0, iommufd_vfio_ioas_set(ctx_, b));
	ASSERT_EQ(0, iommufd_vfio_ioas_get(ctx_, &id));
	EXPECT_EQ(b, id);
	ASSERT_EQ(0, iommufd_vfio_ioas_set(ctx_, a));
	ASSERT_EQ(0, iommufd_vfio_ioas_get(ctx_, &id));
	EXPECT_EQ(a, id);
	ASSERT_EQ(0, iommufd_vfio_ioas_clear(ctx_));
	EXPECT_FAILS(ctx_, ENODEV, "no IOAS is set", iommufd_vfio_ioas_get(ctx_, &id));
}

TEST_P(Options, VfioIoasSetUnknown)
{
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_vfio_ioas_set: IOAS 9 does not exist",
		     iommufd_vfio_ioas_set(ctx_, 9));
}

// Destroying the compat IOAS unsets it.
TEST_P(Options, VfioIoasDestroyed)
{
	const uint32_t ioas = NewIoas();
	uint32_t id;

	ASSERT_EQ(0, iommufd_vfio_ioas_set(ctx_, ioas));
	ASSERT_EQ(0, iommufd_destroy(ctx_, ioas));
	EXPECT_FAILS(ctx_, ENODEV, "no IOAS is set", iommufd_vfio_ioas_get(ctx_, &id));
}

INSTANTIATE_FOR_ALL_PROFILES(Options);

} // namespace
