// SPDX-License-Identifier: LGPL-2.1-or-later
// Fault queues against the fake kernel: alloc per release, reading whole
// groups, cookies owed and answered, batches, partial progress, close.
#include <poll.h>

#include <algorithm>
#include <vector>

#include "eventq_test_support.h"

namespace {

using fake::Kver;

class FaultQueue : public FaultQueueTest {};

TEST_P(FaultQueue, Alloc)
{
	iommufd_fault_queue *q = nullptr;

	ASSERT_EQ(0, iommufd_fault_queue_alloc(ctx_, nullptr, &q)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(16u, fk_.last_size(UAPI_CMD_FAULT_QUEUE_ALLOC));
	EXPECT_EQ(fake::ObjType::kFault, fk_.ictx().objects.at(iommufd_fault_queue_id(q)).type);
	const int fd = iommufd_fault_queue_fd(q);
	EXPECT_TRUE(fk_.IsOpen(fd));
	EXPECT_FALSE(Readable(q));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	const uint32_t id = iommufd_fault_queue_id(q);
	EXPECT_EQ(0, iommufd_fault_queue_close(q));
	EXPECT_FALSE(fk_.IsOpen(fd)) << "the fd closed";
	EXPECT_EQ(0u, fk_.ictx().objects.count(id)) << "the queue destroyed";
}

TEST_P(FaultQueue, AllocArguments)
{
	iommufd_fault_queue *q = nullptr;
	const iommufd_fault_queue_opts flagged = {sizeof(flagged), 1};
	iommufd_fault_queue_opts zero = {};
	struct {
		iommufd_fault_queue_opts known;
		uint64_t future;
	} big = {{sizeof(big), 0}, 1};

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_fault_queue_alloc: the context is NULL",
			iommufd_fault_queue_alloc(nullptr, nullptr, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_fault_queue_alloc: queue is NULL",
			iommufd_fault_queue_alloc(ctx_, nullptr, nullptr));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_fault_queue_alloc: unknown flags 0x1 (known: 0x0)",
			iommufd_fault_queue_alloc(ctx_, &flagged, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_fault_queue_alloc: options sz is 0",
			iommufd_fault_queue_alloc(ctx_, &zero, &q));
	EXPECT_REJECTED(ctx_, E2BIG, "iommufd_fault_queue_alloc: options set a field at byte",
			iommufd_fault_queue_alloc(ctx_, &big.known, &q));
	EXPECT_EQ(nullptr, q);
}

TEST_P(FaultQueue, NullQueue)
{
	iommufd_fault f;

	EXPECT_EQ(0, iommufd_fault_queue_close(nullptr));
	EXPECT_EQ(0u, iommufd_fault_queue_id(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_fault_queue_fd(nullptr));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_fault_queue_read(nullptr, &f, 1));
	EXPECT_TRUE(HasSentence(nullptr, "iommufd_fault_queue_read: the queue is NULL"));
	EXPECT_EQ(-EINVAL, iommufd_fault_queue_respond(nullptr, 1, 0));
	EXPECT_TRUE(HasSentence(nullptr, "iommufd_fault_queue_respond: the queue is NULL"));
}

TEST_P(FaultQueue, ReadArguments)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f;

	Raise(q, 1);
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_queue_read: faults is NULL",
		     iommufd_fault_queue_read(q, nullptr, 1));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_queue_read: max is 0",
		     iommufd_fault_queue_read(q, &f, 0));
	EXPECT_EQ(0u, fk_.eventq_counters().reads) << "checked before the kernel";
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, ReadEmpty)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f[4];

	EXPECT_EQ(0, iommufd_fault_queue_read(q, f, 4));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, ReadGroups)
{
	iommufd_fault_queue *q = NewQueue();
	std::vector<iommufd_fault> f(16);

	Raise(q, 1);
	Raise(q, 4);
	Raise(q, 2);
	EXPECT_TRUE(Readable(q));
	const ssize_t n = iommufd_fault_queue_read(q, f.data(), f.size());
	ASSERT_EQ(7, n) << iommufd_ctx_last_error(ctx_);
	EXPECT_FALSE(Readable(q));
	const std::vector<iommufd_fault_group> g = Groups(f.data(), size_t(n));
	ASSERT_EQ(3u, g.size());
	EXPECT_EQ(1u, g[0].count);
	EXPECT_EQ(4u, g[1].count);
	EXPECT_EQ(2u, g[2].count);
	EXPECT_EQ(1u, g[0].cookie);
	EXPECT_EQ(2u, g[1].cookie);
	EXPECT_EQ(3u, g[2].cookie);
	EXPECT_EQ(uint32_t(dev_), g[1].faults[3].dev_id);
	EXPECT_EQ(0x4000u, g[1].faults[3].addr);
	EXPECT_EQ(3u, iommufd_fault_queue_owed(q));
	EXPECT_EQ(1u, fk_.eventq_counters().reads) << "one read for the batch";
	iommufd_fault_queue_close(q);
}

