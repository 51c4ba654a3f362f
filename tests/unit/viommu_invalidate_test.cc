// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_viommu_invalidate(): the mock's device cache, cleared through
// the vIOMMU by the virtual ID of a vDEVICE, with the exact progress on
// failure (the same machinery as iommufd_hwpt_invalidate(), which
// hwpt_invalidate_test.cc covers in depth: batches, counts not told).
#include <unistd.h>

#include "viommu_test_support.h"

namespace {

using fake::Kver;
using Cache = std::array<uint32_t, 4>;

constexpr uint32_t kVirtId = 0x99;
constexpr uint32_t kAll = 1; // IOMMU_TEST_INVALIDATE_FLAG_ALL

class ViommuInvalidate : public ViommuTest {
protected:
	void SetUp() override
	{
		ViommuTest::SetUp();
		viommu_ = Viommu();
		Vdevice(viommu_, kVirtId);
		fk_.ResetCounters();
	}
	Cache DevCache() { return fake::DevCache(fk_, dev_); }
	int Invalidate(const void *e, uint32_t len, uint32_t *n, uint32_t type = kViommuInv)
	{
		return iommufd_viommu_invalidate(ctx_, viommu_, type, e, len, n);
	}
	// "IOMMU_HWPT_INVALIDATE of <the vIOMMU>"
	std::string Of() { return "IOMMU_HWPT_INVALIDATE of " + std::to_string(viommu_); }

