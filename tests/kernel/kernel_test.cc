// SPDX-License-Identifier: LGPL-2.1-or-later
#include "kernel_test.h"

#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>

uint64_t PageSize()
{
	static const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
	return page;
}

Buffer::Buffer(size_t length, int prot) : len_(length)
{
	void *p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		ADD_FAILURE() << "mmap of " << length << " bytes: " << strerror(errno);
		len_ = 0;
		return;
	}
	p_ = static_cast<uint8_t *>(p);
	(void)madvise(p_, len_, MADV_NOHUGEPAGE); // absent without THP: fine
	Fill(0x5a);
	if (prot != (PROT_READ | PROT_WRITE) && mprotect(p_, len_, prot))
		ADD_FAILURE() << "mprotect: " << strerror(errno);
}

Buffer::~Buffer()
{
	if (p_)
		munmap(p_, len_);
}

void Buffer::Fill(uint8_t seed)
{
	for (size_t i = 0; i < len_; i++)
		p_[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 12));
}

Memfd::Memfd(size_t length) : len_(length)
{
	fd_ = memfd_create("libiommufd-kernel-test", MFD_CLOEXEC);
	if (fd_ < 0 || ftruncate(fd_, static_cast<off_t>(length))) {
		ADD_FAILURE() << "memfd of " << length << " bytes: " << strerror(errno);
		return;
	}
	void *p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
	if (p == MAP_FAILED) {
		ADD_FAILURE() << "mmap of the memfd: " << strerror(errno);
		return;
	}
	p_ = static_cast<uint8_t *>(p);
	for (size_t i = 0; i < len_; i++)
		p_[i] = static_cast<uint8_t>(0xa5 ^ i);
}

Memfd::~Memfd()
{
	if (p_)
		munmap(p_, len_);
	if (fd_ >= 0)
		close(fd_);
}

namespace {

// The iommufd command behind each public function, for checking that a
// failure sentence names either one.
const std::map<std::string, std::string> kCommandOf = {
	{ "iommufd_ioas_alloc", "IOMMU_IOAS_ALLOC" },
	{ "iommufd_ioas_map", "IOMMU_IOAS_MAP" },
	{ "iommufd_ioas_map_file", "IOMMU_IOAS_MAP_FILE" },
	{ "iommufd_ioas_unmap", "IOMMU_IOAS_UNMAP" },
	{ "iommufd_ioas_unmap_all", "IOMMU_IOAS_UNMAP" },
	{ "iommufd_ioas_copy", "IOMMU_IOAS_COPY" },
	{ "iommufd_ioas_iova_ranges", "IOMMU_IOAS_IOVA_RANGES" },
	{ "iommufd_ioas_allow_iovas", "IOMMU_IOAS_ALLOW_IOVAS" },
	{ "iommufd_ioas_change_process", "IOMMU_IOAS_CHANGE_PROCESS" },
	{ "iommufd_option_get", "IOMMU_OPTION" },
	{ "iommufd_option_set", "IOMMU_OPTION" },
	{ "iommufd_vfio_ioas_get", "IOMMU_VFIO_IOAS" },
	{ "iommufd_vfio_ioas_set", "IOMMU_VFIO_IOAS" },
	{ "iommufd_vfio_ioas_clear", "IOMMU_VFIO_IOAS" },
	{ "iommufd_destroy", "IOMMU_DESTROY" },
	{ "iommufd_hwpt_alloc", "IOMMU_HWPT_ALLOC" },
	{ "iommufd_hwpt_invalidate", "IOMMU_HWPT_INVALIDATE" },
	{ "iommufd_hwpt_set_dirty_tracking", "IOMMU_HWPT_SET_DIRTY_TRACKING" },
	{ "iommufd_hwpt_get_dirty_bitmap", "IOMMU_HWPT_GET_DIRTY_BITMAP" },
	{ "iommufd_get_hw_info", "IOMMU_GET_HW_INFO" },
	{ "iommufd_viommu_alloc", "IOMMU_VIOMMU_ALLOC" },
	{ "iommufd_viommu_invalidate", "IOMMU_HWPT_INVALIDATE" },
	{ "iommufd_vdevice_alloc", "IOMMU_VDEVICE_ALLOC" },
	{ "iommufd_hw_queue_alloc", "IOMMU_HW_QUEUE_ALLOC" },
	{ "iommufd_fault_queue_alloc", "IOMMU_FAULT_QUEUE_ALLOC" },
	{ "iommufd_veventq_alloc", "IOMMU_VEVENTQ_ALLOC" },
};

std::string FunctionOf(const std::string &call)
{
	size_t end = call.find('(');
	std::string fn = call.substr(0, end);

	while (!fn.empty() && isspace(static_cast<unsigned char>(fn.back())))
		fn.pop_back();
	return fn;
}

// Makes the library record a known failure sentence, without any ioctl.
std::string PrimeLastError(iommufd_ctx *ctx)
{
	// An option value the library refuses before any ioctl.
	int rc = iommufd_option_set(ctx, IOMMUFD_OPTION_RLIMIT_MODE, 0, 0x5eed);

	if (rc >= 0)
		ADD_FAILURE() << "priming the last error did not fail";
	return iommufd_ctx_last_error(ctx);
}

} // namespace