// The array ends on a group's last record.
TEST_P(FaultQueue, ReadStopsAtAGroup)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f[4];

	Raise(q, 3);
	Raise(q, 2);
	EXPECT_EQ(3, iommufd_fault_queue_read(q, f, 4));
	EXPECT_EQ(2, iommufd_fault_queue_read(q, f, 4));
	EXPECT_EQ(2u, f[0].cookie);
	EXPECT_EQ(0, iommufd_fault_queue_read(q, f, 4));
	iommufd_fault_queue_close(q);
}

// A group bigger than the array: nothing is lost; a bigger read gets it.
TEST_P(FaultQueue, GroupBiggerThanMax)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f[8];

	Raise(q, 5);
	EXPECT_FAILS(ctx_, EMSGSIZE,
		     "iommufd_fault_queue_read: the first group waiting on fault queue 3 has more "
		     "than 4 records; read again with a bigger array (it stays queued)",
		     iommufd_fault_queue_read(q, f, 4));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	EXPECT_TRUE(Readable(q));
	EXPECT_EQ(5, iommufd_fault_queue_read(q, f, 8));
	EXPECT_EQ(1u, iommufd_fault_queue_owed(q));
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, ReadFails)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f[2];

	Raise(q, 1);
	fk_.FailEventqIo(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "iommufd_fault_queue_read: reading fault queue 3 failed: ",
		     iommufd_fault_queue_read(q, f, 2));
	EXPECT_EQ(1, iommufd_fault_queue_read(q, f, 2)) << "still queued";
	iommufd_fault_queue_close(q);
}

// Kernel bytes that break the group rule, or are no whole records.
TEST_P(FaultQueue, GarbledRead)
{
	iommufd_fault_queue *q = NewQueue();
	iommufd_fault f[4];

	Raise(q, 2);
	fk_.after_eventq_read = [](void *buf, ssize_t &) {
		static_cast<iommufd_fault *>(buf)[1].flags = 0;
	};
	EXPECT_FAILS(ctx_, EPROTO,
		     "iommufd_fault_queue_read: fault queue 3 returned garbled records (the group "
		     "of cookie 1 that began at record 0 lacks its LAST_PAGE record); 2 records "
		     "dropped",
		     iommufd_fault_queue_read(q, f, 4));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	Raise(q, 1);
	fk_.after_eventq_read = [](void *, ssize_t &n) { n -= 1; };
	EXPECT_FAILS(ctx_, EPROTO, "fault queue 3 returned 39 bytes, not whole 40-byte records",
		     iommufd_fault_queue_read(q, f, 4));
	fk_.after_eventq_read = nullptr;
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, RespondOnce)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t cookie = ReadOne(q);

	ASSERT_EQ(0, iommufd_fault_queue_respond(q, cookie, IOMMUFD_FAULT_RESP_SUCCESS))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	const fake::EventqCounters c = fk_.eventq_counters();
	EXPECT_EQ(1u, c.responses[IOMMUFD_FAULT_RESP_SUCCESS]);
	EXPECT_EQ(0u, c.outstanding);
	EXPECT_EQ(1u, c.writes);
	// Twice: refused before the kernel sees it.
	EXPECT_FAILS(ctx_, ENOENT,
		     "iommufd_fault_queue_respond: response 0 answers cookie 1, which fault queue "
		     "3 does not owe (never read, or answered already); nothing was sent",
		     iommufd_fault_queue_respond(q, cookie, IOMMUFD_FAULT_RESP_SUCCESS));
	EXPECT_EQ(1u, fk_.eventq_counters().writes);
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, RespondChecks)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t cookie = ReadOne(q);

	EXPECT_FAILS(ctx_, EINVAL,
		     "iommufd_fault_queue_respond: response 0 has code 2 (known: 0 SUCCESS, 1 "
		     "INVALID)",
		     iommufd_fault_queue_respond(q, cookie, 2));
	EXPECT_FAILS(ctx_, ENOENT, "answers cookie 7, which fault queue 3 does not owe",
		     iommufd_fault_queue_respond(q, 7, IOMMUFD_FAULT_RESP_INVALID));
	EXPECT_FAILS(ctx_, ENOENT, "answers cookie 0",
		     iommufd_fault_queue_respond(q, 0, IOMMUFD_FAULT_RESP_INVALID));
	EXPECT_EQ(0u, fk_.eventq_counters().writes) << "nothing reached the kernel";
	EXPECT_EQ(1u, iommufd_fault_queue_owed(q));
	EXPECT_EQ(0, iommufd_fault_queue_respond(q, cookie, IOMMUFD_FAULT_RESP_INVALID));
	EXPECT_EQ(1u, fk_.eventq_counters().responses[IOMMUFD_FAULT_RESP_INVALID]);
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, BatchInOneWrite)
{
	iommufd_fault_queue *q = NewQueue();
	std::vector<iommufd_fault> f(8);

	for (int i = 0; i < 5; i++)
		Raise(q, 1 + i % 2);
	const ssize_t n = iommufd_fault_queue_read(q, f.data(), f.size());
	ASSERT_EQ(7, n);
	std::vector<iommufd_fault_response> r;
	for (const iommufd_fault_group &g : Groups(f.data(), size_t(n)))
		r.push_back({g.cookie, IOMMUFD_FAULT_RESP_SUCCESS});
	EXPECT_EQ(5, iommufd_fault_queue_respond_batch(q, r.data(), r.size()));
	EXPECT_EQ(1u, fk_.eventq_counters().writes);
	EXPECT_EQ(5u, fk_.eventq_counters().responses[IOMMUFD_FAULT_RESP_SUCCESS]);
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, BatchArguments)
{
	iommufd_fault_queue *q = NewQueue();
	const iommufd_fault_response r = {ReadOne(q), 0};

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_queue_respond_batch: responses is NULL",
		     iommufd_fault_queue_respond_batch(q, nullptr, 1));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_fault_queue_respond_batch: count is 0",
		     iommufd_fault_queue_respond_batch(q, &r, 0));
	EXPECT_EQ(0u, fk_.eventq_counters().writes);
	iommufd_fault_queue_close(q);
}

