// SPDX-License-Identifier: LGPL-2.1-or-later
// Several threads on ONE context (ctx.h: "may be shared by several threads
// for map, unmap, copy and queries"): kernel-chosen and fixed-IOVA maps of
// 4 KiB to 2 MiB, copies between IOASes, IOVA-range queries, private IOASes
// allocated and destroyed (the alignment cache's insert and forget), and
// failing calls whose sentences must stay each thread's own.  Mock devices
// on both IOASes make every map reach a domain, and the mock proves where
// each page landed (MD_CHECK_MAP) and that none stays pinned (MD_CHECK_REFS).
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <thread>

#include "kernel_test.h"
#include "stress.h"

namespace {

constexpr int kThreads = 4;
constexpr int kRounds = 64;
constexpr uint64_t kSizes[] = {4096, 64 * 1024, 2 * 1024 * 1024};
constexpr uint64_t kBufSize = 2 * 1024 * 1024;
// Each thread owns [kApStart + t * kSlot, + kSlot) of IOAS B for its fixed
// IOVAs: the only overlap a thread can meet there is its own, on purpose.
constexpr uint64_t kSlot = 256ull << 20;
constexpr uint64_t kCopyOffset = 64ull << 20;
constexpr uint64_t kHoleOffset = 128ull << 20;

std::string Hex(uint64_t v)
{
	char b[32];

	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	return b;
}

} // namespace

class IoasStressTest : public KernelTest {
protected:
	void SetUp() override
	{
		KernelTest::SetUp();
		if (HasFatalFailure())
			return;
		a_ = NewIoas();
		b_ = NewIoas();
		dev_a_ = AddMockDev(a_);
		dev_b_ = AddMockDev(b_);
	}

	// What thread @t does in round @r; failures go to fails_.
	void Round(int t, int r, uint8_t *p);
	void Fail(int t, int r, const std::string &what)
	{
		fails_.Add("thread " + std::to_string(t) + " round " + std::to_string(r) + ": " +
			   what + " (last error: " + iommufd_ctx_last_error(ctx_) + ")");
	}
	// The calling thread's sentence is the one its own failing call left.
	void ExpectOwnSentence(int t, int r, const std::string &must_hold)
	{
		const std::string e = iommufd_ctx_last_error(ctx_);

		if (e.find(must_hold) == std::string::npos)
			fails_.Add("thread " + std::to_string(t) + " round " + std::to_string(r) +
				   ": its sentence \"" + e + "\" does not name " + must_hold);
	}

	uint32_t a_ = 0, b_ = 0;
	MockDev dev_a_, dev_b_;
	Failures fails_;
};

void IoasStressTest::Round(int t, int r, uint8_t *p)
{
	const uint64_t len = kSizes[r % 3];
	const uint64_t base = kApStart + static_cast<uint64_t>(t) * kSlot;
	uint64_t iova = 0, fixed = base, dst = base + kCopyOffset, done = 0;
	int rc;

	// A kernel-chosen IOVA in A: another thread's map can never share it.
	if ((rc = iommufd_ioas_map(ctx_, a_, p, len, kRW, &iova)))
		return Fail(t, r, "map A: " + std::to_string(rc));
	if (iova < kApStart || iova + len - 1 > kApLast)
		Fail(t, r, "kernel-chosen IOVA " + Hex(iova) + " outside the aperture");
	if ((rc = CheckMap(dev_a_.hwpt_id, iova, len, p)))
		Fail(t, r, "A at " + Hex(iova) + " does not map the buffer: " + std::to_string(rc));

	// A fixed IOVA in B, then the same again: EEXIST naming this range.
	if ((rc = iommufd_ioas_map(ctx_, b_, p, len, kRW | kFixed, &fixed)))
		Fail(t, r, "fixed map B at " + Hex(fixed) + ": " + std::to_string(rc));
	else if ((rc = CheckMap(dev_b_.hwpt_id, fixed, len, p)))
		Fail(t, r, "B at " + Hex(fixed) + " does not map the buffer: " + std::to_string(rc));
	rc = iommufd_ioas_map(ctx_, b_, p, len, kRW | kFixed, &fixed);
	if (rc != -EEXIST)
		Fail(t, r, "mapping " + Hex(fixed) + " twice gave " + std::to_string(rc));
	else
		ExpectOwnSentence(t, r, Hex(fixed) + ".." + Hex(fixed + len - 1));

	// Copy A's range into B at this thread's fixed IOVA: the same pages.
	if ((rc = iommufd_ioas_copy(ctx_, b_, a_, iova, len, kRW | kFixed, &dst)))
		Fail(t, r, "copy A " + Hex(iova) + " to B " + Hex(dst) + ": " + std::to_string(rc));
	else if ((rc = CheckMap(dev_b_.hwpt_id, dst, len, p)))
		Fail(t, r, "the copy at " + Hex(dst) + " does not map the buffer: " +
				   std::to_string(rc));

	// Queries: one aperture-wide range (mappings do not shrink it).
	iommufd_iova_range ranges[4] = {};
	uint64_t align = 0;
	rc = iommufd_ioas_iova_ranges(ctx_, r % 2 ? a_ : b_, ranges, 4, &align);
	if (rc != 1 || ranges[0].start != kApStart || ranges[0].last != kApLast || !align)
		Fail(t, r, "IOVA ranges: " + std::to_string(rc) + " ranges, first " +
				   Hex(ranges[0].start) + ".." + Hex(ranges[0].last));

	// Unmapping a hole of this thread's: ENOENT naming that hole.
	const uint64_t hole = base + kHoleOffset;
	rc = iommufd_ioas_unmap(ctx_, b_, hole, 4096, nullptr);
	if (rc != -ENOENT)
		Fail(t, r, "unmapping the hole gave " + std::to_string(rc));
	else
		ExpectOwnSentence(t, r, Hex(hole) + ".." + Hex(hole + 4095));

	// Every 8th round a private IOAS: map, copy in, destroy with both.
	if (r % 8 == 7) {
		uint32_t c = 0;
		uint64_t civa = 0, cdst = 0;
		if ((rc = iommufd_ioas_alloc(ctx_, &c)))
			Fail(t, r, "alloc: " + std::to_string(rc));
		else {
			if ((rc = iommufd_ioas_map(ctx_, c, p, len, kR, &civa)))
				Fail(t, r, "map C: " + std::to_string(rc));
			if ((rc = iommufd_ioas_copy(ctx_, c, a_, iova, len, kR, &cdst)))
				Fail(t, r, "copy into C: " + std::to_string(rc));
			if ((rc = iommufd_ioas_map(ctx_, c, p, len, kR | kFixed, &civa)) != -EEXIST)
				Fail(t, r, "fixed map over C's own mapping gave " + std::to_string(rc));
			if ((rc = iommufd_destroy(ctx_, c)))
				Fail(t, r, "destroy C: " + std::to_string(rc));
		}
	}

	// Unmap all three: exactly what was mapped goes, and B no longer maps it.
	const struct {
		uint32_t ioas;
		uint64_t at;
	} maps[] = {{a_, iova}, {b_, fixed}, {b_, dst}};
	for (const auto &m : maps) {
		if ((rc = iommufd_ioas_unmap(ctx_, m.ioas, m.at, len, &done)) || done != len)
			Fail(t, r, "unmap " + Hex(m.at) + ": " + std::to_string(rc) + ", " +
					   std::to_string(done) + " bytes");
	}
	if (CheckMap(dev_b_.hwpt_id, fixed, len, p) == 0)
		Fail(t, r, "B still maps " + Hex(fixed) + " after the unmap");
}

