// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_get_hw_info(): typed vendor data, capabilities and PASID width,
// and "unknown" (not zero) for fields the kernel predates.
#include <cstring>

#include "hwpt_test_support.h"

namespace {

using fake::Kver;

template <class T> std::vector<uint8_t> Bytes(const T &v)
{
	std::vector<uint8_t> out(sizeof(v));
	std::memcpy(out.data(), &v, sizeof(v));
	return out;
}

class HwInfo : public HwptTest {
protected:
	iommufd_hw_info Get(uint32_t dev)
	{
		iommufd_hw_info info;
		std::memset(&info, 0xa5, sizeof(info));
		EXPECT_EQ(0, iommufd_get_hw_info(ctx_, dev, &info)) << iommufd_ctx_last_error(ctx_);
		return info;
	}
};

TEST_P(HwInfo, SelftestDevice)
{
	const iommufd_hw_info info = Get(dev_);

	EXPECT_EQ(IOMMUFD_HW_INFO_SELFTEST, info.type);
	EXPECT_EQ(8u, info.data_len);
	EXPECT_EQ(0xdeadbeefu, info.selftest.test_reg);
	EXPECT_EQ(0u, info.selftest.flags);
	EXPECT_EQ(0u, info.raw[8]) << "the rest of the buffer is zero";
	EXPECT_EQ(40u, fk_.last_size(UAPI_CMD_GET_HW_INFO));
	EXPECT_EQ(0u, info.reserved);
}

// out_capabilities came in 6.7: on 6.6 a zero means "unknown".
TEST_P(HwInfo, CapabilitiesKnownFrom67)
{
	const iommufd_hw_info info = Get(dev_);

	if (kver() < Kver(6, 7)) {
		EXPECT_EQ(0u, info.capabilities_known);
		EXPECT_EQ(0u, info.capabilities);
		return;
	}
	EXPECT_EQ(1u, info.capabilities_known);
	EXPECT_EQ(static_cast<uint64_t>(IOMMUFD_HW_CAP_DIRTY_TRACKING), info.capabilities);
}

// out_max_pasid_log2 was carved out of __reserved (6.12): no size shows
// it, the probe infers it.
TEST_P(HwInfo, PasidWidthKnownFrom612)
{
	const iommufd_hw_info info = Get(dev_);
	const bool known = kver() >= Kver(6, 12);

	EXPECT_EQ(known ? 1u : 0u, info.max_pasid_log2_known);
	EXPECT_EQ(0u, info.max_pasid_log2);
}

// In steady state a call is its one ioctl: what the first call probed and
// the kernel's release (which decides carved fields like
// out_max_pasid_log2 below 6.12's probe floor) are kept in the context,
// not asked again (bench/ops-bench counts this in the VM too).
TEST_P(HwInfo, SteadyStateIsOneIoctl)
{
	Get(dev_);
	fk_.ResetCounters();
	const unsigned asks = fk_.release_asks();

	for (int i = 0; i < 3; i++)
		Get(dev_);
	EXPECT_EQ(3u, fk_.ioctls());
	EXPECT_EQ(3u, fk_.ioctls(UAPI_CMD_GET_HW_INFO));
	EXPECT_EQ(asks, fk_.release_asks()) << "uname() asked again per call";
}

TEST_P(HwInfo, NoSuchDevice)
{
	iommufd_hw_info info;

	std::memset(&info, 0xa5, sizeof(info));
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_GET_HW_INFO: device 9 is not bound to this context",
		     iommufd_get_hw_info(ctx_, 9, &info));
	EXPECT_EQ(0u, info.type) << "no stale bytes on failure";
	EXPECT_FAILS(ctx_, ENOENT, "device 1 is not bound", iommufd_get_hw_info(ctx_, ioas_, &info));
}

TEST_P(HwInfo, ArgumentChecks)
{
	iommufd_hw_info info;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_get_hw_info: the context is NULL",
			iommufd_get_hw_info(nullptr, dev_, &info));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_get_hw_info: info is NULL",
			iommufd_get_hw_info(ctx_, dev_, nullptr));
}

TEST_P(HwInfo, DriverFails)
{
	fake::DevIommu broken;
	broken.hw_info_fails = true;
	const uint32_t dev = fake::AddIommuDevice(fk_, broken);
	iommufd_hw_info info;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_GET_HW_INFO: the IOMMU driver of device 3 could not describe it",
		     iommufd_get_hw_info(ctx_, dev, &info));
}

