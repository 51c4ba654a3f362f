// SPDX-License-Identifier: LGPL-2.1-or-later
#include "dmatest_module.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#ifndef LIBIOMMUFD_DRIVER_DIR
#error "LIBIOMMUFD_DRIVER_DIR: where tests/vm/build-module puts <release>/vfio_dmatest.ko"
#endif

namespace {

constexpr const char *kKmemleak = "/sys/kernel/debug/kmemleak";

int WriteFile(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, strlen(text));
	int err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

} // namespace

std::string DmatestKoPath()
{
	utsname u = {};

	uname(&u);
	return std::string(LIBIOMMUFD_DRIVER_DIR) + "/" + u.release + "/vfio_dmatest.ko";
}

int LoadDmatest(const std::string &params)
{
	const std::string path = DmatestKoPath();
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	long rc = syscall(SYS_finit_module, fd, params.c_str(), 0);
	int err = rc ? -errno : 0;
	close(fd);
	return err;
}

int UnloadDmatest()
{
	return syscall(SYS_delete_module, kModule, O_NONBLOCK) ? -errno : 0;
}

bool DmatestLoaded()
{
	return access("/sys/module/vfio_dmatest", F_OK) == 0;
}

std::string EnsureDmatestLoaded()
{
	if (DmatestLoaded())
		return "";
	int rc = LoadDmatest("devices=" + std::to_string(kDevices));
	if (rc == 0 || rc == -EEXIST)
		return "";
	return "loading " + DmatestKoPath() + ": " + strerror(-rc) +
	       (rc == -ENOENT ? " (tests/vm/build-module <latest|6.12> driver <dir> builds it; "
				"ctest's driver_* tests do so before booting)"
			      : "");
}

std::string KmemleakClear()
{
	if (access(kKmemleak, F_OK))
		(void)mount("debugfs", "/sys/kernel/debug", "debugfs", 0, nullptr); // not mounted yet?
	if (access(kKmemleak, F_OK))
		return "the kernel has no kmemleak (CONFIG_DEBUG_KMEMLEAK)";
	int rc = WriteFile(kKmemleak, "clear");
	return rc ? std::string("clearing kmemleak: ") + strerror(-rc) : "";
}

std::string KmemleakScan()
{
	// kmemleak ignores objects younger than 5 s; the first scan after a
	// free may still see stale references on the stack, so scan twice.
	sleep(6);
	for (int i = 0; i < 2; i++) {
		int rc = WriteFile(kKmemleak, "scan");
		if (rc)
			return std::string("scanning: ") + strerror(-rc);
	}
	std::ifstream in(kKmemleak);
	std::stringstream report;
	report << in.rdbuf();
	return report.str();
}
