/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding vfio_dmatest instances in sysfs.  Module facts: the platform
 * driver's directory /sys/bus/platform/drivers/vfio_dmatest exists exactly
 * while the module is loaded and links every instance it drives
 * (vfio_dmatest.<index>, index 0..N-1); an instance's VFIO cdev is named by
 * /sys/bus/platform/devices/vfio_dmatest.<index>/vfio-dev/vfioN.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "device_private.h"
#include "dmatest_private.h"
#include "sys.h"

#define SYSFS_DRIVER "/sys/bus/platform/drivers/" VFIO_DMATEST_NAME
#define SYSFS_DEVICES "/sys/bus/platform/devices/"
#define NAMES_FIRST 4096
#define NAMES_MAX (1u << 20)
#define DIR_LEN 96

/* Is @name "vfio_dmatest.<decimal>" and nothing more? */
static bool is_instance(const char *name)
{
	static const char prefix[] = VFIO_DMATEST_NAME ".";
	const char *p;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return false;
	p = name + sizeof(prefix) - 1;
	return *p && strspn(p, "0123456789") == strlen(p);
}

/* List @dir into a malloc'd *@names, growing the buffer while it is too small. */
static ssize_t list_all(const char *dir, char **names)
{
	size_t cap = NAMES_FIRST;
	ssize_t rc;

	for (;;) {
		*names = ifd_malloc(cap);
		if (!*names)
			return -ENOMEM;
		rc = ifd_sys_list_dir(dir, *names, cap);
		if (rc != -ENAMETOOLONG || cap >= NAMES_MAX)
			break;
		free(*names);
		cap *= 2;
	}
	if (rc < 0) {
		free(*names);
		*names = NULL;
	}
	return rc;
}

/* Instances in the driver's directory: 0 when it is missing (not loaded). */
static int count_instances(struct iommufd_ctx *ctx, const char *fn)
{
	char *names;
	ssize_t len = list_all(SYSFS_DRIVER, &names);
	int n = 0;

	if (len == -ENOENT)
		return 0;
	if (len < 0)
		return ifd_fail(ctx, (int)-len, "%s: cannot list " SYSFS_DRIVER ": %s", fn,
				strerror((int)-len));
	for (size_t i = 0; i < (size_t)len; i += strlen(names + i) + 1)
		n += is_instance(names + i);
	free(names);
	return n;
}

int iommufd_dmatest_count(void)
{
	return count_instances(NULL, "iommufd_dmatest_count");
}

/* No vfio-dev directory for @index: say why, from what sysfs shows. */
static int explain_missing(struct iommufd_ctx *ctx, const char *fn, unsigned int index)
{
	int n = count_instances(ctx, fn);

	if (n < 0)
		return n; /* sysfs cannot be read: that sentence is recorded */
	if (!n)
		return ifd_fail(ctx, ENODEV,
				"%s: the vfio_dmatest module is not loaded (" SYSFS_DRIVER " is "
				"missing; insmod vfio_dmatest.ko devices=N)", fn);
	if (index >= (unsigned int)n)
		return ifd_fail(ctx, ENODEV,
				"%s: no vfio_dmatest.%u: the module has %d instance%s (0..%d)", fn,
				index, n, n == 1 ? "" : "s", n - 1);
	return ifd_fail(ctx, ENODEV,
			"%s: vfio_dmatest.%u has no VFIO cdev: a kernel without "
			"CONFIG_VFIO_DEVICE_CDEV (Linux 6.6)", fn, index);
}

int ifd_dt_path(struct iommufd_ctx *ctx, unsigned int index, char *buf, size_t len)
{
	static const char fn[] = "iommufd_dmatest_path";
	char dir[DIR_LEN], *names;
	ssize_t rc;

	snprintf(dir, sizeof(dir), SYSFS_DEVICES VFIO_DMATEST_NAME ".%u/vfio-dev", index);
	rc = list_all(dir, &names);
	if (rc == -ENOENT || rc == -ENOTDIR)
		return explain_missing(ctx, fn, index);
	if (rc < 0)
		return ifd_fail(ctx, (int)-rc, "%s: cannot list %s: %s", fn, dir,
				strerror((int)-rc));
	rc = ifd_vfio_dev_cdev(names, (size_t)rc, buf, len);
	free(names);
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENODEV, "%s: %s has no vfioN entry", fn, dir);
	if (rc)
		return ifd_fail(ctx, ENAMETOOLONG, "%s: the cdev path of vfio_dmatest.%u does not "
				"fit in %zu bytes", fn, index, len);
	return 0;
}

int iommufd_dmatest_path(unsigned int index, char *buf, size_t len)
{
	int rc = ifd_check_out(NULL, buf, "iommufd_dmatest_path", "buf");

	return rc ? rc : ifd_dt_path(NULL, index, buf, len);
}
