/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Waiting for a transfer's end.  STATUS is the truth: it is read first (a
 * transfer may have ended before anyone waited), and again after every
 * wake-up, because an eventfd may hold a count from an earlier transfer.
 * Device fact: the engine sets STATUS (and the outcome) before it signals.
 */
#include <errno.h>
#include <time.h>

#include "dmatest_private.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What is left of @timeout_ms started at @start: -1 (no limit) or >= 0. */
static int remaining_ms(int timeout_ms, int64_t start)
{
	int64_t left;

	if (timeout_ms < 0)
		return -1;
	left = start + timeout_ms - now_ms();
	return left > 0 ? (int)left : 0;
}

static bool ended(uint32_t status)
{
	return status == VFIO_DMATEST_STATUS_DONE || status == VFIO_DMATEST_STATUS_ERROR;
}

int iommufd_dmatest_status(struct iommufd_dmatest *dt, struct iommufd_dmatest_result *res)
{
	static const char fn[] = "iommufd_dmatest_status";
	struct ifd_dt_regs r;
	int rc = ifd_dt_check(dt, fn);

	if (!rc)
		rc = ifd_dt_check_result(dt, fn, res, false);
	if (!rc)
		rc = ifd_dt_snapshot(dt, &r);
	if (!rc)
		ifd_dt_fill_result(&r, res);
	return rc;
}

int iommufd_dmatest_wait(struct iommufd_dmatest *dt, int timeout_ms,
			 struct iommufd_dmatest_result *res)
{
	static const char fn[] = "iommufd_dmatest_wait";
	const int64_t start = now_ms();
	struct ifd_dt_regs r;
	int rc = ifd_dt_check(dt, fn);

	if (!rc)
		rc = ifd_dt_check_result(dt, fn, res, true);
	while (!rc) {
		int left = remaining_ms(timeout_ms, start);

		rc = ifd_dt_snapshot(dt, &r);
		if (rc)
			return rc;
		if (ended(r.status)) {
			ifd_dt_irqs_drain(dt);
			ifd_dt_fill_result(&r, res);
			return 0;
		}
		if (r.status == VFIO_DMATEST_STATUS_IDLE)
			return ifd_dt_fail(dt, EINVAL, "%s: nothing was submitted to %s (it is idle)",
					   fn, dt->name);
		if (r.status > VFIO_DMATEST_STATUS_ERROR)
			return ifd_dt_fail(dt, EPROTO, "%s: %s reports STATUS %u, which this "
					   "library does not know", fn, dt->name, r.status);
		if (!left)
			return ifd_dt_fail(dt, ETIMEDOUT, "%s: the transfer on %s has not ended "
					   "after %d ms (it is %s)", fn, dt->name, timeout_ms,
					   r.status == VFIO_DMATEST_STATUS_HELD
						   ? "held: iommufd_dmatest_release() lets it go on"
						   : "busy");
		rc = ifd_dt_irqs_poll(dt, left);
	}
	return rc;
}
