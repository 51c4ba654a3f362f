/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vEVENT parser (vevent_parse.c) behind iommufd_veventq_read().
 * Self-contained (no private.h), so tests and fuzzers in C++ include it. */
#ifndef LIBIOMMUFD_VEVENT_PRIVATE_H
#define LIBIOMMUFD_VEVENT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <libiommufd/veventq.h>

LIBIOMMUFD_BEGIN_DECLS

/* Room for the sentence the parser leaves. */
#define IFD_VEVENT_WHY_LEN 160

/* What the parser keeps between events (and reads) of one queue. */
struct ifd_vevent_parser {
	uint32_t expected; /* the sequence the next event should carry */
	uint32_t data_len; /* bytes of vendor data each normal event carries */
};

/*
 * The event at @buf[*@pos..@len) as the kernel wrote it (a header, then
 * @p->data_len bytes of vendor data unless it is the LOST_EVENTS header):
 * 1 (into @ev, *@pos past it, @p->expected moved on), 0 (*@pos >= @len),
 * or -EPROTO (@why, IFD_VEVENT_WHY_LEN bytes, says what; nothing changed).
 * Pure: touches nothing but its arguments.
 */
__attribute__((visibility("hidden"))) int
ifd_vevent_parse(struct ifd_vevent_parser *p, const void *buf, size_t len, size_t *pos,
		 struct iommufd_vevent *ev, char *why);

LIBIOMMUFD_END_DECLS

#endif
