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

/* iommufd_feature_name - the name of @feature (enum iommufd_feature):
 * "BIND_PGTBL" etc., or NULL for a bad value. */
LIBIOMMUFD_API const char *iommufd_feature_name(uint32_t feature);

/*
 * iommufd_probe_host_feature - can this kernel do @feature at all (are the
 * commands, fields and flags it needs there)?  No side effects.
 * Return: 0 with @status filled, or a negative errno (-EINVAL: bad feature).
 */
LIBIOMMUFD_API int iommufd_probe_host_feature(struct iommufd_ctx *ctx, uint32_t feature,
					      struct iommufd_feature_status *status);

/*
 * iommufd_probe_device_feature - can bound device @dev_id do @feature: does
 * the kernel offer it and does the IOMMU behind the device take it?
 * @dev_id: a device bound to @ctx (VFIO cdev bind, or a mock device).
 * @status: receives the answer; @status->release is the release the
 *          feature needs, @status->reason says what was shown, e.g.
 *          "mock IOMMU: nested SELFTEST HWPT allocated on a NEST_PARENT
 *          HWPT", "VT-d: no nested translation (ECAP.NEST clear); NEST_PARENT
 *          refused: Operation not supported", "mock IOMMU: PASID width 20".
 *
 * The host answer (iommufd_probe_host_feature()) comes first: when the
 * kernel lacks the feature, that answer is returned as is.  Otherwise the
 * answer is found by doing, with temporary objects only:
 *   NEST_PARENT       a NEST_PARENT HWPT on a temporary IOAS;
 *   BIND_PGTBL        a nested HWPT of the IOMMU's data type on it (SMMUv3:
 *                     through a vIOMMU), with a stage-1 description no
 *                     walk ever reads;
 *   CACHE_INVLD       that nested HWPT handling one "invalidate all" entry
 *                     (SMMUv3: a zero-entry call on the vIOMMU);
 *   VIOMMU            a vIOMMU of the IOMMU's type and a vDEVICE;
 *   BIND_PASID_TABLE  the same plus a nested HWPT on the vIOMMU, for IOMMUs
 *                     whose nested HWPTs carry the guest's PASID table;
 *   VEVENTQ           a vEVENTQ on such a vIOMMU;
 *   HW_QUEUE          the mock: a HW queue over one pinned page; SMMUv3:
 *                     inferred from GET_HW_INFO answering for Tegra241
 *                     CMDQV (said in the reason);
 *   PAGE_REQUEST      the vendor's HW info (VT-d ECAP.PRS, SMMUv3 stall
 *                     model) plus a fault queue and a HWPT with fault_id;
 *   PASID, SYSWIDE_PASID  GET_HW_INFO's PASID width, known and non-zero;
 *   DIRTY_TRACKING    GET_HW_INFO's capabilities (or, on a kernel that
 *                     does not report them, a DIRTY_TRACKING HWPT);
 *   MAP_FILE, CHANGE_PROCESS  host features: the host answer.
 * Everything allocated is destroyed before the call returns, on failure
 * too; the device's attachment and the caller's objects are never
 * touched.  While it runs the device has a vDEVICE for a moment: a vDEVICE
 * allocation for it on another thread may then fail with EEXIST.  When the
 * caller already gave the device a vDEVICE, that is taken as the evidence.
 *
 * Answers are cached per context and device.  Each call first reads the
 * device's HW info (IOMMU_GET_HW_INFO, no side effects), which checks that
 * @dev_id still names a bound device; a cached answer is used only if the
 * HW info is the one it was found with.  That catches the one way an
 * answer goes stale: @dev_id freed (VFIO cdev closed, mock device
 * destroyed) and given to another device.
 *
 * Return: 0 with @status filled, supported or not, or a negative errno:
 * -EINVAL (NULL @ctx or @status, bad @feature), -ENOENT (no device
 * @dev_id bound to @ctx), or the errno of a step that failed for another
 * reason than the kernel or the IOMMU refusing (-ENOMEM...): then nothing
 * is cached and the sentence names the feature and the step.
 * Linux 6.6 (GET_HW_INFO); on older kernels every feature is one the host
 * lacks, and @dev_id is not checked.
 */
LIBIOMMUFD_API int iommufd_probe_device_feature(struct iommufd_ctx *ctx, uint32_t dev_id,
						uint32_t feature,
						struct iommufd_feature_status *status);

LIBIOMMUFD_END_DECLS

#endif
