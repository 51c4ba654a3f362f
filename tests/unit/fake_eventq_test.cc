// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's event-queue fds against the kernel's eventq.c, through
// the raw seam: what the library's readers are tested against.
#include <poll.h>

#include <climits>
#include <cstring>
#include <vector>

#include "hwpt_test_support.h"

namespace {

using fake::PageRequest;

constexpr size_t kRec = sizeof(uapi_hwpt_pgfault);

struct RawFault {
	uint32_t id;
	int fd;
};

class FakeEventq : public HwptTest {
protected:
	RawFault Fault()
	{
		uapi_fault_alloc c = {};
		EXPECT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_FAULT_QUEUE_ALLOC, &c));
		return {c.out_fault_id, static_cast<int>(c.out_fault_fd)};
	}

	RawFault Veventq(uint32_t depth)
	{
		const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
		uapi_viommu_alloc v = {};
		v.type = UAPI_VIOMMU_TYPE_SELFTEST;
		v.dev_id = dev_;
		v.hwpt_id = parent;
		EXPECT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_VIOMMU_ALLOC, &v)) << iommufd_ctx_last_error(ctx_);
		uapi_veventq_alloc c = {};
		c.viommu_id = v.out_viommu_id;
		c.type = UAPI_VEVENTQ_TYPE_SELFTEST;
		c.veventq_depth = depth;
		EXPECT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_VEVENTQ_ALLOC, &c)) << iommufd_ctx_last_error(ctx_);
		viommu_ = v.out_viommu_id;
		return {c.out_veventq_id, static_cast<int>(c.out_veventq_fd)};
	}

	static bool Readable(int fd)
	{
		pollfd p = {fd, POLLIN, 0};
		return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
	}

	static std::vector<PageRequest> Group(size_t n)
	{
		std::vector<PageRequest> g(n);
		for (size_t i = 0; i < n; i++)
			g[i].addr = 0x1000 * (i + 1);
		return g;
	}

	uint32_t viommu_ = 0;
};

TEST_P(FakeEventq, FaultReadWholeGroups)
{
	const RawFault q = Fault();
	uapi_hwpt_pgfault rec[4] = {};

	EXPECT_FALSE(Readable(q.fd));
	EXPECT_EQ(0, ifd_sys_read(q.fd, rec, sizeof(rec))) << "empty: 0, never blocks";
	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(3)));
	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(2)));
	EXPECT_TRUE(Readable(q.fd));
	EXPECT_EQ(-ESPIPE, ifd_sys_read(q.fd, rec, kRec + 1));
	EXPECT_EQ(-EINVAL, ifd_sys_read(q.fd, rec, 2 * kRec)) << "the first group does not fit";
	EXPECT_EQ(-EINVAL, ifd_sys_read(q.fd, rec, 0));
	EXPECT_EQ(ssize_t(3 * kRec), ifd_sys_read(q.fd, rec, sizeof(rec))) << "whole groups only";
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(1u, rec[i].cookie);
	EXPECT_EQ(0u, rec[1].flags);
	EXPECT_EQ(UAPI_PGFAULT_FLAGS_LAST_PAGE, rec[2].flags);
	EXPECT_EQ(ssize_t(2 * kRec), ifd_sys_read(q.fd, rec, sizeof(rec)));
	EXPECT_EQ(2u, rec[0].cookie);
	EXPECT_FALSE(Readable(q.fd));
	EXPECT_EQ(2u, fk_.eventq_counters().outstanding);
}

