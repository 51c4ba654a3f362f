/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Failure sentences.  Each thread keeps its own records, so threads sharing
 * a context never see (or tear) each other's messages.  Records are keyed
 * by the context's serial number, not its address, so a context allocated
 * where a closed one lived never inherits a stale sentence.
 */
#include <stdarg.h>
#include <stdio.h>

#include "private.h"

#define IFD_ERR_SLOTS 8
#define IFD_ERR_LEN 320

struct err_record {
	uint64_t serial; /* 0: free */
	char msg[IFD_ERR_LEN];
};

static _Thread_local struct err_record records[IFD_ERR_SLOTS];
static _Thread_local unsigned int next_victim;
static _Thread_local char any_msg[IFD_ERR_LEN];

static struct err_record *record_for(uint64_t serial)
{
	for (unsigned int i = 0; i < IFD_ERR_SLOTS; i++)
		if (records[i].serial == serial)
			return &records[i];
	struct err_record *r = &records[next_victim++ % IFD_ERR_SLOTS];
	r->serial = serial;
	return r;
}

int ifd_fail(const struct iommufd_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(any_msg, sizeof(any_msg), fmt, ap);
	va_end(ap);
	if (ctx) {
		struct err_record *r = record_for(ctx->serial);
		snprintf(r->msg, sizeof(r->msg), "%s", any_msg);
	}
	ifd_log(ctx, IOMMUFD_LOG_DEBUG, "%s", any_msg);
	return -err;
}

const char *iommufd_ctx_last_error(const struct iommufd_ctx *ctx)
{
	if (!ctx)
		return any_msg;
	for (unsigned int i = 0; i < IFD_ERR_SLOTS; i++)
		if (records[i].serial == ctx->serial)
			return records[i].msg;
	return "";
}
