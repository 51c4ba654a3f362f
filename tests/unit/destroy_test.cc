// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_destroy() (IOMMU_DESTROY).
#include "test_support.h"

namespace {

class Destroy : public ProfileTest {};

TEST_P(Destroy, AnIoasAndItsMappings)
{
	const uint32_t ioas = NewIoas();

	MapFixed(ioas, 0x100000, kPage);
	ASSERT_EQ(0, iommufd_destroy(ctx_, ioas));
	EXPECT_EQ(0u, fk_.object_count());
	EXPECT_EQ(8u, fk_.last_size(UAPI_CMD_DESTROY));
}

TEST_P(Destroy, Twice)
{
	const uint32_t ioas = NewIoas();

	ASSERT_EQ(0, iommufd_destroy(ctx_, ioas));
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_DESTROY: no object with ID 1", iommufd_destroy(ctx_, ioas));
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_DESTROY: no object with ID 0", iommufd_destroy(ctx_, 0));
}

TEST_P(Destroy, StillInUse)
{
	const uint32_t ioas = NewIoas();

	fk_.ioas(ioas).users = 2; // an attached device
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY: object 1 is still in use",
		     iommufd_destroy(ctx_, ioas));
	fk_.ioas(ioas).users = 1;
	EXPECT_EQ(0, iommufd_destroy(ctx_, ioas));
}

// The IOAS's cached alignment goes with it: a new IOAS that gets the same
// ID is not judged by the old one's alignment.
TEST_P(Destroy, ForgetsTheCachedAlignment)
{
	uint32_t ioas = NewIoas();
	uint64_t alignment;

	fk_.ioas(ioas).iova_alignment = kPage;
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &alignment));
	ASSERT_EQ(0, iommufd_destroy(ctx_, ioas));
	ASSERT_EQ(ioas, NewIoas()) << "the kernel reuses the lowest free ID";
	fk_.ResetCounters();
	EXPECT_EQ(0x100800u, MapFixed(ioas, 0x100800, 0x800));
	EXPECT_EQ(1u, fk_.ioctls()) << "no confirming query";
}

INSTANTIATE_FOR_ALL_PROFILES(Destroy);

} // namespace