TEST_P(FakeEventq, FaultWrite)
{
	const RawFault q = Fault();
	uapi_hwpt_pgfault rec[2];

	for (int i = 0; i < 2; i++)
		ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(1)));
	ASSERT_EQ(ssize_t(2 * kRec), ifd_sys_read(q.fd, rec, sizeof(rec)));
	const uapi_hwpt_page_response bad_code[] = {{1, 2}};
	const uapi_hwpt_page_response partial[] = {{1, 0}, {9, 0}, {2, 1}};
	EXPECT_EQ(-ESPIPE, ifd_sys_write(q.fd, partial, 7));
	EXPECT_EQ(-EINVAL, ifd_sys_write(q.fd, bad_code, sizeof(bad_code)));
	EXPECT_EQ(8, ifd_sys_write(q.fd, partial, sizeof(partial))) << "stops at cookie 9";
	EXPECT_EQ(-EINVAL, ifd_sys_write(q.fd, partial, 8)) << "cookie 1 answered already";
	EXPECT_EQ(8, ifd_sys_write(q.fd, &partial[2], 8));
	const fake::EventqCounters c = fk_.eventq_counters();
	EXPECT_EQ(1u, c.responses[UAPI_PAGE_RESP_SUCCESS]);
	EXPECT_EQ(1u, c.responses[UAPI_PAGE_RESP_INVALID]);
	EXPECT_EQ(3u, c.refused);
	EXPECT_EQ(0u, c.outstanding);
	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(1)));
	ASSERT_EQ(ssize_t(kRec), ifd_sys_read(q.fd, rec, sizeof(rec)));
	EXPECT_EQ(1u, rec[0].cookie) << "cookies are reused, lowest first";
}

// The fd holds the queue, and so does a HWPT naming it; destroying it
// answers every group INVALID.
TEST_P(FakeEventq, FaultLifetime)
{
	const RawFault q = Fault();
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t hwpt = Nested(parent, 1, q.id);
	uapi_hwpt_pgfault rec;

	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(1)));
	ASSERT_EQ(ssize_t(kRec), ifd_sys_read(q.fd, &rec, sizeof(rec)));
	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(1)));
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, q.id));
	EXPECT_EQ(0, ifd_sys_close(q.fd));
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, q.id)) << "the HWPT holds it";
	EXPECT_EQ(0, iommufd_destroy(ctx_, hwpt));
	EXPECT_EQ(0u, fk_.eventq_counters().auto_invalid);
	EXPECT_EQ(0, iommufd_destroy(ctx_, q.id));
	EXPECT_EQ(2u, fk_.eventq_counters().auto_invalid);
}

TEST_P(FakeEventq, AutoRespondAndInjection)
{
	const RawFault q = Fault();
	uapi_hwpt_pgfault rec;
	const uapi_hwpt_page_response r = {1, 0};

	ASSERT_TRUE(fk_.RaiseFaultGroup(q.id, Group(1)));
	fk_.FailEventqIo(1, EFAULT);
	EXPECT_EQ(-EFAULT, ifd_sys_read(q.fd, &rec, sizeof(rec)));
	ASSERT_EQ(ssize_t(kRec), ifd_sys_read(q.fd, &rec, sizeof(rec))) << "nothing lost";
	EXPECT_TRUE(fk_.AutoRespond(q.id));
	EXPECT_EQ(-EINVAL, ifd_sys_write(q.fd, &r, sizeof(r))) << "answered by the kernel";
	EXPECT_EQ(1u, fk_.eventq_counters().auto_invalid);
	EXPECT_FALSE(fk_.RaiseFaultGroup(99, Group(1)));
}

INSTANTIATE_FOR_PROFILES(FakeEventq, ProfilesSince(fake::Kver(6, 11)));

class FakeVeventq : public FakeEventq {};

// Header {flags, sequence} + 4 bytes of the selftest's virt_id.
struct Ev {
	uint32_t flags, sequence, virt_id;
};

std::vector<Ev> Parse(const unsigned char *p, ssize_t n)
{
	std::vector<Ev> out;

	for (ssize_t off = 0; off < n;) {
		Ev e = {};
		std::memcpy(&e, p + off, 8);
		off += 8;
		if (!(e.flags & UAPI_VEVENTQ_FLAG_LOST_EVENTS)) {
			std::memcpy(&e.virt_id, p + off, 4);
			off += 4;
		}
		out.push_back(e);
	}
	return out;
}

