// SPDX-License-Identifier: LGPL-2.1-or-later
#include "fail_nth.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

const char kDebugfs[] = "/sys/kernel/debug";

std::string ReadSmall(const std::string &path)
{
	char buf[64] = {};
	const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return "";
	const ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	std::string s(buf, n > 0 ? static_cast<size_t>(n) : 0);
	while (!s.empty() && s.back() == '\n')
		s.pop_back();
	return s;
}

bool FaultInjectionDirs(std::vector<std::string> *dirs)
{
	DIR *d = opendir(kDebugfs);

	if (!d)
		return false;
	while (const dirent *e = readdir(d))
		if (!strncmp(e->d_name, "fail", 4))
			dirs->push_back(std::string(kDebugfs) + "/" + e->d_name);
	closedir(d);
	return true;
}

} // namespace

bool FailNth::Write(const std::string &path, const std::string &value)
{
	const std::string old = ReadSmall(path);
	const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	const bool ok = write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
	close(fd);
	if (ok && !old.empty())
		saved_.emplace_back(path, old);
	return ok;
}

std::string FailNth::Setup()
{
	std::vector<std::string> dirs;

	// virtme-ng mounts debugfs; a plain boot may not have.
	if (access((std::string(kDebugfs) + "/failslab").c_str(), F_OK))
		(void)mount("debugfs", kDebugfs, "debugfs", 0, nullptr);
	if (!FaultInjectionDirs(&dirs))
		return std::string("no debugfs at ") + kDebugfs + ": " + strerror(errno);
	// Allocations that may sleep are what iommufd makes: let them fail.
	if (!Write(std::string(kDebugfs) + "/failslab/ignore-gfp-wait", "N"))
		return "no failslab/ignore-gfp-wait (a kernel without CONFIG_FAILSLAB?)";
	if (!Write(std::string(kDebugfs) + "/fail_page_alloc/ignore-gfp-wait", "N") ||
	    !Write(std::string(kDebugfs) + "/fail_page_alloc/ignore-gfp-highmem", "N"))
		return "no fail_page_alloc (a kernel without CONFIG_FAIL_PAGE_ALLOC?)";
	// Thousands of injected failures: no console line (and stack) each.
	for (const std::string &dir : dirs)
		(void)Write(dir + "/verbose", "0");
	fd_ = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fd_ < 0)
		return std::string("/proc/thread-self/fail-nth: ") + strerror(errno) +
		       " (a kernel without CONFIG_FAULT_INJECTION?)";
	return "";
}

FailNth::~FailNth()
{
	if (fd_ >= 0)
		close(fd_);
	for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
		const int fd = open(it->first.c_str(), O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			(void)!write(fd, it->second.data(), it->second.size());
			close(fd);
		}
	}
}

bool FailNth::Arm(unsigned n)
{
	const std::string v = std::to_string(n);

	return pwrite(fd_, v.data(), v.size(), 0) == static_cast<ssize_t>(v.size());
}

bool FailNth::Disarm(std::string *error)
{
	char buf[32];
	bool injected;

	// The read's copy to user memory is itself a check when it faults a
	// page in: touch the buffer first.  Should it still be the one that
	// failed (EFAULT), the sequence never reached the Nth check.
	memset(buf, 0, sizeof(buf));
	const ssize_t n = pread(fd_, buf, sizeof(buf) - 1, 0);
	if (n < 0 && errno == EFAULT)
		injected = false;
	else if (n < 2) {
		*error = std::string("reading fail-nth: ") + (n < 0 ? strerror(errno) : "short");
		injected = false;
	} else
		injected = strtoul(buf, nullptr, 10) == 0;
	// Writing 0 turns it off; the write too may be the Nth check.
	for (int i = 0; i < 2; i++) {
		if (pwrite(fd_, "0", 1, 0) == 1)
			return injected;
		if (errno != EFAULT)
			break;
		injected = false;
	}
	*error = std::string("turning fail-nth off: ") + strerror(errno);
	return injected;
}
