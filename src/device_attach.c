/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attaching a bound VFIO device (or one of its PASIDs) to an IOAS or HWPT,
 * replacing an attachment, detaching.
 *
 * Kernel facts: ATTACH/DETACH_IOMMUFD_PT refuse unknown flags with EINVAL;
 * the PASID flags arrived in Linux 6.15, where a driver without PASID
 * support answers EOPNOTSUPP.  Attaching an attached device (or PASID)
 * replaces its HWPT.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "device_private.h"

#define ATTACH_MIN_SIZE offsetof(struct uapi_vfio_device_attach_iommufd_pt, pasid)
#define DETACH_MIN_SIZE offsetof(struct uapi_vfio_device_detach_iommufd_pt, pasid)
/* PCI PASIDs are 20 bits; 0 is the device's own (RID) address space. */
#define PASID_LIMIT (1u << 20)

static const char attach_cmd[] = "VFIO_DEVICE_ATTACH_IOMMUFD_PT";
static const char detach_cmd[] = "VFIO_DEVICE_DETACH_IOMMUFD_PT";

static int needs_6_15(struct iommufd_device *dev, const char *cmd)
{
	dev->pasid_flag = -1;
	return ifd_dev_fail(dev, EOPNOTSUPP,
			    "%s on %s: PASID attach needs Linux 6.15 or newer (this kernel does "
			    "not know the PASID flag)", cmd, dev->name);
}

/*
 * Does the kernel know VFIO_DEVICE_ATTACH_PASID?  Asked by attaching
 * @pasid to object 0, which never exists: a kernel that knows the flag
 * looks the object up and answers ENOENT (or EOPNOTSUPP for a driver
 * without PASID support) with nothing changed; an older one says EINVAL.
 */
static int pasid_flag_known(struct iommufd_device *dev, uint32_t pasid)
{
	struct uapi_vfio_device_attach_iommufd_pt probe = {
		.argsz = sizeof(probe),
		.flags = UAPI_VFIO_DEVICE_ATTACH_PASID,
		.pt_id = 0,
		.pasid = pasid,
	};
	int rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &probe);

	if (rc == -EINVAL)
		return 0;
	return 1;
}

static int explain_attach_error(struct iommufd_device *dev, int rc, uint32_t pt_id,
				bool pasid)
{
	ifd_dev_explain(dev, attach_cmd, rc);
	if (!dev->bound)
		return rc;
	switch (rc) {
	case -ENOENT:
		return ifd_dev_fail(dev, ENOENT, "%s on %s: no IOAS or HWPT with ID %" PRIu32,
				    attach_cmd, dev->name, pt_id);
	case -EINVAL:
		if (pasid)
			return ifd_dev_fail(dev, EINVAL,
					    "%s on %s: the PASID cannot attach to object %" PRIu32
					    ": the device or its IOMMU has no PASID support, the HWPT "
					    "was not allocated for PASIDs (IOMMUFD_HWPT_PASID), or the "
					    "object is neither an IOAS nor a HWPT", attach_cmd,
					    dev->name, pt_id);
		return ifd_dev_fail(dev, EINVAL,
				    "%s on %s: object %" PRIu32 " is neither an IOAS nor a HWPT, or "
				    "a HWPT this device's IOMMU cannot use", attach_cmd, dev->name,
				    pt_id);
	case -EADDRINUSE:
		return ifd_dev_fail(dev, EADDRINUSE,
				    "%s on %s: IOAS or HWPT %" PRIu32 " maps IOVAs this device "
				    "reserves (its reserved regions)", attach_cmd, dev->name, pt_id);
	case -EOPNOTSUPP:
		return ifd_dev_fail(dev, EOPNOTSUPP, "%s on %s: the device's driver or IOMMU "
				    "cannot attach %s", attach_cmd, dev->name,
				    pasid ? "PASIDs" : "this HWPT");
	default:
		return rc;
	}
}

