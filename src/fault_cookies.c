/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cookies a fault queue owes a response: a hash set with linear
 * probing and backward-shift deletion, at most half full, so a probe always
 * ends on a free slot.  Room is reserved before each read (the only time
 * the set grows), so recording what the kernel handed over cannot fail.
 * Cookies taken for a write count as used until settled: putting back the
 * ones the kernel did not take needs no room either.
 */
#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "fault_private.h"

#define MIN_SLOTS 16

static size_t home(const struct ifd_cookies *c, uint32_t cookie)
{
	return (size_t)(cookie * 0x9e3779b1u) & c->mask;
}

/* The slot holding @cookie, or the free slot where it would go. */
static size_t find(const struct ifd_cookies *c, uint32_t cookie)
{
	size_t i = home(c, cookie);

	while (c->slots[i] && c->slots[i] != cookie)
		i = (i + 1) & c->mask;
	return i;
}

/* Free slot @i, moving back any later entry of its run that may not stay
 * past the hole (its home is not cyclically in (i, j]). */
static void remove_at(struct ifd_cookies *c, size_t i)
{
	size_t j = i;

	for (;;) {
		c->slots[i] = 0;
		for (;;) {
			j = (j + 1) & c->mask;
			if (!c->slots[j])
				return;
			size_t k = home(c, c->slots[j]);
			if (i <= j ? (k <= i || k > j) : (k <= i && k > j))
				break;
		}
		c->slots[i] = c->slots[j];
		i = j;
	}
}

/* Insert @cookie; false if it was there. */
static bool insert(struct ifd_cookies *c, uint32_t cookie)
{
	size_t i = find(c, cookie);

	if (c->slots[i])
		return false;
	c->slots[i] = cookie;
	return true;
}

static int grow(struct ifd_cookies *c, size_t need)
{
	struct ifd_cookies bigger = { .mask = MIN_SLOTS - 1 };
	size_t old_slots = c->slots ? c->mask + 1 : 0;

	while (need > (bigger.mask + 1) / 2) {
		if (bigger.mask > SIZE_MAX / 4)
			return -ENOMEM;
		bigger.mask = bigger.mask * 2 + 1;
	}
	bigger.slots = ifd_calloc(bigger.mask + 1, sizeof(*bigger.slots));
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < old_slots; i++)
		if (c->slots[i])
			insert(&bigger, c->slots[i]);
	free(c->slots);
	c->slots = bigger.slots;
	c->mask = bigger.mask;
	return 0;
}

int ifd_cookies_init(struct ifd_cookies *c)
{
	c->slots = NULL;
	c->mask = 0;
	c->used = 0;
	atomic_init(&c->owed, 0);
	return -pthread_mutex_init(&c->lock, NULL);
}

void ifd_cookies_fini(struct ifd_cookies *c)
{
	pthread_mutex_destroy(&c->lock);
	free(c->slots);
	c->slots = NULL;
}

int ifd_cookies_reserve(struct ifd_cookies *c, size_t more)
{
	int rc = 0;

	pthread_mutex_lock(&c->lock);
	if (more > SIZE_MAX / 4 - c->used)
		rc = -ENOMEM;
	else if (!c->slots || c->used + more > (c->mask + 1) / 2)
		rc = grow(c, c->used + more);
	pthread_mutex_unlock(&c->lock);
	return rc;
}

void ifd_cookies_add_groups(struct ifd_cookies *c, const struct iommufd_fault *faults,
			    size_t count)
{
	size_t added = 0;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < count; i++)
		if ((faults[i].flags & IOMMUFD_FAULT_LAST_PAGE) && insert(c, faults[i].cookie))
			added++;
	c->used += added;
	atomic_fetch_add(&c->owed, added);
	pthread_mutex_unlock(&c->lock);
}

size_t ifd_cookies_take(struct ifd_cookies *c, const struct iommufd_fault_response *r,
			size_t count)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < count && c->slots; i++) {
		size_t at = find(c, r[i].cookie);

		if (!r[i].cookie || c->slots[at] != r[i].cookie)
			break;
		remove_at(c, at);
	}
	if (i < count) { /* all or none: put back what was taken */
		for (size_t j = 0; j < i; j++)
			insert(c, r[j].cookie);
	} else {
		atomic_fetch_sub(&c->owed, count);
	}
	pthread_mutex_unlock(&c->lock);
	return i;
}

void ifd_cookies_settle(struct ifd_cookies *c, const struct iommufd_fault_response *r,
			size_t taken, size_t done, size_t drop)
{
	size_t back = taken - done - drop;

	pthread_mutex_lock(&c->lock);
	for (size_t i = done + drop; i < taken; i++)
		insert(c, r[i].cookie);
	c->used -= done + drop;
	atomic_fetch_add(&c->owed, back);
	pthread_mutex_unlock(&c->lock);
}

size_t ifd_cookies_owed(const struct ifd_cookies *c)
{
	return atomic_load(&c->owed);
}
