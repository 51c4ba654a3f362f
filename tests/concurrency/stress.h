// SPDX-License-Identifier: LGPL-2.1-or-later
// Helpers of the concurrency stress (tests/concurrency): worker threads
// collect their failures as text, the test's own thread reports them, so no
// gtest assertion runs off the main thread.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <libiommufd/ring.h>

// Failures seen by worker threads, reported by the main thread at the end.
class Failures {
public:
	void Add(std::string what)
	{
		std::lock_guard<std::mutex> g(lock_);
		if (list_.size() < 20)
			list_.push_back(std::move(what));
		count_++;
	}
	// "" when none, else the first ones and how many there were.
	std::string Report() const
	{
		std::lock_guard<std::mutex> g(lock_);
		std::string s;
		for (const std::string &f : list_)
			s += f + "\n";
		if (count_ > list_.size())
			s += "... " + std::to_string(count_ - list_.size()) + " more\n";
		return s;
	}

private:
	mutable std::mutex lock_;
	std::vector<std::string> list_;
	size_t count_ = 0;
};

inline iommufd_ring_opts RingOpts(uint32_t capacity, uint32_t flags)
{
	iommufd_ring_opts o = {};

	o.sz = sizeof(o);
	o.capacity = capacity;
	o.flags = flags;
	return o;
}

// Waits up to 30 s (TSan under TCG is slow) for @pred; false on timeout.
template <typename Pred> bool WaitFor(Pred pred)
{
	const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);

	while (!pred()) {
		if (std::chrono::steady_clock::now() > end)
			return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	return true;
}
