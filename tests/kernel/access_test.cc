// SPDX-License-Identifier: LGPL-2.1-or-later
// In-kernel accesses (as an emulated device's driver has) through the
// selftest mock: pinning pages and CPU reads/writes by IOVA.  They prove
// what the IOAS maps, and with which READ/WRITE permission.
#include "kernel_test.h"

#include <unistd.h>

#include <cstring>
#include <vector>

namespace {

class AccessTest : public KernelTest {
protected:
	void TearDown() override
	{
		for (int fd : accesses_)
			close(fd);
		KernelTest::TearDown();
	}
	int NewAccess(uint32_t ioas, uint32_t flags = kAccessNeedsPin)
	{
		int fd = CreateAccess(ioas, flags);
		if (fd >= 0)
			accesses_.push_back(fd);
		return fd;
	}
	void CloseAccess(int fd)
	{
		std::erase(accesses_, fd);
		close(fd);
	}
	uint32_t Pin(int access, uint64_t iova, uint64_t length, const void *buf, uint32_t flags = 0)
	{
		uint32_t id = 0;
		EXPECT_OK(iommufd_test_access_pages(ctx_, access, iova, length, buf, flags, &id));
		return id;
	}
	void Read(int access, uint64_t iova, void *to, uint64_t length, uint32_t flags = 0)
	{
		EXPECT_OK(iommufd_test_access_rw(ctx_, access, iova, to, length, flags));
	}
	void Write(int access, uint64_t iova, const void *from, uint64_t length, uint32_t flags = 0)
	{
		EXPECT_OK(iommufd_test_access_rw(ctx_, access, iova, const_cast<void *>(from), length,
						 flags | IOMMUFD_TEST_RW_WRITE));
	}

	std::vector<int> accesses_;
};

TEST_F(AccessTest, PagesPinsTheMappedPages)
{
	const uint64_t page = PageSize();
	Buffer buf(4 * page), other(page);
	uint32_t ioas = NewIoas();
	uint64_t iova = Map(ioas, buf.p(), buf.size());
	int access = NewAccess(ioas);

	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0)) << "no domain: not pinned by the map";
	uint32_t all = Pin(access, iova, buf.size(), buf.p());
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1));
	EXPECT_EQ(-EIO, CheckRefs(buf.p(), buf.size(), 0));
	// A second pin of a part shares the pin.
	uint32_t part = Pin(access, iova + page, page, buf.p() + page, kAccessPagesWrite);
	EXPECT_NE(all, part);
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 1));
	EXPECT_OK(iommufd_test_destroy_access_pages(ctx_, access, all));
	EXPECT_OK(CheckRefs(buf.p(), page, 0));
	EXPECT_OK(CheckRefs(buf.p() + page, page, 1));
	EXPECT_OK(iommufd_test_destroy_access_pages(ctx_, access, part));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
	// The mock compares the pinned pages with the user address it is given.
	uint32_t id = 0;
	EXPECT_ERRNO(EBADE, iommufd_test_access_pages(ctx_, access, iova, page, other.p(), 0, &id));
	EXPECT_ERRNO(EBADE,
		     iommufd_test_access_pages(ctx_, access, iova, page, buf.p() + page, 0, &id));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
}

// Unmapping under a pin tells the access, which lets go: the unmap
// succeeds and the pin is gone.
TEST_F(AccessTest, UnmapRevokesPins)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	uint64_t iova = Map(ioas, buf.p(), buf.size());
	int access = NewAccess(ioas);
	uint32_t id = Pin(access, iova, buf.size(), buf.p());

	EXPECT_EQ(buf.size(), Unmap(ioas, iova, buf.size()));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
	EXPECT_ERRNO(ENOENT, iommufd_test_destroy_access_pages(ctx_, access, id));
}

