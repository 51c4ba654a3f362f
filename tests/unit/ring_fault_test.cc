// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The fault ring end to end through the fake kernel: page-request groups
// raised by the "device" move through a small ring whole, back-pressure
// keeps them in the kernel while the ring is full, freeing the ring
// answers what it holds, and a device, a pump and a consumer on three
// threads push thousands of groups through a ring of 4..8 records with
// nothing lost -- in both pump modes.
#include <sys/eventfd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

#include "eventq_test_support.h"
#include "ring_core.h"
#include "ring_test_support.h"

namespace {

using fake::Kver;

class FaultRing : public FaultQueueTest {
protected:
	void SetUp() override
	{
		FaultQueueTest::SetUp();
		q_ = NewQueue();
	}
	void TearDown() override
	{
		iommufd_fault_ring_free(ring_);
		iommufd_fault_queue_close(q_);
		FaultQueueTest::TearDown();
	}
	void NewRing(uint32_t capacity, uint32_t flags = 0)
	{
		const iommufd_ring_opts o = {sizeof(o), capacity, flags};
		ASSERT_EQ(0, iommufd_fault_ring_new(q_, &o, &ring_))
			<< iommufd_ctx_last_error(ctx_);
	}
	iommufd_ring_stats Stats() { return RingStats(iommufd_fault_ring_stats, ring_); }
	std::vector<iommufd_fault> Take(size_t max)
	{
		return RingTake(iommufd_fault_ring_take, ring_, max, ctx_);
	}
	// Answer every group of @f with @code in one batch.
	void Answer(const std::vector<iommufd_fault> &f, uint32_t code = IOMMUFD_FAULT_RESP_SUCCESS)
	{
		std::vector<iommufd_fault_response> r;
		for (const iommufd_fault_group &g : Groups(f.data(), f.size()))
			r.push_back({g.cookie, code});
		const ssize_t n = iommufd_fault_queue_respond_batch(q_, r.data(), r.size());
		ASSERT_EQ(ssize_t(r.size()), n) << iommufd_ctx_last_error(ctx_);
	}
	iommufd_fault_queue *q_ = nullptr;
	iommufd_fault_ring *ring_ = nullptr;
};

TEST_P(FaultRing, GroupsMoveWhole)
{
	NewRing(8);
	Raise(q_, 2);
	Raise(q_, 1);
	Raise(q_, 3);
	EXPECT_TRUE(FdReadable(iommufd_fault_ring_pump_fd(ring_)));
	EXPECT_EQ(6, iommufd_fault_ring_pump(ring_));
	EXPECT_TRUE(FdReadable(iommufd_fault_ring_eventfd(ring_)));
	EXPECT_EQ(3u, iommufd_fault_queue_owed(q_)) << "read through the ring: owed";

	// Less than everything: cut back to the last whole group.
	EXPECT_EQ(2u, Take(2).size());
	std::vector<iommufd_fault> f(2);
	EXPECT_EQ(1, iommufd_fault_ring_take(ring_, f.data(), 2)) << "1 + 3 do not fit in 2";
	EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE, f[0].flags & IOMMUFD_FAULT_LAST_PAGE);
	EXPECT_FAILS(ctx_, EMSGSIZE, "iommufd_fault_ring_take: the next group has 3 records, "
		     "more than max 2; take again with a bigger array (it stays in the ring)",
		     int(iommufd_fault_ring_take(ring_, f.data(), 2)));
	const std::vector<iommufd_fault> last = Take(16);
	ASSERT_EQ(3u, last.size());
	EXPECT_EQ(0u, last[0].flags & IOMMUFD_FAULT_LAST_PAGE);
	EXPECT_EQ(0x3000u, last[2].addr);
	EXPECT_EQ(last[0].cookie, last[2].cookie);
	EXPECT_EQ(1u, Groups(last.data(), last.size()).size());
	EXPECT_TRUE(Take(16).empty());
	EXPECT_FALSE(FdReadable(iommufd_fault_ring_eventfd(ring_)));
	Answer(last);
	EXPECT_EQ(2u, iommufd_fault_queue_owed(q_));

	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(6u, s.pushed);
	EXPECT_EQ(6u, s.taken);
	EXPECT_EQ(1u, s.pump_reads);
	EXPECT_EQ(1u, s.signals);
	EXPECT_EQ(0u, s.full);
	EXPECT_EQ(8u, s.capacity);
}

