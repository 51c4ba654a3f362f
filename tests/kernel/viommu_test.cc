// SPDX-License-Identifier: LGPL-2.1-or-later
// The mock vIOMMU (7.2), in the manner of the kernel's iommufd_viommu
// selftests: a vIOMMU of type SELFTEST on a NEST_PARENT HWPT, its data
// loopback and the page it offers to mmap, nested HWPTs on it, vDEVICEs
// with their virtual IDs, vIOMMU invalidation checked against the mock's
// device cache (DEV_CHECK_CACHE), HW queues with the mock's index rules,
// and what holds what (EBUSY).  On 6.12 every call must name the release
// it needs, and the device probe must report vIOMMU and HW queues absent.
#include "hwpt_kernel.h"
#include "test_helpers.h"

#include <array>
#include <string>

#include <libiommufd/probe.h>

namespace {

constexpr uint32_t kType = IOMMUFD_VIOMMU_TYPE_SELFTEST;
constexpr uint32_t kQueue = IOMMUFD_HW_QUEUE_TYPE_SELFTEST;
constexpr uint32_t kInv = IOMMUFD_INVALIDATE_DATA_SELFTEST;
constexpr uint32_t kInvLen = sizeof(iommufd_viommu_selftest_invalidate);
constexpr uint32_t kInvAll = 1;                 // IOMMU_TEST_INVALIDATE_FLAG_ALL
constexpr uint32_t kInvInvalidType = 0xdadbeef; // ..._SELFTEST_INVALID
constexpr uint32_t kCacheDefault = 0xbaddad;    // IOMMU_TEST_DEV_CACHE_DEFAULT
constexpr uint32_t kCaches = 4;                 // MOCK_DEV_CACHE_NUM
constexpr uint32_t kQueueMax = 2;               // IOMMU_TEST_HW_QUEUE_MAX

class ViommuTest : public HwptKernelTest {
protected:
	void SetUp() override
	{
		HwptKernelTest::SetUp();
		if (HasFatalFailure() || !HasViommu())
			return;
		parent_ = Paging(IOMMUFD_HWPT_NEST_PARENT);
	}

	bool HasViommu() const { return KernelAtLeast(6, 13); }
	bool HasHwQueue() const { return KernelAtLeast(6, 17); } // and vIOMMU data, mmap

	// A vIOMMU of the mock's type on the NEST_PARENT HWPT; asserts success.
	uint32_t Viommu(iommufd_viommu_selftest *data = nullptr)
	{
		const iommufd_viommu_alloc_opts o = ViommuOpts(data, data ? sizeof(*data) : 0);
		uint32_t id = 0;

		EXPECT_OK(iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_, kType, &o, &id));
		return id;
	}

	uint32_t Vdevice(uint32_t viommu, uint64_t virt_id)
	{
		uint32_t id = 0;

		EXPECT_OK(iommufd_vdevice_alloc(ctx_, viommu, dev_.dev_id, virt_id, &id));
		return id;
	}

	// Cache entry @i of the fixture's device holds @v.
	::testing::AssertionResult Cache(uint32_t i, uint32_t v)
	{
		const int rc = iommufd_test_check_dev_cache(ctx_, dev_.dev_id, i, v);

		if (!rc)
			return ::testing::AssertionSuccess();
		return ::testing::AssertionFailure() << "device cache " << i << " is not 0x"
						     << std::hex << v << ": "
						     << iommufd_ctx_last_error(ctx_);
	}
	::testing::AssertionResult Caches(std::array<uint32_t, kCaches> want)
	{
		for (uint32_t i = 0; i < kCaches; i++)
			if (auto r = Cache(i, want[i]); !r)
				return r;
		return ::testing::AssertionSuccess();
	}

	// The last sentence contains @what.
	::testing::AssertionResult Said(const std::string &what)
	{
		const std::string s = iommufd_ctx_last_error(ctx_);

		if (s.find(what) != std::string::npos)
			return ::testing::AssertionSuccess();
		return ::testing::AssertionFailure() << "\"" << s << "\" does not say \"" << what
						     << "\"";
	}

	uint32_t parent_ = 0;
};

#define SKIP_WITHOUT(HAS, WHAT, RELEASE)                                                     \
	do {                                                                                 \
		if (!(HAS))                                                                  \
			GTEST_SKIP() << WHAT " needs Linux " RELEASE ", this is "            \
				     << RunningKernel().release                              \
				     << " (AbsentOnOlderKernels checks the refusal)";         \
	} while (0)
