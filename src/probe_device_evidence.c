/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The device-level evidence for each feature: what is allocated (and then
 * destroyed) or read to answer it, and the sentence the answer carries.
 * Where the answer rests on the HW info or on what a driver is known to do
 * rather than on an object made, the sentence says so.
 */
#include <inttypes.h>
#include <stdio.h>

#include <libiommufd/hwpt.h>

#include "probe_device.h"

#define NOTE_LEN 112

typedef int (*feature_fn)(struct pd_session *s, const struct iommufd_feature_status *host,
			  struct iommufd_feature_status *st);

void pd_answer(struct iommufd_feature_status *st, bool supported, const char *fmt, ...)
{
	va_list ap;

	st->supported = supported;
	va_start(ap, fmt);
	vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
	va_end(ap);
}

void pd_no_nest(struct pd_session *s, struct iommufd_feature_status *st)
{
	char note[NOTE_LEN] = "";

	if (s->vendor->nest_note && !s->info_rc)
		s->vendor->nest_note(&s->info, note, sizeof(note));
	if (note[0])
		pd_answer(st, false, "%s: %s; %s", s->vname, note, s->why);
	else
		pd_answer(st, false, "IOMMU does not nest (%s)", s->why);
}

/* The answer for a step that was refused (@rc 0), or @rc itself. */
static int refusal(struct pd_session *s, int rc, struct iommufd_feature_status *st)
{
	if (rc < 0)
		return rc;
	if (s->nest_refused)
		pd_no_nest(s, st);
	else
		pd_answer(st, false, "%s: %s", s->vname, s->why);
	return 0;
}

static int nest_parent(struct pd_session *s, const struct iommufd_feature_status *host,
		       struct iommufd_feature_status *st)
{
	int rc = pd_nest_parent(s);

	(void)host;
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: NEST_PARENT HWPT allocated", s->vname);
	return 0;
}

static int bind_pgtbl(struct pd_session *s, const struct iommufd_feature_status *host,
		      struct iommufd_feature_status *st)
{
	int rc = pd_nested(s, 0, false);

	(void)host;
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: nested %s HWPT allocated %s", s->vname, s->vendor->nested_name,
		  s->vendor->nested_via_viommu ? "through a vIOMMU" : "on a NEST_PARENT HWPT");
	return 0;
}

static int cache_invld(struct pd_session *s, const struct iommufd_feature_status *host,
		       struct iommufd_feature_status *st)
{
	uint32_t handled, sent;
	int rc = pd_nested(s, 0, false);

	(void)host;
	if (rc > 0)
		rc = pd_invalidate(s, &handled, &sent);
	if (rc <= 0)
		return refusal(s, rc, st);
	if (sent)
		pd_answer(st, true, "%s: a nested %s HWPT handled an invalidation (%" PRIu32
			  " of %" PRIu32 " entries)", s->vname, s->vendor->nested_name, handled, sent);
	else
		pd_answer(st, true, "%s: the vIOMMU took a zero-entry invalidation of its type",
			  s->vname);
	return 0;
}

static int bind_pasid_table(struct pd_session *s, const struct iommufd_feature_status *host,
			    struct iommufd_feature_status *st)
{
	const struct pd_vendor *v = s->vendor;
	bool existed;
	int rc;

	(void)host;
	if (!v->user_pasid_table) {
		pd_answer(st, false, "%s: %s", s->vname,
			  v->no_pasid_table ? v->no_pasid_table
			  : v->unprobed   ? v->unprobed
					  : "no guest PASID table binding known for this IOMMU");
		return 0;
	}
	rc = pd_vdevice(s, &existed);
	if (rc > 0)
		rc = pd_nested(s, 0, true);
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: vIOMMU, vDEVICE%s and a nested %s HWPT (the guest's PASID "
		  "table) allocated", s->vname, existed ? " (the device's own)" : "",
		  v->nested_name);
	return 0;
}

static int viommu(struct pd_session *s, const struct iommufd_feature_status *host,
		  struct iommufd_feature_status *st)
{
	bool existed;
	int rc = pd_vdevice(s, &existed);

	(void)host;
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, existed ? "%s: vIOMMU allocated; the device already has a vDEVICE"
				    : "%s: vIOMMU and vDEVICE allocated", s->vname);
	return 0;
}

static int veventq(struct pd_session *s, const struct iommufd_feature_status *host,
		   struct iommufd_feature_status *st)
{
	int rc = pd_veventq(s);

	(void)host;
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: vEVENTQ allocated on a vIOMMU", s->vname);
	return 0;
}

static int hw_queue(struct pd_session *s, const struct iommufd_feature_status *host,
		    struct iommufd_feature_status *st)
{
	const struct pd_vendor *v = s->vendor;
	int rc;

	(void)host;
	if (v->hw_queue_type) {
		rc = pd_hw_queue(s);
		if (rc <= 0)
			return refusal(s, rc, st);
		pd_answer(st, true, "%s: HW queue allocated on a vIOMMU over a pinned page",
			  s->vname);
		return 0;
	}
	if (!v->hw_queue_info_type) {
		pd_answer(st, false, "%s: no HW queue type for this IOMMU (Tegra241 CMDQV and the "
			  "mock have them)", s->vname);
		return 0;
	}
	rc = pd_hw_info_of_type(s, v->hw_queue_info_type);
	if (rc < 0)
		return rc;
	if (rc)
		pd_answer(st, true, "%s: GET_HW_INFO answers for Tegra241 CMDQV, whose VCMDQs are "
			  "HW queues (inferred: none allocated)", s->vname);
	else
		pd_answer(st, false, "%s: no Tegra241 CMDQV, no HW queue type (%s)", s->vname,
			  s->why);
	return 0;
}

