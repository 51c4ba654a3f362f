/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What iommufd-info finds out about the host: the kernel release, the
 * command table with the kernel's answers, and the host features. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "info.h"

static enum info_status status_of(int probe_result)
{
	if (probe_result < 0)
		return INFO_UNKNOWN;
	return probe_result ? INFO_SUPPORTED : INFO_ABSENT;
}

/* Command @nr and its non-reserved fields, with the kernel's answers when
 * there is a context to ask. */
static int collect_cmd(struct iommufd_ctx *ctx, uint32_t nr, struct info_cmd *c)
{
	iommufd_cmd_get(nr, &c->desc);
	c->status = ctx ? status_of(iommufd_probe_cmd(ctx, nr)) : INFO_UNKNOWN;
	c->kernel_size = -1;
	if (ctx && c->status != INFO_UNKNOWN) {
		int size = iommufd_probe_kernel_size(ctx, nr);

		c->kernel_size = size >= 0 ? size : -1;
	}
	c->fields = calloc(c->desc.nr_fields, sizeof(*c->fields));
	if (!c->fields && c->desc.nr_fields)
		return -ENOMEM;
	for (uint32_t i = 0; i < c->desc.nr_fields; i++) {
		struct info_field *f = &c->fields[c->nr_fields];

		iommufd_cmd_field(nr, i, &f->desc);
		if (f->desc.dir == IOMMUFD_FIELD_RESERVED)
			continue;
		f->status = ctx ? status_of(iommufd_probe_field(ctx, nr, i)) : INFO_UNKNOWN;
		c->nr_fields++;
	}
	return 0;
}

static void collect_host_feature(struct iommufd_ctx *ctx, uint32_t feature,
				 struct info_feature *f)
{
	f->feature = feature;
	if (iommufd_probe_host_feature(ctx, feature, &f->status)) {
		snprintf(f->error, sizeof(f->error), "%s", iommufd_ctx_last_error(ctx));
		return;
	}
	f->probed = true;
}

static void open_iommufd(struct info_host *h, const char *path)
{
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = path, .log_level = IOMMUFD_LOG_OFF);
	int rc = iommufd_ctx_open(&opts, &h->ctx);

	h->iommu_path = path ? path : "/dev/iommu";
	if (rc) {
		h->ctx = NULL;
		h->open_errno = -rc;
		snprintf(h->open_error, sizeof(h->open_error), "%s", iommufd_ctx_last_error(NULL));
		return;
	}
	int floor = iommufd_probe_release(h->ctx);

	h->abi_release = floor > 0 ? floor : 0;
}

int info_host_collect(struct info_host *h, const char *iommu_path)
{
	struct utsname u;

	memset(h, 0, sizeof(*h));
	snprintf(h->kernel_release, sizeof(h->kernel_release), "%s",
		 uname(&u) ? "unknown" : u.release);
	open_iommufd(h, iommu_path);
	for (uint32_t i = 0; i < INFO_NR_CMDS; i++)
		if (collect_cmd(h->ctx, IOMMUFD_CMD_ID_FIRST + i, &h->cmds[i]))
			return -ENOMEM;
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		h->features[f].feature = f;
		if (h->ctx)
			collect_host_feature(h->ctx, f, &h->features[f]);
		else
			snprintf(h->features[f].error, sizeof(h->features[f].error),
				 "not probed: %s could not be opened", h->iommu_path);
	}
	return 0;
}

void info_host_release(struct info_host *h)
{
	for (uint32_t i = 0; i < INFO_NR_CMDS; i++)
		free(h->cmds[i].fields);
	iommufd_ctx_close(h->ctx);
	h->ctx = NULL;
}
