// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_viommu_mmap()/munmap(): the page the mock vIOMMU offers, mapped
// from the iommufd at exactly the offset and length its data gave; the
// mapping holds the vIOMMU; the checks made before mmap(2); kernels
// before 6.17 (no mmap on an iommufd) say so.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>

#include "viommu_test_support.h"

namespace {

using fake::Kver;

std::string Hex(uint64_t v)
{
	char buf[24];

	std::snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return buf;
}

class ViommuMmap : public ViommuTest {
protected:
	void SetUp() override
	{
		ViommuTest::SetUp();
		layer_.Install();
		data_.in_data = 0xcafe;
		viommu_ = Viommu(&data_);
	}
	void TearDown() override
	{
		layer_.Uninstall();
		ViommuTest::TearDown();
	}
	// mmap(2) was not called since @before.
	::testing::AssertionResult NoMmapSince(unsigned before)
	{
		if (layer_.mmaps() == before)
			return ::testing::AssertionSuccess();
		return ::testing::AssertionFailure() << "mmap(2) was called";
	}

	fake::FakeIommufdMmap layer_{fk_};
	iommufd_viommu_selftest data_ = {};
	uint32_t viommu_ = 0;
};

TEST_P(ViommuMmap, ThePageTheDataNamed)
{
	void *p = nullptr;

	ASSERT_EQ(0, iommufd_viommu_mmap(ctx_, data_.out_mmap_offset, data_.out_mmap_length, &p))
		<< iommufd_ctx_last_error(ctx_);
	ASSERT_NE(nullptr, p);
	EXPECT_EQ(0xcafeu, *static_cast<uint32_t *>(p)) << "the mock's page holds in_data";
	// The mapping holds its vIOMMU.
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY", iommufd_destroy(ctx_, viommu_));
	EXPECT_EQ(0, iommufd_viommu_munmap(ctx_, p, data_.out_mmap_length))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, layer_.mapped());
	EXPECT_EQ(0, iommufd_destroy(ctx_, viommu_));
}

// Only the exact region maps: no other offset, no part of it, no more.
TEST_P(ViommuMmap, ExactlyWhatWasOffered)
{
	const uint64_t off = data_.out_mmap_offset, len = data_.out_mmap_length;
	void *p = nullptr;

	for (auto [o, l] : {std::pair{off + kPage, len}, std::pair{off + 2 * kPage, len},
			    std::pair{off, len / 2}, std::pair{off, len * 2},
			    std::pair{uint64_t{0}, len}}) {
		EXPECT_FAILS(ctx_, ENXIO,
			     "iommufd_viommu_mmap of offset " + Hex(o) + " length " + Hex(l) +
				     " failed (No such device or address): not a region a vIOMMU of "
				     "this context offered",
			     iommufd_viommu_mmap(ctx_, o, l, &p));
	}
	EXPECT_EQ(nullptr, p);
	EXPECT_EQ(0u, layer_.mapped());
	// A vIOMMU allocated without data offers nothing.
	EXPECT_NE(0u, Viommu());
}

TEST_P(ViommuMmap, ChecksBeforeMmap)
{
	const unsigned before = layer_.mmaps();
	const uint64_t off = data_.out_mmap_offset;
	const long page = sysconf(_SC_PAGESIZE);
	void *p = nullptr;

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_viommu_mmap: length is 0",
		     iommufd_viommu_mmap(ctx_, off, 0, &p));
	EXPECT_FAILS(ctx_, EINVAL,
		     "iommufd_viommu_mmap: offset 0x1001 and length 0x2000 must be multiples of "
		     "the page size (" + Hex(static_cast<uint64_t>(page)) +
			     "): the kernel offers whole pages",
		     iommufd_viommu_mmap(ctx_, off + 1, 2 * kPage, &p));
	EXPECT_FAILS(ctx_, EINVAL, "must be multiples of the page size",
		     iommufd_viommu_mmap(ctx_, off, kPage + 1, &p));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_viommu_mmap: addr is NULL",
		     iommufd_viommu_mmap(ctx_, off, 2 * kPage, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_viommu_mmap: the context is NULL",
		     iommufd_viommu_mmap(nullptr, off, 2 * kPage, &p));
	EXPECT_TRUE(NoMmapSince(before));
	EXPECT_EQ(nullptr, p);
}

TEST_P(ViommuMmap, MunmapErrors)
{
	int x = 0;

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_viommu_munmap: addr is NULL",
		     iommufd_viommu_munmap(ctx_, nullptr, kPage));
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_viommu_munmap: length is 0",
		     iommufd_viommu_munmap(ctx_, &x, 0));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_viommu_munmap: the context is NULL",
		     iommufd_viommu_munmap(nullptr, &x, kPage));
	EXPECT_EQ(0u, layer_.munmaps()) << "none reached munmap(2)";
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_viommu_munmap of 0x",
		     iommufd_viommu_munmap(ctx_, &x, kPage));
	EXPECT_TRUE(HasSentence(ctx_, "length 0x1000 failed: Invalid argument"));
}

TEST_P(ViommuMmap, InjectedFailure)
{
	void *p = nullptr;

	layer_.FailNextMmap(ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "failed (Cannot allocate memory): Cannot allocate memory",
		     iommufd_viommu_mmap(ctx_, data_.out_mmap_offset, data_.out_mmap_length, &p));
	EXPECT_EQ(nullptr, p);
	EXPECT_EQ(0, iommufd_destroy(ctx_, viommu_)) << "nothing holds the vIOMMU";
}

INSTANTIATE_FOR_PROFILES(ViommuMmap, ProfilesSince(Kver(6, 17)));

// Before 6.17 the iommufd has no mmap at all.
class NoViommuMmap : public ProfileTest {
protected:
	fake::FakeIommufdMmap layer_{fk_};
};

TEST_P(NoViommuMmap, NamesTheRelease)
{
	void *p = nullptr;

	layer_.Install();
	EXPECT_FAILS(ctx_, ENODEV,
		     "iommufd_viommu_mmap of offset 0x1000 length 0x2000 failed (No such device): "
		     "this kernel cannot mmap an iommufd (needs Linux 6.17 or newer)",
		     iommufd_viommu_mmap(ctx_, kPage, 2 * kPage, &p));
	EXPECT_EQ(nullptr, p);
	layer_.Uninstall();
}

INSTANTIATE_FOR_PROFILES(NoViommuMmap, ProfilesBefore(Kver(6, 17)));

} // namespace
