// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The vfio_dmatest helper's wait and status: STATUS before the eventfds,
// stale eventfd counts, timeouts, wake-ups from either interrupt, EINTR,
// and the result struct's sz rules.
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "dmatest_test_support.h"

namespace {

class DmatestWait : public DmatestTest {
protected:
	static bool Readable(int fd)
	{
		struct pollfd p = {fd, POLLIN, 0};
		return poll(&p, 1, 0) == 1;
	}
	// A COPY left BUSY: the engine runs only when the test says.
	void SubmitBusy()
	{
		OpenMapped();
		model_->auto_run = false;
		iommufd_dmatest_xfer x = Xfer(IOMMUFD_DMATEST_COPY);
		ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x)) << iommufd_ctx_last_error(ctx_);
	}
	// Run @fn on another thread after a short pause, joined on destruction.
	class Later {
	public:
		template <class Fn> explicit Later(Fn fn) : t_([fn] {
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
			fn();
		}) {}
		~Later() { t_.join(); }

	private:
		std::thread t_;
	};
};

TEST_P(DmatestWait, NothingSubmitted)
{
	OpenDt();
	iommufd_dmatest_result r = Result();

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_wait: nothing was submitted to vfio_dmatest.0 "
		     "(it is idle)", iommufd_dmatest_wait(dt_, 1000, &r));
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_IDLE}, r.status);
}

TEST_P(DmatestWait, TimesOutThenSeesStatusFirst)
{
	SubmitBusy();
	iommufd_dmatest_result r = Result();

	EXPECT_FAILS(ctx_, ETIMEDOUT, "iommufd_dmatest_wait: the transfer on vfio_dmatest.0 has not "
		     "ended after 20 ms (it is busy)", iommufd_dmatest_wait(dt_, 20, &r));
	EXPECT_EQ(0xAAAAAAAAu, r.status)
		<< "a timeout fills nothing";
	ASSERT_TRUE(model_->Complete());
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 0, &r)) << "ended already: no wait needed";
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(src_.str(), dst_.str());
}

// Counts left in the eventfds (a transfer seen to end through STATUS alone,
// interrupts with nothing behind them) never pass for an end.
TEST_P(DmatestWait, StaleCountsAreNotAnEnd)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(IOMMUFD_DMATEST_COPY);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	ASSERT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_TRUE(Readable(iommufd_dmatest_completion_fd(dt_))) << "status() drains nothing";
	model_->auto_run = false;
	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	model_->Signal(VFIO_DMATEST_IRQ_ERROR);
	EXPECT_FAILS(ctx_, ETIMEDOUT, "has not ended after 30 ms (it is busy)",
		     iommufd_dmatest_wait(dt_, 30, &r));
	EXPECT_FALSE(Readable(iommufd_dmatest_completion_fd(dt_))) << "drained";
	EXPECT_FALSE(Readable(iommufd_dmatest_error_fd(dt_))) << "drained";
	ASSERT_TRUE(model_->Complete());
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(2u, r.completions);
	EXPECT_FALSE(Readable(iommufd_dmatest_completion_fd(dt_))) << "drained at the end";
}

TEST_P(DmatestWait, WokenByCompletion)
{
	SubmitBusy();
	iommufd_dmatest_result r = Result();
	{
		Later l([this] { model_->Complete(); });
		ASSERT_EQ(0, iommufd_dmatest_wait(dt_, -1, &r)) << iommufd_ctx_last_error(ctx_);
	}
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(src_.str(), dst_.str());
	EXPECT_FALSE(Readable(iommufd_dmatest_completion_fd(dt_)));
}

TEST_P(DmatestWait, WokenByError)
{
	SubmitBusy();
	iommufd_dmatest_result r = Result();

	model_->FailNextRun(VFIO_DMATEST_ERR_IO, EIO);
	{
		Later l([this] { model_->Complete(); });
		ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 10000, &r)) << iommufd_ctx_last_error(ctx_);
	}
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERROR}, r.status);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_ERR_IO}, r.error);
	EXPECT_EQ(uint32_t{EIO}, r.kernel_errno);
	EXPECT_FALSE(Readable(iommufd_dmatest_error_fd(dt_)));
}

void OnSignal(int) {}

TEST_P(DmatestWait, Interrupted)
{
	SubmitBusy();
	struct sigaction sa = {}, old = {};
	sa.sa_handler = OnSignal; // no SA_RESTART; poll() never restarts anyway
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, &old));
	const pthread_t self = pthread_self();
	std::atomic<bool> stop{false};
	std::thread kicker([&] {
		while (!stop) {
			pthread_kill(self, SIGUSR1);
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
		}
	});
	const int rc = iommufd_dmatest_wait(dt_, 10000, nullptr);
	stop = true;
	kicker.join();
	sigaction(SIGUSR1, &old, nullptr);
	EXPECT_EQ(-EINTR, rc);
	EXPECT_TRUE(HasSentence(ctx_, "iommufd_dmatest_wait: poll of the interrupt eventfds of "
				"vfio_dmatest.0: Interrupted system call"));
}

