// SPDX-License-Identifier: LGPL-2.1-or-later
// Dirty tracking on the mock: pages marked dirty with the mock's DIRTY op
// come back through the bitmap reader over a range of several chunks, in
// one ioctl and with CHUNKED, with every bit in its place on both sides of
// each chunk boundary; NO_CLEAR, MERGE and the errnos of these paths.
#include "hwpt_kernel.h"

#include <set>
#include <vector>

namespace {

constexpr uint64_t kChunk = IOMMUFD_DIRTY_CHUNK_PAGES;
// 200 MiB of IOVA at the mock's 2 KiB page: 102400 bits, 3 full chunks
// and a partial one.  One 8 MiB buffer mapped 25 times covers it.
constexpr uint64_t kSlice = 8ull << 20;
constexpr uint64_t kRange = 25 * kSlice;
constexpr uint64_t kBits = kRange / kMockPage;

std::vector<uint64_t> Words(uint64_t bits)
{
	return std::vector<uint64_t>(bits / 64 + (bits % 64 != 0), 0);
}

void SetBit(std::vector<uint64_t> &w, uint64_t i) { w[i / 64] |= 1ull << (i % 64); }

std::vector<uint64_t> BitsOf(const std::vector<uint64_t> &w)
{
	std::vector<uint64_t> out;

	for (uint64_t i = 0; i < w.size() * 64; i++)
		if ((w[i / 64] >> (i % 64)) & 1)
			out.push_back(i);
	return out;
}

class DirtyTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure())
			return;
		// As the kernel's selftest does: PTEs of the mock's own page size,
		// so a dirty bit stands for one 2 KiB page.
		ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas_, 0));
		hwpt_ = Paging(IOMMUFD_HWPT_DIRTY_TRACKING);
		ASSERT_NE(0u, hwpt_);
		buf_ = std::make_unique<Buffer>(kSlice);
		for (uint64_t off = 0; off < kRange; off += kSlice)
			MapFixed(ioas_, buf_->p(), kSlice, kApStart + off);
		ASSERT_OK(iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 1));
	}

	// The mock marks the pages of @bits (2 KiB each, from kApStart) dirty.
	void MarkDirty(const std::vector<uint64_t> &bits, uint64_t range = kRange)
	{
		auto w = Words(range / kMockPage);
		uint64_t nr = 0;

		for (uint64_t b : bits)
			SetBit(w, b);
		ASSERT_OK(iommufd_test_dirty(ctx_, hwpt_, kApStart, range, kMockPage, w.data(), &nr));
		EXPECT_EQ(bits.size(), nr);
	}

	int Read(std::vector<uint64_t> &w, uint32_t flags = 0, uint64_t page = kMockPage,
		 uint64_t range = kRange)
	{
		return iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, range, page, w.data(),
						     w.size() * 8, flags);
	}

	uint32_t hwpt_ = 0;
	std::unique_ptr<Buffer> buf_;
};

// Bits on both sides of every chunk boundary, the first and last page,
// and a scatter between.  Even pages only, as the kernel's selftest marks:
// 7.2's mock reports a dirty odd 2 KiB page as its even neighbour.
std::vector<uint64_t> Pattern()
{
	std::set<uint64_t> bits = {0,          2,          kChunk - 2,     kChunk,    2 * kChunk - 2,
				   2 * kChunk, 3 * kChunk - 2, 3 * kChunk, kBits - 2};

	for (uint64_t b = 6; b < kBits; b += 998)
		bits.insert(b);
	return {bits.begin(), bits.end()};
}

TEST_F(DirtyTest, ReadOfALargeRange)
{
	const std::vector<uint64_t> want = Pattern();
	auto w = Words(kBits);

	static_assert(kBits > 3 * kChunk && kBits < 4 * kChunk, "four chunks, the last partial");
	for (uint32_t chunked : {0u, IOMMUFD_DIRTY_CHUNKED}) {
		MarkDirty(want);
		std::fill(w.begin(), w.end(), ~0ull); // stale bits the reader must clear
		ASSERT_OK(Read(w, chunked));
		EXPECT_EQ(want, BitsOf(w)) << "flags " << chunked;
		// Read and cleared: nothing is left.
		ASSERT_OK(Read(w, chunked));
		EXPECT_EQ(std::vector<uint64_t>{}, BitsOf(w)) << "flags " << chunked;
	}
}

TEST_F(DirtyTest, NoClear)
{
	const std::vector<uint64_t> want = {4, kChunk + 8, kBits - 2};
	auto w = Words(kBits);

	MarkDirty(want);
	for (int i = 0; i < 2; i++) {
		ASSERT_OK(Read(w, IOMMUFD_DIRTY_NO_CLEAR));
		EXPECT_EQ(want, BitsOf(w)) << "read " << i << " with NO_CLEAR";
	}
	ASSERT_OK(Read(w));
	EXPECT_EQ(want, BitsOf(w));
	ASSERT_OK(Read(w));
	EXPECT_EQ(std::vector<uint64_t>{}, BitsOf(w));
}

