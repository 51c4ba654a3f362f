/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* IOAS: alloc, map (user memory or file), unmap, copy, IOVA ranges, allow. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "private.h"

#define MAP_FLAGS_KNOWN (IOMMUFD_MAP_FIXED_IOVA | IOMMUFD_MAP_WRITEABLE | IOMMUFD_MAP_READABLE)
#define IOVA_RANGES_RETRIES 16

static int explain_ioas_error(struct iommufd_ctx *ctx, int rc, const char *fn, uint32_t ioas_id)
{
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: IOAS %" PRIu32 " does not exist", fn, ioas_id);
	return rc;
}

/* Refuse an IOVA or length the IOAS cannot take.  A cached alignment may be
 * stale (it shrinks when devices detach), so confirm before refusing. */
static int check_alignment(struct iommufd_ctx *ctx, const char *fn, uint32_t ioas_id,
			   uint64_t iova, uint64_t length)
{
	uint64_t alignment = ifd_align_get(ctx, ioas_id);

	if (!alignment || !((iova | length) & (alignment - 1)))
		return 0;
	if (iommufd_ioas_iova_ranges(ctx, ioas_id, NULL, 0, &alignment) < 0)
		return 0; /* let the kernel judge */
	if (!((iova | length) & (alignment - 1)))
		return 0;
	return ifd_fail(ctx, EINVAL,
			"%s: IOVA 0x%" PRIx64 " and length 0x%" PRIx64 " must be multiples of "
			"IOAS %" PRIu32 "'s IOVA alignment 0x%" PRIx64,
			fn, iova, length, ioas_id, alignment);
}

/* The checks map, map_file and copy share. */
static int check_map_args(struct iommufd_ctx *ctx, const char *fn, uint32_t ioas_id,
			  uint64_t length, uint32_t flags, const uint64_t *iova)
{
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, iova, fn, "iova");
	if (!rc)
		rc = ifd_check_flags(ctx, fn, flags, MAP_FLAGS_KNOWN);
	if (rc)
		return rc;
	if (!(flags & (IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE)))
		return ifd_fail(ctx, EINVAL,
				"%s: flags need IOMMUFD_MAP_READABLE and/or IOMMUFD_MAP_WRITEABLE", fn);
	if (flags & IOMMUFD_MAP_FIXED_IOVA) {
		rc = ifd_check_range(ctx, fn, "IOVA", *iova, length);
		if (!rc)
			rc = check_alignment(ctx, fn, ioas_id, *iova, length);
		return rc;
	}
	return ifd_check_range(ctx, fn, "mapping", 0, length);
}

static int explain_map_error(struct iommufd_ctx *ctx, int rc, const char *fn, uint32_t ioas_id,
			     uint64_t length, uint32_t flags, uint64_t iova)
{
	if (rc == -EEXIST)
		return ifd_fail(ctx, EEXIST, "%s: IOVA range 0x%" PRIx64 "..0x%" PRIx64
				" of IOAS %" PRIu32 " is already mapped",
				fn, iova, iova + length - 1, ioas_id);
	if (rc == -ENOSPC)
		return ifd_fail(ctx, ENOSPC, "%s: IOAS %" PRIu32 " has no free IOVA range of 0x%"
				PRIx64 " bytes%s", fn, ioas_id, length,
				flags & IOMMUFD_MAP_FIXED_IOVA ? " at that IOVA" : "");
	if (rc == -EINVAL)
		return ifd_fail(ctx, EINVAL, "%s: IOAS %" PRIu32 " refused 0x%" PRIx64 " bytes%s: "
				"not aligned to its IOVA alignment, or inside a reserved region",
				fn, ioas_id, length, flags & IOMMUFD_MAP_FIXED_IOVA ? " at that IOVA" : "");
	if (rc == -EFAULT)
		return ifd_fail(ctx, EFAULT, "%s: cannot pin the memory%s (unmapped, or read-only "
				"memory mapped WRITEABLE)", fn,
				flags & IOMMUFD_MAP_WRITEABLE ? " for writing" : "");
	if (rc == -ENOMEM)
		return ifd_fail(ctx, ENOMEM, "%s: cannot pin 0x%" PRIx64 " bytes (RLIMIT_MEMLOCK, "
				"or out of memory)", fn, length);
	return explain_ioas_error(ctx, rc, fn, ioas_id);
}

