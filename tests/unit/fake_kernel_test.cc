// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The fake kernel against the kernel's own rules, with raw ioctls through
// the seam and no library logic, so the other tests can trust it.  Modeled
// on the selftest's cmd_length / cmd_ex_fail.
#include <cstring>

#include "test_support.h"

namespace {

using fake::CmdKnown;
using fake::CmdSize;
using fake::FactsFor;

class FakeKernelRules : public ProfileTest {
protected:
	int Raw(uint32_t nr, void *arg) { return ifd_sys_ioctl(Fd(), UAPI_IOMMUFD_IOCTL(nr), arg); }
	int Fd() const { return iommufd_ctx_fd(ctx_); }
};

// A raw probe with size 4: EINVAL for every known command, ENOTTY past them.
TEST_P(FakeKernelRules, UnknownCommandsAreEnotty)
{
	for (uint32_t nr = 0x70; nr <= 0xa0; nr++) {
		uint32_t size = 4;
		int rc = Raw(nr, &size);

		if (CmdKnown(kver(), nr))
			EXPECT_EQ(-EINVAL, rc) << std::hex << nr;
		else
			EXPECT_EQ(-ENOTTY, rc) << std::hex << nr;
	}
}

TEST_P(FakeKernelRules, OnlyTheExactRequestIsKnown)
{
	uint32_t buf[4] = {8, 0};

	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_DESTROY, buf));
	EXPECT_EQ(-ENOTTY, ifd_sys_ioctl(Fd(), _IO('x', UAPI_CMD_DESTROY), buf));
	EXPECT_EQ(-ENOTTY, ifd_sys_ioctl(Fd(), _IOW(';', UAPI_CMD_DESTROY, uint32_t), buf));
	// The size word is read first (get_user()), past the table it is not.
	EXPECT_EQ(-EFAULT, ifd_sys_ioctl(Fd(), _IO('x', UAPI_CMD_DESTROY), nullptr));
	EXPECT_EQ(-ENOTTY, ifd_sys_ioctl(Fd(), UAPI_IOMMUFD_IOCTL(0xa0), nullptr));
}

// The selftest's TEST_LENGTH for every command the release knows.
TEST_P(FakeKernelRules, SizeRulesOfEveryCommand)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		if (!CmdKnown(kver(), nr))
			continue;
		SCOPED_TRACE(FactsFor(nr)->name);
		const uint32_t min = FactsFor(nr)->min_size, size = CmdSize(kver(), nr);
		alignas(8) unsigned char buf[128] = {};

		uint32_t short_size = min - 1;
		std::memcpy(buf, &short_size, 4);
		EXPECT_EQ(-EINVAL, Raw(nr, buf));

		uint32_t long_size = size + 1;
		std::memcpy(buf, &long_size, 4);
		buf[size] = 0xff;
		EXPECT_EQ(-E2BIG, Raw(nr, buf));

		std::memset(buf, 0, sizeof(buf));
		std::memcpy(buf, &size, 4);
		int exact = Raw(nr, buf);
		std::memset(buf, 0, sizeof(buf));
		std::memcpy(buf, &long_size, 4);
		EXPECT_EQ(exact, Raw(nr, buf)) << "a zero tail changes nothing";
		EXPECT_NE(-ENOTTY, exact);
		EXPECT_NE(-E2BIG, exact);
	}
}

// Bytes past the user's size are never read (zero-extended instead) and
// never written (the reply is min(user size, kernel size)).
TEST_P(FakeKernelRules, ZeroFillAndShortReply)
{
	alignas(8) unsigned char buf[64];

	std::memset(buf, 0xaa, sizeof(buf));
	uapi_ioas_alloc alloc = {sizeof(alloc), 0, 0};
	std::memcpy(buf, &alloc, sizeof(alloc));
	ASSERT_EQ(0, Raw(UAPI_CMD_IOAS_ALLOC, buf));
	std::memcpy(&alloc, buf, sizeof(alloc));
	EXPECT_EQ(1u, alloc.out_ioas_id);
	for (size_t i = sizeof(alloc); i < sizeof(buf); i++)
		ASSERT_EQ(0xaa, buf[i]) << "byte " << i << " written";

	if (!CmdKnown(kver(), UAPI_CMD_HWPT_ALLOC))
		return;
	// Garbage in data_type/fault_id past a 24-byte HWPT_ALLOC is not seen:
	// the command gets as far as the device lookup.
	std::memset(buf, 0xaa, sizeof(buf));
	uapi_hwpt_alloc hwpt = {};
	hwpt.size = 24;
	std::memcpy(buf, &hwpt, 24);
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_HWPT_ALLOC, buf));
}

