// SPDX-License-Identifier: LGPL-2.1-or-later
// The fault ring under producer/consumer stress on the real kernel: two
// producer threads raise page requests (TRIGGER_IOPF) on the mock device,
// the pump (the library's thread, or a caller thread polling the pump fd)
// moves them through a ring of 8, a consumer thread takes them in batches
// and hands the cookies to a responder thread, which answers in batches
// (fault.h: responses may come from any thread, also while another reads).
// Every page request must come out exactly once and be answered once.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <thread>

#include "fault_kernel.h"
#include "stress.h"

namespace {

constexpr uint32_t kProducers = 2;
constexpr uint32_t kPerProducer = 3000;
constexpr uint32_t kTotal = kProducers * kPerProducer;
constexpr uint32_t kCap = 8;
constexpr size_t kTakeBatch = 16;
constexpr size_t kAnswerBatch = 24;

// Producer @p's @i-th page request asks for this address.
constexpr uint64_t Addr(uint32_t p, uint32_t i)
{
	return (static_cast<uint64_t>(p + 1) << 36) + i * 4096ull;
}

} // namespace

class FaultRingStressTest : public FaultKernelTest {
protected:
	void TearDown() override
	{
		if (ring_) {
			EXPECT_GE(iommufd_fault_ring_free(ring_), 0) << iommufd_ctx_last_error(ctx_);
		}
		ring_ = nullptr;
		FaultKernelTest::TearDown();
	}

	iommufd_ring_stats Stats() const
	{
		iommufd_ring_stats s = {};

		s.sz = sizeof(s);
		if (iommufd_fault_ring_stats(ring_, &s))
			fails_.Add("ring stats failed");
		return s;
	}

	void StartProducers()
	{
		for (uint32_t p = 0; p < kProducers; p++)
			producers_.emplace_back([this, p] {
				for (uint32_t i = 0; i < kPerProducer; i++) {
					const int rc = iommufd_test_trigger_iopf(
						ctx_, dev_.dev_id, 0, (p << 15) | (i & 0x7fff), kPermRW,
						Addr(p, i));
					if (rc)
						fails_.Add("trigger " + std::to_string(i) + ": " +
							   std::to_string(rc));
					raised_++;
				}
			});
	}

	// Takes from the ring until kTotal came (or nothing came for 30 s),
	// noting each address and passing the cookies to the responder.
	void Consume()
	{
		const int efd = iommufd_fault_ring_eventfd(ring_);
		std::vector<iommufd_fault> f(kTakeBatch);

		while (taken_ < kTotal) {
			const ssize_t n = iommufd_fault_ring_take(ring_, f.data(), f.size());
			if (n < 0) {
				fails_.Add("take: " + std::to_string(n) + " " +
					   iommufd_ctx_last_error(ctx_));
				break;
			}
			if (n == 0) {
				if (!Readable(efd, 30000)) {
					fails_.Add("nothing came for 30 s after " +
						   std::to_string(taken_) + " records");
					break;
				}
				continue;
			}
			std::vector<uint32_t> cookies;
			size_t pos = 0;
			iommufd_fault_group g = {};
			while (iommufd_fault_next_group(f.data(), static_cast<size_t>(n), &pos, &g) == 1)
				cookies.push_back(g.cookie);
			if (pos != static_cast<size_t>(n))
				fails_.Add("the ring handed over half a group");
			for (ssize_t i = 0; i < n; i++)
				seen_.push_back(f[i].addr);
			taken_ += static_cast<uint32_t>(n);
			std::lock_guard<std::mutex> l(lock_);
			cookies_.insert(cookies_.end(), cookies.begin(), cookies.end());
			ready_.notify_one();
		}
		std::lock_guard<std::mutex> l(lock_);
		consumer_done_ = true;
		ready_.notify_one();
	}

	// Answers what the consumer took, in batches, until it is done.
	void Respond()
	{
		std::unique_lock<std::mutex> l(lock_);

		for (;;) {
			ready_.wait(l, [&] { return consumer_done_ || !cookies_.empty(); });
			if (cookies_.empty())
				return;
			std::vector<iommufd_fault_response> r;
			while (!cookies_.empty() && r.size() < kAnswerBatch) {
				r.push_back({cookies_.front(), kRespOk});
				cookies_.pop_front();
			}
			l.unlock();
			const ssize_t n = iommufd_fault_queue_respond_batch(queue_, r.data(), r.size());
			if (n != static_cast<ssize_t>(r.size()))
				fails_.Add("respond_batch: " + std::to_string(n) + " " +
					   iommufd_ctx_last_error(ctx_));
			answered_ += r.size();
			l.lock();
		}
	}

