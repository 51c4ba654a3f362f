/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Dirty tracking: switch it on and off, and read the dirty bitmap.
 *
 * Kernel facts the reader follows (iova_bitmap.c, io_pagetable.c): the
 * bitmap is an array of 64-bit words that the kernel only ORs bits into,
 * with read-modify-writes of whole words; iova and iova + length must be
 * multiples of page_size and of the IOAS's IOVA alignment; a NULL or
 * unwritable bitmap is not reported (the bits are silently lost); the IOAS's
 * iova_rwsem is held (shared) for the whole walk.  So the library checks the
 * arguments itself and zeroes the words it owns; one ioctl reads the whole
 * range, or, with IOMMUFD_DIRTY_CHUNKED, each chunk (starting on a word) is
 * one ioctl, so writers of the IOAS wait for a chunk at most.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/hwpt.h>

#include "private.h"

#define DIRTY_FLAGS_KNOWN (IOMMUFD_DIRTY_NO_CLEAR | IOMMUFD_DIRTY_MERGE | IOMMUFD_DIRTY_CHUNKED)

_Static_assert(IOMMUFD_DIRTY_NO_CLEAR == UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR, "flag");
_Static_assert(IOMMUFD_DIRTY_CHUNK_PAGES % 64 == 0, "chunks start on a bitmap word");

static int explain_hwpt_error(struct iommufd_ctx *ctx, int rc, const char *cmd, uint32_t hwpt_id,
			      const char *after)
{
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: HWPT %" PRIu32 " does not exist or is not a "
				"paging HWPT%s", cmd, hwpt_id, after);
	if (rc == -EOPNOTSUPP)
		return ifd_fail(ctx, EOPNOTSUPP, "%s: HWPT %" PRIu32 " does not track dirty pages "
				"(allocate it with IOMMUFD_HWPT_DIRTY_TRACKING)%s", cmd, hwpt_id,
				after);
	return ifd_fail(ctx, -rc, "%s of HWPT %" PRIu32 " failed: %s%s", cmd, hwpt_id,
			strerror(-rc), after);
}

int iommufd_hwpt_set_dirty_tracking(struct iommufd_ctx *ctx, uint32_t hwpt_id, int enable)
{
	struct uapi_hwpt_set_dirty_tracking cmd = {
		.flags = enable ? UAPI_HWPT_DIRTY_TRACKING_ENABLE : 0,
		.hwpt_id = hwpt_id,
	};
	bool ran = false;
	int rc = ifd_check_ctx(ctx, "iommufd_hwpt_set_dirty_tracking");

	if (!rc)
		rc = ifd_cmd_ran(ctx, UAPI_CMD_HWPT_SET_DIRTY_TRACKING, &cmd, &ran);
	if (rc && ran)
		return explain_hwpt_error(ctx, rc, "IOMMU_HWPT_SET_DIRTY_TRACKING", hwpt_id, "");
	return rc;
}

/* One read of the dirty bitmap, in one piece or in chunks. */
struct dirty_walk {
	uint32_t hwpt_id;
	uint64_t iova;
	uint64_t page_size;
	uint64_t npages;
	uint64_t *words;
	uint32_t flags;
};

static uint64_t words_for(uint64_t pages)
{
	return pages / 64 + (pages % 64 != 0);
}

