/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault queues: IOMMU_FAULT_QUEUE_ALLOC, reading page requests in whole
 * groups, and answering them by cookie.
 *
 * Kernel facts (iommufd_fault_fops_read/write(), eventq.c): a read takes a
 * multiple of the record size (else ESPIPE), hands over whole groups only
 * (EINVAL when the first waiting one does not fit), never blocks (0 when
 * none waits), and gives each group a cookie (the lowest free, from 1,
 * reused once answered).  A write takes responses in order and stops at
 * the first with an unknown code or cookie: the bytes done, or EINVAL
 * when none was.  The queue's fd holds the queue, and so does each HWPT
 * naming it: IOMMU_DESTROY answers EBUSY until both are gone, and then
 * the kernel answers every group still owed with INVALID.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "eventq_private.h"
#include "fault_private.h"
#include "sys.h"

/* A read asks for at most this many records: the kernel caps a read at
 * just under 2 GiB, which is no multiple of the record size. */
#define READ_MAX_RECORDS (1u << 20)

/* The public structs are the kernel's. */
_Static_assert(sizeof(struct iommufd_fault) == sizeof(struct uapi_hwpt_pgfault), "pgfault");
_Static_assert(offsetof(struct iommufd_fault, addr) == offsetof(struct uapi_hwpt_pgfault, addr),
	       "addr");
_Static_assert(offsetof(struct iommufd_fault, length) ==
	       offsetof(struct uapi_hwpt_pgfault, length), "length");
_Static_assert(offsetof(struct iommufd_fault, cookie) ==
	       offsetof(struct uapi_hwpt_pgfault, cookie), "cookie");
_Static_assert(sizeof(struct iommufd_fault_response) ==
	       sizeof(struct uapi_hwpt_page_response), "response");
_Static_assert(offsetof(struct iommufd_fault_response, code) ==
	       offsetof(struct uapi_hwpt_page_response, code), "code");
_Static_assert(IOMMUFD_FAULT_PASID_VALID == UAPI_PGFAULT_FLAGS_PASID_VALID, "flag");
_Static_assert(IOMMUFD_FAULT_LAST_PAGE == UAPI_PGFAULT_FLAGS_LAST_PAGE, "flag");
_Static_assert(IOMMUFD_FAULT_PERM_READ == UAPI_PGFAULT_PERM_READ, "perm");
_Static_assert(IOMMUFD_FAULT_PERM_WRITE == UAPI_PGFAULT_PERM_WRITE, "perm");
_Static_assert(IOMMUFD_FAULT_PERM_EXEC == UAPI_PGFAULT_PERM_EXEC, "perm");
_Static_assert(IOMMUFD_FAULT_PERM_PRIV == UAPI_PGFAULT_PERM_PRIV, "perm");
_Static_assert(IOMMUFD_FAULT_RESP_SUCCESS == UAPI_PAGE_RESP_SUCCESS, "code");
_Static_assert(IOMMUFD_FAULT_RESP_INVALID == UAPI_PAGE_RESP_INVALID, "code");

struct iommufd_fault_queue {
	struct iommufd_ctx *ctx;
	uint32_t id;
	int fd;
	struct ifd_cookies owed;
};

struct iommufd_ctx *ifd_fault_queue_ctx(const struct iommufd_fault_queue *queue)
{
	return queue->ctx;
}

int iommufd_fault_queue_alloc(struct iommufd_ctx *ctx, const struct iommufd_fault_queue_opts *opts,
			      struct iommufd_fault_queue **queue)
{
	static const char fn[] = "iommufd_fault_queue_alloc";
	struct iommufd_fault_queue_opts o;
	struct uapi_fault_alloc cmd = { .flags = 0 };
	struct iommufd_fault_queue *q;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, queue, fn, "queue");
	if (!rc)
		rc = ifd_opts_load(ctx, fn, &o, sizeof(o), opts);
	if (!rc)
		rc = ifd_check_flags(ctx, fn, o.flags, 0);
	if (rc)
		return rc;
	q = ifd_calloc(1, sizeof(*q));
	if (!q || ifd_cookies_init(&q->owed)) {
		free(q);
		return ifd_fail(ctx, ENOMEM, "%s: out of memory", fn);
	}
	cmd.flags = o.flags;
	rc = ifd_cmd(ctx, UAPI_CMD_FAULT_QUEUE_ALLOC, &cmd);
	if (rc) {
		ifd_cookies_fini(&q->owed);
		free(q);
		return rc;
	}
	q->ctx = ctx;
	q->id = cmd.out_fault_id;
	q->fd = (int)cmd.out_fault_fd;
	*queue = q;
	return 0;
}

