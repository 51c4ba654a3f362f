// SPDX-License-Identifier: LGPL-2.1-or-later
// vEVENTQs against the fake kernel: alloc per release with every errno,
// reading events with their sequence gaps and LOST_EVENTS records, the
// running count of lost events, truncation and garbled bytes.
#include "eventq_test_support.h"

namespace {

using fake::Kver;

class Veventq : public VeventqTest {};

TEST_P(Veventq, AllocAndClose)
{
	iommufd_veventq *q = NewQueue(8);
	const uint32_t id = iommufd_veventq_id(q);
	const int fd = iommufd_veventq_fd(q);

	EXPECT_EQ(fake::ObjType::kVeventq, fk_.ictx().objects.at(id).type);
	EXPECT_TRUE(fk_.IsOpen(fd));
	EXPECT_FALSE(Readable(q));
	EXPECT_EQ(0u, iommufd_veventq_lost(q));
	EXPECT_EQ(0, iommufd_veventq_close(q)) << iommufd_ctx_last_error(ctx_);
	EXPECT_FALSE(fk_.IsOpen(fd));
	EXPECT_EQ(0u, fk_.ictx().objects.count(id));
}

TEST_P(Veventq, AllocArguments)
{
	const uint32_t viommu = Viommu();
	iommufd_veventq *q = nullptr;
	const iommufd_veventq_opts flagged = {sizeof(flagged), 2, 0};
	const iommufd_veventq_opts huge = {sizeof(huge), 0, 1u << 20};
	iommufd_veventq_opts zero = {};
	const uint32_t st = IOMMUFD_VEVENTQ_TYPE_SELFTEST;

	fk_.ResetCounters();
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_veventq_alloc: the context is NULL",
			iommufd_veventq_alloc(nullptr, viommu, st, 1, nullptr, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_veventq_alloc: queue is NULL",
			iommufd_veventq_alloc(ctx_, viommu, st, 1, nullptr, nullptr));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_veventq_alloc: unknown flags 0x2 (known: 0x0)",
			iommufd_veventq_alloc(ctx_, viommu, st, 1, &flagged, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_veventq_alloc: options sz is 0",
			iommufd_veventq_alloc(ctx_, viommu, st, 1, &zero, &q));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP,
			"iommufd_veventq_alloc: type DEFAULT (0) is refused by every kernel",
			iommufd_veventq_alloc(ctx_, viommu, 0, 1, nullptr, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_veventq_alloc: depth is 0 (the kernel takes 1 .. "
			"524288)",
			iommufd_veventq_alloc(ctx_, viommu, st, 0, nullptr, &q));
	EXPECT_REJECTED(ctx_, EINVAL,
			"iommufd_veventq_alloc: this libiommufd does not know the events of type "
			"0x77: set opts data_len to their size",
			iommufd_veventq_alloc(ctx_, viommu, 0x77, 1, nullptr, &q));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_veventq_alloc: data_len 1048576 is more than",
			iommufd_veventq_alloc(ctx_, viommu, st, 1, &huge, &q));
	EXPECT_EQ(nullptr, q);
}

TEST_P(Veventq, AllocRefused)
{
	const uint32_t viommu = Viommu();
	const uint32_t st = IOMMUFD_VEVENTQ_TYPE_SELFTEST;
	iommufd_veventq *q = nullptr;

	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_VEVENTQ_ALLOC: no vIOMMU 99",
		     iommufd_veventq_alloc(ctx_, 99, st, 1, nullptr, &q));
	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_VEVENTQ_ALLOC: depth 524289 is out of range (1 .. 524288 on current "
		     "kernels)",
		     iommufd_veventq_alloc(ctx_, viommu, st, (1u << 19) + 1, nullptr, &q));
	ASSERT_EQ(0, iommufd_veventq_alloc(ctx_, viommu, st, 1, nullptr, &q));
	iommufd_veventq *again = nullptr;
	EXPECT_FAILS(ctx_, EEXIST,
		     "IOMMU_VEVENTQ_ALLOC: vIOMMU 4 has a vEVENTQ of type 0xbeefbeef already",
		     iommufd_veventq_alloc(ctx_, viommu, st, 1, nullptr, &again));
	EXPECT_EQ(nullptr, again);
	const std::vector<int> fds = fk_.OpenFds();
	fk_.FailIoctl(1, EMFILE);
	EXPECT_FAILS(ctx_, EMFILE, "IOMMU_VEVENTQ_ALLOC on vIOMMU 4 failed: Too many open files",
		     iommufd_veventq_alloc(ctx_, viommu, IOMMUFD_VEVENTQ_TYPE_ARM_SMMUV3, 1,
					   nullptr, &again));
	EXPECT_EQ(fds, fk_.OpenFds());
	iommufd_veventq_close(q);
}