TEST_F(AccessTest, PagesErrnos)
{
	const uint64_t page = PageSize();
	Buffer buf(2 * page);
	uint32_t ioas = NewIoas();
	uint64_t rw = Map(ioas, buf.p(), page);
	uint64_t ro = Map(ioas, buf.p() + page, page, kR);
	int access = NewAccess(ioas);
	int nopin = NewAccess(ioas, 0);
	uint32_t id = 0;

	EXPECT_ERRNO(EPERM, iommufd_test_access_pages(ctx_, access, ro, page, buf.p() + page,
						      kAccessPagesWrite, &id));
	EXPECT_OK(iommufd_test_access_pages(ctx_, access, ro, page, buf.p() + page, 0, &id));
	EXPECT_OK(iommufd_test_destroy_access_pages(ctx_, access, id));
	EXPECT_ERRNO(ENOENT, iommufd_test_access_pages(ctx_, access, rw + 16 * page, page, nullptr,
						       0, &id));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_test_access_pages(ctx_, access, rw, page, buf.p(), 1u << 1,
							   &id));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_test_access_pages(ctx_, nopin, rw, page, buf.p(), 0, &id));
	EXPECT_ERRNO(ENOMEM, iommufd_test_access_pages(ctx_, access, rw, (16u << 20) + 1, nullptr,
						       0, &id));
	EXPECT_ERRNO(EBADFD, iommufd_test_access_pages(ctx_, iommufd_ctx_fd(ctx_), rw, page,
						       buf.p(), 0, &id));
	EXPECT_ERRNO(ENOENT, iommufd_test_destroy_access_pages(ctx_, access, 12345));
	EXPECT_OK(CheckRefs(buf.p(), buf.size(), 0));
}

TEST_F(AccessTest, RwReadsAndWritesByIova)
{
	const uint64_t page = PageSize();
	Buffer buf(4 * page);
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);
	uint64_t iova = Map(ioas, buf.p(), buf.size());
	int access = NewAccess(ioas, 0);
	std::vector<uint8_t> tmp(buf.size());

	for (uint32_t flags : { 0u, static_cast<uint32_t>(IOMMUFD_TEST_RW_SLOW_PATH) }) {
		SCOPED_TRACE(flags ? "slow path" : "fast path");
		// Reads see the buffer, at any offset and length, across pages.
		Read(access, iova + 100, tmp.data(), 300, flags);
		EXPECT_EQ(0, memcmp(tmp.data(), buf.p() + 100, 300));
		Read(access, iova + page - 7, tmp.data(), 2 * page + 9, flags);
		EXPECT_EQ(0, memcmp(tmp.data(), buf.p() + page - 7, 2 * page + 9));
		// Writes land in the buffer.
		for (size_t i = 0; i < 64; i++)
			tmp[i] = static_cast<uint8_t>(0xc0 + i + flags);
		Write(access, iova + 2 * page - 32, tmp.data(), 64, flags);
		EXPECT_EQ(0, memcmp(buf.p() + 2 * page - 32, tmp.data(), 64));
	}
	Read(access, iova, tmp.data(), buf.size());
	EXPECT_EQ(0, memcmp(tmp.data(), buf.p(), buf.size()));
	EXPECT_OK(CheckMap(dev.hwpt_id, iova, buf.size(), buf.p()));
}

// The permissions given at map (and copy) time are the ones enforced.
TEST_F(AccessTest, RwHonoursTheMapFlags)
{
	const uint64_t page = PageSize();
	Buffer buf(3 * page);
	uint32_t ioas = NewIoas(), dst = NewIoas();
	const uint64_t ro = kApStart, wo = kApStart + page;
	MapFixed(ioas, buf.p(), page, ro, kR);
	MapFixed(ioas, buf.p() + page, page, wo, kW);
	uint64_t rw = Map(ioas, buf.p() + 2 * page, page, kRW);
	uint64_t copied_ro = Copy(dst, ioas, rw, page, kR);
	int access = NewAccess(ioas, 0), daccess = NewAccess(dst, 0);
	uint8_t b[16] = { 1, 2, 3 };

	Read(access, ro, b, sizeof(b));
	EXPECT_ERRNO(EPERM, iommufd_test_access_rw(ctx_, access, ro, b, sizeof(b),
						   IOMMUFD_TEST_RW_WRITE));
	Write(access, wo, b, sizeof(b));
	EXPECT_EQ(0, memcmp(buf.p() + page, b, sizeof(b)));
	EXPECT_ERRNO(EPERM, iommufd_test_access_rw(ctx_, access, wo, b, sizeof(b), 0));
	Read(access, rw, b, sizeof(b));
	Write(access, rw, b, sizeof(b));
	Read(daccess, copied_ro, b, sizeof(b));
	EXPECT_ERRNO(EPERM, iommufd_test_access_rw(ctx_, daccess, copied_ro, b, sizeof(b),
						   IOMMUFD_TEST_RW_WRITE));
	// A range across a read-only and a write-only mapping is neither.
	EXPECT_ERRNO(EPERM, iommufd_test_access_rw(ctx_, access, ro + page - 4, b, 8, 0));
	EXPECT_ERRNO(EPERM, iommufd_test_access_rw(ctx_, access, ro + page - 4, b, 8,
						   IOMMUFD_TEST_RW_WRITE));
}

