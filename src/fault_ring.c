/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fault ring: the pump (ring_pump.c) over a fault queue, handing page
 * requests to the consumer in whole groups, and answering on free the
 * groups nobody took.  A struct iommufd_fault_ring is the pump itself,
 * under the type the public API gives it.
 *
 * The ring holds whole groups only: the pump reads the queue into free
 * slots, and the queue's read hands over whole groups (ending on a
 * LAST_PAGE record) or none.  So a take() of everything waiting ends on a
 * group boundary by itself; a take() of less is cut back to the last
 * LAST_PAGE record that fits.
 */
#include <errno.h>

#include <libiommufd/ring.h>

#include "eventq_private.h"
#include "ring_core.h"
#include "ring_pump.h"

static struct ifd_pump *pump_of(const struct iommufd_fault_ring *ring)
{
	return (struct ifd_pump *)ring;
}

static ssize_t fault_read(void *queue, void *recs, size_t max)
{
	return iommufd_fault_queue_read(queue, recs, max);
}

static const struct ifd_pump_ops fault_ops = {
	.slot_size = sizeof(struct iommufd_fault),
	.read = fault_read,
};

int iommufd_fault_ring_new(struct iommufd_fault_queue *queue, const struct iommufd_ring_opts *opts,
			   struct iommufd_fault_ring **ring)
{
	static const char fn[] = "iommufd_fault_ring_new";
	struct ifd_pump *pump = NULL;
	struct iommufd_ctx *ctx;
	int rc;

	if (!queue)
		return ifd_fail(NULL, EINVAL, "%s: the queue is NULL", fn);
	ctx = ifd_fault_queue_ctx(queue);
	rc = ifd_check_out(ctx, ring, fn, "ring");
	if (!rc)
		rc = ifd_ring_open(&fault_ops, queue, iommufd_fault_queue_fd(queue), ctx, fn, opts,
				   &pump);
	if (ring)
		*ring = (struct iommufd_fault_ring *)pump;
	return rc;
}

/* Answer INVALID every group left in the ring (the pump stopped): one
 * write for them all.  The staging area, idle now, holds the answers: the
 * ring has at most one group per slot, and a slot is larger than an
 * answer. */
static ssize_t answer_left(struct ifd_pump *pump)
{
	struct ifd_ring *ring = ifd_pump_ring(pump);
	struct iommufd_fault_response *answers = ifd_pump_scratch(pump);
	uint32_t n = ifd_ring_ready(ring);
	size_t groups = 0;

	_Static_assert(sizeof(*answers) <= sizeof(struct iommufd_fault), "one answer per slot");
	for (uint32_t i = 0; i < n; i++) {
		const struct iommufd_fault *f = ifd_ring_slot(ring, i);

		if (f->flags & IOMMUFD_FAULT_LAST_PAGE)
			answers[groups++] = (struct iommufd_fault_response){
				.cookie = f->cookie,
				.code = IOMMUFD_FAULT_RESP_INVALID,
			};
	}
	if (!groups)
		return 0;
	return iommufd_fault_queue_respond_batch(ifd_pump_queue(pump), answers, groups);
}

ssize_t iommufd_fault_ring_free(struct iommufd_fault_ring *ring)
{
	ssize_t rc;

	if (!ring)
		return 0;
	ifd_pump_stop(pump_of(ring));
	rc = answer_left(pump_of(ring));
	ifd_pump_free(pump_of(ring));
	return rc;
}

int iommufd_fault_ring_eventfd(const struct iommufd_fault_ring *ring)
{
	return ring ? ifd_pump_eventfd(pump_of(ring)) : -EINVAL;
}

int iommufd_fault_ring_pump_fd(const struct iommufd_fault_ring *ring)
{
	return ring ? ifd_pump_fd(pump_of(ring)) : -EINVAL;
}

ssize_t iommufd_fault_ring_pump(struct iommufd_fault_ring *ring)
{
	static const char fn[] = "iommufd_fault_ring_pump";

	return ring ? ifd_pump_pump(pump_of(ring), fn) : ifd_ring_null(fn);
}

int iommufd_fault_ring_start(struct iommufd_fault_ring *ring)
{
	static const char fn[] = "iommufd_fault_ring_start";

	return ring ? ifd_pump_start(pump_of(ring), fn) : ifd_ring_null(fn);
}

int iommufd_fault_ring_stop(struct iommufd_fault_ring *ring)
{
	return ring ? ifd_pump_stop(pump_of(ring)) : ifd_ring_null("iommufd_fault_ring_stop");
}

static bool last_page(const struct ifd_ring *ring, uint32_t i)
{
	return ((const struct iommufd_fault *)ifd_ring_slot(ring, i))->flags &
	       IOMMUFD_FAULT_LAST_PAGE;
}

/* How many of the @ready records to take into @max slots: all when they
 * fit (the ring ends on a group), else up to the last group that fits;
 * 0 when not even the first one does. */
static uint32_t whole_groups(const struct ifd_ring *ring, uint32_t ready, size_t max)
{
	uint32_t n = (uint32_t)max;

	if (ready <= max)
		return ready;
	while (n && !last_page(ring, n - 1))
		n--;
	return n;
}

static uint32_t first_group_size(const struct ifd_ring *ring, uint32_t ready)
{
	uint32_t n = 1;

	while (n < ready && !last_page(ring, n - 1))
		n++;
	return n;
}

ssize_t iommufd_fault_ring_take(struct iommufd_fault_ring *ring, struct iommufd_fault *faults,
				size_t max)
{
	static const char fn[] = "iommufd_fault_ring_take";
	struct ifd_pump *pump = pump_of(ring);
	struct ifd_ring *r;
	ssize_t ready;
	uint32_t n;

	if (!ring)
		return ifd_ring_null(fn);
	if (!faults || !max)
		return ifd_fail(ifd_pump_ctx(pump), EINVAL, "%s: %s", fn,
				faults ? "max is 0" : "faults is NULL");
	ready = ifd_pump_ready(pump, fn);
	if (ready <= 0)
		return ready;
	r = ifd_pump_ring(pump);
	n = whole_groups(r, (uint32_t)ready, max);
	if (!n)
		return ifd_fail(ifd_pump_ctx(pump), EMSGSIZE, "%s: the next group has %u records, "
				"more than max %zu; take again with a bigger array (it stays in "
				"the ring)", fn, first_group_size(r, (uint32_t)ready), max);
	ifd_ring_peek(r, faults, n);
	ifd_pump_taken(pump, n);
	return n;
}

int iommufd_fault_ring_stats(const struct iommufd_fault_ring *ring,
			     struct iommufd_ring_stats *stats)
{
	return ifd_ring_stats(pump_of(ring), "iommufd_fault_ring_stats", stats);
}
