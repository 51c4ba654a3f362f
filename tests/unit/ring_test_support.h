// SPDX-License-Identifier: LGPL-2.1-or-later
// What the ring tests share: waiting on an fd, and the stats and take
// calls of either ring type as one helper each.
#pragma once

#include <poll.h>

#include <vector>

#include <gtest/gtest.h>

#include <libiommufd/libiommufd.h>

// @fd is readable within @timeout_ms.
inline bool FdReadable(int fd, int timeout_ms = 0)
{
	pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, timeout_ms) == 1;
}

// A ring's stats, through iommufd_fault_ring_stats or
// iommufd_vevent_ring_stats; asserts success.
template <typename Ring>
iommufd_ring_stats RingStats(int (*stats)(const Ring *, iommufd_ring_stats *), const Ring *ring)
{
	iommufd_ring_stats s = {};
	s.sz = sizeof(s);
	EXPECT_EQ(0, stats(ring, &s));
	return s;
}

// Up to @max records taken, through iommufd_fault_ring_take or
// iommufd_vevent_ring_take; asserts no failure.
template <typename Ring, typename Rec>
std::vector<Rec> RingTake(ssize_t (*take)(Ring *, Rec *, size_t), Ring *ring, size_t max,
			  const iommufd_ctx *ctx)
{
	std::vector<Rec> recs(max);
	const ssize_t n = take(ring, recs.data(), max);
	EXPECT_LE(0, n) << iommufd_ctx_last_error(ctx);
	recs.resize(n > 0 ? size_t(n) : 0);
	return recs;
}
