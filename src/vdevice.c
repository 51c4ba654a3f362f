/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vDEVICE allocation (IOMMU_VDEVICE_ALLOC): a device's ID in the guest. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <libiommufd/viommu.h>

#include "private.h"

static int explain(struct iommufd_ctx *ctx, int rc, const struct uapi_vdevice_alloc *c)
{
	switch (rc) {
	case -EEXIST:
		return ifd_fail(ctx, EEXIST,
				"IOMMU_VDEVICE_ALLOC: device %" PRIu32 " has a vDEVICE already, or "
				"virt_id 0x%" PRIx64 " is taken on vIOMMU %" PRIu32,
				c->dev_id, (uint64_t)c->virt_id, c->viommu_id);
	case -ENOENT:
		return ifd_fail(ctx, ENOENT,
				"IOMMU_VDEVICE_ALLOC: %" PRIu32 " is no vIOMMU, or device %" PRIu32
				" is not bound to this context (or is going away)",
				c->viommu_id, c->dev_id);
	case -EINVAL:
		return ifd_fail(ctx, EINVAL,
				"IOMMU_VDEVICE_ALLOC: device %" PRIu32 " is not behind vIOMMU %" PRIu32
				"'s IOMMU, or the IOMMU refused virt_id 0x%" PRIx64,
				c->dev_id, c->viommu_id, (uint64_t)c->virt_id);
	}
	return ifd_fail(ctx, -rc, "IOMMU_VDEVICE_ALLOC failed: %s", strerror(-rc));
}

int iommufd_vdevice_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id, uint32_t dev_id,
			  uint64_t virt_id, uint32_t *vdevice_id)
{
	static const char fn[] = "iommufd_vdevice_alloc";
	struct uapi_vdevice_alloc cmd = {
		.viommu_id = viommu_id,
		.dev_id = dev_id,
		.virt_id = virt_id,
	};
	bool ran = false;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, vdevice_id, fn, "vdevice_id");
	if (rc)
		return rc;
	rc = ifd_cmd_ran(ctx, UAPI_CMD_VDEVICE_ALLOC, &cmd, &ran);
	if (rc)
		return ran ? explain(ctx, rc, &cmd) : rc;
	*vdevice_id = cmd.out_vdevice_id;
	return 0;
}