TEST_F(IoasStressTest, ThreadsMapUnmapCopyAndQueryOneContext)
{
	std::vector<std::unique_ptr<Buffer>> bufs;
	std::vector<std::thread> threads;

	for (int t = 0; t < kThreads; t++) {
		bufs.push_back(std::make_unique<Buffer>(kBufSize));
		bufs.back()->Fill(static_cast<uint8_t>(t));
	}
	for (int t = 0; t < kThreads; t++)
		threads.emplace_back([this, t, p = bufs[t]->p()] {
			for (int r = 0; r < kRounds; r++)
				Round(t, r, p);
		});
	for (std::thread &th : threads)
		th.join();
	EXPECT_EQ("", fails_.Report());

	// Every map was unmapped: nothing left in either IOAS, nothing pinned.
	EXPECT_EQ(0u, UnmapAll(a_));
	EXPECT_EQ(0u, UnmapAll(b_));
	for (int t = 0; t < kThreads; t++)
		EXPECT_OK(CheckRefs(bufs[t]->p(), kBufSize, 0)) << "thread " << t;
	printf("[ stress   ] %d threads x %d rounds on one context: map/copy/unmap/query, "
	       "%d private IOASes\n",
	       kThreads, kRounds, kThreads * (kRounds / 8));
}

// The device feature probe from several threads, each on its own mock
// device of one context: the per-context answer cache is made on first use
// and filled concurrently; every thread gets the answers one thread alone
// gets on a fresh context.
TEST_F(IoasStressTest, FeatureProbeFromSeveralThreads)
{
	std::vector<MockDev> devs;
	std::vector<std::thread> threads;
	std::vector<std::vector<iommufd_feature_status>> got(kThreads);

	for (int t = 0; t < kThreads; t++)
		devs.push_back(AddMockDev(a_));
	for (int t = 0; t < kThreads; t++)
		threads.emplace_back([&, t] {
			for (int round = 0; round < 2; round++) // the second from the cache
				for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
					iommufd_feature_status st = {};
					const int rc = iommufd_probe_device_feature(
						ctx_, devs[t].dev_id, f, &st);
					if (rc)
						Fail(t, f, "probe: " + std::to_string(rc));
					if (round == 0)
						got[t].push_back(st);
					else if (st.supported != got[t][f].supported ||
						 std::string(st.reason) != got[t][f].reason)
						Fail(t, f, "the cached answer differs");
				}
		});
	for (std::thread &th : threads)
		th.join();
	EXPECT_EQ("", fails_.Report());

	iommufd_ctx *alone = nullptr;
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &alone));
	uint32_t ioas = 0;
	MockDev d;
	ASSERT_EQ(0, iommufd_ioas_alloc(alone, &ioas));
	ASSERT_EQ(0, iommufd_test_mock_domain(alone, ioas, 0, &d.stdev_id, &d.hwpt_id, &d.dev_id));
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status st = {};
		ASSERT_EQ(0, iommufd_probe_device_feature(alone, d.dev_id, f, &st));
		for (int t = 0; t < kThreads; t++) {
			ASSERT_EQ(IOMMUFD_FEATURE_COUNT, got[t].size());
			EXPECT_EQ(st.supported, got[t][f].supported) << "feature " << f;
			EXPECT_STREQ(st.reason, got[t][f].reason) << "feature " << f;
		}
	}
	iommufd_ctx_close(alone);
}
