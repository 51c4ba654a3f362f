// SPDX-License-Identifier: LGPL-2.1-or-later
// Fixtures and one helper per command, in the style of the kernel's
// tools/testing/selftests/iommu/iommufd_utils.h.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <vector>

#include <libiommufd/libiommufd.h>

#include "fake_kernel.h"

extern "C" {
#include "sys.h"
#include "uapi/iommufd_abi.h"
// From src/private.h, which C++ cannot include (it uses <stdatomic.h>).
int ifd_cmd(struct iommufd_ctx *ctx, uint32_t nr, void *arg);
}

inline constexpr uint32_t kRW = IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE;
inline constexpr uint32_t kFixedRW = kRW | IOMMUFD_MAP_FIXED_IOVA;
inline constexpr uint64_t kPage = fake::kPageSize;

// A user address the library passes on and the fake never touches.
inline void *UserVa(uint64_t addr) { return reinterpret_cast<void *>(static_cast<uintptr_t>(addr)); }

// The library's descriptors of command @nr and its fields.
iommufd_cmd_desc CmdDesc(uint32_t nr);
std::vector<iommufd_field_desc> Fields(uint32_t nr);

// iommufd_ctx_last_error(ctx) contains @what.
::testing::AssertionResult HasSentence(const iommufd_ctx *ctx, const std::string &what);

// A context on a fake kernel of the given release.
class FakeKernelTest : public ::testing::Test {
protected:
	void SetUp() override { Start(fake::Profile::Linux7_2); }
	void TearDown() override;
	void Start(fake::Profile p);
	uint32_t kver() const { return fk_.kver(); }

	// One helper per command; each asserts success.
	uint32_t NewIoas();
	uint64_t MapFixed(uint32_t ioas, uint64_t iova, uint64_t length, uint64_t va = 0x10000000);
	uint64_t MapAny(uint32_t ioas, uint64_t length, uint64_t va = 0x10000000);
	uint64_t MapFileFixed(uint32_t ioas, int fd, uint64_t iova, uint64_t length);
	uint64_t Unmap(uint32_t ioas, uint64_t iova, uint64_t length);
	uint64_t Copy(uint32_t dst, uint32_t src, uint64_t src_iova, uint64_t length,
		      uint32_t flags = kRW, uint64_t dst_iova = 0);

	fake::FakeKernel fk_;
	iommufd_ctx *ctx_ = nullptr;
};

// The same, once per kernel profile.
class ProfileTest : public FakeKernelTest, public ::testing::WithParamInterface<fake::Profile> {
protected:
	void SetUp() override { Start(GetParam()); }
	bool Has(uint32_t nr) const { return fake::CmdKnown(kver(), nr); }
};

// The same on one profile only.
template <fake::Profile P> class OnProfile : public FakeKernelTest {
protected:
	void SetUp() override { Start(P); }
};

std::string ProfileParamName(const ::testing::TestParamInfo<fake::Profile> &info);
// The profiles of releases >= / < @kver.
std::vector<fake::Profile> ProfilesSince(uint32_t kver);
std::vector<fake::Profile> ProfilesBefore(uint32_t kver);

#define INSTANTIATE_FOR_PROFILES(Suite, LIST) \
	INSTANTIATE_TEST_SUITE_P(Kernel, Suite, ::testing::ValuesIn(LIST), ProfileParamName)
#define INSTANTIATE_FOR_ALL_PROFILES(Suite) INSTANTIATE_FOR_PROFILES(Suite, fake::kAllProfiles)

// CALL fails with -ERR, leaving a sentence containing WHAT for CTX.
#define EXPECT_FAILS(CTX, ERR, WHAT, CALL)                   \
	do {                                                 \
		const int rc_ = (CALL);                      \
		EXPECT_EQ(-(ERR), rc_) << #CALL;             \
		EXPECT_TRUE(HasSentence((CTX), (WHAT))) << #CALL; \
	} while (0)

// The same, and the call never reached the kernel.
#define EXPECT_REJECTED(CTX, ERR, WHAT, CALL)                                      \
	do {                                                                       \
		const unsigned ioctls_before_ = fk_.ioctls();                      \
		EXPECT_FAILS(CTX, ERR, WHAT, CALL);                                \
		EXPECT_EQ(ioctls_before_, fk_.ioctls()) << #CALL " reached the kernel"; \
	} while (0)
