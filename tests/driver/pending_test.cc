// SPDX-License-Identifier: LGPL-2.1-or-later
// Transfers left pending (IOMMUFD_DMATEST_HOLD) while the IOAS changes
// under them: iommufd's unmap callback must take the device's pins away
// before an unmap returns, and the transfer must say what it lost.
#include "driver_test.h"

#include <cstring>

namespace {

constexpr uint32_t kPinHold = IOMMUFD_DMATEST_PIN | IOMMUFD_DMATEST_HOLD;

class Pending : public DriverTest {
protected:
	// Submits a COPY of the whole buffers held with @flags; checks it is HELD.
	void Hold(uint32_t flags)
	{
		auto x = Xfer(IOMMUFD_DMATEST_COPY, kSrcIova, kDstIova, kBufLen, flags);
		ASSERT_OK(iommufd_dmatest_submit(dt_, &x));
		auto r = Status();
		ASSERT_EQ(IOMMUFD_DMATEST_HELD, r.status) << Describe(r);
		if (flags & IOMMUFD_DMATEST_PIN)
			ASSERT_EQ(2 * kBufLen / kPage, r.pinned_pages) << Describe(r);
		else
			ASSERT_EQ(0u, r.pinned_pages) << Describe(r);
	}
	iommufd_dmatest_result Wait()
	{
		auto r = NewResult();
		EXPECT_OK(iommufd_dmatest_wait(dt_, kTimeoutMs, &r));
		return r;
	}
};

TEST_F(Pending, HeldTransferRunsOnRelease)
{
	src_.Fill(31);
	Hold(kPinHold);
	auto second = Xfer(IOMMUFD_DMATEST_FILL, 0, kDstIova, 8);
	EXPECT_EQ(-EBUSY, iommufd_dmatest_submit(dt_, &second));
	ASSERT_OK(iommufd_dmatest_release(dt_));
	auto r = Wait();
	ASSERT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
	EXPECT_EQ(0, memcmp(src_.p(), dst_.p(), kBufLen));
	EXPECT_EQ(0u, r.pinned_pages);
}

TEST_F(Pending, UnmapDropsThePinsAndFailsTheTransfer)
{
	Hold(kPinHold);
	const int err_fd = iommufd_dmatest_error_fd(dt_);
	DrainEventfd(err_fd);
	uint64_t unmapped = 0;
	// iommufd asks the device to unpin, then unmaps: no EBUSY.
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, kDstIova, kBufLen, &unmapped));
	EXPECT_EQ(kBufLen, unmapped);
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_ERROR, r.status) << Describe(r);
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_UNMAPPING, r.error) << Describe(r);
	EXPECT_EQ(kDstIova, r.fault_iova) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages) << "the unmap callback left pins";
	EXPECT_EQ(1u, DrainEventfd(err_fd)) << "no error interrupt";
	EXPECT_EQ(-EINVAL, iommufd_dmatest_release(dt_)) << "nothing is held any more";
}

TEST_F(Pending, UnmapOfPartOfTheBufferNamesThatPart)
{
	uint64_t unmapped = 0;
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, kSrcIova, kBufLen, &unmapped));
	Mem lo(kBufLen / 2), hi(kBufLen / 2);
	Map(lo, kSrcIova, IOMMUFD_MAP_READABLE);
	Map(hi, kSrcIova + kBufLen / 2, IOMMUFD_MAP_READABLE);
	Hold(kPinHold);
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, kSrcIova + kBufLen / 2, kBufLen / 2, &unmapped));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_UNMAPPING, r.error) << Describe(r);
	EXPECT_EQ(kSrcIova + kBufLen / 2, r.fault_iova) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
}

TEST_F(Pending, UnmapElsewhereLeavesTheTransferAlone)
{
	Mem other(kPage);
	Map(other, 0x70000000, IOMMUFD_MAP_READABLE);
	src_.Fill(32);
	Hold(kPinHold);
	uint64_t unmapped = 0;
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, 0x70000000, kPage, &unmapped));
	EXPECT_EQ(IOMMUFD_DMATEST_HELD, Status().status);
	ASSERT_OK(iommufd_dmatest_release(dt_));
	auto r = Wait();
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, r.status) << Describe(r);
	EXPECT_EQ(0, memcmp(src_.p(), dst_.p(), kBufLen));
}

