/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pump under the fault and vEVENT rings: it reads a kernel queue into
 * an SPSC ring (ring_core.h), wakes the consumer through an eventfd, stops
 * reading while the ring is full, and runs either on the caller's loop or
 * on a thread of its own.  It knows nothing of faults or events: a ring
 * type gives it a read function and its record size.
 *
 * Plain C types only, so the C++ unit tests can drive it with a queue of
 * their own.
 */
#ifndef LIBIOMMUFD_RING_PUMP_H
#define LIBIOMMUFD_RING_PUMP_H

#include <sys/types.h>

#include "ring_core.h"

#ifdef __cplusplus
extern "C" {
#endif

struct iommufd_ctx;
struct ifd_pump;

/* What a ring type tells the pump. */
struct ifd_pump_ops {
	size_t slot_size;
	/* Move up to @max waiting records into @recs without blocking: their
	 * number, 0 (none), or -errno with a sentence recorded in the pump's
	 * context.  -EMSGSIZE: the next record (group) needs more than @max
	 * slots. */
	ssize_t (*read)(void *queue, void *recs, size_t max);
};

struct ifd_pump_stats {
	uint64_t pushed, taken, full, pump_reads, signals;
	uint32_t capacity;
};

/*
 * ifd_pump_new - a pump from @queue (readable through @queue_fd) into a
 * ring of ifd_ring_round(@capacity) records.  Failures are recorded in
 * @ctx under the name @fn.
 * Return: 0, -EINVAL (@capacity 0 or too big), -EMFILE/-ENFILE, -ENOMEM.
 */
IFD_HIDDEN int ifd_pump_new(const struct ifd_pump_ops *ops, void *queue, int queue_fd,
				struct iommufd_ctx *ctx, const char *fn, uint32_t capacity,
				struct ifd_pump **pump);
/* Stop the thread and free @pump (NULL allowed).  Drain the ring first
 * if its records need anything done. */
IFD_HIDDEN void ifd_pump_free(struct ifd_pump *pump);

IFD_HIDDEN int ifd_pump_eventfd(const struct ifd_pump *pump);
IFD_HIDDEN int ifd_pump_fd(const struct ifd_pump *pump);
IFD_HIDDEN struct ifd_ring *ifd_pump_ring(const struct ifd_pump *pump);
IFD_HIDDEN void *ifd_pump_queue(const struct ifd_pump *pump);
IFD_HIDDEN struct iommufd_ctx *ifd_pump_ctx(const struct ifd_pump *pump);

/* ---- the producer ------------------------------------------------------- */

/* One step of a caller-run pump: records moved, 0, or -errno (-EBUSY: the
 * thread runs; else the error that stops the pump for good). */
IFD_HIDDEN ssize_t ifd_pump_pump(struct ifd_pump *pump, const char *fn);
IFD_HIDDEN int ifd_pump_start(struct ifd_pump *pump, const char *fn);
IFD_HIDDEN int ifd_pump_stop(struct ifd_pump *pump);

/* ---- the consumer ------------------------------------------------------- */

/* Records the consumer may take now (in ifd_pump_ring()), 0 (empty: the
 * eventfd will say when that changes), or the error that stopped the pump
 * (once the ring is empty), re-recorded in the calling thread under @fn. */
IFD_HIDDEN ssize_t ifd_pump_ready(struct ifd_pump *pump, const char *fn);
/* The consumer has taken the first @n ready records: free their slots and
 * wake a pump waiting for room. */
IFD_HIDDEN void ifd_pump_taken(struct ifd_pump *pump, uint32_t n);

IFD_HIDDEN void ifd_pump_get_stats(const struct ifd_pump *pump, struct ifd_pump_stats *stats);
/* capacity * ops->slot_size bytes the pump uses only while it pumps: free
 * to use once it is stopped for good (a ring's last answers). */
IFD_HIDDEN void *ifd_pump_scratch(const struct ifd_pump *pump);

/* ---- what the public rings share (ring_opts.c) ------------------------- */

struct iommufd_ring_opts;
struct iommufd_ring_stats;

/* ifd_pump_new() as @opts say (NULL: the defaults), the thread started if
 * they ask for it.  Return: 0, or a negative errno with a sentence in
 * @ctx under @fn. */
IFD_HIDDEN int ifd_ring_open(const struct ifd_pump_ops *ops, void *queue, int queue_fd,
			     struct iommufd_ctx *ctx, const char *fn,
			     const struct iommufd_ring_opts *opts, struct ifd_pump **pump);
/* -EINVAL: "@fn: the ring is NULL". */
IFD_HIDDEN int ifd_ring_null(const char *fn);
/* The public stats of @pump into the caller's @stats, as far as its sz
 * reaches.  Return: 0 or -EINVAL. */
IFD_HIDDEN int ifd_ring_stats(const struct ifd_pump *pump, const char *fn,
			      struct iommufd_ring_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
