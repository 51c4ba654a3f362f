/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IOMMU_OPTION and IOMMU_VFIO_IOAS: context- and object-level settings. */
#include <errno.h>
#include <inttypes.h>

#include "private.h"

static int option(struct iommufd_ctx *ctx, const char *fn, uint16_t op, uint32_t option_id,
		  uint32_t object_id, uint64_t *value)
{
	struct uapi_option cmd = {
		.option_id = option_id,
		.op = op,
		.object_id = object_id,
		.val64 = *value,
	};
	int rc = ifd_cmd(ctx, UAPI_CMD_OPTION, &cmd);

	if (rc == -EOPNOTSUPP)
		return ifd_fail(ctx, EOPNOTSUPP, "%s: option %" PRIu32 " is not known to this "
				"kernel (or not valid for object %" PRIu32 ")", fn, option_id,
				object_id);
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: no object with ID %" PRIu32, fn, object_id);
	if (rc == -EPERM)
		return ifd_fail(ctx, EPERM, "%s: changing the rlimit mode needs CAP_SYS_RESOURCE", fn);
	if (rc == -EBUSY)
		return ifd_fail(ctx, EBUSY, "%s: the rlimit mode cannot change once the context "
				"has objects (an IOAS...)", fn);
	if (!rc)
		*value = cmd.val64;
	return rc;
}

static int check_option_id(struct iommufd_ctx *ctx, const char *fn, uint32_t option_id)
{
	if (option_id == IOMMUFD_OPTION_RLIMIT_MODE || option_id == IOMMUFD_OPTION_HUGE_PAGES)
		return 0;
	return ifd_fail(ctx, EOPNOTSUPP, "%s: unknown option %" PRIu32, fn, option_id);
}

int iommufd_option_get(struct iommufd_ctx *ctx, uint32_t option_id, uint32_t object_id,
		       uint64_t *value)
{
	static const char fn[] = "iommufd_option_get";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, value, fn, "value");
	if (!rc)
		rc = check_option_id(ctx, fn, option_id);
	if (rc)
		return rc;
	*value = 0;
	return option(ctx, fn, UAPI_OPTION_OP_GET, option_id, object_id, value);
}

int iommufd_option_set(struct iommufd_ctx *ctx, uint32_t option_id, uint32_t object_id,
		       uint64_t value)
{
	static const char fn[] = "iommufd_option_set";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = check_option_id(ctx, fn, option_id);
	if (rc)
		return rc;
	if (value > 1)
		return ifd_fail(ctx, EINVAL, "%s: option %" PRIu32 " takes 0 or 1, not %" PRIu64, fn,
				option_id, value);
	return option(ctx, fn, UAPI_OPTION_OP_SET, option_id, object_id, &value);
}

static int vfio_ioas(struct iommufd_ctx *ctx, const char *fn, uint16_t op, uint32_t *ioas_id)
{
	struct uapi_vfio_ioas cmd = { .ioas_id = *ioas_id, .op = op };
	int rc = ifd_check_ctx(ctx, fn);

	if (rc)
		return rc;
	rc = ifd_cmd(ctx, UAPI_CMD_VFIO_IOAS, &cmd);
	if (rc == -ENODEV)
		return ifd_fail(ctx, ENODEV, "%s: no IOAS is set for the VFIO container "
				"emulation", fn);
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: IOAS %" PRIu32 " does not exist", fn, *ioas_id);
	if (!rc)
		*ioas_id = cmd.ioas_id;
	return rc;
}

int iommufd_vfio_ioas_get(struct iommufd_ctx *ctx, uint32_t *ioas_id)
{
	uint32_t id = 0;
	int rc = ifd_check_ctx(ctx, "iommufd_vfio_ioas_get");

	if (!rc)
		rc = ifd_check_out(ctx, ioas_id, "iommufd_vfio_ioas_get", "ioas_id");
	if (!rc)
		rc = vfio_ioas(ctx, "iommufd_vfio_ioas_get", UAPI_VFIO_IOAS_GET, &id);
	if (!rc)
		*ioas_id = id;
	return rc;
}

int iommufd_vfio_ioas_set(struct iommufd_ctx *ctx, uint32_t ioas_id)
{
	return vfio_ioas(ctx, "iommufd_vfio_ioas_set", UAPI_VFIO_IOAS_SET, &ioas_id);
}

int iommufd_vfio_ioas_clear(struct iommufd_ctx *ctx)
{
	uint32_t none = 0;

	return vfio_ioas(ctx, "iommufd_vfio_ioas_clear", UAPI_VFIO_IOAS_CLEAR, &none);
}
