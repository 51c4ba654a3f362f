// SPDX-License-Identifier: LGPL-2.1-or-later
// HW page tables on the mock: paging HWPTs with flags, nested HWPTs with
// the selftest's vendor data (BIND_PGTBL), cache invalidation checked
// against the mock IOTLB (CACHE_INVLD) with its exact progress, replacing
// a device between HWPTs, and every errno of these paths.
#include "hwpt_kernel.h"

#include <array>
#include <vector>

namespace {

constexpr uint32_t kSelftestInv = IOMMUFD_INVALIDATE_DATA_SELFTEST;
constexpr uint32_t kInvLen = sizeof(iommufd_selftest_invalidate);
constexpr uint32_t kInvAll = 1; // IOMMU_TEST_INVALIDATE_FLAG_ALL

class HwptTest : public HwptKernelTest {};

// ---- paging HWPTs ----------------------------------------------------------

TEST_F(HwptTest, PagingHwptMapsTheIoas)
{
	Buffer buf(4 * PageSize());
	const uint64_t iova = Map(ioas_, buf.p(), buf.size());
	const uint32_t hwpt = Paging();
	MockDev other;

	ASSERT_NE(0u, hwpt);
	EXPECT_EQ(0, CheckMap(hwpt, iova, buf.size(), buf.p())) << iommufd_ctx_last_error(ctx_);
	// A second mock device attached to it sees the same mappings.
	ASSERT_OK(iommufd_test_mock_domain(ctx_, hwpt, 0, &other.stdev_id, &other.hwpt_id,
					   &other.dev_id));
	EXPECT_EQ(hwpt, other.hwpt_id);
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, hwpt));
	Destroy(other.stdev_id);
	Destroy(hwpt);
}

TEST_F(HwptTest, FlagsNestParentAndDirty)
{
	const uint32_t hwpt = Paging(IOMMUFD_HWPT_NEST_PARENT | IOMMUFD_HWPT_DIRTY_TRACKING);

	ASSERT_NE(0u, hwpt);
	EXPECT_OK(iommufd_hwpt_set_dirty_tracking(ctx_, hwpt, 1));
	Destroy(hwpt);
}

TEST_F(HwptTest, NoSuchDeviceOrParent)
{
	uint32_t id = 0;

	EXPECT_ERRNO(ENOENT, iommufd_hwpt_alloc(ctx_, 0x7777, ioas_, nullptr, &id));
	EXPECT_ERRNO(ENOENT, iommufd_hwpt_alloc(ctx_, ioas_, ioas_, nullptr, &id))
		<< "an IOAS is no device";
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, 0x7777, nullptr, &id));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, dev_.dev_id, nullptr, &id))
		<< "a device is no page table";
	EXPECT_EQ(0u, id);
}

// A device whose IOMMU does not track dirty pages: the sentence names the
// IOMMU, not a release.
TEST_F(HwptTest, DirtyOnAnIommuWithoutIt)
{
	MockDev nodirty;
	const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
	uint32_t id = 0;

	ASSERT_OK(iommufd_test_mock_domain(ctx_, ioas_, IOMMUFD_TEST_DEVICE_NO_DIRTY,
					   &nodirty.stdev_id, &nodirty.hwpt_id, &nodirty.dev_id));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, nodirty.dev_id, ioas_, &o, &id));
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("IOMMU does not support this HWPT (flags "
						   "DIRTY_TRACKING"))
		<< iommufd_ctx_last_error(ctx_);
	// And a device without it cannot join a dirty-tracking HWPT.
	const uint32_t dirty = Paging(IOMMUFD_HWPT_DIRTY_TRACKING);
	EXPECT_ERRNO(EINVAL, iommufd_test_mock_domain_replace(ctx_, nodirty.stdev_id, dirty,
							      nullptr));
}

TEST_F(HwptTest, ArgumentChecksBeforeTheKernel)
{
	const uint32_t data = 1;
	uint32_t id = 0;
	iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_NEST_PARENT, 5);

	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	o = AllocOpts(1u << 2);
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, 4, nullptr);
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_NONE, 4, &data);
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, nullptr, nullptr));
}

