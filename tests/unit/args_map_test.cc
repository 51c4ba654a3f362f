// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Argument checks of iommufd_ioas_map(), _map_file() and _copy(): each
// refused call names its fault and never reaches the kernel.
#include "test_support.h"

namespace {

class MapArgs : public FakeKernelTest {
protected:
	void SetUp() override
	{
		FakeKernelTest::SetUp();
		ioas_ = NewIoas();
		file_ = fk_.AddFile();
		fk_.ResetCounters();
	}
	uint32_t ioas_ = 0;
	int file_ = -1;
	uint64_t iova_ = 0x100000;
};

TEST_F(MapArgs, NullContext)
{
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_map: the context is NULL",
			iommufd_ioas_map(nullptr, ioas_, UserVa(0x1000), kPage, kRW, &iova_));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_map_file: the context is NULL",
			iommufd_ioas_map_file(nullptr, ioas_, file_, 0, kPage, kRW, &iova_));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_ioas_copy: the context is NULL",
			iommufd_ioas_copy(nullptr, ioas_, ioas_, 0, kPage, kRW, &iova_));
}

TEST_F(MapArgs, NullIova)
{
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_map: iova is NULL",
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kRW, nullptr));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_map_file: iova is NULL",
			iommufd_ioas_map_file(ctx_, ioas_, file_, 0, kPage, kRW, nullptr));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_copy: iova is NULL",
			iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, kPage, kRW, nullptr));
}

TEST_F(MapArgs, NullBuffer)
{
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_map: buf is NULL",
			iommufd_ioas_map(ctx_, ioas_, nullptr, kPage, kRW, &iova_));
}

TEST_F(MapArgs, UnknownFlags)
{
	const uint32_t bad = kRW | (1u << 3);

	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_ioas_map: unknown flags 0x8 (known: 0x7)",
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, bad, &iova_));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_ioas_map_file: unknown flags 0x8",
			iommufd_ioas_map_file(ctx_, ioas_, file_, 0, kPage, bad, &iova_));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_ioas_copy: unknown flags 0x80000000",
			iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, kPage, kRW | 0x80000000u, &iova_));
}

TEST_F(MapArgs, NeitherReadableNorWriteable)
{
	const char *what = "flags need IOMMUFD_MAP_READABLE and/or IOMMUFD_MAP_WRITEABLE";

	EXPECT_REJECTED(ctx_, EINVAL, what,
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, 0, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, what,
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage,
					 IOMMUFD_MAP_FIXED_IOVA, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, what,
			iommufd_ioas_map_file(ctx_, ioas_, file_, 0, kPage, 0, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, what,
			iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, kPage, 0, &iova_));
}

TEST_F(MapArgs, ZeroLength)
{
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_ioas_map: IOVA length is 0",
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), 0, kFixedRW, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, "length is 0",
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), 0, kRW, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, "length is 0",
			iommufd_ioas_map_file(ctx_, ioas_, file_, 0, 0, kRW, &iova_));
	EXPECT_REJECTED(ctx_, EINVAL, "length is 0",
			iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, 0, kRW, &iova_));
}

TEST_F(MapArgs, IovaPlusLengthWraps)
{
	uint64_t iova = UINT64_MAX - kPage + 2;

	EXPECT_REJECTED(ctx_, EOVERFLOW, "wraps past the end of the 64-bit space",
			iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "IOVA 0xfffffffffffff001 + length 0x1000 wraps",
			iommufd_ioas_map_file(ctx_, ioas_, file_, 0, kPage, kFixedRW, &iova));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "wraps",
			iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, kPage, kFixedRW, &iova));
	// The last byte of the space is fine: [2^64 - 4096, 2^64 - 1].
	iova = UINT64_MAX - kPage + 1;
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
}

