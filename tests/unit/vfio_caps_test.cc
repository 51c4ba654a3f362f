// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The capability-chain walker on its own, over exactly-sized heap buffers
// (so ASan catches any read past them): well-formed chains, loops,
// overlaps, misaligned and out-of-bounds offsets, and every offset and
// length of a small buffer.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "vfio_caps.h"
}

namespace {

constexpr uint32_t kBase = 16; // a 16-byte info struct before the chain

struct Seen {
	std::vector<uint32_t> offsets;
	std::vector<uint16_t> ids;
	std::vector<size_t> lens;
	int fail_at = -1; // return -EIO on this capability
};

int Record(void *arg, const ifd_vfio_cap *cap, ifd_vfio_chain *)
{
	auto *s = static_cast<Seen *>(arg);
	if (static_cast<int>(s->offsets.size()) == s->fail_at)
		return -EIO;
	s->offsets.push_back(cap->offset);
	s->ids.push_back(cap->id);
	s->lens.push_back(cap->len);
	// Touch every byte the walker says the capability may use.
	volatile unsigned char sum = 0;
	for (size_t i = 0; i < cap->len; i++)
		sum = static_cast<unsigned char>(sum + cap->data[i]);
	(void)sum;
	return 0;
}

class Walker : public ::testing::Test {
protected:
	// A buffer of exactly @len bytes on the heap.
	void Make(size_t len)
	{
		len_ = len;
		buf_.reset(new unsigned char[len ? len : 1]());
	}
	void Hdr(uint32_t at, uint16_t id, uint32_t next)
	{
		uint16_t version = 1;
		std::memcpy(&buf_[at], &id, 2);
		std::memcpy(&buf_[at + 2], &version, 2);
		std::memcpy(&buf_[at + 4], &next, 4);
	}
	int Walk(uint32_t first)
	{
		chain_ = {};
		chain_.buf = buf_.get();
		chain_.len = len_;
		chain_.min_offset = kBase;
		chain_.first = first;
		const int fail_at = seen_.fail_at;
		seen_ = {};
		seen_.fail_at = fail_at;
		return ifd_vfio_caps_walk(&chain_, Record, &seen_);
	}
	std::string why() const { return chain_.why; }

