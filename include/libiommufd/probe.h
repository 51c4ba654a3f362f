/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature probe: can this host, and the IOMMU behind this device, do
 * nested page tables, cache invalidation, page requests, PASID, dirty
 * tracking, vIOMMU...?  Each answer carries a reason.  Host answers come
 * from the ABI probe (no object is touched); device answers may allocate
 * objects to find out and always destroy them again.  Answers are cached
 * per context (and per device).
 *
 * The names follow the original IOMMU uAPI proposal where it had one:
 *   BIND_PGTBL        nested HWPT with vendor stage-1 data on a nest parent
 *   BIND_PASID_TABLE  vIOMMU + vDEVICE + nested HWPT carrying the guest's
 *                     PASID/CD table (SMMUv3 style)
 *   CACHE_INVLD       IOMMU_HWPT_INVALIDATE on a nested HWPT or vIOMMU
 *   PAGE_REQUEST      fault queue + HWPT with fault_id (IOPF)
 *   PASID             PASID attach of a device (its IOMMU reports a width)
 *   SYSWIDE_PASID     PASID space shared by all devices (the kernel's
 *                     global PASID allocator behind PASID attach)
 */
#ifndef LIBIOMMUFD_PROBE_H
#define LIBIOMMUFD_PROBE_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

enum iommufd_feature {
	IOMMUFD_FEATURE_BIND_PGTBL = 0,
	IOMMUFD_FEATURE_BIND_PASID_TABLE,
	IOMMUFD_FEATURE_CACHE_INVLD,
	IOMMUFD_FEATURE_PAGE_REQUEST,
	IOMMUFD_FEATURE_PASID,
	IOMMUFD_FEATURE_SYSWIDE_PASID,
	IOMMUFD_FEATURE_DIRTY_TRACKING,
	IOMMUFD_FEATURE_NEST_PARENT,
	IOMMUFD_FEATURE_VIOMMU,
	IOMMUFD_FEATURE_VEVENTQ,
	IOMMUFD_FEATURE_HW_QUEUE,
	IOMMUFD_FEATURE_MAP_FILE,
	IOMMUFD_FEATURE_CHANGE_PROCESS,
	IOMMUFD_FEATURE_COUNT,
};

/*
 * struct iommufd_feature_status - one answer.
 * @supported: 1 or 0.
 * @release:   the Linux release the feature needs (IOMMUFD_KVER()), 0 if
 *             none in particular.
 * @reason:    why: "needs Linux >= 6.11", "IOMMU does not nest", "ok".
 */
struct iommufd_feature_status {
	uint32_t supported;
	uint32_t release;
	char reason[160];
};

/* iommufd_feature_name - "BIND_PGTBL" etc., or NULL for a bad value. */
LIBIOMMUFD_API const char *iommufd_feature_name(uint32_t feature);

/*
 * iommufd_probe_host_feature - can this kernel do @feature at all (are the
 * commands, fields and flags it needs there)?  No side effects.
 * Return: 0 with @status filled, or a negative errno (-EINVAL: bad feature).
 */
LIBIOMMUFD_API int iommufd_probe_host_feature(struct iommufd_ctx *ctx, uint32_t feature,
					      struct iommufd_feature_status *status);

LIBIOMMUFD_END_DECLS

#endif
