// SPDX-License-Identifier: LGPL-2.1-or-later
// Page requests through a real fault queue: the mock device raises them
// (IOMMU_TEST_OP_TRIGGER_IOPF), the SDK reads them and answers, as the
// kernel's own iopf selftests do with raw read(2)/write(2).  Multi-record
// groups come from the iopf_group_shim module (see iopf_shim.h).
#include "fault_kernel.h"

#include <set>

namespace {

// The groups of @f, in order, as iommufd_fault_next_group() walks them.
std::vector<iommufd_fault_group> Groups(const std::vector<iommufd_fault> &f)
{
	std::vector<iommufd_fault_group> groups;
	size_t pos = 0;
	iommufd_fault_group g = {};
	int rc;

	while ((rc = iommufd_fault_next_group(f.data(), f.size(), &pos, &g)) == 1)
		groups.push_back(g);
	EXPECT_EQ(0, rc) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(f.size(), pos);
	return groups;
}

std::vector<iommufd_fault_response> Answers(const std::vector<iommufd_fault_group> &groups)
{
	std::vector<iommufd_fault_response> r;

	for (const iommufd_fault_group &g : groups)
		r.push_back({g.cookie, kRespOk});
	return r;
}

} // namespace

TEST_F(FaultKernelTest, SingleFaultReadAndAnswered)
{
	const int fd = iommufd_fault_queue_fd(queue_);

	ASSERT_GE(fd, 0);
	EXPECT_FALSE(Readable(fd, 0));
	Trigger(2, 0xdeadb000);
	ASSERT_TRUE(Readable(fd, 5000));

	const std::vector<iommufd_fault> f = Read();
	ASSERT_EQ(1u, f.size());
	EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE, f[0].flags);
	EXPECT_EQ(dev_.dev_id, f[0].dev_id);
	EXPECT_EQ(0u, f[0].pasid);
	EXPECT_EQ(2u, f[0].grpid);
	EXPECT_EQ(kPermRW, f[0].perm);
	EXPECT_EQ(0xdeadb000u, f[0].addr);
	EXPECT_EQ(0u, f[0].length);
	EXPECT_NE(0u, f[0].cookie); // the kernel's cookies start at 1
	EXPECT_EQ(1u, Owed());
	EXPECT_FALSE(Readable(fd, 0));
	EXPECT_TRUE(Read().empty());

	const std::vector<iommufd_fault_group> g = Groups(f);
	ASSERT_EQ(1u, g.size());
	EXPECT_EQ(1u, g[0].count);
	EXPECT_EQ(f[0].cookie, g[0].cookie);
	EXPECT_EQ(&f[0], g[0].faults);

	Respond(f[0].cookie);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultKernelTest, PasidFaultCarriesItsPasid)
{
	// The mock has a user-managed PASID table: a request for any PASID goes
	// to the nested HWPT at the device's RID.
	Trigger(3, 0x1000, kPermR, 1);
	const std::vector<iommufd_fault> f = ReadAll(1);
	ASSERT_EQ(1u, f.size());
	EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE | IOMMUFD_FAULT_PASID_VALID, f[0].flags);
	EXPECT_EQ(1u, f[0].pasid);
	EXPECT_EQ(kPermR, f[0].perm);
	Respond(f[0].cookie, IOMMUFD_FAULT_RESP_INVALID);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultKernelTest, ThousandInFlightReadInBatchesAnsweredInOneWrite)
{
	constexpr uint32_t kN = 1000;

	for (uint32_t i = 0; i < kN; i++) {
		Trigger(i & 0xff, 0x10000000ull + i * 4096ull);
		if (HasFatalFailure())
			return;
	}
	size_t biggest = 0;
	std::vector<iommufd_fault> all;
	while (all.size() < kN && Readable(iommufd_fault_queue_fd(queue_), 5000)) {
		const std::vector<iommufd_fault> f = Read(64);
		ASSERT_FALSE(f.empty());
		biggest = std::max(biggest, f.size());
		all.insert(all.end(), f.begin(), f.end());
	}
	ASSERT_EQ(kN, all.size());
	EXPECT_EQ(64u, biggest); // a read takes as many as fit
	EXPECT_EQ(kN, Owed());

	// In the order raised, each its own group with its own cookie.
	std::set<uint32_t> cookies;
	for (uint32_t i = 0; i < kN; i++) {
		EXPECT_EQ(0x10000000ull + i * 4096ull, all[i].addr) << "record " << i;
		EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE, all[i].flags);
		cookies.insert(all[i].cookie);
	}
	EXPECT_EQ(kN, cookies.size());
	const std::vector<iommufd_fault_group> groups = Groups(all);
	ASSERT_EQ(kN, groups.size());

	const std::vector<iommufd_fault_response> r = Answers(groups);
	EXPECT_EQ(static_cast<ssize_t>(kN),
		  iommufd_fault_queue_respond_batch(queue_, r.data(), r.size()))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
	EXPECT_FALSE(Readable(iommufd_fault_queue_fd(queue_), 0));
}