::testing::AssertionResult ErrnoIs(iommufd_ctx *ctx, int err, const char *call,
				   const std::function<int()> &fn)
{
	const std::string before = PrimeLastError(ctx);
	const int rc = fn();
	const std::string s = iommufd_ctx_last_error(ctx);
	const std::string name = FunctionOf(call);
	std::string cmd;

	if (rc != -err)
		return ::testing::AssertionFailure()
		       << call << " returned " << rc << " (" << (rc < 0 ? strerror(-rc) : "success")
		       << "), expected " << -err << " (" << strerror(err) << ")\n  last error: \""
		       << s << "\"";
	if (s.size() < 12 || s.find(' ') == std::string::npos)
		return ::testing::AssertionFailure() << call << " left no sentence: \"" << s << "\"";
	if (s == before)
		return ::testing::AssertionFailure()
		       << call << " did not record its own sentence (still \"" << s << "\")";
	if (name.rfind("iommufd_test_", 0) == 0)
		cmd = "IOMMU_TEST_CMD";
	else if (auto it = kCommandOf.find(name); it != kCommandOf.end())
		cmd = it->second;
	if (name.rfind("iommufd_", 0) == 0 && s.find(name) == std::string::npos &&
	    (cmd.empty() || s.find(cmd) == std::string::npos))
		return ::testing::AssertionFailure()
		       << "the sentence of " << call << " names neither " << name << " nor "
		       << (cmd.empty() ? "?" : cmd) << ": \"" << s << "\"";
	return ::testing::AssertionSuccess();
}

std::string RunInChild(const std::function<std::string()> &body)
{
	int pipefd[2];

	if (pipe(pipefd))
		return std::string("pipe: ") + strerror(errno);
	fflush(nullptr);
	pid_t pid = fork();
	if (pid < 0)
		return std::string("fork: ") + strerror(errno);
	if (pid == 0) {
		close(pipefd[0]);
		std::string msg = body();
		ssize_t n = write(pipefd[1], msg.data(), msg.size());
		_exit(n == static_cast<ssize_t>(msg.size()) ? 0 : 1);
	}
	close(pipefd[1]);
	std::string got;
	char buf[256];
	ssize_t n;
	while ((n = read(pipefd[0], buf, sizeof(buf))) > 0)
		got.append(buf, static_cast<size_t>(n));
	close(pipefd[0]);
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		return std::string("waitpid: ") + strerror(errno);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return got + " (the child did not exit cleanly, status " + std::to_string(status) + ")";
	return got;
}

std::string DropCapability(int cap)
{
	__user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	__user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return std::string("capget: ") + strerror(errno);
	data[cap / 32].effective &= ~(1u << (cap % 32));
	if (syscall(SYS_capset, &hdr, data))
		return std::string("capset: ") + strerror(errno);
	return "";
}

long ProcStatusKb(const char *name, pid_t pid)
{
	const std::string path =
		pid ? "/proc/" + std::to_string(pid) + "/status" : std::string("/proc/self/status");
	FILE *f = fopen(path.c_str(), "r");
	char line[256];
	long kb = -1;
	size_t len = strlen(name);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':') {
			kb = strtol(line + len + 1, nullptr, 10);
			break;
		}
	fclose(f);
	return kb;
}

void KernelTest::SetUp()
{
	facts_ = FactsForRunningKernel();
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx_))
		<< iommufd_ctx_last_error(nullptr)
		<< " (this suite runs inside the test VM: tests/vm/run <kernel> -- <binary>)";
	ASSERT_EQ(1, iommufd_test_op_supported(ctx_, IOMMUFD_TEST_OP_MOCK_DOMAIN))
		<< "the test kernels are built with CONFIG_IOMMUFD_TEST; this one has no mock";
}

void KernelTest::TearDown()
{
	iommufd_ctx_close(ctx_);
	ctx_ = nullptr;
}

bool KernelTest::KernelAtLeast(unsigned major, unsigned minor) const
{
	const Uname &u = RunningKernel();

	return u.major > major || (u.major == major && u.minor >= minor);
}

