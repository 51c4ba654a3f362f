// SPDX-License-Identifier: LGPL-2.1-or-later
// HWPT calls from several threads on one context (hwpt.h: "these calls may
// run concurrently on one context"), each thread with a mock device of its
// own: nesting parents and nested HWPTs allocated and destroyed, nested
// invalidation checked entry by entry against the mock IOTLB, and dirty
// tracking on a private IOAS with the bits the mock marked read back.
#include <thread>

#include "hwpt_kernel.h"
#include "stress.h"

namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 48;
constexpr uint64_t kDirtyLen = 64 * 1024; // 32 mock pages: one bitmap word

} // namespace

class HwptStressTest : public HwptKernelTest {
protected:
	void Fail(int t, int r, const std::string &what)
	{
		fails_.Add("thread " + std::to_string(t) + " round " + std::to_string(r) + ": " +
			   what + " (last error: " + iommufd_ctx_last_error(ctx_) + ")");
	}
	void Nesting(int t, int r, uint32_t dev);
	void Dirty(int t, int r, uint32_t dev, uint8_t *p);

	Failures fails_;
};

// A parent and a nested HWPT with this round's IOTLB value; one entry
// invalidated: that one reads 0, the others keep the value.
void HwptStressTest::Nesting(int t, int r, uint32_t dev)
{
	const iommufd_hwpt_alloc_opts po = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t value = 0x100000u * (t + 1) + r + 1;
	const iommufd_hwpt_selftest data = {value};
	const iommufd_hwpt_alloc_opts no =
		AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t parent = 0, nested = 0, n = 1;
	int rc;

	if ((rc = iommufd_hwpt_alloc(ctx_, dev, ioas_, &po, &parent)))
		return Fail(t, r, "parent: " + std::to_string(rc));
	if ((rc = iommufd_hwpt_alloc(ctx_, dev, parent, &no, &nested))) {
		Fail(t, r, "nested: " + std::to_string(rc));
	} else {
		const iommufd_selftest_invalidate e = {0, static_cast<uint32_t>(r) % kMockIotlbs};
		rc = iommufd_hwpt_invalidate(ctx_, nested, IOMMUFD_INVALIDATE_DATA_SELFTEST, &e,
					     sizeof(e), &n);
		if (rc || n != 1)
			Fail(t, r, "invalidate: " + std::to_string(rc) + ", " + std::to_string(n));
		for (uint32_t i = 0; i < kMockIotlbs; i++) {
			const uint32_t want = i == e.iotlb_id ? 0 : value;
			if (iommufd_test_check_iotlb(ctx_, nested, i, want))
				Fail(t, r, "IOTLB " + std::to_string(i) + " is not " +
						   std::to_string(want));
		}
		if ((rc = iommufd_destroy(ctx_, nested)))
			Fail(t, r, "destroy nested: " + std::to_string(rc));
	}
	if ((rc = iommufd_destroy(ctx_, parent)))
		Fail(t, r, "destroy parent: " + std::to_string(rc));
}

// A private IOAS (mock-page PTEs, as the kernel's selftest uses), a
// dirty-tracking HWPT on it, two even pages marked: exactly those read back.
void HwptStressTest::Dirty(int t, int r, uint32_t dev, uint8_t *p)
{
	const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
	uint32_t ioas = 0, hwpt = 0;
	uint64_t iova = kApStart, marked = 0, want = 0, got = 0;
	int rc;

	if ((rc = iommufd_ioas_alloc(ctx_, &ioas)))
		return Fail(t, r, "alloc IOAS: " + std::to_string(rc));
	if ((rc = iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 0)))
		Fail(t, r, "HUGE_PAGES 0: " + std::to_string(rc));
	if ((rc = iommufd_hwpt_alloc(ctx_, dev, ioas, &o, &hwpt))) {
		Fail(t, r, "dirty HWPT: " + std::to_string(rc));
		iommufd_destroy(ctx_, ioas);
		return;
	}
	if ((rc = iommufd_ioas_map(ctx_, ioas, p, kDirtyLen, kRW | kFixed, &iova)))
		Fail(t, r, "map: " + std::to_string(rc));
	if ((rc = iommufd_hwpt_set_dirty_tracking(ctx_, hwpt, 1)))
		Fail(t, r, "start tracking: " + std::to_string(rc));
	// Even pages only: 7.2's mock reports an odd 2 KiB page as its neighbour.
	want = (1ull << (2 * (r % 16))) | (1ull << (2 * ((r + t + 1) % 16)));
	rc = iommufd_test_dirty(ctx_, hwpt, kApStart, kDirtyLen, kMockPage, &want, &marked);
	if (rc || marked != static_cast<uint64_t>(__builtin_popcountll(want)))
		Fail(t, r, "mark dirty: " + std::to_string(rc) + ", " + std::to_string(marked));
	rc = iommufd_hwpt_get_dirty_bitmap(ctx_, hwpt, kApStart, kDirtyLen, kMockPage, &got,
					   sizeof(got), 0);
	if (rc || got != want)
		Fail(t, r, "dirty bits " + std::to_string(got) + " instead of " +
				   std::to_string(want) + ": " + std::to_string(rc));
	if ((rc = iommufd_hwpt_set_dirty_tracking(ctx_, hwpt, 0)))
		Fail(t, r, "stop tracking: " + std::to_string(rc));
	if ((rc = iommufd_destroy(ctx_, hwpt)))
		Fail(t, r, "destroy HWPT: " + std::to_string(rc));
	if ((rc = iommufd_destroy(ctx_, ioas)))
		Fail(t, r, "destroy IOAS: " + std::to_string(rc));
}

TEST_F(HwptStressTest, ThreadsAllocInvalidateAndTrackDirtyOnOneContext)
{
	std::vector<MockDev> devs;
	std::vector<std::unique_ptr<Buffer>> bufs;
	std::vector<std::thread> threads;

	for (int t = 0; t < kThreads; t++) {
		devs.push_back(t ? AddMockDev(ioas_) : dev_);
		bufs.push_back(std::make_unique<Buffer>(kDirtyLen));
	}
	for (int t = 0; t < kThreads; t++)
		threads.emplace_back([this, t, dev = devs[t].dev_id, p = bufs[t]->p()] {
			for (int r = 0; r < kRounds; r++) {
				Nesting(t, r, dev);
				if (r % 3 == 0)
					Dirty(t, r, dev, p);
			}
		});
	for (std::thread &th : threads)
		th.join();
	EXPECT_EQ("", fails_.Report());
	for (int t = 0; t < kThreads; t++)
		EXPECT_OK(CheckRefs(bufs[t]->p(), kDirtyLen, 0)) << "thread " << t;
	printf("[ stress   ] %d threads x %d rounds: parent + nested HWPT + invalidation, "
	       "dirty tracking every 3rd round\n",
	       kThreads, kRounds);
}