TEST_F(FaultKernelTest, AnsweringTwiceIsRefusedBeforeTheKernel)
{
	Trigger(1, 0x2000);
	const std::vector<iommufd_fault> f = ReadAll(1);
	ASSERT_EQ(1u, f.size());
	Respond(f[0].cookie);
	EXPECT_ERRNO(ENOENT, iommufd_fault_queue_respond(queue_, f[0].cookie, kRespOk));
	const iommufd_fault_response r = {f[0].cookie, kRespOk};
	EXPECT_ERRNO(ENOENT, iommufd_fault_queue_respond_batch(queue_, &r, 1));
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultKernelTest, UnknownCookiesAndCodesAreRefusedWholeBatch)
{
	Trigger(1, 0x3000);
	Trigger(2, 0x4000);
	const std::vector<iommufd_fault> f = ReadAll(2);
	ASSERT_EQ(2u, f.size());
	const uint32_t a = f[0].cookie, b = f[1].cookie;

	EXPECT_ERRNO(ENOENT, iommufd_fault_queue_respond(queue_, 0xdead, kRespOk));
	EXPECT_ERRNO(EINVAL, iommufd_fault_queue_respond(queue_, a, 7));

	// One bad entry: nothing is sent.
	const iommufd_fault_response unknown[] = {{a, kRespOk}, {0xdead, kRespOk}};
	EXPECT_ERRNO(ENOENT, iommufd_fault_queue_respond_batch(queue_, unknown, 2));
	const iommufd_fault_response twice[] = {{a, kRespOk}, {a, kRespOk}};
	EXPECT_ERRNO(ENOENT, iommufd_fault_queue_respond_batch(queue_, twice, 2));
	const iommufd_fault_response bad_code[] = {{a, kRespOk}, {b, 7}};
	EXPECT_ERRNO(EINVAL, iommufd_fault_queue_respond_batch(queue_, bad_code, 2));
	EXPECT_ERRNO(EINVAL, iommufd_fault_queue_respond_batch(queue_, nullptr, 1));
	EXPECT_ERRNO(EINVAL, iommufd_fault_queue_respond_batch(queue_, unknown, 0));
	EXPECT_EQ(2u, Owed());

	const iommufd_fault_response good[] = {{b, IOMMUFD_FAULT_RESP_INVALID}, {a, kRespOk}};
	EXPECT_EQ(2, iommufd_fault_queue_respond_batch(queue_, good, 2))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultKernelTest, ReadArguments)
{
	iommufd_fault f[2];

	EXPECT_ERRNO(EINVAL, static_cast<int>(iommufd_fault_queue_read(queue_, nullptr, 2)));
	EXPECT_ERRNO(EINVAL, static_cast<int>(iommufd_fault_queue_read(queue_, f, 0)));
	EXPECT_EQ(0, iommufd_fault_queue_read(queue_, f, 2)); // nothing waits
}

