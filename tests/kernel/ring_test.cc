// SPDX-License-Identifier: LGPL-2.1-or-later
// The fault and vEVENT rings on the real kernel: a producer/consumer stress
// through a deliberately small ring (back-pressure, nothing lost), the pump
// driven from the caller's poll loop, groups moving whole, and shutdown with
// faults in flight.
#include "veventq_kernel.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include <libiommufd/ring.h>

namespace {

iommufd_ring_opts RingOpts(uint32_t capacity, uint32_t flags)
{
	iommufd_ring_opts o = {};

	o.sz = sizeof(o);
	o.capacity = capacity;
	o.flags = flags;
	return o;
}

// Waits up to 10 s for @pred; false on timeout.
template <typename Pred> bool WaitFor(Pred pred)
{
	const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);

	while (!pred()) {
		if (std::chrono::steady_clock::now() > end)
			return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	return true;
}

} // namespace

class FaultRingKernelTest : public FaultKernelTest {
protected:
	void TearDown() override
	{
		if (ring_) {
			EXPECT_GE(iommufd_fault_ring_free(ring_), 0)
				<< iommufd_ctx_last_error(ctx_);
		}
		ring_ = nullptr;
		FaultKernelTest::TearDown();
	}

	void NewRing(uint32_t capacity, uint32_t flags)
	{
		const iommufd_ring_opts o = RingOpts(capacity, flags);

		ASSERT_OK(iommufd_fault_ring_new(queue_, &o, &ring_));
		ASSERT_NE(nullptr, ring_);
	}

	iommufd_ring_stats Stats() const
	{
		iommufd_ring_stats s = {};

		s.sz = sizeof(s);
		EXPECT_EQ(0, iommufd_fault_ring_stats(ring_, &s));
		return s;
	}

	// Takes what the ring holds (at most @max records) and answers each
	// group; returns the records taken, noting their addresses in @seen.
	// The same, waiting up to 5 s for records: the eventfd may be readable
	// with the ring empty (take() clears it only when it finds it so).
	ssize_t TakeAndAnswerSoon(size_t max)
	{
		for (int i = 0; i < 2; i++) {
			if (!Readable(iommufd_fault_ring_eventfd(ring_), 5000))
				return 0;
			const ssize_t n = TakeAndAnswer(max);
			if (n)
				return n;
		}
		return 0;
	}

	ssize_t TakeAndAnswer(size_t max, std::vector<uint64_t> *seen = nullptr)
	{
		std::vector<iommufd_fault> f(max);
		const ssize_t n = iommufd_fault_ring_take(ring_, f.data(), max);

		if (n <= 0)
			return n;
		std::vector<iommufd_fault_response> r;
		size_t pos = 0;
		iommufd_fault_group g = {};
		while (iommufd_fault_next_group(f.data(), static_cast<size_t>(n), &pos, &g) == 1)
			r.push_back({g.cookie, kRespOk});
		EXPECT_EQ(static_cast<size_t>(n), pos) << "the ring handed over half a group";
		EXPECT_EQ(static_cast<ssize_t>(r.size()),
			  iommufd_fault_queue_respond_batch(queue_, r.data(), r.size()))
			<< iommufd_ctx_last_error(ctx_);
		if (seen)
			for (ssize_t i = 0; i < n; i++)
				seen->push_back(f[i].addr);
		return n;
	}

	iommufd_fault_ring *ring_ = nullptr;
};