static int attach_pt(struct iommufd_device *dev, uint32_t flags, uint32_t pasid,
		     uint32_t pt_id, uint32_t *hwpt_id)
{
	struct uapi_vfio_device_attach_iommufd_pt attach = {
		.argsz = flags ? sizeof(attach) : ATTACH_MIN_SIZE,
		.flags = flags,
		.pt_id = pt_id,
		.pasid = pasid,
	};
	int rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);

	if (rc >= 0 && hwpt_id)
		*hwpt_id = attach.pt_id;
	return rc < 0 ? rc : 0;
}

int iommufd_device_attach(struct iommufd_device *dev, uint32_t pt_id, uint32_t *hwpt_id)
{
	int rc = ifd_check_dev(dev, "iommufd_device_attach");

	if (rc)
		return rc;
	rc = attach_pt(dev, 0, 0, pt_id, hwpt_id);
	return rc ? explain_attach_error(dev, rc, pt_id, false) : 0;
}

int iommufd_device_detach(struct iommufd_device *dev)
{
	struct uapi_vfio_device_detach_iommufd_pt detach = { .argsz = DETACH_MIN_SIZE };
	int rc = ifd_check_dev(dev, "iommufd_device_detach");

	if (rc)
		return rc;
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach);
	return rc < 0 ? ifd_dev_explain(dev, detach_cmd, rc) : 0;
}

static int check_pasid_args(struct iommufd_device *dev, const char *fn, const char *cmd,
			    uint32_t pasid)
{
	int rc = ifd_check_dev(dev, fn);

	if (rc)
		return rc;
	if (!pasid || pasid >= PASID_LIMIT)
		return ifd_dev_fail(dev, EINVAL,
				    "%s: PASID %" PRIu32 " is outside 1..0x%x (0 is the device "
				    "itself: iommufd_device_attach())", fn, pasid, PASID_LIMIT - 1);
	if (dev->pasid_flag < 0)
		return needs_6_15(dev, cmd);
	return 0;
}

int iommufd_device_pasid_attach(struct iommufd_device *dev, uint32_t pasid, uint32_t pt_id,
				uint32_t *hwpt_id)
{
	int rc = check_pasid_args(dev, "iommufd_device_pasid_attach", attach_cmd, pasid);

	if (rc)
		return rc;
	rc = attach_pt(dev, UAPI_VFIO_DEVICE_ATTACH_PASID, pasid, pt_id, hwpt_id);
	if (!rc) {
		dev->pasid_flag = 1;
		return 0;
	}
	/* EINVAL is also what an old kernel says of the flag: ask which. */
	if (rc == -EINVAL && dev->bound && !dev->pasid_flag) {
		if (!pasid_flag_known(dev, pasid))
			return needs_6_15(dev, attach_cmd);
		dev->pasid_flag = 1;
	}
	return explain_attach_error(dev, rc, pt_id, true);
}

int iommufd_device_pasid_detach(struct iommufd_device *dev, uint32_t pasid)
{
	struct uapi_vfio_device_detach_iommufd_pt detach = {
		.argsz = sizeof(detach),
		.flags = UAPI_VFIO_DEVICE_DETACH_PASID,
		.pasid = pasid,
	};
	int rc = check_pasid_args(dev, "iommufd_device_pasid_detach", detach_cmd, pasid);

	if (rc)
		return rc;
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach);
	if (rc >= 0)
		return 0;
	/* A kernel that knows the flag has no EINVAL left for a full struct
	 * on a bound device: only the flag itself can be refused. */
	if (rc == -EINVAL && dev->bound)
		return needs_6_15(dev, detach_cmd);
	ifd_dev_explain(dev, detach_cmd, rc);
	if (rc == -EOPNOTSUPP)
		return ifd_dev_fail(dev, EOPNOTSUPP, "%s on %s: the device's driver has no "
				    "PASID support", detach_cmd, dev->name);
	return rc;
}
