// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The pump under the rings (src/ring_pump.c), driven from a queue of the
// test's own: records in groups, a real eventfd readable while records
// wait.  What is checked here is the machinery every ring type shares:
// no lost wakeup under two-thread stress (the consumer sleeps in poll()
// with a timeout far longer than the test), back-pressure (no read while
// the ring is full, the pump fd quiet), both pump modes, failures
// surfacing at the consumer, and clean errors when resources run out.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <libiommufd/libiommufd.h>

#include "ring_core.h"
#include "ring_pump.h"
#include "ring_test_support.h"

namespace {

struct Rec {
	uint64_t seq;
	uint32_t last; // 1 on a group's last record
	uint32_t pad;
};

// A kernel queue as the pump sees one: whole groups only, -EMSGSIZE when
// the first group does not fit, its fd readable while records wait.
class TestQueue {
public:
	TestQueue() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
	~TestQueue() { close(fd_); }
	int fd() const { return fd_; }

	void Raise(uint32_t group_size)
	{
		std::lock_guard<std::mutex> g(lock_);
		for (uint32_t i = 0; i < group_size; i++)
			recs_.push_back({next_seq_++, i + 1 == group_size, 0});
		Update();
	}
	ssize_t Read(Rec *out, size_t max)
	{
		std::lock_guard<std::mutex> g(lock_);
		reads_++;
		if (fail_)
			return fail_;
		size_t n = 0, group = 0;
		while (n + group < recs_.size()) {
			if (n + group + 1 > max)
				break;
			if (recs_[n + group++].last) {
				n += group;
				group = 0;
			}
		}
		if (!n && !recs_.empty())
			return -EMSGSIZE;
		std::copy(recs_.begin(), recs_.begin() + n, out);
		recs_.erase(recs_.begin(), recs_.begin() + n);
		Update();
		return static_cast<ssize_t>(n);
	}
	void Fail(int err)
	{
		std::lock_guard<std::mutex> g(lock_);
		fail_ = -err;
		uint64_t one = 1;
		ASSERT_EQ(8, write(fd_, &one, 8)); // a kernel queue in error polls readable
	}
	unsigned reads() const
	{
		std::lock_guard<std::mutex> g(lock_);
		return reads_;
	}
	size_t waiting() const
	{
		std::lock_guard<std::mutex> g(lock_);
		return recs_.size();
	}

	static ssize_t ReadOp(void *q, void *recs, size_t max)
	{
		return static_cast<TestQueue *>(q)->Read(static_cast<Rec *>(recs), max);
	}

private:
	// Readable exactly while records wait, like a kernel queue's fd.
	void Update()
	{
		uint64_t v = 1;
		(void)!read(fd_, &v, 8);
		if (!recs_.empty())
			(void)!write(fd_, &v, 8);
	}

	int fd_;
	mutable std::mutex lock_;
	std::deque<Rec> recs_;
	uint64_t next_seq_ = 0;
	unsigned reads_ = 0;
	ssize_t fail_ = 0;
};

const ifd_pump_ops kOps = {sizeof(Rec), TestQueue::ReadOp};

// The @i-th record ready in @pump's ring.
const Rec &At(const ifd_pump *pump, uint32_t i)
{
	return *static_cast<const Rec *>(ifd_ring_slot(ifd_pump_ring(pump), i));
}

int OpenFds()
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

class RingPump : public ::testing::Test {
protected:
	void TearDown() override
	{
		ifd_pump_free(pump_);
		ifd_ring_inject = {};
	}
	void New(uint32_t capacity)
	{
		ASSERT_EQ(0, ifd_pump_new(&kOps, &q_, q_.fd(), nullptr, "test", capacity, &pump_));
	}
	// Take up to @max records: their sequence numbers.
	ssize_t Take(std::vector<uint64_t> *seqs, uint32_t max = UINT32_MAX)
	{
		ssize_t n = ifd_pump_ready(pump_, "take");
		if (n <= 0)
			return n;
		if (n > max)
			n = max;
		for (ssize_t i = 0; i < n; i++)
			seqs->push_back(At(pump_, uint32_t(i)).seq);
		ifd_pump_taken(pump_, static_cast<uint32_t>(n));
		return n;
	}
	ifd_pump_stats Stats()
	{
		ifd_pump_stats s{};
		ifd_pump_get_stats(pump_, &s);
		return s;
	}