// One bad response refuses the whole batch before anything is sent.
TEST_P(FaultQueue, BatchRefusedWhole)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t a = ReadOne(q), b = ReadOne(q);
	const iommufd_fault_response not_owed[] = {{a, 0}, {b, 0}, {9, 0}};
	const iommufd_fault_response twice[] = {{a, 0}, {b, 1}, {a, 1}};
	const iommufd_fault_response bad_code[] = {{a, 0}, {b, 5}};

	EXPECT_FAILS(ctx_, ENOENT, "response 2 answers cookie 9, which fault queue 3 does not owe",
		     iommufd_fault_queue_respond_batch(q, not_owed, 3));
	EXPECT_FAILS(ctx_, ENOENT,
		     "iommufd_fault_queue_respond_batch: responses 0 and 2 both answer cookie 1; "
		     "nothing was sent",
		     iommufd_fault_queue_respond_batch(q, twice, 3));
	EXPECT_FAILS(ctx_, EINVAL, "response 1 has code 5",
		     iommufd_fault_queue_respond_batch(q, bad_code, 2));
	EXPECT_EQ(0u, fk_.eventq_counters().writes);
	EXPECT_EQ(2u, iommufd_fault_queue_owed(q)) << "all still owed";
	EXPECT_EQ(2, iommufd_fault_queue_respond_batch(q, not_owed, 2));
	iommufd_fault_queue_close(q);
}

