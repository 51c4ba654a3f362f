/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The log: silent unless the user installs a receiver or sets LIBIOMMUFD_LOG. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "private.h"

static const char *const level_names[] = {
	[IOMMUFD_LOG_DEFAULT] = "", [IOMMUFD_LOG_OFF] = "off",   [IOMMUFD_LOG_ERR] = "err",
	[IOMMUFD_LOG_WARN] = "warn", [IOMMUFD_LOG_INFO] = "info",
	[IOMMUFD_LOG_DEBUG] = "debug",
};

int ifd_log_level_from_env(void)
{
	const char *v = getenv("LIBIOMMUFD_LOG");

	if (!v)
		return IOMMUFD_LOG_OFF;
	for (size_t i = IOMMUFD_LOG_OFF; i < IFD_ARRAY_SIZE(level_names); i++)
		if (!strcasecmp(v, level_names[i]))
			return (int)i;
	if (!strcasecmp(v, "error"))
		return IOMMUFD_LOG_ERR;
	if (!strcasecmp(v, "warning"))
		return IOMMUFD_LOG_WARN;
	return IOMMUFD_LOG_OFF;
}

void ifd_log_stderr(void *user_data, int level, const char *message)
{
	(void)user_data;
	const char *name = level > IOMMUFD_LOG_OFF && level <= IOMMUFD_LOG_DEBUG ? level_names[level] : "?";

	fprintf(stderr, "libiommufd %s: %s\n", name, message);
}

void ifd_log(const struct iommufd_ctx *ctx, int level, const char *fmt, ...)
{
	int max = ctx ? ctx->log_level : ifd_log_level_from_env();
	char line[512];
	va_list ap;

	if (level > max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ctx && ctx->log_fn)
		ctx->log_fn(ctx->log_user_data, level, line);
	else
		ifd_log_stderr(NULL, level, line);
}

void iommufd_ctx_set_log(struct iommufd_ctx *ctx, iommufd_log_fn fn, void *user_data)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_user_data = user_data;
}

void iommufd_ctx_set_log_level(struct iommufd_ctx *ctx, int level)
{
	if (!ctx)
		return;
	if (level < IOMMUFD_LOG_OFF) /* DEFAULT means "from the environment" only in opts */
		level = IOMMUFD_LOG_OFF;
	if (level > IOMMUFD_LOG_DEBUG)
		level = IOMMUFD_LOG_DEBUG;
	ctx->log_level = level;
}

int iommufd_ctx_get_log_level(const struct iommufd_ctx *ctx)
{
	return ctx ? ctx->log_level : -EINVAL;
}