uint32_t KernelTest::NewIoas()
{
	uint32_t id = 0;

	EXPECT_OK(iommufd_ioas_alloc(ctx_, &id));
	EXPECT_NE(0u, id);
	return id;
}

MockDev KernelTest::AddMockDev(uint32_t ioas_id)
{
	MockDev d;

	EXPECT_OK(iommufd_test_mock_domain(ctx_, ioas_id, 0, &d.stdev_id, &d.hwpt_id, &d.dev_id));
	EXPECT_NE(0u, d.stdev_id);
	EXPECT_NE(0u, d.hwpt_id);
	EXPECT_NE(0u, d.dev_id);
	return d;
}

uint64_t KernelTest::Map(uint32_t ioas_id, void *buf, uint64_t length, uint32_t flags)
{
	uint64_t iova = 0;

	EXPECT_OK(iommufd_ioas_map(ctx_, ioas_id, buf, length, flags, &iova));
	return iova;
}

void KernelTest::MapFixed(uint32_t ioas_id, void *buf, uint64_t length, uint64_t iova,
			  uint32_t flags)
{
	uint64_t io = iova;

	EXPECT_OK(iommufd_ioas_map(ctx_, ioas_id, buf, length, flags | kFixed, &io));
	EXPECT_EQ(iova, io);
}

uint64_t KernelTest::Unmap(uint32_t ioas_id, uint64_t iova, uint64_t length)
{
	uint64_t unmapped = 0;

	EXPECT_OK(iommufd_ioas_unmap(ctx_, ioas_id, iova, length, &unmapped));
	return unmapped;
}

uint64_t KernelTest::UnmapAll(uint32_t ioas_id)
{
	uint64_t unmapped = ~0ull;

	EXPECT_OK(iommufd_ioas_unmap_all(ctx_, ioas_id, &unmapped));
	return unmapped;
}

uint64_t KernelTest::Copy(uint32_t dst, uint32_t src, uint64_t src_iova, uint64_t length,
			  uint32_t flags, uint64_t dst_iova)
{
	EXPECT_OK(iommufd_ioas_copy(ctx_, dst, src, src_iova, length, flags, &dst_iova));
	return dst_iova;
}

uint64_t KernelTest::OptionGet(uint32_t option, uint32_t object_id)
{
	uint64_t v = ~0ull;

	EXPECT_OK(iommufd_option_get(ctx_, option, object_id, &v));
	return v;
}

void KernelTest::Destroy(uint32_t id)
{
	EXPECT_OK(iommufd_destroy(ctx_, id));
}

int KernelTest::CreateAccess(uint32_t ioas_id, uint32_t flags)
{
	int fd = -1;

	EXPECT_OK(iommufd_test_create_access(ctx_, ioas_id, flags, &fd));
	EXPECT_GE(fd, 0);
	return fd;
}

int KernelTest::CheckMap(uint32_t hwpt_id, uint64_t iova, uint64_t length, const void *buf)
{
	return iommufd_test_check_map(ctx_, hwpt_id, iova, length, buf);
}

int KernelTest::CheckRefs(const void *buf, uint64_t length, uint32_t refs)
{
	return iommufd_test_check_refs(ctx_, buf, length, refs);
}

namespace {

// Prints one line a caller can pick up per kernel (scripts/check looks for
// "[kernel "), after gtest's summary.
class SummaryLine : public ::testing::EmptyTestEventListener {
	void OnTestProgramStart(const ::testing::UnitTest &) override
	{
		const Uname &u = RunningKernel();

		printf("libiommufd kernel suite on Linux %s (%s)\n", u.release.c_str(),
		       FactsForRunningKernel() ? "a kernel of the test matrix"
					       : "not a kernel of the test matrix: probe facts skipped");
		fflush(stdout);
	}
	void OnTestProgramEnd(const ::testing::UnitTest &t) override
	{
		printf("[kernel %s] libiommufd kernel suite: %d tests, %d passed, %d skipped, "
		       "%d failed\n",
		       RunningKernel().release.c_str(), t.test_to_run_count(),
		       t.successful_test_count(), t.skipped_test_count(), t.failed_test_count());
		fflush(stdout);
	}
};

// A binary that reuses these fixtures but closes with its own line (the
// concurrency stress) defines LIBIOMMUFD_OWN_SUMMARY_LINE.
#ifndef LIBIOMMUFD_OWN_SUMMARY_LINE
const bool kSummaryInstalled = [] {
	::testing::UnitTest::GetInstance()->listeners().Append(new SummaryLine);
	return true;
}();
#endif

} // namespace
