/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every fuzzer shares: a reader that takes typed values off the front
 * of the fuzz input (zeros once it runs dry, so every input is valid), and
 * FZ_CHECK, which turns a broken invariant into a crash libFuzzer keeps.
 */
#ifndef LIBIOMMUFD_FUZZ_H
#define LIBIOMMUFD_FUZZ_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libiommufd/libiommufd.h>

struct fz {
	const uint8_t *p;
	size_t n;
};

/* Copies up to @len bytes into @dst, zero-filling what the input lacks;
 * returns the bytes that came from the input. */
static inline size_t fz_take(struct fz *f, void *dst, size_t len)
{
	size_t got = len < f->n ? len : f->n;

	memcpy(dst, f->p, got);
	memset((unsigned char *)dst + got, 0, len - got);
	f->p += got;
	f->n -= got;
	return got;
}

static inline uint8_t fz_u8(struct fz *f)
{
	uint8_t v;

	fz_take(f, &v, sizeof(v));
	return v;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t v;

	fz_take(f, &v, sizeof(v));
	return v;
}

static inline uint32_t fz_u32(struct fz *f)
{
	uint32_t v;

	fz_take(f, &v, sizeof(v));
	return v;
}

static inline uint64_t fz_u64(struct fz *f)
{
	uint64_t v;

	fz_take(f, &v, sizeof(v));
	return v;
}

/* A heap copy of exactly the next @len input bytes (fewer if it runs dry,
 * *@len updated), so ASan sees any read past them.  malloc(0) is avoided. */
static inline uint8_t *fz_dup(struct fz *f, size_t *len)
{
	uint8_t *buf;

	if (*len > f->n)
		*len = f->n;
	buf = malloc(*len ? *len : 1);
	if (!buf)
		abort();
	fz_take(f, buf, *len);
	return buf;
}

#define FZ_CHECK(cond, ...)                                                              \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, \
				#cond);                                                  \
			fprintf(stderr, __VA_ARGS__);                                    \
			fputc('\n', stderr);                                             \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* A sentence a parser or the library left: non-empty and NUL-terminated
 * inside its @cap bytes. */
static inline bool fz_sentence(const char *s, size_t cap)
{
	return s[0] && memchr(s, '\0', cap);
}

/*
 * Every failure leaves a sentence.  fz_mark_error() records a sentence no
 * call under test can produce; after a call that failed,
 * fz_error_was_recorded() says whether it replaced that sentence.
 */
static inline void fz_mark_error(void)
{
	struct iommufd_fault_group g;

	/* "iommufd_fault_next_group: faults is NULL" */
	iommufd_fault_next_group(NULL, 0, NULL, &g);
}

static inline bool fz_error_was_recorded(void)
{
	const char *msg = iommufd_ctx_last_error(NULL);

	return msg[0] && strcmp(msg, "iommufd_fault_next_group: faults is NULL") != 0;
}

#endif
