/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Options structs: the caller's sz says how much it sent.  A shorter struct
 * (older caller) is zero-extended; a longer one (newer caller) is accepted
 * only if every byte this library does not know is zero -- the same rule
 * the kernel applies to the library.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

/* No options struct will ever be this large: a bigger sz is garbage, and
 * reading that far past the struct could fault. */
#define IFD_OPTS_MAX_SZ 4096

int ifd_opts_load(const struct iommufd_ctx *ctx, const char *fn, void *dst, size_t known,
		  const void *user_opts)
{
	const unsigned char *src = user_opts;
	size_t sz;

	memset(dst, 0, known);
	if (!user_opts)
		return 0;
	memcpy(&sz, user_opts, sizeof(sz));
	if (sz < sizeof(size_t) || sz > IFD_OPTS_MAX_SZ)
		return ifd_fail(ctx, EINVAL,
				"%s: options sz is %zu; fill options with IOMMUFD_OPTS()", fn, sz);
	for (size_t i = known; i < sz; i++)
		if (src[i])
			return ifd_fail(ctx, E2BIG,
					"%s: options set a field at byte %zu that this libiommufd "
					"(%s, which knows %zu bytes) does not know",
					fn, i, iommufd_version_string(), known);
	memcpy(dst, user_opts, sz < known ? sz : known);
	memcpy(dst, &known, sizeof(known));
	return 0;
}
