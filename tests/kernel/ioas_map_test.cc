// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_IOAS_ALLOC, _MAP, _UNMAP and _COPY for real, with mock devices
// proving where each mapping landed.
#include "kernel_test.h"

#include <sys/mman.h>

#include <cstring>

namespace {

using IoasTest = KernelTest;

// ---- alloc -----------------------------------------------------------------

TEST_F(IoasTest, AllocGivesDistinctIds)
{
	uint32_t a = NewIoas(), b = NewIoas();

	EXPECT_NE(a, b);
	Destroy(a);
	Destroy(b);
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, a));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_alloc(ctx_, nullptr));
}

// ---- map -------------------------------------------------------------------

TEST_F(IoasTest, MapKernelChosenIovaLandsInTheMockDomain)
{
	const uint64_t page = PageSize();
	Buffer buf(8 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = Map(ioas, buf.p(), buf.size());

	EXPECT_GE(iova, kApStart);
	EXPECT_LE(iova + buf.size() - 1, kApLast);
	EXPECT_EQ(0u, iova % page) << "the kernel keeps the buffer's page offset";
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
	// The mock looks into one domain: it wants the HWPT, not the IOAS.
	EXPECT_ERRNO(ENOENT, iommufd_test_check_map(ctx_, ioas, iova, buf.size(), buf.p()));
	// Mapped into a domain means pinned, once; the check is not vacuous.
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1));
	EXPECT_EQ(-EIO, CheckRefs(buf.p(), buf.size(), 0));

	EXPECT_EQ(buf.size(), Unmap(ioas, iova, buf.size()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
	EXPECT_EQ(-EINVAL, CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
}

TEST_F(IoasTest, MapFixedIovaLandsWhereAsked)
{
	const uint64_t page = PageSize();
	Buffer a(2 * page), b(3 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	const uint64_t ia = kApStart + 16 * page, ib = ia + a.size();

	MapFixed(ioas, a.p(), a.size(), ia);
	MapFixed(ioas, b.p(), b.size(), ib);
	EXPECT_OK(CheckMap(dev.hwpt_id, ia, a.size(), a.p()));
	EXPECT_OK(CheckMap(dev.hwpt_id, ib, b.size(), b.p()));
	// b's pages are not where a is mapped.
	EXPECT_EQ(-EINVAL, CheckMap(dev.hwpt_id, ia, a.size(), b.p()));
	// The last page of the aperture can be mapped.
	MapFixed(ioas, a.p(), page, kApLast + 1 - page);
	EXPECT_OK(CheckMap(dev.hwpt_id, kApLast + 1 - page, page, a.p()));
	EXPECT_EQ(a.size() + b.size() + page, UnmapAll(ioas));
}

// Mappings made before a device attaches are filled into its domain.
TEST_F(IoasTest, AttachFillsExistingMappings)
{
	Buffer buf(4 * PageSize());
	uint32_t ioas = NewIoas();
	uint64_t iova = kApStart + 0x100000;

	MapFixed(ioas, buf.p(), buf.size(), iova);
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0)) << "no domain yet: nothing pinned";
	MockDev d1 = AddMockDev(ioas);
	MockDev d2 = AddMockDev(ioas);
	EXPECT_OK(CheckMap(d1.hwpt_id, iova, buf.size(), buf.p()));
	EXPECT_OK(CheckMap(d2.hwpt_id, iova, buf.size(), buf.p()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1)) << "two domains share one pin";
	Destroy(d1.stdev_id);
	Destroy(d2.stdev_id);
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
}

TEST_F(IoasTest, MapKeepsSubPageOffsets)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t bare = NewIoas();
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = 0;

	// Without a domain the IOAS alignment is 1: any offset and length.
	iova = Map(bare, buf.p() + 100, 1000);
	EXPECT_EQ(100u, iova % page);
	// The mock's IO page is half a CPU page: the second half maps alone...
	iova = Map(ioas, buf.p() + kMockPage, kMockPage);
	EXPECT_EQ(kMockPage, iova % page);
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, kMockPage, buf.p() + kMockPage));
	// ...but not an offset or length finer than the mock page.
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p() + 100, kMockPage, kRW, &iova));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), 1000, kRW, &iova));
	iova = kApStart + kMockPage / 2;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | kFixed, &iova));
	// Once the library has seen the alignment it refuses before the kernel,
	// with the same errno.
	uint64_t align = 0;
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &align));
	EXPECT_EQ(kMockPage, align);
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | kFixed, &iova));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_), "alignment"));
}

