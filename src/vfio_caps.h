/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The walker of VFIO capability chains: bytes the kernel wrote, read
 * without trusting them.  Plain C types only, so tests and fuzzers in C++
 * can include it.
 */
#ifndef LIBIOMMUFD_VFIO_CAPS_H
#define LIBIOMMUFD_VFIO_CAPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One capability: its header fields and the bytes up to the next one. */
struct ifd_vfio_cap {
	uint16_t id;
	uint16_t version;
	uint32_t offset;           /* in the buffer */
	const unsigned char *data; /* the capability, header included */
	size_t len;                /* bytes it may use: up to the next one or the end */
};

struct ifd_vfio_chain {
	const unsigned char *buf;
	size_t len;
	uint32_t min_offset; /* capabilities start after the info struct */
	uint32_t first;      /* offset of the first one; 0: no chain */
	char why[160];       /* what was wrong, for -EPROTO */
};

typedef int (*ifd_vfio_cap_fn)(void *arg, const struct ifd_vfio_cap *cap,
			       struct ifd_vfio_chain *chain);

/*
 * Calls @fn for each capability of @chain in chain order; returns 0, @fn's
 * first non-zero result, or -EPROTO with chain->why set when the chain is
 * malformed: an offset inside the info struct, not 8-byte aligned (the
 * kernel aligns every capability), a header past the end, or an offset not
 * beyond the previous capability's header (loops and overlaps: the kernel
 * appends capabilities, so offsets only grow).  Reads no byte outside
 * chain->buf[0 .. len).
 */
__attribute__((visibility("hidden"))) int ifd_vfio_caps_walk(struct ifd_vfio_chain *chain,
							     ifd_vfio_cap_fn fn, void *arg);

/* Fails a capability shorter than @need bytes: -EPROTO with chain->why. */
__attribute__((visibility("hidden"))) int ifd_vfio_cap_need(const struct ifd_vfio_cap *cap,
							    size_t need,
							    struct ifd_vfio_chain *chain);

#ifdef __cplusplus
}
#endif

#endif