// The kernel answered groups itself (a device detached) and reused a
// cookie: it takes the batch up to the first cookie it does not know.
TEST_P(FaultQueue, BatchPartialProgress)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t a = ReadOne(q), b = ReadOne(q), c = ReadOne(q);

	ASSERT_TRUE(fk_.AutoRespond(iommufd_fault_queue_id(q)));
	EXPECT_EQ(a, ReadOne(q)) << "the kernel reuses cookie 1";
	EXPECT_EQ(3u, iommufd_fault_queue_owed(q));
	const iommufd_fault_response r[] = {{a, 0}, {b, 0}, {c, 0}};
	EXPECT_EQ(1, iommufd_fault_queue_respond_batch(q, r, 3));
	EXPECT_TRUE(HasSentence(ctx_, "iommufd_fault_queue_respond_batch: fault queue 3 took 1 of "
				      "3 responses; it stopped at response 1 (cookie 2), which with "
				      "the rest is still owed"));
	EXPECT_EQ(2u, iommufd_fault_queue_owed(q));
	// Sent again, the stale cookie fails alone and is dropped.
	EXPECT_FAILS(ctx_, ENOENT,
		     "iommufd_fault_queue_respond_batch: fault queue 3 no longer knows cookie 2 "
		     "(response 0): the kernel answered that group itself",
		     iommufd_fault_queue_respond_batch(q, &r[1], 2));
	EXPECT_EQ(1u, iommufd_fault_queue_owed(q));
	EXPECT_FAILS(ctx_, ENOENT, "no longer knows cookie 3",
		     iommufd_fault_queue_respond(q, c, IOMMUFD_FAULT_RESP_SUCCESS));
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	EXPECT_EQ(1u, fk_.eventq_counters().responses[IOMMUFD_FAULT_RESP_SUCCESS]);
	iommufd_fault_queue_close(q);
}

TEST_P(FaultQueue, WriteFails)
{
	iommufd_fault_queue *q = NewQueue();
	const iommufd_fault_response r[] = {{ReadOne(q), 0}, {ReadOne(q), 1}};

	fk_.FailEventqIo(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT,
		     "iommufd_fault_queue_respond_batch: writing 2 responses to fault queue 3 "
		     "failed: Bad address; they are still owed",
		     iommufd_fault_queue_respond_batch(q, r, 2));
	EXPECT_EQ(2u, iommufd_fault_queue_owed(q));
	EXPECT_EQ(2, iommufd_fault_queue_respond_batch(q, r, 2));
	iommufd_fault_queue_close(q);
}

// Closing answers what is owed (the kernel, when it destroys the queue).
TEST_P(FaultQueue, CloseWithGroupsOwed)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t id = iommufd_fault_queue_id(q);
	const int fd = iommufd_fault_queue_fd(q);

	ReadOne(q);
	ReadOne(q);
	Raise(q, 3); // not even read
	EXPECT_EQ(0, iommufd_fault_queue_close(q)) << iommufd_ctx_last_error(ctx_);
	EXPECT_FALSE(fk_.IsOpen(fd));
	EXPECT_EQ(0u, fk_.ictx().objects.count(id));
	EXPECT_EQ(3u, fk_.eventq_counters().auto_invalid);
}

// A HWPT holds the queue: the handle goes, the ID stays until destroyed.
TEST_P(FaultQueue, CloseWhileAHwptHoldsIt)
{
	iommufd_fault_queue *q = NewQueue();
	const uint32_t id = iommufd_fault_queue_id(q);
	const int fd = iommufd_fault_queue_fd(q);
	const uint32_t hwpt = Nested(Paging(IOMMUFD_HWPT_NEST_PARENT), 1, id);

	ReadOne(q);
	EXPECT_FAILS(ctx_, EBUSY,
		     "iommufd_fault_queue_close: a HWPT still names fault queue 3, so the kernel "
		     "keeps it (and its 1 unanswered groups) until iommufd_destroy(3) succeeds "
		     "after that HWPT is destroyed",
		     iommufd_fault_queue_close(q));
	EXPECT_FALSE(fk_.IsOpen(fd)) << "the fd is closed all the same";
	EXPECT_EQ(1u, fk_.ictx().objects.count(id));
	EXPECT_EQ(0u, fk_.eventq_counters().auto_invalid);
	EXPECT_EQ(0, iommufd_destroy(ctx_, hwpt));
	EXPECT_EQ(0, iommufd_destroy(ctx_, id)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(1u, fk_.eventq_counters().auto_invalid);
}

INSTANTIATE_FOR_PROFILES(FaultQueue, ProfilesSince(Kver(6, 11)));

class FaultQueueTooOld : public FaultQueueTest {};

TEST_P(FaultQueueTooOld, NeedsLinux6_11)
{
	iommufd_fault_queue *q = nullptr;
	const std::vector<int> fds = fk_.OpenFds();

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_FAULT_QUEUE_ALLOC needs Linux 6.11 or newer (this kernel does not "
		     "know it)",
		     iommufd_fault_queue_alloc(ctx_, nullptr, &q));
	EXPECT_EQ(nullptr, q);
	EXPECT_EQ(fds, fk_.OpenFds());
}

INSTANTIATE_FOR_PROFILES(FaultQueueTooOld, ProfilesBefore(Kver(6, 11)));

} // namespace