int iommufd_ioas_alloc(struct iommufd_ctx *ctx, uint32_t *ioas_id)
{
	struct uapi_ioas_alloc cmd = { 0 };
	int rc = ifd_check_ctx(ctx, "iommufd_ioas_alloc");

	if (!rc)
		rc = ifd_check_out(ctx, ioas_id, "iommufd_ioas_alloc", "ioas_id");
	if (!rc)
		rc = ifd_cmd(ctx, UAPI_CMD_IOAS_ALLOC, &cmd);
	if (!rc)
		*ioas_id = cmd.out_ioas_id;
	return rc;
}

int iommufd_ioas_map(struct iommufd_ctx *ctx, uint32_t ioas_id, void *buf, uint64_t length,
		     uint32_t flags, uint64_t *iova)
{
	static const char fn[] = "iommufd_ioas_map";
	int rc = check_map_args(ctx, fn, ioas_id, length, flags, iova);

	if (rc)
		return rc;
	if (!buf)
		return ifd_fail(ctx, EINVAL, "%s: buf is NULL", fn);
	rc = ifd_check_range(ctx, fn, "buffer", (uintptr_t)buf, length);
	if (rc)
		return rc;
	struct uapi_ioas_map cmd = {
		.flags = flags,
		.ioas_id = ioas_id,
		.user_va = (uintptr_t)buf,
		.length = length,
		.iova = flags & IOMMUFD_MAP_FIXED_IOVA ? *iova : 0,
	};
	rc = ifd_cmd(ctx, UAPI_CMD_IOAS_MAP, &cmd);
	if (rc)
		return explain_map_error(ctx, rc, fn, ioas_id, length, flags, cmd.iova);
	*iova = cmd.iova;
	return 0;
}

int iommufd_ioas_map_file(struct iommufd_ctx *ctx, uint32_t ioas_id, int fd, uint64_t start,
			  uint64_t length, uint32_t flags, uint64_t *iova)
{
	static const char fn[] = "iommufd_ioas_map_file";
	int rc = check_map_args(ctx, fn, ioas_id, length, flags, iova);

	if (rc)
		return rc;
	if (fd < 0)
		return ifd_fail(ctx, EBADF, "%s: fd %d is not a file descriptor", fn, fd);
	rc = ifd_check_range(ctx, fn, "file offset", start, length);
	if (rc)
		return rc;
	struct uapi_ioas_map_file cmd = {
		.flags = flags,
		.ioas_id = ioas_id,
		.fd = fd,
		.start = start,
		.length = length,
		.iova = flags & IOMMUFD_MAP_FIXED_IOVA ? *iova : 0,
	};
	rc = ifd_cmd(ctx, UAPI_CMD_IOAS_MAP_FILE, &cmd);
	if (rc == -EBADF)
		return ifd_fail(ctx, EBADF, "%s: fd %d is not open", fn, fd);
	if (rc)
		return explain_map_error(ctx, rc, fn, ioas_id, length, flags, cmd.iova);
	*iova = cmd.iova;
	return 0;
}

int iommufd_ioas_copy(struct iommufd_ctx *ctx, uint32_t dst_ioas_id, uint32_t src_ioas_id,
		      uint64_t src_iova, uint64_t length, uint32_t flags, uint64_t *dst_iova)
{
	static const char fn[] = "iommufd_ioas_copy";
	int rc = check_map_args(ctx, fn, dst_ioas_id, length, flags, dst_iova);

	if (!rc)
		rc = ifd_check_range(ctx, fn, "source IOVA", src_iova, length);
	if (rc)
		return rc;
	struct uapi_ioas_copy cmd = {
		.flags = flags,
		.dst_ioas_id = dst_ioas_id,
		.src_ioas_id = src_ioas_id,
		.length = length,
		.dst_iova = flags & IOMMUFD_MAP_FIXED_IOVA ? *dst_iova : 0,
		.src_iova = src_iova,
	};
	rc = ifd_cmd(ctx, UAPI_CMD_IOAS_COPY, &cmd);
	if (rc == -EPERM)
		return ifd_fail(ctx, EPERM, "%s: the source of 0x%" PRIx64 "..0x%" PRIx64
				" is mapped read-only and cannot be copied WRITEABLE", fn, src_iova,
				src_iova + length - 1);
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: IOAS %" PRIu32 " or %" PRIu32 " does not exist, or "
				"source 0x%" PRIx64 "..0x%" PRIx64 " is not fully mapped", fn,
				src_ioas_id, dst_ioas_id, src_iova, src_iova + length - 1);
	if (rc)
		return explain_map_error(ctx, rc, fn, dst_ioas_id, length, flags, cmd.dst_iova);
	*dst_iova = cmd.dst_iova;
	return 0;
}

