// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_fault_next_group(): the pure walk over fault records, on
// well-formed arrays and on every way records can break the group rule.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include <libiommufd/libiommufd.h>

namespace {

constexpr uint32_t kLast = IOMMUFD_FAULT_LAST_PAGE;

iommufd_fault Rec(uint32_t cookie, uint32_t flags = 0, uint64_t addr = 0)
{
	iommufd_fault f = {};
	f.cookie = cookie;
	f.flags = flags;
	f.addr = addr;
	return f;
}

// The groups of @f as (first index, count, cookie), or the error.
struct Walk {
	std::vector<iommufd_fault_group> groups;
	int rc = 0;
	size_t pos = 0;
};

Walk WalkAll(const std::vector<iommufd_fault> &f)
{
	Walk w;
	iommufd_fault_group g;

	while ((w.rc = iommufd_fault_next_group(f.data(), f.size(), &w.pos, &g)) == 1)
		w.groups.push_back(g);
	return w;
}

bool Said(const std::string &what)
{
	return std::string(iommufd_ctx_last_error(nullptr)).find(what) != std::string::npos;
}

TEST(FaultGroup, OneRecordGroups)
{
	const std::vector<iommufd_fault> f = {Rec(1, kLast),
					      Rec(2, kLast | IOMMUFD_FAULT_PASID_VALID)};
	const Walk w = WalkAll(f);

	EXPECT_EQ(0, w.rc);
	ASSERT_EQ(2u, w.groups.size());
	EXPECT_EQ(&f[0], w.groups[0].faults);
	EXPECT_EQ(1u, w.groups[0].count);
	EXPECT_EQ(1u, w.groups[0].cookie);
	EXPECT_EQ(&f[1], w.groups[1].faults);
	EXPECT_EQ(2u, w.groups[1].cookie);
	EXPECT_EQ(2u, w.pos);
}

TEST(FaultGroup, ManyRecordGroups)
{
	std::vector<iommufd_fault> f;
	for (uint64_t i = 0; i < 5; i++)
		f.push_back(Rec(7, i == 4 ? kLast : 0, i << 12));
	f.push_back(Rec(3, kLast));
	f.push_back(Rec(9, 0));
	f.push_back(Rec(9, kLast));
	const Walk w = WalkAll(f);

	EXPECT_EQ(0, w.rc);
	ASSERT_EQ(3u, w.groups.size());
	EXPECT_EQ(5u, w.groups[0].count);
	EXPECT_EQ(7u, w.groups[0].cookie);
	EXPECT_EQ(1u, w.groups[1].count);
	EXPECT_EQ(&f[6], w.groups[2].faults);
	EXPECT_EQ(2u, w.groups[2].count);
}

TEST(FaultGroup, EmptyAndEnd)
{
	iommufd_fault f = Rec(1, kLast);
	iommufd_fault_group g;
	size_t pos = 0;

	EXPECT_EQ(0, iommufd_fault_next_group(&f, 0, &pos, &g));
	pos = 1;
	EXPECT_EQ(0, iommufd_fault_next_group(&f, 1, &pos, &g));
	EXPECT_EQ(1u, pos);
}

TEST(FaultGroup, CookieChangesBeforeLastPage)
{
	const Walk w = WalkAll({Rec(1, kLast), Rec(4, 0), Rec(5, kLast)});

	EXPECT_EQ(-EPROTO, w.rc);
	EXPECT_EQ(1u, w.groups.size()) << "the good group before is found";
	EXPECT_EQ(1u, w.pos) << "pos stays on the broken group";
	EXPECT_TRUE(Said("iommufd_fault_next_group: record 2 has cookie 5 inside the group of "
			 "cookie 4 that began at record 1 (no LAST_PAGE before it)"));
}

TEST(FaultGroup, LastPageWithAnotherCookie)
{
	EXPECT_EQ(-EPROTO, WalkAll({Rec(4, 0), Rec(5, kLast)}).rc);
	EXPECT_TRUE(Said("record 1 has cookie 5 inside the group of cookie 4"));
}

TEST(FaultGroup, NoLastPage)
{
	EXPECT_EQ(-EPROTO, WalkAll({Rec(2, 0), Rec(2, 0)}).rc);
	EXPECT_TRUE(Said("the group of cookie 2 that began at record 0 lacks its LAST_PAGE record"));
}

TEST(FaultGroup, CookieZero)
{
	EXPECT_EQ(-EPROTO, WalkAll({Rec(0, kLast)}).rc);
	EXPECT_TRUE(Said("record 0 has cookie 0, which the kernel never gives"));
}

TEST(FaultGroup, BadArguments)
{
	iommufd_fault f = Rec(1, kLast);
	iommufd_fault_group g;
	size_t pos = 0;

	EXPECT_EQ(-EINVAL, iommufd_fault_next_group(nullptr, 1, &pos, &g));
	EXPECT_TRUE(Said("iommufd_fault_next_group: faults is NULL"));
	EXPECT_EQ(-EINVAL, iommufd_fault_next_group(&f, 1, nullptr, &g));
	EXPECT_TRUE(Said("pos is NULL"));
	EXPECT_EQ(-EINVAL, iommufd_fault_next_group(&f, 1, &pos, nullptr));
	EXPECT_TRUE(Said("group is NULL"));
	pos = 2;
	EXPECT_EQ(-EINVAL, iommufd_fault_next_group(&f, 1, &pos, &g));
	EXPECT_TRUE(Said("pos 2 is past count 1"));
}

} // namespace
