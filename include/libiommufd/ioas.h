/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* I/O address spaces (IOAS): the user-visible map of IOVA to memory. */
#ifndef LIBIOMMUFD_IOAS_H
#define LIBIOMMUFD_IOAS_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/* Flags of iommufd_ioas_map(), iommufd_ioas_map_file(), iommufd_ioas_copy(). */
enum iommufd_map_flag {
	IOMMUFD_MAP_FIXED_IOVA = 1u << 0, /* use *iova as given */
	IOMMUFD_MAP_WRITEABLE = 1u << 1,  /* devices may write */
	IOMMUFD_MAP_READABLE = 1u << 2,   /* devices may read */
};

/* An inclusive IOVA range [start, last]. */
struct iommufd_iova_range {
	uint64_t start;
	uint64_t last;
};

/*
 * iommufd_ioas_alloc - create an empty IOAS (IOMMU_IOAS_ALLOC).
 * @ioas_id: receives its ID.
 * Return: 0 or a negative errno (-ENOMEM).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_alloc(struct iommufd_ctx *ctx, uint32_t *ioas_id);

/*
 * iommufd_ioas_map - map user memory into an IOAS (IOMMU_IOAS_MAP).
 * @ioas_id: the IOAS.
 * @buf:     start of the user memory; need not be page aligned.
 * @length:  bytes, > 0.
 * @flags:   IOMMUFD_MAP_READABLE and/or IOMMUFD_MAP_WRITEABLE (at least
 *           one), optionally IOMMUFD_MAP_FIXED_IOVA.
 * @iova:    with FIXED_IOVA the IOVA to map at; otherwise receives the IOVA
 *           the kernel chose.
 *
 * The pages are pinned while mapped.
 *
 * Return: 0, or a negative errno: -EINVAL (no READABLE/WRITEABLE, zero
 * length, NULL pointer, IOVA not aligned to the IOAS alignment), -EOVERFLOW
 * (buf + length or iova + length wraps), -EOPNOTSUPP (unknown flag),
 * -EEXIST (FIXED_IOVA range already mapped), -ENOSPC (no free IOVA),
 * -ENOMEM (pinning limit), -ENOENT (no such IOAS).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_map(struct iommufd_ctx *ctx, uint32_t ioas_id,
				    void *buf, uint64_t length, uint32_t flags,
				    uint64_t *iova);

/*
 * iommufd_ioas_map_file - map part of a file (memfd, hugetlbfs...) into an
 * IOAS by fd and offset instead of by user address (IOMMU_IOAS_MAP_FILE).
 * @fd:    the file; it need not be mmapped.
 * @start: byte offset in the file.
 * @ioas_id, @length, @flags, @iova: as iommufd_ioas_map().
 *
 * Return: as iommufd_ioas_map(), plus -EBADF (bad @fd) and -EOPNOTSUPP
 * with "needs Linux 6.13" on older kernels.  Linux 6.13.
 */
LIBIOMMUFD_API int iommufd_ioas_map_file(struct iommufd_ctx *ctx,
					 uint32_t ioas_id, int fd,
					 uint64_t start, uint64_t length,
					 uint32_t flags, uint64_t *iova);

