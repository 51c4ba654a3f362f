// SPDX-License-Identifier: LGPL-2.1-or-later
// One queue, three threads: the "device" raises page requests, a reader
// waits on the fd (a real poll()) and reads them, a responder answers them
// in batches while the reader goes on.  Every group is answered once.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "eventq_test_support.h"

namespace {

using fake::Kver;

constexpr unsigned kGroups = 3000;
constexpr int kPollMs = 2000;

class FaultQueueThreads : public FaultQueueTest {
protected:
	// Cookies handed from the reader to the responder.
	std::mutex lock_;
	std::condition_variable ready_;
	std::deque<uint32_t> cookies_;
	bool reader_done_ = false;
};

TEST_P(FaultQueueThreads, ReaderAndResponder)
{
	iommufd_fault_queue *q = NewQueue();
	unsigned read_groups = 0, answered = 0;

	std::thread device([&] {
		for (unsigned i = 0; i < kGroups; i++)
			Raise(q, 1 + i % 3);
	});
	std::thread reader([&] {
		std::vector<iommufd_fault> f(16);
		while (read_groups < kGroups) {
			pollfd p = {iommufd_fault_queue_fd(q), POLLIN, 0};
			if (poll(&p, 1, kPollMs) != 1) {
				ADD_FAILURE() << "no page request for " << kPollMs << " ms";
				break;
			}
			const ssize_t n = iommufd_fault_queue_read(q, f.data(), f.size());
			ASSERT_LE(0, n) << iommufd_ctx_last_error(ctx_);
			std::lock_guard<std::mutex> g(lock_);
			for (const iommufd_fault_group &grp : Groups(f.data(), size_t(n))) {
				cookies_.push_back(grp.cookie);
				read_groups++;
			}
			ready_.notify_one();
		}
		std::lock_guard<std::mutex> g(lock_);
		reader_done_ = true;
		ready_.notify_one();
	});
	std::thread responder([&] {
		std::vector<iommufd_fault_response> r;
		for (;;) {
			{
				std::unique_lock<std::mutex> g(lock_);
				ready_.wait(g, [&] { return !cookies_.empty() || reader_done_; });
				if (cookies_.empty())
					break;
				r.clear();
				for (uint32_t c : cookies_)
					r.push_back({c, IOMMUFD_FAULT_RESP_SUCCESS});
				cookies_.clear();
			}
			const ssize_t n = iommufd_fault_queue_respond_batch(q, r.data(), r.size());
			ASSERT_EQ(ssize_t(r.size()), n) << iommufd_ctx_last_error(ctx_);
			answered += unsigned(n);
		}
	});
	device.join();
	reader.join();
	responder.join();

	EXPECT_EQ(kGroups, read_groups);
	EXPECT_EQ(kGroups, answered);
	EXPECT_EQ(0u, iommufd_fault_queue_owed(q));
	const fake::EventqCounters c = fk_.eventq_counters();
	EXPECT_EQ(kGroups, c.responses[IOMMUFD_FAULT_RESP_SUCCESS]);
	EXPECT_EQ(0u, c.refused);
	EXPECT_EQ(0u, c.outstanding);
	EXPECT_EQ(0u, c.waiting);
	EXPECT_EQ(0, iommufd_fault_queue_close(q));
}

INSTANTIATE_FOR_PROFILES(FaultQueueThreads, ProfilesSince(Kver(7, 2)));

} // namespace