TEST_F(IoasTest, MapOverAMappingIsEEXIST)
{
	const uint64_t page = PageSize();
	Buffer buf(4 * page);
	uint32_t ioas = NewIoas();
	const uint64_t base = kApStart + 32 * page;
	uint64_t iova;

	MapFixed(ioas, buf.p(), 2 * page, base);
	const struct {
		uint64_t iova, length;
	} overlaps[] = {
		{ base, 2 * page },            // the same range
		{ base, page },                // its head
		{ base + page, page },         // its tail
		{ base - page, 2 * page },     // across its start
		{ base + page, 2 * page },     // across its end
		{ base - page, 4 * page },     // all of it and more
	};
	for (const auto &o : overlaps) {
		SCOPED_TRACE(testing::Message()
			     << "at base" << std::showpos << static_cast<int64_t>(o.iova - base) / 1024
			     << std::noshowpos << "K, " << o.length / 1024 << "K");
		iova = o.iova;
		EXPECT_ERRNO(EEXIST,
			     iommufd_ioas_map(ctx_, ioas, buf.p(), o.length, kRW | kFixed, &iova));
	}
	// Right next to it on both sides is free.
	MapFixed(ioas, buf.p(), page, base - page);
	MapFixed(ioas, buf.p(), page, base + 2 * page);
	EXPECT_EQ(4 * page, UnmapAll(ioas));
}

TEST_F(IoasTest, MapArgumentErrnos)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = kApStart;

	// flags: neither READABLE nor WRITEABLE, and an unknown bit
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kFixed, &iova));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | (1u << 3), &iova));
	// empty, NULL
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), 0, kRW, &iova));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, nullptr, page, kRW, &iova));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW, nullptr));
	// wrapping IOVA or user address
	iova = UINT64_MAX - page + 1;
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_map(ctx_, ioas, buf.p(), 2 * page, kRW | kFixed, &iova));
	iova = UINT64_MAX; // the kernel's own check: iova >= ULONG_MAX
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_map(ctx_, ioas, buf.p(), 1, kRW | kFixed, &iova));
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_map(ctx_, ioas, reinterpret_cast<void *>(-page),
						 2 * page, kRW, &iova));
	// no such IOAS; an object that is not an IOAS
	EXPECT_ERRNO(ENOENT, iommufd_ioas_map(ctx_, ioas + 1000, buf.p(), page, kRW, &iova));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_map(ctx_, dev.hwpt_id, buf.p(), page, kRW, &iova));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_map(ctx_, 0, buf.p(), page, kRW, &iova));
	EXPECT_OK(CheckRefs(buf.p(), page, 0)) << "a failed map left a pin";
}

TEST_F(IoasTest, MapOutsideTheMockApertureIsEINVAL)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	AddMockDev(ioas);
	uint64_t iova;

	// The mock reserves everything outside its aperture.
	iova = page;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | kFixed, &iova));
	iova = kApStart - page;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), 2 * page, kRW | kFixed, &iova));
	iova = kApLast + 1 - page;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), 2 * page, kRW | kFixed, &iova));
	iova = kApLast + 1;
	EXPECT_ERRNO(EINVAL, iommufd_ioas_map(ctx_, ioas, buf.p(), page, kRW | kFixed, &iova));
}

TEST_F(IoasTest, MapLargerThanTheApertureIsENOSPC)
{
	Buffer buf(PageSize());
	uint32_t ioas = NewIoas();
	AddMockDev(ioas);
	uint64_t iova = 0;

	// The IOVA is chosen before any page is touched, so the user range
	// need not exist.
	EXPECT_ERRNO(ENOSPC, iommufd_ioas_map(ctx_, ioas, buf.p(), kApLast + 1, kRW, &iova));
}