	// Every address once, counts equal, nothing owed or waiting.
	void Verify(const char *mode)
	{
		EXPECT_EQ("", fails_.Report());
		EXPECT_EQ(kTotal, raised_.load());
		ASSERT_EQ(kTotal, taken_);
		ASSERT_EQ(kTotal, seen_.size());
		std::vector<bool> hit(kTotal);
		for (uint64_t a : seen_) {
			const uint32_t p = static_cast<uint32_t>(a >> 36) - 1;
			const uint64_t i = (a - Addr(p, 0)) / 4096;
			ASSERT_LT(p, kProducers);
			ASSERT_LT(i, kPerProducer);
			EXPECT_FALSE(hit[p * kPerProducer + i]) << "page request " << a << " came twice";
			hit[p * kPerProducer + i] = true;
		}
		const iommufd_ring_stats s = Stats();
		EXPECT_EQ(kTotal, s.pushed);
		EXPECT_EQ(kTotal, s.taken);
		EXPECT_EQ(kCap, s.capacity);
		EXPECT_GT(s.full, 0u) << "the ring never filled: no back-pressure was tested";
		EXPECT_EQ(kTotal, answered_);
		EXPECT_EQ(0u, Owed());
		EXPECT_FALSE(Readable(iommufd_fault_queue_fd(queue_), 0));
		printf("[ stress   ] %s: %u page requests from %u threads through a ring of %u: "
		       "taken %llu, full-stalls %llu, pump reads %llu, consumer wake-ups %llu, "
		       "every cookie answered once\n",
		       mode, kTotal, kProducers, s.capacity,
		       static_cast<unsigned long long>(s.taken),
		       static_cast<unsigned long long>(s.full),
		       static_cast<unsigned long long>(s.pump_reads),
		       static_cast<unsigned long long>(s.signals));
	}

	void Join()
	{
		for (std::thread &t : producers_)
			t.join();
		producers_.clear();
	}

	iommufd_fault_ring *ring_ = nullptr;
	mutable Failures fails_;
	std::vector<std::thread> producers_;
	std::atomic<uint32_t> raised_{0};
	uint32_t taken_ = 0; // the consumer's, read after it joined
	std::vector<uint64_t> seen_;
	size_t answered_ = 0; // the responder's, read after it joined
	std::mutex lock_;
	std::condition_variable ready_;
	std::deque<uint32_t> cookies_;
	bool consumer_done_ = false;
};

// The library's pump thread (IOMMUFD_RING_THREAD).
TEST_F(FaultRingStressTest, LibraryPumpThread)
{
	const iommufd_ring_opts o = RingOpts(kCap, IOMMUFD_RING_THREAD);

	ASSERT_OK(iommufd_fault_ring_new(queue_, &o, &ring_));
	StartProducers();
	// Let the ring fill before anyone takes: back-pressure for sure.
	EXPECT_TRUE(WaitFor([&] { return Stats().pushed == kCap && raised_ > 4 * kCap; }));
	std::thread responder([this] { Respond(); });
	std::thread consumer([this] { Consume(); });
	consumer.join();
	responder.join();
	Join();
	Verify("library pump");
}

// The caller's pump: a thread of the test polls the pump fd and pumps
// while the consumer takes on another.
TEST_F(FaultRingStressTest, CallerPumpThread)
{
	const iommufd_ring_opts o = RingOpts(kCap, 0);
	std::atomic<bool> stop{false};

	ASSERT_OK(iommufd_fault_ring_new(queue_, &o, &ring_));
	StartProducers();
	std::thread pump([&] {
		pollfd p = {iommufd_fault_ring_pump_fd(ring_), POLLIN, 0};
		while (!stop) {
			if (poll(&p, 1, 100) <= 0)
				continue;
			const ssize_t n = iommufd_fault_ring_pump(ring_);
			if (n < 0) {
				fails_.Add("pump: " + std::to_string(n) + " " +
					   iommufd_ctx_last_error(ctx_));
				return;
			}
		}
	});
	EXPECT_TRUE(WaitFor([&] { return Stats().pushed == kCap && raised_ > 4 * kCap; }));
	std::thread responder([this] { Respond(); });
	std::thread consumer([this] { Consume(); });
	consumer.join();
	stop = true;
	pump.join();
	responder.join();
	Join();
	Verify("caller pump");
}