TEST_P(HwInfo, InjectedFailure)
{
	iommufd_hw_info info;

	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "IOMMU_GET_HW_INFO of device 2 failed: Bad address",
		     iommufd_get_hw_info(ctx_, dev_, &info));
}

TEST_P(HwInfo, IntelVtd)
{
	fake::DevIommu vtd;
	vtd.hw_info_type = IOMMUFD_HW_INFO_INTEL_VTD;
	vtd.hw_info = Bytes(iommufd_hw_info_vtd{1, 0, 0xd2008c40660462ull, 0xf050daull});
	vtd.caps = 0;
	const iommufd_hw_info info = Get(fake::AddIommuDevice(fk_, vtd));

	EXPECT_EQ(IOMMUFD_HW_INFO_INTEL_VTD, info.type);
	EXPECT_EQ(24u, info.data_len);
	EXPECT_EQ(1u, info.vtd.flags);
	EXPECT_EQ(0xd2008c40660462ull, info.vtd.cap_reg);
	EXPECT_EQ(0xf050daull, info.vtd.ecap_reg);
	// No capability at all: the probe tells "none" from "unknown".
	EXPECT_EQ(0u, info.capabilities);
	EXPECT_EQ(kver() >= Kver(6, 7) ? 1u : 0u, info.capabilities_known);
}

TEST_P(HwInfo, ArmSmmuv3AndPasid)
{
	fake::DevIommu smmu;
	iommufd_hw_info_arm_smmuv3 regs = {};
	for (uint32_t i = 0; i < 6; i++)
		regs.idr[i] = 0x1000 + i;
	regs.iidr = 0x43b;
	regs.aidr = 2;
	smmu.hw_info_type = IOMMUFD_HW_INFO_ARM_SMMUV3;
	smmu.hw_info = Bytes(regs);
	smmu.max_pasid_log2 = 20;
	smmu.caps = IOMMUFD_HW_CAP_PCI_PASID_EXEC;
	const iommufd_hw_info info = Get(fake::AddIommuDevice(fk_, smmu));

	EXPECT_EQ(IOMMUFD_HW_INFO_ARM_SMMUV3, info.type);
	EXPECT_EQ(0x1005u, info.smmuv3.idr[5]);
	EXPECT_EQ(0x43bu, info.smmuv3.iidr);
	if (kver() >= Kver(6, 12)) {
		EXPECT_EQ(20u, info.max_pasid_log2);
		EXPECT_EQ(1u, info.max_pasid_log2_known);
	}
}

// A type the library does not decode: the raw bytes, as many as fit.
TEST_P(HwInfo, UnknownTypeRawBytes)
{
	fake::DevIommu other;
	other.hw_info_type = 0x77;
	other.hw_info.resize(300);
	for (size_t i = 0; i < other.hw_info.size(); i++)
		other.hw_info[i] = static_cast<uint8_t>(i * 3);
	const iommufd_hw_info info = Get(fake::AddIommuDevice(fk_, other));

	EXPECT_EQ(0x77u, info.type);
	EXPECT_EQ(300u, info.data_len) << "what the kernel has, though only 256 fit";
	EXPECT_EQ(static_cast<uint8_t>(255 * 3), info.raw[255]);
}

TEST_P(HwInfo, NoVendorData)
{
	fake::DevIommu none;
	none.hw_info_type = IOMMUFD_HW_INFO_NONE;
	const iommufd_hw_info info = Get(fake::AddIommuDevice(fk_, none));

	EXPECT_EQ(IOMMUFD_HW_INFO_NONE, info.type);
	EXPECT_EQ(0u, info.data_len);
}

// The probe runs once per context: a second call adds one ioctl only.
TEST_P(HwInfo, ProbeIsCached)
{
	fake::DevIommu bare;
	bare.caps = 0;
	const uint32_t dev = fake::AddIommuDevice(fk_, bare);

	Get(dev);
	fk_.ResetCounters();
	Get(dev);
	EXPECT_EQ(1u, fk_.ioctls());
}

INSTANTIATE_FOR_PROFILES(HwInfo, ProfilesSince(Kver(6, 6)));

using HwInfo62 = OnProfile<fake::Profile::Linux6_2>;

TEST_F(HwInfo62, Needs66)
{
	iommufd_hw_info info;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_GET_HW_INFO needs Linux 6.6 or newer (this kernel does not know it)",
		     iommufd_get_hw_info(ctx_, 1, &info));
}

} // namespace