// Without pins nothing is held in the IOAS: the unmap just happens, and the
// device finds the hole when it runs.
TEST_F(Pending, UnpinnedHeldTransferFaultsAfterUnmap)
{
	Hold(IOMMUFD_DMATEST_HOLD);
	uint64_t unmapped = 0;
	ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas_, kSrcIova, kBufLen, &unmapped));
	EXPECT_EQ(IOMMUFD_DMATEST_HELD, Status().status);
	ASSERT_OK(iommufd_dmatest_release(dt_));
	auto r = Wait();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_UNMAPPED, r.error) << Describe(r);
	EXPECT_EQ(kSrcIova, r.fault_iova);
}

TEST_F(Pending, UnmapAllDropsThePins)
{
	Hold(kPinHold);
	uint64_t unmapped = 0;
	ASSERT_OK(iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_UNMAPPING, r.error) << Describe(r);
	EXPECT_EQ(kSrcIova, r.fault_iova) << "the lowest IOVA the transfer lost";
	EXPECT_EQ(0u, r.pinned_pages);
}

TEST_F(Pending, DetachDropsThePins)
{
	Hold(kPinHold);
	ASSERT_OK(iommufd_device_detach(iommufd_dmatest_device(dt_)));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_ERROR, r.status) << Describe(r);
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_DETACHED, r.error) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
	uint64_t unmapped = 0;
	EXPECT_OK(iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
}

TEST_F(Pending, UnpinnedHeldTransferAfterDetach)
{
	Hold(IOMMUFD_DMATEST_HOLD);
	ASSERT_OK(iommufd_device_detach(iommufd_dmatest_device(dt_)));
	ASSERT_OK(iommufd_dmatest_release(dt_));
	auto r = Wait();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_DETACHED, r.error) << Describe(r);
	EXPECT_EQ(kSrcIova, r.fault_iova);
}

TEST_F(Pending, ReplacingTheIoasDropsThePins)
{
	uint32_t other = 0;
	ASSERT_OK(iommufd_ioas_alloc(ctx_, &other));
	Hold(kPinHold);
	ASSERT_OK(iommufd_device_attach(iommufd_dmatest_device(dt_), other, nullptr));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_DETACHED, r.error) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
	// The device now reaches the other IOAS only.
	auto miss = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova, 0, 8));
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_UNMAPPED, miss.error) << Describe(miss);
	uint64_t iova = kSrcIova;
	ASSERT_OK(iommufd_ioas_map(ctx_, other, src_.p(), kBufLen,
				   IOMMUFD_MAP_READABLE | IOMMUFD_MAP_FIXED_IOVA, &iova));
	auto hit = Run(Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova, 0, kBufLen));
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, hit.status) << Describe(hit);
	EXPECT_EQ(iommufd_dmatest_checksum(src_.p(), kBufLen), hit.checksum);
}

TEST_F(Pending, AbortEndsAHeldTransfer)
{
	Hold(kPinHold);
	ASSERT_OK(iommufd_dmatest_abort(dt_));
	auto r = Wait();
	EXPECT_EQ(IOMMUFD_DMATEST_ERR_ABORTED, r.error) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
	EXPECT_EQ(-EINVAL, iommufd_dmatest_abort(dt_)) << "nothing left to abort";
}

TEST_F(Pending, ResetDropsThePinsAndIdlesTheDevice)
{
	Hold(kPinHold);
	ASSERT_OK(iommufd_device_reset(iommufd_dmatest_device(dt_)));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_IDLE, r.status) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
	uint64_t unmapped = 0;
	EXPECT_OK(iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
}

TEST_F(Pending, ClosingTheDeviceDropsThePins)
{
	Hold(kPinHold);
	iommufd_dmatest_close(dt_);
	dt_ = nullptr;
	// Unmapping would have to call back into a device that is gone if the
	// pins had survived; the kernel would warn (and the VM run fails).
	uint64_t unmapped = 0;
	EXPECT_OK(iommufd_ioas_unmap_all(ctx_, ioas_, &unmapped));
	EXPECT_EQ(2 * kBufLen, unmapped);
	// A fresh open starts idle, nothing pinned.
	auto o = OpenOpts(ioas_);
	ASSERT_OK(iommufd_dmatest_open(ctx_, 0, &o, &dt_));
	auto r = Status();
	EXPECT_EQ(IOMMUFD_DMATEST_IDLE, r.status) << Describe(r);
	EXPECT_EQ(0u, r.pinned_pages);
}

} // namespace