	std::unique_ptr<unsigned char[]> buf_;
	size_t len_ = 0;
	ifd_vfio_chain chain_ = {};
	Seen seen_;
};

TEST_F(Walker, NoChain)
{
	Make(kBase);
	EXPECT_EQ(0, Walk(0));
	EXPECT_TRUE(seen_.offsets.empty());
	EXPECT_EQ("", why());
}

TEST_F(Walker, ThreeInOrderWithTheirExtents)
{
	Make(kBase + 8 + 24 + 16);
	Hdr(16, 1, 24);
	Hdr(24, 2, 48);
	Hdr(48, 3, 0);
	ASSERT_EQ(0, Walk(16)) << why();
	EXPECT_EQ(std::vector<uint32_t>({16, 24, 48}), seen_.offsets);
	EXPECT_EQ(std::vector<uint16_t>({1, 2, 3}), seen_.ids);
	EXPECT_EQ(std::vector<size_t>({8, 24, 16}), seen_.lens) << "up to the next, or the end";
}

TEST_F(Walker, TheCallbackStopsTheWalk)
{
	Make(40);
	Hdr(16, 1, 24);
	Hdr(24, 2, 0);
	seen_.fail_at = 1;
	EXPECT_EQ(-EIO, Walk(16));
	EXPECT_EQ(1u, seen_.offsets.size());
}

TEST_F(Walker, SelfLoop)
{
	Make(32);
	Hdr(16, 1, 16);
	EXPECT_EQ(-EPROTO, Walk(16));
	EXPECT_EQ("capability at offset 16 does not follow the previous one (loop or overlap)", why());
	EXPECT_TRUE(seen_.offsets.empty()) << "nothing is decoded from a bad link's owner";
}

TEST_F(Walker, LoopBack)
{
	Make(48);
	Hdr(16, 1, 24);
	Hdr(24, 2, 32);
	Hdr(32, 3, 16);
	EXPECT_EQ(-EPROTO, Walk(16));
	EXPECT_EQ("capability at offset 16 does not follow the previous one (loop or overlap)", why());
	EXPECT_EQ(2u, seen_.offsets.size());
}

TEST_F(Walker, OverlappingHeader)
{
	Make(48);
	Hdr(16, 1, 20); // inside its own header... and misaligned
	EXPECT_EQ(-EPROTO, Walk(16));
	Hdr(16, 1, 24);
	Hdr(24, 2, 24 + 0); // itself
	EXPECT_EQ(-EPROTO, Walk(16));
}

TEST_F(Walker, Misaligned)
{
	Make(64);
	EXPECT_EQ(-EPROTO, Walk(20));
	EXPECT_EQ("capability at offset 20 is not 8-byte aligned", why());
	Hdr(16, 1, 36);
	EXPECT_EQ(-EPROTO, Walk(16));
	EXPECT_EQ("capability at offset 36 is not 8-byte aligned", why());
}

TEST_F(Walker, InsideTheInfoStruct)
{
	Make(64);
	EXPECT_EQ(-EPROTO, Walk(8));
	EXPECT_EQ("capability at offset 8 lies inside the info struct", why());
}

TEST_F(Walker, PastTheEnd)
{
	Make(40);
	EXPECT_EQ(-EPROTO, Walk(40));
	EXPECT_EQ("capability at offset 40 runs past the end of the reply", why());
	Make(36); // a header would straddle the end
	EXPECT_EQ(-EPROTO, Walk(32));
	Make(32);
	Hdr(16, 1, 0xfffffff8);
	EXPECT_EQ(-EPROTO, Walk(16));
	EXPECT_EQ("capability at offset 4294967288 runs past the end of the reply", why());
}

TEST_F(Walker, NeedReportsTruncation)
{
	Make(32);
	Hdr(16, 7, 24);
	Hdr(24, 8, 0);
	ifd_vfio_chain c = {buf_.get(), len_, kBase, 16, {}};
	ifd_vfio_cap cap = {7, 1, 16, buf_.get() + 16, 8};
	EXPECT_EQ(0, ifd_vfio_cap_need(&cap, 8, &c));
	EXPECT_EQ(-EPROTO, ifd_vfio_cap_need(&cap, 9, &c));
	EXPECT_STREQ("capability 7 at offset 16 is truncated (8 bytes, needs 9)", c.why);
}

// Every first offset and every next value of the first capability in a
// small buffer: the walk ends (no hang) and never reads outside (ASan).
TEST_F(Walker, ExhaustiveSmallChains)
{
	for (size_t len = kBase; len <= 64; len += 4) {
		for (uint32_t first = 0; first <= 72; first++) {
			for (uint32_t next = 0; next <= 72; next += 4) {
				Make(len);
				if (first >= kBase && first + 8 <= len)
					Hdr(first, 1, next);
				const int rc = Walk(first);
				ASSERT_TRUE(rc == 0 || rc == -EPROTO) << len << " " << first << " " << next;
				ASSERT_LE(seen_.offsets.size(), len / 8);
			}
		}
	}
}

// Random bytes as a chain: the walk always terminates without reading
// outside, however the links point.
TEST_F(Walker, RandomChains)
{
	uint32_t x = 12345;
	for (int round = 0; round < 20000; round++) {
		const size_t len = kBase + (x % 200);
		Make(len);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245 + 12345;
			buf_[i] = static_cast<unsigned char>(x >> 16);
			if (i % 8 == 4 && (x >> 8) % 3) // links mostly plausible
				buf_[i] = static_cast<unsigned char>(kBase + (x >> 20) % 200);
			if (i % 8 >= 5 && (x >> 9) % 3)
				buf_[i] = 0;
		}
		const int rc = Walk(kBase);
		ASSERT_TRUE(rc == 0 || rc == -EPROTO);
	}
}

} // namespace