	TestQueue q_;
	ifd_pump *pump_ = nullptr;
};

TEST_F(RingPump, MovesRecordsAndSignalsOnce)
{
	std::vector<uint64_t> got;

	New(8);
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump")) << "nothing waiting";
	EXPECT_FALSE(FdReadable(ifd_pump_eventfd(pump_)));
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_)));
	q_.Raise(2);
	q_.Raise(1);
	EXPECT_TRUE(FdReadable(ifd_pump_fd(pump_))) << "the queue has records, the ring room";
	EXPECT_EQ(3, ifd_pump_pump(pump_, "pump"));
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_)));
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_))) << "the first record is signalled "
							  "before any take";
	q_.Raise(1);
	EXPECT_EQ(1, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(1u, Stats().signals) << "the consumer has not taken: no second signal";
	EXPECT_EQ(4, Take(&got));
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_))) << "cleared only by a take finding none";
	EXPECT_EQ(0, Take(&got));
	EXPECT_FALSE(FdReadable(ifd_pump_eventfd(pump_)));
	EXPECT_EQ(0, Take(&got)) << "again: no system call needed";
	EXPECT_EQ((std::vector<uint64_t>{0, 1, 2, 3}), got);
	q_.Raise(3);
	EXPECT_EQ(3, ifd_pump_pump(pump_, "pump"));
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_)));
	auto s = Stats();
	EXPECT_EQ(7u, s.pushed);
	EXPECT_EQ(4u, s.taken);
	EXPECT_EQ(2u, s.signals);
	EXPECT_EQ(4u, s.pump_reads);
	EXPECT_EQ(0u, s.full);
	EXPECT_EQ(8u, s.capacity);
}

// A take that leaves records behind keeps the eventfd readable: the
// consumer may go back to poll() after any take.
TEST_F(RingPump, EventfdStaysReadableWhileRecordsWait)
{
	std::vector<uint64_t> got;

	New(8);
	q_.Raise(3);
	ASSERT_EQ(3, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(1, Take(&got, 1));
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_)));
	EXPECT_EQ(2, Take(&got, 2));
	EXPECT_EQ(0, Take(&got));
	EXPECT_FALSE(FdReadable(ifd_pump_eventfd(pump_)));
}

// Full: the pump stops reading, and its fd goes quiet so that a
// level-triggered loop does not spin; the take that makes room wakes it.
TEST_F(RingPump, FullRingIsNotReadAndQuiet)
{
	std::vector<uint64_t> got;

	New(4);
	for (int i = 0; i < 10; i++)
		q_.Raise(1);
	EXPECT_EQ(4, ifd_pump_pump(pump_, "pump"));
	EXPECT_TRUE(FdReadable(ifd_pump_fd(pump_))) << "the queue still has records";
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump")) << "full";
	const unsigned reads = q_.reads();
	EXPECT_EQ(1u, Stats().full);
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_))) << "full: the pump fd is quiet";
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(0, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(reads, q_.reads()) << "never read while full";
	EXPECT_EQ(1u, Stats().full) << "one episode";
	EXPECT_EQ(6u, q_.waiting()) << "the records wait in the kernel";

	EXPECT_EQ(1, Take(&got, 1));
	EXPECT_TRUE(FdReadable(ifd_pump_fd(pump_))) << "room made: the pump is woken";
	EXPECT_EQ(1, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(2u, Stats().full);
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_))) << "the kick was read back";
	while (Take(&got) > 0 || ifd_pump_pump(pump_, "pump") > 0)
		;
	EXPECT_EQ(10u, got.size());
	EXPECT_EQ(0u, q_.waiting());
	for (uint64_t i = 0; i < got.size(); i++)
		EXPECT_EQ(i, got[i]);
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_)));
}

// A group that does not fit the room left waits until it does.
TEST_F(RingPump, GroupWaitsForRoomWhole)
{
	std::vector<uint64_t> got;

	New(4);
	q_.Raise(3);
	q_.Raise(3);
	EXPECT_EQ(3, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump")) << "3 do not fit in 1";
	EXPECT_EQ(1u, Stats().full);
	EXPECT_FALSE(FdReadable(ifd_pump_fd(pump_)));
	EXPECT_EQ(1, Take(&got, 1));
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump")) << "3 do not fit in 2";
	EXPECT_EQ(2, Take(&got, 2));
	EXPECT_EQ(3, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(3, Take(&got));
	EXPECT_EQ(6u, got.size());
}

// A group larger than the ring can never move: the pump stops with
// -EMSGSIZE and the consumer hears of it, after the records before it.
TEST_F(RingPump, GroupLargerThanRingStopsThePump)
{
	std::vector<uint64_t> got;

	New(4);
	q_.Raise(2);
	q_.Raise(5);
	EXPECT_EQ(2, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(0, ifd_pump_pump(pump_, "pump")) << "might fit once the ring is empty";
	EXPECT_EQ(2, Take(&got));
	EXPECT_EQ(-EMSGSIZE, ifd_pump_pump(pump_, "pump"));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr),
				  "pump: the pump stopped: the next group is larger than the whole "
				  "ring (capacity 4)"))
		<< iommufd_ctx_last_error(nullptr);
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_)));
	EXPECT_EQ(-EMSGSIZE, Take(&got));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "take: the pump stopped"));
	EXPECT_EQ(-EMSGSIZE, Take(&got)) << "for good";
	EXPECT_EQ(-EMSGSIZE, ifd_pump_pump(pump_, "pump"));
	EXPECT_EQ(-EMSGSIZE, ifd_pump_start(pump_, "start"));
}

