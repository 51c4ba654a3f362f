/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VFIO device cdevs: open, adopt, close, bind to a context, reset. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "device_private.h"
#include "sys.h"

int ifd_check_dev(const struct iommufd_device *dev, const char *fn)
{
	if (dev)
		return 0;
	return ifd_fail(NULL, EINVAL, "%s: the device is NULL", fn);
}

int ifd_dev_ioctl(struct iommufd_device *dev, unsigned long request, void *arg)
{
	return ifd_sys_ioctl(dev->fd, request, arg);
}

int ifd_dev_explain(struct iommufd_device *dev, const char *cmd, int rc)
{
	/* Kernel fact: before BIND_IOMMUFD every other ioctl is EINVAL. */
	if (rc == -EINVAL && !dev->bound)
		return ifd_dev_fail(dev, EINVAL,
				    "%s on %s: the device is not bound to an iommufd context "
				    "(iommufd_device_bind() first)", cmd, dev->name);
	if (rc == -ENOTTY)
		return ifd_dev_fail(dev, ENOTTY, "%s on %s: the device does not know this ioctl",
				    cmd, dev->name);
	return ifd_dev_fail(dev, -rc, "%s on %s failed: %s", cmd, dev->name, strerror(-rc));
}

static int dev_new(int fd, struct iommufd_device **devp)
{
	struct iommufd_device *dev = ifd_calloc(1, sizeof(*dev));

	if (!dev)
		return ifd_fail(NULL, ENOMEM, "out of memory for the device");
	dev->fd = fd;
	*devp = dev;
	return 0;
}

static int open_path(const char *fn, const char *path, const char *name,
		     struct iommufd_device **devp)
{
	int fd = ifd_sys_open(path, O_RDWR | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return ifd_fail(NULL, -fd, "%s: cannot open %s: %s%s", fn, path, strerror(-fd),
				fd == -ENOENT ? " (no such device, or a kernel without "
						"CONFIG_VFIO_DEVICE_CDEV, Linux 6.6)" : "");
	rc = dev_new(fd, devp);
	if (rc) {
		ifd_sys_close(fd);
		return rc;
	}
	snprintf((*devp)->name, sizeof((*devp)->name), "%s", name);
	return 0;
}

int iommufd_device_open(const char *path, struct iommufd_device **devp)
{
	static const char fn[] = "iommufd_device_open";
	int rc = ifd_check_out(NULL, path, fn, "path");

	if (!rc)
		rc = ifd_check_out(NULL, devp, fn, "devp");
	return rc ? rc : open_path(fn, path, path, devp);
}

int iommufd_device_open_pci(const char *bdf, struct iommufd_device **devp)
{
	static const char fn[] = "iommufd_device_open_pci";
	char path[64], name[IFD_DEV_NAME_LEN];
	int rc = ifd_check_out(NULL, bdf, fn, "bdf");

	if (!rc)
		rc = ifd_check_out(NULL, devp, fn, "devp");
	if (!rc)
		rc = ifd_pci_cdev_path(bdf, path, sizeof(path));
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%.63s (%.24s)", path, bdf);
	return open_path(fn, path, name, devp);
}

/* GET_INFO with a full struct: a bound VFIO device answers, an unbound one
 * says EINVAL (the kernel's "bind first"), anything else ENOTTY. */
static int check_is_vfio(int fd, bool *bound)
{
	struct uapi_vfio_device_info info = { .argsz = sizeof(info) };
	int rc = ifd_sys_ioctl(fd, UAPI_VFIO_DEVICE_GET_INFO, &info);

	*bound = rc >= 0;
	if (rc >= 0 || rc == -EINVAL)
		return 0;
	if (rc == -EBADF)
		return ifd_fail(NULL, EBADF, "iommufd_device_adopt_fd: fd %d is not open", fd);
	return ifd_fail(NULL, -rc, "iommufd_device_adopt_fd: fd %d is not a VFIO device (%s)", fd,
			strerror(-rc));
}

int iommufd_device_adopt_fd(int fd, struct iommufd_device **devp)
{
	static const char fn[] = "iommufd_device_adopt_fd";
	bool bound;
	int rc = ifd_check_out(NULL, devp, fn, "devp");

	if (rc)
		return rc;
	if (fd < 0)
		return ifd_fail(NULL, EBADF, "%s: fd %d is not open", fn, fd);
	rc = check_is_vfio(fd, &bound);
	if (!rc)
		rc = dev_new(fd, devp);
	if (rc)
		return rc;
	(*devp)->bound = bound;
	snprintf((*devp)->name, sizeof((*devp)->name), "fd %d", fd);
	return 0;
}

void iommufd_device_close(struct iommufd_device *dev)
{
	if (!dev)
		return;
	ifd_sys_close(dev->fd);
	ifd_regions_forget(dev);
	free(dev);
}

int iommufd_device_fd(const struct iommufd_device *dev)
{
	return dev ? dev->fd : -EINVAL;
}

uint32_t iommufd_device_id(const struct iommufd_device *dev)
{
	return dev ? dev->dev_id : 0;
}

int iommufd_device_reset(struct iommufd_device *dev)
{
	static const char cmd[] = "VFIO_DEVICE_RESET";
	int rc = ifd_check_dev(dev, "iommufd_device_reset");

	if (rc)
		return rc;
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_RESET, NULL);
	if (rc >= 0)
		return 0;
	ifd_dev_explain(dev, cmd, rc);
	if (rc == -EINVAL && dev->bound)
		return ifd_dev_fail(dev, EINVAL,
				    "%s on %s: the device cannot be reset (no reset method; "
				    "IOMMUFD_DEVICE_FLAG_RESET is clear)", cmd, dev->name);
	return rc;
}
