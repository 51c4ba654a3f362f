// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_OPTION for real: RLIMIT_MODE on the context, HUGE_PAGES per IOAS.
#include "kernel_test.h"

#include <linux/capability.h>
#include <sys/resource.h>

#include <cstring>

namespace {

using OptionTest = KernelTest;

TEST_F(OptionTest, RlimitModeSetsOnlyOnAnEmptyContext)
{
	uint64_t v = 0;

	EXPECT_EQ(0u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0)) << "per user is the default";
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0));
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 0));
	EXPECT_EQ(0u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0));
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));

	EXPECT_ERRNO(EINVAL, iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 2));
	// It is a context option: an object ID is refused.
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 1, &v));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 1, 0));

	uint32_t ioas = NewIoas();
	EXPECT_ERRNO(EBUSY, iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 0));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0)) << "a refused set changed it";
	Destroy(ioas);
	EXPECT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 0));
}

// Without CAP_SYS_RESOURCE the mode cannot change (checked in a child that
// drops the capability); reading it needs nothing.
TEST_F(OptionTest, RlimitModeNeedsCapSysResource)
{
	std::string failure = RunInChild([]() -> std::string {
		iommufd_ctx *ctx = nullptr;
		uint64_t v = 1;

		if (std::string e = DropCapability(CAP_SYS_RESOURCE); !e.empty())
			return e;
		if (iommufd_ctx_open(nullptr, &ctx))
			return iommufd_ctx_last_error(nullptr);
		int rc = iommufd_option_set(ctx, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1);
		std::string msg = iommufd_ctx_last_error(ctx);
		int get = iommufd_option_get(ctx, IOMMUFD_OPTION_RLIMIT_MODE, 0, &v);
		iommufd_ctx_close(ctx);
		if (rc != -EPERM)
			return "set returned " + std::to_string(rc) + ", not -EPERM";
		if (msg.find("CAP_SYS_RESOURCE") == std::string::npos)
			return "the sentence does not name CAP_SYS_RESOURCE: " + msg;
		if (get || v != 0)
			return "get returned " + std::to_string(get) + ", value " + std::to_string(v);
		return "";
	});
	EXPECT_EQ("", failure);
}

// Without CAP_IPC_LOCK pins count against RLIMIT_MEMLOCK: per user (mode 0,
// the user's locked_vm, not the process's VmLck) or per process (mode 1,
// VmLck, as VFIO does).  Over the limit a map fails with ENOMEM.
TEST_F(OptionTest, RlimitModeChoosesWhoIsCharged)
{
	std::string failure = RunInChild([]() -> std::string {
		const uint64_t page = PageSize();
		const rlimit lim = { 8 * page, 8 * page };
		Buffer buf(16 * page);
		std::string out;

		if (std::string e = DropCapability(CAP_IPC_LOCK); !e.empty())
			return e;
		if (setrlimit(RLIMIT_MEMLOCK, &lim))
			return std::string("setrlimit: ") + strerror(errno);
		for (uint64_t mode : { 0, 1 }) {
			const std::string m = "mode " + std::to_string(mode) + ": ";
			iommufd_ctx *ctx = nullptr;
			uint32_t ioas = 0, stdev = 0;
			uint64_t iova = 0;
			long pin0 = ProcStatusKb("VmPin"), lck0 = ProcStatusKb("VmLck");

			if (iommufd_ctx_open(nullptr, &ctx))
				return m + iommufd_ctx_last_error(nullptr);
			if (iommufd_option_set(ctx, IOMMUFD_OPTION_RLIMIT_MODE, 0, mode) ||
			    iommufd_ioas_alloc(ctx, &ioas) ||
			    iommufd_test_mock_domain(ctx, ioas, 0, &stdev, nullptr, nullptr) ||
			    iommufd_ioas_map(ctx, ioas, buf.p(), 4 * page, kRW, &iova))
				out = m + "setup: " + iommufd_ctx_last_error(ctx);
			long pinned = ProcStatusKb("VmPin") - pin0, locked = ProcStatusKb("VmLck") - lck0;
			if (out.empty() && pinned != static_cast<long>(4 * page / 1024))
				out = m + "VmPin grew by " + std::to_string(pinned) + " kB";
			if (out.empty() && locked != (mode ? static_cast<long>(4 * page / 1024) : 0))
				out = m + "VmLck grew by " + std::to_string(locked) + " kB";
			int rc = iommufd_ioas_map(ctx, ioas, buf.p() + 4 * page, 8 * page, kRW, &iova);
			if (out.empty() && rc != -ENOMEM)
				out = m + "a map over the limit returned " + std::to_string(rc);
			if (out.empty() && !strstr(iommufd_ctx_last_error(ctx), "cannot pin"))
				out = m + "sentence: " + iommufd_ctx_last_error(ctx);
			if (out.empty() && iommufd_ioas_map(ctx, ioas, buf.p() + 4 * page, 4 * page,
							    kRW, &iova))
				out = m + "a map up to the limit: " + iommufd_ctx_last_error(ctx);
			iommufd_ctx_close(ctx);
			if (!out.empty())
				return out;
			if (ProcStatusKb("VmPin") != pin0 || ProcStatusKb("VmLck") != lck0)
				return m + "closing the context did not give the pins back";
		}
		return "";
	});
	EXPECT_EQ("", failure);
}

TEST_F(OptionTest, HugePagesIsPerIoas)
{
	uint32_t a = NewIoas(), b = NewIoas();
	uint64_t align = 0;

	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, a)) << "allowed by default";
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, a, 0));
	EXPECT_EQ(0u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, a));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, b));
	// Without huge pages the IOAS maps whole CPU pages only.
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, a, nullptr, 0, &align));
	EXPECT_EQ(PageSize(), align);
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, b, nullptr, 0, &align));
	EXPECT_EQ(1u, align);
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, a, 1));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, a));
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, a, nullptr, 0, &align));
	EXPECT_EQ(1u, align);
}

TEST_F(OptionTest, HugePagesOffRaisesTheDomainAlignment)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t align = 0, iova = 0;

	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 0));
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &align));
	EXPECT_EQ(page, align) << "the mock page is smaller, the CPU page wins";
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p() + kMockPage, kMockPage, kRW, &iova));
	iova = Map(ioas, buf.p(), buf.size());
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
	// With mappings in a domain it cannot be turned off again (turning on is
	// always fine).
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 1));
	EXPECT_ERRNO(EINVAL, iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 0));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, ioas));
}

TEST_F(OptionTest, OptionErrnos)
{
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t v = 0;

	EXPECT_ERRNO(ENOENT, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, 0, &v));
	EXPECT_ERRNO(ENOENT, iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, 0, 1));
	EXPECT_ERRNO(ENOENT, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas + 1000, &v));
	EXPECT_ERRNO(ENOENT, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, dev.hwpt_id, &v));
	EXPECT_ERRNO(EINVAL, iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 2));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_option_get(ctx_, 2, ioas, &v));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_option_set(ctx_, 0x1000, 0, 0));
	EXPECT_ERRNO(EINVAL, iommufd_option_get(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, nullptr));
}

} // namespace
