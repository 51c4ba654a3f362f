/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault queues (PAGE_REQUEST): the page requests of every HWPT allocated
 * with a fault_id arrive on the queue's fd as struct iommufd_fault records,
 * grouped by the device's page-request group; the VMM answers each group
 * once, by its cookie.
 *
 * Thread safety: one thread reads a queue at a time; responses may be sent
 * from any thread, also while another thread reads.  For a consumer on
 * another thread without a syscall per fault, see ring.h.
 */
#ifndef LIBIOMMUFD_FAULT_H
#define LIBIOMMUFD_FAULT_H

#include <sys/types.h>

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

struct iommufd_fault_queue;

/* Bits of struct iommufd_fault::flags. */
enum iommufd_fault_flag {
	IOMMUFD_FAULT_PASID_VALID = 1u << 0, /* @pasid is meaningful */
	IOMMUFD_FAULT_LAST_PAGE = 1u << 1,   /* the last record of its group */
};

/* Bits of struct iommufd_fault::perm: the access the device asked for. */
enum iommufd_fault_perm {
	IOMMUFD_FAULT_PERM_READ = 1u << 0,
	IOMMUFD_FAULT_PERM_WRITE = 1u << 1,
	IOMMUFD_FAULT_PERM_EXEC = 1u << 2,
	IOMMUFD_FAULT_PERM_PRIV = 1u << 3,
};

/*
 * struct iommufd_fault - one page request, laid out exactly as the kernel's
 * struct iommu_hwpt_pgfault, so records are read straight into the
 * caller's array.
 * @flags:  enum iommufd_fault_flag.
 * @dev_id: the device (its ID from iommufd_device_bind()).
 * @pasid:  the PASID, when IOMMUFD_FAULT_PASID_VALID.
 * @grpid:  the device's page-request group index.
 * @perm:   enum iommufd_fault_perm.
 * @addr:   the faulting address (page aligned).
 * @length: bytes the device wants (0: a page).
 * @cookie: the kernel's handle of the group: every record of a group
 *          carries the same one; a response names it.
 */
struct iommufd_fault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t reserved;
	uint64_t addr;
	uint32_t length;
	uint32_t cookie;
};

/* Codes of struct iommufd_fault_response: the kernel's values, under
 * names of their own so <linux/iommufd.h> can be included too. */
enum iommufd_fault_response_code {
	IOMMUFD_FAULT_RESP_SUCCESS = 0, /* the pages are there: retry the access */
	IOMMUFD_FAULT_RESP_INVALID = 1, /* they never will be: fail the access */
};

/* One answer to one page-request group (struct iommu_hwpt_page_response). */
struct iommufd_fault_response {
	uint32_t cookie;
	uint32_t code; /* enum iommufd_fault_response_code */
};

/*
 * struct iommufd_fault_group - one page-request group inside an array of
 * records, as iommufd_fault_next_group() finds it.
 * @faults: its first record (inside the array given).
 * @count:  its records: the last one carries IOMMUFD_FAULT_LAST_PAGE.
 * @cookie: what its response names.
 */
struct iommufd_fault_group {
	const struct iommufd_fault *faults;
	uint32_t count;
	uint32_t cookie;
};

/*
 * struct iommufd_fault_queue_opts - options of iommufd_fault_queue_alloc().
 * @sz:    sizeof, set by IOMMUFD_OPTS().
 * @flags: none defined yet; must be 0.
 */
struct iommufd_fault_queue_opts {
	size_t sz;
	uint32_t flags;
};

/*
 * iommufd_fault_queue_alloc - allocate a fault queue (IOMMU_FAULT_QUEUE_ALLOC).
 * @opts:  NULL for the defaults.
 * @queue: receives the handle; iommufd_fault_queue_id() gives the ID to
 *         pass as fault_id to iommufd_hwpt_alloc().
 *
 * Return: 0, or a negative errno: -EOPNOTSUPP (an unknown flag, or "needs
 * Linux 6.11"), -E2BIG (@opts sets a field this library does not know),
 * -EMFILE, -ENOMEM.  Linux 6.11.
 */
LIBIOMMUFD_API int iommufd_fault_queue_alloc(struct iommufd_ctx *ctx,
					     const struct iommufd_fault_queue_opts *opts,
					     struct iommufd_fault_queue **queue);