static int unmap(struct iommufd_ctx *ctx, const char *fn, uint32_t ioas_id, uint64_t iova,
		 uint64_t length, uint64_t *unmapped)
{
	struct uapi_ioas_unmap cmd = { .ioas_id = ioas_id, .iova = iova, .length = length };
	int rc = ifd_cmd(ctx, UAPI_CMD_IOAS_UNMAP, &cmd);

	/* The kernel answers ENOENT for a mapping that crosses the edge too. */
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "%s: IOAS %" PRIu32 " does not exist, has nothing "
				"mapped in 0x%" PRIx64 "..0x%" PRIx64 ", or a mapping crosses the "
				"edge of that range and cannot be split", fn, ioas_id, iova,
				iova + length - 1);
	if (rc == -EBUSY)
		return ifd_fail(ctx, EBUSY, "%s: 0x%" PRIx64 "..0x%" PRIx64 " is held by an "
				"in-kernel object (a vIOMMU hardware queue?)", fn, iova,
				iova + length - 1);
	if (rc)
		return rc;
	if (unmapped)
		*unmapped = cmd.length;
	return 0;
}

int iommufd_ioas_unmap(struct iommufd_ctx *ctx, uint32_t ioas_id, uint64_t iova,
		       uint64_t length, uint64_t *unmapped)
{
	static const char fn[] = "iommufd_ioas_unmap";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_range(ctx, fn, "IOVA", iova, length);
	if (!rc && iova == 0 && length == UINT64_MAX)
		return ifd_fail(ctx, EINVAL, "%s: the whole 64-bit space means unmap all; use "
				"iommufd_ioas_unmap_all()", fn);
	/* No alignment check: the kernel takes any range that covers whole
	 * mappings, aligned or not. */
	if (rc)
		return rc;
	return unmap(ctx, fn, ioas_id, iova, length, unmapped);
}

int iommufd_ioas_unmap_all(struct iommufd_ctx *ctx, uint32_t ioas_id, uint64_t *unmapped)
{
	static const char fn[] = "iommufd_ioas_unmap_all";
	int rc = ifd_check_ctx(ctx, fn);

	/* The kernel reads iova 0 + length 2^64-1 as "everything". */
	return rc ? rc : unmap(ctx, fn, ioas_id, 0, UINT64_MAX, unmapped);
}

/* One IOVA_RANGES call into @buf of @cap entries; on EMSGSIZE *total says
 * how many there are. */
static int iova_ranges_once(struct iommufd_ctx *ctx, uint32_t ioas_id,
			    struct iommufd_iova_range *buf, uint32_t cap, uint32_t *total,
			    uint64_t *alignment)
{
	struct uapi_ioas_iova_ranges cmd = {
		.ioas_id = ioas_id,
		.num_iovas = cap,
		.allowed_iovas = (uintptr_t)buf,
	};
	int rc = ifd_cmd_expect(ctx, UAPI_CMD_IOAS_IOVA_RANGES, &cmd, EMSGSIZE);

	*total = cmd.num_iovas;
	*alignment = cmd.out_iova_alignment;
	return rc;
}

