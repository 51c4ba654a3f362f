// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The vEVENT ring end to end through the fake kernel: events keep their
// order and their lost counts through the ring, back-pressure leaves them
// in the kernel (where an overflow is counted, not hidden), freeing the
// ring says how many it dropped, and a reporter, the library's pump thread
// and a consumer push thousands of events through a ring of 4.
#include <atomic>
#include <thread>

#include "eventq_test_support.h"
#include "ring_test_support.h"

namespace {

using fake::Kver;

class VeventRing : public VeventqTest {
protected:
	void TearDown() override
	{
		iommufd_vevent_ring_free(ring_);
		iommufd_veventq_close(q_);
		VeventqTest::TearDown();
	}
	void NewRing(uint32_t depth, uint32_t capacity, uint32_t flags = 0)
	{
		const iommufd_ring_opts o = {sizeof(o), capacity, flags};
		q_ = NewQueue(depth);
		ASSERT_EQ(0, iommufd_vevent_ring_new(q_, &o, &ring_))
			<< iommufd_ctx_last_error(ctx_);
	}
	iommufd_ring_stats Stats() { return RingStats(iommufd_vevent_ring_stats, ring_); }
	std::vector<iommufd_vevent> Take(size_t max)
	{
		return RingTake(iommufd_vevent_ring_take, ring_, max, ctx_);
	}

	iommufd_veventq *q_ = nullptr;
	iommufd_vevent_ring *ring_ = nullptr;
};

TEST_P(VeventRing, EventsKeepOrderAndLostCounts)
{
	NewRing(2, 4);
	for (uint32_t id = 1; id <= 5; id++)
		Report(q_, id); // depth 2: 1 and 2 queued, 3..5 lost
	EXPECT_LT(0, iommufd_vevent_ring_pump(ring_));
	Report(q_, 6);
	EXPECT_LT(0, iommufd_vevent_ring_pump(ring_));

	std::vector<iommufd_vevent> got = Take(16);
	uint64_t lost = 0;
	std::vector<uint32_t> ids;
	for (const iommufd_vevent &ev : got) {
		lost += ev.lost;
		if (!(ev.flags & IOMMUFD_VEVENT_LOST))
			ids.push_back(VirtId(ev));
	}
	EXPECT_EQ((std::vector<uint32_t>{1, 2, 6}), ids);
	EXPECT_EQ(3u, fk_.eventq_counters().vevents_lost);
	EXPECT_EQ(3u, iommufd_veventq_lost(q_));
	EXPECT_EQ(3u, lost) << "the ring carries the lost counts unchanged";
	EXPECT_EQ(got.size(), Stats().taken);
}

// Full: the events wait in the kernel, which counts what overflows its
// depth; the consumer sees those as lost -- the ring itself drops nothing.
TEST_P(VeventRing, FullRingLeavesEventsInTheKernel)
{
	NewRing(8, 2);
	for (uint32_t id = 1; id <= 6; id++)
		Report(q_, id);
	EXPECT_EQ(2, iommufd_vevent_ring_pump(ring_));
	EXPECT_EQ(0, iommufd_vevent_ring_pump(ring_));
	const unsigned reads = fk_.eventq_counters().reads;
	EXPECT_FALSE(FdReadable(iommufd_vevent_ring_pump_fd(ring_)));
	EXPECT_EQ(0, iommufd_vevent_ring_pump(ring_));
	EXPECT_EQ(reads, fk_.eventq_counters().reads) << "read while full";
	EXPECT_EQ(4u, fk_.eventq_counters().waiting);
	EXPECT_EQ(1u, Stats().full);

	std::vector<uint32_t> ids;
	for (int i = 0; i < 10 && ids.size() < 6; i++) {
		for (const iommufd_vevent &ev : Take(1))
			ids.push_back(VirtId(ev));
		EXPECT_LE(0, iommufd_vevent_ring_pump(ring_)) << iommufd_ctx_last_error(ctx_);
	}
	EXPECT_EQ((std::vector<uint32_t>{1, 2, 3, 4, 5, 6}), ids);
	EXPECT_EQ(0u, iommufd_veventq_lost(q_));
}

TEST_P(VeventRing, FreeSaysHowManyItDropped)
{
	NewRing(8, 4, IOMMUFD_RING_THREAD);
	for (uint32_t id = 1; id <= 3; id++)
		Report(q_, id);
	while (Stats().pushed < 3)
		ASSERT_TRUE(FdReadable(iommufd_vevent_ring_eventfd(ring_), 10000));
	EXPECT_EQ(1u, Take(1).size());
	EXPECT_EQ(2, iommufd_vevent_ring_free(ring_));
	ring_ = nullptr;
	EXPECT_EQ(0, iommufd_vevent_ring_free(nullptr));
}

TEST_P(VeventRing, Arguments)
{
	iommufd_vevent_ring *r = nullptr;
	iommufd_vevent ev;

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_new: the queue is NULL",
		     iommufd_vevent_ring_new(nullptr, nullptr, &r));
	NewRing(8, 0);
	EXPECT_EQ(IOMMUFD_RING_DEFAULT_CAPACITY, Stats().capacity);
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_vevent_ring_new: ring is NULL",
		     iommufd_vevent_ring_new(q_, nullptr, nullptr));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_vevent_ring_take: events is NULL",
		     int(iommufd_vevent_ring_take(ring_, nullptr, 1)));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_vevent_ring_take: max is 0",
		     int(iommufd_vevent_ring_take(ring_, &ev, 0)));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_take: the ring is NULL",
		     int(iommufd_vevent_ring_take(nullptr, &ev, 1)));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_pump: the ring is NULL",
		     int(iommufd_vevent_ring_pump(nullptr)));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_start: the ring is NULL",
		     iommufd_vevent_ring_start(nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_stop: the ring is NULL",
		     iommufd_vevent_ring_stop(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_vevent_ring_eventfd(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_vevent_ring_pump_fd(nullptr));
	iommufd_ring_stats s = {};
	s.sz = sizeof(s);
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_vevent_ring_stats: the ring is NULL",
		     iommufd_vevent_ring_stats(nullptr, &s));
	EXPECT_EQ(0, iommufd_vevent_ring_start(ring_));
	EXPECT_FAILS(ctx_, EBUSY, "iommufd_vevent_ring_pump: the library's pump thread",
		     int(iommufd_vevent_ring_pump(ring_)));
	EXPECT_EQ(0, iommufd_vevent_ring_stop(ring_));
}