/*
 * iommufd_fault_queue_close - close the queue's fd, destroy the queue and
 * free @queue (NULL is allowed).  The kernel answers every group still
 * unanswered with IOMMUFD_FAULT_RESP_INVALID.
 *
 * Destroy the HWPTs that name the queue first.  While one still does, the
 * kernel keeps the queue: @queue is freed all the same and -EBUSY says the
 * ID lives on until iommufd_destroy() of it succeeds (or the context
 * closes).
 * Return: 0, -EBUSY as above, or another errno of IOMMU_DESTROY (@queue
 * is freed all the same).
 */
LIBIOMMUFD_API int iommufd_fault_queue_close(struct iommufd_fault_queue *queue);

/* iommufd_fault_queue_id - the queue's object ID (the fault_id of
 * iommufd_hwpt_alloc()). */
LIBIOMMUFD_API uint32_t iommufd_fault_queue_id(const struct iommufd_fault_queue *queue);

/* iommufd_fault_queue_fd - the queue's fd, for poll/epoll: readable while
 * records wait.  Owned by @queue: do not close it, do not read it behind the library's back (the
 * cookie check would refuse the responses). */
LIBIOMMUFD_API int iommufd_fault_queue_fd(const struct iommufd_fault_queue *queue);

/*
 * iommufd_fault_queue_read - move waiting records into @faults, in whole
 * groups, without blocking (wait for the fd to be readable).
 * @faults: room for @max records.
 *
 * The kernel hands groups over whole, so the array ends on a group's last
 * record; iommufd_fault_next_group() walks it.  Each group read is owed a
 * response.
 * Return: the number of records (0: none waiting), or a negative errno:
 * -EMSGSIZE (the first waiting group has more than @max records: read
 * again with a bigger array), -EINVAL (@faults NULL or @max 0), -EFAULT,
 * -ENOMEM.  Linux 6.11.
 */
LIBIOMMUFD_API ssize_t iommufd_fault_queue_read(struct iommufd_fault_queue *queue,
						struct iommufd_fault *faults, size_t max);

/*
 * iommufd_fault_next_group - the group of @faults that starts at *@pos.
 * @faults, @count: records as iommufd_fault_queue_read() returned them.
 * @pos:   in: where to look (start at 0); out: just past the group.
 * @group: receives the group.
 *
 * A group is a run of records sharing one cookie whose last record, and
 * only that one, carries IOMMUFD_FAULT_LAST_PAGE.
 * Return: 1 (a group), 0 (*@pos == @count: no more), or -EPROTO (the
 * records break that rule: a cookie changes before the last page, a
 * group lacks its last page, a cookie is 0, which the kernel never gives)
 * or -EINVAL (NULL argument, *@pos past @count).  Needs no context: the sentence goes to
 * iommufd_ctx_last_error(NULL).
 */
LIBIOMMUFD_API int iommufd_fault_next_group(const struct iommufd_fault *faults, size_t count,
					    size_t *pos, struct iommufd_fault_group *group);

/*
 * iommufd_fault_queue_respond - answer one group by its @cookie with @code
 * (enum iommufd_fault_response_code).
 * Return: 0, or a negative errno: -ENOENT (@cookie is not a group read
 * from this queue and still unanswered: checked before the kernel sees
 * it), -EINVAL (unknown @code), -EFAULT.  Linux 6.11.
 */
LIBIOMMUFD_API int iommufd_fault_queue_respond(struct iommufd_fault_queue *queue,
					       uint32_t cookie, uint32_t code);

/*
 * iommufd_fault_queue_respond_batch - answer @count groups in one write.
 *
 * Every response is checked first (known, unanswered cookie, not twice in
 * the batch; a known code), so a bad one is refused before anything is
 * sent.  Should the kernel stop part way, the return says how many it
 * took, in order; the rest stay owed.
 * Return: the number of responses the kernel took (@count when all), or a
 * negative errno when none: -ENOENT (a cookie not owed; the sentence names
 * its index), -EINVAL (unknown code, @responses NULL, @count 0), -EFAULT.
 * Linux 6.11.
 */
LIBIOMMUFD_API ssize_t iommufd_fault_queue_respond_batch(struct iommufd_fault_queue *queue,
							 const struct iommufd_fault_response *responses,
							 size_t count);

/* iommufd_fault_queue_owed - groups read from @queue and not yet
 * answered. */
LIBIOMMUFD_API size_t iommufd_fault_queue_owed(const struct iommufd_fault_queue *queue);

LIBIOMMUFD_END_DECLS

#endif
