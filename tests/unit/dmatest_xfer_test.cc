// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The vfio_dmatest helper's transfers: COPY, FILL and CHECKSUM moving real
// bytes through the fake engine, argument checks before the device, the
// doorbell's EBUSY / EINVAL answers, HOLD / RELEASE / ABORT, PIN, and the
// errors the engine reports.
#include "dmatest_test_support.h"

namespace {

class DmatestXfer : public DmatestTest {};

constexpr uint32_t kCopy = IOMMUFD_DMATEST_COPY;
constexpr uint32_t kFill = IOMMUFD_DMATEST_FILL;
constexpr uint32_t kChecksum = IOMMUFD_DMATEST_CHECKSUM;

TEST_P(DmatestXfer, CopyFillChecksum)
{
	for (bool no_mmap : {false, true}) {
		SCOPED_TRACE(no_mmap ? "registers through pread/pwrite" : "registers mapped");
		OpenMapped(no_mmap);
		iommufd_dmatest_result r = Result();
		iommufd_dmatest_xfer x = Xfer(kCopy);
		const uint64_t completions = model_->Reg64(VFIO_DMATEST_REG_COMPLETIONS);
		const uint32_t seq = Reg32(VFIO_DMATEST_REG_SEQ);

		ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r)) << iommufd_ctx_last_error(ctx_);
		EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
		EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_NONE}, r.error);
		EXPECT_EQ(kLen, r.done_bytes);
		EXPECT_EQ(completions + 1, r.completions) << "counters survive opens";
		EXPECT_EQ(0u, r.errors);
		EXPECT_EQ(0u, r.checksum) << "RESULT is CHECKSUM's only";
		EXPECT_EQ(src_.str(), dst_.str()) << "the bytes were copied";

		x = Xfer(kFill, kLen - 5);
		ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r)) << iommufd_ctx_last_error(ctx_);
		EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
		for (size_t i = 0; i < kLen - 5; i++)
			ASSERT_EQ(i % 8 + 1, dst_.data()[i]) << "byte " << i;
		EXPECT_EQ(src_.data()[kLen - 5], dst_.data()[kLen - 5]) << "past length: untouched";

		x = Xfer(kChecksum, kLen - 1);
		x.dst_iova = UINT64_MAX; // not used by CHECKSUM: not checked
		ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r)) << iommufd_ctx_last_error(ctx_);
		EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
		EXPECT_EQ(iommufd_dmatest_checksum(src_.data(), kLen - 1), r.checksum);
		EXPECT_EQ(completions + 3, r.completions);
		EXPECT_EQ(uint32_t{VFIO_DMATEST_OP_CHECKSUM}, Reg32(VFIO_DMATEST_REG_CMD));
		EXPECT_EQ(seq + 3, Reg32(VFIO_DMATEST_REG_SEQ));

		iommufd_dmatest_close(dt_);
		dt_ = nullptr;
		memset(dst_.data(), 0, kLen);
	}
}

TEST_P(DmatestXfer, ChecksumIsFnv1a64)
{
	EXPECT_EQ(0xcbf29ce484222325ull, iommufd_dmatest_checksum("", 0));
	EXPECT_EQ(0xcbf29ce484222325ull, iommufd_dmatest_checksum(nullptr, 8)) << "NULL: nothing";
	EXPECT_EQ(0xaf63dc4c8601ec8cull, iommufd_dmatest_checksum("a", 1));
	EXPECT_EQ(0x85944171f73967e8ull, iommufd_dmatest_checksum("foobar", 6));
}

