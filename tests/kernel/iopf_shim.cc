// SPDX-License-Identifier: LGPL-2.1-or-later
#include "iopf_shim.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#ifndef LIBIOMMUFD_SHIM_DIR
#error "LIBIOMMUFD_SHIM_DIR: where tests/kernel/build-shim puts <release>/iopf_group_shim.ko"
#endif

namespace {

std::string Load()
{
	utsname u = {};

	if (access("/sys/module/iopf_group_shim", F_OK) == 0)
		return "";
	uname(&u);
	const std::string path =
		std::string(LIBIOMMUFD_SHIM_DIR) + "/" + u.release + "/iopf_group_shim.ko";
	const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "the iopf_group_shim module for Linux " + std::string(u.release) +
		       " is not built (" + path + ": " + strerror(errno) +
		       "); tests/kernel/build-shim <latest|6.12> " LIBIOMMUFD_SHIM_DIR
		       " builds it, ctest's kernel_* tests do so before booting";
	const long rc = syscall(SYS_finit_module, fd, "", 0);
	const int err = errno;
	close(fd);
	if (rc == 0 || err == EEXIST)
		return "";
	std::string why = "finit_module(" + path + "): " + strerror(err);
	if (err == EOPNOTSUPP || err == ENOSYS)
		why += " (the kernel lacks CONFIG_KPROBES: see tests/vm/kernel.config)";
	if (err == EPERM)
		why += " (loading modules needs CAP_SYS_MODULE: run inside the test VM as root)";
	return why;
}

} // namespace

const std::string &IopfShimMissing()
{
	static const std::string why = Load();

	return why;
}
