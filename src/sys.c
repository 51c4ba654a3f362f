/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys.h"

static int real_open(void *priv, const char *path, int flags)
{
	(void)priv;
	int fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

static int real_close(void *priv, int fd)
{
	(void)priv;
	/* Linux closes the fd even when close() reports EINTR: never retry. */
	return close(fd) < 0 && errno != EINTR ? -errno : 0;
}

static int real_ioctl(void *priv, int fd, unsigned long request, void *arg)
{
	(void)priv;
	int rc = ioctl(fd, request, arg);
	return rc < 0 ? -errno : rc;
}

static ssize_t real_read(void *priv, int fd, void *buf, size_t len)
{
	(void)priv;
	ssize_t rc = read(fd, buf, len);
	return rc < 0 ? -errno : rc;
}

static ssize_t real_write(void *priv, int fd, const void *buf, size_t len)
{
	(void)priv;
	ssize_t rc = write(fd, buf, len);
	return rc < 0 ? -errno : rc;
}

static int real_kernel_release(void *priv)
{
	(void)priv;
	struct utsname u;
	unsigned int major, minor;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return (int)((major << 8) | (minor & 0xff));
}

static const struct ifd_sys_ops real_ops = {
	.kernel_release = real_kernel_release,
	.open = real_open,
	.close = real_close,
	.ioctl = real_ioctl,
	.read = real_read,
	.write = real_write,
};

static const struct ifd_sys_ops *ops = &real_ops;

void ifd_sys_set(const struct ifd_sys_ops *new_ops)
{
	ops = new_ops ? new_ops : &real_ops;
}

int ifd_sys_open(const char *path, int flags)
{
	int fd;

	do
		fd = ops->open(ops->priv, path, flags);
	while (fd == -EINTR);
	return fd;
}

int ifd_sys_close(int fd)
{
	return ops->close(ops->priv, fd);
}

int ifd_sys_ioctl(int fd, unsigned long request, void *arg)
{
	int rc;

	do
		rc = ops->ioctl(ops->priv, fd, request, arg);
	while (rc == -EINTR);
	return rc;
}

ssize_t ifd_sys_read(int fd, void *buf, size_t len)
{
	ssize_t rc;

	do
		rc = ops->read(ops->priv, fd, buf, len);
	while (rc == -EINTR);
	return rc;
}

ssize_t ifd_sys_write(int fd, const void *buf, size_t len)
{
	ssize_t rc;

	do
		rc = ops->write(ops->priv, fd, buf, len);
	while (rc == -EINTR);
	return rc;
}

int ifd_sys_kernel_release(void)
{
	return ops->kernel_release ? ops->kernel_release(ops->priv) : 0;
}