TEST_P(DmatestXfer, ArgumentRefusals)
{
	OpenMapped(true);
	const uint64_t src_before = model_->Reg64(VFIO_DMATEST_REG_SRC);
	const uint64_t max = iommufd_dmatest_max_length(dt_);
	iommufd_dmatest_xfer x = Xfer(0);

	EXPECT_NO_DOORBELL(nullptr, EINVAL, "iommufd_dmatest_submit: the device is NULL",
			   iommufd_dmatest_submit(nullptr, &x));
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "iommufd_dmatest_submit: xfer is NULL",
			   iommufd_dmatest_submit(dt_, nullptr));
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "iommufd_dmatest_submit: unknown op 0 (COPY 1, FILL 2, "
			   "CHECKSUM 3)", iommufd_dmatest_submit(dt_, &x));
	x = Xfer(4);
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "unknown op 4", iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kCopy, kLen, 0x401);
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "unknown flags 0x401 (known: PIN 0x100, HOLD 0x200)",
			   iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kCopy, 0);
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "iommufd_dmatest_submit: length is 0",
			   iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kCopy, max + 1);
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "length 0x100001 is over the longest transfer "
			   "vfio_dmatest.0 takes, 0x100000 (module parameter max_len)",
			   iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kCopy, 2);
	x.src_iova = UINT64_MAX;
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "src_iova 0xffffffffffffffff + length 0x2 wraps past the "
			   "end of the 64-bit space", iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kFill, 0x10);
	x.dst_iova = UINT64_MAX - 0xe;
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "dst_iova 0xfffffffffffffff1 + length 0x10 wraps",
			   iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kChecksum, 0x10);
	x.src_iova = UINT64_MAX - 0xe;
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "src_iova", iommufd_dmatest_submit(dt_, &x));
	x = Xfer(kCopy);
	x.sz = 4;
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "options sz is 4", iommufd_dmatest_submit(dt_, &x));
	EXPECT_EQ(src_before, model_->Reg64(VFIO_DMATEST_REG_SRC)) << "no register was written";
}

TEST_P(DmatestXfer, XferSzVersions)
{
	OpenMapped();
	iommufd_dmatest_result r = Result();
	struct {
		iommufd_dmatest_xfer x;
		uint64_t newer;
	} big = {Xfer(kFill), 7};

	big.x.sz = sizeof(big);
	EXPECT_NO_DOORBELL(ctx_, E2BIG, "iommufd_dmatest_submit: options set a field at byte 48",
			   iommufd_dmatest_submit(dt_, &big.x));
	big.newer = 0;
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &big.x, 1000, &r)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(1u, dst_.data()[0]) << "the pattern was read";

	iommufd_dmatest_xfer older = Xfer(kFill);
	older.sz = offsetof(iommufd_dmatest_xfer, pattern);
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &older, 1000, &r)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(std::string(kLen, '\0'), dst_.str()) << "a pattern past sz reads as 0";
}

TEST_P(DmatestXfer, BusyUntilAborted)
{
	OpenMapped();
	model_->auto_run = false;
	iommufd_dmatest_xfer x = Xfer(kCopy);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_BUSY}, r.status);
	EXPECT_FAILS(ctx_, EBUSY, "iommufd_dmatest_submit: vfio_dmatest.0 is busy: a transfer is "
		     "running or held", iommufd_dmatest_submit(dt_, &x));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_release: no transfer is held on vfio_dmatest.0",
		     iommufd_dmatest_release(dt_));
	ASSERT_EQ(0, iommufd_dmatest_abort(dt_)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_ABORTED}, r.error);
	EXPECT_EQ(uint32_t{ECANCELED}, r.kernel_errno);
	EXPECT_EQ(kSrcIova, r.fault_iova) << "where it stood";
	EXPECT_EQ(1u, r.errors);
	EXPECT_EQ(std::string(kLen, '\0'), dst_.str()) << "nothing moved";
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_abort: no transfer is running or held on "
		     "vfio_dmatest.0", iommufd_dmatest_abort(dt_));
	EXPECT_EQ(1u, model_->doorbells(VFIO_DMATEST_DOORBELL_ABORT));
}

TEST_P(DmatestXfer, HoldThenRelease)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen, IOMMUFD_DMATEST_HOLD);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_HELD}, r.status);
	EXPECT_EQ(0u, r.pinned_pages) << "held without PIN pins nothing";
	EXPECT_FAILS(ctx_, ETIMEDOUT, "iommufd_dmatest_wait: the transfer on vfio_dmatest.0 has not "
		     "ended after 0 ms (it is held: iommufd_dmatest_release() lets it go on)",
		     iommufd_dmatest_wait(dt_, 0, &r));
	EXPECT_FAILS(ctx_, EBUSY, "is busy", iommufd_dmatest_submit(dt_, &x));
	ASSERT_EQ(0, iommufd_dmatest_release(dt_)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(src_.str(), dst_.str());
	EXPECT_FAILS(ctx_, EINVAL, "no transfer is held", iommufd_dmatest_release(dt_));
}