// While the ring is full the kernel keeps the groups: no read, a quiet
// pump fd; the take that makes room wakes the pump.
TEST_P(FaultRing, FullRingLeavesGroupsInTheKernel)
{
	NewRing(4);
	for (int i = 0; i < 10; i++)
		Raise(q_, 1);
	EXPECT_EQ(4, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(0, iommufd_fault_ring_pump(ring_)) << "full";
	const unsigned reads = fk_.eventq_counters().reads;
	EXPECT_FALSE(FdReadable(iommufd_fault_ring_pump_fd(ring_)));
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(0, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(reads, fk_.eventq_counters().reads) << "read while full";
	EXPECT_EQ(6u, fk_.eventq_counters().waiting) << "the rest waits in the kernel";
	EXPECT_EQ(4u, iommufd_fault_queue_owed(q_));
	EXPECT_EQ(1u, Stats().full);

	Answer(Take(3));
	EXPECT_TRUE(FdReadable(iommufd_fault_ring_pump_fd(ring_)));
	EXPECT_EQ(3, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(3u, fk_.eventq_counters().waiting);
}

// A group larger than the whole ring can never move: the pump stops, the
// consumer is told why, and the group is still in the kernel for a reader
// with a bigger array.
TEST_P(FaultRing, GroupLargerThanTheRing)
{
	NewRing(4, IOMMUFD_RING_THREAD);
	Raise(q_, 2);
	Raise(q_, 5);
	ssize_t n;
	std::vector<iommufd_fault> f(8);
	size_t taken = 0;
	while ((n = iommufd_fault_ring_take(ring_, f.data(), f.size())) >= 0) {
		taken += size_t(n);
		if (!n) {
			ASSERT_TRUE(FdReadable(iommufd_fault_ring_eventfd(ring_), 10000));
		}
	}
	EXPECT_EQ(-EMSGSIZE, n);
	EXPECT_EQ(2u, taken) << "the group before it came first";
	EXPECT_TRUE(HasSentence(ctx_, "iommufd_fault_ring_take: the pump stopped: the next group "
				"is larger than the whole ring (capacity 4) and can never move"));
	EXPECT_EQ(-EMSGSIZE, iommufd_fault_ring_take(ring_, f.data(), f.size())) << "for good";
	EXPECT_EQ(-EMSGSIZE, iommufd_fault_ring_start(ring_));
	EXPECT_EQ(0, iommufd_fault_ring_stop(ring_)) << "the thread ended itself";
	EXPECT_EQ(-EMSGSIZE, iommufd_fault_ring_pump(ring_));
	EXPECT_EQ(0, iommufd_fault_ring_free(ring_));
	ring_ = nullptr;
	EXPECT_EQ(5, iommufd_fault_queue_read(q_, f.data(), f.size()));
}

TEST_P(FaultRing, ReadFailureReachesTheConsumer)
{
	NewRing(8);
	Raise(q_, 1);
	EXPECT_EQ(1, iommufd_fault_ring_pump(ring_));
	Raise(q_, 1);
	fk_.FailEventqIo(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "iommufd_fault_ring_pump: the pump stopped: "
		     "iommufd_fault_queue_read: reading fault queue",
		     int(iommufd_fault_ring_pump(ring_)));
	EXPECT_EQ(1u, Take(4).size()) << "what came before the failure";
	std::vector<iommufd_fault> f(4);
	EXPECT_FAILS(ctx_, EFAULT, "iommufd_fault_ring_take: the pump stopped: "
		     "iommufd_fault_queue_read",
		     int(iommufd_fault_ring_take(ring_, f.data(), f.size())));
	EXPECT_TRUE(FdReadable(iommufd_fault_ring_eventfd(ring_)));
}

// Free answers INVALID, in one write, the groups still in the ring; the
// groups the consumer took stay owed; those never read stay in the kernel,
// which answers them when the queue closes.
TEST_P(FaultRing, FreeWithFaultsInFlight)
{
	NewRing(8, IOMMUFD_RING_THREAD);
	for (int i = 0; i < 12; i++)
		Raise(q_, 1 + i % 3); // 24 records
	while (Stats().full == 0)
		ASSERT_TRUE(FdReadable(iommufd_fault_ring_eventfd(ring_), 10000));
	const std::vector<iommufd_fault> held = Take(4);
	const size_t held_groups = Groups(held.data(), held.size()).size();
	ASSERT_LT(0u, held_groups);
	// The pump thread still runs (the take made room): free stops it.
	const fake::EventqCounters before = fk_.eventq_counters();
	const ssize_t answered = iommufd_fault_ring_free(ring_);
	ring_ = nullptr;
	EXPECT_LT(0, answered) << iommufd_ctx_last_error(ctx_);
	const fake::EventqCounters after = fk_.eventq_counters();
	EXPECT_EQ(before.writes + 1, after.writes) << "one write for them all";
	EXPECT_EQ(before.responses[1] + unsigned(answered), after.responses[1]);
	EXPECT_EQ(held_groups, iommufd_fault_queue_owed(q_)) << "what the consumer holds";
	EXPECT_LT(0u, after.waiting) << "never read: still in the kernel";
	EXPECT_EQ(12u, held_groups + size_t(answered) + after.waiting) << "every group accounted";
	Answer(held);
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q_));
	EXPECT_EQ(0, iommufd_fault_queue_close(q_));
	q_ = nullptr;
	EXPECT_EQ(after.waiting, fk_.eventq_counters().auto_invalid);
}

TEST_P(FaultRing, FreeOfAnEmptyRingWritesNothing)
{
	NewRing(8, IOMMUFD_RING_THREAD);
	const unsigned writes = fk_.eventq_counters().writes;
	EXPECT_EQ(0, iommufd_fault_ring_free(ring_));
	ring_ = nullptr;
	EXPECT_EQ(0, iommufd_fault_ring_free(nullptr));
	EXPECT_EQ(writes, fk_.eventq_counters().writes);
}

TEST_P(FaultRing, ThreadFlagAndModes)
{
	NewRing(8, IOMMUFD_RING_THREAD);
	EXPECT_FAILS(ctx_, EBUSY, "iommufd_fault_ring_pump: the library's pump thread is the "
		     "producer", int(iommufd_fault_ring_pump(ring_)));
	EXPECT_FAILS(ctx_, EBUSY, "iommufd_fault_ring_start: the pump thread runs already",
		     iommufd_fault_ring_start(ring_));
	Raise(q_, 2);
	std::vector<iommufd_fault> got;
	while (got.size() < 2) {
		ASSERT_TRUE(FdReadable(iommufd_fault_ring_eventfd(ring_), 10000));
		for (const iommufd_fault &f : Take(8))
			got.push_back(f);
	}
	EXPECT_EQ(0, iommufd_fault_ring_stop(ring_));
	EXPECT_EQ(0, iommufd_fault_ring_stop(ring_));
	Raise(q_, 1);
	EXPECT_EQ(1, iommufd_fault_ring_pump(ring_)) << "the caller pumps now";
	Answer(got);
	Answer(Take(8));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q_));
}