TEST_P(VeventRing, ReadFailureReachesTheConsumer)
{
	NewRing(8, 4, IOMMUFD_RING_THREAD);
	fk_.FailEventqIo(1, EFAULT);
	Report(q_, 1);
	ASSERT_TRUE(FdReadable(iommufd_vevent_ring_eventfd(ring_), 10000));
	iommufd_vevent ev;
	EXPECT_FAILS(ctx_, EFAULT, "iommufd_vevent_ring_take: the pump stopped: "
		     "iommufd_veventq_read: reading vEVENTQ",
		     int(iommufd_vevent_ring_take(ring_, &ev, 1)));
}

INSTANTIATE_FOR_PROFILES(VeventRing, ProfilesSince(Kver(6, 15)));

// A reporter, the library's pump thread and a consumer; the vEVENTQ is
// deep enough that nothing overflows it, so every event must come out,
// in order, through a ring of 4.
class VeventRingStress : public VeventRing {};

TEST_P(VeventRingStress, LibraryThreadRing4)
{
	constexpr uint32_t kEvents = 20000;

	NewRing(1u << 16, 4, IOMMUFD_RING_THREAD);
	std::thread reporter([&] {
		for (uint32_t id = 1; id <= kEvents; id++) {
			Report(q_, id);
			if (id % 16 == 0)
				std::this_thread::yield();
		}
	});
	uint32_t next = 1, bad = 0, timeouts = 0;
	uint64_t lost = 0;
	std::vector<iommufd_vevent> ev(3);
	while (next <= kEvents) {
		const ssize_t n = iommufd_vevent_ring_take(ring_, ev.data(), ev.size());
		ASSERT_LE(0, n) << iommufd_ctx_last_error(ctx_);
		if (!n) {
			if (!FdReadable(iommufd_vevent_ring_eventfd(ring_), 30000)) {
				timeouts++;
				break;
			}
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			bad += VirtId(ev[size_t(i)]) != next++;
			lost += ev[size_t(i)].lost;
		}
	}
	reporter.join();
	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(0u, timeouts) << "a lost wakeup";
	EXPECT_EQ(0u, bad);
	EXPECT_EQ(0u, lost);
	EXPECT_EQ(kEvents, s.pushed);
	EXPECT_EQ(kEvents, s.taken);
	EXPECT_LT(0u, s.full);
	EXPECT_EQ(0u, fk_.eventq_counters().waiting);
}

INSTANTIATE_FOR_PROFILES(VeventRingStress, {fake::Profile::Linux7_2});

} // namespace
