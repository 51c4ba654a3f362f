/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The feature probe, device level: can the IOMMU behind a bound device do
 * a feature the host offers?  The host answer comes first; then the IOMMU
 * is asked by allocating what the feature rests on, in a session whose
 * objects are all destroyed before the answer is returned.  Answers are
 * cached per context and device (probe_device_cache.c says when a cached
 * answer would be stale and how that is caught).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "probe_device.h"

static const char fn[] = "iommufd_probe_device_feature";

static int check_args(struct iommufd_ctx *ctx, uint32_t feature,
		      struct iommufd_feature_status *status)
{
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, status, fn, "status");
	if (!rc && feature >= IOMMUFD_FEATURE_COUNT)
		rc = ifd_fail(ctx, EINVAL, "%s: no feature %" PRIu32 " (features are 0..%d)", fn,
			      feature, IOMMUFD_FEATURE_COUNT - 1);
	return rc;
}

/*
 * The device's HW description, which also proves @dev_id names a bound
 * device.  1: read (s->info_rc says whether the driver described it);
 * 0: the kernel predates GET_HW_INFO (6.6), the device cannot be checked.
 */
static int read_hw_info(struct pd_session *s)
{
	int rc = iommufd_probe_cmd(s->ctx, UAPI_CMD_GET_HW_INFO);

	if (rc <= 0)
		return rc;
	rc = iommufd_get_hw_info(s->ctx, s->dev_id, &s->info);
	if (rc == -ENOENT)
		return ifd_fail(s->ctx, ENOENT, "%s: no device %" PRIu32 " is bound to this "
				"context (IOMMU_GET_HW_INFO: ENOENT)", fn, s->dev_id);
	/* The device exists (the kernel looks it up first); its driver
	 * could not describe it. */
	if (rc == -EOPNOTSUPP)
		memset(&s->info, 0, sizeof(s->info));
	else if (rc)
		return rc;
	s->info_rc = rc;
	s->vendor = pd_vendor_of(&s->info);
	if (s->vendor->name && !s->info_rc)
		snprintf(s->vname, sizeof(s->vname), "%s", s->vendor->name);
	else
		snprintf(s->vname, sizeof(s->vname), "IOMMU type 0x%" PRIx32, s->info.type);
	return 1;
}

/* A failure before any evidence: the sentence names the feature too. */
static int failure(struct iommufd_ctx *ctx, int rc, uint32_t dev_id, uint32_t feature)
{
	char why[PD_ERR_LEN];

	snprintf(why, sizeof(why), "%s", iommufd_ctx_last_error(ctx));
	if (rc == -ENOENT)
		return rc; /* read_hw_info() said it all */
	return ifd_fail(ctx, -rc, "%s: %s of device %" PRIu32 ": %s", fn,
			iommufd_feature_name(feature), dev_id, why[0] ? why : strerror(-rc));
}

/* Gather the evidence, then destroy what it took; the first failure's
 * sentence is the one reported. */
static int run_session(struct pd_session *s, uint32_t feature,
		       const struct iommufd_feature_status *host,
		       struct iommufd_feature_status *status)
{
	int rc = pd_feature(s, feature, host, status);
	int clean = pd_cleanup(s);

	if (!rc)
		rc = clean;
	if (rc)
		return ifd_fail(s->ctx, -rc, "%s: %s of device %" PRIu32 ": %s%s", fn,
				iommufd_feature_name(feature), s->dev_id,
				s->err[0] ? s->err : strerror(-rc),
				clean && rc != clean ? " (and a temporary object survived)" : "");
	return 0;
}

int iommufd_probe_device_feature(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t feature,
				 struct iommufd_feature_status *status)
{
	struct pd_session s = { .ctx = ctx, .dev_id = dev_id };
	struct iommufd_feature_status host, answer;
	int have_info, rc = check_args(ctx, feature, status);

	if (rc)
		return rc;
	have_info = read_hw_info(&s);
	if (have_info < 0)
		return failure(ctx, have_info, dev_id, feature);
	if (have_info && ifd_dev_cache_get(ctx, dev_id, s.info_rc, &s.info, feature, status))
		return 0;
	rc = iommufd_probe_host_feature(ctx, feature, &host);
	if (rc)
		return failure(ctx, rc, dev_id, feature);
	if (!have_info) {
		*status = host;
		return 0;
	}
	if (host.supported) {
		rc = run_session(&s, feature, &host, &answer);
		if (rc)
			return rc;
	} else {
		answer = host;
	}
	ifd_dev_cache_put(ctx, dev_id, s.info_rc, &s.info, feature, &answer);
	*status = answer;
	return 0;
}