#define SKIP_WITHOUT_VIOMMU() SKIP_WITHOUT(HasViommu(), "IOMMU_VIOMMU_ALLOC", "6.13")
#define SKIP_WITHOUT_HW_QUEUE() \
	SKIP_WITHOUT(HasHwQueue(), "IOMMU_HW_QUEUE_ALLOC (and vIOMMU data, mmap)", "6.17")

// ---- vIOMMU ---------------------------------------------------------------------

// Everything hangs off the vIOMMU and holds what it stands on; destroyed
// newest first, each step frees the one before.
TEST_F(ViommuTest, WhatHoldsWhat)
{
	SKIP_WITHOUT_VIOMMU();
	const uint32_t viommu = Viommu();
	ASSERT_NE(0u, viommu);
	const uint32_t nested = Nested(viommu);
	const uint32_t vdev = Vdevice(viommu, 0x99);

	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, parent_));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, viommu));
	Destroy(vdev);
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, viommu)) << "the nested HWPT holds it";
	Destroy(nested);
	Destroy(viommu);
	Destroy(parent_);
}

TEST_F(ViommuTest, AllocErrnos)
{
	SKIP_WITHOUT_VIOMMU();
	const uint32_t plain = Paging();
	iommufd_viommu_alloc_opts o = ViommuOpts(nullptr, 0, 1u << 5);
	uint32_t id = 0;

	EXPECT_ERRNO(ENOENT, iommufd_viommu_alloc(ctx_, dev_.dev_id, 0, kType, nullptr, &id));
	EXPECT_ERRNO(ENOENT, iommufd_viommu_alloc(ctx_, dev_.dev_id, ioas_, kType, nullptr, &id))
		<< "an IOAS is no paging HWPT";
	EXPECT_ERRNO(ENOENT, iommufd_viommu_alloc(ctx_, 0x7777, parent_, kType, nullptr, &id));
	EXPECT_ERRNO(EINVAL, iommufd_viommu_alloc(ctx_, dev_.dev_id, plain, kType, nullptr, &id));
	EXPECT_TRUE(Said("is not a NEST_PARENT HWPT"));
	EXPECT_ERRNO(EOPNOTSUPP,
		     iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_, 0xdead, nullptr, &id));
	EXPECT_TRUE(Said("IOMMU does not offer vIOMMU type 0xdead"));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_,
						      IOMMUFD_VIOMMU_TYPE_DEFAULT, nullptr, &id));
	EXPECT_TRUE(Said("the kernel refuses DEFAULT"));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_, kType, &o, &id));
	EXPECT_TRUE(Said("iommufd_viommu_alloc: unknown flags 0x20")) << "caught before the kernel";
	EXPECT_EQ(0u, id);
	Destroy(plain);
}

// 6.17: the mock copies in_data to out_data and to a page it offers.
TEST_F(ViommuTest, DataLoopbackAndMmap)
{
	SKIP_WITHOUT_HW_QUEUE();
	iommufd_viommu_selftest data = {};
	data.in_data = 0xbeef;
	const uint32_t viommu = Viommu(&data);
	const uint64_t off = data.out_mmap_offset, len = data.out_mmap_length;
	void *p = nullptr;

	ASSERT_NE(0u, viommu);
	EXPECT_EQ(0xbeefu, data.out_data);
	EXPECT_EQ(2 * PageSize(), len);
	EXPECT_NE(0u, off);
	// Only the exact region maps.
	EXPECT_ERRNO(ENXIO, iommufd_viommu_mmap(ctx_, off + PageSize(), len, &p));
	EXPECT_ERRNO(ENXIO, iommufd_viommu_mmap(ctx_, off + 2 * PageSize(), len, &p));
	EXPECT_ERRNO(ENXIO, iommufd_viommu_mmap(ctx_, off, len / 2, &p));
	EXPECT_ERRNO(ENXIO, iommufd_viommu_mmap(ctx_, off, len * 2, &p));
	EXPECT_ERRNO(EINVAL, iommufd_viommu_mmap(ctx_, off + 1, len, &p)) << "caught before";
	EXPECT_EQ(nullptr, p);
	ASSERT_OK(iommufd_viommu_mmap(ctx_, off, len, &p));
	EXPECT_EQ(0xbeefu, *static_cast<volatile uint32_t *>(p));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, viommu)) << "the mapping holds its vIOMMU";
	EXPECT_OK(iommufd_viommu_munmap(ctx_, p, len));
	Destroy(viommu);
	// Once gone, its region is gone too.
	EXPECT_ERRNO(ENXIO, iommufd_viommu_mmap(ctx_, off, len, &p));
}