TEST_F(MapArgs, BufferPlusLengthWraps)
{
	EXPECT_REJECTED(ctx_, EOVERFLOW,
			"iommufd_ioas_map: buffer 0xfffffffffffff000 + length 0x2000 wraps",
			iommufd_ioas_map(ctx_, ioas_, UserVa(UINT64_MAX - kPage + 1), 2 * kPage,
					 kRW, &iova_));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "iommufd_ioas_map_file: file offset 0xffffffffffffffff",
			iommufd_ioas_map_file(ctx_, ioas_, file_, UINT64_MAX, 2, kRW, &iova_));
	EXPECT_REJECTED(ctx_, EOVERFLOW, "iommufd_ioas_copy: source IOVA",
			iommufd_ioas_copy(ctx_, ioas_, ioas_, UINT64_MAX, 2, kRW, &iova_));
}

TEST_F(MapArgs, BadFileDescriptor)
{
	EXPECT_REJECTED(ctx_, EBADF, "iommufd_ioas_map_file: fd -1 is not a file descriptor",
			iommufd_ioas_map_file(ctx_, ioas_, -1, 0, kPage, kRW, &iova_));
}

// With the IOAS's alignment known (and current), a misaligned fixed IOVA
// or length is refused after one confirming query, never sent to MAP.
TEST_F(MapArgs, MisalignedWithKnownAlignment)
{
	uint64_t alignment = 0;

	fk_.ioas(ioas_).iova_alignment = kPage;
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 0, &alignment));
	ASSERT_EQ(kPage, alignment);
	fk_.ResetCounters();

	uint64_t iova = 0x100800;
	EXPECT_FAILS(ctx_, EINVAL,
		     "iommufd_ioas_map: IOVA 0x100800 and length 0x1000 must be multiples of "
		     "IOAS 1's IOVA alignment 0x1000",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova));
	iova = 0x100000;
	EXPECT_FAILS(ctx_, EINVAL, "length 0x800 must be multiples",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage / 2, kFixedRW, &iova));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_ioas_map_file: IOVA 0x100000 and length 0x10",
		     iommufd_ioas_map_file(ctx_, ioas_, file_, 0, 0x10, kFixedRW, &iova));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_ioas_copy: IOVA 0x100000 and length 0x10",
		     iommufd_ioas_copy(ctx_, ioas_, ioas_, 0, 0x10, kFixedRW, &iova));
	EXPECT_EQ(0u, fk_.ioctls(UAPI_CMD_IOAS_MAP));
	EXPECT_EQ(0u, fk_.ioctls(UAPI_CMD_IOAS_MAP_FILE));
	EXPECT_EQ(0u, fk_.ioctls(UAPI_CMD_IOAS_COPY));
	EXPECT_EQ(4u, fk_.ioctls(UAPI_CMD_IOAS_IOVA_RANGES)) << "one confirming query each";
	EXPECT_EQ(4u, fk_.ioctls());
}

// The cached alignment went stale (the device detached): the library asks
// again and lets the call through instead of refusing it.
TEST_F(MapArgs, StaleAlignmentIsRecheckedNotRefused)
{
	uint64_t alignment = 0;

	fk_.ioas(ioas_).iova_alignment = kPage;
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas_, nullptr, 0, &alignment));
	fk_.ioas(ioas_).iova_alignment = 1;
	fk_.ResetCounters();

	uint64_t iova = 0x100800;
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0x100800u, iova);
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_IOAS_IOVA_RANGES));
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_IOAS_MAP));

	// The fresh answer is cached: the next odd IOVA costs no query.
	iova = 0x200800;
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova));
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_IOAS_IOVA_RANGES));
}

// Nothing cached: the kernel judges, and its EINVAL comes through.
TEST_F(MapArgs, UnknownAlignmentIsTheKernelsToJudge)
{
	fk_.ioas(ioas_).iova_alignment = kPage;
	uint64_t iova = 0x100800;

	EXPECT_FAILS(ctx_, EINVAL, "not aligned to its IOVA alignment, or inside a reserved region",
		     iommufd_ioas_map(ctx_, ioas_, UserVa(0x1000), kPage, kFixedRW, &iova));
	EXPECT_EQ(1u, fk_.ioctls());
}

} // namespace
