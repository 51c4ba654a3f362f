// SPDX-License-Identifier: LGPL-2.1-or-later
// Fixtures for the vfio_dmatest helper's tests: the fake VFIO with one
// loaded vfio_dmatest instance (index 0, cdev vfio3) beside the edu device,
// user buffers mapped into an IOAS for the fake engine to move bytes in.
#pragma once

#include <dirent.h>
#include <sys/mman.h>

#include <memory>
#include <string>

#include "fake_dmatest.h"
#include "vfio_test_support.h"

inline constexpr char kDmatestPath[] = "/dev/vfio/devices/vfio3";
inline constexpr char kDmatestDriver[] = "/sys/bus/platform/drivers/vfio_dmatest";

// Open fds of this process (the eventfds are real ones).
inline int OpenFdCount()
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

// Page-aligned user memory, unmapped when it goes.
class UserBuf {
public:
	explicit UserBuf(size_t len) : len_(len)
	{
		void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		p_ = p == MAP_FAILED ? nullptr : static_cast<unsigned char *>(p);
	}
	~UserBuf()
	{
		if (p_)
			munmap(p_, len_);
	}
	UserBuf(const UserBuf &) = delete;
	UserBuf &operator=(const UserBuf &) = delete;
	unsigned char *data() { return p_; }
	uint64_t va() const { return reinterpret_cast<uintptr_t>(p_); }
	size_t size() const { return len_; }
	std::string str() const { return std::string(reinterpret_cast<char *>(p_), len_); }

private:
	unsigned char *p_;
	size_t len_;
};

class DmatestTest : public VfioProfileTest {
protected:
	static constexpr uint64_t kSrcIova = 0x100000;
	static constexpr uint64_t kDstIova = 0x200000;
	static constexpr uint64_t kLen = 3 * kPage;

	void SetUp() override
	{
		VfioProfileTest::SetUp();
		model_ = &fake::AddDmatest(vfio_, fk_, 0, 3, &device_);
		fds_before_ = OpenFdCount();
	}
	void TearDown() override
	{
		iommufd_dmatest_close(dt_);
		VfioProfileTest::TearDown();
	}

	// Opens instance 0 into dt_ (attached to @pt_id when non-zero), asserting success.
	iommufd_dmatest *OpenDt(uint32_t pt_id = 0, bool no_mmap = false)
	{
		IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = pt_id, .no_mmap = no_mmap);
		EXPECT_EQ(0, iommufd_dmatest_open(ctx_, 0, &o, &dt_)) << iommufd_ctx_last_error(ctx_);
		return dt_;
	}
	// An IOAS with src_ at kSrcIova and dst_ at kDstIova, and dt_ attached to it.
	void OpenMapped(bool no_mmap = false)
	{
		ioas_ = NewIoas();
		MapFixed(ioas_, kSrcIova, kLen, src_.va());
		MapFixed(ioas_, kDstIova, kLen, dst_.va());
		OpenDt(ioas_, no_mmap);
		for (size_t i = 0; i < kLen; i++)
			src_.data()[i] = static_cast<unsigned char>(i * 7 + 1);
	}
	// Nothing of a failed open is left: no file of the device, no mapping,
	// no fd.
	void ExpectNothingLeft(const char *what)
	{
		EXPECT_TRUE(vfio_.Files(*device_).empty()) << what << ": the device is still open";
		EXPECT_TRUE(vfio_.mmaps().empty()) << what << ": the registers are still mapped";
		EXPECT_EQ(fds_before_, OpenFdCount()) << what << ": an fd leaked";
	}
	fake::VfioFile &dt_file() { return *vfio_.File(iommufd_device_fd(iommufd_dmatest_device(dt_))); }
	uint32_t Reg32(uint32_t off) { return model_->Reg32(off); }

	static iommufd_dmatest_xfer Xfer(uint32_t op, uint64_t len = kLen, uint32_t flags = 0)
	{
		IOMMUFD_OPTS(iommufd_dmatest_xfer, x, .op = op, .flags = flags, .src_iova = kSrcIova,
			     .dst_iova = kDstIova, .length = len, .pattern = 0x0807060504030201ull);
		return x;
	}
	static iommufd_dmatest_result Result()
	{
		iommufd_dmatest_result r;
		memset(&r, 0xAA, sizeof(r));
		r.sz = sizeof(r);
		return r;
	}

	fake::FakeDmatest *model_ = nullptr;
	fake::VfioDevice *device_ = nullptr;
	iommufd_dmatest *dt_ = nullptr;
	uint32_t ioas_ = 0;
	int fds_before_ = 0;
	UserBuf src_{kLen}, dst_{kLen};
};

// Each suite runs on the profiles with a VFIO cdev (6.6 on), where the
// module can be.
#define INSTANTIATE_DMATEST(Suite) \
	INSTANTIATE_FOR_PROFILES(Suite, ProfilesSince(fake::Kver(6, 6)))

// CALL fails with -ERR and WHAT in CTX's sentence, and no doorbell rang.
#define EXPECT_NO_DOORBELL(CTX, ERR, WHAT, CALL)                                      \
	do {                                                                          \
		const unsigned rung_ = model_->doorbells(VFIO_DMATEST_DOORBELL_START); \
		EXPECT_FAILS(CTX, ERR, WHAT, CALL);                                   \
		EXPECT_EQ(rung_, model_->doorbells(VFIO_DMATEST_DOORBELL_START))      \
			<< #CALL " rang the doorbell";                                \
	} while (0)