TEST_F(RingPump, ReadErrorReachesTheConsumerAfterTheRecords)
{
	std::vector<uint64_t> got;

	New(8);
	q_.Raise(2);
	ASSERT_EQ(0, ifd_pump_start(pump_, "start"));
	while (Take(&got) == 0)
		ASSERT_TRUE(FdReadable(ifd_pump_eventfd(pump_), 10000));
	q_.Raise(1);
	q_.Fail(EFAULT);
	ssize_t rc;
	while ((rc = Take(&got)) >= 0) {
		if (!rc) {
			ASSERT_TRUE(FdReadable(ifd_pump_eventfd(pump_), 10000)) << "never woken";
		}
	}
	EXPECT_EQ(-EFAULT, rc);
	EXPECT_TRUE(FdReadable(ifd_pump_eventfd(pump_))) << "stays readable: the error is for good";
	EXPECT_LE(2u, got.size()) << "the pump may have read the third record before failing";
	EXPECT_EQ(0, ifd_pump_stop(pump_)) << "the thread ended itself: join it";
	EXPECT_EQ(-EFAULT, ifd_pump_pump(pump_, "pump"));
}

TEST_F(RingPump, ThreadAndCallerPumpExclude)
{
	New(8);
	EXPECT_EQ(0, ifd_pump_stop(pump_)) << "not running: nothing to do";
	ASSERT_EQ(0, ifd_pump_start(pump_, "start"));
	EXPECT_EQ(-EBUSY, ifd_pump_start(pump_, "start"));
	EXPECT_EQ(-EBUSY, ifd_pump_pump(pump_, "pump"));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "pump thread"));
	EXPECT_EQ(0, ifd_pump_stop(pump_));
	EXPECT_EQ(0, ifd_pump_stop(pump_));
	q_.Raise(1);
	EXPECT_EQ(1, ifd_pump_pump(pump_, "pump"));
	ASSERT_EQ(0, ifd_pump_start(pump_, "start"));
	// Freeing a running pump stops it (TearDown).
}

TEST_F(RingPump, RefusesCapacity)
{
	EXPECT_EQ(-EINVAL, ifd_pump_new(&kOps, &q_, q_.fd(), nullptr, "new", 0, &pump_));
	EXPECT_EQ(-EINVAL, ifd_pump_new(&kOps, &q_, q_.fd(), nullptr, "new",
					IFD_RING_MAX_CAPACITY + 1, &pump_));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "not within 1..1048576"));
	EXPECT_EQ(nullptr, pump_);
}

// Every allocation, every fd and the thread fail in turn: a clean errno,
// nothing leaked (ASan checks the memory, /proc the fds).
TEST_F(RingPump, ResourceFailuresLeakNothing)
{
	const int fds = OpenFds();
	unsigned n;

	for (n = 1;; n++) {
		ifd_ring_inject.alloc_nth = n;
		int rc = ifd_pump_new(&kOps, &q_, q_.fd(), nullptr, "new", 8, &pump_);
		if (!rc)
			break;
		EXPECT_EQ(-ENOMEM, rc) << n;
		EXPECT_EQ(nullptr, pump_);
		EXPECT_EQ(fds, OpenFds());
	}
	EXPECT_EQ(5u, n) << "the pump, the ring, its slots, the staging area, then none";
	ifd_pump_free(pump_);
	pump_ = nullptr;
	ifd_ring_inject = {};

	// Leave room for k more fds: the (k+1)-th of eventfd, eventfd, epoll fails.
	std::vector<int> spare;
	for (int k = 0; k < 3; k++) {
		rlimit old;
		ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
		int probe[3];
		for (int &p : probe)
			p = eventfd(0, 0);
		for (int p : probe)
			close(p);
		rlimit lim = old;
		lim.rlim_cur = static_cast<rlim_t>(probe[k]);
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
		int rc = ifd_pump_new(&kOps, &q_, q_.fd(), nullptr, "new", 8, &pump_);
		ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
		EXPECT_EQ(-EMFILE, rc) << k;
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr),
					  k < 2 ? "new: eventfd: " : "new: epoll_create1: "))
			<< iommufd_ctx_last_error(nullptr);
		EXPECT_EQ(fds, OpenFds()) << k;
	}

	// A queue fd epoll refuses (a regular file).
	int file = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(file, 0);
	EXPECT_EQ(-EPERM, ifd_pump_new(&kOps, &q_, file, nullptr, "new", 8, &pump_));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "epoll_ctl of the queue fd"));
	close(file);
	EXPECT_EQ(fds, OpenFds());

	New(8);
	ifd_ring_inject.thread_nth = 1;
	EXPECT_EQ(-EAGAIN, ifd_pump_start(pump_, "start"));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr),
				  "start: cannot start the pump thread"));
	EXPECT_EQ(0, ifd_pump_start(pump_, "start")) << "and now it starts";
}