TEST_F(IoasTest, MapWriteableOfReadOnlyMemoryFails)
{
	const uint64_t page = PageSize();
	Buffer ro(2 * page, PROT_READ);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = 0;

	// With a domain the pages are pinned for writing at once.
	EXPECT_ERRNO(EFAULT, iommufd_ioas_map(ctx_, ioas, ro.p(), ro.size(), kRW, &iova));
	EXPECT_ERRNO(EFAULT, iommufd_ioas_map(ctx_, ioas, ro.p(), ro.size(), kW, &iova));
	EXPECT_OK(CheckRefs(ro.p(), ro.size(), 0));
	iova = Map(ioas, ro.p(), ro.size(), kR);
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, ro.size(), ro.p()));
	EXPECT_EQ(ro.size(), UnmapAll(ioas));
}

// ---- unmap -----------------------------------------------------------------

TEST_F(IoasTest, UnmapTakesWholeMappingsOnly)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	const uint64_t a = kApStart + 16 * page, b = a + 8 * page;
	uint64_t unmapped = 0;

	MapFixed(ioas, buf.p(), 2 * page, a);
	MapFixed(ioas, buf.p(), 2 * page, b);
	// Half a mapping: refused, nothing changes.
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas, a, page, &unmapped));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas, a + page, page, &unmapped));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas, a + page, 4 * page, &unmapped));
	EXPECT_OK(CheckMap(dev.hwpt_id, a, 2 * page, buf.p()));
	// All of a and half of b: the kernel unmaps a, then refuses at b.
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas, a, b - a + page, &unmapped));
	EXPECT_EQ(-EINVAL, CheckMap(dev.hwpt_id, a, 2 * page, buf.p())) << "a is gone";
	EXPECT_OK(CheckMap(dev.hwpt_id, b, 2 * page, buf.p())) << "b is intact";
	// An unaligned range around b takes it whole.
	EXPECT_EQ(2 * page, Unmap(ioas, b - 1, 2 * page + 2));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
}

TEST_F(IoasTest, UnmapReportsTheBytesOfEveryMapping)
{
	const uint64_t page = PageSize();
	Buffer buf(4 * page);
	uint32_t ioas = NewIoas();
	const uint64_t base = kApStart;

	MapFixed(ioas, buf.p(), page, base);
	MapFixed(ioas, buf.p(), 2 * page, base + 4 * page);
	MapFixed(ioas, buf.p(), 4 * page, base + 8 * page);
	EXPECT_EQ(3 * page, Unmap(ioas, base, 8 * page));
	EXPECT_EQ(4 * page, Unmap(ioas, 0, UINT64_MAX - 1));
}

TEST_F(IoasTest, UnmapErrnos)
{
	const uint64_t page = PageSize();
	uint32_t ioas = NewIoas();
	uint64_t unmapped = 0;

	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas, kApStart, page, &unmapped));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap(ctx_, ioas + 1000, kApStart, page, &unmapped));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_unmap(ctx_, ioas, kApStart, 0, &unmapped));
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_unmap(ctx_, ioas, UINT64_MAX - page + 1, 2 * page,
						   &unmapped));
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_unmap(ctx_, ioas, UINT64_MAX, 1, &unmapped));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_unmap(ctx_, ioas, 0, UINT64_MAX, &unmapped));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap_all(ctx_, ioas + 1000, &unmapped));
}

