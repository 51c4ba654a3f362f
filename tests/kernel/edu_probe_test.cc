// SPDX-License-Identifier: LGPL-2.1-or-later
// The device feature probe on a real device: QEMU's edu behind QEMU's
// emulated Intel IOMMU.  The answers are checked against the VT-d register
// bits the IOMMU reports (read here with the spec's bit positions, not the
// library's), and the device's DMA through its IOAS still works after
// every probe: its attachment was not touched.
#include <sys/mman.h>

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include <libiommufd/probe.h>

#include "edu.h"
#include "kernel_facts.h"

namespace {

// VT-d extended capabilities (VT-d spec 11.4.3).
constexpr uint64_t kEcapNest = 1ull << 26;
constexpr uint64_t kEcapPrs = 1ull << 29;
constexpr uint64_t kEcapSmts = 1ull << 43;
constexpr uint64_t kEcapSlads = 1ull << 45;
constexpr uint64_t kIova = 0x100000, kIova2 = 0x200000;
constexpr size_t kPage = 4096, kLen = 1024;

#define ASSERT_OK(CALL) ASSERT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(ctx_)

class EduProbe : public ::testing::Test {
protected:
	void SetUp() override
	{
		bdf_ = edu::FindBdf();
		if (bdf_.empty())
			GTEST_SKIP() << "no edu device (1234:11e8) in this VM: the edu suite runs "
					"through ctest -R edu_ (tests/kernel/run-edu.sh)";
		ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx_)) << iommufd_ctx_last_error(nullptr);
		ASSERT_OK(iommufd_device_open_pci(bdf_.c_str(), &dev_));
		ASSERT_OK(iommufd_device_bind(dev_, ctx_, nullptr, &dev_id_));
		ASSERT_OK(iommufd_ioas_alloc(ctx_, &ioas_));
		ASSERT_OK(iommufd_device_attach(dev_, ioas_, &hwpt_));
		ASSERT_OK(edu::Edu(dev_).EnableBusMaster());
		for (uint8_t *&p : pages_) {
			void *m = mmap(nullptr, kPage, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			ASSERT_NE(MAP_FAILED, m);
			p = static_cast<uint8_t *>(m);
		}
		uint64_t iova = kIova;
		ASSERT_OK(iommufd_ioas_map(ctx_, ioas_, pages_[0], kPage,
					   IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE |
						   IOMMUFD_MAP_FIXED_IOVA,
					   &iova));
		iova = kIova2;
		ASSERT_OK(iommufd_ioas_map(ctx_, ioas_, pages_[1], kPage,
					   IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE |
						   IOMMUFD_MAP_FIXED_IOVA,
					   &iova));
	}
	void TearDown() override
	{
		for (uint8_t *p : pages_)
			if (p)
				munmap(p, kPage);
		iommufd_device_close(dev_);
		iommufd_ctx_close(ctx_);
	}

	// RAM -> device -> RAM through the device's HWPT; "" when the bytes
	// came back.
	std::string RoundTrip(uint8_t seed)
	{
		edu::Edu edu(dev_);

		for (size_t i = 0; i < kLen; i++)
			pages_[0][i] = static_cast<uint8_t>(seed + i * 7);
		memset(pages_[1], 0, kPage);
		std::string err = edu.ToDevice(kIova, 0, kLen);
		if (err.empty())
			err = edu.ToRam(0, kIova2, kLen);
		if (err.empty() && memcmp(pages_[0], pages_[1], kLen))
			err = "the bytes did not come back";
		return err;
	}

	std::string bdf_;
	iommufd_ctx *ctx_ = nullptr;
	iommufd_device *dev_ = nullptr;
	uint32_t dev_id_ = 0, ioas_ = 0, hwpt_ = 0;
	uint8_t *pages_[2] = {};
};

struct Want {
	bool supported;
	const char *reason_start; // the reason begins with this
};

// What the probe must answer for this IOMMU, from its ECAP and the kernel.
Want Expected(uint32_t f, const iommufd_hw_info &info, bool is_72)
{
	const uint64_t ecap = info.vtd.ecap_reg;
	const bool sm = ecap & kEcapSmts, nest = sm && (ecap & kEcapNest);

	switch (f) {
	case IOMMUFD_FEATURE_NEST_PARENT:
	case IOMMUFD_FEATURE_BIND_PGTBL:
		return nest ? Want{true, "VT-d: "} : Want{false, "VT-d: no "};
	case IOMMUFD_FEATURE_CACHE_INVLD:
		return nest ? Want{true, "VT-d: a nested VTD_S1 HWPT handled"}
			    : Want{false, "VT-d: no "};
	case IOMMUFD_FEATURE_BIND_PASID_TABLE:
	case IOMMUFD_FEATURE_VIOMMU:
	case IOMMUFD_FEATURE_VEVENTQ:
	case IOMMUFD_FEATURE_HW_QUEUE:
		return {false, is_72 ? "VT-d: " : "needs Linux "};
	case IOMMUFD_FEATURE_PAGE_REQUEST:
		return (ecap & kEcapPrs) ? Want{true, "VT-d: fault queue"}
					 : Want{false, "VT-d: no page requests (ECAP.PRS clear)"};
	case IOMMUFD_FEATURE_PASID:
	case IOMMUFD_FEATURE_SYSWIDE_PASID:
		// edu has no PCI PASID capability.
		return {false, is_72 ? "VT-d: no PASID for this device" : "needs Linux "};
	case IOMMUFD_FEATURE_DIRTY_TRACKING:
		return sm && (ecap & kEcapSlads) ? Want{true, "VT-d: GET_HW_INFO reports"}
						 : Want{false, "IOMMU has no dirty tracking"};
	case IOMMUFD_FEATURE_MAP_FILE:
	case IOMMUFD_FEATURE_CHANGE_PROCESS:
		return {is_72, is_72 ? "a host feature" : "needs Linux "};
	}
	return {false, "?"};
}

TEST_F(EduProbe, AnswersFollowTheEcap)
{
	const Uname &u = RunningKernel();
	const bool is_72 = u.major > 6 || (u.major == 6 && u.minor >= 15);
	iommufd_hw_info info;

	ASSERT_EQ("", RoundTrip(0x21)) << "the DMA path works before probing";
	ASSERT_OK(iommufd_get_hw_info(ctx_, dev_id_, &info));
	ASSERT_EQ(IOMMUFD_HW_INFO_INTEL_VTD, info.type);
	printf("[edu probe] %s %s: VT-d cap 0x%" PRIx64 " ecap 0x%" PRIx64 ", PASID width %" PRIu32
	       "\n", u.release.c_str(), bdf_.c_str(), info.vtd.cap_reg, info.vtd.ecap_reg,
	       info.max_pasid_log2);
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		iommufd_feature_status st{};
		const Want want = Expected(f, info, is_72);

		ASSERT_OK(iommufd_probe_device_feature(ctx_, dev_id_, f, &st));
		printf("[edu probe] %s %-16s %-3s %s\n", u.release.c_str(), iommufd_feature_name(f),
		       st.supported ? "yes" : "no", st.reason);
		EXPECT_EQ(want.supported, st.supported != 0) << iommufd_feature_name(f);
		EXPECT_EQ(0u, std::string(st.reason).rfind(want.reason_start, 0))
			<< iommufd_feature_name(f) << ": \"" << st.reason << "\" does not begin with \""
			<< want.reason_start << "\"";
		EXPECT_EQ("", RoundTrip(static_cast<uint8_t>(0x30 + f)))
			<< "after probing " << iommufd_feature_name(f);
	}
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, hwpt_)) << "still attached to its HWPT";
}

} // namespace
