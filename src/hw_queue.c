/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HW queue allocation (IOMMU_HW_QUEUE_ALLOC): a guest queue in memory the
 * IOMMU reads directly.  The kernel pins the queue's pages through the
 * vIOMMU's nesting parent, so they must be mapped there and physically
 * contiguous.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/viommu.h>

#include "private.h"

_Static_assert(IOMMUFD_HW_QUEUE_TYPE_DEFAULT == UAPI_HW_QUEUE_TYPE_DEFAULT, "type");
_Static_assert(IOMMUFD_HW_QUEUE_TYPE_TEGRA241_CMDQV == UAPI_HW_QUEUE_TYPE_TEGRA241_CMDQV, "type");
_Static_assert(IOMMUFD_HW_QUEUE_TYPE_SELFTEST == UAPI_HW_QUEUE_TYPE_SELFTEST, "type");

static const char *type_str(uint32_t type, char buf[16])
{
	switch (type) {
	case UAPI_HW_QUEUE_TYPE_DEFAULT:
		return "DEFAULT";
	case UAPI_HW_QUEUE_TYPE_TEGRA241_CMDQV:
		return "TEGRA241_CMDQV";
	case UAPI_HW_QUEUE_TYPE_SELFTEST:
		return "SELFTEST";
	}
	snprintf(buf, 16, "0x%" PRIx32, type);
	return buf;
}

/* Why the kernel refused, by its errno; NULL: nothing specific. */
static const char *reason(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "no such vIOMMU, or the range is not mapped in the IOAS under its nesting "
		       "parent";
	case -EINVAL:
		return "the IOMMU refused the index or the range (alignment, size)";
	case -EEXIST:
		return "the vIOMMU has a queue at this index already";
	case -EIO:
		return "the IOMMU takes queues in index order: the previous index has none";
	case -EFAULT:
		return "the range's pages are not physically contiguous";
	case -ERANGE:
		return "the range rounded out to whole pages wraps";
	}
	return NULL;
}

static int explain(struct iommufd_ctx *ctx, int rc, const struct uapi_hw_queue_alloc *c)
{
	const char *why = reason(rc);
	char tbuf[16];

	if (rc == -EOPNOTSUPP)
		return ifd_fail(ctx, EOPNOTSUPP,
				"IOMMU_HW_QUEUE_ALLOC: vIOMMU %" PRIu32 " does not offer HW queues "
				"of type %s%s",
				c->viommu_id, type_str(c->type, tbuf),
				c->type == UAPI_HW_QUEUE_TYPE_DEFAULT
					? " (the kernel refuses DEFAULT: name the vendor's type)"
					: "");
	return ifd_fail(ctx, -rc,
			"IOMMU_HW_QUEUE_ALLOC of queue %" PRIu32 " on vIOMMU %" PRIu32
			" at IOVA 0x%" PRIx64 " + 0x%" PRIx64 " failed (%s)%s%s",
			c->index, c->viommu_id, (uint64_t)c->nesting_parent_iova,
			(uint64_t)c->length, strerror(-rc), why ? ": " : "", why ? why : "");
}

int iommufd_hw_queue_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id, uint32_t type,
			   uint32_t index, uint64_t nesting_parent_iova, uint64_t length,
			   uint32_t *hw_queue_id)
{
	static const char fn[] = "iommufd_hw_queue_alloc";
	struct uapi_hw_queue_alloc cmd = {
		.viommu_id = viommu_id,
		.type = type,
		.index = index,
		.nesting_parent_iova = nesting_parent_iova,
		.length = length,
	};
	bool ran = false;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, hw_queue_id, fn, "hw_queue_id");
	if (!rc)
		rc = ifd_check_range(ctx, fn, "queue", nesting_parent_iova, length);
	if (rc)
		return rc;
	rc = ifd_cmd_ran(ctx, UAPI_CMD_HW_QUEUE_ALLOC, &cmd, &ran);
	if (rc)
		return ran ? explain(ctx, rc, &cmd) : rc;
	*hw_queue_id = cmd.out_hw_queue_id;
	return 0;
}
