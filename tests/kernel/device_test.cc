// SPDX-License-Identifier: LGPL-2.1-or-later
// VFIO device cdev paths that need no VFIO device: the real sysfs and
// /dev of the test VM (no device there is bound to vfio-pci; the edu suite
// covers a bound one).
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "kernel_test.h"

namespace {

// CALL fails with -ERR leaving (for no context) a sentence with WHAT.
#define EXPECT_DEV_ERR(ERR, WHAT, CALL)                                        \
	do {                                                                   \
		const int rc_ = (CALL);                                        \
		EXPECT_EQ(-(ERR), rc_) << #CALL << ": " << iommufd_ctx_last_error(nullptr); \
		EXPECT_NE(std::string::npos,                                   \
			  std::string(iommufd_ctx_last_error(nullptr)).find(WHAT)) \
			<< #CALL << ": \"" << iommufd_ctx_last_error(nullptr) << "\""; \
	} while (0)

struct PciDev {
	std::string bdf, driver; // driver "" when unbound
};

std::vector<PciDev> PciDevices()
{
	std::vector<PciDev> out;
	DIR *d = opendir("/sys/bus/pci/devices");

	if (!d)
		return out;
	while (dirent *e = readdir(d)) {
		if (e->d_name[0] == '.')
			continue;
		PciDev p{e->d_name, ""};
		char target[PATH_MAX];
		const std::string link = std::string("/sys/bus/pci/devices/") + e->d_name + "/driver";
		ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			p.driver = strrchr(target, '/') + 1;
		}
		out.push_back(p);
	}
	closedir(d);
	return out;
}

class DeviceNoVfio : public KernelTest {
protected:
	void TearDown() override
	{
		iommufd_device_close(dev_);
		KernelTest::TearDown();
	}
	iommufd_device *dev_ = nullptr;
};

TEST_F(DeviceNoVfio, NoSuchPciDevice)
{
	EXPECT_DEV_ERR(ENODEV, "iommufd_device_open_pci: no PCI device 0000:7f:1f.7",
		       iommufd_device_open_pci("0000:7f:1f.7", &dev_));
	EXPECT_DEV_ERR(ENODEV, "no PCI device 0000:7f:1f.7", iommufd_device_open_pci("7f:1f.7", &dev_));
	EXPECT_EQ(nullptr, dev_);
}

TEST_F(DeviceNoVfio, MalformedAddress)
{
	EXPECT_DEV_ERR(EINVAL, "is not a PCI address", iommufd_device_open_pci("0000:00:0a", &dev_));
	EXPECT_DEV_ERR(EINVAL, "is not a PCI address", iommufd_device_open_pci("../../..", &dev_));
}

TEST_F(DeviceNoVfio, DeviceOfAnotherDriverIsNamed)
{
	for (const PciDev &p : PciDevices()) {
		if (p.driver.empty() || p.driver.find("vfio") != std::string::npos)
			continue;
		EXPECT_DEV_ERR(ENODEV, "PCI device " + p.bdf + " is bound to " + p.driver +
			       ", not to vfio-pci", iommufd_device_open_pci(p.bdf.c_str(), &dev_));
		return;
	}
	GTEST_SKIP() << "no PCI device with a driver in this VM";
}

TEST_F(DeviceNoVfio, DeviceWithoutDriverSaysSo)
{
	for (const PciDev &p : PciDevices()) {
		if (!p.driver.empty())
			continue;
		EXPECT_DEV_ERR(ENODEV, "PCI device " + p.bdf + " is bound to no driver",
			       iommufd_device_open_pci(p.bdf.c_str(), &dev_));
		return;
	}
	GTEST_SKIP() << "every PCI device of this VM has a driver";
}

TEST_F(DeviceNoVfio, NoCdevNode)
{
	EXPECT_DEV_ERR(ENOENT, "cannot open /dev/vfio/devices/vfio999: No such file or directory "
		       "(no such device, or a kernel without CONFIG_VFIO_DEVICE_CDEV",
		       iommufd_device_open("/dev/vfio/devices/vfio999", &dev_));
}

TEST_F(DeviceNoVfio, AdoptRefusesOtherFds)
{
	const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_GE(null_fd, 0);

	EXPECT_DEV_ERR(ENOTTY, "is not a VFIO device", iommufd_device_adopt_fd(null_fd, &dev_));
	EXPECT_DEV_ERR(ENOTTY, "is not a VFIO device",
		       iommufd_device_adopt_fd(iommufd_ctx_fd(ctx_), &dev_));
	EXPECT_DEV_ERR(EBADF, "is not open", iommufd_device_adopt_fd(INT_MAX - 1, &dev_));
	EXPECT_NE(-1, fcntl(null_fd, F_GETFD)) << "a refused fd stays open";
	close(null_fd);
}

} // namespace
