/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Argument checks run before the kernel sees a call; each names its fault. */
#include <errno.h>
#include <inttypes.h>

#include "private.h"

int ifd_check_ctx(const struct iommufd_ctx *ctx, const char *fn)
{
	if (ctx)
		return 0;
	return ifd_fail(NULL, EINVAL, "%s: the context is NULL", fn);
}

int ifd_check_out(const struct iommufd_ctx *ctx, const void *p, const char *fn,
		  const char *what)
{
	if (p)
		return 0;
	return ifd_fail(ctx, EINVAL, "%s: %s is NULL", fn, what);
}

/* A non-empty range whose last byte does not wrap past 2^64 - 1. */
int ifd_check_range(const struct iommufd_ctx *ctx, const char *fn, const char *what,
		    uint64_t start, uint64_t length)
{
	if (!length)
		return ifd_fail(ctx, EINVAL, "%s: %s length is 0", fn, what);
	if (start + (length - 1) < start)
		return ifd_fail(ctx, EOVERFLOW,
				"%s: %s 0x%" PRIx64 " + length 0x%" PRIx64
				" wraps past the end of the 64-bit space",
				fn, what, start, length);
	return 0;
}

/* Unknown flags get the kernel's own answer, EOPNOTSUPP. */
int ifd_check_flags(const struct iommufd_ctx *ctx, const char *fn, uint32_t flags,
		    uint32_t known)
{
	if (!(flags & ~known))
		return 0;
	return ifd_fail(ctx, EOPNOTSUPP, "%s: unknown flags 0x%" PRIx32 " (known: 0x%" PRIx32 ")",
			fn, flags & ~known, known);
}
