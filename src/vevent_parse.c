/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parsing what a vEVENTQ read returns, and counting what was lost.
 *
 * Kernel facts (iommufd_viommu_report_event(), iommufd_vevent_handler()):
 * every event gets the next sequence number, (seq + 1) & INT_MAX from 0,
 * also one the kernel drops because the queue is full or memory is short.
 * A drop puts the queue's LOST_EVENTS header (a header with no data) at
 * the tail carrying the dropped event's number; a later event that is
 * queued removes that header again if it is still the last entry.  So a
 * LOST_EVENTS record numbered L means every number from the expected one
 * to L was dropped, and a normal event numbered S says S - expected were.
 * The header carries no length: each event of a type has its type's size.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "private.h"
#include "vevent_private.h"

#define HDR sizeof(struct uapi_vevent_header)

_Static_assert(IOMMUFD_VEVENT_LOST == UAPI_VEVENTQ_FLAG_LOST_EVENTS, "flag");
_Static_assert(IOMMUFD_VEVENT_DATA_MAX % 8 == 0, "data stays 8-byte aligned");

int ifd_vevent_parse(struct ifd_vevent_parser *p, const void *buf, size_t len, size_t *pos,
		     struct iommufd_vevent *ev, char *why)
{
	const unsigned char *at;
	struct uapi_vevent_header h;
	size_t left;

	if (*pos >= len)
		return 0;
	at = (const unsigned char *)buf + *pos;
	left = len - *pos;
	if (left < HDR) {
		snprintf(why, IFD_VEVENT_WHY_LEN, "%zu bytes at byte %zu are less than a header",
			 left, *pos);
		return -EPROTO;
	}
	memcpy(&h, at, HDR);
	if (h.flags & ~UAPI_VEVENTQ_FLAG_LOST_EVENTS) {
		snprintf(why, IFD_VEVENT_WHY_LEN, "the header at byte %zu has unknown flags 0x%"
			 PRIx32, *pos, h.flags);
		return -EPROTO;
	}
	if (h.sequence > INT_MAX) {
		snprintf(why, IFD_VEVENT_WHY_LEN, "the header at byte %zu has sequence 0x%" PRIx32
			 ", past 31 bits", *pos, h.sequence);
		return -EPROTO;
	}
	const bool lost = h.flags & UAPI_VEVENTQ_FLAG_LOST_EVENTS;
	const size_t data = lost ? 0 : p->data_len;
	if (left - HDR < data) {
		snprintf(why, IFD_VEVENT_WHY_LEN, "the event at byte %zu is cut short: %zu of its %zu "
			 "data bytes", *pos, left - HDR, data);
		return -EPROTO;
	}
	memset(ev, 0, sizeof(*ev));
	ev->flags = lost ? IOMMUFD_VEVENT_LOST : 0;
	ev->sequence = h.sequence;
	ev->lost = ((h.sequence - p->expected) & INT_MAX) + lost;
	ev->data_len = (uint32_t)data;
	if (data > IOMMUFD_VEVENT_DATA_MAX)
		ev->flags |= IOMMUFD_VEVENT_TRUNCATED;
	memcpy(ev->data, at + HDR, data < IOMMUFD_VEVENT_DATA_MAX ? data : IOMMUFD_VEVENT_DATA_MAX);
	p->expected = (h.sequence + 1) & INT_MAX;
	*pos += HDR + data;
	return 1;
}