	uint32_t viommu_ = 0;
};

TEST_P(ViommuInvalidate, EntriesClearTheDeviceCache)
{
	const iommufd_viommu_selftest_invalidate e[] = {{0, kVirtId, 0}, {0, kVirtId, 2}};
	uint32_t n = 2;

	EXPECT_EQ((Cache{kCacheDefault, kCacheDefault, kCacheDefault, kCacheDefault}), DevCache());
	ASSERT_EQ(0, Invalidate(e, kViommuInvLen, &n)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(2u, n);
	EXPECT_EQ((Cache{0, kCacheDefault, 0, kCacheDefault}), DevCache());
	EXPECT_EQ(1u, fk_.ioctls());
}

TEST_P(ViommuInvalidate, AllFlag)
{
	const iommufd_viommu_selftest_invalidate e = {kAll, kVirtId, 0};
	uint32_t n = 1;

	ASSERT_EQ(0, Invalidate(&e, kViommuInvLen, &n)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ((Cache{0, 0, 0, 0}), DevCache());
}

TEST_P(ViommuInvalidate, NoEntriesAsksForTheType)
{
	uint32_t n = 0;

	EXPECT_EQ(0, Invalidate(nullptr, 0, &n)) << iommufd_ctx_last_error(ctx_);
	EXPECT_FAILS(ctx_, EINVAL,
		     Of() + " with no entries (is data_type 0x1 taken?) failed (Invalid argument): "
			    "not a vIOMMU, data_type not its type",
		     Invalidate(nullptr, 0, &n, IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3));
	EXPECT_EQ(0u, n);
}

// A bad entry after good ones: those before it are done, the count says
// where it stopped.
TEST_P(ViommuInvalidate, PartialProgress)
{
	const iommufd_viommu_selftest_invalidate flags[] = {{0, kVirtId, 0}, {~0u, kVirtId, 1}};
	const iommufd_viommu_selftest_invalidate cache[] = {{0, kVirtId, 1}, {0, kVirtId, 4}};
	uint32_t n = 2;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     Of() + ": the kernel handled 1 of 2 entries; entry 1 failed (Operation not "
			    "supported): the object cannot invalidate caches, or the entry has "
			    "flags it does not support",
		     Invalidate(flags, kViommuInvLen, &n));
	EXPECT_EQ(1u, n);
	n = 2;
	EXPECT_FAILS(ctx_, EINVAL, Of() + ": the kernel handled 1 of 2 entries; entry 1 failed "
					  "(Invalid argument): the entry is invalid",
		     Invalidate(cache, kViommuInvLen, &n));
	EXPECT_EQ(1u, n);
	EXPECT_EQ((Cache{0, 0, kCacheDefault, kCacheDefault}), DevCache());
}

// An entry naming a virtual ID no vDEVICE has.
TEST_P(ViommuInvalidate, UnknownVirtId)
{
	const iommufd_viommu_selftest_invalidate e = {0, 0x9, 0};
	uint32_t n = 1;

	EXPECT_FAILS(ctx_, EINVAL, "handled 0 of 1 entries; entry 0 failed (Invalid argument)",
		     Invalidate(&e, kViommuInvLen, &n));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(kCacheDefault, DevCache()[0]);
}

// The mock zero-extends shorter entries and refuses longer ones only when
// the extra bytes are not zero (copy_struct_from_user()).
TEST_P(ViommuInvalidate, EntryLengths)
{
	const uint32_t shorter[] = {0, kVirtId}; // cache_id 0 by zero-extension
	const uint32_t longer[] = {0, kVirtId, 3, 0};
	const uint32_t garbage[] = {0, kVirtId, 3, 7};
	uint32_t n = 1;

	ASSERT_EQ(0, Invalidate(shorter, sizeof(shorter), &n)) << iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(0, Invalidate(longer, sizeof(longer), &n)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ((Cache{0, kCacheDefault, kCacheDefault, 0}), DevCache());
	EXPECT_FAILS(ctx_, E2BIG,
		     Of() + ": the kernel handled 0 of 1 entries; entry 0 failed (Argument list too "
			    "long): the entry is longer than the kernel's and the extra bytes are "
			    "not zero",
		     Invalidate(garbage, sizeof(garbage), &n));
	EXPECT_EQ(0u, n);
}

TEST_P(ViommuInvalidate, NoSuchViommu)
{
	const iommufd_viommu_selftest_invalidate e = {0, kVirtId, 0};
	uint32_t n = 1;

	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_HWPT_INVALIDATE of 77: the kernel handled 0 of 1 entries; entry 0 "
		     "failed (No such file or directory): it is no vIOMMU (no such object)",
		     iommufd_viommu_invalidate(ctx_, 77, kViommuInv, &e, kViommuInvLen, &n));
	EXPECT_EQ(0u, n);
	n = 1;
	EXPECT_FAILS(ctx_, EINVAL, "not a vIOMMU, data_type not its type",
		     iommufd_viommu_invalidate(ctx_, parent_, kViommuInv, &e, kViommuInvLen, &n));
}

TEST_P(ViommuInvalidate, ArgumentChecksBeforeTheKernel)
{
	const iommufd_viommu_selftest_invalidate e = {0, kVirtId, 0};
	uint32_t n = 1;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_viommu_invalidate: the context is NULL",
			iommufd_viommu_invalidate(nullptr, viommu_, kViommuInv, &e, kViommuInvLen,
						  &n));
	EXPECT_EQ(0u, n);
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_invalidate: entry_num is NULL",
			Invalidate(&e, kViommuInvLen, nullptr));
	n = 1;
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_invalidate: entries is NULL for 1 entries",
			Invalidate(nullptr, kViommuInvLen, &n));
	n = 1;
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_invalidate: entry_len 0 is not 1..",
			Invalidate(&e, 0, &n));
	n = 1;
	const long page = sysconf(_SC_PAGESIZE);
	EXPECT_REJECTED(ctx_, EINVAL, "entry_len " + std::to_string(page + 1) + " is not 1..",
			Invalidate(&e, static_cast<uint32_t>(page + 1), &n));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(kCacheDefault, DevCache()[0]);
}

// An ioctl that fails around the command says nothing of the entries.
TEST_P(ViommuInvalidate, InjectedFailure)
{
	const iommufd_viommu_selftest_invalidate e[] = {{0, kVirtId, 0}, {0, kVirtId, 1}};
	uint32_t n = 2;

	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT,
		     Of() + " failed (Bad address) without saying how many entries it handled: "
			    "entries 0..1 count as not handled",
		     Invalidate(e, kViommuInvLen, &n));
	EXPECT_EQ(0u, n);
	// An ENOENT from a kernel that has vIOMMUs stays ENOENT (the probe
	// behind the release sentence answers "known").
	fk_.FailIoctl(1, ENOENT);
	n = 2;
	EXPECT_FAILS(ctx_, ENOENT, "failed (No such file or directory) without saying",
		     Invalidate(e, kViommuInvLen, &n));
}

INSTANTIATE_FOR_PROFILES(ViommuInvalidate, ProfilesSince(Kver(6, 13)));

} // namespace