// The kernel takes the data from its first member set (out_data) to its
// full size; shorter or longer, even with zeros, is EINVAL.
TEST_F(ViommuTest, DataOfTheWrongLength)
{
	SKIP_WITHOUT_HW_QUEUE();
	unsigned char data[40] = {};
	uint32_t id = 0;

	for (uint32_t len : {4u, 25u, 40u}) {
		const iommufd_viommu_alloc_opts o = ViommuOpts(data, len);
		EXPECT_ERRNO(EINVAL,
			     iommufd_viommu_alloc(ctx_, dev_.dev_id, parent_, kType, &o, &id))
			<< len << " bytes";
	}
	EXPECT_TRUE(Said("or the IOMMU refused the data"));
	EXPECT_EQ(0u, id);
}

// ---- vDEVICE ----------------------------------------------------------------------

// A nested HWPT on the vIOMMU needs the device's vDEVICE before the device
// can attach to it; one vDEVICE per device.
TEST_F(ViommuTest, VdeviceBeforeAttach)
{
	SKIP_WITHOUT_VIOMMU();
	const uint32_t viommu = Viommu();
	const uint32_t nested = Nested(viommu);
	uint32_t id = 0;

	EXPECT_ERRNO(ENOENT, iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, nested, nullptr));
	uint32_t vdev = Vdevice(viommu, 0x99);
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, nested, nullptr));
	EXPECT_ERRNO(EEXIST, iommufd_vdevice_alloc(ctx_, viommu, dev_.dev_id, 0x99, &id));
	EXPECT_TRUE(Said("has a vDEVICE already"));
	EXPECT_ERRNO(EEXIST, iommufd_vdevice_alloc(ctx_, viommu, dev_.dev_id, 0x88, &id));
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, ioas_, nullptr));
	Destroy(vdev);
	// Again, with another virtual ID.
	vdev = Vdevice(viommu, 0x88);
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, nested, nullptr));
	EXPECT_OK(iommufd_test_mock_domain_replace(ctx_, dev_.stdev_id, ioas_, nullptr));
	Destroy(vdev);
	Destroy(nested);
	EXPECT_ERRNO(ENOENT, iommufd_vdevice_alloc(ctx_, 0x7777, dev_.dev_id, 0x99, &id));
	EXPECT_ERRNO(ENOENT, iommufd_vdevice_alloc(ctx_, viommu, 0x7777, 0x99, &id));
	EXPECT_EQ(0u, id);
}

// Unplugging the device takes its vDEVICE along (7.x: the vDEVICE is a
// tombstone, its ID gone).
TEST_F(ViommuTest, VdeviceGoesWithItsDevice)
{
	SKIP_WITHOUT_HW_QUEUE();
	const uint32_t viommu = Viommu();
	const uint32_t vdev = Vdevice(viommu, 0x99);

	Destroy(dev_.stdev_id);
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, vdev));
	Destroy(viommu);
}

// ---- vIOMMU invalidation (the mock's device cache) -------------------------------

TEST_F(ViommuTest, InvalidateDeviceCache)
{
	SKIP_WITHOUT_VIOMMU();
	const uint32_t viommu = Viommu();
	const uint32_t vdev = Vdevice(viommu, 0x99);
	iommufd_viommu_selftest_invalidate e[2] = {};
	uint32_t n = 0;
	auto inv = [&](uint32_t num, uint32_t type = kInv, uint32_t len = kInvLen,
		       const void *entries = nullptr) {
		n = num;
		return iommufd_viommu_invalidate(ctx_, viommu, type, entries ? entries : e, len, &n);
	};
	const uint32_t d = kCacheDefault;

	EXPECT_TRUE(Caches({d, d, d, d}));
	// No entries: does the vIOMMU take the type?
	EXPECT_OK(inv(0));
	EXPECT_EQ(0u, n);
	EXPECT_ERRNO(EINVAL, inv(1, kInvInvalidType));
	EXPECT_EQ(0u, n);
	// Longer entries with zeros, shorter ones: zero-extended, so vdev_id 0,
	// which no vDEVICE has.
	EXPECT_ERRNO(EINVAL, inv(1, kInv, kInvLen + 1));
	EXPECT_ERRNO(EINVAL, inv(1, kInv, 1));
	EXPECT_EQ(0u, n);
	e[0] = {~0u, 0x99, 0};
	EXPECT_ERRNO(EOPNOTSUPP, inv(1));
	EXPECT_EQ(0u, n);
	e[0] = {0, 0x99, kCaches};
	EXPECT_ERRNO(EINVAL, inv(1));
	e[0] = {0, 0x9, 0};
	EXPECT_ERRNO(EINVAL, inv(1));
	EXPECT_TRUE(Caches({d, d, d, d}));
	// A bad second entry: the first is done, and the count says so.
	e[0] = {0, 0x99, 0};
	e[1] = {~0u, 0x99, 1};
	EXPECT_ERRNO(EOPNOTSUPP, inv(2));
	EXPECT_EQ(1u, n);
	EXPECT_TRUE(Said("the kernel handled 1 of 2 entries; entry 1 failed"));
	EXPECT_TRUE(Caches({0, d, d, d}));
	e[1] = {0, 0x99, kCaches};
	EXPECT_ERRNO(EINVAL, inv(2));
	EXPECT_EQ(1u, n);
	EXPECT_TRUE(Caches({0, d, d, d}));
	// Good entries.
	e[0] = {0, 0x99, 1};
	EXPECT_OK(inv(1));
	EXPECT_EQ(1u, n);
	EXPECT_TRUE(Caches({0, 0, d, d}));
	e[0] = {0, 0x99, 2};
	e[1] = {0, 0x99, 3};
	EXPECT_OK(inv(2));
	EXPECT_EQ(2u, n);
	EXPECT_TRUE(Caches({0, 0, 0, 0}));
	e[0] = {kInvAll, 0x99, 0};
	EXPECT_OK(inv(1));
	EXPECT_TRUE(Caches({0, 0, 0, 0}));
	Destroy(vdev);
}