// Two threads and a small ring, groups of 1..3: the consumer sleeps in
// poll() with a timeout far longer than the test, so a lost wakeup fails
// the test instead of slowing it.  Count out == count in, order kept,
// back-pressure seen.
struct StressResult {
	uint64_t taken = 0, bad_order = 0, timeouts = 0;
};

StressResult Stress(TestQueue &q, ifd_pump *pump, uint64_t records, bool caller_pump)
{
	std::atomic<bool> done{false};
	StressResult r;

	std::thread raiser([&] {
		uint64_t raised = 0;
		unsigned k = 0;
		while (raised < records) {
			uint32_t g = 1 + k++ % 3;
			if (g > records - raised)
				g = static_cast<uint32_t>(records - raised);
			q.Raise(g);
			raised += g;
			if (k % 64 == 0)
				std::this_thread::yield();
		}
	});
	std::thread pumper;
	if (caller_pump)
		pumper = std::thread([&] {
			while (!done.load()) {
				if (FdReadable(ifd_pump_fd(pump), 100)) {
					ASSERT_GE(ifd_pump_pump(pump, "pump"), 0);
				}
			}
		});
	else
		EXPECT_EQ(0, ifd_pump_start(pump, "start"));

	uint64_t expect = 0;
	unsigned batch = 0;
	while (r.taken < records) {
		ssize_t n = ifd_pump_ready(pump, "take");
		if (n < 0) {
			ADD_FAILURE() << "take: " << n;
			break;
		}
		if (n == 0) {
			if (!FdReadable(ifd_pump_eventfd(pump), 30000)) {
				r.timeouts++;
				break;
			}
			continue;
		}
		const uint32_t take = std::min(uint32_t(n), 1 + batch++ % 4);
		for (uint32_t i = 0; i < take; i++)
			r.bad_order += At(pump, i).seq != expect++;
		ifd_pump_taken(pump, take);
		r.taken += take;
		if (batch % 128 == 0)
			std::this_thread::yield(); // let the ring fill up now and then
	}
	done = true;
	raiser.join();
	if (caller_pump)
		pumper.join();
	else
		EXPECT_EQ(0, ifd_pump_stop(pump));
	return r;
}

class RingPumpStress : public RingPump, public ::testing::WithParamInterface<bool> {};

TEST_P(RingPumpStress, NoLostWakeupNothingLost)
{
	constexpr uint64_t kRecords = 300'000;

	New(8);
	StressResult r = Stress(q_, pump_, kRecords, GetParam());
	EXPECT_EQ(0u, r.timeouts) << "a lost wakeup";
	EXPECT_EQ(kRecords, r.taken);
	EXPECT_EQ(0u, r.bad_order);
	auto s = Stats();
	EXPECT_EQ(kRecords, s.pushed);
	EXPECT_EQ(kRecords, s.taken);
	EXPECT_GT(s.full, 0u) << "back-pressure never happened";
	EXPECT_LT(s.signals, s.pushed) << "a signal per record";
	EXPECT_EQ(0u, q_.waiting());
	RecordProperty("full", std::to_string(s.full));
	RecordProperty("signals", std::to_string(s.signals));
	RecordProperty("pump_reads", std::to_string(s.pump_reads));
}

INSTANTIATE_TEST_SUITE_P(Mode, RingPumpStress, ::testing::Values(true, false),
			 [](const ::testing::TestParamInfo<bool> &i) {
				 return i.param ? "CallerLoop" : "LibraryThread";
			 });

} // namespace
