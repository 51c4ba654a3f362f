/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system-call seam.  Every open, close, ioctl, read and write the
 * library makes goes through ifd_sys, so the unit tests can put a fake
 * kernel behind it and the failure-injection tests can fail the Nth call.
 * Functions return the syscall's result, or -errno on failure.
 */
#ifndef LIBIOMMUFD_SYS_H
#define LIBIOMMUFD_SYS_H

#include <stddef.h>
#include <sys/types.h>

struct ifd_sys_ops {
	int (*open)(void *priv, const char *path, int flags);
	int (*close)(void *priv, int fd);
	int (*ioctl)(void *priv, int fd, unsigned long request, void *arg);
	ssize_t (*read)(void *priv, int fd, void *buf, size_t len);
	ssize_t (*write)(void *priv, int fd, const void *buf, size_t len);
	/* The running kernel's release as IOMMUFD_KVER(major, minor), or 0. */
	int (*kernel_release)(void *priv);
	void *priv;
};

/* Install @ops (NULL: the real system calls).  Test-only; not thread safe. */
__attribute__((visibility("hidden"))) void ifd_sys_set(const struct ifd_sys_ops *ops);

__attribute__((visibility("hidden"))) int ifd_sys_open(const char *path, int flags);
__attribute__((visibility("hidden"))) int ifd_sys_close(int fd);
/* Retries on EINTR. */
__attribute__((visibility("hidden"))) int ifd_sys_ioctl(int fd, unsigned long request, void *arg);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_read(int fd, void *buf, size_t len);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_write(int fd, const void *buf, size_t len);
__attribute__((visibility("hidden"))) int ifd_sys_kernel_release(void);

#endif
