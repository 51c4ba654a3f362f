// SPDX-License-Identifier: LGPL-2.1-or-later
// DMA the IOAS does not allow: the transfer ends in ERROR with the first
// IOVA the device could not reach, the error interrupt fires, and memory
// outside what was allowed is never touched.
#include "driver_test.h"

#include <poll.h>

#include <cstring>

namespace {

class Fault : public DriverTest, public ::testing::WithParamInterface<uint32_t> {
protected:
	// Runs @x and expects ERROR @error at @fault_iova, signalled on the
	// error eventfd and not on the completion one.
	iommufd_dmatest_result ExpectFault(const iommufd_dmatest_xfer &x, uint32_t error,
					   uint64_t fault_iova)
	{
		auto r = Run(x);
		EXPECT_EQ(IOMMUFD_DMATEST_ERROR, r.status) << Describe(r);
		EXPECT_EQ(error, r.error) << Describe(r);
		EXPECT_EQ(fault_iova, r.fault_iova) << Describe(r);
		EXPECT_EQ(0u, r.pinned_pages) << "a failed transfer kept pins";
		return r;
	}
};

TEST_P(Fault, SourceNeverMappedIsReportedAtItsFirstByte)
{
	dst_.Fill(8);
	Mem before(kBufLen);
	memcpy(before.p(), dst_.p(), kBufLen);
	auto r = ExpectFault(Xfer(IOMMUFD_DMATEST_COPY, kHoleIova + 0x123, kDstIova, kPage, GetParam()),
			     IOMMUFD_DMATEST_ERR_UNMAPPED, kHoleIova + 0x123);
	EXPECT_EQ(0u, r.done_bytes);
	EXPECT_EQ(0, memcmp(dst_.p(), before.p(), kBufLen)) << "the destination was written";
}

TEST_P(Fault, DestinationNeverMapped)
{
	ExpectFault(Xfer(IOMMUFD_DMATEST_FILL, 0, kHoleIova, 64, GetParam(), 1),
		    IOMMUFD_DMATEST_ERR_UNMAPPED, kHoleIova);
	ExpectFault(Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, kHoleIova + 8, 64, GetParam()),
		    IOMMUFD_DMATEST_ERR_UNMAPPED, kHoleIova + 8);
}

// The source runs off the end of its mapping: the fault is the first byte
// past it; without pinning, the bytes before it have been copied.
TEST_P(Fault, SourceRunningPastItsMapping)
{
	src_.Fill(21);
	dst_.Fill(22);
	Mem before(kBufLen);
	memcpy(before.p(), dst_.p(), kBufLen);
	const uint64_t start = kSrcIova + kBufLen - kPage - 10;
	auto r = ExpectFault(Xfer(IOMMUFD_DMATEST_COPY, start, kDstIova, 2 * kPage, GetParam()),
			     IOMMUFD_DMATEST_ERR_UNMAPPED, kSrcIova + kBufLen);
	if (GetParam() & IOMMUFD_DMATEST_PIN) {
		EXPECT_EQ(0u, r.done_bytes) << "pinning fails before a byte moves";
		EXPECT_EQ(0, memcmp(dst_.p(), before.p(), kBufLen));
	} else {
		EXPECT_EQ(kPage + 10, r.done_bytes);
		EXPECT_EQ(0, memcmp(dst_.p(), src_.p() + kBufLen - kPage - 10, kPage + 10));
		EXPECT_EQ(0, memcmp(dst_.p() + kPage + 10, before.p() + kPage + 10,
				    kBufLen - kPage - 10))
			<< "bytes past the fault were written";
	}
}

TEST_P(Fault, ReadOnlyDestination)
{
	Mem ro(kBufLen);
	ro.Fill(4);
	Mem before(kBufLen);
	memcpy(before.p(), ro.p(), kBufLen);
	Map(ro, 0x60000000, IOMMUFD_MAP_READABLE);
	ExpectFault(Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, 0x60000000 + 40, 100, GetParam()),
		    IOMMUFD_DMATEST_ERR_READ_ONLY, 0x60000000 + 40);
	EXPECT_EQ(0, memcmp(ro.p(), before.p(), kBufLen)) << "a read-only mapping was written";
	// Reading it is allowed.
	auto c = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, 0x60000000, 0, kBufLen, GetParam()));
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, c.status) << Describe(c);
	EXPECT_EQ(iommufd_dmatest_checksum(ro.p(), kBufLen), c.checksum);
}

TEST_P(Fault, UnmappedInTheMiddle)
{
	uint64_t unmapped = 0;
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, kDstIova, kBufLen, &unmapped));
	Mem a(4 * kPage), b(4 * kPage);
	Map(a, kDstIova, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE);
	Map(b, kDstIova + 5 * kPage, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE);
	ExpectFault(Xfer(IOMMUFD_DMATEST_FILL, 0, kDstIova + kPage, 6 * kPage, GetParam(), 7),
		    IOMMUFD_DMATEST_ERR_UNMAPPED, kDstIova + 4 * kPage);
}

TEST_P(Fault, ErrorInterruptFiresAndCompletionDoesNot)
{
	const int err_fd = iommufd_dmatest_error_fd(dt_);
	const int done_fd = iommufd_dmatest_completion_fd(dt_);
	auto before = Status();
	auto x = Xfer(IOMMUFD_DMATEST_CHECKSUM, kHoleIova, 0, 8, GetParam());
	ASSERT_OK(iommufd_dmatest_submit(dt_, &x));
	pollfd p = { err_fd, POLLIN, 0 };
	ASSERT_EQ(1, poll(&p, 1, kTimeoutMs)) << "no error interrupt";
	EXPECT_EQ(1u, DrainEventfd(err_fd));
	EXPECT_EQ(0u, DrainEventfd(done_fd));
	auto after = Status();
	EXPECT_EQ(before.errors + 1, after.errors);
	EXPECT_EQ(before.completions, after.completions);
	EXPECT_EQ(ENOENT, static_cast<int>(after.kernel_errno)) << Describe(after);
}

INSTANTIATE_TEST_SUITE_P(Engine, Fault, ::testing::Values(0u, uint32_t{ IOMMUFD_DMATEST_PIN }),
			 [](const auto &p) { return p.param ? "Pinned" : "AccessRw"; });

TEST_F(DriverTest, NotAttachedIsReportedAsDetached)
{
	ASSERT_OK(iommufd_device_detach(iommufd_dmatest_device(dt_)));
	auto r = Run(Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, kDstIova, 8));
	EXPECT_EQ(IOMMUFD_DMATEST_ERROR, r.status) << Describe(r);
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_DETACHED, r.error) << Describe(r);
	EXPECT_EQ(kSrcIova, r.fault_iova);
}

} // namespace