TEST_F(IoasTest, UnmapAllEmptiesTheIoas)
{
	const uint64_t page = PageSize();
	Buffer buf(3 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t i1 = Map(ioas, buf.p(), page);
	uint64_t i2 = Map(ioas, buf.p(), 3 * page);

	EXPECT_OK(CheckRefs(buf.p(), page, 2)) << "two mappings pin the first page twice";
	EXPECT_EQ(4 * page, UnmapAll(ioas));
	EXPECT_EQ(-EINVAL, CheckMap(dev.hwpt_id, i1, page, buf.p()));
	EXPECT_EQ(-EINVAL, CheckMap(dev.hwpt_id, i2, page, buf.p()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
	EXPECT_EQ(0u, UnmapAll(ioas)) << "an empty IOAS unmaps nothing, successfully";
}

// ---- copy ------------------------------------------------------------------

TEST_F(IoasTest, CopyMapsTheSamePagesInAnotherIoas)
{
	const uint64_t page = PageSize();
	Buffer buf(4 * page);
	uint32_t src = NewIoas(), dst = NewIoas();
	MockDev sdev = AddMockDev(src), ddev = AddMockDev(dst);
	uint64_t siova = Map(src, buf.p(), buf.size());

	uint64_t d1 = Copy(dst, src, siova, buf.size());
	EXPECT_GE(d1, kApStart);
	EXPECT_OK(CheckMap(ddev.hwpt_id, d1, buf.size(), buf.p()));
	uint64_t d2 = Copy(dst, src, siova + page, 2 * page, kRW | kFixed, kApStart + 64 * page);
	EXPECT_EQ(kApStart + 64 * page, d2);
	EXPECT_OK(CheckMap(ddev.hwpt_id, d2, 2 * page, buf.p() + page));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1)) << "a copy shares the source's pin";

	// The copy outlives the source mapping.
	EXPECT_EQ(buf.size(), Unmap(src, siova, buf.size()));
	EXPECT_EQ(-EINVAL, CheckMap(sdev.hwpt_id, siova, buf.size(), buf.p()));
	EXPECT_OK(CheckMap(ddev.hwpt_id, d1, buf.size(), buf.p()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1));
	EXPECT_EQ(buf.size() + 2 * page, UnmapAll(dst));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
}

TEST_F(IoasTest, CopyInsideOneIoas)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = Map(ioas, buf.p(), buf.size());
	uint64_t to = Copy(ioas, ioas, iova, buf.size(), kR);

	EXPECT_NE(iova, to);
	EXPECT_OK(CheckMap(dev.hwpt_id, to, buf.size(), buf.p()));
}

TEST_F(IoasTest, CopyErrnos)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t src = NewIoas(), dst = NewIoas();
	const uint64_t s = kApStart + 8 * page, taken = kApStart;
	uint64_t to;

	MapFixed(src, buf.p(), 2 * page, s);
	MapFixed(dst, buf.p(), page, taken);
	// The source range must be fully mapped.
	to = 0;
	EXPECT_ERRNO(ENOENT, iommufd_ioas_copy(ctx_, dst, src, s + 4 * page, page, kRW, &to));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_copy(ctx_, dst, src, s, 3 * page, kRW, &to));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_copy(ctx_, dst, src, s - page, 2 * page, kRW, &to));
	// Both IOASes must exist.
	EXPECT_ERRNO(ENOENT, iommufd_ioas_copy(ctx_, dst, src + 1000, s, page, kRW, &to));
	EXPECT_ERRNO(ENOENT, iommufd_ioas_copy(ctx_, dst + 1000, src, s, page, kRW, &to));
	// The destination must be free.
	to = taken;
	EXPECT_ERRNO(EEXIST, iommufd_ioas_copy(ctx_, dst, src, s, page, kRW | kFixed, &to));
	// A read-only source cannot be copied writeable.
	const uint64_t ro = s + 16 * page;
	MapFixed(src, buf.p(), page, ro, kR);
	to = 0;
	EXPECT_ERRNO(EPERM, iommufd_ioas_copy(ctx_, dst, src, ro, page, kRW, &to));
	EXPECT_ERRNO(EPERM, iommufd_ioas_copy(ctx_, dst, src, ro, page, kW, &to));
	// Flags and ranges.
	EXPECT_ERRNO(EINVAL, iommufd_ioas_copy(ctx_, dst, src, s, page, 0, &to));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_ioas_copy(ctx_, dst, src, s, page, kRW | (1u << 4), &to));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_copy(ctx_, dst, src, s, 0, kRW, &to));
	EXPECT_ERRNO(EOVERFLOW, iommufd_ioas_copy(ctx_, dst, src, UINT64_MAX - page + 1, 2 * page,
						  kRW, &to));
	EXPECT_ERRNO(EINVAL, iommufd_ioas_copy(ctx_, dst, src, s, page, kRW, nullptr));
	// Nothing of the failed copies stayed.
	EXPECT_EQ(page, UnmapAll(dst));
}

} // namespace
