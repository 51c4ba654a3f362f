/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The system-call seam.  Every open, close, ioctl, read, write, mmap and
 * sysfs lookup the library makes goes through ifd_sys, so the unit tests can
 * put a fake kernel (and a fake sysfs) behind it and the failure-injection
 * tests can fail the Nth call.  Functions return the syscall's result, or
 * -errno on failure.  An operation a fake leaves NULL answers -ENOSYS.
 */
#ifndef LIBIOMMUFD_SYS_H
#define LIBIOMMUFD_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ifd_sys_ops {
	int (*open)(void *priv, const char *path, int flags);
	int (*close)(void *priv, int fd);
	int (*ioctl)(void *priv, int fd, unsigned long request, void *arg);
	ssize_t (*read)(void *priv, int fd, void *buf, size_t len);
	ssize_t (*write)(void *priv, int fd, const void *buf, size_t len);
	/* The running kernel's release as IOMMUFD_KVER(major, minor), or 0. */
	int (*kernel_release)(void *priv);
	ssize_t (*pread)(void *priv, int fd, void *buf, size_t len, uint64_t offset);
	ssize_t (*pwrite)(void *priv, int fd, const void *buf, size_t len, uint64_t offset);
	/* mmap(NULL, len, prot, flags, fd, offset): 0 with *addr set, or -errno. */
	int (*mmap)(void *priv, size_t len, int prot, int flags, int fd, uint64_t offset,
		    void **addr);
	int (*munmap)(void *priv, void *addr, size_t len);
	/* readlink(2); the result is NUL-terminated (-ENAMETOOLONG if it cannot be). */
	ssize_t (*readlink)(void *priv, const char *path, char *buf, size_t len);
	/* The names in directory @path ("." and ".." left out), each followed by
	 * a NUL, in @buf: the bytes used, or -errno (-ENAMETOOLONG: @buf too small). */
	ssize_t (*list_dir)(void *priv, const char *path, char *buf, size_t len);
	void *priv;
};

/* Install @ops (NULL: the real system calls).  Test-only; not thread safe. */
__attribute__((visibility("hidden"))) void ifd_sys_set(const struct ifd_sys_ops *ops);
/* The ops installed now, so a test layer can pass on what it does not fake. */
__attribute__((visibility("hidden"))) const struct ifd_sys_ops *ifd_sys_get(void);

__attribute__((visibility("hidden"))) int ifd_sys_open(const char *path, int flags);
__attribute__((visibility("hidden"))) int ifd_sys_close(int fd);
/* Retries on EINTR. */
__attribute__((visibility("hidden"))) int ifd_sys_ioctl(int fd, unsigned long request, void *arg);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_read(int fd, void *buf, size_t len);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_write(int fd, const void *buf, size_t len);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_pread(int fd, void *buf, size_t len,
							    uint64_t offset);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_pwrite(int fd, const void *buf, size_t len,
							     uint64_t offset);
__attribute__((visibility("hidden"))) int ifd_sys_mmap(size_t len, int prot, int flags, int fd,
						       uint64_t offset, void **addr);
__attribute__((visibility("hidden"))) int ifd_sys_munmap(void *addr, size_t len);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_readlink(const char *path, char *buf,
							       size_t len);
__attribute__((visibility("hidden"))) ssize_t ifd_sys_list_dir(const char *path, char *buf,
							       size_t len);
__attribute__((visibility("hidden"))) int ifd_sys_kernel_release(void);

#endif