// One thread raises 20000 page requests, the library's pump thread moves
// them through a ring of 8, this thread takes them and answers in batches.
TEST_F(FaultRingKernelTest, StressThroughARingOfEight)
{
	constexpr uint32_t kN = 20000, kCap = 8;
	constexpr uint64_t kBase = 0x100000000ull;

	NewRing(kCap, IOMMUFD_RING_THREAD);
	std::atomic<uint32_t> raised{0}, failed{0};
	std::thread producer([&] {
		for (uint32_t i = 0; i < kN; i++) {
			if (iommufd_test_trigger_iopf(ctx_, dev_.dev_id, 0, i & 0xffff, kPermRW,
						      kBase + i * 4096ull))
				failed++;
			raised++;
		}
	});
	// Let the ring fill before taking anything: back-pressure for sure.
	EXPECT_TRUE(WaitFor([&] { return Stats().pushed == kCap && raised > 4 * kCap; }));

	std::vector<uint64_t> seen;
	const int efd = iommufd_fault_ring_eventfd(ring_);
	size_t taken = 0;
	while (taken < kN) {
		const ssize_t n = TakeAndAnswer(16, &seen);
		ASSERT_GE(n, 0) << iommufd_ctx_last_error(ctx_);
		taken += static_cast<size_t>(n);
		if (n == 0 && !Readable(efd, 10000))
			break;
	}
	producer.join();

	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(0u, failed.load());
	ASSERT_EQ(kN, taken);
	ASSERT_EQ(kN, seen.size());
	std::vector<bool> hit(kN);
	for (uint64_t a : seen) {
		const uint64_t i = (a - kBase) / 4096;
		ASSERT_LT(i, kN);
		EXPECT_FALSE(hit[i]) << "page request " << i << " came twice";
		hit[i] = true;
	}
	EXPECT_EQ(kN, s.pushed);
	EXPECT_EQ(kN, s.taken);
	EXPECT_EQ(kCap, s.capacity);
	EXPECT_GT(s.full, 0u);
	EXPECT_EQ(0u, Owed());
	EXPECT_FALSE(Readable(iommufd_fault_queue_fd(queue_), 0));
	printf("[ ring     ] pushed %u through a ring of %u: taken %zu, full-stalls %llu, "
	       "pump reads %llu, consumer wake-ups %llu, every cookie answered\n",
	       kN, s.capacity, taken, static_cast<unsigned long long>(s.full),
	       static_cast<unsigned long long>(s.pump_reads),
	       static_cast<unsigned long long>(s.signals));
}

// No library thread: one poll loop runs both the pump and the consumer.
TEST_F(FaultRingKernelTest, CallerDrivenPumpFromAPollLoop)
{
	constexpr uint32_t kN = 300;

	NewRing(4, 0);
	EXPECT_EQ(0, iommufd_fault_ring_pump(ring_)); // nothing waits yet
	for (uint32_t i = 0; i < kN; i++) {
		Trigger(i, 0x200000000ull + i * 4096ull);
		if (HasFatalFailure())
			return;
	}
	pollfd p[2] = {{iommufd_fault_ring_pump_fd(ring_), POLLIN, 0},
		       {iommufd_fault_ring_eventfd(ring_), POLLIN, 0}};
	size_t answered = 0;
	while (answered < kN) {
		ASSERT_GT(poll(p, 2, 5000), 0) << "neither side woke up with " << answered
					       << " of " << kN << " answered";
		if (p[0].revents & POLLIN) {
			ASSERT_GE(iommufd_fault_ring_pump(ring_), 0)
				<< iommufd_ctx_last_error(ctx_);
		}
		if (p[1].revents & POLLIN) {
			const ssize_t n = TakeAndAnswer(3);
			ASSERT_GE(n, 0) << iommufd_ctx_last_error(ctx_);
			answered += static_cast<size_t>(n);
		}
	}
	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(kN, answered);
	EXPECT_EQ(kN, s.pushed);
	EXPECT_EQ(4u, s.capacity);
	EXPECT_GT(s.full, 0u);
	EXPECT_EQ(0u, Owed());
	EXPECT_EQ(0, iommufd_fault_ring_pump(ring_));
}

