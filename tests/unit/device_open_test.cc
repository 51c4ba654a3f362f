// SPDX-License-Identifier: LGPL-2.1-or-later
//
// VFIO devices: open by path, by PCI address (through a fake sysfs), adopt
// someone else's fd, close.
#include <fcntl.h>

#include "vfio_test_support.h"

namespace {

using DeviceOpen = VfioTest;

TEST_F(DeviceOpen, ByPath)
{
	ASSERT_EQ(0, iommufd_device_open(kEduPath, &dev_));
	EXPECT_EQ("/dev/iommu", fk_.last_open_path()) << "the VFIO layer took the open";
	ASSERT_NE(nullptr, vfio_.File(iommufd_device_fd(dev_)));
	EXPECT_EQ(edu_, file().dev);
	EXPECT_FALSE(file().bound);
	EXPECT_EQ(0u, iommufd_device_id(dev_));
	EXPECT_EQ(0u, vfio_.ioctls()) << "opening sends nothing";
}

TEST_F(DeviceOpen, OpensReadWriteCloexec)
{
	ASSERT_EQ(0, iommufd_device_open(kEduPath, &dev_));
	EXPECT_EQ(O_RDWR | O_CLOEXEC, vfio_.last_open_flags());
}

TEST_F(DeviceOpen, MissingNodeSaysWhy)
{
	EXPECT_FAILS(nullptr, ENOENT,
		     "iommufd_device_open: cannot open /dev/vfio/devices/vfio7: No such file or "
		     "directory (no such device, or a kernel without CONFIG_VFIO_DEVICE_CDEV, Linux 6.6)",
		     iommufd_device_open("/dev/vfio/devices/vfio7", &dev_));
	EXPECT_EQ(nullptr, dev_);
}

TEST_F(DeviceOpen, OpenErrorIsPassedOn)
{
	vfio_.FailNextOpen(EACCES);
	EXPECT_FAILS(nullptr, EACCES, "cannot open /dev/vfio/devices/vfio0: Permission denied",
		     iommufd_device_open(kEduPath, &dev_));
	EXPECT_FALSE(HasSentence(nullptr, "CONFIG_VFIO_DEVICE_CDEV"));
}

TEST_F(DeviceOpen, NullArguments)
{
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_open: path is NULL",
		     iommufd_device_open(nullptr, &dev_));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_open: devp is NULL",
		     iommufd_device_open(kEduPath, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_open_pci: bdf is NULL",
		     iommufd_device_open_pci(nullptr, &dev_));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_open_pci: devp is NULL",
		     iommufd_device_open_pci(kEduBdf, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_adopt_fd: devp is NULL",
		     iommufd_device_adopt_fd(3, nullptr));
	EXPECT_EQ(-EINVAL, iommufd_device_fd(nullptr));
	EXPECT_EQ(0u, iommufd_device_id(nullptr));
	iommufd_device_close(nullptr); // ignored
}

TEST_F(DeviceOpen, CloseClosesTheFdAndUnbinds)
{
	OpenBound();
	const int fd = iommufd_device_fd(dev_);
	ASSERT_NE(nullptr, Obj(dev_id_));
	iommufd_device_close(dev_);
	dev_ = nullptr;
	EXPECT_EQ(nullptr, vfio_.File(fd));
	EXPECT_EQ(nullptr, Obj(dev_id_)) << "the kernel unbinds on close";
}