static int check_dirty_args(struct iommufd_ctx *ctx, const char *fn, uint64_t iova,
			    uint64_t length, uint64_t page_size, const void *bitmap,
			    size_t bitmap_len, uint32_t flags)
{
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_flags(ctx, fn, flags, DIRTY_FLAGS_KNOWN);
	if (!rc)
		rc = ifd_check_out(ctx, bitmap, fn, "bitmap");
	if (rc)
		return rc;
	if (!page_size || (page_size & (page_size - 1)))
		return ifd_fail(ctx, EINVAL, "%s: page_size 0x%" PRIx64 " is not a power of two",
				fn, page_size);
	rc = ifd_check_range(ctx, fn, "IOVA", iova, length);
	if (rc)
		return rc;
	if ((iova | length) & (page_size - 1))
		return ifd_fail(ctx, EINVAL, "%s: IOVA 0x%" PRIx64 " and length 0x%" PRIx64
				" must be multiples of page_size 0x%" PRIx64, fn, iova, length,
				page_size);
	if ((uintptr_t)bitmap % sizeof(uint64_t))
		return ifd_fail(ctx, EINVAL, "%s: bitmap %p is not 8-byte aligned (the kernel "
				"writes it as 64-bit words)", fn, bitmap);
	uint64_t need = words_for(length / page_size) * sizeof(uint64_t);
	if (bitmap_len < need)
		return ifd_fail(ctx, EINVAL, "%s: bitmap_len %zu is too small: %" PRIu64
				" pages need %" PRIu64 " bytes (whole 64-bit words)", fn,
				bitmap_len, length / page_size, need);
	return 0;
}

/* Reads pages [first, first + pages) of the walk. */
static int read_chunk(struct iommufd_ctx *ctx, const struct dirty_walk *w, uint64_t first,
		      uint64_t pages, bool *ran)
{
	uint64_t *words = w->words + first / 64;
	struct uapi_hwpt_get_dirty_bitmap cmd = {
		.hwpt_id = w->hwpt_id,
		.flags = w->flags & IOMMUFD_DIRTY_NO_CLEAR,
		.iova = w->iova + first * w->page_size,
		.length = pages * w->page_size,
		.page_size = w->page_size,
		.data = (uintptr_t)words,
	};

	if (!(w->flags & IOMMUFD_DIRTY_MERGE))
		memset(words, 0, words_for(pages) * sizeof(uint64_t));
	return ifd_cmd_ran(ctx, UAPI_CMD_HWPT_GET_DIRTY_BITMAP, &cmd, ran);
}

/* A failure after the first chunk says what the caller already has. */
static int explain_dirty_error(struct iommufd_ctx *ctx, int rc, const struct dirty_walk *w,
			       uint64_t first)
{
	char after[160] = "";

	if (first)
		snprintf(after, sizeof(after),
			 " (at IOVA 0x%" PRIx64 "; the bits of 0x%" PRIx64 "..0x%" PRIx64
			 " are in the bitmap%s)",
			 w->iova + first * w->page_size, w->iova, w->iova + first * w->page_size - 1,
			 w->flags & IOMMUFD_DIRTY_NO_CLEAR ? "" : " and were cleared");
	if (rc == -EINVAL)
		return ifd_fail(ctx, EINVAL, "IOMMU_HWPT_GET_DIRTY_BITMAP: IOVA 0x%" PRIx64
				" or length 0x%" PRIx64 " is not a multiple of the IOVA alignment of "
				"HWPT %" PRIu32 "'s IOAS%s", w->iova, w->npages * w->page_size,
				w->hwpt_id, after);
	return explain_hwpt_error(ctx, rc, "IOMMU_HWPT_GET_DIRTY_BITMAP", w->hwpt_id, after);
}

int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ctx *ctx, uint32_t hwpt_id, uint64_t iova,
				  uint64_t length, uint64_t page_size, void *bitmap,
				  size_t bitmap_len, uint32_t flags)
{
	int rc = check_dirty_args(ctx, "iommufd_hwpt_get_dirty_bitmap", iova, length, page_size,
				  bitmap, bitmap_len, flags);
	bool ran = false;

	if (rc)
		return rc;
	const struct dirty_walk w = { hwpt_id, iova, page_size, length / page_size, bitmap, flags };
	const uint64_t step = flags & IOMMUFD_DIRTY_CHUNKED ? IOMMUFD_DIRTY_CHUNK_PAGES : w.npages;
	for (uint64_t first = 0; first < w.npages; first += step) {
		uint64_t pages = w.npages - first;

		if (pages > step)
			pages = step;
		rc = read_chunk(ctx, &w, first, pages, &ran);
		if (rc)
			return ran ? explain_dirty_error(ctx, rc, &w, first) : rc;
	}
	return 0;
}
