/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals shared by the VFIO device sources; never installed. */
#ifndef LIBIOMMUFD_DEVICE_PRIVATE_H
#define LIBIOMMUFD_DEVICE_PRIVATE_H

#include <libiommufd/device.h>

#include "private.h"
#include "uapi/vfio_abi.h"
#include "vfio_caps.h"

#define IFD_DEV_NAME_LEN 96

/* What GET_REGION_INFO said of one region, without its capabilities:
 * enough for read and write, which must not cost an extra ioctl each. */
struct ifd_region_base {
	bool valid;
	uint32_t flags;
	uint64_t size;
	uint64_t offset;
};

struct iommufd_device {
	int fd;
	struct iommufd_ctx *ctx; /* bound context, or NULL */
	uint32_t dev_id;
	bool bound;              /* by us, or found bound when adopted */
	int8_t pasid_flag;       /* kernel knows ATTACH_PASID: 0 not asked, 1, -1 */
	char name[IFD_DEV_NAME_LEN]; /* for sentences: the path, or "fd N" */
	struct ifd_region_base *regions;
	uint32_t nr_regions;     /* entries of @regions */
};

/* Record a failure in the device's context (NULL before binding). */
#define ifd_dev_fail(dev, err, ...) ifd_fail((dev)->ctx, (err), __VA_ARGS__)

/* -EINVAL with a sentence for a NULL @dev (recorded for no context). */
IFD_HIDDEN int ifd_check_dev(const struct iommufd_device *dev, const char *fn);
/* ioctl on the device fd, EINTR retried. */
IFD_HIDDEN int ifd_dev_ioctl(struct iommufd_device *dev, unsigned long request, void *arg);
/* Record the sentence of a failed device ioctl @cmd; returns @rc.  Callers
 * may then record a more specific one. */
IFD_HIDDEN int ifd_dev_explain(struct iommufd_device *dev, const char *cmd, int rc);

/* ---- sysfs to cdev (device_pci.c) ------------------------------------------ */

/* Write the cdev path of PCI device @bdf into @path. */
IFD_HIDDEN int ifd_pci_cdev_path(const char *bdf, char *path, size_t len);
/* The vfioN entry among @names (a vfio-dev directory listed by
 * ifd_sys_list_dir(): @len bytes of NUL-terminated names) as
 * "/dev/vfio/devices/vfioN" in @path.  0, -ENOENT (no such entry) or
 * -ENAMETOOLONG; nothing recorded. */
IFD_HIDDEN int ifd_vfio_dev_cdev(const char *names, size_t len, char *path, size_t path_len);

/* ---- VFIO "query, grow, re-query" (vfio_info.c) -------------------------- */

/* One of VFIO's argsz-sized info queries. */
struct ifd_vfio_query {
	const char *name;       /* "VFIO_DEVICE_GET_REGION_INFO" */
	unsigned long request;
	uint32_t base_size;     /* sizeof its struct */
	uint32_t cap_offset_at; /* offset of its cap_offset member; 0: no chain */
};

/*
 * Run query @q with @in (base_size bytes: the input members; argsz is set
 * here) and return in *@bufp a malloc'd buffer of *@lenp bytes holding the
 * reply and its capability chain.  When the chain does not fit the kernel
 * succeeds, raises argsz and leaves cap_offset 0: the buffer is grown and
 * the query re-run, a bounded number of times.  Failures carry a generic
 * sentence, which callers may replace with a more specific one.
 */
IFD_HIDDEN int ifd_vfio_query(struct iommufd_device *dev, const struct ifd_vfio_query *q,
			      const void *in, void **bufp, uint32_t *lenp);

/* ---- regions (device_region.c) -------------------------------------------- */

IFD_HIDDEN void ifd_regions_forget(struct iommufd_device *dev);

#endif
