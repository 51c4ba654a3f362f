/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a transfer's outcome says: the result struct, error names, checksum. */
#include <errno.h>
#include <string.h>

#include "dmatest_private.h"

/* The caller must have room for status and error at least; no result
 * struct will ever be this large, so a bigger sz is garbage. */
#define RESULT_MIN_SZ offsetof(struct iommufd_dmatest_result, kernel_errno)
#define RESULT_MAX_SZ 4096

int ifd_dt_check_result(struct iommufd_dmatest *dt, const char *fn,
			const struct iommufd_dmatest_result *res, bool optional)
{
	if (!res)
		return optional ? 0 : ifd_dt_fail(dt, EINVAL, "%s: res is NULL", fn);
	if (res->sz < RESULT_MIN_SZ || res->sz > RESULT_MAX_SZ)
		return ifd_dt_fail(dt, EINVAL, "%s: res->sz is %zu (at least %zu); set it to "
				   "sizeof(struct iommufd_dmatest_result)", fn, res->sz,
				   (size_t)RESULT_MIN_SZ);
	return 0;
}

/* An output struct: an older caller gets the fields it knows, a newer one
 * zeroes for those this library does not know. */
void ifd_dt_fill_result(const struct ifd_dt_regs *r, struct iommufd_dmatest_result *res)
{
	struct iommufd_dmatest_result out = {
		.sz = sizeof(out),
		.status = r->status,
		.error = r->error,
		.kernel_errno = r->kernel_errno,
		.fault_iova = r->fault_iova,
		.done_bytes = r->done_bytes,
		.checksum = r->result,
		.completions = r->completions,
		.errors = r->errors,
		.pinned_pages = r->pinned,
	};
	size_t sz;

	if (!res)
		return;
	sz = res->sz;
	if (sz > sizeof(out))
		memset((unsigned char *)res + sizeof(out), 0, sz - sizeof(out));
	memcpy(res, &out, sz < sizeof(out) ? sz : sizeof(out));
	res->sz = sz;
}

uint64_t iommufd_dmatest_checksum(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t h = VFIO_DMATEST_FNV_OFFSET;

	for (size_t i = 0; p && i < len; i++) {
		h ^= p[i];
		h *= VFIO_DMATEST_FNV_PRIME;
	}
	return h;
}

const char *iommufd_dmatest_error_name(uint32_t error)
{
	static const char *const names[] = {
		[VFIO_DMATEST_ERR_NONE] = "none",
		[VFIO_DMATEST_ERR_INVALID] = "invalid",
		[VFIO_DMATEST_ERR_UNMAPPED] = "unmapped",
		[VFIO_DMATEST_ERR_READ_ONLY] = "read-only",
		[VFIO_DMATEST_ERR_UNMAPPING] = "unmapping",
		[VFIO_DMATEST_ERR_DETACHED] = "detached",
		[VFIO_DMATEST_ERR_ABORTED] = "aborted",
		[VFIO_DMATEST_ERR_NOMEM] = "no memory",
		[VFIO_DMATEST_ERR_IO] = "I/O error",
	};

	return error < IFD_ARRAY_SIZE(names) && names[error] ? names[error] : "unknown";
}
