/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Page-request groups in an array of fault records.  The kernel copies a
 * group's records in a row, each with the group's cookie, LAST_PAGE on the
 * last one only (iommufd_fault_fops_read()).  The parser trusts none of
 * that: it is fed kernel bytes, and callers' arrays.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "fault_private.h"

static int check_args(const struct iommufd_fault *faults, size_t count, const size_t *pos,
		      const struct iommufd_fault_group *group, char *why)
{
	if (!faults || !pos || !group) {
		snprintf(why, IFD_WHY_LEN, "%s is NULL",
			 !faults ? "faults" : !pos ? "pos" : "group");
		return -EINVAL;
	}
	if (*pos > count) {
		snprintf(why, IFD_WHY_LEN, "pos %zu is past count %zu", *pos, count);
		return -EINVAL;
	}
	return 0;
}

int ifd_fault_group_parse(const struct iommufd_fault *faults, size_t count, size_t *pos,
			  struct iommufd_fault_group *group, char *why)
{
	int rc = check_args(faults, count, pos, group, why);
	size_t start, i;
	uint32_t cookie;

	if (rc || *pos == count)
		return rc;
	start = *pos;
	cookie = faults[start].cookie;
	if (!cookie) {
		snprintf(why, IFD_WHY_LEN, "record %zu has cookie 0, which the kernel never gives",
			 start);
		return -EPROTO;
	}
	for (i = start; i < count && !(faults[i].flags & IOMMUFD_FAULT_LAST_PAGE); i++) {
		if (faults[i].cookie != cookie)
			break;
	}
	if (i < count && faults[i].cookie != cookie) {
		snprintf(why, IFD_WHY_LEN, "record %zu has cookie %" PRIu32 " inside the group of "
			 "cookie %" PRIu32 " that began at record %zu (no LAST_PAGE before it)",
			 i, faults[i].cookie, cookie, start);
		return -EPROTO;
	}
	if (i == count) {
		snprintf(why, IFD_WHY_LEN, "the group of cookie %" PRIu32 " that began at record "
			 "%zu lacks its LAST_PAGE record", cookie, start);
		return -EPROTO;
	}
	if (i - start >= UINT32_MAX) {
		snprintf(why, IFD_WHY_LEN, "the group at record %zu has 2^32 records or more",
			 start);
		return -EPROTO;
	}
	group->faults = &faults[start];
	group->count = (uint32_t)(i - start + 1);
	group->cookie = cookie;
	*pos = i + 1;
	return 1;
}

int iommufd_fault_next_group(const struct iommufd_fault *faults, size_t count, size_t *pos,
			     struct iommufd_fault_group *group)
{
	char why[IFD_WHY_LEN];
	int rc = ifd_fault_group_parse(faults, count, pos, group, why);

	if (rc < 0)
		return ifd_fail(NULL, -rc, "iommufd_fault_next_group: %s", why);
	return rc;
}
