// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_ioas_copy(): the same pages, mapped again elsewhere.
#include "test_support.h"

namespace {

class IoasCopy : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		src_ = NewIoas();
		dst_ = NewIoas();
		MapFixed(src_, 0x100000, 4 * kPage, 0x7f0000000000);
		MapFixed(src_, 0x104000, 2 * kPage, 0x7f1000000000);
	}
	uint32_t src_ = 0, dst_ = 0;
};

TEST_P(IoasCopy, ToAnIovaTheKernelPicks)
{
	const uint64_t iova = Copy(dst_, src_, 0x101000, 2 * kPage);
	const fake::Area &a = fk_.ioas(dst_).areas.at(iova);

	EXPECT_EQ(0x7f0000001000u, a.addr) << "same pages";
	EXPECT_EQ(iova + 2 * kPage - 1, a.last);
}

// Across two contiguous source mappings: one destination mapping per
// source piece, back to back.
TEST_P(IoasCopy, AcrossContiguousMappings)
{
	const uint64_t iova = Copy(dst_, src_, 0x103000, 2 * kPage, kFixedRW, 0x500000);

	EXPECT_EQ(0x500000u, iova);
	ASSERT_EQ(2u, fk_.ioas(dst_).areas.size());
	EXPECT_EQ(0x7f0000003000u, fk_.ioas(dst_).areas.at(0x500000).addr);
	EXPECT_EQ(0x7f1000000000u, fk_.ioas(dst_).areas.at(0x501000).addr);
	// Each piece unmaps on its own.
	EXPECT_EQ(kPage, Unmap(dst_, 0x501000, kPage));
}

TEST_P(IoasCopy, SourceNotFullyMapped)
{
	uint64_t iova = 0;

	EXPECT_FAILS(ctx_, ENOENT,
		     "iommufd_ioas_copy: IOAS 1 or 2 does not exist, or source 0x105000..0x106fff "
		     "is not fully mapped",
		     iommufd_ioas_copy(ctx_, dst_, src_, 0x105000, 2 * kPage, kRW, &iova));
	EXPECT_TRUE(fk_.ioas(dst_).areas.empty());
}

TEST_P(IoasCopy, NoSuchIoas)
{
	uint64_t iova = 0;

	EXPECT_FAILS(ctx_, ENOENT, "IOAS 1 or 7 does not exist",
		     iommufd_ioas_copy(ctx_, 7, src_, 0x100000, kPage, kRW, &iova));
	EXPECT_FAILS(ctx_, ENOENT, "IOAS 8 or 2 does not exist",
		     iommufd_ioas_copy(ctx_, dst_, 8, 0x100000, kPage, kRW, &iova));
}

TEST_P(IoasCopy, FixedDestinationTaken)
{
	uint64_t iova = 0x300000;

	MapFixed(dst_, 0x300000, kPage);
	EXPECT_FAILS(ctx_, EEXIST,
		     "iommufd_ioas_copy: IOVA range 0x300000..0x300fff of IOAS 2 is already mapped",
		     iommufd_ioas_copy(ctx_, dst_, src_, 0x100000, kPage, kFixedRW, &iova));
}

// Read-only pages cannot be copied into a writeable mapping.
TEST_P(IoasCopy, WriteNeedsWriteablePages)
{
	uint64_t iova = 0x600000;

	ASSERT_EQ(0, iommufd_ioas_map(ctx_, src_, UserVa(0x1000), kPage,
				      IOMMUFD_MAP_READABLE | IOMMUFD_MAP_FIXED_IOVA, &iova));
	EXPECT_FAILS(ctx_, EPERM, "iommufd_ioas_copy: the source of 0x600000..0x600fff is mapped read-only and cannot be copied WRITEABLE",
		     iommufd_ioas_copy(ctx_, dst_, src_, 0x600000, kPage, kRW, &iova));
	EXPECT_EQ(0x600000u, iova) << "untouched on failure";
	EXPECT_NE(0u, Copy(dst_, src_, 0x600000, kPage, IOMMUFD_MAP_READABLE));
}

INSTANTIATE_FOR_ALL_PROFILES(IoasCopy);

} // namespace
