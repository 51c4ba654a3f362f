/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the fault and vEVENT rings share of the public API: their options
 * and their stats.
 */
#include <errno.h>
#include <string.h>

#include <libiommufd/ring.h>

#include "private.h"
#include "ring_pump.h"

/* As ifd_opts_load(): no stats struct will ever be this large. */
#define STATS_MAX_SZ 4096

int ifd_ring_open(const struct ifd_pump_ops *ops, void *queue, int queue_fd,
		  struct iommufd_ctx *ctx, const char *fn, const struct iommufd_ring_opts *opts,
		  struct ifd_pump **pump)
{
	struct iommufd_ring_opts o;
	int rc = ifd_opts_load(ctx, fn, &o, sizeof(o), opts);

	if (!rc)
		rc = ifd_check_flags(ctx, fn, o.flags, IOMMUFD_RING_THREAD);
	if (!rc)
		rc = ifd_pump_new(ops, queue, queue_fd, ctx, fn,
				  o.capacity ? o.capacity : IOMMUFD_RING_DEFAULT_CAPACITY, pump);
	if (!rc && (o.flags & IOMMUFD_RING_THREAD)) {
		rc = ifd_pump_start(*pump, fn);
		if (rc) {
			ifd_pump_free(*pump);
			*pump = NULL;
		}
	}
	return rc;
}

int ifd_ring_null(const char *fn)
{
	return ifd_fail(NULL, EINVAL, "%s: the ring is NULL", fn);
}

/* An output struct: the caller's sz says how much room it has.  An older
 * caller gets the fields it knows; a newer one gets zeroes for the fields
 * this library does not know (nothing to refuse: the library only
 * writes). */
int ifd_ring_stats(const struct ifd_pump *pump, const char *fn, struct iommufd_ring_stats *stats)
{
	struct iommufd_ring_stats s = { .sz = sizeof(s) };
	struct ifd_pump_stats ps;
	size_t sz;

	if (!pump)
		return ifd_ring_null(fn);
	if (!stats)
		return ifd_fail(ifd_pump_ctx(pump), EINVAL, "%s: stats is NULL", fn);
	sz = stats->sz;
	if (sz < sizeof(size_t) || sz > STATS_MAX_SZ)
		return ifd_fail(ifd_pump_ctx(pump), EINVAL, "%s: stats sz is %zu; set it to sizeof "
				"the struct (IOMMUFD_OPTS() does)", fn, sz);
	ifd_pump_get_stats(pump, &ps);
	s.pushed = ps.pushed;
	s.taken = ps.taken;
	s.full = ps.full;
	s.pump_reads = ps.pump_reads;
	s.signals = ps.signals;
	s.capacity = ps.capacity;
	if (sz > sizeof(s))
		memset((unsigned char *)stats + sizeof(s), 0, sz - sizeof(s));
	memcpy(stats, &s, sz < sizeof(s) ? sz : sizeof(s));
	stats->sz = sz;
	return 0;
}
