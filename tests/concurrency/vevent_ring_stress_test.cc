// SPDX-License-Identifier: LGPL-2.1-or-later
// The vEVENT ring under producer/consumer stress (Linux 6.15+: the mock's
// TRIGGER_VEVENT): a producer thread makes the mock device report events,
// the library's pump thread moves them through a ring of 4, a consumer
// thread takes them.  Events the vEVENTQ dropped while the ring was full
// arrive as counted losses: delivered + lost = triggered, sequence numbers
// strictly increasing.  Losses are counted from the gap before the next
// delivered event, so one last event is raised once the kernel queue is
// empty: it is delivered and closes the count.
#include <atomic>
#include <cstdio>
#include <thread>

#include <libiommufd/ring.h>

#include "stress.h"
#include "veventq_kernel.h"

namespace {

constexpr uint32_t kEvents = 3000;
constexpr uint32_t kCap = 4;
constexpr uint32_t kDepth = 64;

} // namespace

class VeventRingStressTest : public VeventqKernelTest {
protected:
	void TearDown() override
	{
		if (ring_) {
			EXPECT_GE(iommufd_vevent_ring_free(ring_), 0);
		}
		ring_ = nullptr;
		VeventqKernelTest::TearDown();
	}

	iommufd_ring_stats Stats() const
	{
		iommufd_ring_stats s = {};

		s.sz = sizeof(s);
		if (iommufd_vevent_ring_stats(ring_, &s))
			fails_.Add("ring stats failed");
		return s;
	}

	iommufd_vevent_ring *ring_ = nullptr;
	mutable Failures fails_;
};

TEST_F(VeventRingStressTest, ProducerPumpThreadConsumer)
{
	iommufd_veventq *q = NewQueue(kDepth);
	ASSERT_NE(nullptr, q);
	const iommufd_ring_opts o = RingOpts(kCap, IOMMUFD_RING_THREAD);
	ASSERT_OK(iommufd_vevent_ring_new(q, &o, &ring_));

	std::atomic<uint32_t> raised{0};
	std::thread producer([&] {
		for (uint32_t i = 0; i < kEvents; i++) {
			const int rc = iommufd_test_trigger_vevent(ctx_, dev_.dev_id);
			if (rc)
				fails_.Add("trigger " + std::to_string(i) + ": " + std::to_string(rc));
			raised++;
		}
	});
	EXPECT_TRUE(WaitFor([&] { return Stats().pushed == kCap; }));

	uint64_t delivered = 0, lost = 0, records = 0;
	std::thread consumer([&] {
		const int efd = iommufd_vevent_ring_eventfd(ring_);
		iommufd_vevent e[3];
		int64_t last_seq = -1;
		while (delivered + lost < kEvents + 1) {
			const ssize_t n = iommufd_vevent_ring_take(ring_, e, 3);
			if (n < 0) {
				fails_.Add("take: " + std::to_string(n));
				return;
			}
			if (n == 0 && !Readable(efd, 30000)) {
				fails_.Add("nothing came for 30 s after " + std::to_string(delivered) +
					   " events and " + std::to_string(lost) + " lost");
				return;
			}
			for (ssize_t i = 0; i < n; i++) {
				records++;
				lost += e[i].lost;
				if (e[i].flags & IOMMUFD_VEVENT_LOST)
					continue;
				delivered++;
				if (VirtId(e[i]) != kVirtId)
					fails_.Add("an event of virt_id " + std::to_string(VirtId(e[i])));
				if (static_cast<int64_t>(e[i].sequence) <= last_seq)
					fails_.Add("sequence " + std::to_string(e[i].sequence) +
						   " after " + std::to_string(last_seq));
				last_seq = e[i].sequence;
			}
		}
	});
	producer.join();
	EXPECT_TRUE(WaitFor([&] { return !Readable(iommufd_veventq_fd(q), 0); }))
		<< "the pump never emptied the kernel queue";
	EXPECT_OK(iommufd_test_trigger_vevent(ctx_, dev_.dev_id)); // the closing event
	consumer.join();

	EXPECT_EQ("", fails_.Report());
	EXPECT_EQ(kEvents, raised.load());
	EXPECT_EQ(kEvents + 1, delivered + lost);
	EXPECT_EQ(lost, iommufd_veventq_lost(q));
	const iommufd_ring_stats s = Stats();
	EXPECT_EQ(records, s.pushed);
	EXPECT_EQ(records, s.taken);
	EXPECT_GT(s.full, 0u) << "the ring never filled: no back-pressure was tested";
	printf("[ stress   ] %u+1 vEVENTs through a queue of %u and a ring of %u: delivered %llu, "
	       "lost %llu (counted), full-stalls %llu\n",
	       kEvents, kDepth, kCap, static_cast<unsigned long long>(delivered),
	       static_cast<unsigned long long>(lost), static_cast<unsigned long long>(s.full));
}
