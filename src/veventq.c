/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vEVENTQs: IOMMU_VEVENTQ_ALLOC and the reader.
 *
 * Kernel facts (iommufd_veventq_fops_read(), eventq.c): a read of fewer
 * than 8 bytes is EINVAL; otherwise it returns as many whole events as
 * fit, EINVAL when the first normal one does not, 0 (never blocking) when
 * none waits.  Events stay queued -- and count against the depth -- until
 * read, so the reader asks for about as many as the caller wants; what a
 * read brings beyond that waits in the handle for the next call.  The fd
 * holds the queue: IOMMU_DESTROY is EBUSY until it is closed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eventq_private.h"
#include "sys.h"
#include "vevent_private.h"

#define HDR sizeof(struct uapi_vevent_header)
/* A read asks for at most this many bytes (more if one event needs it). */
#define READ_MAX_BYTES (64u << 10)
/* No event of any type comes near this. */
#define DATA_LEN_MAX (READ_MAX_BYTES - HDR)

_Static_assert(IOMMUFD_VEVENTQ_TYPE_DEFAULT == UAPI_VEVENTQ_TYPE_DEFAULT, "type");
_Static_assert(IOMMUFD_VEVENTQ_TYPE_ARM_SMMUV3 == UAPI_VEVENTQ_TYPE_ARM_SMMUV3, "type");
_Static_assert(IOMMUFD_VEVENTQ_TYPE_TEGRA241_CMDQV == UAPI_VEVENTQ_TYPE_TEGRA241_CMDQV, "type");
_Static_assert(IOMMUFD_VEVENTQ_TYPE_SELFTEST == UAPI_VEVENTQ_TYPE_SELFTEST, "type");
_Static_assert(sizeof(struct iommufd_vevent_arm_smmuv3) == sizeof(struct uapi_vevent_arm_smmuv3),
	       "smmuv3");
_Static_assert(sizeof(struct iommufd_vevent_tegra241_cmdqv) ==
	       sizeof(struct uapi_vevent_tegra241_cmdqv), "tegra241");
_Static_assert(sizeof(struct iommufd_vevent_selftest) == 4, "the mock's virt_id");

/* Each type's events carry one struct (the size its driver reports). */
static const struct {
	uint32_t type;
	uint32_t data_len;
	const char *name;
} types[] = {
	{ UAPI_VEVENTQ_TYPE_ARM_SMMUV3, sizeof(struct iommufd_vevent_arm_smmuv3), "ARM_SMMUV3" },
	{ UAPI_VEVENTQ_TYPE_TEGRA241_CMDQV, sizeof(struct iommufd_vevent_tegra241_cmdqv),
	  "TEGRA241_CMDQV" },
	{ UAPI_VEVENTQ_TYPE_SELFTEST, sizeof(struct iommufd_vevent_selftest), "SELFTEST" },
};

struct iommufd_veventq {
	struct iommufd_ctx *ctx;
	uint32_t id;
	uint32_t type;
	int fd;
	struct ifd_vevent_parser parser;
	uint64_t lost;
	unsigned char *buf; /* the last read; [pos, len) not handed over yet */
	size_t cap, len, pos;
};

struct iommufd_ctx *ifd_veventq_ctx(const struct iommufd_veventq *queue)
{
	return queue->ctx;
}

static uint32_t type_data_len(uint32_t type)
{
	for (size_t i = 0; i < IFD_ARRAY_SIZE(types); i++)
		if (types[i].type == type)
			return types[i].data_len;
	return 0;
}

static int check_alloc(struct iommufd_ctx *ctx, uint32_t type, uint32_t depth,
		       struct iommufd_veventq_opts *o, const struct iommufd_veventq_opts *opts,
		       struct iommufd_veventq **queue)
{
	static const char fn[] = "iommufd_veventq_alloc";
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, queue, fn, "queue");
	if (!rc)
		rc = ifd_opts_load(ctx, fn, o, sizeof(*o), opts);
	if (!rc)
		rc = ifd_check_flags(ctx, fn, o->flags, 0);
	if (rc)
		return rc;
	if (type == IOMMUFD_VEVENTQ_TYPE_DEFAULT)
		return ifd_fail(ctx, EOPNOTSUPP, "%s: type DEFAULT (0) is refused by every kernel; "
				"use the vIOMMU's own type", fn);
	if (!depth)
		return ifd_fail(ctx, EINVAL, "%s: depth is 0 (the kernel takes 1 .. 524288)", fn);
	if (o->data_len > DATA_LEN_MAX)
		return ifd_fail(ctx, EINVAL, "%s: data_len %" PRIu32 " is more than %zu", fn,
				o->data_len, DATA_LEN_MAX);
	if (!o->data_len)
		o->data_len = type_data_len(type);
	if (!o->data_len)
		return ifd_fail(ctx, EINVAL, "%s: this libiommufd does not know the events of "
				"type 0x%" PRIx32 ": set opts data_len to their size", fn, type);
	return 0;
}

static int explain_alloc_error(struct iommufd_ctx *ctx, int rc, uint32_t viommu_id,
			       uint32_t type, uint32_t depth)
{
	static const char cmd[] = "IOMMU_VEVENTQ_ALLOC";

	switch (rc) {
	case -ENOENT:
		return ifd_fail(ctx, ENOENT, "%s: no vIOMMU %" PRIu32, cmd, viommu_id);
	case -EEXIST:
		return ifd_fail(ctx, EEXIST, "%s: vIOMMU %" PRIu32 " has a vEVENTQ of type 0x%"
				PRIx32 " already", cmd, viommu_id, type);
	case -EINVAL:
		return ifd_fail(ctx, EINVAL, "%s: depth %" PRIu32 " is out of range (1 .. 524288 on "
				"current kernels)", cmd, depth);
	default:
		return ifd_fail(ctx, -rc, "%s on vIOMMU %" PRIu32 " failed: %s", cmd, viommu_id,
				strerror(-rc));
	}
}