TEST_F(AccessTest, RwErrnos)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	uint64_t iova = Map(ioas, buf.p(), page);
	int access = NewAccess(ioas, 0);
	uint8_t b[8];

	EXPECT_ERRNO(ENOENT, iommufd_test_access_rw(ctx_, access, iova + 16 * page, b, 8, 0));
	EXPECT_ERRNO(ENOENT, iommufd_test_access_rw(ctx_, access, iova + page - 4, b, 8, 0));
	EXPECT_ERRNO(EINVAL, iommufd_test_access_rw(ctx_, access, iova, b, 0, 0));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_test_access_rw(ctx_, access, iova, b, 8, 1u << 1));
	EXPECT_ERRNO(ENOMEM, iommufd_test_access_rw(ctx_, access, iova, b, (16u << 20) + 1, 0));
	EXPECT_ERRNO(EBADFD, iommufd_test_access_rw(ctx_, iommufd_ctx_fd(ctx_), iova, b, 8, 0));
}

TEST_F(AccessTest, ReplaceMovesTheAccessToAnotherIoas)
{
	const uint64_t page = PageSize();
	Buffer one(page), two(page);
	uint32_t a = NewIoas(), b = NewIoas();
	const uint64_t iova = kApStart;
	uint8_t got[32];

	memset(two.p(), 0x77, 32);
	MapFixed(a, one.p(), page, iova);
	MapFixed(b, two.p(), page, iova);
	int access = NewAccess(a, 0);
	Read(access, iova, got, sizeof(got));
	EXPECT_EQ(0, memcmp(got, one.p(), sizeof(got)));
	ASSERT_OK(iommufd_test_access_replace_ioas(ctx_, access, b));
	Read(access, iova, got, sizeof(got));
	EXPECT_EQ(0, memcmp(got, two.p(), sizeof(got)));
	Destroy(a); // nothing holds it any more
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, b));
	EXPECT_ERRNO(ENOENT, iommufd_test_access_replace_ioas(ctx_, access, a));
	EXPECT_ERRNO(EBADFD, iommufd_test_access_replace_ioas(ctx_, iommufd_ctx_fd(ctx_), b));
}

TEST_F(AccessTest, CreateErrnos)
{
	const uint64_t page = PageSize();
	Buffer buf(page);
	uint32_t ioas = NewIoas();
	uint64_t align = 0;
	int fd = -1;

	EXPECT_ERRNO(ENOENT, iommufd_test_create_access(ctx_, ioas + 1000, kAccessNeedsPin, &fd));
	EXPECT_ERRNO(EOPNOTSUPP, iommufd_test_create_access(ctx_, ioas, 1u << 1, &fd));
	// A pinning access needs page-aligned mappings: it raises the IOAS
	// alignment, and cannot join an IOAS with a sub-page mapping.
	int access = NewAccess(ioas);
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &align));
	EXPECT_EQ(page, align);
	CloseAccess(access);
	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &align));
	EXPECT_EQ(1u, align);
	Map(ioas, buf.p() + 100, 200);
	EXPECT_ERRNO(EADDRINUSE, iommufd_test_create_access(ctx_, ioas, kAccessNeedsPin, &fd));
	NewAccess(ioas, 0); // a non-pinning one can
}

} // namespace