TEST_P(DmatestXfer, PinnedWhileHeld)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen, IOMMUFD_DMATEST_PIN | IOMMUFD_DMATEST_HOLD);
	iommufd_dmatest_result r = Result();

	x.src_iova += 1; // three source pages, two destination pages
	x.length = 2 * kPage;
	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_HELD}, r.status);
	EXPECT_EQ(3u + 2u, r.pinned_pages);
	EXPECT_EQ(uint32_t{VFIO_DMATEST_OP_COPY | VFIO_DMATEST_CMD_PIN | VFIO_DMATEST_CMD_HOLD},
		  Reg32(VFIO_DMATEST_REG_CMD));
	ASSERT_EQ(0, iommufd_dmatest_release(dt_));
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(0u, r.pinned_pages);
	EXPECT_EQ(0, memcmp(src_.data() + 1, dst_.data(), 2 * kPage));
}

TEST_P(DmatestXfer, PinFailsOnUnmapped)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen + kPage, IOMMUFD_DMATEST_PIN | IOMMUFD_DMATEST_HOLD);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << "a failed pin is not a write error";
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_UNMAPPED}, r.error);
	EXPECT_EQ(kSrcIova + kLen, r.fault_iova);
	EXPECT_EQ(uint32_t{ENOENT}, r.kernel_errno);
	EXPECT_EQ(0u, r.pinned_pages);
}

// The device's own checks: here its max_len shrank after the library read
// it, so the library lets through what the device refuses.
TEST_P(DmatestXfer, DeviceRefusesInvalid)
{
	OpenMapped();
	model_->max_len = kPage;
	iommufd_dmatest_xfer x = Xfer(kCopy);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r)) << "an ERROR is no call failure";
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_INVALID}, r.error);
	EXPECT_EQ(uint32_t{EINVAL}, r.kernel_errno);
	EXPECT_EQ(0u, r.fault_iova);
	EXPECT_EQ(0u, r.done_bytes);
	EXPECT_STREQ("invalid", iommufd_dmatest_error_name(r.error));
}

TEST_P(DmatestXfer, UnmappedAndReadOnly)
{
	OpenMapped();
	UserBuf one(kPage), ro(kPage);
	iommufd_dmatest_result r = Result();
	const uint64_t one_iova = 0x300000;
	uint64_t ro_iova = 0x400000;

	// A destination of one mapped page: that page moves, then the fault.
	MapFixed(ioas_, one_iova, kPage, one.va());
	iommufd_dmatest_xfer x = Xfer(kCopy);
	x.dst_iova = one_iova;
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_UNMAPPED}, r.error);
	EXPECT_EQ(one_iova + kPage, r.fault_iova);
	EXPECT_EQ(uint32_t{ENOENT}, r.kernel_errno);
	EXPECT_EQ(kPage, r.done_bytes);
	EXPECT_EQ(0, memcmp(src_.data(), one.data(), kPage));
	EXPECT_EQ(1u, r.errors);

	ASSERT_EQ(0, iommufd_ioas_map(ctx_, ioas_, ro.data(), kPage,
				      IOMMUFD_MAP_READABLE | IOMMUFD_MAP_FIXED_IOVA, &ro_iova));
	x = Xfer(kFill, kPage);
	x.dst_iova = ro_iova;
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_READ_ONLY}, r.error);
	EXPECT_EQ(uint32_t{EPERM}, r.kernel_errno);
	EXPECT_EQ(ro_iova, r.fault_iova);
	EXPECT_EQ(std::string(kPage, '\0'), ro.str());
	x = Xfer(kChecksum, kPage);
	x.src_iova = ro_iova;
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status) << "read-only is readable";
	EXPECT_EQ(iommufd_dmatest_checksum(ro.data(), kPage), r.checksum);
}

// As the module: a detach takes pins back at once (the transfer holding
// them ends DETACHED); a transfer without pins finds out when it runs; and
// an unattached device fails a START at once, HOLD or not.
TEST_P(DmatestXfer, Detached)
{
	OpenMapped();
	iommufd_device *dev = iommufd_dmatest_device(dt_);
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen, IOMMUFD_DMATEST_PIN | IOMMUFD_DMATEST_HOLD);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	ASSERT_EQ(0, iommufd_device_detach(dev));
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_DETACHED}, r.error) << "pinned and held";
	EXPECT_EQ(uint32_t{ENOENT}, r.kernel_errno);
	EXPECT_EQ(kSrcIova, r.fault_iova);

	ASSERT_EQ(0, iommufd_device_attach(dev, ioas_, nullptr));
	x.flags = IOMMUFD_DMATEST_HOLD;
	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	ASSERT_EQ(0, iommufd_device_detach(dev));
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_HELD}, r.status) << "no pins: nothing taken back";
	ASSERT_EQ(0, iommufd_dmatest_release(dt_));
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_DETACHED}, r.error) << "found when it ran";
	EXPECT_EQ(uint32_t{ENODEV}, r.kernel_errno);

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << "the device's answer is no write error";
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status) << "never held";
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_DETACHED}, r.error);
	EXPECT_EQ(std::string(kLen, '\0'), dst_.str());
}

