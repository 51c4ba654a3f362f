/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The vEVENT ring: the pump (ring_pump.c) over a vEVENTQ.  A struct
 * iommufd_vevent_ring is the pump itself, under the type the public API
 * gives it.  Events carry their lost counts through unchanged; they need
 * no answer, so freeing the ring drops what is left in it.
 *
 * The queue's reader keeps what a kernel read brought beyond what was
 * asked; asked for the ring's free slots it brings no more than that, and
 * whatever it kept comes out at the next pump step once the consumer made
 * room -- it never sits unseen behind a quiet fd.
 */
#include <errno.h>

#include <libiommufd/ring.h>

#include "eventq_private.h"
#include "ring_core.h"
#include "ring_pump.h"

static struct ifd_pump *pump_of(const struct iommufd_vevent_ring *ring)
{
	return (struct ifd_pump *)ring;
}

static ssize_t vevent_read(void *queue, void *recs, size_t max)
{
	return iommufd_veventq_read(queue, recs, max);
}

static const struct ifd_pump_ops vevent_ops = {
	.slot_size = sizeof(struct iommufd_vevent),
	.read = vevent_read,
};

int iommufd_vevent_ring_new(struct iommufd_veventq *queue, const struct iommufd_ring_opts *opts,
			    struct iommufd_vevent_ring **ring)
{
	static const char fn[] = "iommufd_vevent_ring_new";
	struct ifd_pump *pump = NULL;
	struct iommufd_ctx *ctx;
	int rc;

	if (!queue)
		return ifd_fail(NULL, EINVAL, "%s: the queue is NULL", fn);
	ctx = ifd_veventq_ctx(queue);
	rc = ifd_check_out(ctx, ring, fn, "ring");
	if (!rc)
		rc = ifd_ring_open(&vevent_ops, queue, iommufd_veventq_fd(queue), ctx, fn, opts,
				   &pump);
	if (ring)
		*ring = (struct iommufd_vevent_ring *)pump;
	return rc;
}

ssize_t iommufd_vevent_ring_free(struct iommufd_vevent_ring *ring)
{
	ssize_t dropped;

	if (!ring)
		return 0;
	ifd_pump_stop(pump_of(ring));
	dropped = ifd_ring_ready(ifd_pump_ring(pump_of(ring)));
	ifd_pump_free(pump_of(ring));
	return dropped;
}

int iommufd_vevent_ring_eventfd(const struct iommufd_vevent_ring *ring)
{
	return ring ? ifd_pump_eventfd(pump_of(ring)) : -EINVAL;
}

int iommufd_vevent_ring_pump_fd(const struct iommufd_vevent_ring *ring)
{
	return ring ? ifd_pump_fd(pump_of(ring)) : -EINVAL;
}

ssize_t iommufd_vevent_ring_pump(struct iommufd_vevent_ring *ring)
{
	static const char fn[] = "iommufd_vevent_ring_pump";

	return ring ? ifd_pump_pump(pump_of(ring), fn) : ifd_ring_null(fn);
}

int iommufd_vevent_ring_start(struct iommufd_vevent_ring *ring)
{
	static const char fn[] = "iommufd_vevent_ring_start";

	return ring ? ifd_pump_start(pump_of(ring), fn) : ifd_ring_null(fn);
}

int iommufd_vevent_ring_stop(struct iommufd_vevent_ring *ring)
{
	return ring ? ifd_pump_stop(pump_of(ring)) : ifd_ring_null("iommufd_vevent_ring_stop");
}

ssize_t iommufd_vevent_ring_take(struct iommufd_vevent_ring *ring, struct iommufd_vevent *events,
				 size_t max)
{
	static const char fn[] = "iommufd_vevent_ring_take";
	struct ifd_pump *pump = pump_of(ring);
	ssize_t ready;
	uint32_t n;

	if (!ring)
		return ifd_ring_null(fn);
	if (!events || !max)
		return ifd_fail(ifd_pump_ctx(pump), EINVAL, "%s: %s", fn,
				events ? "max is 0" : "events is NULL");
	ready = ifd_pump_ready(pump, fn);
	if (ready <= 0)
		return ready;
	n = (size_t)ready < max ? (uint32_t)ready : (uint32_t)max;
	ifd_ring_peek(ifd_pump_ring(pump), events, n);
	ifd_pump_taken(pump, n);
	return n;
}

int iommufd_vevent_ring_stats(const struct iommufd_vevent_ring *ring,
			      struct iommufd_ring_stats *stats)
{
	return ifd_ring_stats(pump_of(ring), "iommufd_vevent_ring_stats", stats);
}
