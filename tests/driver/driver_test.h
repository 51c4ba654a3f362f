// SPDX-License-Identifier: LGPL-2.1-or-later
// The driver suite: the companion module's vfio_dmatest device driven
// through libiommufd inside the test VM.  One context, one IOAS, a source
// and a destination buffer mapped at fixed IOVAs, device 0 attached.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include <libiommufd/libiommufd.h>

#include "dmatest_module.h"

#define ASSERT_OK(CALL) ASSERT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(ctx_)
#define EXPECT_OK(CALL) EXPECT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(ctx_)

inline constexpr uint64_t kPage = 4096;
inline constexpr uint64_t kBufLen = 16 * kPage;
inline constexpr uint64_t kSrcIova = 0x10000000;
inline constexpr uint64_t kDstIova = 0x20000000;
inline constexpr uint64_t kHoleIova = 0x30000000; // never mapped
inline constexpr int kTimeoutMs = 20000;          // TCG is slow; never a pass/fail criterion

// Anonymous, populated, page-aligned memory.
class Mem {
public:
	explicit Mem(size_t length);
	~Mem();
	Mem(const Mem &) = delete;
	Mem &operator=(const Mem &) = delete;
	uint8_t *p() const { return p_; }
	size_t size() const { return len_; }
	void Fill(uint32_t seed); // distinct, seed-dependent bytes

private:
	uint8_t *p_ = nullptr;
	size_t len_ = 0;
};

// A transfer, with IOMMUFD_OPTS-style sz set.
iommufd_dmatest_xfer Xfer(uint32_t op, uint64_t src, uint64_t dst, uint64_t len,
			  uint32_t flags = 0, uint64_t pattern = 0);
iommufd_dmatest_result NewResult();
iommufd_dmatest_open_opts OpenOpts(uint32_t pt_id);
// How much an eventfd has counted (read, non-blocking): 0 if nothing.
uint64_t DrainEventfd(int fd);
// "status=... error=... fault_iova=..." for failure messages.
std::string Describe(const iommufd_dmatest_result &r);

class DriverTest : public ::testing::Test {
protected:
	void SetUp() override;
	void TearDown() override;

	// Maps @m at @iova (fixed) with @flags.
	void Map(const Mem &m, uint64_t iova, uint32_t flags);
	// submit + wait; the transfer must end (DONE or ERROR) within the limit.
	iommufd_dmatest_result Run(const iommufd_dmatest_xfer &x);
	// The registers now, without waiting.
	iommufd_dmatest_result Status();

	iommufd_ctx *ctx_ = nullptr;
	uint32_t ioas_ = 0;
	iommufd_dmatest *dt_ = nullptr;
	Mem src_{kBufLen};
	Mem dst_{kBufLen};
};