TEST_P(DmatestXfer, KernelErrors)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy);
	iommufd_dmatest_result r = Result();

	model_->FailNextRun(VFIO_DMATEST_ERR_NOMEM, ENOMEM);
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_NOMEM}, r.error);
	EXPECT_EQ(uint32_t{ENOMEM}, r.kernel_errno);
	model_->FailNextRun(VFIO_DMATEST_ERR_IO, EFAULT);
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_IO}, r.error);
	EXPECT_EQ(uint32_t{EFAULT}, r.kernel_errno);
	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(0u, r.kernel_errno) << "cleared by the next transfer";
	EXPECT_EQ(1u, r.completions);
	EXPECT_EQ(2u, r.errors);
}

TEST_P(DmatestXfer, RegisterWriteErrors)
{
	OpenMapped(true);
	iommufd_dmatest_xfer x = Xfer(kCopy);

	vfio_.FailNextRead(EIO); // the fake fails the next pread or pwrite
	EXPECT_FAILS(ctx_, EIO, "pwrite of region 0 of /dev/vfio/devices/vfio3 at 0x8 failed",
		     iommufd_dmatest_submit(dt_, &x));
	iommufd_dmatest_close(dt_);
	dt_ = nullptr;
	OpenDt(ioas_);
	vfio_.FailNextRead(ENODEV);
	EXPECT_FAILS(ctx_, ENODEV, "pwrite of region 0 of /dev/vfio/devices/vfio3 at 0x1000 failed",
		     iommufd_dmatest_submit(dt_, &x));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_release: the device is NULL",
		     iommufd_dmatest_release(nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_abort: the device is NULL",
		     iommufd_dmatest_abort(nullptr));
}

TEST_P(DmatestXfer, ResetAbortsAndIdles)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen, IOMMUFD_DMATEST_HOLD);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	ASSERT_EQ(0, iommufd_device_reset(iommufd_dmatest_device(dt_)));
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_IDLE}, r.status);
	EXPECT_EQ(1u, r.errors) << "the held transfer was aborted";
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_wait: nothing was submitted to vfio_dmatest.0",
		     iommufd_dmatest_wait(dt_, 1000, &r));
}

TEST_P(DmatestXfer, CloseAbortsPending)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(kCopy, kLen, IOMMUFD_DMATEST_HOLD | IOMMUFD_DMATEST_PIN);

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	iommufd_dmatest_close(dt_);
	dt_ = nullptr;
	EXPECT_EQ(uint32_t{VFIO_DMATEST_STATUS_ERROR}, Reg32(VFIO_DMATEST_REG_STATUS));
	EXPECT_EQ(uint32_t{VFIO_DMATEST_ERR_ABORTED}, Reg32(VFIO_DMATEST_REG_ERROR));
	EXPECT_EQ(0u, model_->Reg64(VFIO_DMATEST_REG_PINNED));
	ExpectNothingLeft("close with a held transfer");
}

TEST_P(DmatestXfer, ErrorNames)
{
	const std::vector<std::pair<uint32_t, std::string>> names = {
		{IOMMUFD_DMATEST_ERR_NONE, "none"},
		{IOMMUFD_DMATEST_ERR_INVALID, "invalid"},
		{IOMMUFD_DMATEST_ERR_UNMAPPED, "unmapped"},
		{IOMMUFD_DMATEST_ERR_READ_ONLY, "read-only"},
		{IOMMUFD_DMATEST_ERR_UNMAPPING, "unmapping"},
		{IOMMUFD_DMATEST_ERR_DETACHED, "detached"},
		{IOMMUFD_DMATEST_ERR_ABORTED, "aborted"},
		{IOMMUFD_DMATEST_ERR_NOMEM, "no memory"},
		{IOMMUFD_DMATEST_ERR_IO, "I/O error"},
		{9, "unknown"},
		{UINT32_MAX, "unknown"},
	};
	for (const auto &n : names)
		EXPECT_EQ(n.second, iommufd_dmatest_error_name(n.first)) << n.first;
}

INSTANTIATE_DMATEST(DmatestXfer);

} // namespace
