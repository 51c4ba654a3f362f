// SPDX-License-Identifier: LGPL-2.1-or-later
// Negotiation and the ABI probe against the real kernel: what the library
// learns must be exactly what kernel_facts.cc says about this kernel.
#include "kernel_test.h"

#include <algorithm>
#include <cstring>

namespace {

class ProbeTest : public KernelTest {
protected:
	void SetUp() override
	{
		KernelTest::SetUp();
		if (HasFatalFailure())
			return;
		if (!facts_)
			GTEST_SKIP() << "Linux " << RunningKernel().release
				     << " is not a kernel of the test matrix (6.12, 7.2): no fact list";
	}

	bool Known(uint32_t nr) const { return nr <= facts().last_cmd; }

	// Every probe the public API has, on every command and field.
	void ProbeEverything(iommufd_ctx *ctx)
	{
		for (uint32_t nr = kFirstCmd; nr <= kLastCmdOfTable; nr++) {
			iommufd_cmd_desc d;

			EXPECT_GE(iommufd_probe_cmd(ctx, nr), 0);
			EXPECT_GE(iommufd_probe_kernel_size(ctx, nr), 0);
			ASSERT_EQ(0, iommufd_cmd_get(nr, &d));
			for (uint32_t i = 0; i < d.nr_fields; i++)
				EXPECT_GE(iommufd_probe_field(ctx, nr, i), 0);
		}
		EXPECT_GT(iommufd_probe_release(ctx), 0);
	}
};

TEST_F(ProbeTest, KnowsExactlyTheKernelsCommands)
{
	for (uint32_t nr = kFirstCmd; nr <= kLastCmdOfTable; nr++)
		EXPECT_EQ(Known(nr) ? 1 : 0, iommufd_probe_cmd(ctx_, nr))
			<< CmdName(nr) << " (0x" << std::hex << nr << ") on Linux "
			<< RunningKernel().release;
	// Asking twice gives the cached answer, the same.
	for (uint32_t nr = kFirstCmd; nr <= kLastCmdOfTable; nr++)
		EXPECT_EQ(Known(nr) ? 1 : 0, iommufd_probe_cmd(ctx_, nr)) << CmdName(nr);
}

TEST_F(ProbeTest, NumbersOutsideTheTableAreRefused)
{
	EXPECT_ERRNO(EINVAL, iommufd_probe_cmd(ctx_, kFirstCmd - 1));
	EXPECT_ERRNO(EINVAL, iommufd_probe_cmd(ctx_, kLastCmdOfTable + 1));
	EXPECT_ERRNO(EINVAL, iommufd_probe_kernel_size(ctx_, kLastCmdOfTable + 1));
	EXPECT_ERRNO(EINVAL, iommufd_probe_field(ctx_, kFirstCmd - 1, 0));
	EXPECT_ERRNO(EINVAL, iommufd_probe_field(ctx_, kFirstCmd, 1000));
}

TEST_F(ProbeTest, KernelSizeIsTheKernelsSizeof)
{
	for (uint32_t nr = kFirstCmd; nr <= kLastCmdOfTable; nr++)
		EXPECT_EQ(static_cast<int>(facts().size[nr - kFirstCmd]),
			  iommufd_probe_kernel_size(ctx_, nr))
			<< CmdName(nr) << " on Linux " << RunningKernel().release;
}

TEST_F(ProbeTest, KernelSizeFirstThenKnown)
{
	// The size probe first, on a fresh context, then the known-probe: the
	// order must not matter.
	iommufd_ctx *other = nullptr;

	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other));
	for (uint32_t nr = kLastCmdOfTable; nr >= kFirstCmd; nr--) {
		EXPECT_EQ(static_cast<int>(facts().size[nr - kFirstCmd]),
			  iommufd_probe_kernel_size(other, nr)) << CmdName(nr);
		EXPECT_EQ(Known(nr) ? 1 : 0, iommufd_probe_cmd(other, nr)) << CmdName(nr);
	}
	iommufd_ctx_close(other);
}

TEST_F(ProbeTest, ReleaseIsTheNewestShown)
{
	EXPECT_EQ(IOMMUFD_KVER(facts().release_major, facts().release_minor),
		  iommufd_probe_release(ctx_))
		<< "on Linux " << RunningKernel().release << " expected "
		<< facts().release_major << "." << facts().release_minor;
}

TEST_F(ProbeTest, FieldsFollowTheKernel)
{
	struct Case {
		uint32_t nr;
		const char *field;
		unsigned major, minor; // the release that brought it
	} cases[] = {
		{ 0x85, "iova", 6, 2 },              // IOAS_MAP, the first release
		{ 0x89, "data_uptr", 6, 7 },         // HWPT_ALLOC grew in 6.7
		{ 0x89, "fault_id", 6, 11 },         // and in 6.11
		{ 0x8a, "out_capabilities", 6, 7 },  // GET_HW_INFO grew in 6.7
		{ 0x8f, "iova", 6, 13 },             // MAP_FILE itself is 6.13
		{ 0x90, "out_viommu_id", 6, 13 },    // VIOMMU_ALLOC, 6.13
		{ 0x90, "data_uptr", 6, 17 },        // grew in 6.17
		{ 0x94, "length", 6, 17 },           // HW_QUEUE_ALLOC, 6.17
	};

	for (const Case &c : cases) {
		int idx = iommufd_cmd_find_field(c.nr, c.field);
		bool expect = KernelAtLeast(c.major, c.minor);

		ASSERT_GE(idx, 0) << CmdName(c.nr) << "." << c.field;
		EXPECT_EQ(expect ? 1 : 0, iommufd_probe_field(ctx_, c.nr, static_cast<uint32_t>(idx)))
			<< CmdName(c.nr) << "." << c.field << " (Linux " << c.major << "." << c.minor
			<< ") on Linux " << RunningKernel().release;
	}
}

