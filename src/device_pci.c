/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * From a PCI address to the device's VFIO cdev.  Kernel fact: a device
 * bound to a VFIO driver on a kernel with CONFIG_VFIO_DEVICE_CDEV (6.6+)
 * has /sys/bus/pci/devices/<bdf>/vfio-dev/vfioN, whose node is
 * /dev/vfio/devices/vfioN.  When it is missing, sysfs also tells why.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "device_private.h"
#include "sys.h"

#define SYSFS_PCI "/sys/bus/pci/devices/"
#define CDEV_DIR "/dev/vfio/devices/"
#define BDF_LEN 24 /* "ffffffff:ff:1f.7" and the NUL, with room */
#define PATH_LEN 128
#define NAMES_LEN 1024

static const char fn[] = "iommufd_device_open_pci";

/* @min to @max hex digits at @s into *@v; what follows them, or NULL. */
static const char *hex_field(const char *s, unsigned int min, unsigned int max, unsigned int *v)
{
	unsigned int n = 0;

	*v = 0;
	while (n < max && isxdigit((unsigned char)s[n])) {
		*v = *v * 16 + (unsigned int)(isdigit((unsigned char)s[n])
						   ? s[n] - '0' : tolower((unsigned char)s[n]) - 'a' + 10);
		n++;
	}
	return n >= min && !isxdigit((unsigned char)s[n]) ? s + n : NULL;
}

/* @p past the character @c it must point at, or NULL. */
static const char *expect(const char *p, char c)
{
	return p && *p == c ? p + 1 : NULL;
}

/* "[domain:]bus:dev.fn" into sysfs's spelling "dddd:bb:dd.f". */
static int canonical_bdf(const char *bdf, char out[BDF_LEN])
{
	unsigned int domain = 0, bus = 0, dev = 0, func = 0;
	const char *first_colon = strchr(bdf, ':');
	const char *p = bdf;

	if (first_colon && strchr(first_colon + 1, ':'))
		p = expect(hex_field(p, 4, 8, &domain), ':');
	p = p ? expect(hex_field(p, 2, 2, &bus), ':') : NULL;
	p = p ? expect(hex_field(p, 2, 2, &dev), '.') : NULL;
	p = p ? hex_field(p, 1, 1, &func) : NULL;
	if (!p || *p || dev > 0x1f || func > 7)
		return ifd_fail(NULL, EINVAL,
				"%s: \"%.40s\" is not a PCI address (domain:bus:device.function, "
				"e.g. 0000:00:0a.0)", fn, bdf);
	snprintf(out, BDF_LEN, "%04x:%02x:%02x.%x", domain, bus, dev, func);
	return 0;
}

int ifd_vfio_dev_cdev(const char *names, size_t len, char *path, size_t path_len)
{
	for (size_t i = 0; i < len; i += strlen(names + i) + 1) {
		unsigned int n;
		char tail;

		if (sscanf(names + i, "vfio%u%c", &n, &tail) == 1) {
			int w = snprintf(path, path_len, CDEV_DIR "vfio%u", n);

			return w < 0 || (size_t)w >= path_len ? -ENAMETOOLONG : 0;
		}
	}
	return -ENOENT;
}

/* The vfio-dev directory exists: its vfioN entry names the node. */
static int cdev_from_names(const char *bdf, const char *names, size_t len, char *path,
			   size_t path_len)
{
	int rc = ifd_vfio_dev_cdev(names, len, path, path_len);

	if (rc == -ENOENT)
		return ifd_fail(NULL, ENODEV, "%s: " SYSFS_PCI "%s/vfio-dev has no vfioN entry",
				fn, bdf);
	if (rc)
		return ifd_fail(NULL, -rc, "%s: the cdev path of %s does not fit in %zu bytes",
				fn, bdf, path_len);
	return 0;
}

/* No vfio-dev directory: say why, from what sysfs shows. */
static int explain_no_cdev(const char *bdf)
{
	char path[PATH_LEN], target[PATH_LEN];
	const char *driver;
	ssize_t rc;

	snprintf(path, sizeof(path), SYSFS_PCI "%s", bdf);
	rc = ifd_sys_readlink(path, target, sizeof(target));
	if (rc == -ENOENT)
		return ifd_fail(NULL, ENODEV, "%s: no PCI device %s", fn, bdf);
	snprintf(path, sizeof(path), SYSFS_PCI "%s/driver", bdf);
	rc = ifd_sys_readlink(path, target, sizeof(target));
	if (rc == -ENOENT)
		return ifd_fail(NULL, ENODEV,
				"%s: PCI device %s is bound to no driver (bind it to vfio-pci "
				"through its driver_override)", fn, bdf);
	if (rc < 0)
		return ifd_fail(NULL, ENODEV, "%s: PCI device %s has no VFIO cdev (its driver "
				"link: %s)", fn, bdf, strerror((int)-rc));
	driver = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
	if (!strstr(driver, "vfio"))
		return ifd_fail(NULL, ENODEV,
				"%s: PCI device %s is bound to %s, not to vfio-pci (rebind it "
				"through its driver_override)", fn, bdf, driver);
	return ifd_fail(NULL, ENODEV,
			"%s: PCI device %s is bound to %s but has no VFIO cdev: a kernel "
			"without CONFIG_VFIO_DEVICE_CDEV (Linux 6.6)", fn, bdf, driver);
}

int ifd_pci_cdev_path(const char *bdf, char *path, size_t len)
{
	char canon[BDF_LEN], dir[PATH_LEN], names[NAMES_LEN];
	ssize_t rc = canonical_bdf(bdf, canon);

	if (rc)
		return (int)rc;
	snprintf(dir, sizeof(dir), SYSFS_PCI "%s/vfio-dev", canon);
	rc = ifd_sys_list_dir(dir, names, sizeof(names));
	if (rc == -ENOENT || rc == -ENOTDIR)
		return explain_no_cdev(canon);
	if (rc < 0)
		return ifd_fail(NULL, (int)-rc, "%s: cannot list %s: %s", fn, dir,
				strerror((int)-rc));
	return cdev_from_names(canon, names, (size_t)rc, path, len);
}
