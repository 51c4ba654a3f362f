// SPDX-License-Identifier: LGPL-2.1-or-later
#include "driver_test.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "summary_line.h"

Mem::Mem(size_t length) : len_(length)
{
	void *p = mmap(nullptr, length, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED) {
		ADD_FAILURE() << "mmap of " << length << " bytes: " << strerror(errno);
		len_ = 0;
		return;
	}
	p_ = static_cast<uint8_t *>(p);
	Fill(1);
}

Mem::~Mem()
{
	if (p_)
		munmap(p_, len_);
}

void Mem::Fill(uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len_; i++) {
		x = x * 1103515245u + 12345u;
		p_[i] = static_cast<uint8_t>(x >> 16);
	}
}

iommufd_dmatest_xfer Xfer(uint32_t op, uint64_t src, uint64_t dst, uint64_t len, uint32_t flags,
			  uint64_t pattern)
{
	iommufd_dmatest_xfer x = {};

	x.sz = sizeof(x);
	x.op = op;
	x.flags = flags;
	x.src_iova = src;
	x.dst_iova = dst;
	x.length = len;
	x.pattern = pattern;
	return x;
}

iommufd_dmatest_result NewResult()
{
	iommufd_dmatest_result r = {};

	r.sz = sizeof(r);
	return r;
}

iommufd_dmatest_open_opts OpenOpts(uint32_t pt_id)
{
	iommufd_dmatest_open_opts o = {};

	o.sz = sizeof(o);
	o.pt_id = pt_id;
	return o;
}

uint64_t DrainEventfd(int fd)
{
	uint64_t count = 0;
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (read(fd, &count, sizeof(count)) != sizeof(count))
		count = 0;
	fcntl(fd, F_SETFL, flags);
	return count;
}

std::string Describe(const iommufd_dmatest_result &r)
{
	std::ostringstream s;

	s << "status=" << r.status << " error=" << r.error << " ("
	  << iommufd_dmatest_error_name(r.error) << ") errno=" << r.kernel_errno << std::hex
	  << " fault_iova=0x" << r.fault_iova << std::dec << " done=" << r.done_bytes
	  << " pinned=" << r.pinned_pages;
	return s.str();
}

void DriverTest::SetUp()
{
	const std::string why = EnsureDmatestLoaded();
	ASSERT_EQ("", why);
	ASSERT_OK(iommufd_ctx_open(nullptr, &ctx_));
	ASSERT_OK(iommufd_ioas_alloc(ctx_, &ioas_));
	Map(src_, kSrcIova, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE);
	Map(dst_, kDstIova, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE);
	auto o = OpenOpts(ioas_);
	ASSERT_OK(iommufd_dmatest_open(ctx_, 0, &o, &dt_));
}

void DriverTest::TearDown()
{
	iommufd_dmatest_close(dt_);
	iommufd_ctx_close(ctx_);
}

void DriverTest::Map(const Mem &m, uint64_t iova, uint32_t flags)
{
	uint64_t at = iova;

	ASSERT_OK(iommufd_ioas_map(ctx_, ioas_, m.p(), m.size(), flags | IOMMUFD_MAP_FIXED_IOVA,
				   &at));
}

iommufd_dmatest_result DriverTest::Run(const iommufd_dmatest_xfer &x)
{
	iommufd_dmatest_result r = NewResult();

	EXPECT_OK(iommufd_dmatest_run(dt_, &x, kTimeoutMs, &r));
	return r;
}

iommufd_dmatest_result DriverTest::Status()
{
	iommufd_dmatest_result r = NewResult();

	EXPECT_OK(iommufd_dmatest_status(dt_, &r));
	return r;
}

namespace {

// Loads the module once for the whole program (the lifecycle tests unload
// and reload it themselves, and leave it loaded).
class ModuleEnvironment : public ::testing::Environment {
	void SetUp() override
	{
		const std::string why = EnsureDmatestLoaded();
		if (!why.empty())
			ADD_FAILURE() << why;
	}
};

const bool kSummaryInstalled = InstallKernelSummaryLine("driver suite");
::testing::Environment *const kEnv = ::testing::AddGlobalTestEnvironment(new ModuleEnvironment);

} // namespace