TEST_P(Veventq, ReadArguments)
{
	iommufd_veventq *q = NewQueue(2);
	iommufd_vevent ev;

	Report(q, 1);
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_veventq_read: events is NULL",
		     iommufd_veventq_read(q, nullptr, 1));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_veventq_read: max is 0",
		     iommufd_veventq_read(q, &ev, 0));
	EXPECT_EQ(-EINVAL, iommufd_veventq_read(nullptr, &ev, 1));
	EXPECT_TRUE(HasSentence(nullptr, "iommufd_veventq_read: the queue is NULL"));
	EXPECT_EQ(0u, fk_.eventq_counters().reads);
	EXPECT_EQ(0, iommufd_veventq_close(nullptr));
	EXPECT_EQ(0u, iommufd_veventq_id(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_veventq_fd(nullptr));
	EXPECT_EQ(0u, iommufd_veventq_lost(nullptr));
	iommufd_veventq_close(q);
}

TEST_P(Veventq, ReadInOrder)
{
	iommufd_veventq *q = NewQueue(8);

	EXPECT_TRUE(Read(q, 4).empty()) << "none waiting: 0";
	for (uint32_t v = 10; v < 13; v++)
		Report(q, v);
	EXPECT_TRUE(Readable(q));
	const std::vector<iommufd_vevent> ev = Read(q, 8);
	ASSERT_EQ(3u, ev.size());
	for (uint32_t i = 0; i < 3; i++) {
		EXPECT_EQ(i, ev[i].sequence);
		EXPECT_EQ(0u, ev[i].flags);
		EXPECT_EQ(0u, ev[i].lost);
		EXPECT_EQ(4u, ev[i].data_len);
		EXPECT_EQ(10 + i, VirtId(ev[i]));
	}
	EXPECT_FALSE(Readable(q));
	EXPECT_EQ(2u, fk_.eventq_counters().reads) << "the empty one, then one for all";
	iommufd_veventq_close(q);
}

// A read asks for max events' worth: the rest stays in the kernel.
TEST_P(Veventq, ReadTakesNoMoreThanMax)
{
	iommufd_veventq *q = NewQueue(8);

	for (uint32_t v = 0; v < 3; v++)
		Report(q, v);
	std::vector<iommufd_vevent> ev = Read(q, 1);
	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(0u, ev[0].sequence);
	EXPECT_TRUE(Readable(q));
	EXPECT_EQ(2u, fk_.eventq_counters().waiting);
	ev = Read(q, 2);
	ASSERT_EQ(2u, ev.size());
	EXPECT_EQ(2u, ev[1].sequence);
	iommufd_veventq_close(q);
}

// Dropped when full: the LOST record counts them, and so does the total.
TEST_P(Veventq, LostRecord)
{
	iommufd_veventq *q = NewQueue(2);

	for (uint32_t v = 0; v < 5; v++)
		Report(q, v);
	const std::vector<iommufd_vevent> ev = Read(q, 8);
	ASSERT_EQ(3u, ev.size());
	EXPECT_EQ(0u, ev[1].lost);
	EXPECT_EQ(uint32_t(IOMMUFD_VEVENT_LOST), ev[2].flags);
	EXPECT_EQ(3u, ev[2].lost);
	EXPECT_EQ(4u, ev[2].sequence);
	EXPECT_EQ(0u, ev[2].data_len);
	EXPECT_EQ(3u, iommufd_veventq_lost(q));
	EXPECT_EQ(3u, fk_.eventq_counters().vevents_lost);
	Report(q, 9);
	ASSERT_EQ(1u, Read(q, 8).size());
	EXPECT_EQ(3u, iommufd_veventq_lost(q)) << "no gap after the LOST record";
	iommufd_veventq_close(q);
}

// An event queued after a drop removes the kernel's LOST header: the gap
// in the numbers is all that tells.
TEST_P(Veventq, GapWithoutLostRecord)
{
	iommufd_veventq *q = NewQueue(1);

	Report(q, 0);
	Report(q, 1); // dropped: full
	Report(q, 2); // dropped
	ASSERT_EQ(1u, Read(q, 1).size()) << "event 0; the LOST header waits";
	Report(q, 3); // queued: the LOST header goes
	const std::vector<iommufd_vevent> ev = Read(q, 4);
	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(3u, ev[0].sequence);
	EXPECT_EQ(0u, ev[0].flags);
	EXPECT_EQ(2u, ev[0].lost);
	EXPECT_EQ(3u, VirtId(ev[0]));
	EXPECT_EQ(2u, iommufd_veventq_lost(q));
	iommufd_veventq_close(q);
}

// Memory short in the kernel: the event is dropped the same way.
TEST_P(Veventq, LostForMemory)
{
	iommufd_veventq *q = NewQueue(8);

	ASSERT_TRUE(fk_.ReportVevent(iommufd_veventq_id(q), {1, 0, 0, 0}, /*no_memory=*/true));
	const std::vector<iommufd_vevent> ev = Read(q, 1);
	ASSERT_EQ(1u, ev.size()) << "a LOST record fits where an event would";
	EXPECT_EQ(uint32_t(IOMMUFD_VEVENT_LOST), ev[0].flags);
	EXPECT_EQ(1u, ev[0].lost);
	iommufd_veventq_close(q);
}

