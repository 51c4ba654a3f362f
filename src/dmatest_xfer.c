/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Programming transfers: the parameters are checked here first, so a
 * mistake is a sentence rather than a transfer the device ends in
 * ERR_INVALID; then they are written and the doorbell rung.  Device facts:
 * the engine latches the parameters at the doorbell; a START while a
 * transfer is running or held fails with EBUSY; RELEASE with nothing held
 * and ABORT with nothing running or held fail with EINVAL.
 */
#include <errno.h>
#include <inttypes.h>

#include "dmatest_private.h"

#define KNOWN_FLAGS (IOMMUFD_DMATEST_PIN | IOMMUFD_DMATEST_HOLD)

static int check_iova(struct iommufd_dmatest *dt, const char *fn, const char *what,
		      uint64_t iova, uint64_t length)
{
	if (iova + (length - 1) >= iova)
		return 0;
	return ifd_dt_fail(dt, EINVAL, "%s: %s 0x%" PRIx64 " + length 0x%" PRIx64 " wraps past "
			   "the end of the 64-bit space", fn, what, iova, length);
}

static int check_xfer(struct iommufd_dmatest *dt, const char *fn,
		      const struct iommufd_dmatest_xfer *x)
{
	const bool reads = x->op == IOMMUFD_DMATEST_COPY || x->op == IOMMUFD_DMATEST_CHECKSUM;
	const bool writes = x->op == IOMMUFD_DMATEST_COPY || x->op == IOMMUFD_DMATEST_FILL;
	int rc = 0;

	if (!reads && !writes)
		return ifd_dt_fail(dt, EINVAL, "%s: unknown op %u (COPY 1, FILL 2, CHECKSUM 3)", fn,
				   x->op);
	if (x->flags & ~KNOWN_FLAGS)
		return ifd_dt_fail(dt, EINVAL, "%s: unknown flags 0x%x (known: PIN 0x%x, HOLD "
				   "0x%x)", fn, x->flags & ~KNOWN_FLAGS, IOMMUFD_DMATEST_PIN,
				   IOMMUFD_DMATEST_HOLD);
	if (!x->length)
		return ifd_dt_fail(dt, EINVAL, "%s: length is 0", fn);
	if (x->length > dt->max_len)
		return ifd_dt_fail(dt, EINVAL, "%s: length 0x%" PRIx64 " is over the longest "
				   "transfer %s takes, 0x%" PRIx64 " (module parameter max_len)",
				   fn, x->length, dt->name, dt->max_len);
	if (reads)
		rc = check_iova(dt, fn, "src_iova", x->src_iova, x->length);
	if (!rc && writes)
		rc = check_iova(dt, fn, "dst_iova", x->dst_iova, x->length);
	return rc;
}

static int program(struct iommufd_dmatest *dt, const struct iommufd_dmatest_xfer *x)
{
	int rc = ifd_dt_write64(dt, VFIO_DMATEST_REG_SRC, x->src_iova);

	if (!rc)
		rc = ifd_dt_write64(dt, VFIO_DMATEST_REG_DST, x->dst_iova);
	if (!rc)
		rc = ifd_dt_write64(dt, VFIO_DMATEST_REG_LEN, x->length);
	if (!rc)
		rc = ifd_dt_write64(dt, VFIO_DMATEST_REG_PATTERN, x->pattern);
	if (!rc)
		rc = ifd_dt_write32(dt, VFIO_DMATEST_REG_CMD, x->op | x->flags);
	return rc;
}

int iommufd_dmatest_submit(struct iommufd_dmatest *dt, const struct iommufd_dmatest_xfer *xfer)
{
	static const char fn[] = "iommufd_dmatest_submit";
	struct iommufd_dmatest_xfer x;
	int rc = ifd_dt_check(dt, fn);

	if (!rc)
		rc = ifd_check_out(dt->ctx, xfer, fn, "xfer");
	if (!rc)
		rc = ifd_opts_load(dt->ctx, fn, &x, sizeof(x), xfer);
	if (!rc)
		rc = check_xfer(dt, fn, &x);
	if (!rc)
		rc = program(dt, &x);
	if (rc)
		return rc;
	rc = ifd_dt_doorbell(dt, VFIO_DMATEST_DOORBELL_START);
	if (rc == -EBUSY)
		return ifd_dt_fail(dt, EBUSY, "%s: %s is busy: a transfer is running or held "
				   "(iommufd_dmatest_wait(), _release() or _abort() first)", fn,
				   dt->name);
	return rc;
}

int iommufd_dmatest_release(struct iommufd_dmatest *dt)
{
	static const char fn[] = "iommufd_dmatest_release";
	int rc = ifd_dt_check(dt, fn);

	if (rc)
		return rc;
	rc = ifd_dt_doorbell(dt, VFIO_DMATEST_DOORBELL_RELEASE);
	if (rc == -EINVAL)
		return ifd_dt_fail(dt, EINVAL, "%s: no transfer is held on %s", fn, dt->name);
	return rc;
}

int iommufd_dmatest_abort(struct iommufd_dmatest *dt)
{
	static const char fn[] = "iommufd_dmatest_abort";
	int rc = ifd_dt_check(dt, fn);

	if (rc)
		return rc;
	rc = ifd_dt_doorbell(dt, VFIO_DMATEST_DOORBELL_ABORT);
	if (rc == -EINVAL)
		return ifd_dt_fail(dt, EINVAL, "%s: no transfer is running or held on %s", fn,
				   dt->name);
	return rc;
}

int iommufd_dmatest_run(struct iommufd_dmatest *dt, const struct iommufd_dmatest_xfer *xfer,
			int timeout_ms, struct iommufd_dmatest_result *res)
{
	int rc = ifd_dt_check(dt, "iommufd_dmatest_run");

	if (!rc)
		rc = ifd_dt_check_result(dt, "iommufd_dmatest_run", res, true);
	if (!rc)
		rc = iommufd_dmatest_submit(dt, xfer);
	return rc ? rc : iommufd_dmatest_wait(dt, timeout_ms, res);
}
