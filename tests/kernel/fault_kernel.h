// SPDX-License-Identifier: LGPL-2.1-or-later
// A kernel-test fixture for page requests: a mock device attached to a
// nested HWPT that names a fault queue (6.12 takes a fault_id on nested
// HWPTs only), with one helper per call.
#pragma once

#include <poll.h>

#include <vector>

#include <libiommufd/fault.h>

#include "hwpt_kernel.h"
#include "iopf_shim.h"

inline constexpr uint32_t kPermR = IOMMUFD_FAULT_PERM_READ;
inline constexpr uint32_t kPermRW = IOMMUFD_FAULT_PERM_READ | IOMMUFD_FAULT_PERM_WRITE;
inline constexpr uint32_t kRespOk = IOMMUFD_FAULT_RESP_SUCCESS;

// @fd is readable within @ms milliseconds.
inline bool Readable(int fd, int ms)
{
	pollfd p = {fd, POLLIN, 0};

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

class FaultKernelTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure())
			return;
		if (!KernelAtLeast(6, 11))
			GTEST_SKIP() << "fault queues need Linux 6.11";
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
		queue_ = NewQueue();
		ASSERT_NE(nullptr, queue_);
		iopf_hwpt_ = IopfHwpt(queue_);
		MoveTo(iopf_hwpt_);
	}

	void TearDown() override
	{
		if (queue_) {
			// The device leaves the HWPT, the HWPT goes, then the queue.
			MoveToIoas();
			Destroy(iopf_hwpt_);
			EXPECT_EQ(0, iommufd_fault_queue_close(queue_))
				<< iommufd_ctx_last_error(ctx_);
		}
		HwptKernelTest::TearDown();
	}

	// Moves the mock device onto HWPT (or IOAS) @pt.
	void MoveTo(uint32_t pt)
	{
		ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, pt, nullptr));
	}

	// Moves the mock device back onto the IOAS (the kernel gives it a new
	// automatic domain: the first one went when the device left it).
	void MoveToIoas() { MoveTo(ioas_); }

	iommufd_fault_queue *NewQueue()
	{
		iommufd_fault_queue *q = nullptr;

		EXPECT_OK(iommufd_fault_queue_alloc(ctx_, nullptr, &q));
		return q;
	}

	// A nested mock HWPT on the fixture's parent that reports to @q.
	uint32_t IopfHwpt(iommufd_fault_queue *q)
	{
		const iommufd_hwpt_selftest data = {kIotlbDefault};
		const iommufd_hwpt_alloc_opts o = AllocOpts(0, iommufd_fault_queue_id(q),
							    IOMMUFD_HWPT_DATA_SELFTEST,
							    sizeof(data), &data);
		uint32_t id = 0;

		EXPECT_OK(iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent_, &o, &id));
		return id;
	}

	// The mock device asks for the page at @addr (group @grpid).
	void Trigger(uint32_t grpid, uint64_t addr, uint32_t perm = kPermRW, uint32_t pasid = 0)
	{
		ASSERT_OK(iommufd_test_trigger_iopf(ctx_, dev_.dev_id, pasid, grpid, perm, addr));
	}

	// Reads what waits, at most @max records in one call.
	std::vector<iommufd_fault> Read(size_t max = 64, iommufd_fault_queue *q = nullptr)
	{
		std::vector<iommufd_fault> f(max);
		const ssize_t n = iommufd_fault_queue_read(q ? q : queue_, f.data(), max);

		EXPECT_GE(n, 0) << iommufd_ctx_last_error(ctx_);
		f.resize(n > 0 ? static_cast<size_t>(n) : 0);
		return f;
	}

	// Reads until @count records came, waiting for the fd in between.
	std::vector<iommufd_fault> ReadAll(size_t count, size_t batch = 64)
	{
		std::vector<iommufd_fault> all;

		while (all.size() < count) {
			if (!Readable(iommufd_fault_queue_fd(queue_), 5000)) {
				ADD_FAILURE() << "only " << all.size() << " of " << count
					      << " page requests came";
				break;
			}
			const std::vector<iommufd_fault> f = Read(batch);
			if (f.empty() && HasFailure())
				break;
			all.insert(all.end(), f.begin(), f.end());
		}
		return all;
	}

	void Respond(uint32_t cookie, uint32_t code = kRespOk)
	{
		EXPECT_OK(iommufd_fault_queue_respond(queue_, cookie, code));
	}

	// One page request at @addr, read back from the queue and answered.
	void RoundTrip(uint64_t addr)
	{
		Trigger(4, addr);
		const std::vector<iommufd_fault> f = ReadAll(1);
		ASSERT_EQ(1u, f.size());
		EXPECT_EQ(addr, f[0].addr);
		Respond(f[0].cookie);
	}

	// Group @grpid of @n records at @addr, @addr + 4 KiB...: n - 1 partial
	// requests (needs the shim: see WithShim), then the last.
	void TriggerGroup(uint32_t grpid, uint64_t addr, uint32_t n)
	{
		for (uint32_t i = 0; i < n; i++)
			Trigger(grpid, addr + i * 4096ull, kPermR | (i + 1 < n ? kShimPartial : 0));
	}

	size_t Owed() const { return iommufd_fault_queue_owed(queue_); }

	uint32_t parent_ = 0;
	uint32_t iopf_hwpt_ = 0;
	iommufd_fault_queue *queue_ = nullptr;
};

// @Fixture for tests that need multi-record groups: skips when the
// iopf_group_shim module cannot be loaded, saying why.
template <typename Fixture> class WithShim : public Fixture {
protected:
	void SetUp() override
	{
		const std::string &missing = IopfShimMissing();

		if (!missing.empty())
			GTEST_SKIP() << "multi-record page-request groups need the "
					"iopf_group_shim module: "
				     << missing;
		Fixture::SetUp();
	}
};

class FaultGroupKernelTest : public WithShim<FaultKernelTest> {};
