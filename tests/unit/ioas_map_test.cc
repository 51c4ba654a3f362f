// SPDX-License-Identifier: LGPL-2.1-or-later
//
// iommufd_ioas_alloc() and iommufd_ioas_map() against the fake kernel, on
// every release.
#include "test_support.h"

namespace {

class IoasMap : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		ioas_ = NewIoas();
	}
	uint32_t ioas_ = 0;
};

TEST_P(IoasMap, AllocGivesIdsFromOne)
{
	EXPECT_EQ(1u, ioas_);
	EXPECT_EQ(2u, NewIoas());
	EXPECT_EQ(12u, fk_.last_size(UAPI_CMD_IOAS_ALLOC));
}

TEST_P(IoasMap, Fixed)
{
	uint64_t iova = 0x200000;

	ASSERT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x7f0000001000), 3 * kPage, kFixedRW, &iova));
	EXPECT_EQ(0x200000u, iova);
	const fake::Area &a = fk_.ioas(ioas_).areas.at(0x200000);
	EXPECT_EQ(0x200000u + 3 * kPage - 1, a.last);
	EXPECT_EQ(0x7f0000001000u, a.addr);
	EXPECT_FALSE(a.file);
}

TEST_P(IoasMap, KernelChoosesTheIova)
{
	const uint64_t a = MapAny(ioas_, kPage, 0x7f0000000000);
	const uint64_t b = MapAny(ioas_, 16 * kPage, 0x7f0000000000);

	EXPECT_NE(0u, a) << "never IOVA 0";
	EXPECT_EQ(0u, b % (16 * kPage)) << "aligned to the length";
	EXPECT_EQ(2u, fk_.ioas(ioas_).areas.size());
}

TEST_P(IoasMap, ReadOnlyAndWriteOnly)
{
	uint64_t iova = 0;

	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, IOMMUFD_MAP_READABLE, &iova));
	EXPECT_FALSE(fk_.ioas(ioas_).areas.at(iova).writable);
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, IOMMUFD_MAP_WRITEABLE, &iova));
	EXPECT_TRUE(fk_.ioas(ioas_).areas.at(iova).writable);
}

TEST_P(IoasMap, OverMapIsEexist)
{
	MapFixed(ioas_, 16 * kPage, 2 * kPage);
	const struct {
		uint64_t iova, length;
	} overlaps[] = {{16, 2}, {16, 1}, {17, 1}, {15, 2}, {15, 3}};
	for (const auto &o : overlaps) {
		uint64_t iova = o.iova * kPage;
		const uint64_t last = (o.iova + o.length) * kPage - 1;
		char want[160];
		snprintf(want, sizeof(want),
			 "iommufd_ioas_map: IOVA range 0x%llx..0x%llx of IOAS %u is already mapped",
			 static_cast<unsigned long long>(iova), static_cast<unsigned long long>(last),
			 ioas_);
		EXPECT_FAILS(ctx_, EEXIST, want,
			     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), o.length * kPage, kFixedRW,
					      &iova));
	}
}

TEST_P(IoasMap, NoSuchIoas)
{
	uint64_t iova = 0;

	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_map: IOAS 9 does not exist",
		     iommufd_ioas_map(ctx_, 9, UserVa(0x1000), kPage, kRW, &iova));
}

// Allowed ranges confine the IOVAs the kernel picks; when none fits: ENOSPC.
TEST_P(IoasMap, NoSpace)
{
	const iommufd_iova_range allowed[] = {{0x100000, 0x101fff}};
	uint64_t iova = 0;

	ASSERT_EQ(0, iommufd_ioas_allow_iovas(ctx_, ioas_, allowed, 1));
	EXPECT_EQ(0x100000u, MapAny(ioas_, kPage));
	EXPECT_EQ(0x101000u, MapAny(ioas_, kPage));
	EXPECT_FAILS(ctx_, ENOSPC, "iommufd_ioas_map: IOAS 1 has no free IOVA range of 0x1000 bytes",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kRW, &iova));
	// Fixed IOVAs are not confined by allowed ranges.
	EXPECT_EQ(0x200000u, MapFixed(ioas_, 0x200000, kPage));
}

// A reserved region (an attached device's MSI window, say) cannot be mapped.
TEST_P(IoasMap, ReservedRegion)
{
	fk_.ioas(ioas_).reserved.push_back({0xfee00000, 0xfeefffff});
	uint64_t iova = 0xfee00000;

	EXPECT_FAILS(ctx_, EINVAL, "not aligned to its IOVA alignment, or inside a reserved region",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova));
}

TEST_P(IoasMap, PinLimit)
{
	uint64_t iova = 0;

	fk_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM,
		     "iommufd_ioas_map: cannot pin 0x40000000 bytes (RLIMIT_MEMLOCK, or out of memory)",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), 1ull << 30, kRW, &iova));
}

// The real kernel answers EFAULT for read-only memory mapped WRITEABLE.
TEST_P(IoasMap, UnpinnableMemory)
{
	uint64_t iova = 0;

	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT,
		     "iommufd_ioas_map: cannot pin the memory for writing (unmapped, or read-only "
		     "memory mapped WRITEABLE)",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kRW, &iova));
}

TEST_P(IoasMap, MisalignedUserAddressOnAlignedIoas)
{
	uint64_t iova = 0;

	fk_.ioas(ioas_).iova_alignment = kPage;
	EXPECT_FAILS(ctx_, EINVAL, "not aligned to its IOVA alignment, or inside a reserved region",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1010), kPage, kRW, &iova));
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x2000), kPage, kRW, &iova));
	EXPECT_EQ(0u, iova % kPage);
}

INSTANTIATE_FOR_ALL_PROFILES(IoasMap);

} // namespace