int iommufd_fault_queue_close(struct iommufd_fault_queue *queue)
{
	struct uapi_destroy cmd;
	int rc;

	if (!queue)
		return 0;
	/* The fd holds the queue: close it first, or IOMMU_DESTROY is EBUSY. */
	ifd_sys_close(queue->fd);
	cmd = (struct uapi_destroy){ .id = queue->id };
	rc = ifd_cmd_expect(queue->ctx, UAPI_CMD_DESTROY, &cmd, EBUSY);
	if (rc == -EBUSY)
		ifd_fail(queue->ctx, EBUSY,
			 "iommufd_fault_queue_close: a HWPT still names fault queue %" PRIu32
			 ", so the kernel keeps it (and its %zu unanswered groups) until "
			 "iommufd_destroy(%" PRIu32 ") succeeds after that HWPT is destroyed",
			 queue->id, ifd_cookies_owed(&queue->owed), queue->id);
	ifd_cookies_fini(&queue->owed);
	free(queue);
	return rc;
}

uint32_t iommufd_fault_queue_id(const struct iommufd_fault_queue *queue)
{
	return queue ? queue->id : 0;
}

int iommufd_fault_queue_fd(const struct iommufd_fault_queue *queue)
{
	return queue ? queue->fd : -EINVAL;
}

size_t iommufd_fault_queue_owed(const struct iommufd_fault_queue *queue)
{
	return queue ? ifd_cookies_owed(&queue->owed) : 0;
}

static int check_queue(const struct iommufd_fault_queue *q, const void *array, size_t count,
		       const char *fn, const char *what, const char *count_name)
{
	if (!q)
		return ifd_fail(NULL, EINVAL, "%s: the queue is NULL", fn);
	if (!array)
		return ifd_fail(q->ctx, EINVAL, "%s: %s is NULL", fn, what);
	if (!count)
		return ifd_fail(q->ctx, EINVAL, "%s: %s is 0", fn, count_name);
	return 0;
}

static ssize_t explain_read_error(struct iommufd_fault_queue *q, ssize_t rc, size_t max)
{
	if (rc == -EINVAL)
		return ifd_fail(q->ctx, EMSGSIZE, "iommufd_fault_queue_read: the first group "
				"waiting on fault queue %" PRIu32 " has more than %zu records; read "
				"again with a bigger array (it stays queued)", q->id, max);
	return ifd_fail(q->ctx, (int)-rc, "iommufd_fault_queue_read: reading fault queue %" PRIu32
			" failed: %s", q->id, strerror((int)-rc));
}

/* Whole records in whole groups, or -EPROTO: the groups are lost to the
 * caller then; closing the queue answers them. */
static ssize_t check_groups(struct iommufd_fault_queue *q, const struct iommufd_fault *faults,
			    ssize_t bytes)
{
	size_t count = (size_t)bytes / sizeof(*faults), pos = 0;
	struct iommufd_fault_group g;
	char why[IFD_WHY_LEN];
	int rc;

	if ((size_t)bytes % sizeof(*faults))
		return ifd_fail(q->ctx, EPROTO, "iommufd_fault_queue_read: fault queue %" PRIu32
				" returned %zd bytes, not whole %zu-byte records", q->id, bytes,
				sizeof(*faults));
	while ((rc = ifd_fault_group_parse(faults, count, &pos, &g, why)) > 0)
		;
	if (rc < 0)
		return ifd_fail(q->ctx, EPROTO, "iommufd_fault_queue_read: fault queue %" PRIu32
				" returned garbled records (%s); %zu records dropped", q->id, why,
				count);
	return (ssize_t)count;
}

ssize_t iommufd_fault_queue_read(struct iommufd_fault_queue *queue, struct iommufd_fault *faults,
				 size_t max)
{
	ssize_t rc = check_queue(queue, faults, max, "iommufd_fault_queue_read", "faults",
				 "max");

	if (rc)
		return rc;
	if (max > READ_MAX_RECORDS)
		max = READ_MAX_RECORDS;
	/* Room for every group the read can return, before it runs. */
	if (ifd_cookies_reserve(&queue->owed, max))
		return ifd_fail(queue->ctx, ENOMEM, "iommufd_fault_queue_read: no memory to track "
				"%zu more cookies", max);
	rc = ifd_sys_read(queue->fd, faults, max * sizeof(*faults));
	if (rc < 0)
		return explain_read_error(queue, rc, max);
	rc = check_groups(queue, faults, rc);
	if (rc > 0)
		ifd_cookies_add_groups(&queue->owed, faults, (size_t)rc);
	return rc;
}