// A type this library does not know, its size given; data past
// IOMMUFD_VEVENT_DATA_MAX is cut and flagged.
TEST_P(Veventq, TruncatedData)
{
	const uint32_t len = IOMMUFD_VEVENT_DATA_MAX + 8;
	const iommufd_veventq_opts o = {sizeof(o), 0, len};
	iommufd_veventq *q = NewQueue(4, 0x77, &o);

	Report(q, 0x42, len);
	Report(q, 0x43, len);
	const std::vector<iommufd_vevent> ev = Read(q, 4);
	ASSERT_EQ(2u, ev.size());
	EXPECT_EQ(uint32_t(IOMMUFD_VEVENT_TRUNCATED), ev[1].flags);
	EXPECT_EQ(len, ev[1].data_len);
	EXPECT_EQ(0x43u, VirtId(ev[1]));
	EXPECT_EQ(0x4343434343434343ull, ev[1].data[IOMMUFD_VEVENT_DATA_MAX / 8 - 1]);
	iommufd_veventq_close(q);
}

TEST_P(Veventq, SmmuEvents)
{
	iommufd_veventq *q = NewQueue(4, IOMMUFD_VEVENTQ_TYPE_ARM_SMMUV3);

	Report(q, 7, sizeof(iommufd_vevent_arm_smmuv3));
	const std::vector<iommufd_vevent> ev = Read(q, 4);
	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(32u, ev[0].data_len);
	iommufd_vevent_arm_smmuv3 evt;
	std::memcpy(&evt, ev[0].data, sizeof(evt));
	EXPECT_EQ(7u, evt.evt[0] & 0xffffffff);
	iommufd_veventq_close(q);
}

// Kernel bytes that do not parse: that read is dropped, the next is fine.
TEST_P(Veventq, GarbledRead)
{
	iommufd_veventq *q = NewQueue(4);

	Report(q, 1);
	Report(q, 2);
	fk_.after_eventq_read = [](void *buf, ssize_t &) {
		static_cast<uint32_t *>(buf)[3] = 0x4; // the second header's flags
	};
	EXPECT_FAILS(ctx_, EPROTO,
		     "iommufd_veventq_read: vEVENTQ 5 returned bytes that do not parse (the "
		     "header at byte 12 has unknown flags 0x4); the 24 bytes of that read are "
		     "dropped",
		     iommufd_veventq_read(q, std::vector<iommufd_vevent>(4).data(), 4));
	fk_.after_eventq_read = [](void *, ssize_t &n) { n -= 2; };
	Report(q, 3);
	EXPECT_FAILS(ctx_, EPROTO, "(the event at byte 0 is cut short: 2 of its 4 data bytes)",
		     iommufd_veventq_read(q, std::vector<iommufd_vevent>(4).data(), 4));
	fk_.after_eventq_read = nullptr;
	Report(q, 4);
	const std::vector<iommufd_vevent> ev = Read(q, 4);
	ASSERT_EQ(1u, ev.size());
	EXPECT_EQ(3u, ev[0].sequence);
	EXPECT_EQ(3u, ev[0].lost) << "the events of the dropped reads count as lost";
	iommufd_veventq_close(q);
}

// An event longer than its type's struct: the kernel will not split it.
TEST_P(Veventq, EventLongerThanItsType)
{
	iommufd_veventq *q = NewQueue(4);

	Report(q, 1, 8);
	iommufd_vevent ev;
	EXPECT_FAILS(ctx_, EPROTO,
		     "iommufd_veventq_read: the first event waiting on vEVENTQ 5 has more than "
		     "the 4 bytes of data its type 0xbeefbeef carries",
		     iommufd_veventq_read(q, &ev, 1));
	iommufd_veventq_close(q);
}

TEST_P(Veventq, ReadFails)
{
	iommufd_veventq *q = NewQueue(4);
	iommufd_vevent ev;

	Report(q, 1);
	fk_.FailEventqIo(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "iommufd_veventq_read: reading vEVENTQ 5 failed: ",
		     iommufd_veventq_read(q, &ev, 1));
	EXPECT_EQ(1u, Read(q, 1).size()) << "still queued";
	iommufd_veventq_close(q);
}

TEST_P(Veventq, CloseFails)
{
	iommufd_veventq *q = NewQueue(4);
	const int fd = iommufd_veventq_fd(q);

	fk_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "IOMMU_DESTROY failed", iommufd_veventq_close(q));
	EXPECT_FALSE(fk_.IsOpen(fd)) << "the handle is freed all the same";
}

INSTANTIATE_FOR_PROFILES(Veventq, ProfilesSince(Kver(6, 15)));

class VeventqTooOld : public VeventqTest {};

TEST_P(VeventqTooOld, NeedsLinux6_15)
{
	iommufd_veventq *q = nullptr;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_VEVENTQ_ALLOC needs Linux 6.15 or newer (this kernel does not know it)",
		     iommufd_veventq_alloc(ctx_, 1, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 1, nullptr, &q));
	EXPECT_EQ(nullptr, q);
}

INSTANTIATE_FOR_PROFILES(VeventqTooOld, ProfilesBefore(Kver(6, 15)));

} // namespace