TEST_P(FaultRing, Arguments)
{
	iommufd_fault_ring *r = nullptr;
	const iommufd_ring_opts flagged = {sizeof(flagged), 0, 2};
	const iommufd_ring_opts huge = {sizeof(huge), IOMMUFD_RING_MAX_CAPACITY + 1, 0};
	iommufd_ring_opts zero = {};
	iommufd_fault f;

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_new: the queue is NULL",
		     iommufd_fault_ring_new(nullptr, nullptr, &r));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_new: ring is NULL",
		     iommufd_fault_ring_new(q_, nullptr, nullptr));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "iommufd_fault_ring_new: unknown flags 0x2 (known: 0x1)",
		     iommufd_fault_ring_new(q_, &flagged, &r));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_new: capacity 1048577 is not within "
		     "1..1048576", iommufd_fault_ring_new(q_, &huge, &r));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_new: options sz is 0",
		     iommufd_fault_ring_new(q_, &zero, &r));
	EXPECT_EQ(nullptr, r);

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_take: the ring is NULL",
		     int(iommufd_fault_ring_take(nullptr, &f, 1)));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_pump: the ring is NULL",
		     int(iommufd_fault_ring_pump(nullptr)));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_start: the ring is NULL",
		     iommufd_fault_ring_start(nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_stop: the ring is NULL",
		     iommufd_fault_ring_stop(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_fault_ring_eventfd(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_fault_ring_pump_fd(nullptr));
	iommufd_ring_stats s = {};
	s.sz = sizeof(s);
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_fault_ring_stats: the ring is NULL",
		     iommufd_fault_ring_stats(nullptr, &s));

	ASSERT_EQ(0, iommufd_fault_ring_new(q_, nullptr, &ring_));
	EXPECT_EQ(IOMMUFD_RING_DEFAULT_CAPACITY, Stats().capacity);
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_take: faults is NULL",
		     int(iommufd_fault_ring_take(ring_, nullptr, 1)));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_take: max is 0",
		     int(iommufd_fault_ring_take(ring_, &f, 0)));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_stats: stats is NULL",
		     iommufd_fault_ring_stats(ring_, nullptr));
	s.sz = 3;
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_ring_stats: stats sz is 3",
		     iommufd_fault_ring_stats(ring_, &s));
}

