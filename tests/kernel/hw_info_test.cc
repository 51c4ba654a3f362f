// SPDX-License-Identifier: LGPL-2.1-or-later
// GET_HW_INFO of mock devices: the selftest type and register, the
// capabilities and the PASID width, each known on both kernels.
#include "hwpt_kernel.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace {

// IOMMU_HW_INFO_SELFTEST_REGVAL and MOCK_PASID_WIDTH of iommufd_test.h.
constexpr uint32_t kTestReg = 0xdeadbeef;
constexpr uint32_t kMockPasidWidth = 20;

class HwInfoTest : public HwptKernelTest {
protected:
	iommufd_hw_info Get(uint32_t dev_id)
	{
		iommufd_hw_info info;

		std::memset(&info, 0xa5, sizeof(info));
		EXPECT_OK(iommufd_get_hw_info(ctx_, dev_id, &info));
		return info;
	}
	MockDev AddFlagged(uint32_t flags)
	{
		MockDev d;

		EXPECT_OK(iommufd_test_mock_domain(ctx_, ioas_, flags, &d.stdev_id, &d.hwpt_id,
						   &d.dev_id));
		return d;
	}
};

// The line the report quotes: what GET_HW_INFO says of a mock device.
void Show(const char *what, const iommufd_hw_info &i)
{
	printf("[ hw_info  ] %s: type 0x%" PRIx32 ", data_len %" PRIu32 ", test_reg 0x%" PRIx32
	       ", capabilities 0x%" PRIx64 " (%s), max_pasid_log2 %" PRIu32 " (%s)\n",
	       what, i.type, i.data_len, i.selftest.test_reg, i.capabilities,
	       i.capabilities_known ? "known" : "unknown", i.max_pasid_log2,
	       i.max_pasid_log2_known ? "known" : "unknown");
}

TEST_F(HwInfoTest, MockDevice)
{
	const iommufd_hw_info info = Get(dev_.dev_id);

	Show("mock device", info);
	EXPECT_EQ(IOMMUFD_HW_INFO_SELFTEST, info.type);
	EXPECT_EQ(8u, info.data_len);
	EXPECT_EQ(kTestReg, info.selftest.test_reg);
	EXPECT_EQ(0u, info.raw[8]) << "the rest is zeroed";
	EXPECT_EQ(1u, info.capabilities_known);
	EXPECT_TRUE(info.capabilities & IOMMUFD_HW_CAP_DIRTY_TRACKING);
	EXPECT_EQ(1u, info.max_pasid_log2_known) << "Debian's 6.12 has the field too";
	EXPECT_EQ(0u, info.max_pasid_log2) << "no PASID on a plain mock device";
}

TEST_F(HwInfoTest, NoDirtyMockDevice)
{
	const iommufd_hw_info info = Get(AddFlagged(IOMMUFD_TEST_DEVICE_NO_DIRTY).dev_id);

	Show("mock device, NO_DIRTY", info);
	EXPECT_EQ(1u, info.capabilities_known);
	EXPECT_FALSE(info.capabilities & IOMMUFD_HW_CAP_DIRTY_TRACKING);
}

// 7.2's mock has PASID-capable devices; 6.12's does not know the flag.
TEST_F(HwInfoTest, PasidMockDevice)
{
	MockDev d;

	if (!iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_PASID_ATTACH))
		GTEST_SKIP() << "this kernel's mock has no PASID-capable devices (PASID ops came "
				"in 6.15); see PasidTest.AbsenceIsReported";
	d = AddFlagged(IOMMUFD_TEST_DEVICE_PASID);
	const iommufd_hw_info info = Get(d.dev_id);
	Show("mock device, PASID", info);
	EXPECT_EQ(1u, info.max_pasid_log2_known);
	EXPECT_EQ(kMockPasidWidth, info.max_pasid_log2);
}

TEST_F(HwInfoTest, Errnos)
{
	iommufd_hw_info info;

	EXPECT_ERRNO(ENOENT, iommufd_get_hw_info(ctx_, 0x7777, &info));
	EXPECT_ERRNO(ENOENT, iommufd_get_hw_info(ctx_, ioas_, &info)) << "an IOAS is no device";
	EXPECT_ERRNO(EINVAL, iommufd_get_hw_info(ctx_, dev_.dev_id, nullptr));
	Destroy(dev_.stdev_id); // unplugged
	EXPECT_ERRNO(ENOENT, iommufd_get_hw_info(ctx_, dev_.dev_id, &info));
}

} // namespace
