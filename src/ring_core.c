/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A single-producer / single-consumer ring of fixed-size slots.
 *
 * head and tail run freely over 32 bits (capacity is a power of two far
 * below 2^32, so tail - head is always the fill level, across the wrap).
 * The producer alone writes tail, the consumer alone writes head; each
 * publishes with a release store and reads the other's index with an
 * acquire load, which orders the slot contents:
 *
 *   producer: write slots, store tail (release)
 *   consumer: load tail (acquire), read slots, store head (release)
 *   producer: load head (acquire), overwrite the freed slots
 *
 * Records move in batches (one call per pump read, one per take), so each
 * call simply loads the other side's index; the two indexes, and the
 * read-mostly geometry, sit on separate cache lines so that the sides do
 * not bounce one line between them.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ring_core.h"

#define CACHE_LINE 64

/* Like jiffies, the indexes start just short of their wrap, so every ring
 * that moves a few thousand records has crossed it: a bug in the
 * arithmetic over the wrap shows in the first test, not after 2^32
 * records. */
#define INDEX_START (0u - 1000u)

struct ifd_ring {
	/* written by the producer */
	_Alignas(CACHE_LINE) _Atomic uint32_t tail;
	/* written by the consumer */
	_Alignas(CACHE_LINE) _Atomic uint32_t head;
	/* read only after creation */
	_Alignas(CACHE_LINE) uint32_t mask;
	size_t slot_size;
	unsigned char *slots;
};

struct ifd_ring_inject ifd_ring_inject;

int ifd_ring_injected(unsigned *nth)
{
	return *nth && !--*nth;
}

void *ifd_ring_alloc(size_t align, size_t size)
{
	void *p;

	if (ifd_ring_injected(&ifd_ring_inject.alloc_nth))
		return NULL;
	/* aligned_alloc() wants a multiple of the alignment. */
	size = (size + align - 1) & ~(align - 1);
	p = ifd_aligned_alloc(align, size);
	if (p)
		memset(p, 0, size);
	return p;
}

uint32_t ifd_ring_round(uint32_t want)
{
	uint32_t cap = 1;

	if (want > IFD_RING_MAX_CAPACITY)
		return 0;
	while (cap < want)
		cap <<= 1;
	return cap;
}

int ifd_ring_new(size_t slot_size, uint32_t capacity, struct ifd_ring **ring)
{
	uint32_t cap = capacity ? ifd_ring_round(capacity) : 0;
	struct ifd_ring *r;

	*ring = NULL;
	if (!slot_size || !cap || slot_size > SIZE_MAX / 2 / cap)
		return -EINVAL;
	r = ifd_ring_alloc(CACHE_LINE, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = ifd_ring_alloc(CACHE_LINE, slot_size * cap);
	if (!r->slots) {
		free(r);
		return -ENOMEM;
	}
	r->mask = cap - 1;
	r->slot_size = slot_size;
	atomic_init(&r->tail, INDEX_START);
	atomic_init(&r->head, INDEX_START);
	*ring = r;
	return 0;
}

void ifd_ring_free(struct ifd_ring *ring)
{
	if (!ring)
		return;
	free(ring->slots);
	free(ring);
}

uint32_t ifd_ring_capacity(const struct ifd_ring *ring)
{
	return ring->mask + 1;
}

/* Where index @at lives, and how many of @n slots from it fit before the
 * end of the slot array (the rest wrap to its start). */
static unsigned char *slot_run(const struct ifd_ring *r, uint32_t at, uint32_t n, size_t *bytes1)
{
	uint32_t first = at & r->mask;
	uint32_t n1 = n < r->mask + 1 - first ? n : r->mask + 1 - first;

	*bytes1 = (size_t)n1 * r->slot_size;
	return r->slots + (size_t)first * r->slot_size;
}

uint32_t ifd_ring_room(struct ifd_ring *ring)
{
	uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);

	return ring->mask + 1 - (tail - atomic_load_explicit(&ring->head, memory_order_acquire));
}

uint32_t ifd_ring_push(struct ifd_ring *ring, const void *recs, uint32_t n)
{
	uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
	uint32_t room = ifd_ring_room(ring);
	size_t bytes = 0, bytes1 = 0;
	unsigned char *slot;

	if (n > room)
		n = room;
	if (!n)
		return 0;
	bytes = (size_t)n * ring->slot_size;
	slot = slot_run(ring, tail, n, &bytes1);
	memcpy(slot, recs, bytes1);
	memcpy(ring->slots, (const unsigned char *)recs + bytes1, bytes - bytes1);
	atomic_store_explicit(&ring->tail, tail + n, memory_order_release);
	return n;
}

uint32_t ifd_ring_head(const struct ifd_ring *ring)
{
	return atomic_load_explicit(&ring->head, memory_order_acquire);
}

uint32_t ifd_ring_ready(struct ifd_ring *ring)
{
	uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);

	return atomic_load_explicit(&ring->tail, memory_order_acquire) - head;
}

const void *ifd_ring_slot(const struct ifd_ring *ring, uint32_t i)
{
	uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);

	return ring->slots + (size_t)((head + i) & ring->mask) * ring->slot_size;
}

void ifd_ring_peek(const struct ifd_ring *ring, void *dst, uint32_t n)
{
	uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
	size_t bytes = (size_t)n * ring->slot_size, bytes1 = 0;
	const unsigned char *slot = slot_run(ring, head, n, &bytes1);

	memcpy(dst, slot, bytes1);
	memcpy((unsigned char *)dst + bytes1, ring->slots, bytes - bytes1);
}

void ifd_ring_pop(struct ifd_ring *ring, uint32_t n)
{
	uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);

	atomic_store_explicit(&ring->head, head + n, memory_order_release);
}