// Destroying the HWPT first (the device moved off it), the queue closes
// with groups still owed; the kernel answers them.  A fresh queue then
// works on the same device.
TEST_F(FaultKernelTest, CloseWithGroupsOwed)
{
	for (uint32_t i = 0; i < 5; i++)
		Trigger(i, 0x5000 + i * 4096ull);
	ASSERT_EQ(5u, ReadAll(5).size());
	ASSERT_EQ(5u, Owed());

	MoveToIoas();
	Destroy(iopf_hwpt_);
	EXPECT_EQ(0, iommufd_fault_queue_close(queue_)) << iommufd_ctx_last_error(ctx_);

	queue_ = NewQueue();
	ASSERT_NE(nullptr, queue_);
	iopf_hwpt_ = IopfHwpt(queue_);
	MoveTo(iopf_hwpt_);
	RoundTrip(0x9000);
}

// Closing while a HWPT still names the queue: the handle is freed, the
// kernel keeps the object until the HWPT goes.
TEST_F(FaultKernelTest, CloseWhileAHwptNamesTheQueue)
{
	const uint32_t id = iommufd_fault_queue_id(queue_);

	Trigger(1, 0x6000);
	ASSERT_EQ(1u, ReadAll(1).size());
	EXPECT_EQ(-EBUSY, iommufd_fault_queue_close(queue_));
	queue_ = nullptr;

	MoveToIoas();
	Destroy(iopf_hwpt_);
	EXPECT_OK(iommufd_destroy(ctx_, id));
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, id));
}