TEST_P(FakeKernelRules, ObjectIdsStartAtOneAndReuseTheLowest)
{
	uint32_t a = NewIoas(), b = NewIoas(), c = NewIoas();

	EXPECT_EQ(1u, a);
	EXPECT_EQ(2u, b);
	EXPECT_EQ(3u, c);
	ASSERT_EQ(0, iommufd_destroy(ctx_, b));
	EXPECT_EQ(2u, NewIoas());
	EXPECT_EQ(3u, fk_.object_count());
}

TEST_P(FakeKernelRules, CountsSizesAndInjectsFailures)
{
	uapi_destroy d = {sizeof(d), 0};

	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_DESTROY, &d));
	d.size = 16; // only zero bytes beyond, but the buffer is only 8 long
	uint64_t wide[2] = {};
	std::memcpy(wide, &d, sizeof(d));
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_DESTROY, wide));
	EXPECT_EQ(2u, fk_.ioctls(UAPI_CMD_DESTROY));
	EXPECT_EQ(16u, fk_.last_size(UAPI_CMD_DESTROY));
	EXPECT_EQ(0u, fk_.last_size(UAPI_CMD_IOAS_MAP));

	fk_.FailIoctl(2, EIO);
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_DESTROY, wide));
	EXPECT_EQ(-EIO, Raw(UAPI_CMD_DESTROY, wide));
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_DESTROY, wide));
	EXPECT_EQ(5u, fk_.ioctls());
}

TEST_P(FakeKernelRules, OnlyIommufdsAnswer)
{
	uapi_destroy d = {sizeof(d), 0};

	EXPECT_EQ(-ENOTTY, ifd_sys_ioctl(fk_.AddPlainFd(), UAPI_IOMMUFD_IOCTL(UAPI_CMD_DESTROY), &d));
	EXPECT_EQ(-EBADF, ifd_sys_ioctl(4242, UAPI_IOMMUFD_IOCTL(UAPI_CMD_DESTROY), &d));
	EXPECT_EQ(-ENOENT, ifd_sys_open("/nonexistent/iommu", 0));
	EXPECT_EQ(static_cast<int>(kver()), ifd_sys_kernel_release());
}

// The selftest's "area" case: split fails with ENOENT, over-map with EEXIST,
// and a walk that meets a crossing mapping keeps what it already unmapped.
TEST_P(FakeKernelRules, UnmapAreaRules)
{
	const uint32_t ioas = NewIoas();
	const uint64_t base = 0x100000;
	uapi_ioas_unmap un = {sizeof(un), ioas, base, kPage, };

	MapFixed(ioas, base, 2 * kPage);
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_UNMAP, &un));
	un.iova = base + kPage;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_UNMAP, &un));

	MapFixed(ioas, base - kPage, kPage);
	un.iova = base - kPage;
	un.length = 2 * kPage;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_UNMAP, &un));
	EXPECT_EQ(1u, fk_.ioas(ioas).areas.size()) << "the first mapping went before the walk stopped";

	un.iova = 0;
	un.length = UINT64_MAX;
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_UNMAP, &un));
	EXPECT_EQ(2 * kPage, un.length);
	un.length = UINT64_MAX;
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_UNMAP, &un)) << "unmap all of nothing succeeds";
	EXPECT_EQ(0u, un.length);
}

TEST_P(FakeKernelRules, AutomaticIovaAvoidsZeroAndIsAligned)
{
	const uint32_t ioas = NewIoas();

	EXPECT_EQ(kPage, MapAny(ioas, kPage, 0x40000000));
	EXPECT_EQ(4 * kPage, MapAny(ioas, 4 * kPage, 0x40000000)) << "aligned to the length";
	EXPECT_EQ(2 * kPage, MapAny(ioas, kPage, 0x40000000)) << "first hole that fits";
	// The page offset of the user address is kept in the IOVA.
	uint64_t iova = MapAny(ioas, kPage, 0x40000010);
	EXPECT_EQ(0x10u, iova % kPage);
}

INSTANTIATE_FOR_ALL_PROFILES(FakeKernelRules);

} // namespace
