// SPDX-License-Identifier: LGPL-2.1-or-later
// The vEVENT parser on hand-made kernel bytes: sequence gaps, the
// LOST_EVENTS header, the wrap at INT_MAX, truncation and garbage.
#include <gtest/gtest.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "vevent_private.h"

namespace {

class VeventParse : public ::testing::Test {
protected:
	// A normal event: header and @data_len bytes of @fill.
	void Event(uint32_t seq, uint32_t data_len, uint8_t fill = 0xab, uint32_t flags = 0)
	{
		Header(flags, seq);
		bytes_.insert(bytes_.end(), data_len, fill);
	}
	void Lost(uint32_t seq) { Header(1, seq); }
	void Header(uint32_t flags, uint32_t seq)
	{
		const uint32_t h[2] = {flags, seq};
		const auto *p = reinterpret_cast<const uint8_t *>(h);
		bytes_.insert(bytes_.end(), p, p + sizeof(h));
	}

	// Parse everything; the events, and the last return code in rc_.
	std::vector<iommufd_vevent> ParseAll()
	{
		std::vector<iommufd_vevent> out;
		iommufd_vevent ev;

		while ((rc_ = ifd_vevent_parse(&p_, bytes_.data(), bytes_.size(), &pos_, &ev,
					       why_)) == 1)
			out.push_back(ev);
		return out;
	}

	ifd_vevent_parser p_ = {0, 4};
	std::vector<uint8_t> bytes_;
	size_t pos_ = 0;
	int rc_ = 0;
	char why_[IFD_VEVENT_WHY_LEN] = "";
};

TEST_F(VeventParse, InOrder)
{
	Event(0, 4, 1);
	Event(1, 4, 2);
	const auto ev = ParseAll();

	EXPECT_EQ(0, rc_);
	ASSERT_EQ(2u, ev.size());
	EXPECT_EQ(0u, ev[0].flags);
	EXPECT_EQ(0u, ev[0].sequence);
	EXPECT_EQ(0u, ev[0].lost);
	EXPECT_EQ(4u, ev[0].data_len);
	EXPECT_EQ(0x01010101u, static_cast<uint32_t>(ev[0].data[0]));
	EXPECT_EQ(0u, ev[0].data[1]) << "the rest is zeroed";
	EXPECT_EQ(1u, ev[1].sequence);
	EXPECT_EQ(2u, p_.expected);
	EXPECT_EQ(bytes_.size(), pos_);
}

// A queued event removed the LOST header: only the gap tells.
TEST_F(VeventParse, GapCountsLost)
{
	Event(0, 4);
	Event(5, 4);
	const auto ev = ParseAll();

	ASSERT_EQ(2u, ev.size());
	EXPECT_EQ(4u, ev[1].lost);
	EXPECT_EQ(0u, ev[1].flags);
}

// LOST L: every number from the expected one to L was dropped.
TEST_F(VeventParse, LostRecord)
{
	Event(0, 4);
	Event(1, 4);
	Lost(4);
	Event(5, 4);
	const auto ev = ParseAll();

	EXPECT_EQ(0, rc_);
	ASSERT_EQ(4u, ev.size());
	EXPECT_EQ(uint32_t(IOMMUFD_VEVENT_LOST), ev[2].flags);
	EXPECT_EQ(3u, ev[2].lost) << "2, 3 and 4";
	EXPECT_EQ(0u, ev[2].data_len);
	EXPECT_EQ(4u, ev[2].sequence);
	EXPECT_EQ(0u, ev[3].lost);
}

TEST_F(VeventParse, LostFirst)
{
	Lost(0);
	const auto ev = ParseAll();

	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(1u, ev[0].lost) << "event 0 itself was dropped";
}

TEST_F(VeventParse, WrapAtIntMax)
{
	p_.expected = INT_MAX - 1;
	Event(INT_MAX - 1, 4);
	Event(INT_MAX, 4);
	Event(0, 4);
	Event(2, 4);
	Lost(1); // a lost header can never come back: the gap counts through the wrap
	const auto ev = ParseAll();

	ASSERT_EQ(5u, ev.size());
	EXPECT_EQ(0u, ev[1].lost);
	EXPECT_EQ(0u, ev[2].lost) << "0 follows INT_MAX";
	EXPECT_EQ(1u, ev[3].lost);
	EXPECT_EQ(uint32_t(INT_MAX), ev[4].lost) << "a full turn";
}

TEST_F(VeventParse, GapAcrossTheWrap)
{
	p_.expected = INT_MAX - 2;
	Event(3, 4);
	const auto ev = ParseAll();

	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(6u, ev[0].lost) << "INT_MAX-2 .. INT_MAX, 0 .. 2";
}

TEST_F(VeventParse, Truncated)
{
	p_.data_len = IOMMUFD_VEVENT_DATA_MAX + 8;
	Event(0, p_.data_len, 0x5a);
	const auto ev = ParseAll();

	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(uint32_t(IOMMUFD_VEVENT_TRUNCATED), ev[0].flags);
	EXPECT_EQ(IOMMUFD_VEVENT_DATA_MAX + 8u, ev[0].data_len);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aull, ev[0].data[IOMMUFD_VEVENT_DATA_MAX / 8 - 1]);
}

TEST_F(VeventParse, CutShort)
{
	Event(0, 4);
	Event(1, 4);
	bytes_.pop_back();
	const auto ev = ParseAll();

	EXPECT_EQ(-EPROTO, rc_);
	EXPECT_EQ(1u, ev.size());
	EXPECT_EQ(12u, pos_) << "nothing moves on failure";
	EXPECT_EQ(1u, p_.expected);
	EXPECT_STREQ("the event at byte 12 is cut short: 3 of its 4 data bytes", why_);
}

TEST_F(VeventParse, PartialHeader)
{
	Event(0, 4);
	bytes_.insert(bytes_.end(), 5, 0);
	ParseAll();
	EXPECT_EQ(-EPROTO, rc_);
	EXPECT_STREQ("5 bytes at byte 12 are less than a header", why_);
}

TEST_F(VeventParse, UnknownFlags)
{
	Event(0, 4, 0, 0x2);
	ParseAll();
	EXPECT_EQ(-EPROTO, rc_);
	EXPECT_STREQ("the header at byte 0 has unknown flags 0x2", why_);
}

TEST_F(VeventParse, SequencePast31Bits)
{
	Event(0x80000000u, 4);
	ParseAll();
	EXPECT_EQ(-EPROTO, rc_);
	EXPECT_STREQ("the header at byte 0 has sequence 0x80000000, past 31 bits", why_);
}

TEST_F(VeventParse, PosAtOrPastEnd)
{
	iommufd_vevent ev;

	Event(0, 4);
	pos_ = 99;
	EXPECT_EQ(0, ifd_vevent_parse(&p_, bytes_.data(), bytes_.size(), &pos_, &ev, why_));
	pos_ = 0;
	EXPECT_EQ(0, ifd_vevent_parse(&p_, nullptr, 0, &pos_, &ev, why_));
}

} // namespace
