/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vIOMMU allocation (IOMMU_VIOMMU_ALLOC): a vIOMMU of a vendor type on a
 * NEST_PARENT HWPT, with type-specific data read and written back by the
 * kernel (6.17).  The data fields are sent only when used, so a 6.13
 * kernel sees the struct it knows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/viommu.h>

#include "private.h"
#include "uapi/iommufd_test_abi.h"

/* The public names are the kernel's values ... */
_Static_assert(IOMMUFD_VIOMMU_TYPE_DEFAULT == UAPI_VIOMMU_TYPE_DEFAULT, "type");
_Static_assert(IOMMUFD_VIOMMU_TYPE_ARM_SMMUV3 == UAPI_VIOMMU_TYPE_ARM_SMMUV3, "type");
_Static_assert(IOMMUFD_VIOMMU_TYPE_TEGRA241_CMDQV == UAPI_VIOMMU_TYPE_TEGRA241_CMDQV, "type");
_Static_assert(IOMMUFD_VIOMMU_TYPE_SELFTEST == UAPI_VIOMMU_TYPE_SELFTEST, "type");
/* ... and the data structs the kernel's layouts (checked in tests/abi). */
_Static_assert(sizeof(struct iommufd_viommu_tegra241_cmdqv) ==
		       sizeof(struct uapi_viommu_tegra241_cmdqv), "tegra241");
_Static_assert(offsetof(struct iommufd_viommu_tegra241_cmdqv, out_vintf_mmap_length) ==
		       offsetof(struct uapi_viommu_tegra241_cmdqv, out_vintf_mmap_length),
	       "tegra241");
_Static_assert(sizeof(struct iommufd_viommu_selftest) == sizeof(struct uapi_viommu_selftest),
	       "selftest");
_Static_assert(offsetof(struct iommufd_viommu_selftest, out_data) ==
		       offsetof(struct uapi_viommu_selftest, out_data), "selftest");
_Static_assert(offsetof(struct iommufd_viommu_selftest, out_mmap_offset) ==
		       offsetof(struct uapi_viommu_selftest, out_mmap_offset), "selftest");
_Static_assert(offsetof(struct iommufd_viommu_selftest, out_mmap_length) ==
		       offsetof(struct uapi_viommu_selftest, out_mmap_length), "selftest");
_Static_assert(sizeof(struct iommufd_viommu_selftest_invalidate) ==
		       sizeof(struct uapi_viommu_invalidate_selftest), "selftest");
_Static_assert(offsetof(struct iommufd_viommu_selftest_invalidate, vdev_id) ==
		       offsetof(struct uapi_viommu_invalidate_selftest, vdev_id), "selftest");
_Static_assert(offsetof(struct iommufd_viommu_selftest_invalidate, cache_id) ==
		       offsetof(struct uapi_viommu_invalidate_selftest, cache_id), "selftest");

static const char *type_str(uint32_t type, char buf[16])
{
	switch (type) {
	case UAPI_VIOMMU_TYPE_DEFAULT:
		return "DEFAULT";
	case UAPI_VIOMMU_TYPE_ARM_SMMUV3:
		return "ARM_SMMUV3";
	case UAPI_VIOMMU_TYPE_TEGRA241_CMDQV:
		return "TEGRA241_CMDQV";
	case UAPI_VIOMMU_TYPE_SELFTEST:
		return "SELFTEST";
	}
	snprintf(buf, 16, "0x%" PRIx32, type);
	return buf;
}

static int explain(struct iommufd_ctx *ctx, int rc, const struct uapi_viommu_alloc *c)
{
	char tbuf[16];

	switch (rc) {
	case -EOPNOTSUPP:
		return ifd_fail(ctx, EOPNOTSUPP,
				"IOMMU_VIOMMU_ALLOC: device %" PRIu32 "'s IOMMU does not offer "
				"vIOMMU type %s%s",
				c->dev_id, type_str(c->type, tbuf),
				c->type == UAPI_VIOMMU_TYPE_DEFAULT
					? " (the kernel refuses DEFAULT: name the vendor's type)"
					: "");
	case -ENOENT:
		return ifd_fail(ctx, ENOENT,
				"IOMMU_VIOMMU_ALLOC: device %" PRIu32 " is not bound to this "
				"context, or hwpt_id %" PRIu32 " is no paging HWPT",
				c->dev_id, c->hwpt_id);
	case -EINVAL:
		return ifd_fail(ctx, EINVAL,
				"IOMMU_VIOMMU_ALLOC: hwpt_id %" PRIu32 " is not a NEST_PARENT HWPT%s",
				c->hwpt_id,
				c->data_len ? ", or the IOMMU refused the data (its length is not "
					      "the type's struct: shorter or longer is refused)"
					    : "");
	case -EFAULT:
		if (c->data_len)
			return ifd_fail(ctx, EFAULT, "IOMMU_VIOMMU_ALLOC: cannot read or write "
					"back the %" PRIu32 " bytes of data", c->data_len);
		break;
	}
	return ifd_fail(ctx, -rc, "IOMMU_VIOMMU_ALLOC failed: %s", strerror(-rc));
}

int iommufd_viommu_alloc(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t hwpt_id,
			 uint32_t type, const struct iommufd_viommu_alloc_opts *opts,
			 uint32_t *viommu_id)
{
	static const char fn[] = "iommufd_viommu_alloc";
	struct iommufd_viommu_alloc_opts o;
	bool ran = false;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, viommu_id, fn, "viommu_id");
	if (!rc)
		rc = ifd_opts_load(ctx, fn, &o, sizeof(o), opts);
	if (!rc)
		rc = ifd_check_flags(ctx, fn, o.flags, 0);
	if (!rc && !o.data != !o.data_len)
		rc = ifd_fail(ctx, EINVAL, "%s: data is %s but data_len is %" PRIu32, fn,
			      o.data ? "set" : "NULL", o.data_len);
	if (rc)
		return rc;
	struct uapi_viommu_alloc cmd = {
		.flags = o.flags,
		.type = type,
		.dev_id = dev_id,
		.hwpt_id = hwpt_id,
		.data_len = o.data_len,
		.data_uptr = (uintptr_t)o.data,
	};
	rc = ifd_cmd_ran(ctx, UAPI_CMD_VIOMMU_ALLOC, &cmd, &ran);
	if (rc)
		return ran ? explain(ctx, rc, &cmd) : rc;
	*viommu_id = cmd.out_viommu_id;
	return 0;
}