// 7.2 takes a fault queue on a paging HWPT too; 6.12 only on nested ones.
TEST_F(FaultKernelTest, PagingHwptWithFaultId)
{
	const iommufd_hwpt_alloc_opts o = AllocOpts(0, iommufd_fault_queue_id(queue_));
	uint32_t id = 0;

	if (!KernelAtLeast(6, 13)) {
		EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
		return;
	}
	ASSERT_OK(iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	MoveTo(id);
	RoundTrip(0x7000);
	MoveTo(iopf_hwpt_);
	Destroy(id);
}

// ---- multi-record groups (iopf_group_shim) -----------------------------

TEST_F(FaultGroupKernelTest, GroupOfThreeComesWholeInOrder)
{
	TriggerGroup(7, 0x100000, 3);
	// The partial requests alone are not delivered.
	const std::vector<iommufd_fault> f = ReadAll(3);
	ASSERT_EQ(3u, f.size());
	for (uint32_t i = 0; i < 3; i++) {
		SCOPED_TRACE("record " + std::to_string(i));
		EXPECT_EQ(0x100000u + i * 4096u, f[i].addr); // oldest partial first
		EXPECT_EQ(7u, f[i].grpid);
		EXPECT_EQ(kPermR, f[i].perm); // the shim's marker is gone
		EXPECT_EQ(f[0].cookie, f[i].cookie);
		EXPECT_EQ(i == 2 ? static_cast<uint32_t>(IOMMUFD_FAULT_LAST_PAGE) : 0u, f[i].flags);
		EXPECT_EQ(dev_.dev_id, f[i].dev_id);
	}
	EXPECT_EQ(1u, Owed());
	const std::vector<iommufd_fault_group> g = Groups(f);
	ASSERT_EQ(1u, g.size());
	EXPECT_EQ(3u, g[0].count);
	EXPECT_EQ(f[0].cookie, g[0].cookie);
	Respond(g[0].cookie);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultGroupKernelTest, PartialsWaitForTheirOwnLastPage)
{
	// g1: a, c, e(last); g2: b, d(last) -- interleaved.
	Trigger(1, 0xa000, kPermR | kShimPartial);
	Trigger(2, 0xb000, kPermR | kShimPartial);
	Trigger(1, 0xc000, kPermR | kShimPartial);
	EXPECT_FALSE(Readable(iommufd_fault_queue_fd(queue_), 0));
	Trigger(2, 0xd000, kPermR);
	Trigger(1, 0xe000, kPermR);

	const std::vector<iommufd_fault> f = ReadAll(5);
	ASSERT_EQ(5u, f.size());
	const std::vector<iommufd_fault_group> g = Groups(f);
	ASSERT_EQ(2u, g.size());
	ASSERT_EQ(2u, g[0].count); // g2 completed first
	EXPECT_EQ(0xb000u, g[0].faults[0].addr);
	EXPECT_EQ(0xd000u, g[0].faults[1].addr);
	ASSERT_EQ(3u, g[1].count);
	EXPECT_EQ(0xa000u, g[1].faults[0].addr);
	EXPECT_EQ(0xc000u, g[1].faults[1].addr);
	EXPECT_EQ(0xe000u, g[1].faults[2].addr);
	EXPECT_NE(g[0].cookie, g[1].cookie);
	EXPECT_EQ(2u, Owed());

	const std::vector<iommufd_fault_response> r = Answers(g);
	EXPECT_EQ(2, iommufd_fault_queue_respond_batch(queue_, r.data(), r.size()))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
}

TEST_F(FaultGroupKernelTest, ArrayTooSmallForTheGroupThenBigEnough)
{
	TriggerGroup(5, 0x200000, 3);
	ASSERT_TRUE(Readable(iommufd_fault_queue_fd(queue_), 5000));

	iommufd_fault f[3] = {};
	EXPECT_ERRNO(EMSGSIZE, static_cast<int>(iommufd_fault_queue_read(queue_, f, 2)));
	EXPECT_EQ(0u, Owed());
	EXPECT_TRUE(Readable(iommufd_fault_queue_fd(queue_), 0)); // the group still waits
	ASSERT_EQ(3, iommufd_fault_queue_read(queue_, f, 3)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE, f[2].flags);
	Respond(f[0].cookie);
}

TEST_F(FaultGroupKernelTest, ReadEndsOnAGroupsLastRecord)
{
	TriggerGroup(1, 0x300000, 3);
	TriggerGroup(2, 0x400000, 3);
	ASSERT_TRUE(Readable(iommufd_fault_queue_fd(queue_), 5000));

	const std::vector<iommufd_fault> a = Read(4);
	ASSERT_EQ(3u, a.size());
	EXPECT_EQ(IOMMUFD_FAULT_LAST_PAGE, a[2].flags);
	const std::vector<iommufd_fault> b = Read(4);
	ASSERT_EQ(3u, b.size());
	EXPECT_EQ(0x400000u, b[0].addr);
	EXPECT_EQ(2u, Owed());
	Respond(a[0].cookie);
	Respond(b[0].cookie);
}

TEST_F(FaultGroupKernelTest, TwoHundredGroupsOfFourInFlight)
{
	constexpr uint32_t kGroups = 200, kPer = 4;

	for (uint32_t g = 0; g < kGroups; g++) {
		TriggerGroup(g, 0x40000000ull + g * 0x10000ull, kPer);
		if (HasFatalFailure())
			return;
	}
	std::vector<iommufd_fault_group> groups;
	std::vector<std::vector<iommufd_fault>> reads;
	size_t records = 0;
	while (records < kGroups * kPer && Readable(iommufd_fault_queue_fd(queue_), 5000)) {
		reads.push_back(Read(50)); // 50 is no multiple of 4: reads end early
		ASSERT_FALSE(reads.back().empty());
		EXPECT_EQ(0u, reads.back().size() % kPer);
		records += reads.back().size();
		for (const iommufd_fault_group &g : Groups(reads.back()))
			groups.push_back(g);
	}
	ASSERT_EQ(kGroups * kPer, records);
	ASSERT_EQ(kGroups, groups.size());
	for (uint32_t g = 0; g < kGroups; g++) {
		ASSERT_EQ(kPer, groups[g].count);
		EXPECT_EQ(g, groups[g].faults[0].grpid);
		EXPECT_EQ(0x40000000ull + g * 0x10000ull + 3 * 4096ull, groups[g].faults[3].addr);
	}
	EXPECT_EQ(kGroups, Owed());
	const std::vector<iommufd_fault_response> r = Answers(groups);
	EXPECT_EQ(static_cast<ssize_t>(kGroups),
		  iommufd_fault_queue_respond_batch(queue_, r.data(), r.size()))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, Owed());
}