std::vector<uint8_t> Data(uint32_t v)
{
	std::vector<uint8_t> d(4);
	std::memcpy(d.data(), &v, 4);
	return d;
}

TEST_P(FakeVeventq, ReadAndLost)
{
	const RawFault q = Veventq(2);
	unsigned char buf[256];

	EXPECT_EQ(-EINVAL, ifd_sys_read(q.fd, buf, 7));
	EXPECT_EQ(0, ifd_sys_read(q.fd, buf, sizeof(buf)));
	for (uint32_t i = 0; i < 4; i++)
		ASSERT_TRUE(fk_.ReportVevent(q.id, Data(i)));
	EXPECT_TRUE(Readable(q.fd));
	EXPECT_EQ(-EINVAL, ifd_sys_read(q.fd, buf, 11)) << "the first event does not fit";
	EXPECT_EQ(12, ifd_sys_read(q.fd, buf, 23));
	std::vector<Ev> ev = Parse(buf, 12);
	EXPECT_EQ(0u, ev[0].sequence);
	const ssize_t n = ifd_sys_read(q.fd, buf, sizeof(buf));
	ASSERT_EQ(20, n) << "event 1, then the LOST header of 3";
	ev = Parse(buf, n);
	EXPECT_EQ(1u, ev[0].sequence);
	EXPECT_EQ(UAPI_VEVENTQ_FLAG_LOST_EVENTS, ev[1].flags);
	EXPECT_EQ(3u, ev[1].sequence);
	EXPECT_FALSE(Readable(q.fd));
	EXPECT_EQ(-EINVAL, ifd_sys_write(q.fd, buf, 8)) << "no write op";
	EXPECT_EQ(2u, fk_.eventq_counters().vevents_lost);
}

// A queued event removes the LOST header that was last: only the gap tells.
TEST_P(FakeVeventq, LostHeaderRemoved)
{
	const RawFault q = Veventq(1);
	unsigned char buf[256];

	ASSERT_TRUE(fk_.ReportVevent(q.id, Data(0)));
	ASSERT_TRUE(fk_.ReportVevent(q.id, Data(1)));                // dropped: full
	ASSERT_EQ(12, ifd_sys_read(q.fd, buf, 12));                   // event 0
	ASSERT_TRUE(fk_.ReportVevent(q.id, Data(2)));                // header removed
	ASSERT_TRUE(fk_.ReportVevent(q.id, Data(3), /*no_memory=*/true)); // header again
	const ssize_t n = ifd_sys_read(q.fd, buf, sizeof(buf));
	ASSERT_EQ(20, n);
	const std::vector<Ev> ev = Parse(buf, n);
	EXPECT_EQ(2u, ev[0].sequence);
	EXPECT_EQ(2u, ev[0].virt_id);
	EXPECT_EQ(UAPI_VEVENTQ_FLAG_LOST_EVENTS, ev[1].flags);
	EXPECT_EQ(3u, ev[1].sequence);
}

TEST_P(FakeVeventq, OnePerTypeAndFdHoldsIt)
{
	const RawFault q = Veventq(4);
	uapi_veventq_alloc c = {};

	c.viommu_id = viommu_;
	c.type = UAPI_VEVENTQ_TYPE_SELFTEST;
	c.veventq_depth = 1;
	EXPECT_EQ(-EEXIST, ifd_cmd(ctx_, UAPI_CMD_VEVENTQ_ALLOC, &c));
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, q.id));
	EXPECT_EQ(0, ifd_sys_close(q.fd));
	EXPECT_EQ(0, iommufd_destroy(ctx_, q.id));
}

INSTANTIATE_FOR_PROFILES(FakeVeventq, ProfilesSince(fake::Kver(6, 15)));

} // namespace
