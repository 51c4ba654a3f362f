// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_ioas_iova_ranges() and iommufd_ioas_allow_iovas().
#include "test_support.h"

namespace {

class IoasRanges : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		ioas_ = NewIoas();
		fk_.ResetCounters();
	}
	uint32_t ioas_ = 0;
};

TEST_P(IoasRanges, WholeSpaceWhenNothingIsReserved)
{
	iommufd_iova_range r[2] = {};
	uint64_t alignment = 0;

	EXPECT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas_, r, 2, &alignment));
	EXPECT_EQ(0u, r[0].start);
	EXPECT_EQ(UINT64_MAX, r[0].last);
	EXPECT_EQ(1u, alignment);
	EXPECT_EQ(1u, fk_.ioctls());
}

TEST_P(IoasRanges, AllFit)
{
	iommufd_iova_range r[8] = {};

	fk_.SetNumRanges(ioas_, 5);
	fk_.ioas(ioas_).iova_alignment = kPage;
	uint64_t alignment = 0;
	EXPECT_EQ(5, iommufd_ioas_iova_ranges(ctx_, ioas_, r, 8, &alignment));
	EXPECT_EQ(kPage, alignment);
	EXPECT_EQ(0u, r[0].start);
	for (int i = 1; i < 5; i++) {
		EXPECT_LT(r[i - 1].last, r[i].start) << "lowest first";
		EXPECT_EQ((uint64_t(i) << 40) + (1 << 20), r[i].start);
	}
	EXPECT_EQ(UINT64_MAX, r[4].last);
	EXPECT_EQ(0u, r[5].start + r[5].last) << "nothing past the count";
	EXPECT_EQ(1u, fk_.ioctls());
}

// Like snprintf: the total comes back, the array holds what fits.
TEST_P(IoasRanges, SmallArray)
{
	iommufd_iova_range r[3] = {};

	fk_.SetNumRanges(ioas_, 5);
	EXPECT_EQ(5, iommufd_ioas_iova_ranges(ctx_, ioas_, r, 2, nullptr));
	EXPECT_EQ(0u, r[0].start);
	EXPECT_EQ((uint64_t{1} << 40) + (1 << 20), r[1].start);
	EXPECT_EQ(0u, r[2].start + r[2].last) << "written past max_ranges";
	EXPECT_EQ(2u, fk_.ioctls()) << "EMSGSIZE, then one call that fits";
	EXPECT_STREQ("", iommufd_ctx_last_error(ctx_)) << "the handled EMSGSIZE is no failure";
}

// With no room asked for, one call answers (count and alignment).
TEST_P(IoasRanges, CountOnlyIsOneCall)
{
	uint64_t alignment = 0;

	fk_.SetNumRanges(ioas_, 3);
	fk_.ioas(ioas_).iova_alignment = 2 * kPage;
	EXPECT_EQ(3, iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 0, &alignment));
	EXPECT_EQ(2 * kPage, alignment);
	EXPECT_EQ(1u, fk_.ioctls());
}

// The ranges change between the EMSGSIZE answer and the retry: the result
// is the newer, consistent set.
TEST_P(IoasRanges, ChangeBetweenCalls)
{
	iommufd_iova_range r[1] = {};
	unsigned calls = 0;

	fk_.SetNumRanges(ioas_, 2);
	fk_.before_ioctl = [&](fake::FakeKernel &fk, uint32_t nr) {
		if (nr == UAPI_CMD_IOAS_IOVA_RANGES && ++calls == 2)
			fk.SetNumRanges(ioas_, 6);
	};
	EXPECT_EQ(6, iommufd_ioas_iova_ranges(ctx_, ioas_, r, 1, nullptr));
	EXPECT_EQ(3u, calls);
	fk_.before_ioctl = nullptr;
}

TEST_P(IoasRanges, KeepsChanging)
{
	iommufd_iova_range r[1] = {};
	unsigned n = 2;

	fk_.SetNumRanges(ioas_, n);
	fk_.before_ioctl = [&](fake::FakeKernel &fk, uint32_t nr) {
		if (nr == UAPI_CMD_IOAS_IOVA_RANGES)
			fk.SetNumRanges(ioas_, ++n);
	};
	EXPECT_FAILS(ctx_, EAGAIN, "iommufd_ioas_iova_ranges: the ranges of IOAS 1 kept changing",
		     iommufd_ioas_iova_ranges(ctx_, ioas_, r, 1, nullptr));
	fk_.before_ioctl = nullptr;
	EXPECT_EQ(17u, fk_.ioctls()) << "bounded retries";
}

TEST_P(IoasRanges, NoSuchIoas)
{
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_iova_ranges: IOAS 3 does not exist",
		     iommufd_ioas_iova_ranges(ctx_, 3, nullptr, 0, nullptr));
}

TEST_P(IoasRanges, AllowSetsAndClears)
{
	const iommufd_iova_range allowed[] = {{0x800000, 0x8fffff}, {0x100000, 0x1fffff}};

	ASSERT_EQ(0, iommufd_ioas_allow_iovas(ctx_, ioas_, allowed, 2));
	EXPECT_EQ(2u, fk_.ioas(ioas_).allowed.size());
	EXPECT_EQ(0x100000u, MapAny(ioas_, kPage)) << "the lowest allowed range first";
	ASSERT_EQ(0, iommufd_ioas_allow_iovas(ctx_, ioas_, nullptr, 0));
	EXPECT_TRUE(fk_.ioas(ioas_).allowed.empty());
}

TEST_P(IoasRanges, AllowOverlapping)
{
	const iommufd_iova_range allowed[] = {{0x100000, 0x1fffff}, {0x180000, 0x2fffff}};

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_ioas_allow_iovas: the ranges overlap",
		     iommufd_ioas_allow_iovas(ctx_, ioas_, allowed, 2));
	EXPECT_TRUE(fk_.ioas(ioas_).allowed.empty());
}

TEST_P(IoasRanges, AllowOverReservedRegion)
{
	const iommufd_iova_range allowed[] = {{0xfe000000, 0xfeffffff}};

	fk_.ioas(ioas_).reserved.push_back({0xfee00000, 0xfeefffff});
	EXPECT_FAILS(ctx_, EADDRINUSE,
		     "iommufd_ioas_allow_iovas: a reserved region of a device attached to IOAS 1 "
		     "intersects the ranges",
		     iommufd_ioas_allow_iovas(ctx_, ioas_, allowed, 1));
}

TEST_P(IoasRanges, AllowNoSuchIoas)
{
	const iommufd_iova_range allowed[] = {{0x100000, 0x1fffff}};

	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_allow_iovas: IOAS 4 does not exist",
		     iommufd_ioas_allow_iovas(ctx_, 4, allowed, 1));
}

INSTANTIATE_FOR_ALL_PROFILES(IoasRanges);

} // namespace