TEST_F(FaultRingKernelTest, PumpBelongsToTheThreadWhileItRuns)
{
	NewRing(8, IOMMUFD_RING_THREAD);
	EXPECT_EQ(-EBUSY, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(-EBUSY, iommufd_fault_ring_start(ring_));
	ASSERT_EQ(0, iommufd_fault_ring_stop(ring_));
	Trigger(1, 0x1000);
	ASSERT_TRUE(Readable(iommufd_fault_ring_pump_fd(ring_), 5000));
	EXPECT_EQ(1, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(1, TakeAndAnswer(8));
	ASSERT_EQ(0, iommufd_fault_ring_start(ring_));
	Trigger(2, 0x2000);
	EXPECT_EQ(1, TakeAndAnswerSoon(8));
	EXPECT_EQ(0u, Owed());
}

// Stopped with faults everywhere: taken and unanswered (stay owed), in the
// ring (answered INVALID by free), still in the kernel (read afterwards).
TEST_F(FaultRingKernelTest, ShutdownWithFaultsInFlight)
{
	constexpr uint32_t kN = 50, kCap = 8;

	NewRing(kCap, IOMMUFD_RING_THREAD);
	for (uint32_t i = 0; i < kN; i++)
		Trigger(i, 0x300000000ull + i * 4096ull);
	ASSERT_TRUE(WaitFor([&] { return Stats().pushed == kCap; }));

	iommufd_fault f[3];
	ASSERT_EQ(3, iommufd_fault_ring_take(ring_, f, 3)) << iommufd_ctx_last_error(ctx_);
	Respond(f[0].cookie); // f[1], f[2] stay owed
	ASSERT_EQ(0, iommufd_fault_ring_stop(ring_));
	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(3u, s.taken);

	const ssize_t freed = iommufd_fault_ring_free(ring_);
	ring_ = nullptr;
	EXPECT_EQ(static_cast<ssize_t>(s.pushed - s.taken), freed) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(2u, Owed());

	// What the pump never read is still in the kernel, readable directly.
	const std::vector<iommufd_fault> rest = ReadAll(kN - s.pushed);
	EXPECT_EQ(kN - s.pushed, rest.size());
	EXPECT_EQ(3 + static_cast<size_t>(freed) + rest.size(), kN);
	for (const iommufd_fault &r : rest)
		Respond(r.cookie);
	Respond(f[1].cookie);
	Respond(f[2].cookie);
	EXPECT_EQ(0u, Owed());
}

// Freed while the pump thread runs and faults keep arriving: every fault
// is accounted for -- taken, answered by free, or read afterwards.
TEST_F(FaultRingKernelTest, FreedWhileThePumpRuns)
{
	constexpr uint32_t kN = 200;

	NewRing(8, IOMMUFD_RING_THREAD);
	size_t taken = 0;
	for (uint32_t i = 0; i < kN; i++) {
		Trigger(i, 0x400000000ull + i * 4096ull);
		if (i % 16 == 0) {
			const ssize_t n = TakeAndAnswer(4);
			ASSERT_GE(n, 0);
			taken += static_cast<size_t>(n);
		}
	}
	const ssize_t freed = iommufd_fault_ring_free(ring_);
	ring_ = nullptr;
	ASSERT_GE(freed, 0) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
	const size_t left = kN - taken - static_cast<size_t>(freed);
	const std::vector<iommufd_fault> rest = ReadAll(left);
	EXPECT_EQ(left, rest.size());
	for (const iommufd_fault &r : rest)
		Respond(r.cookie);
	EXPECT_EQ(0u, Owed());
	EXPECT_FALSE(Readable(iommufd_fault_queue_fd(queue_), 0));
}

TEST_F(FaultRingKernelTest, OptionRefusals)
{
	iommufd_fault_ring *r = nullptr;
	const iommufd_ring_opts big = RingOpts(IOMMUFD_RING_MAX_CAPACITY + 1, 0);
	const iommufd_ring_opts flag = RingOpts(8, 1u << 7);

	EXPECT_ERRNO(EINVAL, iommufd_fault_ring_new(queue_, &big, &r));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_fault_ring_new(queue_, &flag, &r));
	EXPECT_EQ(nullptr, r);
	NewRing(5, 0);
	EXPECT_EQ(8u, Stats().capacity); // rounded up to a power of two
}

// ---- groups through the ring (iopf_group_shim) -------------------------

class FaultGroupRingKernelTest : public WithShim<FaultRingKernelTest> {};

TEST_F(FaultGroupRingKernelTest, GroupsMoveWhole)
{
	NewRing(8, 0);
	for (uint32_t g = 0; g < 5; g++)
		TriggerGroup(g, 0x500000000ull + g * 0x10000ull, 3);
	ASSERT_TRUE(Readable(iommufd_fault_ring_pump_fd(ring_), 5000));
	EXPECT_EQ(6, iommufd_fault_ring_pump(ring_)); // two groups fit in 8, not three

	iommufd_fault f[2];
	EXPECT_ERRNO(EMSGSIZE, static_cast<int>(iommufd_fault_ring_take(ring_, f, 2)));
	size_t records = 0;
	for (int round = 0; round < 10 && records < 15; round++) {
		ASSERT_GE(iommufd_fault_ring_pump(ring_), 0) << iommufd_ctx_last_error(ctx_);
		const ssize_t n = TakeAndAnswer(8);
		ASSERT_GE(n, 0);
		EXPECT_EQ(0, n % 3);
		records += static_cast<size_t>(n);
	}
	EXPECT_EQ(15u, records);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultGroupRingKernelTest, GroupLargerThanTheRingIsRefused)
{
	NewRing(2, 0);
	TriggerGroup(1, 0x600000000ull, 3);
	ASSERT_TRUE(Readable(iommufd_fault_queue_fd(queue_), 5000));
	EXPECT_EQ(-EMSGSIZE, iommufd_fault_ring_pump(ring_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
	EXPECT_EQ(0, iommufd_fault_ring_free(ring_));
	ring_ = nullptr;
	// Never dropped: the group still waits in the kernel.
	const std::vector<iommufd_fault> f = ReadAll(3);
	ASSERT_EQ(3u, f.size());
	Respond(f[0].cookie);
}

// ---- vEVENTs through the ring (Linux 6.15) -----------------------------

class VeventRingKernelTest : public VeventqKernelTest {
protected:
	void TearDown() override
	{
		if (ring_) {
			EXPECT_GE(iommufd_vevent_ring_free(ring_), 0);
		}
		ring_ = nullptr;
		VeventqKernelTest::TearDown();
	}

	void NewRing(iommufd_veventq *q, uint32_t capacity, uint32_t flags)
	{
		const iommufd_ring_opts o = RingOpts(capacity, flags);

		ASSERT_OK(iommufd_vevent_ring_new(q, &o, &ring_));
	}

	iommufd_ring_stats Stats() const
	{
		iommufd_ring_stats s = {};

		s.sz = sizeof(s);
		EXPECT_EQ(0, iommufd_vevent_ring_stats(ring_, &s));
		return s;
	}

	iommufd_vevent_ring *ring_ = nullptr;
};

TEST_F(VeventRingKernelTest, EventsThroughARingOfFour)
{
	constexpr uint32_t kN = 40;
	iommufd_veventq *q = NewQueue(64);
	ASSERT_NE(nullptr, q);

	NewRing(q, 4, IOMMUFD_RING_THREAD);
	TriggerEvents(kN);
	ASSERT_TRUE(WaitFor([&] { return Stats().pushed == 4; }));

	std::vector<iommufd_vevent> all;
	while (all.size() < kN && Readable(iommufd_vevent_ring_eventfd(ring_), 5000)) {
		iommufd_vevent e[3];
		const ssize_t n = iommufd_vevent_ring_take(ring_, e, 3);
		ASSERT_GE(n, 0) << iommufd_ctx_last_error(ctx_);
		all.insert(all.end(), e, e + n);
	}
	ASSERT_EQ(kN, all.size());
	for (uint32_t i = 0; i < kN; i++) {
		EXPECT_EQ(i, all[i].sequence);
		EXPECT_EQ(0u, all[i].lost);
		EXPECT_EQ(kVirtId, VirtId(all[i]));
	}
	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(kN, s.pushed);
	EXPECT_EQ(kN, s.taken);
	EXPECT_GT(s.full, 0u);
}

TEST_F(VeventRingKernelTest, LossesCarriedThroughTheRing)
{
	iommufd_veventq *q = NewQueue(2);
	ASSERT_NE(nullptr, q);

	NewRing(q, 8, 0);
	TriggerEvents(10);
	ASSERT_TRUE(Readable(iommufd_vevent_ring_pump_fd(ring_), 5000));
	EXPECT_EQ(3, iommufd_vevent_ring_pump(ring_)) << iommufd_ctx_last_error(ctx_);
	iommufd_vevent e[8];
	ASSERT_EQ(3, iommufd_vevent_ring_take(ring_, e, 8));
	EXPECT_TRUE(e[2].flags & IOMMUFD_VEVENT_LOST);
	EXPECT_EQ(8u, e[0].lost + e[1].lost + e[2].lost);
	EXPECT_EQ(8u, iommufd_veventq_lost(q));

	TriggerEvents(1);
	ASSERT_TRUE(Readable(iommufd_vevent_ring_pump_fd(ring_), 5000));
	EXPECT_EQ(1, iommufd_vevent_ring_pump(ring_));
	EXPECT_EQ(1, iommufd_vevent_ring_free(ring_)); // one event dropped with the ring
	ring_ = nullptr;
}