// The mock's paging domain takes a fault queue only from 7.x on; either
// way a queue that does not exist is ENOENT (or the 6.12 refusal).
TEST_F(HwptTest, NoSuchFaultQueue)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_hwpt_selftest data = {1};
	const iommufd_hwpt_alloc_opts o =
		AllocOpts(0, 0x7777, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_ERRNO(ENOENT, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id));
}

// ---- PASID-compatible HWPTs: 7.2 has them, 6.12 says which release ---------

TEST_F(HwptTest, PasidFlag)
{
	const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_PASID);
	uint32_t id = 0;

	if (KernelAtLeast(6, 15)) {
		EXPECT_OK(iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
		return;
	}
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, ioas_, &o, &id));
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("flag PASID needs Linux 6.15 or newer (this "
						   "kernel is 6.12)"))
		<< iommufd_ctx_last_error(ctx_);
}

// ---- nested HWPTs (BIND_PGTBL) ---------------------------------------------

TEST_F(HwptTest, NestedCarriesTheVendorData)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t nested = Nested(parent, 0x1234);

	ASSERT_NE(0u, nested);
	for (uint32_t i = 0; i < kMockIotlbs; i++)
		EXPECT_TRUE(Iotlb(nested, i, 0x1234));
	EXPECT_ERRNO(EINVAL, iommufd_test_check_iotlb(ctx_, nested, 0, 0x4321));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, parent)) << "the nested HWPT holds its parent";
	// The mock device moves onto the nested HWPT and back.
	uint32_t now = 0;
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, nested, &now));
	EXPECT_EQ(nested, now);
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, nested));
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, ioas_, &now));
	Destroy(nested);
	Destroy(parent);
}

TEST_F(HwptTest, NestedErrnos)
{
	const uint32_t plain = Paging();
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_hwpt_selftest data = {1};
	const iommufd_hwpt_vtd_s1 vtd = {0, 0x1000, 48, 0};
	const uint8_t short_data[2] = {1, 2};
	uint32_t id = 0;

	iommufd_hwpt_alloc_opts o =
		AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, plain, &o, &id))
		<< "the parent is no NEST_PARENT";
	o.flags = IOMMUFD_HWPT_DIRTY_TRACKING;
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id));
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("a nested HWPT takes no NEST_PARENT or "
						   "DIRTY_TRACKING"));
	o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_VTD_S1, sizeof(vtd), &vtd);
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id))
		<< "the mock takes selftest data only";
	o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(short_data), short_data);
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id))
		<< "shorter than the mock's struct";
	// A nested HWPT is no parent.
	const uint32_t nested = Nested(parent);
	o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, nested, &o, &id));
	EXPECT_EQ(0u, id);
}

// The mock's data grew pagetable_type in 7.x.  Both kernels refuse data
// longer than their struct, even when the extra bytes are zero.
TEST_F(HwptTest, VendorDataLongerThanTheKernels)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t data[3] = {kIotlbDefault, 0, 0};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, 12, data);
	uint32_t id = 0;

	EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id));
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("(data_len 12 is more than the 4 bytes this "
						   "library knows of the type; a kernel refuses "
						   "data longer than its own struct, zero or not)"))
		<< iommufd_ctx_last_error(ctx_);
	o.data_len = 8;
	if (KernelAtLeast(7, 0)) {
		EXPECT_OK(iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id));
		EXPECT_TRUE(Iotlb(id, 0, kIotlbDefault));
	} else {
		EXPECT_ERRNO(EINVAL, iommufd_hwpt_alloc(ctx_, dev_.dev_id, parent, &o, &id))
			<< "6.12's struct iommu_hwpt_selftest is 4 bytes";
	}
}

// ---- invalidation (CACHE_INVLD) --------------------------------------------

class InvalidateTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure())
			return;
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
		nested_ = Nested(parent_);
		ASSERT_NE(0u, nested_);
	}
	int Invalidate(const std::vector<iommufd_selftest_invalidate> &e, uint32_t *n)
	{
		*n = static_cast<uint32_t>(e.size());
		return iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, e.data(), kInvLen, n);
	}
	void ExpectIotlb(std::array<uint32_t, 4> want)
	{
		for (uint32_t i = 0; i < kMockIotlbs; i++)
			EXPECT_TRUE(Iotlb(nested_, i, want[i]));
	}

	uint32_t parent_ = 0, nested_ = 0;
};

