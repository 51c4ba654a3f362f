/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iommufd_ctx;

/* Open a context with options filled by IOMMUFD_OPTS() in C; *sz receives
 * the sz the macro set. */
int opts_macro_open(const char *path, int log_level, struct iommufd_ctx **ctxp, size_t *sz);

#ifdef __cplusplus
}
#endif