// The ways the call itself can go wrong, before and at the kernel.
TEST_F(ViommuTest, InvalidateErrnos)
{
	SKIP_WITHOUT_VIOMMU();
	const uint32_t viommu = Viommu();
	const uint32_t vdev = Vdevice(viommu, 0x99);
	const uint32_t garbage[] = {0, 0x99, 0, 7}; // a longer entry, not zero past the struct
	const iommufd_viommu_selftest_invalidate e = {0, 0x99, 0};
	uint32_t n = 1;

	EXPECT_ERRNO(E2BIG, iommufd_viommu_invalidate(ctx_, viommu, kInv, garbage,
						      sizeof(garbage), &n));
	EXPECT_TRUE(Said("the extra bytes are not zero"));
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_ERRNO(ENOENT, iommufd_viommu_invalidate(ctx_, 0x7777, kInv, &e, kInvLen, &n));
	EXPECT_TRUE(Said("it is no vIOMMU"));
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_viommu_invalidate(ctx_, ioas_, kInv, &e, kInvLen, &n));
	EXPECT_TRUE(Said("not a vIOMMU"));
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_viommu_invalidate(ctx_, viommu, kInv, nullptr, kInvLen, &n));
	EXPECT_TRUE(Said("iommufd_viommu_invalidate: entries is NULL")) << "caught before";
	n = 1;
	EXPECT_ERRNO(EINVAL, iommufd_viommu_invalidate(ctx_, viommu, kInv, &e, 0, &n));
	EXPECT_TRUE(Said("iommufd_viommu_invalidate: entry_len 0")) << "caught before";
	EXPECT_TRUE(Cache(0, kCacheDefault));
	Destroy(vdev);
}

// ---- HW queues ----------------------------------------------------------------------

TEST_F(ViommuTest, HwQueues)
{
	SKIP_WITHOUT_HW_QUEUE();
	const uint64_t page = PageSize();
	const uint32_t viommu = Viommu();
	Buffer buf(2 * page);
	uint32_t q[2] = {}, id = 0;

	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hw_queue_alloc(ctx_, viommu, IOMMUFD_HW_QUEUE_TYPE_DEFAULT,
							0, kApStart, page, &id));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hw_queue_alloc(ctx_, viommu,
							IOMMUFD_HW_QUEUE_TYPE_TEGRA241_CMDQV, 0,
							kApStart, page, &id));
	EXPECT_ERRNO(EINVAL, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 0, kApStart, 0, &id));
	EXPECT_TRUE(Said("iommufd_hw_queue_alloc: queue length is 0")) << "caught before";
	EXPECT_ERRNO(EOVERFLOW, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 0, ~0ull, page, &id));
	EXPECT_TRUE(Said("wraps past the end of the 64-bit space")) << "caught before";
	EXPECT_ERRNO(ENOENT, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 0, kApStart, page, &id));
	EXPECT_TRUE(Said("the range is not mapped"));
	const uint64_t iova = Map(ioas_, buf.p(), page);
	const uint64_t iova2 = Map(ioas_, buf.p() + page, page);
	// Queues come in index order, up to the mock's two.
	EXPECT_ERRNO(EIO, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 1, iova, page, &id));
	EXPECT_TRUE(Said("the previous index has none"));
	EXPECT_ERRNO(EINVAL, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, kQueueMax, iova, page,
						    &id));
	ASSERT_OK(iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 0, iova, page, &q[0]));
	EXPECT_ERRNO(EEXIST, iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 0, iova, page, &id));
	// The queue pins its page; the next page is free to go.
	EXPECT_ERRNO(EBUSY, iommufd_ioas_unmap(ctx_, ioas_, iova, page, nullptr));
	EXPECT_EQ(page, Unmap(ioas_, iova2, page));
	// Half a page, unaligned.
	ASSERT_OK(iommufd_hw_queue_alloc(ctx_, viommu, kQueue, 1, iova + page / 2, page / 2,
					 &q[1]));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, q[0])) << "queue 1 depends on queue 0";
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, viommu));
	Destroy(q[1]);
	Destroy(q[0]);
	EXPECT_EQ(page, Unmap(ioas_, iova, page));
	Destroy(viommu);
	EXPECT_EQ(0u, id);
}

