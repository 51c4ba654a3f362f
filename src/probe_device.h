/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the device-level feature probe (probe_device*.c): a probe
 * session holds the temporary objects one answer is built from and
 * destroys them all at its end; the vendor table says which types the
 * IOMMU behind the device takes and how to read its HW info.
 */
#ifndef LIBIOMMUFD_PROBE_DEVICE_H
#define LIBIOMMUFD_PROBE_DEVICE_H

#include <stdarg.h>

#include <libiommufd/hw_info.h>
#include <libiommufd/probe.h>

#include "private.h"

/* The most objects one answer allocates: IOAS, NEST_PARENT HWPT, vIOMMU,
 * vDEVICE, nested HWPT, fault queue, vEVENTQ, HW queue. */
#define PD_MAX_OBJS 10
#define PD_WHY_LEN 112
#define PD_ERR_LEN 256

struct pd_session;

/* What the probe knows of one kind of IOMMU. */
struct pd_vendor {
	uint32_t hw_info_type;
	const char *name;          /* "mock IOMMU", "VT-d"... */
	/* Why this probe does not try to nest it, or NULL. */
	const char *unprobed;
	uint32_t nested_type;      /* its nested HWPT data type; 0: none known */
	const char *nested_name;   /* "SELFTEST", "VTD_S1"... */
	const void *nested_data;   /* a harmless stage-1 description */
	uint32_t nested_len;
	bool nested_via_viommu;    /* nested HWPTs hang off a vIOMMU (SMMUv3) */
	uint32_t viommu_type;      /* 0: the kernel has no vIOMMU type for it */
	uint32_t veventq_type;
	uint32_t inv_type;         /* invalidation entries of its nested HWPTs */
	const void *inv_entry;     /* one "invalidate everything" entry, or NULL
				    * for a zero-entry call (on the vIOMMU) */
	uint32_t inv_len;
	bool user_pasid_table;     /* nested HWPTs carry the guest PASID table */
	const char *no_pasid_table; /* why not, when it nests otherwise */
	uint32_t hw_queue_type;    /* 0: no HW queue this probe can make */
	uint32_t hw_queue_info_type; /* HW queues are inferred when GET_HW_INFO
				      * answers for this type (Tegra241 CMDQV) */
	/* Why the IOMMU does not nest, from its HW info ("ECAP.NEST clear");
	 * NULL: nothing to add. */
	void (*nest_note)(const struct iommufd_hw_info *info, char *buf, size_t len);
	/* 1 with @buf saying why it can raise page requests, 0 with why not. */
	int (*page_requests)(const struct iommufd_hw_info *info, char *buf, size_t len);
};

/* vendor lookup (probe_device_vendor.c); never NULL. */
IFD_HIDDEN const struct pd_vendor *pd_vendor_of(const struct iommufd_hw_info *info);

struct pd_obj {
	uint32_t id;
	int fd; /* -1: none; closed before the object is destroyed */
};

struct pd_session {
	struct iommufd_ctx *ctx;
	uint32_t dev_id;
	int info_rc;                 /* GET_HW_INFO: 0, or -EOPNOTSUPP */
	struct iommufd_hw_info info; /* zeroed unless info_rc == 0 */
	const struct pd_vendor *vendor;
	char vname[32];              /* the vendor's name, or "IOMMU type 0x..." */
	struct pd_obj objs[PD_MAX_OBJS];
	unsigned int nr_objs;
	/* What has been made so far (0: not yet); steps reuse them. */
	uint32_t ioas, parent, viommu, vdevice, nested;
	bool nest_refused;           /* the NEST_PARENT HWPT was refused */
	void *queue_mem;             /* the HW queue's memory, freed at the end */
	size_t queue_len;
	char why[PD_WHY_LEN];        /* why the last step was refused */
	char err[PD_ERR_LEN];        /* the sentence of the first failure */
};

/* ---- objects (probe_device_objs.c) ----------------------------------------
 * Each step returns 1 (made, or made before), 0 (the kernel or the IOMMU
 * refused: s->why says what and why) or a negative errno (the probe itself
 * failed: s->err holds the sentence). */

IFD_HIDDEN int pd_ioas(struct pd_session *s);
IFD_HIDDEN int pd_nest_parent(struct pd_session *s);
/* A nested HWPT of the vendor's type: on the NEST_PARENT HWPT, or through
 * a vIOMMU when the vendor nests that way (or @via_viommu). */
IFD_HIDDEN int pd_nested(struct pd_session *s, uint32_t fault_id, bool via_viommu);
IFD_HIDDEN int pd_viommu(struct pd_session *s);
IFD_HIDDEN int pd_vdevice(struct pd_session *s, bool *existed);
IFD_HIDDEN int pd_paging(struct pd_session *s, uint32_t flags, uint32_t fault_id);
IFD_HIDDEN int pd_fault_queue(struct pd_session *s, uint32_t *fault_id);
IFD_HIDDEN int pd_veventq(struct pd_session *s);
IFD_HIDDEN int pd_hw_queue(struct pd_session *s);
IFD_HIDDEN int pd_invalidate(struct pd_session *s, uint32_t *handled, uint32_t *sent);
/* GET_HW_INFO asking for type @type (IOMMU_HW_INFO_FLAG_INPUT_TYPE, 6.16). */
IFD_HIDDEN int pd_hw_info_of_type(struct pd_session *s, uint32_t type);
/* Destroy everything, newest first; 0 or the first errno. */
IFD_HIDDEN int pd_cleanup(struct pd_session *s);

/* ---- answers (probe_device_evidence.c) ------------------------------------ */

IFD_HIDDEN void pd_answer(struct iommufd_feature_status *st, bool supported, const char *fmt,
			  ...) IFD_PRINTF(3, 4);
/* The answer for an IOMMU that refused to nest, with the vendor's note. */
IFD_HIDDEN void pd_no_nest(struct pd_session *s, struct iommufd_feature_status *st);
/* The device-level answer for @feature: 0 with @st filled, or -errno. */
IFD_HIDDEN int pd_feature(struct pd_session *s, uint32_t feature,
			  const struct iommufd_feature_status *host,
			  struct iommufd_feature_status *st);

/* ---- the per-context cache (probe_device_cache.c) ------------------------- */

/* The cached answer for (@dev_id, @feature) when the device still has the
 * HW description it had then (@info_rc, @info); 1 with @st filled, else 0. */
IFD_HIDDEN int ifd_dev_cache_get(struct iommufd_ctx *ctx, uint32_t dev_id, int info_rc,
				 const struct iommufd_hw_info *info, uint32_t feature,
				 struct iommufd_feature_status *st);
IFD_HIDDEN void ifd_dev_cache_put(struct iommufd_ctx *ctx, uint32_t dev_id, int info_rc,
				  const struct iommufd_hw_info *info, uint32_t feature,
				  const struct iommufd_feature_status *st);

#endif
