// SPDX-License-Identifier: LGPL-2.1-or-later
#include "edu.h"

#include <dirent.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <fstream>

namespace edu {

namespace {

constexpr int kDmaTimeoutMs = 20000; // TCG on a busy machine is slow

unsigned ReadHex(const std::string &path)
{
	std::ifstream f(path);
	unsigned v = 0;

	f >> std::hex >> v;
	return f ? v : 0;
}

std::string Errno(const char *what, int rc)
{
	return std::string(what) + ": " + strerror(-rc) + " (" +
	       iommufd_ctx_last_error(nullptr) + ")";
}

} // namespace

std::string FindBdf()
{
	DIR *d = opendir("/sys/bus/pci/devices");
	std::string found;

	if (!d)
		return found;
	while (dirent *e = readdir(d)) {
		const std::string dir = std::string("/sys/bus/pci/devices/") + e->d_name;
		if (e->d_name[0] != '.' && ReadHex(dir + "/vendor") == kVendor &&
		    ReadHex(dir + "/device") == kDevice) {
			found = e->d_name;
			break;
		}
	}
	closedir(d);
	return found;
}

int Edu::EnableBusMaster()
{
	constexpr uint64_t kCommand = 0x04;     // PCI_COMMAND
	constexpr uint16_t kBusMaster = 1 << 2; // PCI_COMMAND_MASTER
	uint16_t cmd = 0;
	int rc = iommufd_device_region_read(dev_, IOMMUFD_PCI_CONFIG_REGION, kCommand, &cmd,
					    sizeof(cmd));

	if (rc || (cmd & kBusMaster))
		return rc;
	cmd |= kBusMaster;
	return iommufd_device_region_write(dev_, IOMMUFD_PCI_CONFIG_REGION, kCommand, &cmd,
					   sizeof(cmd));
}

int Edu::Read32(uint64_t reg, uint32_t *v)
{
	return iommufd_device_region_read(dev_, IOMMUFD_PCI_BAR0_REGION, reg, v, sizeof(*v));
}

int Edu::Write32(uint64_t reg, uint32_t v)
{
	return iommufd_device_region_write(dev_, IOMMUFD_PCI_BAR0_REGION, reg, &v, sizeof(v));
}

int Edu::Write64(uint64_t reg, uint64_t v)
{
	return iommufd_device_region_write(dev_, IOMMUFD_PCI_BAR0_REGION, reg, &v, sizeof(v));
}

std::string Edu::Dma(uint64_t src, uint64_t dst, uint64_t count, uint64_t cmd)
{
	const struct timespec tick = {0, 1000000};
	int rc = Write64(kRegDmaSrc, src);

	if (!rc)
		rc = Write64(kRegDmaDst, dst);
	if (!rc)
		rc = Write64(kRegDmaCount, count);
	if (!rc)
		rc = Write64(kRegDmaCmd, cmd);
	if (rc)
		return Errno("programming the DMA registers", rc);
	for (int ms = 0; ms < kDmaTimeoutMs; ms++) {
		uint32_t status = 0;
		rc = Read32(kRegDmaCmd, &status);
		if (rc)
			return Errno("reading the DMA command register", rc);
		if (!(status & kCmdRun))
			return "";
		nanosleep(&tick, nullptr);
	}
	return "the DMA engine did not finish within " + std::to_string(kDmaTimeoutMs) + " ms";
}

} // namespace edu
