// SPDX-License-Identifier: LGPL-2.1-or-later
// PASID attach, replace and detach of a PASID-capable mock device onto
// HWPTs allocated with IOMMUFD_HWPT_PASID (7.2), and on 6.12, which has
// neither, that the absence is reported with the release it needs.
#include "hwpt_kernel.h"

namespace {

constexpr uint32_t kPasid = 100;

class PasidTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure())
			return;
		has_pasid_ = iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_PASID_ATTACH) == 1;
	}
	// A PASID-capable mock device, its RID on a PASID-compatible HWPT (the
	// kernel attaches PASIDs only then).
	void AddPasidDev()
	{
		ASSERT_OK(iommufd_test_mock_domain(ctx_, ioas_, IOMMUFD_TEST_DEVICE_PASID,
						   &pdev_.stdev_id, &pdev_.hwpt_id, &pdev_.dev_id));
		s2_ = Paging(IOMMUFD_HWPT_PASID, pdev_.dev_id);
		ASSERT_NE(0u, s2_);
		ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, pdev_.stdev_id, s2_, nullptr));
	}
	int Check(uint32_t pasid, uint32_t hwpt)
	{
		return iommufd_test_pasid_check_hwpt(ctx_, pdev_.stdev_id, pasid, hwpt);
	}

	bool has_pasid_ = false;
	MockDev pdev_;
	uint32_t s2_ = 0;
};

TEST_F(PasidTest, AttachReplaceDetach)
{
	if (!has_pasid_)
		GTEST_SKIP() << "this kernel's mock has no PASID ops (they came in 6.15); "
				"AbsenceIsReported checks what it says instead";
	AddPasidDev();
	const uint32_t a = Paging(IOMMUFD_HWPT_PASID, pdev_.dev_id);
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT, pdev_.dev_id);
	const uint32_t nested = Nested(parent, kIotlbDefault, IOMMUFD_HWPT_PASID, pdev_.dev_id);

	EXPECT_EQ(0, Check(kPasid, 0)) << "nothing attached yet";
	ASSERT_OK(iommufd_test_pasid_attach(ctx_, pdev_.stdev_id, kPasid, a));
	EXPECT_EQ(0, Check(kPasid, a));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, a)) << "held by the PASID";
	ASSERT_OK(iommufd_test_pasid_replace(ctx_, pdev_.stdev_id, kPasid, nested));
	EXPECT_EQ(0, Check(kPasid, nested));
	Destroy(a);
	ASSERT_OK(iommufd_test_pasid_detach(ctx_, pdev_.stdev_id, kPasid));
	EXPECT_EQ(0, Check(kPasid, 0));
	Destroy(nested);
	Destroy(parent);
}

TEST_F(PasidTest, Errnos)
{
	if (!has_pasid_)
		GTEST_SKIP() << "this kernel's mock has no PASID ops (they came in 6.15)";
	AddPasidDev();
	const uint32_t plain = Paging(0, pdev_.dev_id);

	EXPECT_ERRNO(EINVAL, iommufd_test_pasid_attach(ctx_, pdev_.stdev_id, kPasid, plain))
		<< "a HWPT not allocated with IOMMUFD_HWPT_PASID";
	EXPECT_ERRNO(EINVAL, iommufd_test_pasid_attach(ctx_, pdev_.stdev_id, kPasid, ioas_))
		<< "an IOAS at a PASID";
	EXPECT_EQ(0, Check(kPasid, 0));
	EXPECT_ERRNO(EINVAL, iommufd_test_pasid_replace(ctx_, pdev_.stdev_id, 200, s2_))
		<< "replace of a PASID nothing is attached to";
	ASSERT_OK(iommufd_test_pasid_attach(ctx_, pdev_.stdev_id, kPasid, s2_));
	EXPECT_ERRNO(EBUSY, iommufd_test_pasid_attach(ctx_, pdev_.stdev_id, kPasid, s2_))
		<< "attach does not overwrite";
	EXPECT_ERRNO(EINVAL, iommufd_test_mock_domain_replace(ctx_, pdev_.stdev_id, plain,
							      nullptr))
		<< "with a PASID attached the RID stays on PASID-compatible HWPTs";
	EXPECT_OK(iommufd_test_pasid_detach(ctx_, pdev_.stdev_id, kPasid));
	// A device without PASID cannot attach one, whatever the HWPT.
	EXPECT_ERRNO(EINVAL, iommufd_test_pasid_attach(ctx_, dev_.stdev_id, kPasid, s2_));
}

// 6.12 has no PASID-compatible HWPTs and no PASID-capable mock devices:
// each refusal says so.
TEST_F(PasidTest, AbsenceIsReported)
{
	const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_PASID);
	MockDev d;
	uint32_t id = 0;

	if (has_pasid_)
		GTEST_SKIP() << "this kernel has PASID attach; AttachReplaceDetach runs instead";
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("flag PASID needs Linux 6.15 or newer"))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0, iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_PASID_REPLACE));
	EXPECT_EQ(0, iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_PASID_DETACH));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_test_pasid_attach(ctx_, dev_.stdev_id, kPasid, ioas_));
	EXPECT_ERRNO(EINVAL, iommufd_test_mock_domain(ctx_, ioas_, IOMMUFD_TEST_DEVICE_PASID,
						      &d.stdev_id, &d.hwpt_id, &d.dev_id))
		<< "the mock refuses a device flag it does not know";
}

} // namespace