TEST_F(InvalidateTest, EntriesClearTheMockIotlb)
{
	uint32_t n = 0;

	ASSERT_OK(Invalidate({{0, 1}, {0, 3}}, &n));
	EXPECT_EQ(2u, n);
	ExpectIotlb({kIotlbDefault, 0, kIotlbDefault, 0});
	ASSERT_OK(Invalidate({{kInvAll, 0}}, &n));
	EXPECT_EQ(1u, n);
	ExpectIotlb({0, 0, 0, 0});
}

// An invalid entry in the middle: entry_num says where the kernel stopped,
// the entries before it took effect and the ones after it did not.
TEST_F(InvalidateTest, PartialProgress)
{
	uint32_t n = 0;

	EXPECT_ERRNO(EINVAL, Invalidate({{0, 0}, {0, 1}, {0, 9}, {0, 3}}, &n));
	EXPECT_EQ(2u, n);
	EXPECT_NE(std::string::npos, std::string(iommufd_ctx_last_error(ctx_))
					     .find("the kernel handled 2 of 4 entries; entry 2 "
						   "failed"))
		<< iommufd_ctx_last_error(ctx_);
	ExpectIotlb({0, 0, kIotlbDefault, kIotlbDefault});
	EXPECT_ERRNO(EOPNOTSUPP, Invalidate({{0, 2}, {0x80, 3}}, &n)) << "unknown entry flag";
	EXPECT_EQ(1u, n);
	ExpectIotlb({0, 0, 0, kIotlbDefault});
}

TEST_F(InvalidateTest, NoEntriesAsksForTheType)
{
	uint32_t n = 0;

	EXPECT_OK(iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, nullptr, 0, &n));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_invalidate(ctx_, nested_, IOMMUFD_INVALIDATE_DATA_VTD_S1,
						     nullptr, 0, &n));
	EXPECT_EQ(0u, n);
}

TEST_F(InvalidateTest, Errnos)
{
	const iommufd_selftest_invalidate e = {0, 1};
	const uint32_t longer[3] = {0, 2, 0};
	uint32_t n = 1;

	// A paging HWPT: 7.2 looks up any object (vIOMMUs), 6.12 a nested HWPT.
	EXPECT_ERRNO(KernelAtLeast(6, 13) ? EINVAL : ENOENT,
		     iommufd_hwpt_invalidate(ctx_, parent_, kSelftestInv, &e, kInvLen, &n));
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_ERRNO(ENOENT, iommufd_hwpt_invalidate(ctx_, 0x7777, kSelftestInv, &e, kInvLen, &n));
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, longer,
						     sizeof(longer), &n))
		<< "longer than the mock's entry, though the extra word is zero";
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, &e, 4, &n))
		<< "shorter than the mock's entry";
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, nullptr,
						     kInvLen, &n));
	EXPECT_ERRNO(EINVAL, iommufd_hwpt_invalidate(ctx_, nested_, kSelftestInv, &e, kInvLen,
						     nullptr));
	ExpectIotlb({kIotlbDefault, kIotlbDefault, kIotlbDefault, kIotlbDefault});
}

// ---- replacing a device's HWPT ----------------------------------------------

TEST_F(HwptTest, ReplaceBetweenHwpts)
{
	Buffer buf(2 * PageSize());
	const uint64_t iova = Map(ioas_, buf.p(), buf.size());
	const uint32_t a = Paging(), b = Paging();
	uint32_t now = 0;

	ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, a, &now));
	EXPECT_EQ(a, now);
	EXPECT_EQ(0, CheckMap(a, iova, buf.size(), buf.p()));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, a));
	ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, b, &now));
	EXPECT_EQ(b, now);
	EXPECT_EQ(0, CheckMap(b, iova, buf.size(), buf.p()));
	Destroy(a); // no longer attached
	EXPECT_ERRNO(ENOENT, iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, a, nullptr));
	ASSERT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, ioas_, &now));
	EXPECT_NE(b, now) << "back on an automatic domain of the IOAS";
	Destroy(b);
}

} // namespace