/* Grow an internal buffer until one call returns the whole, consistent set. */
static int iova_ranges_grow(struct iommufd_ctx *ctx, const char *fn, uint32_t ioas_id,
			    uint32_t total, struct iommufd_iova_range *out, size_t max,
			    uint64_t *alignment)
{
	for (int tries = 0; tries < IOVA_RANGES_RETRIES; tries++) {
		struct iommufd_iova_range *buf = ifd_calloc(total, sizeof(*buf));
		uint32_t cap = total;
		int rc;

		if (!buf)
			return ifd_fail(ctx, ENOMEM, "%s: out of memory for %" PRIu32 " ranges", fn,
					total);
		rc = iova_ranges_once(ctx, ioas_id, buf, cap, &total, alignment);
		if (!rc)
			memcpy(out, buf, (total < max ? total : max) * sizeof(*buf));
		free(buf);
		if (rc != -EMSGSIZE)
			return rc ? rc : (int)total;
	}
	return ifd_fail(ctx, EAGAIN, "%s: the ranges of IOAS %" PRIu32 " kept changing", fn,
			ioas_id);
}

int iommufd_ioas_iova_ranges(struct iommufd_ctx *ctx, uint32_t ioas_id,
			     struct iommufd_iova_range *ranges, size_t max_ranges,
			     uint64_t *alignment)
{
	static const char fn[] = "iommufd_ioas_iova_ranges";
	uint64_t align = 0;
	uint32_t total = 0;
	uint32_t cap = max_ranges > UINT32_MAX ? UINT32_MAX : (uint32_t)max_ranges;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc && max_ranges)
		rc = ifd_check_out(ctx, ranges, fn, "ranges");
	if (rc)
		return rc;
	rc = iova_ranges_once(ctx, ioas_id, ranges, cap, &total, &align);
	/* With no room asked for, the count and alignment of this one answer
	 * are the whole result: no second call. */
	if (rc == -EMSGSIZE && max_ranges)
		rc = iova_ranges_grow(ctx, fn, ioas_id, total, ranges, max_ranges, &align);
	else if (!rc || rc == -EMSGSIZE)
		rc = (int)total;
	if (rc < 0)
		return explain_ioas_error(ctx, rc, fn, ioas_id);
	ifd_align_note(ctx, ioas_id, align);
	if (alignment)
		*alignment = align;
	return rc;
}

int iommufd_ioas_allow_iovas(struct iommufd_ctx *ctx, uint32_t ioas_id,
			     const struct iommufd_iova_range *ranges, size_t count)
{
	static const char fn[] = "iommufd_ioas_allow_iovas";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc && count)
		rc = ifd_check_out(ctx, ranges, fn, "ranges");
	if (rc)
		return rc;
	if (count > UINT32_MAX)
		return ifd_fail(ctx, EINVAL, "%s: %zu ranges is more than the kernel takes", fn, count);
	/* The kernel refuses start >= last: a range is at least two bytes. */
	for (size_t i = 0; i < count; i++)
		if (ranges[i].start >= ranges[i].last)
			return ifd_fail(ctx, EINVAL, "%s: range %zu starts (0x%" PRIx64 ") at or "
					"after its last byte (0x%" PRIx64 ")", fn, i, ranges[i].start,
					ranges[i].last);
	struct uapi_ioas_allow_iovas cmd = {
		.ioas_id = ioas_id,
		.num_iovas = (uint32_t)count,
		.allowed_iovas = (uintptr_t)ranges,
	};
	rc = ifd_cmd(ctx, UAPI_CMD_IOAS_ALLOW_IOVAS, &cmd);
	if (rc == -EINVAL)
		return ifd_fail(ctx, EINVAL, "%s: the ranges overlap", fn);
	if (rc == -EADDRINUSE)
		return ifd_fail(ctx, EADDRINUSE, "%s: a reserved region of a device attached to "
				"IOAS %" PRIu32 " intersects the ranges", fn, ioas_id);
	return explain_ioas_error(ctx, rc, fn, ioas_id);
}

int iommufd_ioas_change_process(struct iommufd_ctx *ctx)
{
	struct uapi_ioas_change_process cmd = { 0 };
	int rc = ifd_check_ctx(ctx, "iommufd_ioas_change_process");

	if (rc)
		return rc;
	rc = ifd_cmd(ctx, UAPI_CMD_IOAS_CHANGE_PROCESS, &cmd);
	if (rc == -EINVAL)
		return ifd_fail(ctx, EINVAL, "iommufd_ioas_change_process: some mapping is not "
				"file-backed (map it with iommufd_ioas_map_file())");
	return rc;
}
