/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which VFIO cdev an open device fd is, and which PCI device stands behind
 * it, from sysfs: /sys/dev/char/MAJ:MIN links to .../vfio-dev/vfioN, whose
 * "device" link is the device itself ("subsystem" says its bus).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "info.h"

/* The last path component of the link or path @path resolves to, in @buf. */
static bool resolved_name(const char *path, char *buf, size_t len)
{
	char *full = realpath(path, NULL);

	if (!full)
		return false;
	const char *slash = strrchr(full, '/');

	snprintf(buf, len, "%s", slash ? slash + 1 : full);
	free(full);
	return buf[0] != '\0';
}

void info_cdev_describe(int fd, struct info_device *d)
{
	char sys[96], link[PATH_MAX], name[NAME_MAX + 1], bus[NAME_MAX + 1];
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return;
	d->rdev = st.st_rdev;
	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (resolved_name(sys, name, sizeof(name)))
		snprintf(d->path, sizeof(d->path), "/dev/vfio/devices/%s", name);
	snprintf(link, sizeof(link), "%s/device/subsystem", sys);
	if (!resolved_name(link, bus, sizeof(bus)) || strcmp(bus, "pci"))
		return;
	snprintf(link, sizeof(link), "%s/device", sys);
	if (resolved_name(link, name, sizeof(name)))
		snprintf(d->pci_address, sizeof(d->pci_address), "%s", name);
}
