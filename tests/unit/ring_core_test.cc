// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The SPSC ring under the fault and vEVENT rings (src/ring_core.c): its
// geometry, full and empty, the wrap of the slot array and of the 32-bit
// indexes, and two threads pushing millions of records through a small
// ring with every record checked in order.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "ring_core.h"

namespace {

struct Ring {
	explicit Ring(size_t slot, uint32_t cap) { EXPECT_EQ(0, ifd_ring_new(slot, cap, &r)); }
	~Ring() { ifd_ring_free(r); }
	ifd_ring *r = nullptr;
};

// A record of @size bytes whose every byte says which record it is.
std::vector<unsigned char> Rec(size_t size, uint32_t seq)
{
	std::vector<unsigned char> v(size);
	for (size_t i = 0; i < size; i++)
		v[i] = static_cast<unsigned char>(seq * 31 + i);
	return v;
}

TEST(RingCore, RoundsCapacityUpToAPowerOfTwo)
{
	EXPECT_EQ(1u, ifd_ring_round(0));
	EXPECT_EQ(1u, ifd_ring_round(1));
	EXPECT_EQ(2u, ifd_ring_round(2));
	EXPECT_EQ(4u, ifd_ring_round(3));
	EXPECT_EQ(8u, ifd_ring_round(5));
	EXPECT_EQ(256u, ifd_ring_round(256));
	EXPECT_EQ(512u, ifd_ring_round(257));
	EXPECT_EQ(IFD_RING_MAX_CAPACITY, ifd_ring_round(IFD_RING_MAX_CAPACITY));
	EXPECT_EQ(IFD_RING_MAX_CAPACITY, ifd_ring_round(IFD_RING_MAX_CAPACITY / 2 + 1));
	EXPECT_EQ(0u, ifd_ring_round(IFD_RING_MAX_CAPACITY + 1));
	EXPECT_EQ(0u, ifd_ring_round(UINT32_MAX));

	Ring r(40, 5);
	EXPECT_EQ(8u, ifd_ring_capacity(r.r));
	EXPECT_EQ(8u, ifd_ring_room(r.r));
	EXPECT_EQ(0u, ifd_ring_ready(r.r));
}

TEST(RingCore, RefusesBadGeometry)
{
	ifd_ring *r = reinterpret_cast<ifd_ring *>(1);

	EXPECT_EQ(-EINVAL, ifd_ring_new(0, 8, &r));
	EXPECT_EQ(nullptr, r);
	EXPECT_EQ(-EINVAL, ifd_ring_new(40, 0, &r));
	EXPECT_EQ(-EINVAL, ifd_ring_new(40, IFD_RING_MAX_CAPACITY + 1, &r));
	EXPECT_EQ(-EINVAL, ifd_ring_new(SIZE_MAX / 2, IFD_RING_MAX_CAPACITY, &r));
	ifd_ring_free(nullptr);
}

TEST(RingCore, FullAndEmpty)
{
	Ring r(40, 4);
	std::vector<unsigned char> in(6 * 40), out(6 * 40);

	for (uint32_t i = 0; i < 6; i++)
		memcpy(&in[i * 40], Rec(40, i).data(), 40);
	EXPECT_EQ(0u, ifd_ring_push(r.r, in.data(), 0));
	EXPECT_EQ(4u, ifd_ring_push(r.r, in.data(), 6)) << "only what fits";
	EXPECT_EQ(0u, ifd_ring_room(r.r));
	EXPECT_EQ(0u, ifd_ring_push(r.r, in.data(), 1)) << "full";
	EXPECT_EQ(4u, ifd_ring_ready(r.r));
	ifd_ring_peek(r.r, out.data(), 4);
	EXPECT_EQ(0, memcmp(in.data(), out.data(), 4 * 40));
	EXPECT_EQ(4u, ifd_ring_ready(r.r)) << "peek takes nothing";
	EXPECT_EQ(0, memcmp(ifd_ring_slot(r.r, 3), &in[3 * 40], 40));
	ifd_ring_pop(r.r, 4);
	EXPECT_EQ(0u, ifd_ring_ready(r.r));
	EXPECT_EQ(4u, ifd_ring_room(r.r));
}

// Records cross the end of the slot array; slot sizes that are not
// multiples of anything.
class RingWrap : public ::testing::TestWithParam<size_t> {};

TEST_P(RingWrap, KeepsOrderAcrossTheEnd)
{
	const size_t size = GetParam();
	Ring r(size, 8);
	uint32_t next_in = 0, next_out = 0;

	// Batches of 3 pushed, 2 then 1 taken: the batches start at every
	// offset of the array, many times round.
	for (int round = 0; round < 100; round++) {
		std::vector<unsigned char> batch;
		for (uint32_t i = 0; i < 3; i++) {
			auto rec = Rec(size, next_in + i);
			batch.insert(batch.end(), rec.begin(), rec.end());
		}
		ASSERT_EQ(3u, ifd_ring_push(r.r, batch.data(), 3));
		next_in += 3;
		for (uint32_t take : {2u, 1u}) {
			std::vector<unsigned char> out(take * size);
			ASSERT_GE(ifd_ring_ready(r.r), take);
			ifd_ring_peek(r.r, out.data(), take);
			for (uint32_t i = 0; i < take; i++) {
				ASSERT_EQ(Rec(size, next_out + i),
					  std::vector<unsigned char>(out.begin() + i * size,
								     out.begin() + (i + 1) * size))
					<< "record " << next_out + i;
				ASSERT_EQ(0, memcmp(ifd_ring_slot(r.r, i), &out[i * size], size));
			}
			ifd_ring_pop(r.r, take);
			next_out += take;
		}
	}
	EXPECT_EQ(0u, ifd_ring_ready(r.r));
}

INSTANTIATE_TEST_SUITE_P(SlotSize, RingWrap, ::testing::Values(1, 3, 40, 64 + 16, 4096 + 7));

// The indexes are 32-bit, run freely and start 1000 short of their wrap:
// a ring that moved a few thousand records has crossed it, and every
// capacity still counts its fill right on both sides of it.
TEST(RingCore, IndexesWrapPast32Bits)
{
	for (uint32_t cap : {1u, 2u, 8u, 1024u}) {
		Ring r(4, cap);
		uint32_t in = 0, out = 0;

		while (out < 5000) {
			uint32_t room = ifd_ring_room(r.r);
			ASSERT_EQ(cap - (in - out), room);
			std::vector<uint32_t> batch(room + 1);
			for (uint32_t i = 0; i <= room; i++)
				batch[i] = in + i;
			ASSERT_EQ(room, ifd_ring_push(r.r, batch.data(), room + 1));
			in += room;
			ASSERT_EQ(in - out, ifd_ring_ready(r.r));
			uint32_t n = (in - out + 1) / 2, got[1024];
			ifd_ring_peek(r.r, got, n);
			for (uint32_t i = 0; i < n; i++)
				ASSERT_EQ(out + i, got[i]) << "capacity " << cap;
			ifd_ring_pop(r.r, n);
			out += n;
		}
	}
}

// Two threads, a small ring, millions of records of the fault's size:
// every record comes out once, in order, intact.
TEST(RingCore, TwoThreadsKeepEveryRecordInOrder)
{
	constexpr uint64_t kRecords = 4'000'000;
	struct Rec40 {
		uint64_t seq;
		uint64_t pad[3];
		uint64_t check;
	};
	static_assert(sizeof(Rec40) == 40);
	Ring r(sizeof(Rec40), 16);
	uint64_t bad = 0, out = 0;

	std::thread producer([&] {
		Rec40 batch[7];
		uint64_t seq = 0;
		while (seq < kRecords) {
			uint32_t n = 1 + seq % 7;
			if (n > kRecords - seq)
				n = static_cast<uint32_t>(kRecords - seq);
			for (uint32_t i = 0; i < n; i++)
				batch[i] = {seq + i, {1, 2, 3}, ~(seq + i)};
			uint32_t done = ifd_ring_push(r.r, batch, n);
			if (!done)
				std::this_thread::yield();
			seq += done;
		}
	});
	Rec40 got[5];
	while (out < kRecords) {
		uint32_t n = ifd_ring_ready(r.r);
		if (!n) {
			std::this_thread::yield();
			continue;
		}
		if (n > 5)
			n = 5;
		ifd_ring_peek(r.r, got, n);
		ifd_ring_pop(r.r, n);
		for (uint32_t i = 0; i < n; i++)
			bad += got[i].seq != out + i || got[i].check != ~(out + i);
		out += n;
	}
	producer.join();
	EXPECT_EQ(0u, bad);
	EXPECT_EQ(kRecords, out);
	EXPECT_EQ(0u, ifd_ring_ready(r.r));
}

} // namespace