// MERGE keeps what the caller had: one bitmap over several HWPTs.
TEST_F(DirtyTest, Merge)
{
	auto w = Words(kBits);

	MarkDirty({10, kChunk});
	SetBit(w, 11);
	ASSERT_OK(Read(w, IOMMUFD_DIRTY_MERGE));
	EXPECT_EQ((std::vector<uint64_t>{10, 11, kChunk}), BitsOf(w));
}

// A coarser page_size: one bit per 4 KiB, set when either 2 KiB half is.
TEST_F(DirtyTest, CoarserPageSize)
{
	auto w = Words(kBits / 2);

	MarkDirty({0, 1, 5, 2 * kChunk + 1, kBits - 1});
	ASSERT_OK(Read(w, 0, 2 * kMockPage));
	EXPECT_EQ((std::vector<uint64_t>{0, 2, kChunk, kBits / 2 - 1}), BitsOf(w));
}

// The kernel reports nothing past an IOVA no mapping covers, and says
// nothing: one ioctl stops at the hole; with CHUNKED each chunk starts a new
// walk, so a hole costs only the rest of its own chunk.
TEST_F(DirtyTest, HoleStopsTheKernel)
{
	auto w = Words(kBits);
	const uint64_t hole = kSlice / kMockPage; // the second slice

	MarkDirty({2, hole + 6, 2 * hole + 6, kChunk + 6});
	Unmap(ioas_, kApStart + kSlice, kSlice);
	ASSERT_OK(Read(w, IOMMUFD_DIRTY_NO_CLEAR));
	EXPECT_EQ((std::vector<uint64_t>{2}), BitsOf(w)) << "one walk, stopped at the hole";
	ASSERT_OK(Read(w, IOMMUFD_DIRTY_CHUNKED));
	EXPECT_EQ((std::vector<uint64_t>{2, kChunk + 6}), BitsOf(w))
		<< "bit " << 2 * hole + 6 << " lies after the hole, in the first chunk";
}

TEST_F(DirtyTest, TrackingOffAndOn)
{
	auto w = Words(kBits);
	uint64_t nr = 0;

	ASSERT_OK(iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 0));
	SetBit(w, 0);
	EXPECT_ERRNO(EINVAL, iommufd_test_dirty(ctx_, hwpt_, kApStart, kRange, kMockPage, w.data(),
						&nr))
		<< "the mock marks nothing while tracking is off";
	ASSERT_OK(iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 1));
	MarkDirty({4});
	ASSERT_OK(Read(w, IOMMUFD_DIRTY_NO_CLEAR));
	EXPECT_EQ(std::vector<uint64_t>{4}, BitsOf(w));
	// Enabling starts from a clean snapshot, even when it was on already.
	ASSERT_OK(iommufd_hwpt_set_dirty_tracking(ctx_, hwpt_, 1));
	ASSERT_OK(Read(w));
	EXPECT_EQ(std::vector<uint64_t>{}, BitsOf(w));
}

TEST_F(DirtyTest, Errnos)
{
	const uint32_t plain = Paging();
	auto w = Words(kBits);

	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_set_dirty_tracking(ctx_, plain, 1));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_get_dirty_bitmap(ctx_, plain, kApStart, kRange,
							       kMockPage, w.data(), w.size() * 8,
							       0));
	EXPECT_ERRNO(ENOENT, iommufd_hwpt_set_dirty_tracking(ctx_, ioas_, 1));
	EXPECT_ERRNO(ENOENT, iommufd_hwpt_get_dirty_bitmap(ctx_, 0x7777, kApStart, kRange,
							   kMockPage, w.data(), w.size() * 8, 0));
	// A 1 KiB page_size passes the library; the IOAS's alignment is the
	// kernel's to enforce.
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart + 1024, 1024,
							   1024, w.data(), 8, 0));
	// What the library refuses before the kernel sees it.
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, kRange,
							   kMockPage, nullptr, 0, 0));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, kRange,
							   kMockPage, w.data(), 8, 0));
	EXPECT_ERRNO(EINVAL,
		     iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, kRange, kMockPage,
						   reinterpret_cast<char *>(w.data()) + 1,
						   w.size() * 8 - 1, 0));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, kRange, 3000,
							   w.data(), w.size() * 8, 0));
	EXPECT_ERRNO(EOVERFLOW, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, ~0ull - 4095, 8192,
							      4096, w.data(), 8, 0));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt_, kApStart, kRange,
							       kMockPage, w.data(), w.size() * 8,
							       1u << 1));
}

} // namespace