static int check_responses(const struct iommufd_fault_queue *q,
			   const struct iommufd_fault_response *r, size_t count, const char *fn)
{
	for (size_t i = 0; i < count; i++)
		if (r[i].code > IOMMUFD_FAULT_RESP_INVALID) /* SUCCESS is 0 */
			return ifd_fail(q->ctx, EINVAL, "%s: response %zu has code %" PRIu32
					" (known: 0 SUCCESS, 1 INVALID)", fn, i, r[i].code);
	return 0;
}

/* Response @bad was not owed: name why. */
static int explain_not_owed(const struct iommufd_fault_queue *q,
			    const struct iommufd_fault_response *r, size_t bad, const char *fn)
{
	for (size_t i = 0; i < bad; i++)
		if (r[i].cookie == r[bad].cookie)
			return ifd_fail(q->ctx, ENOENT, "%s: responses %zu and %zu both answer "
					"cookie %" PRIu32 "; nothing was sent", fn, i, bad,
					r[bad].cookie);
	return ifd_fail(q->ctx, ENOENT, "%s: response %zu answers cookie %" PRIu32 ", which "
			"fault queue %" PRIu32 " does not owe (never read, or answered already); "
			"nothing was sent", fn, bad, r[bad].cookie, q->id);
}

/* The write failed outright: EINVAL means the kernel does not know the
 * first cookie (its code was checked): it answered that group itself when
 * the device detached or its HWPT was replaced. */
static ssize_t explain_write_error(struct iommufd_fault_queue *q,
				   const struct iommufd_fault_response *r, size_t count,
				   ssize_t rc, const char *fn)
{
	if (rc == -EINVAL) {
		ifd_cookies_settle(&q->owed, r, count, 0, 1);
		return ifd_fail(q->ctx, ENOENT, "%s: fault queue %" PRIu32 " no longer knows "
				"cookie %" PRIu32 " (response 0): the kernel answered that group "
				"itself (its device detached or its HWPT was replaced); it is no "
				"longer owed, and responses 1.. were not sent", fn, q->id,
				r[0].cookie);
	}
	ifd_cookies_settle(&q->owed, r, count, 0, 0);
	return ifd_fail(q->ctx, (int)-rc, "%s: writing %zu responses to fault queue %" PRIu32
			" failed: %s; they are still owed", fn, count, q->id, strerror((int)-rc));
}

static ssize_t respond(struct iommufd_fault_queue *q, const struct iommufd_fault_response *r,
		       size_t count, const char *fn)
{
	ssize_t rc = check_queue(q, r, count, fn, "responses", "count");
	size_t bad, done;

	if (!rc)
		rc = check_responses(q, r, count, fn);
	if (rc)
		return rc;
	bad = ifd_cookies_take(&q->owed, r, count);
	if (bad < count)
		return explain_not_owed(q, r, bad, fn);
	rc = ifd_sys_write(q->fd, r, count * sizeof(*r));
	if (rc < 0)
		return explain_write_error(q, r, count, rc, fn);
	done = (size_t)rc / sizeof(*r);
	if (done > count)
		done = count;
	ifd_cookies_settle(&q->owed, r, count, done, 0);
	if (!done)
		return ifd_fail(q->ctx, EPROTO, "%s: fault queue %" PRIu32 " took none of %zu "
				"responses and gave no error; they are still owed", fn, q->id, count);
	if (done < count)
		ifd_fail(q->ctx, EAGAIN, "%s: fault queue %" PRIu32 " took %zu of %zu responses; "
			 "it stopped at response %zu (cookie %" PRIu32 "), which with the rest is "
			 "still owed", fn, q->id, done, count, done, r[done].cookie);
	return (ssize_t)done;
}

ssize_t iommufd_fault_queue_respond_batch(struct iommufd_fault_queue *queue,
					  const struct iommufd_fault_response *responses,
					  size_t count)
{
	return respond(queue, responses, count, "iommufd_fault_queue_respond_batch");
}

int iommufd_fault_queue_respond(struct iommufd_fault_queue *queue, uint32_t cookie, uint32_t code)
{
	const struct iommufd_fault_response r = { .cookie = cookie, .code = code };
	ssize_t rc = respond(queue, &r, 1, "iommufd_fault_queue_respond");

	return rc < 0 ? (int)rc : 0;
}