static int page_request(struct pd_session *s, const struct iommufd_feature_status *host,
			struct iommufd_feature_status *st)
{
	char note[NOTE_LEN] = "no page-request support known for this IOMMU";
	const char *kind = "paging";
	uint32_t fault_id = 0;
	int rc;

	(void)host;
	if (!s->vendor->page_requests || !s->vendor->page_requests(&s->info, note, sizeof(note))) {
		pd_answer(st, false, "%s: %s", s->vname, note);
		return 0;
	}
	rc = pd_fault_queue(s, &fault_id);
	if (rc > 0)
		rc = pd_paging(s, 0, fault_id);
	/* Before Linux 6.15 only nested HWPTs take a fault queue. */
	if (!rc) {
		kind = "nested";
		rc = pd_nested(s, fault_id, false);
	}
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: fault queue + %s HWPT with fault_id allocated; %s", s->vname,
		  kind, note);
	return 0;
}

static int pasid(struct pd_session *s, const struct iommufd_feature_status *host,
		 struct iommufd_feature_status *st, bool syswide)
{
	const struct iommufd_hw_info *i = &s->info;

	(void)host;
	if (s->info_rc)
		pd_answer(st, false, "%s: the IOMMU driver could not describe it (GET_HW_INFO)",
			  s->vname);
	else if (!i->max_pasid_log2_known)
		pd_answer(st, false, "the kernel does not report the PASID width (GET_HW_INFO "
			  "max_pasid_log2)");
	else if (!i->max_pasid_log2)
		pd_answer(st, false, "%s: no PASID for this device (GET_HW_INFO max_pasid_log2 0)",
			  s->vname);
	else if (!syswide)
		pd_answer(st, true, "%s: PASID width %" PRIu32, s->vname, i->max_pasid_log2);
	else
		pd_answer(st, true, "%s: PASID width %" PRIu32 "; the caller picks PASIDs, so one "
			  "system-wide space fits", s->vname, i->max_pasid_log2);
	return 0;
}

static int pasid_device(struct pd_session *s, const struct iommufd_feature_status *host,
			struct iommufd_feature_status *st)
{
	return pasid(s, host, st, false);
}

static int pasid_syswide(struct pd_session *s, const struct iommufd_feature_status *host,
			 struct iommufd_feature_status *st)
{
	return pasid(s, host, st, true);
}

static int dirty_tracking(struct pd_session *s, const struct iommufd_feature_status *host,
			  struct iommufd_feature_status *st)
{
	const struct iommufd_hw_info *i = &s->info;
	int rc;

	(void)host;
	if (!s->info_rc && i->capabilities_known) {
		if (i->capabilities & IOMMUFD_HW_CAP_DIRTY_TRACKING)
			pd_answer(st, true, "%s: GET_HW_INFO reports IOMMU_HW_CAP_DIRTY_TRACKING",
				  s->vname);
		else
			pd_answer(st, false, "IOMMU has no dirty tracking (GET_HW_INFO capabilities "
				  "0x%" PRIx64 " lack DIRTY_TRACKING)", i->capabilities);
		return 0;
	}
	/* A kernel that does not report capabilities: ask by doing. */
	rc = pd_paging(s, IOMMUFD_HWPT_DIRTY_TRACKING, 0);
	if (rc <= 0)
		return refusal(s, rc, st);
	pd_answer(st, true, "%s: DIRTY_TRACKING HWPT allocated (the kernel reports no "
		  "capabilities)", s->vname);
	return 0;
}

static int host_only(struct pd_session *s, const struct iommufd_feature_status *host,
		     struct iommufd_feature_status *st)
{
	(void)s;
	pd_answer(st, true, "a host feature, nothing device-specific: %s", host->reason);
	return 0;
}

static const feature_fn features[IOMMUFD_FEATURE_COUNT] = {
	[IOMMUFD_FEATURE_BIND_PGTBL] = bind_pgtbl,
	[IOMMUFD_FEATURE_BIND_PASID_TABLE] = bind_pasid_table,
	[IOMMUFD_FEATURE_CACHE_INVLD] = cache_invld,
	[IOMMUFD_FEATURE_PAGE_REQUEST] = page_request,
	[IOMMUFD_FEATURE_PASID] = pasid_device,
	[IOMMUFD_FEATURE_SYSWIDE_PASID] = pasid_syswide,
	[IOMMUFD_FEATURE_DIRTY_TRACKING] = dirty_tracking,
	[IOMMUFD_FEATURE_NEST_PARENT] = nest_parent,
	[IOMMUFD_FEATURE_VIOMMU] = viommu,
	[IOMMUFD_FEATURE_VEVENTQ] = veventq,
	[IOMMUFD_FEATURE_HW_QUEUE] = hw_queue,
	[IOMMUFD_FEATURE_MAP_FILE] = host_only,
	[IOMMUFD_FEATURE_CHANGE_PROCESS] = host_only,
};

int pd_feature(struct pd_session *s, uint32_t feature,
	       const struct iommufd_feature_status *host, struct iommufd_feature_status *st)
{
	int rc = features[feature](s, host, st);

	st->release = host->release;
	return rc;
}