TEST_P(FaultRing, CapacityRoundsUp)
{
	NewRing(5);
	EXPECT_EQ(8u, Stats().capacity);
}

// The stats struct follows the sz rules of an output: an older caller gets
// the fields it knows of, a newer one zeroes past the library's.
TEST_P(FaultRing, StatsSize)
{
	NewRing(4);
	Raise(q_, 1);
	ASSERT_EQ(1, iommufd_fault_ring_pump(ring_));

	struct {
		iommufd_ring_stats s;
		uint64_t newer[2];
	} big;
	memset(&big, 0xff, sizeof(big));
	big.s.sz = sizeof(big);
	EXPECT_EQ(0, iommufd_fault_ring_stats(ring_, &big.s));
	EXPECT_EQ(sizeof(big), big.s.sz);
	EXPECT_EQ(1u, big.s.pushed);
	EXPECT_EQ(4u, big.s.capacity);
	EXPECT_EQ(0u, big.newer[0]);
	EXPECT_EQ(0u, big.newer[1]);

	iommufd_ring_stats old;
	memset(&old, 0xff, sizeof(old));
	old.sz = offsetof(iommufd_ring_stats, taken);
	EXPECT_EQ(0, iommufd_fault_ring_stats(ring_, &old));
	EXPECT_EQ(1u, old.pushed);
	EXPECT_EQ(UINT64_MAX, old.taken) << "past its sz: not written";
}

// Every allocation of a new ring fails in turn, and so does its thread:
// clean errors, nothing leaked (ASan for memory, the next fd number for
// fds).
TEST_P(FaultRing, ResourceFailures)
{
	const iommufd_ring_opts o = {sizeof(o), 8, IOMMUFD_RING_THREAD};
	const int first_free_fd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, first_free_fd);
	close(first_free_fd);

	unsigned n;
	for (n = 1; n < 10; n++) {
		ifd_ring_inject.alloc_nth = n;
		const int rc = iommufd_fault_ring_new(q_, &o, &ring_);
		if (!rc)
			break;
		EXPECT_EQ(-ENOMEM, rc) << n;
		EXPECT_TRUE(HasSentence(ctx_, "iommufd_fault_ring_new: out of memory")) << n;
		EXPECT_EQ(nullptr, ring_);
	}
	ifd_ring_inject = {};
	EXPECT_EQ(5u, n) << "the pump, the ring, its slots, the staging area, then none";
	EXPECT_EQ(0, iommufd_fault_ring_free(ring_));
	ring_ = nullptr;

	ifd_ring_inject.thread_nth = 1;
	EXPECT_FAILS(ctx_, EAGAIN, "iommufd_fault_ring_new: cannot start the pump thread",
		     iommufd_fault_ring_new(q_, &o, &ring_));
	ifd_ring_inject = {};
	EXPECT_EQ(nullptr, ring_);

	const int next_fd = eventfd(0, EFD_CLOEXEC);
	EXPECT_EQ(first_free_fd, next_fd) << "an fd leaked";
	close(next_fd);
}

INSTANTIATE_FOR_PROFILES(FaultRing, ProfilesSince(Kver(6, 11)));

// ---- three threads, a small ring ---------------------------------------

class FaultRingStress : public FaultRing {
protected:
	// The device raises @groups groups of 1..3 records; a consumer takes
	// them in batches of 3..8 records and answers in batches of groups;
	// the pump runs on the library's thread or on a poll() loop of the
	// test's.  Then every count must agree.
	void Run(uint32_t capacity, bool library_thread, unsigned groups = 20000);
};

