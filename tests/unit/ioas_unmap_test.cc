// SPDX-License-Identifier: LGPL-2.1-or-later
//
// iommufd_ioas_unmap() and _unmap_all(), after the selftest's "area" and
// "unmap_fully_contained_areas" cases.
#include "test_support.h"

namespace {

class IoasUnmap : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		ioas_ = NewIoas();
	}
	uint32_t ioas_ = 0;
	const uint64_t base_ = 0x100000;
};

TEST_P(IoasUnmap, NothingMapped)
{
	uint64_t unmapped = 7;

	for (int i = 0; i < 4; i++)
		EXPECT_FAILS(ctx_, ENOENT, "has nothing mapped in",
			     iommufd_ioas_unmap(ctx_, ioas_, base_ + i * kPage, kPage, &unmapped));
	EXPECT_EQ(7u, unmapped) << "untouched on failure";
	EXPECT_TRUE(HasSentence(ctx_, "iommufd_ioas_unmap: IOAS 1 does not exist, has nothing "
				      "mapped in 0x103000..0x103fff"));
}

TEST_P(IoasUnmap, Exact)
{
	for (int i = 0; i < 10; i++)
		MapFixed(ioas_, base_ + i * kPage, kPage);
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(kPage, Unmap(ioas_, base_ + i * kPage, kPage));
	EXPECT_TRUE(fk_.ioas(ioas_).areas.empty());
}

// A mapping cannot be split: the kernel answers ENOENT, like for an empty
// range, and the sentence says both.
TEST_P(IoasUnmap, SplitFails)
{
	MapFixed(ioas_, base_ + 16 * kPage, 2 * kPage);
	EXPECT_FAILS(ctx_, ENOENT, "or a mapping crosses the edge of that range and cannot be split",
		     iommufd_ioas_unmap(ctx_, ioas_, base_ + 16 * kPage, kPage, nullptr));
	EXPECT_FAILS(ctx_, ENOENT, "cannot be split",
		     iommufd_ioas_unmap(ctx_, ioas_, base_ + 17 * kPage, kPage, nullptr));
	EXPECT_EQ(1u, fk_.ioas(ioas_).areas.size());
}

TEST_P(IoasUnmap, FullyContainedAreas)
{
	const uint64_t base = base_ + 4 * kPage;

	for (int i = 0; i < 4; i++)
		MapFixed(ioas_, base + i * 16 * kPage, 8 * kPage);
	// Not fully contained at either end.
	EXPECT_FAILS(ctx_, ENOENT, "cannot be split",
		     iommufd_ioas_unmap(ctx_, ioas_, base - 4 * kPage, 8 * kPage, nullptr));
	EXPECT_FAILS(ctx_, ENOENT, "cannot be split",
		     iommufd_ioas_unmap(ctx_, ioas_, base + 3 * 16 * kPage + 4 * kPage, 8 * kPage,
					nullptr));
	// A superset of all four, unaligned at both ends.
	EXPECT_EQ(32 * kPage, Unmap(ioas_, base - 4 * kPage - 1, 3 * 16 * kPage + 12 * kPage + 2));
}

// The walk stops at the first mapping that crosses the far edge; the ones
// before it are gone already (the kernel's behaviour, documented).
TEST_P(IoasUnmap, CrossingMappingStopsTheWalk)
{
	MapFixed(ioas_, base_, kPage);
	MapFixed(ioas_, base_ + kPage, 2 * kPage);
	EXPECT_FAILS(ctx_, ENOENT, "cannot be split",
		     iommufd_ioas_unmap(ctx_, ioas_, base_, 2 * kPage, nullptr));
	ASSERT_EQ(1u, fk_.ioas(ioas_).areas.size());
	EXPECT_EQ(base_ + kPage, fk_.ioas(ioas_).areas.begin()->first);
}

TEST_P(IoasUnmap, UnmappedIsOptional)
{
	MapFixed(ioas_, base_, kPage);
	EXPECT_EQ(0, iommufd_ioas_unmap(ctx_, ioas_, base_, kPage, nullptr));
}

TEST_P(IoasUnmap, All)
{
	uint64_t unmapped = 1;

	MapFixed(ioas_, base_, kPage);
	MapFixed(ioas_, base_ + 8 * kPage, 4 * kPage);
	MapAny(ioas_, 2 * kPage);
	ASSERT_EQ(0, iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
	EXPECT_EQ(7 * kPage, unmapped);
	EXPECT_TRUE(fk_.ioas(ioas_).areas.empty());
	// Empty: not an error.
	ASSERT_EQ(0, iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
	EXPECT_EQ(0u, unmapped);
	EXPECT_EQ(0, iommufd_ioas_unmap_all(ctx_, ioas_, nullptr));
	EXPECT_EQ(3u, fk_.ioctls(UAPI_CMD_IOAS_UNMAP));
}

TEST_P(IoasUnmap, NoSuchIoas)
{
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_unmap_all: IOAS 5 does not exist",
		     iommufd_ioas_unmap_all(ctx_, 5, nullptr));
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_unmap: IOAS 5 does not exist",
		     iommufd_ioas_unmap(ctx_, 5, base_, kPage, nullptr));
}

// EBUSY comes from in-kernel holders (a vIOMMU HW queue); accesses unpin.
TEST_P(IoasUnmap, HeldByAnInKernelObject)
{
	MapFixed(ioas_, base_, kPage);
	fk_.FailIoctl(1, EBUSY);
	EXPECT_FAILS(ctx_, EBUSY,
		     "iommufd_ioas_unmap: 0x100000..0x100fff is held by an in-kernel object",
		     iommufd_ioas_unmap(ctx_, ioas_, base_, kPage, nullptr));
}

INSTANTIATE_FOR_ALL_PROFILES(IoasUnmap);

} // namespace