// ---- kernels without them ----------------------------------------------------------

// The probe agrees with the kernel: vIOMMUs from 6.13, HW queues from 6.17.
TEST_F(ViommuTest, ProbeReportsWhatTheKernelHas)
{
	iommufd_feature_status st{};

	ASSERT_OK(iommufd_probe_device_feature(ctx_, dev_.dev_id, IOMMUFD_FEATURE_VIOMMU, &st));
	EXPECT_EQ(HasViommu() ? 1u : 0u, st.supported) << st.reason;
	if (!HasViommu()) {
		EXPECT_EQ(0, std::string(st.reason).rfind("needs Linux 6.13", 0)) << st.reason;
	}
	ASSERT_OK(iommufd_probe_device_feature(ctx_, dev_.dev_id, IOMMUFD_FEATURE_HW_QUEUE, &st));
	EXPECT_EQ(HasHwQueue() ? 1u : 0u, st.supported) << st.reason;
	if (!HasHwQueue()) {
		EXPECT_EQ(0, std::string(st.reason).rfind("needs Linux 6.17", 0)) << st.reason;
	}
	std::printf("[ viommu   ] probe: VIOMMU %s, HW_QUEUE %s\n", HasViommu() ? "yes" : "no",
		    st.supported ? "yes" : "no");
}

TEST_F(ViommuTest, AbsentOnOlderKernels)
{
	if (HasHwQueue())
		GTEST_SKIP() << "this kernel (" << RunningKernel().release
			     << ") has vIOMMUs, data, mmap and HW queues; the other tests run";
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_viommu_selftest_invalidate e = {0, 0x99, 0};
	uint32_t id = 0, n = 1;
	void *p = nullptr;

	if (!HasViommu()) {
		EXPECT_ERRNO(EOPNOTSUPP,
			     iommufd_viommu_alloc(ctx_, dev_.dev_id, parent, kType, nullptr, &id));
		EXPECT_TRUE(Said("IOMMU_VIOMMU_ALLOC needs Linux 6.13 or newer"));
		EXPECT_ERRNO(EOPNOTSUPP, iommufd_vdevice_alloc(ctx_, 1, dev_.dev_id, 0x99, &id));
		EXPECT_TRUE(Said("IOMMU_VDEVICE_ALLOC needs Linux 6.13 or newer"));
		EXPECT_ERRNO(EOPNOTSUPP, iommufd_viommu_invalidate(ctx_, 1, kInv, &e, kInvLen, &n));
		EXPECT_TRUE(Said("vIOMMUs need Linux 6.13 or newer"));
		EXPECT_EQ(0u, n);
	}
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_hw_queue_alloc(ctx_, 1, kQueue, 0, kApStart,
							PageSize(), &id));
	EXPECT_TRUE(Said("IOMMU_HW_QUEUE_ALLOC needs Linux 6.17 or newer"));
	EXPECT_ERRNO(ENODEV, iommufd_viommu_mmap(ctx_, PageSize(), 2 * PageSize(), &p));
	EXPECT_TRUE(Said("this kernel cannot mmap an iommufd (needs Linux 6.17 or newer)"));
	EXPECT_EQ(nullptr, p);
	EXPECT_EQ(0u, id);
	std::printf("[ viommu   ] %s: %s\n", RunningKernel().release.c_str(),
		    iommufd_ctx_last_error(ctx_));
	Destroy(parent);
}

} // namespace
