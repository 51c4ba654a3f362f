/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature probe, host level: which of the features (named as in the
 * original IOMMU uAPI proposal where it had a name) this kernel offers.
 * Each feature rests on commands and fields, answered by the side-effect
 * free ABI probe, and sometimes on a flag the kernel checks only after an
 * object lookup; such flags are inferred from the release the kernel shows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/probe.h>

#include "private.h"
#include "sys.h"

#define V(maj, min) IOMMUFD_KVER(maj, min)
#define MAX_NEEDS 3

/* One thing a feature needs: a command, optionally one of its fields. */
struct need {
	uint32_t cmd;
	const char *field;
};

struct feature {
	const char *name;
	struct need needs[MAX_NEEDS];
	/* A flag the probe cannot see without a device, and its release. */
	const char *flag;
	uint16_t flag_release;
};

static const struct feature features[IOMMUFD_FEATURE_COUNT] = {
	[IOMMUFD_FEATURE_BIND_PGTBL] = { "BIND_PGTBL",
		{ { UAPI_CMD_HWPT_ALLOC, "data_type" } } },
	[IOMMUFD_FEATURE_BIND_PASID_TABLE] = { "BIND_PASID_TABLE",
		{ { UAPI_CMD_VIOMMU_ALLOC, NULL }, { UAPI_CMD_VDEVICE_ALLOC, NULL },
		  { UAPI_CMD_HWPT_ALLOC, "data_type" } } },
	[IOMMUFD_FEATURE_CACHE_INVLD] = { "CACHE_INVLD", { { UAPI_CMD_HWPT_INVALIDATE, NULL } } },
	[IOMMUFD_FEATURE_PAGE_REQUEST] = { "PAGE_REQUEST",
		{ { UAPI_CMD_FAULT_QUEUE_ALLOC, NULL }, { UAPI_CMD_HWPT_ALLOC, "fault_id" } } },
	[IOMMUFD_FEATURE_PASID] = { "PASID",
		{ { UAPI_CMD_GET_HW_INFO, "out_max_pasid_log2" } },
		"IOMMU_HWPT_ALLOC_PASID / VFIO_DEVICE_ATTACH_PASID", V(6, 15) },
	[IOMMUFD_FEATURE_SYSWIDE_PASID] = { "SYSWIDE_PASID",
		{ { UAPI_CMD_GET_HW_INFO, "out_max_pasid_log2" } },
		"IOMMU_HWPT_ALLOC_PASID / VFIO_DEVICE_ATTACH_PASID", V(6, 15) },
	[IOMMUFD_FEATURE_DIRTY_TRACKING] = { "DIRTY_TRACKING",
		{ { UAPI_CMD_HWPT_SET_DIRTY_TRACKING, NULL },
		  { UAPI_CMD_HWPT_GET_DIRTY_BITMAP, NULL } } },
	[IOMMUFD_FEATURE_NEST_PARENT] = { "NEST_PARENT",
		{ { UAPI_CMD_HWPT_ALLOC, "data_type" } } },
	[IOMMUFD_FEATURE_VIOMMU] = { "VIOMMU", { { UAPI_CMD_VIOMMU_ALLOC, NULL } } },
	[IOMMUFD_FEATURE_VEVENTQ] = { "VEVENTQ", { { UAPI_CMD_VEVENTQ_ALLOC, NULL } } },
	[IOMMUFD_FEATURE_HW_QUEUE] = { "HW_QUEUE", { { UAPI_CMD_HW_QUEUE_ALLOC, NULL } } },
	[IOMMUFD_FEATURE_MAP_FILE] = { "MAP_FILE", { { UAPI_CMD_IOAS_MAP_FILE, NULL } } },
	[IOMMUFD_FEATURE_CHANGE_PROCESS] = { "CHANGE_PROCESS",
		{ { UAPI_CMD_IOAS_CHANGE_PROCESS, NULL } } },
};

const char *iommufd_feature_name(uint32_t feature)
{
	return feature < IOMMUFD_FEATURE_COUNT ? features[feature].name : NULL;
}

static uint16_t need_release(const struct need *n)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(n->cmd);

	if (!n->field)
		return cmd->release;
	for (uint32_t i = 0; i < cmd->nr_fields; i++)
		if (!strcmp(cmd->fields[i].name, n->field))
			return cmd->fields[i].release;
	return cmd->release;
}

/* The newest release among the feature's needs: what it takes. */
static uint16_t feature_release(const struct feature *f)
{
	uint16_t rel = f->flag_release;

	for (int i = 0; i < MAX_NEEDS && f->needs[i].cmd; i++)
		if (need_release(&f->needs[i]) > rel)
			rel = need_release(&f->needs[i]);
	return rel;
}

/* An unsupported answer: the release the feature needs, and what of it
 * this kernel lacks. */
static void set_missing(struct iommufd_feature_status *st, uint16_t release, const char *what)
{
	char rel[16];

	st->supported = 0;
	st->release = release;
	snprintf(st->reason, sizeof(st->reason), "needs Linux %s or newer (this kernel lacks %s)",
		 ifd_release_str(release, rel), what);
}

/* 1: the kernel has it; 0: @st says what is missing; <0: probe failed. */
static int check_need(struct iommufd_ctx *ctx, const struct feature *f, const struct need *n,
		      struct iommufd_feature_status *st)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(n->cmd);
	char what[96];
	int rc = iommufd_probe_cmd(ctx, n->cmd);

	if (rc > 0 && n->field)
		rc = iommufd_probe_field(ctx, n->cmd, (uint32_t)iommufd_cmd_find_field(n->cmd, n->field));
	if (rc)
		return rc;
	if (n->field)
		snprintf(what, sizeof(what), "%s.%s", cmd->name, n->field);
	else
		snprintf(what, sizeof(what), "%s", cmd->name);
	set_missing(st, feature_release(f), what);
	return 0;
}

/* Flags checked after an object lookup cannot be probed without a device:
 * the kernel's release decides. */
static int check_flag(struct iommufd_ctx *ctx, const struct feature *f,
		      struct iommufd_feature_status *st)
{
	int floor = iommufd_probe_release(ctx);

	if (floor < 0)
		return floor;
	if (floor >= f->flag_release || ifd_kernel_release(ctx) >= f->flag_release)
		return 1;
	set_missing(st, feature_release(f), f->flag);
	return 0;
}

int iommufd_probe_host_feature(struct iommufd_ctx *ctx, uint32_t feature,
			       struct iommufd_feature_status *status)
{
	static const char fn[] = "iommufd_probe_host_feature";
	const struct feature *f;
	char rel[16];
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, status, fn, "status");
	if (rc)
		return rc;
	if (feature >= IOMMUFD_FEATURE_COUNT)
		return ifd_fail(ctx, EINVAL, "%s: no feature %u", fn, feature);
	f = &features[feature];
	for (int i = 0; i < MAX_NEEDS && f->needs[i].cmd; i++) {
		rc = check_need(ctx, f, &f->needs[i], status);
		if (rc <= 0)
			return rc;
	}
	if (f->flag) {
		rc = check_flag(ctx, f, status);
		if (rc <= 0)
			return rc;
	}
	status->supported = 1;
	status->release = feature_release(f);
	snprintf(status->reason, sizeof(status->reason), "ok: the kernel has what Linux %s brought",
		 ifd_release_str(status->release, rel));
	return 0;
}
