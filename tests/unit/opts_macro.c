/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IOMMUFD_OPTS() as a C caller writes it (it relies on GNU C). */
#include <libiommufd/libiommufd.h>

#include "opts_macro.h"

int opts_macro_open(const char *path, int log_level, struct iommufd_ctx **ctxp, size_t *sz)
{
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = path, .log_level = log_level);

	*sz = opts.sz;
	return iommufd_ctx_open(&opts, ctxp);
}