void FaultRingStress::Run(uint32_t capacity, bool library_thread, unsigned groups)
{
	std::atomic<bool> done{false};
	uint64_t raised = 0, taken = 0;
	unsigned groups_taken = 0, answered = 0;

	NewRing(capacity, library_thread ? IOMMUFD_RING_THREAD : 0);
	for (unsigned i = 0; i < groups; i++)
		raised += 1 + i % 3;
	std::thread device([&] {
		for (unsigned i = 0; i < groups; i++) {
			Raise(q_, 1 + i % 3);
			if (i % 16 == 0)
				std::this_thread::yield();
		}
	});
	std::thread pumper;
	if (!library_thread)
		pumper = std::thread([&] {
			while (!done) {
				if (FdReadable(iommufd_fault_ring_pump_fd(ring_), 100)) {
					ASSERT_LE(0, iommufd_fault_ring_pump(ring_))
						<< iommufd_ctx_last_error(ctx_);
				}
			}
		});

	std::vector<iommufd_fault> f(8);
	std::vector<iommufd_fault_response> answers;
	auto flush = [&] {
		if (answers.empty())
			return;
		const ssize_t n = iommufd_fault_queue_respond_batch(q_, answers.data(),
								     answers.size());
		EXPECT_EQ(ssize_t(answers.size()), n) << iommufd_ctx_last_error(ctx_);
		answered += n > 0 ? unsigned(n) : 0;
		answers.clear();
	};
	unsigned batch = 0, timeouts = 0;
	while (groups_taken < groups) {
		const size_t max = 3 + batch++ % 6;
		const ssize_t n = iommufd_fault_ring_take(ring_, f.data(), max);
		ASSERT_LE(0, n) << iommufd_ctx_last_error(ctx_);
		if (n == 0) {
			flush();
			// Far longer than the test: a lost wakeup fails it.
			if (!FdReadable(iommufd_fault_ring_eventfd(ring_), 30000)) {
				timeouts++;
				break;
			}
			continue;
		}
		taken += uint64_t(n);
		for (const iommufd_fault_group &g : Groups(f.data(), size_t(n))) {
			answers.push_back({g.cookie, IOMMUFD_FAULT_RESP_SUCCESS});
			groups_taken++;
		}
		if (answers.size() >= 4)
			flush();
		if (batch % 64 == 0)
			std::this_thread::yield(); // let the ring fill up now and then
	}
	flush();
	done = true;
	device.join();
	if (pumper.joinable())
		pumper.join();
	EXPECT_EQ(0, iommufd_fault_ring_stop(ring_));

	const iommufd_ring_stats s = Stats();
	const fake::EventqCounters c = fk_.eventq_counters();
	EXPECT_EQ(0u, timeouts) << "a lost wakeup";
	EXPECT_EQ(raised, taken) << "count out != count in";
	EXPECT_EQ(groups, groups_taken);
	EXPECT_EQ(groups, answered);
	EXPECT_EQ(groups, c.responses[IOMMUFD_FAULT_RESP_SUCCESS]);
	EXPECT_EQ(0u, c.responses[IOMMUFD_FAULT_RESP_INVALID]);
	EXPECT_EQ(0u, c.waiting);
	EXPECT_EQ(0u, c.outstanding);
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q_));
	EXPECT_EQ(raised, s.pushed);
	EXPECT_EQ(raised, s.taken);
	EXPECT_LT(0u, s.full) << "back-pressure never happened";
	EXPECT_EQ(c.reads, s.pump_reads) << "only the pump reads the queue";
	// Each read moves records, or finds the ring short of room (and
	// blocks), or follows the consumer's kick after such a block: the
	// pump never spins on a full ring.
	EXPECT_LE(s.pump_reads, s.pushed + 2 * s.full + 1);
	EXPECT_LT(s.signals, s.pushed);
	RecordProperty("records", std::to_string(raised));
	RecordProperty("full", std::to_string(s.full));
	RecordProperty("pump_reads", std::to_string(s.pump_reads));
	RecordProperty("signals", std::to_string(s.signals));
	std::printf("ring of %u, %s: %llu records in %u groups, full %llu times, %llu reads, "
		    "%llu signals\n", s.capacity, library_thread ? "library thread" : "caller loop",
		    (unsigned long long)raised, groups, (unsigned long long)s.full,
		    (unsigned long long)s.pump_reads, (unsigned long long)s.signals);
}

TEST_P(FaultRingStress, CallerLoopRing4) { Run(4, false); }
TEST_P(FaultRingStress, CallerLoopRing8) { Run(8, false); }
TEST_P(FaultRingStress, LibraryThreadRing4) { Run(4, true); }
TEST_P(FaultRingStress, LibraryThreadRing8) { Run(8, true); }

// The ring does not depend on the release: one is enough.
INSTANTIATE_FOR_PROFILES(FaultRingStress, {fake::Profile::Linux7_2});

} // namespace
