// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_IOAS_MAP_FILE (Linux 6.13) and IOMMU_IOAS_CHANGE_PROCESS (6.14) for
// real on 7.2; on 6.12 the library must say which release they need.
#include "kernel_test.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <unistd.h>

#include <cstring>

namespace {

class MapFileTest : public KernelTest {
protected:
	bool HasMapFile() const { return KernelAtLeast(6, 13); }
	bool HasChangeProcess() const { return KernelAtLeast(6, 14); }

	uint64_t MapFile(uint32_t ioas, int fd, uint64_t start, uint64_t length,
			 uint32_t flags = kRW, uint64_t iova = 0)
	{
		EXPECT_OK(iommufd_ioas_map_file(ctx_, ioas, fd, start, length, flags, &iova));
		return iova;
	}
};

#define SKIP_WITHOUT_MAP_FILE()                                                              \
	do {                                                                                 \
		if (!HasMapFile())                                                           \
			GTEST_SKIP() << "IOMMU_IOAS_MAP_FILE needs Linux 6.13, this is "     \
				     << RunningKernel().release                              \
				     << " (MemfdLandsInTheMockDomain checks the refusal)";   \
	} while (0)

TEST_F(MapFileTest, MemfdLandsInTheMockDomain)
{
	const uint64_t page = PageSize();
	Memfd mfd(8 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = 0;

	if (!HasMapFile()) {
		EXPECT_ERRNO(EOPNOTSUPP,
			     iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, 8 * page, kRW, &iova));
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_),
					  "IOMMU_IOAS_MAP_FILE needs Linux 6.13"))
			<< iommufd_ctx_last_error(ctx_);
		return;
	}
	// The whole file at a kernel-chosen IOVA: the domain maps the pages
	// the file's own mmap shows.
	iova = MapFile(ioas, mfd.fd(), 0, 8 * page);
	EXPECT_GE(iova, kApStart);
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, 8 * page, mfd.p()));
	// A slice at an offset, at a fixed IOVA, read-only.
	const uint64_t fixed = kApStart + 0x200000;
	EXPECT_EQ(fixed, MapFile(ioas, mfd.fd(), 2 * page, 3 * page, kR | kFixed, fixed));
	EXPECT_OK(CheckMap(dev.hwpt_id, fixed, 3 * page, mfd.p() + 2 * page));
	// Half a page at a half-page offset: the mock page size.
	uint64_t half = MapFile(ioas, mfd.fd(), 5 * page + kMockPage, kMockPage);
	EXPECT_EQ(kMockPage, half % page);
	EXPECT_OK(CheckMap(dev.hwpt_id, half, kMockPage, mfd.p() + 5 * page + kMockPage));
	// Copies of file mappings work like any other.
	uint32_t dst = NewIoas();
	MockDev ddev = AddMockDev(dst);
	uint64_t copied = Copy(dst, ioas, fixed, 3 * page, kR);
	EXPECT_OK(CheckMap(ddev.hwpt_id, copied, 3 * page, mfd.p() + 2 * page));
	EXPECT_EQ(8 * page + 3 * page + kMockPage, UnmapAll(ioas));
	EXPECT_OK(CheckMap(ddev.hwpt_id, copied, 3 * page, mfd.p() + 2 * page));
}

TEST_F(MapFileTest, MapFileErrnos)
{
	SKIP_WITHOUT_MAP_FILE();
	const uint64_t page = PageSize();
	Memfd mfd(4 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = 0;

	// Pinned at once (a domain is attached), so past the end of the file
	// and files that are not memfd/hugetlbfs fail.
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, 5 * page, kRW, &iova));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 4 * page, page, kRW, &iova));
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_GE(devnull, 0);
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map_file(ctx_, ioas, devnull, 0, page, kRW, &iova));
	close(devnull);
	// Descriptors: negative (the library), closed (the kernel).
	EXPECT_ERRNO(EBADF, iommufd_ioas_map_file(ctx_, ioas, -1, 0, page, kRW, &iova));
	int closed = dup(mfd.fd());
	ASSERT_GE(closed, 0);
	close(closed);
	EXPECT_ERRNO(EBADF, iommufd_ioas_map_file(ctx_, ioas, closed, 0, page, kRW, &iova));
	// Flags, ranges, IDs.
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, page, 0, &iova));
	EXPECT_ERRNO(EOPNOTSUPP,
		     iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, page, kRW | (1u << 3), &iova));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, 0, kRW, &iova));
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), UINT64_MAX - page + 1,
						      2 * page, kRW, &iova));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_map_file(ctx_, ioas + 1000, mfd.fd(), 0, page, kRW, &iova));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_map_file(ctx_, dev.hwpt_id, mfd.fd(), 0, page, kRW, &iova));
	iova = kApStart;
	MapFile(ioas, mfd.fd(), 0, page, kRW | kFixed, kApStart);
	EXPECT_ERRNO(EEXIST,
		     iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), page, page, kRW | kFixed, &iova));
	iova = page; // below the mock aperture: reserved
	EXPECT_ERRNO(EINVAL,
		     iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, page, kRW | kFixed, &iova));
	EXPECT_EQ(page, UnmapAll(ioas)) << "only the one good mapping exists";
}

