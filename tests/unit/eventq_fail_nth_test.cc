// SPDX-License-Identifier: LGPL-2.1-or-later
// Injected failures over the event queues: for every N, failing the Nth
// ioctl, read or write gives a negative errno with a sentence, leaks no fd
// or object, and loses no page request or event -- the step, retried,
// goes through.  (A failed close frees the handle and leaves the ID to
// iommufd_destroy().)
#include <vector>

#include "eventq_test_support.h"

namespace {

using fake::Kver;

// For N = 1, 2... until nothing is left to fail: run @life (a queue's
// alloc to close: its rc, and *id once allocated) with the Nth ioctl
// failing, and check the failure and that nothing leaks.  Returns the N
// that failed nothing.
template <class Life> unsigned SweepIoctls(fake::FakeKernel &fk, iommufd_ctx *ctx, Life life)
{
	const std::vector<int> fds = fk.OpenFds();
	const size_t objects = fk.object_count();
	unsigned n;

	for (n = 1; n < 10; n++) {
		uint32_t id = 0;

		fk.ResetCounters();
		fk.FailIoctl(n, ENOMEM);
		const int rc = life(&id);
		const bool injected = fk.ioctls() >= n;
		fk.FailIoctl(0, 0);
		if (rc) {
			EXPECT_EQ(-ENOMEM, rc) << "N=" << n;
			EXPECT_TRUE(HasSentence(ctx, "failed")) << "N=" << n;
		}
		if (id && rc) { // a failed close leaves the ID to iommufd_destroy()
			EXPECT_EQ(0, iommufd_destroy(ctx, id)) << "N=" << n;
		}
		EXPECT_EQ(fds, fk.OpenFds()) << "N=" << n;
		EXPECT_EQ(objects, fk.object_count()) << "N=" << n;
		if (!injected)
			break;
	}
	return n;
}

class FaultFailNth : public FaultQueueTest {};

TEST_P(FaultFailNth, Ioctls)
{
	const unsigned n = SweepIoctls(fk_, ctx_, [&](uint32_t *id) {
		iommufd_fault_queue *q = nullptr;
		const int rc = iommufd_fault_queue_alloc(ctx_, nullptr, &q);
		if (rc)
			return rc;
		*id = iommufd_fault_queue_id(q);
		ReadOne(q);
		return iommufd_fault_queue_close(q);
	});
	EXPECT_EQ(3u, n) << "alloc, destroy, then nothing left to fail";
}

// Read everything and answer it, each step retried after a failure: the
// kernel still gets every response, once.
TEST_P(FaultFailNth, ReadsAndWrites)
{
	unsigned n;

	for (n = 1; n < 20; n++) {
		iommufd_fault_queue *q = NewQueue();
		std::vector<iommufd_fault> f(8);
		std::vector<iommufd_fault_response> r;
		const fake::EventqCounters before = fk_.eventq_counters();
		unsigned failures = 0;

		for (size_t size : {1, 2, 3})
			Raise(q, size);
		fk_.FailEventqIo(n, EIO);
		while (r.size() < 3) {
			const ssize_t got = iommufd_fault_queue_read(q, f.data(), 4);
			if (got < 0) {
				EXPECT_EQ(-EIO, got) << "N=" << n;
				EXPECT_TRUE(HasSentence(ctx_, "reading fault queue")) << "N=" << n;
				failures++;
				continue;
			}
			ASSERT_GT(got, 0) << "N=" << n << ": a group went missing";
			for (const iommufd_fault_group &g : Groups(f.data(), size_t(got)))
				r.push_back({g.cookie, IOMMUFD_FAULT_RESP_SUCCESS});
		}
		EXPECT_EQ(3u, iommufd_fault_queue_owed(q));
		ssize_t rc;
		while ((rc = iommufd_fault_queue_respond_batch(q, r.data(), r.size())) < 0) {
			EXPECT_EQ(-EIO, rc) << "N=" << n;
			EXPECT_EQ(3u, iommufd_fault_queue_owed(q)) << "N=" << n;
			failures++;
		}
		EXPECT_EQ(3, rc) << "N=" << n;
		const fake::EventqCounters after = fk_.eventq_counters();
		EXPECT_EQ(before.responses[0] + 3, after.responses[0]) << "N=" << n;
		EXPECT_EQ(0u, after.outstanding) << "N=" << n;
		EXPECT_EQ(0u, iommufd_fault_queue_owed(q)) << "N=" << n;
		fk_.FailEventqIo(0, 0);
		EXPECT_EQ(0, iommufd_fault_queue_close(q));
		if (!failures)
			break;
	}
	EXPECT_EQ(4u, n) << "two reads and a write, then nothing left to fail";
}

INSTANTIATE_FOR_PROFILES(FaultFailNth, ProfilesSince(Kver(6, 11)));

class VeventqFailNth : public VeventqTest {};

TEST_P(VeventqFailNth, Ioctls)
{
	const uint32_t viommu = Viommu();
	const unsigned n = SweepIoctls(fk_, ctx_, [&](uint32_t *id) {
		iommufd_veventq *q = nullptr;
		const int rc = iommufd_veventq_alloc(ctx_, viommu, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 2,
						     nullptr, &q);
		if (rc)
			return rc;
		*id = iommufd_veventq_id(q);
		Report(q, 1);
		EXPECT_EQ(1u, Read(q, 2).size());
		return iommufd_veventq_close(q);
	});
	EXPECT_EQ(3u, n) << "alloc, destroy, then nothing left to fail";
}

// A failed read loses no event and counts none lost.
TEST_P(VeventqFailNth, Reads)
{
	unsigned n;

	for (n = 1; n < 20; n++) {
		iommufd_veventq *q = NewQueue(8);
		std::vector<iommufd_vevent> ev(2);
		std::vector<uint32_t> seen;
		unsigned failures = 0;

		for (uint32_t v = 0; v < 5; v++)
			Report(q, v);
		fk_.FailEventqIo(n, EFAULT);
		for (;;) {
			const ssize_t got = iommufd_veventq_read(q, ev.data(), ev.size());
			if (got < 0) {
				EXPECT_EQ(-EFAULT, got) << "N=" << n;
				failures++;
				continue;
			}
			if (!got)
				break;
			for (ssize_t i = 0; i < got; i++) {
				EXPECT_EQ(0u, ev[size_t(i)].lost) << "N=" << n;
				seen.push_back(VirtId(ev[size_t(i)]));
			}
		}
		EXPECT_EQ((std::vector<uint32_t>{0, 1, 2, 3, 4}), seen) << "N=" << n;
		EXPECT_EQ(0u, iommufd_veventq_lost(q));
		fk_.FailEventqIo(0, 0);
		iommufd_veventq_close(q);
		if (!failures)
			break;
	}
	EXPECT_EQ(5u, n) << "three reads of events, the empty one, then nothing left to fail";
}

INSTANTIATE_FOR_PROFILES(VeventqFailNth, ProfilesSince(Kver(6, 15)));

} // namespace
