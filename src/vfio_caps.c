/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VFIO capability chains.  A chain is a list of headers {id, version, next}
 * linked by offsets from the start of the info buffer; next 0 ends it.  The
 * kernel builds it by appending 8-byte aligned capabilities after the info
 * struct, so a well-formed chain has strictly growing offsets.  Everything
 * here treats the bytes as hostile: no read outside the buffer, no
 * unaligned access (memcpy), and no way to loop.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "uapi/vfio_abi.h"
#include "vfio_caps.h"

#define CAP_ALIGN 8
#define HDR_SIZE sizeof(struct uapi_vfio_info_cap_header)

static int chain_error(struct ifd_vfio_chain *chain, const char *what, uint32_t offset)
{
	snprintf(chain->why, sizeof(chain->why), "capability at offset %u %s", offset, what);
	return -EPROTO;
}

/* Is a capability header allowed at @offset, after one at @prev (0: none)? */
static int check_offset(struct ifd_vfio_chain *chain, uint32_t offset, uint32_t prev)
{
	if (offset < chain->min_offset)
		return chain_error(chain, "lies inside the info struct", offset);
	if (offset % CAP_ALIGN)
		return chain_error(chain, "is not 8-byte aligned", offset);
	if (offset > chain->len || chain->len - offset < HDR_SIZE)
		return chain_error(chain, "runs past the end of the reply", offset);
	if (prev && offset < prev + HDR_SIZE)
		return chain_error(chain, "does not follow the previous one (loop or overlap)",
				   offset);
	return 0;
}

int ifd_vfio_caps_walk(struct ifd_vfio_chain *chain, ifd_vfio_cap_fn fn, void *arg)
{
	uint32_t offset = chain->first;
	int rc;

	chain->why[0] = '\0';
	rc = offset ? check_offset(chain, offset, 0) : 0;
	while (!rc && offset) {
		struct uapi_vfio_info_cap_header hdr;
		struct ifd_vfio_cap cap;

		memcpy(&hdr, chain->buf + offset, HDR_SIZE);
		/* The next link is checked before this capability is decoded,
		 * so a decoder never sees bytes another capability owns. */
		if (hdr.next) {
			rc = check_offset(chain, hdr.next, offset);
			if (rc)
				break;
		}
		cap.id = hdr.id;
		cap.version = hdr.version;
		cap.offset = offset;
		cap.data = chain->buf + offset;
		cap.len = (hdr.next ? hdr.next : chain->len) - offset;
		rc = fn(arg, &cap, chain);
		offset = hdr.next;
	}
	return rc;
}

int ifd_vfio_cap_need(const struct ifd_vfio_cap *cap, size_t need, struct ifd_vfio_chain *chain)
{
	if (cap->len >= need)
		return 0;
	snprintf(chain->why, sizeof(chain->why),
		 "capability %u at offset %u is truncated (%zu bytes, needs %zu)", cap->id,
		 cap->offset, cap->len, need);
	return -EPROTO;
}