// Without a domain nothing is pinned at map time: the file's size is only
// checked when an access pins the pages.
TEST_F(MapFileTest, PinningIsDeferredWithoutADomain)
{
	SKIP_WITHOUT_MAP_FILE();
	const uint64_t page = PageSize();
	Memfd mfd(page);
	uint32_t ioas = NewIoas();
	// Inside the mock aperture, so a device could attach but for the size.
	uint64_t iova = MapFile(ioas, mfd.fd(), 0, 2 * page, kRW | kFixed, kApStart);
	int access = CreateAccess(ioas);
	uint32_t pages_id = 0;

	EXPECT_ERRNO(EINVAL, iommufd_test_access_pages(ctx_, access, iova, 2 * page, nullptr, 0,
						       &pages_id));
	EXPECT_OK(iommufd_test_access_pages(ctx_, access, iova, page, nullptr, 0, &pages_id));
	EXPECT_OK(iommufd_test_destroy_access_pages(ctx_, access, pages_id));
	close(access);
	uint32_t stdev = 0;
	EXPECT_ERRNO(EINVAL, iommufd_test_mock_domain(ctx_, ioas, 0, &stdev, nullptr, nullptr));
}

// ---- change_process ------------------------------------------------------------

TEST_F(MapFileTest, ChangeProcessTakesOnlyFileMappings)
{
	const uint64_t page = PageSize();

	if (!HasChangeProcess()) {
		EXPECT_ERRNO(EOPNOTSUPP, iommufd_ioas_change_process(ctx_));
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_),
					  "IOMMU_IOAS_CHANGE_PROCESS needs Linux 6.14"))
			<< iommufd_ctx_last_error(ctx_);
		return;
	}
	Memfd mfd(2 * page);
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);

	EXPECT_OK(iommufd_ioas_change_process(ctx_)) << "nothing mapped: nothing to move";
	uint64_t fiova = MapFile(ioas, mfd.fd(), 0, 2 * page);
	EXPECT_OK(iommufd_ioas_change_process(ctx_));
	EXPECT_OK(CheckMap(dev.hwpt_id, fiova, 2 * page, mfd.p())) << "the mapping stays";

	// One user-memory mapping, in any IOAS of the context, refuses it.
	uint32_t other = NewIoas();
	uint64_t uiova = Map(other, buf.p(), page);
	EXPECT_ERRNO(EINVAL, iommufd_ioas_change_process(ctx_));
	EXPECT_EQ(page, Unmap(other, uiova, page));
	EXPECT_OK(iommufd_ioas_change_process(ctx_));
}

// The point of it: another process takes the pins over.  Pins are only
// charged without CAP_IPC_LOCK, so this runs in a child that drops it; the
// child's own child then takes the mapping's pins over (VmPin moves from one
// to the other) and, once it is gone, the first takes them back.
TEST_F(MapFileTest, ChangeProcessMovesThePins)
{
	if (!HasChangeProcess())
		GTEST_SKIP() << "IOMMU_IOAS_CHANGE_PROCESS needs Linux 6.14, this is "
			     << RunningKernel().release
			     << " (ChangeProcessTakesOnlyFileMappings checks the refusal)";
	std::string failure = RunInChild([]() -> std::string {
		const uint64_t page = PageSize();
		const long kb = static_cast<long>(4 * page / 1024);
		Memfd mfd(4 * page);
		iommufd_ctx *ctx = nullptr;
		uint32_t ioas = 0, stdev = 0, hwpt = 0;
		uint64_t iova = 0;
		std::string out;

		if (std::string e = DropCapability(CAP_IPC_LOCK); !e.empty())
			return e;
		const long pin0 = ProcStatusKb("VmPin");
		if (iommufd_ctx_open(nullptr, &ctx))
			return iommufd_ctx_last_error(nullptr);
		if (iommufd_ioas_alloc(ctx, &ioas) ||
		    iommufd_test_mock_domain(ctx, ioas, 0, &stdev, &hwpt, nullptr) ||
		    iommufd_ioas_map_file(ctx, ioas, mfd.fd(), 0, 4 * page, kRW, &iova))
			out = std::string("setup: ") + iommufd_ctx_last_error(ctx);
		if (out.empty() && ProcStatusKb("VmPin") != pin0 + kb)
			out = "mapping did not charge VmPin: " + std::to_string(ProcStatusKb("VmPin"));
		const pid_t me = getpid();
		if (out.empty())
			out = RunInChild([&]() -> std::string {
				if (iommufd_ioas_change_process(ctx))
					return std::string("child: ") + iommufd_ctx_last_error(ctx);
				if (ProcStatusKb("VmPin") != kb)
					return "child's VmPin is " +
					       std::to_string(ProcStatusKb("VmPin")) + " kB";
				if (ProcStatusKb("VmPin", me) != pin0)
					return "parent's VmPin is still " +
					       std::to_string(ProcStatusKb("VmPin", me)) + " kB";
				return "";
			});
		if (out.empty() && ProcStatusKb("VmPin") != pin0)
			out = "the child took the pins, but VmPin is " +
			      std::to_string(ProcStatusKb("VmPin")) + " kB";
		if (out.empty() && iommufd_ioas_change_process(ctx))
			out = std::string("back: ") + iommufd_ctx_last_error(ctx);
		if (out.empty() && ProcStatusKb("VmPin") != pin0 + kb)
			out = "taken back, VmPin is " + std::to_string(ProcStatusKb("VmPin")) + " kB";
		if (out.empty() && iommufd_test_check_map(ctx, hwpt, iova, 4 * page, mfd.p()))
			out = std::string("the mapping moved: ") + iommufd_ctx_last_error(ctx);
		iommufd_ctx_close(ctx);
		if (out.empty() && ProcStatusKb("VmPin") != pin0)
			out = "closing did not give the pins back";
		return out;
	});
	EXPECT_EQ("", failure);
}

} // namespace
