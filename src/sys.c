/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

static ssize_t real_pread(void *priv, int fd, void *buf, size_t len, uint64_t offset)
{
	(void)priv;
	ssize_t rc = pread(fd, buf, len, (off_t)offset);
	return rc < 0 ? -errno : rc;
}

static ssize_t real_pwrite(void *priv, int fd, const void *buf, size_t len, uint64_t offset)
{
	(void)priv;
	ssize_t rc = pwrite(fd, buf, len, (off_t)offset);
	return rc < 0 ? -errno : rc;
}

static int real_mmap(void *priv, size_t len, int prot, int flags, int fd, uint64_t offset,
		     void **addr)
{
	(void)priv;
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)offset);

	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

static int real_munmap(void *priv, void *addr, size_t len)
{
	(void)priv;
	return munmap(addr, len) ? -errno : 0;
}

static ssize_t real_readlink(void *priv, const char *path, char *buf, size_t len)
{
	(void)priv;
	ssize_t rc;

	if (!len)
		return -ENAMETOOLONG;
	rc = readlink(path, buf, len);
	if (rc < 0)
		return -errno;
	if ((size_t)rc >= len)
		return -ENAMETOOLONG; /* possibly truncated: no room for the NUL */
	buf[rc] = '\0';
	return rc;
}

static ssize_t real_list_dir(void *priv, const char *path, char *buf, size_t len)
{
	(void)priv;
	DIR *dir = opendir(path);
	struct dirent *e;
	size_t used = 0;
	ssize_t rc = 0;

	if (!dir)
		return -errno;
	while (!rc && (e = readdir(dir))) {
		size_t n = strlen(e->d_name) + 1;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n > len - used)
			rc = -ENAMETOOLONG;
		else
			memcpy(buf + used, e->d_name, n);
		used += n;
	}
	closedir(dir);
	return rc ? rc : (ssize_t)used;
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
	.pread = real_pread,
	.pwrite = real_pwrite,
	.mmap = real_mmap,
	.munmap = real_munmap,
	.readlink = real_readlink,
	.list_dir = real_list_dir,
};

static const struct ifd_sys_ops *ops = &real_ops;

void ifd_sys_set(const struct ifd_sys_ops *new_ops)
{
	ops = new_ops ? new_ops : &real_ops;
}

const struct ifd_sys_ops *ifd_sys_get(void)
{
	return ops;
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

ssize_t ifd_sys_pread(int fd, void *buf, size_t len, uint64_t offset)
{
	ssize_t rc;

	if (!ops->pread)
		return -ENOSYS;
	do
		rc = ops->pread(ops->priv, fd, buf, len, offset);
	while (rc == -EINTR);
	return rc;
}

ssize_t ifd_sys_pwrite(int fd, const void *buf, size_t len, uint64_t offset)
{
	ssize_t rc;

	if (!ops->pwrite)
		return -ENOSYS;
	do
		rc = ops->pwrite(ops->priv, fd, buf, len, offset);
	while (rc == -EINTR);
	return rc;
}

int ifd_sys_mmap(size_t len, int prot, int flags, int fd, uint64_t offset, void **addr)
{
	return ops->mmap ? ops->mmap(ops->priv, len, prot, flags, fd, offset, addr) : -ENOSYS;
}

int ifd_sys_munmap(void *addr, size_t len)
{
	return ops->munmap ? ops->munmap(ops->priv, addr, len) : -ENOSYS;
}

ssize_t ifd_sys_readlink(const char *path, char *buf, size_t len)
{
	return ops->readlink ? ops->readlink(ops->priv, path, buf, len) : -ENOSYS;
}

ssize_t ifd_sys_list_dir(const char *path, char *buf, size_t len)
{
	return ops->list_dir ? ops->list_dir(ops->priv, path, buf, len) : -ENOSYS;
}

int ifd_sys_kernel_release(void)
{
	return ops->kernel_release ? ops->kernel_release(ops->priv) : 0;
}
