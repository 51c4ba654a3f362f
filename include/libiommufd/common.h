/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared building blocks of the libiommufd public headers. */
#ifndef LIBIOMMUFD_COMMON_H
#define LIBIOMMUFD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
#define LIBIOMMUFD_BEGIN_DECLS extern "C" {
#define LIBIOMMUFD_END_DECLS }
#else
#define LIBIOMMUFD_BEGIN_DECLS
#define LIBIOMMUFD_END_DECLS
#endif

#define LIBIOMMUFD_API __attribute__((visibility("default")))

#define LIBIOMMUFD_VERSION_MAJOR 0
#define LIBIOMMUFD_VERSION_MINOR 1
#define LIBIOMMUFD_VERSION_PATCH 0

/*
 * IOMMUFD_OPTS - declare and fill an options struct.
 *
 * Every options struct starts with `size_t sz`.  This macro zeroes the whole
 * struct (padding included), sets sz to the size the caller was compiled
 * with, and applies the designated initialisers given:
 *
 *	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = "/dev/iommu");
 *
 * The library reads only the fields that sz covers, so an old program runs
 * against a newer library; a newer program running against an older library
 * gets -E2BIG if it set a field that library does not know.
 */
#define IOMMUFD_OPTS(TYPE, NAME, ...)                                   \
	struct TYPE NAME = ({                                           \
		memset(&NAME, 0, sizeof(struct TYPE));                  \
		(struct TYPE){ .sz = sizeof(struct TYPE), __VA_ARGS__ }; \
	})

/* A Linux release as one number: IOMMUFD_KVER(6, 11) == 0x060b. */
#define IOMMUFD_KVER(major, minor) (((major) << 8) | (minor))
#define IOMMUFD_KVER_MAJOR(v) ((unsigned)(v) >> 8)
#define IOMMUFD_KVER_MINOR(v) ((unsigned)(v) & 0xff)

#endif
