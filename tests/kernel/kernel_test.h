// SPDX-License-Identifier: LGPL-2.1-or-later
// The kernel suite: GoogleTest against the real /dev/iommu of a test kernel
// (CONFIG_IOMMUFD_TEST), run inside the VM of tests/vm.  Only the public API
// and the unstable testing module are used.  One helper per command, in the
// spirit of the kernel's own tools/testing/selftests/iommu.
#pragma once

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <string>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

#include "kernel_facts.h"

inline constexpr uint32_t kR = IOMMUFD_MAP_READABLE;
inline constexpr uint32_t kW = IOMMUFD_MAP_WRITEABLE;
inline constexpr uint32_t kRW = kR | kW;
inline constexpr uint32_t kFixed = IOMMUFD_MAP_FIXED_IOVA;
inline constexpr uint64_t kApStart = IOMMUFD_TEST_APERTURE_START;
inline constexpr uint64_t kApLast = IOMMUFD_TEST_APERTURE_LAST;
inline constexpr uint64_t kMockPage = IOMMUFD_TEST_PAGE_SIZE;
// MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES and MOCK_FLAGS_ACCESS_WRITE of
// the kernel's iommufd_test.h (the mock's interface, not the iommufd uAPI).
inline constexpr uint32_t kAccessNeedsPin = 1u << 0;
inline constexpr uint32_t kAccessPagesWrite = 1u << 0;

uint64_t PageSize();

// Anonymous, populated, page-aligned memory, never backed by huge pages
// (the mock's refcount check skips compound pages).
class Buffer {
public:
	explicit Buffer(size_t length, int prot = PROT_READ | PROT_WRITE);
	~Buffer();
	Buffer(const Buffer &) = delete;
	Buffer &operator=(const Buffer &) = delete;
	uint8_t *p() const { return p_; }
	size_t size() const { return len_; }
	void Fill(uint8_t seed);

private:
	uint8_t *p_ = nullptr;
	size_t len_ = 0;
};

// A memfd of @length bytes, also mmapped MAP_SHARED so the mock can compare
// what it maps with the file's pages.
class Memfd {
public:
	explicit Memfd(size_t length);
	~Memfd();
	Memfd(const Memfd &) = delete;
	Memfd &operator=(const Memfd &) = delete;
	int fd() const { return fd_; }
	uint8_t *p() const { return p_; }

private:
	int fd_ = -1;
	uint8_t *p_ = nullptr;
	size_t len_ = 0;
};

// A mock device attached to an IOAS.
struct MockDev {
	uint32_t stdev_id = 0;
	uint32_t hwpt_id = 0;
	uint32_t dev_id = 0;
};

// The result of CALL is -ERR, and CALL left for @ctx a new sentence naming
// its function or its iommufd command.  The library's sentence is primed
// first (without an ioctl) so a stale one cannot pass for CALL's.
::testing::AssertionResult ErrnoIs(iommufd_ctx *ctx, int err, const char *call,
				   const std::function<int()> &fn);

#define EXPECT_ERRNO(ERR, CALL) \
	EXPECT_TRUE(ErrnoIs(ctx_, (ERR), #CALL, [&]() -> int { return (CALL); }))

// CALL succeeds (returns 0); on failure show the library's sentence.
#define ASSERT_OK(CALL) ASSERT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(ctx_)
#define EXPECT_OK(CALL) EXPECT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(ctx_)

// Runs @body in a forked child (which may drop capabilities or change
// limits without affecting the suite); returns what it reported: "" when
// all went well, else a description of the first thing that did not.
std::string RunInChild(const std::function<std::string()> &body);
// Drops @cap from the calling process's effective set; "" or why not.
std::string DropCapability(int cap);
// A "Name:  N kB" value of /proc/<pid>/status (0: self), or -1.
long ProcStatusKb(const char *name, pid_t pid = 0);

class KernelTest : public ::testing::Test {
protected:
	void SetUp() override;
	void TearDown() override;

	const KernelFacts &facts() const { return *facts_; }
	// This kernel is at least release @major.@minor (from uname).
	bool KernelAtLeast(unsigned major, unsigned minor) const;

	// One helper per command; each asserts success and returns the result.
	uint32_t NewIoas();
	MockDev AddMockDev(uint32_t ioas_id);
	uint64_t Map(uint32_t ioas_id, void *buf, uint64_t length, uint32_t flags = kRW);
	void MapFixed(uint32_t ioas_id, void *buf, uint64_t length, uint64_t iova,
		      uint32_t flags = kRW);
	uint64_t Unmap(uint32_t ioas_id, uint64_t iova, uint64_t length);
	uint64_t UnmapAll(uint32_t ioas_id);
	uint64_t Copy(uint32_t dst, uint32_t src, uint64_t src_iova, uint64_t length,
		      uint32_t flags = kRW, uint64_t dst_iova = 0);
	uint64_t OptionGet(uint32_t option, uint32_t object_id);
	void Destroy(uint32_t id);
	int CreateAccess(uint32_t ioas_id, uint32_t flags = kAccessNeedsPin);

	// Raw results of the mock's checks: 0 or a negative errno.
	int CheckMap(uint32_t hwpt_id, uint64_t iova, uint64_t length, const void *buf);
	int CheckRefs(const void *buf, uint64_t length, uint32_t refs);

	iommufd_ctx *ctx_ = nullptr;
	const KernelFacts *facts_ = nullptr;
};
