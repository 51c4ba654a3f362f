/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ring under the fault and vEVENT rings: a bounded single-producer /
 * single-consumer queue of fixed-size slots, lock free.  One thread pushes,
 * one thread pops; neither ever waits for the other.  Waking a sleeping
 * side is the caller's business (ring_pump.c): this file only orders the
 * slots against the indexes.
 *
 * Plain C types only, so the C++ unit tests can include it.
 */
#ifndef LIBIOMMUFD_RING_CORE_H
#define LIBIOMMUFD_RING_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IFD_HIDDEN
#define IFD_HIDDEN __attribute__((visibility("hidden")))
#endif

struct ifd_ring;

/* The largest capacity a ring may have (IOMMUFD_RING_MAX_CAPACITY). */
#define IFD_RING_MAX_CAPACITY (1u << 20)

/* @want rounded up to a power of two (at least 1); 0 when @want exceeds
 * IFD_RING_MAX_CAPACITY. */
IFD_HIDDEN uint32_t ifd_ring_round(uint32_t want);

/* A ring of ifd_ring_round(@capacity) slots of @slot_size bytes.
 * Return: 0, -EINVAL (@slot_size 0, @capacity 0 or too big), -ENOMEM. */
IFD_HIDDEN int ifd_ring_new(size_t slot_size, uint32_t capacity,
						       struct ifd_ring **ring);
IFD_HIDDEN void ifd_ring_free(struct ifd_ring *ring);
IFD_HIDDEN uint32_t ifd_ring_capacity(const struct ifd_ring *ring);

/* ---- the producer's side ------------------------------------------------ */

/* Free slots, as the producer sees them (never more than there are). */
IFD_HIDDEN uint32_t ifd_ring_room(struct ifd_ring *ring);
/* Copy up to @n records from @recs in and publish them (release).
 * Return: the records pushed, min(@n, room). */
IFD_HIDDEN uint32_t ifd_ring_push(struct ifd_ring *ring,
							     const void *recs, uint32_t n);
/* The consumer's position, freshly loaded: the producer compares two of
 * them to tell whether the consumer made room in between. */
IFD_HIDDEN uint32_t ifd_ring_head(const struct ifd_ring *ring);

/* ---- the consumer's side ------------------------------------------------ */

/* Records waiting, as the consumer sees them (never more than there are). */
IFD_HIDDEN uint32_t ifd_ring_ready(struct ifd_ring *ring);
/* The @i-th waiting record (@i < ifd_ring_ready()), in place. */
IFD_HIDDEN const void *ifd_ring_slot(const struct ifd_ring *ring,
								uint32_t i);
/* Copy the first @n waiting records (@n <= ifd_ring_ready()) to @dst
 * without taking them. */
IFD_HIDDEN void ifd_ring_peek(const struct ifd_ring *ring, void *dst,
							 uint32_t n);
/* Take the first @n waiting records (@n <= ifd_ring_ready()): their slots
 * go back to the producer (release). */
IFD_HIDDEN void ifd_ring_pop(struct ifd_ring *ring, uint32_t n);

/* ---- failure injection, for the unit tests (not thread safe) ----------- */

/* The Nth allocation / thread creation of the ring code from now fails
 * (1: the next one); 0: none. */
struct ifd_ring_inject {
	unsigned alloc_nth;
	unsigned thread_nth;
};
IFD_HIDDEN extern struct ifd_ring_inject ifd_ring_inject;
/* True when the countdown @nth reaches its mark now. */
IFD_HIDDEN int ifd_ring_injected(unsigned *nth);
/* Zeroed memory aligned to @align (a power of two), or NULL. */
IFD_HIDDEN void *ifd_ring_alloc(size_t align, size_t size);

#ifdef __cplusplus
}
#endif

#endif