int iommufd_veventq_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id, uint32_t type,
			  uint32_t depth, const struct iommufd_veventq_opts *opts,
			  struct iommufd_veventq **queue)
{
	struct uapi_veventq_alloc cmd = { .viommu_id = viommu_id, .type = type,
					  .veventq_depth = depth };
	struct iommufd_veventq_opts o;
	struct iommufd_veventq *q;
	bool ran = false;
	int rc = check_alloc(ctx, type, depth, &o, opts, queue);

	if (rc)
		return rc;
	q = ifd_calloc(1, sizeof(*q));
	if (!q)
		return ifd_fail(ctx, ENOMEM, "iommufd_veventq_alloc: out of memory");
	cmd.flags = o.flags;
	rc = ifd_cmd_ran(ctx, UAPI_CMD_VEVENTQ_ALLOC, &cmd, &ran);
	if (rc) {
		free(q);
		return ran ? explain_alloc_error(ctx, rc, viommu_id, type, depth) : rc;
	}
	q->ctx = ctx;
	q->id = cmd.out_veventq_id;
	q->type = type;
	q->fd = (int)cmd.out_veventq_fd;
	q->parser.data_len = o.data_len;
	*queue = q;
	return 0;
}

int iommufd_veventq_close(struct iommufd_veventq *queue)
{
	struct uapi_destroy cmd;
	int rc;

	if (!queue)
		return 0;
	/* The fd holds the queue: close it first, or IOMMU_DESTROY is EBUSY. */
	ifd_sys_close(queue->fd);
	cmd = (struct uapi_destroy){ .id = queue->id };
	rc = ifd_cmd(queue->ctx, UAPI_CMD_DESTROY, &cmd);
	free(queue->buf);
	free(queue);
	return rc;
}

uint32_t iommufd_veventq_id(const struct iommufd_veventq *queue)
{
	return queue ? queue->id : 0;
}

int iommufd_veventq_fd(const struct iommufd_veventq *queue)
{
	return queue ? queue->fd : -EINVAL;
}

uint64_t iommufd_veventq_lost(const struct iommufd_veventq *queue)
{
	return queue ? queue->lost : 0;
}

/* Bytes for about @want events (at least one normal one, whatever it is). */
static size_t read_size(const struct iommufd_veventq *q, size_t want)
{
	const size_t one = HDR + q->parser.data_len;

	if (want > READ_MAX_BYTES / one)
		want = READ_MAX_BYTES / one;
	return want ? want * one : one;
}

/* Every event of the read parses; else the read is dropped. */
static int check_read(struct iommufd_veventq *q)
{
	struct ifd_vevent_parser p = q->parser;
	struct iommufd_vevent ev;
	char why[IFD_VEVENT_WHY_LEN];
	size_t pos = 0, len = q->len;
	int rc;

	while ((rc = ifd_vevent_parse(&p, q->buf, len, &pos, &ev, why)) > 0)
		;
	if (!rc)
		return 0;
	q->len = 0;
	return ifd_fail(q->ctx, EPROTO, "iommufd_veventq_read: vEVENTQ %" PRIu32 " returned "
			"bytes that do not parse (%s); the %zu bytes of that read are dropped",
			q->id, why, len);
}

/* One read of the kernel queue into the buffer: bytes read, 0, or -errno. */
static ssize_t fill(struct iommufd_veventq *q, size_t want)
{
	const size_t size = read_size(q, want);
	ssize_t rc;

	if (size > q->cap) {
		unsigned char *bigger = ifd_realloc(q->buf, size);

		if (!bigger)
			return ifd_fail(q->ctx, ENOMEM, "iommufd_veventq_read: no memory for a "
					"%zu-byte read", size);
		q->buf = bigger;
		q->cap = size;
	}
	q->pos = q->len = 0;
	rc = ifd_sys_read(q->fd, q->buf, size);
	if (rc == -EINVAL)
		return ifd_fail(q->ctx, EPROTO, "iommufd_veventq_read: the first event waiting on "
				"vEVENTQ %" PRIu32 " has more than the %" PRIu32 " bytes of data its "
				"type 0x%" PRIx32 " carries", q->id, q->parser.data_len, q->type);
	if (rc < 0)
		return ifd_fail(q->ctx, (int)-rc, "iommufd_veventq_read: reading vEVENTQ %" PRIu32
				" failed: %s", q->id, strerror((int)-rc));
	q->len = (size_t)rc;
	if (check_read(q))
		return -EPROTO;
	return rc;
}

ssize_t iommufd_veventq_read(struct iommufd_veventq *queue, struct iommufd_vevent *events,
			     size_t max)
{
	static const char fn[] = "iommufd_veventq_read";
	char why[IFD_VEVENT_WHY_LEN];
	size_t n = 0;
	ssize_t rc;

	if (!queue)
		return ifd_fail(NULL, EINVAL, "%s: the queue is NULL", fn);
	if (!events)
		return ifd_fail(queue->ctx, EINVAL, "%s: events is NULL", fn);
	if (!max)
		return ifd_fail(queue->ctx, EINVAL, "%s: max is 0", fn);
	/* Events kept from the last read first; the kernel only when none are. */
	if (queue->pos == queue->len) {
		rc = fill(queue, max);
		if (rc <= 0)
			return rc;
	}
	while (n < max &&
	       ifd_vevent_parse(&queue->parser, queue->buf, queue->len, &queue->pos, &events[n],
				why) > 0)
		queue->lost += events[n++].lost;
	return (ssize_t)n;
}