/*
 * iommufd_ioas_unmap - unmap every mapping of IOAS @ioas_id inside
 * [@iova, @iova + @length) (IOMMU_IOAS_UNMAP).
 * @unmapped: if not NULL, receives the number of bytes unmapped.
 *
 * The range need not be aligned, but a mapping that only partly overlaps
 * it cannot be split and fails the call; the kernel has then already
 * unmapped the mappings below that one.
 *
 * Return: 0, or a negative errno: -ENOENT (nothing mapped there, a mapping
 * crosses the range's edge, or no such IOAS), -EINVAL (zero length, or
 * iova 0 with length UINT64_MAX: use iommufd_ioas_unmap_all()), -EOVERFLOW
 * (iova + length wraps), -EBUSY (the range is held by an in-kernel object
 * such as a vIOMMU hardware queue; pins of emulated-device accesses are
 * released, not refused).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_unmap(struct iommufd_ctx *ctx, uint32_t ioas_id,
				      uint64_t iova, uint64_t length,
				      uint64_t *unmapped);

/*
 * iommufd_ioas_unmap_all - unmap everything in IOAS @ioas_id
 * (IOMMU_IOAS_UNMAP).
 * @unmapped: if not NULL, receives the number of bytes unmapped (0 when
 *            the IOAS was empty: that is not an error).
 * Return: 0 or a negative errno (-ENOENT: no such IOAS).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_unmap_all(struct iommufd_ctx *ctx,
					  uint32_t ioas_id, uint64_t *unmapped);

/*
 * iommufd_ioas_copy - map into @dst_ioas_id the same pages that back
 * [@src_iova, @src_iova + @length) of @src_ioas_id, without touching user
 * memory (IOMMU_IOAS_COPY).  The source range must be fully mapped.
 * @flags:    as iommufd_ioas_map(); FIXED_IOVA uses *dst_iova as given.
 * @dst_iova: in or out, as @iova of iommufd_ioas_map().
 * Return: as iommufd_ioas_map(); -ENOENT when the source range is not
 * fully mapped, -EPERM when WRITEABLE is asked of a read-only source.
 * Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_copy(struct iommufd_ctx *ctx,
				     uint32_t dst_ioas_id, uint32_t src_ioas_id,
				     uint64_t src_iova, uint64_t length,
				     uint32_t flags, uint64_t *dst_iova);

/*
 * iommufd_ioas_iova_ranges - the IOVA ranges usable for mapping in IOAS
 * @ioas_id now (IOMMU_IOAS_IOVA_RANGES).
 * @ranges:     receives up to @max_ranges ranges, lowest first; may be NULL
 *              when @max_ranges is 0.
 * @alignment:  if not NULL, receives the IOVA alignment every mapping of
 *              this IOAS must have.
 *
 * The ranges change when devices attach; the kernel's "buffer too small"
 * answer is handled inside, so the result is always one consistent set.
 *
 * Return: the total number of ranges (which may exceed @max_ranges, as
 * snprintf does), or a negative errno (-ENOENT: no such IOAS).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_iova_ranges(struct iommufd_ctx *ctx,
					    uint32_t ioas_id,
					    struct iommufd_iova_range *ranges,
					    size_t max_ranges,
					    uint64_t *alignment);

/*
 * iommufd_ioas_allow_iovas - restrict IOAS @ioas_id to the @count ranges
 * at @ranges: devices whose reserved regions intersect them cannot attach,
 * and IOVAs the kernel picks stay inside them (fixed-IOVA mappings are not
 * restricted) (IOMMU_IOAS_ALLOW_IOVAS).  @count == 0 removes the restriction.
 * Return: 0, or a negative errno: -EINVAL (ranges overlap, start >= last),
 * -EADDRINUSE (a reserved region of an attached device intersects them),
 * -ENOENT.  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ioas_allow_iovas(struct iommufd_ctx *ctx,
					    uint32_t ioas_id,
					    const struct iommufd_iova_range *ranges,
					    size_t count);

/*
 * iommufd_ioas_change_process - move the accounting and the pins of every
 * file-backed mapping (iommufd_ioas_map_file()) of every IOAS of this
 * context to the calling process (IOMMU_IOAS_CHANGE_PROCESS), as after a
 * live update hands the iommufd to a new process.
 * Return: 0, or a negative errno: -EINVAL (a mapping is not file-backed),
 * -EOPNOTSUPP with "needs Linux 6.14" on older kernels.  Linux 6.14.
 */
LIBIOMMUFD_API int iommufd_ioas_change_process(struct iommufd_ctx *ctx);

/* Options of iommufd_option_get/set (IOMMU_OPTION). */
enum iommufd_option_id {
	/* object_id 0: 0 = account pins per user (default), 1 = per process */
	IOMMUFD_OPTION_RLIMIT_MODE = 0,
	/* object_id an IOAS: 1 = allow huge IOMMU pages (default), 0 = not */
	IOMMUFD_OPTION_HUGE_PAGES = 1,
};

/*
 * iommufd_option_get / iommufd_option_set - read (into *@value) or change
 * (to @value) option @option_id (enum iommufd_option_id) of the context
 * (@object_id 0) or of object @object_id (IOMMU_OPTION).
 * Return: 0, or a negative errno: -EOPNOTSUPP (unknown option), -EINVAL
 * (bad value), -EPERM (RLIMIT_MODE needs CAP_SYS_RESOURCE), -EBUSY
 * (RLIMIT_MODE once the context has any object), -ENOENT (no such object).
 * Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_option_get(struct iommufd_ctx *ctx, uint32_t option_id,
				      uint32_t object_id, uint64_t *value);
LIBIOMMUFD_API int iommufd_option_set(struct iommufd_ctx *ctx, uint32_t option_id,
				      uint32_t object_id, uint64_t value);

/*
 * iommufd_vfio_ioas_get / _set / _clear - the IOAS that the legacy VFIO
 * container API of this iommufd (/dev/vfio/vfio emulation) uses
 * (IOMMU_VFIO_IOAS): _get reads it into *@ioas_id, _set makes it
 * @ioas_id, _clear unsets it.
 * Return: 0, or a negative errno: -ENODEV (_get: none is set), -ENOENT
 * (_set: no such IOAS).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_vfio_ioas_get(struct iommufd_ctx *ctx, uint32_t *ioas_id);
LIBIOMMUFD_API int iommufd_vfio_ioas_set(struct iommufd_ctx *ctx, uint32_t ioas_id);
LIBIOMMUFD_API int iommufd_vfio_ioas_clear(struct iommufd_ctx *ctx);

LIBIOMMUFD_END_DECLS

#endif