TEST_P(DmatestWait, UnknownStatus)
{
	OpenDt();
	model_->SetReg32(VFIO_DMATEST_REG_STATUS, 9);
	EXPECT_FAILS(ctx_, EPROTO, "vfio_dmatest.0 reports STATUS 9, which this library does not "
		     "know", iommufd_dmatest_wait(dt_, 1000, nullptr));
}

TEST_P(DmatestWait, ReadErrors)
{
	OpenMapped(true);
	iommufd_dmatest_result r = Result();
	iommufd_dmatest_xfer x = Xfer(IOMMUFD_DMATEST_COPY);

	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	vfio_.FailNextRead(EIO);
	EXPECT_FAILS(ctx_, EIO, "pread of region 0 of /dev/vfio/devices/vfio3 at 0x0 failed",
		     iommufd_dmatest_status(dt_, &r));
	vfio_.FailNextRead(EIO);
	EXPECT_FAILS(ctx_, EIO, "pread", iommufd_dmatest_wait(dt_, 1000, &r));
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, &r));
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status) << "the same, through pread";
	EXPECT_EQ(kLen, r.done_bytes);
}

TEST_P(DmatestWait, ResultRefusals)
{
	OpenMapped();
	iommufd_dmatest_result r = Result();
	iommufd_dmatest_xfer x = Xfer(IOMMUFD_DMATEST_COPY);

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_status: the device is NULL",
		     iommufd_dmatest_status(nullptr, &r));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_wait: the device is NULL",
		     iommufd_dmatest_wait(nullptr, 0, &r));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_run: the device is NULL",
		     iommufd_dmatest_run(nullptr, &x, 0, &r));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_status: res is NULL",
		     iommufd_dmatest_status(dt_, nullptr));
	r.sz = offsetof(iommufd_dmatest_result, error);
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_status: res->sz is 12 (at least 16); set it to "
		     "sizeof(struct iommufd_dmatest_result)", iommufd_dmatest_status(dt_, &r));
	r.sz = 1 << 20;
	EXPECT_FAILS(ctx_, EINVAL, "res->sz is 1048576", iommufd_dmatest_status(dt_, &r));
	EXPECT_NO_DOORBELL(ctx_, EINVAL, "iommufd_dmatest_run: res->sz is 1048576",
			   iommufd_dmatest_run(dt_, &x, 1000, &r));
	ASSERT_EQ(0, iommufd_dmatest_submit(dt_, &x));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_dmatest_wait: res->sz", iommufd_dmatest_wait(dt_, 1000, &r));
	ASSERT_EQ(0, iommufd_dmatest_wait(dt_, 1000, nullptr)) << "res may be NULL";
	EXPECT_FALSE(Readable(iommufd_dmatest_completion_fd(dt_)));
}

TEST_P(DmatestWait, ResultSzVersions)
{
	OpenMapped();
	iommufd_dmatest_xfer x = Xfer(IOMMUFD_DMATEST_CHECKSUM);
	iommufd_dmatest_result r = Result();

	ASSERT_EQ(0, iommufd_dmatest_run(dt_, &x, 1000, &r));
	const uint64_t sum = r.checksum;

	// An older caller: room up to done_bytes; nothing past it is touched.
	r = Result();
	r.sz = offsetof(iommufd_dmatest_result, done_bytes);
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &r));
	EXPECT_EQ(offsetof(iommufd_dmatest_result, done_bytes), r.sz);
	EXPECT_EQ(uint32_t{IOMMUFD_DMATEST_DONE}, r.status);
	EXPECT_EQ(0u, r.fault_iova);
	EXPECT_EQ(0xAAAAAAAAAAAAAAAAull, r.done_bytes);
	EXPECT_EQ(0xAAAAAAAAAAAAAAAAull, r.checksum);

	// A newer caller: what this library does not know comes back zero.
	struct {
		iommufd_dmatest_result r;
		uint64_t newer[2];
	} big;
	memset(&big, 0xAA, sizeof(big));
	big.r.sz = sizeof(big);
	ASSERT_EQ(0, iommufd_dmatest_status(dt_, &big.r));
	EXPECT_EQ(sizeof(big), big.r.sz);
	EXPECT_EQ(sum, big.r.checksum);
	EXPECT_EQ(0u, big.r.reserved);
	EXPECT_EQ(0u, big.newer[0]);
	EXPECT_EQ(0u, big.newer[1]);
}

INSTANTIATE_DMATEST(DmatestWait);

} // namespace