// The probe leaves nothing behind: a fresh context still has an empty
// object table afterwards (the rlimit mode can only change on an empty one,
// tombstones included), and its first object gets the first ID.
TEST_F(ProbeTest, LeavesNoObjectOnAFreshContext)
{
	uint32_t id = 0;

	ProbeEverything(ctx_);
	EXPECT_EQ(0u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0));
	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0));
	ASSERT_OK(iommufd_ioas_alloc(ctx_, &id));
	EXPECT_EQ(1u, id) << "the probe used up object IDs";
	EXPECT_ERRNO(EBUSY, iommufd_option_set(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, 0));
}

// ...and does not touch what a context already has: the IOAS, its mapping
// and device, their options, the VFIO compat IOAS, and the next ID.
TEST_F(ProbeTest, LeavesExistingObjectsAlone)
{
	Buffer buf(4 * PageSize());
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = Map(ioas, buf.p(), buf.size());
	iommufd_iova_range before[4] = {}, after[4] = {};
	uint64_t align_before = 0, align_after = 0;
	uint32_t vfio = 0;

	ASSERT_OK(iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 1));
	int n = iommufd_ioas_iova_ranges(ctx_, ioas, before, 4, &align_before);
	ASSERT_GE(n, 1);

	ProbeEverything(ctx_);

	EXPECT_EQ(n, iommufd_ioas_iova_ranges(ctx_, ioas, after, 4, &align_after));
	EXPECT_EQ(0, memcmp(before, after, sizeof(before)));
	EXPECT_EQ(align_before, align_after);
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1));
	EXPECT_EQ(1u, OptionGet(IOMMUFD_OPTION_HUGE_PAGES, ioas));
	EXPECT_EQ(0u, OptionGet(IOMMUFD_OPTION_RLIMIT_MODE, 0));
	EXPECT_ERRNO(ENODEV, iommufd_vfio_ioas_get(ctx_, &vfio));
	// Objects so far: the IOAS, the device's selftest object, its iommufd
	// device and its auto HWPT.  The next IOAS takes the next ID.
	uint32_t highest = std::max({ ioas, dev.stdev_id, dev.dev_id, dev.hwpt_id });
	EXPECT_EQ(highest + 1, NewIoas()) << "the probe used up object IDs";
	EXPECT_EQ(buf.size(), Unmap(ioas, iova, buf.size()));
}

// A fresh context that has not probed meets the missing command in the
// ioctl (ENOTTY); a probed one knows before.  Both answer alike.
TEST_F(ProbeTest, MissingCommandsNameTheirRelease)
{
	if (facts().last_cmd >= 0x92)
		GTEST_SKIP() << "Linux " << RunningKernel().release
			     << " has IOMMU_IOAS_MAP_FILE and IOMMU_IOAS_CHANGE_PROCESS, so nothing "
				"to refuse: this runs on 6.12, and MapFileTest runs both commands here";

	Memfd mfd(PageSize());
	uint32_t ioas = NewIoas();
	uint64_t iova = 0;

	for (int probed = 0; probed < 2; probed++) {
		SCOPED_TRACE(probed ? "after probing" : "before probing");
		EXPECT_ERRNO(EOPNOTSUPP,
			     iommufd_ioas_map_file(ctx_, ioas, mfd.fd(), 0, PageSize(), kRW, &iova));
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_),
					  "IOMMU_IOAS_MAP_FILE needs Linux 6.13"))
			<< iommufd_ctx_last_error(ctx_);
		EXPECT_ERRNO(EOPNOTSUPP, iommufd_ioas_change_process(ctx_));
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_),
					  "IOMMU_IOAS_CHANGE_PROCESS needs Linux 6.14"))
			<< iommufd_ctx_last_error(ctx_);
		if (!probed) {
			iommufd_ctx_close(ctx_);
			ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx_));
			ioas = NewIoas();
			EXPECT_EQ(0, iommufd_probe_cmd(ctx_, 0x8f));
			EXPECT_EQ(0, iommufd_probe_cmd(ctx_, 0x92));
		}
	}
}

// The mock of each kernel knows a fixed set of ops.
TEST_F(ProbeTest, MockOpsFollowTheKernel)
{
	for (uint32_t op = IOMMUFD_TEST_OP_ADD_RESERVED; op <= IOMMUFD_TEST_OP_PASID_CHECK_HWPT; op++)
		EXPECT_EQ(op <= facts().last_mock_op ? 1 : 0, iommufd_test_op_supported(ctx_, op))
			<< "mock op " << op << " on Linux " << RunningKernel().release;
}

} // namespace
