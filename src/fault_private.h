/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inside the fault queue (fault_queue.c): the group parser (fault_group.c)
 * and the set of cookies owed a response (fault_cookies.c). */
#ifndef LIBIOMMUFD_FAULT_PRIVATE_H
#define LIBIOMMUFD_FAULT_PRIVATE_H

#include <libiommufd/fault.h>

#include "private.h"

/* Room for the sentence a parser leaves. */
#define IFD_WHY_LEN 160

/*
 * The group of @faults[0..@count) that starts at *@pos, as
 * iommufd_fault_next_group() documents, and also refusing a cookie of 0
 * (the kernel's cookies start at 1).  Pure: touches nothing but its
 * arguments; on -EPROTO/-EINVAL @why (IFD_WHY_LEN bytes) says what is wrong.
 */
IFD_HIDDEN int ifd_fault_group_parse(const struct iommufd_fault *faults, size_t count,
				     size_t *pos, struct iommufd_fault_group *group, char *why);

/*
 * The cookies of the groups read and not answered yet: an open-addressing
 * hash set (0 marks a free slot; the kernel's cookies start at 1).  Its
 * lock lets a reader and responders on other threads share it, once per
 * batch.  One thread adds (the reader); any thread takes.
 */
struct ifd_cookies {
	pthread_mutex_t lock;
	uint32_t *slots;
	size_t mask;         /* slots - 1, a power of two less one; 0: no table */
	size_t used;         /* cookies in the table + taken, their fate unknown */
	_Atomic size_t owed; /* cookies in the table */
};

IFD_HIDDEN int ifd_cookies_init(struct ifd_cookies *c);
IFD_HIDDEN void ifd_cookies_fini(struct ifd_cookies *c);
/* Room for @more cookies, so adding them after a read cannot fail. */
IFD_HIDDEN int ifd_cookies_reserve(struct ifd_cookies *c, size_t more);
/* Add the cookie of each group in @faults (its LAST_PAGE record); a
 * cookie owed already stays owed once (the kernel reuses the cookie of a
 * group it answered itself).  Needs the room reserved. */
IFD_HIDDEN void ifd_cookies_add_groups(struct ifd_cookies *c, const struct iommufd_fault *faults,
				       size_t count);
/* Take the cookies of @r[0..@count) out, all or none: @count when taken,
 * else the index of the first not owed (or named twice). */
IFD_HIDDEN size_t ifd_cookies_take(struct ifd_cookies *c, const struct iommufd_fault_response *r,
				   size_t count);
/* What became of @taken cookies taken: the kernel took the first @done,
 * @drop after them it did not know (0 or 1), the rest are owed again. */
IFD_HIDDEN void ifd_cookies_settle(struct ifd_cookies *c, const struct iommufd_fault_response *r,
				   size_t taken, size_t done, size_t drop);
IFD_HIDDEN size_t ifd_cookies_owed(const struct ifd_cookies *c);

#endif