// An fd another party opened (and maybe bound), handed over.
TEST_F(DeviceOpen, AdoptUnbound)
{
	const int raw = vfio_.Open(kEduPath, O_RDWR);

	ASSERT_EQ(0, iommufd_device_adopt_fd(raw, &dev_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(raw, iommufd_device_fd(dev_));
	EXPECT_EQ(1u, vfio_.ioctls(UAPI_VFIO_DEVICE_GET_INFO)) << "one harmless check";
	ASSERT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, &dev_id_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_TRUE(file().bound);
}

TEST_F(DeviceOpen, AdoptBoundElsewhere)
{
	const int raw = vfio_.Open(kEduPath, O_RDWR);
	uapi_vfio_device_bind_iommufd bind = {16, 0, iommufd_ctx_fd(ctx_), 0, 0};
	ASSERT_EQ(0, ifd_sys_ioctl(raw, UAPI_VFIO_DEVICE_BIND_IOMMUFD, &bind));

	ASSERT_EQ(0, iommufd_device_adopt_fd(raw, &dev_));
	uint32_t ioas = NewIoas();
	EXPECT_EQ(0, iommufd_device_attach(dev_, ioas, nullptr)) << "usable as bound";
	EXPECT_FAILS(ctx_, EBUSY, "is bound already (one bind per open)",
		     iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	EXPECT_EQ(0u, iommufd_device_id(dev_)) << "the ID is the binder's to tell";
}

TEST_F(DeviceOpen, AdoptRefusesWhatIsNoVfioDevice)
{
	const int plain = fk_.AddPlainFd();

	EXPECT_FAILS(nullptr, EBADF, "iommufd_device_adopt_fd: fd -1 is not open",
		     iommufd_device_adopt_fd(-1, &dev_));
	EXPECT_FAILS(nullptr, EBADF, "iommufd_device_adopt_fd: fd 4242 is not open",
		     iommufd_device_adopt_fd(4242, &dev_));
	EXPECT_FAILS(nullptr, ENOTTY, "is not a VFIO device (Inappropriate ioctl for device)",
		     iommufd_device_adopt_fd(plain, &dev_));
	EXPECT_FAILS(nullptr, ENOTTY, "is not a VFIO device",
		     iommufd_device_adopt_fd(iommufd_ctx_fd(ctx_), &dev_));
	EXPECT_EQ(nullptr, dev_);
	EXPECT_TRUE(fk_.IsOpen(plain)) << "a refused fd stays the caller's";
}

// ---- by PCI address -------------------------------------------------------

TEST_F(DeviceOpen, PciAddress)
{
	ASSERT_EQ(0, iommufd_device_open_pci(kEduBdf, &dev_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(edu_, file().dev);
}

TEST_F(DeviceOpen, PciAddressShortAndUppercase)
{
	fake::VfioDevice &d = vfio_.AddPciDevice("0000:3a:1f.7", 12);

	ASSERT_EQ(0, iommufd_device_open_pci("3A:1F.7", &dev_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(&d, file().dev);
}

TEST_F(DeviceOpen, PciAddressWithALargeDomain)
{
	fake::VfioDevice &d = vfio_.AddPciDevice("10000:e1:00.0", 3);

	ASSERT_EQ(0, iommufd_device_open_pci("10000:e1:00.0", &dev_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(&d, file().dev);
}

TEST_F(DeviceOpen, MalformedPciAddresses)
{
	for (const char *bdf : {"", "0", "00:0a", "00:0a.", "00:0a.8", "00:20.0", "0:00:0a.0",
				"000:00:0a.0", "0000:0:0a.0", "0000:000:0a.0", "0000:00:0a.00",
				"0000:00:0a.0 ", "0000:00:0g.0", "0000-00:0a.0", "../../../etc",
				"0000:00:0a.0/../..", "123456789:00:0a.0"}) {
		SCOPED_TRACE(bdf);
		EXPECT_FAILS(nullptr, EINVAL, "is not a PCI address (domain:bus:device.function",
			     iommufd_device_open_pci(bdf, &dev_));
	}
	EXPECT_EQ(-1, vfio_.last_open_flags()) << "nothing was opened";
}

TEST_F(DeviceOpen, NoSuchPciDevice)
{
	EXPECT_FAILS(nullptr, ENODEV, "iommufd_device_open_pci: no PCI device 0000:00:1f.3",
		     iommufd_device_open_pci("0000:00:1f.3", &dev_));
}

TEST_F(DeviceOpen, PciDeviceWithoutDriver)
{
	vfio_.AddSysfsDevice("0000:00:03.0", "");
	EXPECT_FAILS(nullptr, ENODEV,
		     "PCI device 0000:00:03.0 is bound to no driver (bind it to vfio-pci",
		     iommufd_device_open_pci("0000:00:03.0", &dev_));
}

TEST_F(DeviceOpen, PciDeviceOfAnotherDriverIsNamed)
{
	vfio_.AddSysfsDevice("0000:00:04.0", "virtio-pci");
	EXPECT_FAILS(nullptr, ENODEV, "PCI device 0000:00:04.0 is bound to virtio-pci, not to vfio-pci",
		     iommufd_device_open_pci("0000:00:04.0", &dev_));
}

TEST_F(DeviceOpen, CdevPathComesFromSysfs)
{
	fake::VfioDevice &d = vfio_.AddPciDevice("0000:00:05.0", 42);

	ASSERT_EQ(0, iommufd_device_open_pci("0000:00:05.0", &dev_));
	EXPECT_EQ("/dev/vfio/devices/vfio42", vfio_.CdevPath(d));
	EXPECT_EQ(&d, file().dev);
}

TEST_P(VfioProfileTest, PciCdevNeedsLinux6_6)
{
	if (kver() >= fake::Kver(6, 6)) {
		ASSERT_EQ(0, iommufd_device_open_pci(kEduBdf, &dev_)) << iommufd_ctx_last_error(nullptr);
		return;
	}
	EXPECT_FAILS(nullptr, ENODEV,
		     "PCI device 0000:00:0a.0 is bound to vfio-pci but has no VFIO cdev: a kernel "
		     "without CONFIG_VFIO_DEVICE_CDEV (Linux 6.6)",
		     iommufd_device_open_pci(kEduBdf, &dev_));
	EXPECT_FAILS(nullptr, ENOENT, "CONFIG_VFIO_DEVICE_CDEV", iommufd_device_open(kEduPath, &dev_));
}

INSTANTIATE_FOR_ALL_PROFILES(VfioProfileTest);

} // namespace
