// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Argument checks of the other IOAS functions: alloc, unmap, unmap_all,
// iova_ranges, allow_iovas, change_process.
#include "test_support.h"

namespace {

class IoasArgs : public FakeKernelTest {
protected:
	void SetUp() override
	{
		FakeKernelTest::SetUp();
		ioas_ = NewIoas();
		fk_.ResetCounters();
	}
	uint32_t ioas_ = 0;
};

TEST_F(IoasArgs, Alloc)
{
	uint32_t id;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_alloc: the context is NULL",
			iommufd_ioas_alloc(nullptr, &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_alloc: ioas_id is NULL",
			iommufd_ioas_alloc(ctx_, nullptr));
}

TEST_F(IoasArgs, Unmap)
{
	uint64_t unmapped;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_unmap: the context is NULL",
			iommufd_ioas_unmap(nullptr, ioas_, 0x1000, kPage, &unmapped));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_unmap: IOVA length is 0",
			iommufd_ioas_unmap(ctx_, ioas_, 0x1000, 0, &unmapped));
	EXPECT_REJECTED(ctx_, EOVERFLOW,
			"iommufd_ioas_unmap: IOVA 0xfffffffffffff000 + length 0x2000 wraps",
			iommufd_ioas_unmap(ctx_, ioas_, UINT64_MAX - kPage + 1, 2 * kPage, &unmapped));
	EXPECT_REJECTED(ctx_, EINVAL, "use iommufd_ioas_unmap_all()",
			iommufd_ioas_unmap(ctx_, ioas_, 0, UINT64_MAX, &unmapped));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_unmap_all: the context is NULL",
			iommufd_ioas_unmap_all(nullptr, ioas_, &unmapped));
}

// The kernel unmaps any range that covers whole mappings, aligned or not,
// so a known alignment must not make the library refuse one.
TEST_F(IoasArgs, UnmapNeedsNoAlignment)
{
	uint64_t alignment;

	fk_.ioas(ioas_).iova_alignment = kPage;
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 0, &alignment));
	MapFixed(ioas_, 0x100000, kPage);
	fk_.ResetCounters();
	EXPECT_EQ(kPage, Unmap(ioas_, 0x100000 - 1, kPage + 2));
	EXPECT_EQ(1u, fk_.ioctls());
}

TEST_F(IoasArgs, IovaRanges)
{
	iommufd_iova_range r[2];

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_iova_ranges: the context is NULL",
			iommufd_ioas_iova_ranges(nullptr, ioas_, r, 2, nullptr));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_iova_ranges: ranges is NULL",
			iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 2, nullptr));
	// No room asked for, no array needed.
	EXPECT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 0, nullptr));
}

TEST_F(IoasArgs, AllowIovas)
{
	const iommufd_iova_range ok[] = {{0x1000, 0x1fff}};
	const iommufd_iova_range backwards[] = {{0x1000, 0x1fff}, {0x9000, 0x8000}};
	const iommufd_iova_range one_byte[] = {{0x1000, 0x1000}};

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_allow_iovas: the context is NULL",
			iommufd_ioas_allow_iovas(nullptr, ioas_, ok, 1));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_allow_iovas: ranges is NULL",
			iommufd_ioas_allow_iovas(ctx_, ioas_, nullptr, 1));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_allow_iovas: 4294967296 ranges is more than",
			iommufd_ioas_allow_iovas(ctx_, ioas_, ok, size_t{1} << 32));
	EXPECT_REJECTED(ctx_, EINVAL,
			"iommufd_ioas_allow_iovas: range 1 starts (0x9000) at or after its last "
			"byte (0x8000)",
			iommufd_ioas_allow_iovas(ctx_, ioas_, backwards, 2));
	// The kernel refuses start == last too; so does the library, first.
	EXPECT_REJECTED(ctx_, EINVAL, "range 0 starts (0x1000) at or after",
			iommufd_ioas_allow_iovas(ctx_, ioas_, one_byte, 1));
	// Zero ranges need no array: that lifts the restriction.
	EXPECT_EQ(0, iommufd_ioas_allow_iovas(ctx_, ioas_, nullptr, 0));
}

TEST_F(IoasArgs, ChangeProcess)
{
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_change_process: the context is NULL",
			iommufd_ioas_change_process(nullptr));
}

} // namespace
