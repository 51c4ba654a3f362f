// SPDX-License-Identifier: LGPL-2.1-or-later
// Transfers that succeed: the bytes the device moved are checked in user
// memory, through the IOAS mappings, for both ways the device reaches
// memory (iommufd_access_rw and pinned pages).
#include "driver_test.h"

#include <poll.h>

#include <cstring>
#include <vector>

namespace {

constexpr uint32_t kPin = IOMMUFD_DMATEST_PIN;

class Transfer : public DriverTest, public ::testing::WithParamInterface<uint32_t> {};

// Offsets and lengths that start, end and cross page boundaries.
struct Shape {
	uint64_t src_off, dst_off, len;
};
constexpr Shape kShapes[] = {
	{ 0, 0, 1 },
	{ 0, 0, kPage },
	{ 0, 0, kBufLen },
	{ 100, 3000, 5000 },
	{ kPage - 1, 1, 2 },
	{ 7, 4093, 3 * kPage + 11 },
};

TEST_P(Transfer, CopyMovesExactlyTheBytes)
{
	for (const Shape &s : kShapes) {
		src_.Fill(static_cast<uint32_t>(s.len));
		dst_.Fill(99);
		Mem before(kBufLen);
		memcpy(before.p(), dst_.p(), kBufLen);

		auto r = Run(Xfer(IOMMUFD_DMATEST_COPY, kSrcIova + s.src_off, kDstIova + s.dst_off,
				  s.len, GetParam()));
		ASSERT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
		EXPECT_EQ(s.len, r.done_bytes);
		EXPECT_EQ(0, memcmp(dst_.p() + s.dst_off, src_.p() + s.src_off, s.len))
			<< "copy of " << s.len << " bytes at +" << s.src_off << " -> +" << s.dst_off;
		EXPECT_EQ(0, memcmp(dst_.p(), before.p(), s.dst_off)) << "bytes before the destination";
		const uint64_t end = s.dst_off + s.len;
		EXPECT_EQ(0, memcmp(dst_.p() + end, before.p() + end, kBufLen - end))
			<< "bytes after the destination";
		EXPECT_EQ(0u, r.pinned_pages) << "pins outlived the transfer";
	}
}

TEST_P(Transfer, FillWritesThePattern)
{
	const uint64_t pattern = 0x0123456789abcdefull;
	dst_.Fill(5);
	Mem before(kBufLen);
	memcpy(before.p(), dst_.p(), kBufLen);

	auto r = Run(Xfer(IOMMUFD_DMATEST_FILL, 0, kDstIova + 3, 2 * kPage + 5, GetParam(), pattern));
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
	for (uint64_t i = 0; i < 2 * kPage + 5; i++)
		ASSERT_EQ(static_cast<uint8_t>(pattern >> (8 * (i % 8))), dst_.p()[3 + i])
			<< "byte " << i;
	EXPECT_EQ(0, memcmp(dst_.p(), before.p(), 3));
	EXPECT_EQ(0, memcmp(dst_.p() + 3 + 2 * kPage + 5, before.p() + 3 + 2 * kPage + 5,
			    kBufLen - 3 - 2 * kPage - 5));
}

TEST_P(Transfer, ChecksumMatchesTheBytesInMemory)
{
	src_.Fill(77);
	auto r = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova + 9, 0, kBufLen - 9, GetParam()));
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
	EXPECT_EQ(iommufd_dmatest_checksum(src_.p() + 9, kBufLen - 9), r.checksum);
	src_.p()[kBufLen / 2] ^= 1; // the device reads memory as it is now
	auto again = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova + 9, 0, kBufLen - 9, GetParam()));
	EXPECT_EQ(iommufd_dmatest_checksum(src_.p() + 9, kBufLen - 9), again.checksum);
	EXPECT_NE(r.checksum, again.checksum);
}

TEST_P(Transfer, FillThenChecksumAgree)
{
	auto f = Run(Xfer(IOMMUFD_DMATEST_FILL, 0, kDstIova, kBufLen, GetParam(), 0xa5a5a5a5a5a5a5a5));
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, f.status) << Describe(f);
	auto c = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, kDstIova, 0, kBufLen, GetParam()));
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, c.status) << Describe(c);
	std::vector<uint8_t> expect(kBufLen, 0xa5);
	EXPECT_EQ(iommufd_dmatest_checksum(expect.data(), expect.size()), c.checksum);
}

TEST_P(Transfer, CompletionInterruptFiresOncePerTransfer)
{
	const int fd = iommufd_dmatest_completion_fd(dt_);
	ASSERT_GE(fd, 0);
	auto before = Status();
	auto x = Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, kDstIova, kPage, GetParam());
	ASSERT_OK(iommufd_dmatest_submit(dt_, &x));
	// Wait on the eventfd ourselves: the interrupt is what says it ended.
	pollfd p = { fd, POLLIN, 0 };
	ASSERT_EQ(1, poll(&p, 1, kTimeoutMs)) << "no completion interrupt";
	EXPECT_EQ(1u, DrainEventfd(fd));
	EXPECT_EQ(0u, DrainEventfd(iommufd_dmatest_error_fd(dt_))) << "error interrupt too";
	auto after = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, after.status) << Describe(after);
	EXPECT_EQ(before.completions + 1, after.completions);
	EXPECT_EQ(before.errors, after.errors);
}

TEST_P(Transfer, LongestTransferTheDeviceAccepts)
{
	const uint64_t max = iommufd_dmatest_max_length(dt_);
	ASSERT_GE(max, kBufLen);
	Mem big_src(max), big_dst(max);
	Map(big_src, 0x40000000, IOMMUFD_MAP_READABLE);
	Map(big_dst, 0x50000000, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE);
	big_src.Fill(3);
	auto r = Run(Xfer(IOMMUFD_DMATEST_COPY, 0x40000000, 0x50000000, max, GetParam()));
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
	EXPECT_EQ(0, memcmp(big_src.p(), big_dst.p(), max));
}

INSTANTIATE_TEST_SUITE_P(Engine, Transfer, ::testing::Values(0u, kPin),
			 [](const auto &p) { return p.param ? "Pinned" : "AccessRw"; });

TEST_F(DriverTest, TwoDevicesCopyIndependently)
{
	iommufd_dmatest *second = nullptr;
	auto o = OpenOpts(ioas_);
	ASSERT_OK(iommufd_dmatest_open(ctx_, 1, &o, &second));
	src_.Fill(11);
	auto a = Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, kDstIova, kBufLen / 2);
	auto b = Xfer(IOMMUFD_DMATEST_COPY, kSrcIova + kBufLen / 2, kDstIova + kBufLen / 2,
		      kBufLen / 2, IOMMUFD_DMATEST_PIN);
	ASSERT_OK(iommufd_dmatest_submit(dt_, &a));
	ASSERT_OK(iommufd_dmatest_submit(second, &b));
	auto ra = NewResult(), rb = NewResult();
	EXPECT_OK(iommufd_dmatest_wait(dt_, kTimeoutMs, &ra));
	EXPECT_OK(iommufd_dmatest_wait(second, kTimeoutMs, &rb));
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, ra.status) << Describe(ra);
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, rb.status) << Describe(rb);
	EXPECT_EQ(0, memcmp(src_.p(), dst_.p(), kBufLen));
	iommufd_dmatest_close(second);
}

} // namespace
