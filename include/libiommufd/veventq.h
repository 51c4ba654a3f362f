/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vEVENTQs: events a vIOMMU reports for its vDEVICEs (the guest's event
 * queue: SMMUv3 F_TRANSLATION records...), read from the queue's fd.
 *
 * The kernel numbers every event, also those it had to drop because the
 * queue was full (depth reached) or memory was short; the reader follows
 * the numbers and says how many were lost before each event, so a VMM can
 * tell its guest (an SMMUv3 EVTQ overflow, say).
 *
 * Thread safety: one thread reads a queue at a time.  For a consumer on
 * another thread, see ring.h.
 */
#ifndef LIBIOMMUFD_VEVENTQ_H
#define LIBIOMMUFD_VEVENTQ_H

#include <sys/types.h>

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

struct iommufd_veventq;

/* vEVENTQ types (IOMMU_VEVENTQ_TYPE_*): one queue per type per vIOMMU. */
enum iommufd_veventq_type {
	IOMMUFD_VEVENTQ_TYPE_DEFAULT = 0, /* refused by current kernels */
	IOMMUFD_VEVENTQ_TYPE_ARM_SMMUV3 = 1,     /* struct iommufd_vevent_arm_smmuv3 */
	IOMMUFD_VEVENTQ_TYPE_TEGRA241_CMDQV = 2, /* struct iommufd_vevent_tegra241_cmdqv */
	IOMMUFD_VEVENTQ_TYPE_SELFTEST = 0xbeefbeef, /* struct iommufd_vevent_selftest */
};

/* ARM SMMUv3 event record (little endian), its StreamID the virtual one. */
struct iommufd_vevent_arm_smmuv3 {
	uint64_t evt[4];
};

/* NVIDIA Tegra241 CMDQV: which LVCMDQs of the VINTF hit an error. */
struct iommufd_vevent_tegra241_cmdqv {
	uint64_t lvcmdq_err_map[2];
};

/* The selftest mock's event: the virt_id of the vDEVICE. */
struct iommufd_vevent_selftest {
	uint32_t virt_id;
};

/* Bytes of vendor data struct iommufd_vevent holds. */
#define IOMMUFD_VEVENT_DATA_MAX 64

/* Bits of struct iommufd_vevent::flags. */
enum iommufd_vevent_flag {
	/* The kernel's LOST_EVENTS record: no data, @lost events were dropped
	 * (the queue is full, or was when they came). */
	IOMMUFD_VEVENT_LOST = 1u << 0,
	/* The vendor data was longer than IOMMUFD_VEVENT_DATA_MAX: @data
	 * holds its start, @data_len its full length. */
	IOMMUFD_VEVENT_TRUNCATED = 1u << 1,
};

/*
 * struct iommufd_vevent - one event, parsed.
 * @flags:    enum iommufd_vevent_flag.
 * @sequence: the kernel's number of the event (31 bits, wrapping).
 * @lost:     events dropped just before this one, counted from the gap in
 *            the numbers (or the LOST record's own count).
 * @data_len: bytes of vendor data the kernel sent.
 * @data:     the vendor data: a struct of the queue's type (8-byte aligned).
 */
struct iommufd_vevent {
	uint32_t flags;
	uint32_t sequence;
	uint32_t lost;
	uint32_t data_len;
	uint64_t data[IOMMUFD_VEVENT_DATA_MAX / 8];
};

/*
 * struct iommufd_veventq_opts - options of iommufd_veventq_alloc().
 * @sz:       sizeof, set by IOMMUFD_OPTS().
 * @flags:    none defined yet; must be 0.
 * @data_len: bytes of vendor data each event of the type carries (the
 *            kernel's header does not say: every event of a type has its
 *            type's size); 0: the size of the type's struct above.
 *            Needed for a type this library does not know.
 */
struct iommufd_veventq_opts {
	size_t sz;
	uint32_t flags;
	uint32_t data_len;
};

/*
 * iommufd_veventq_alloc - allocate a vEVENTQ of @type on vIOMMU @viommu_id
 * (IOMMU_VEVENTQ_ALLOC) holding at most @depth events; more are dropped
 * and counted as lost.
 * @depth: 1 .. 1 << 19.
 * @opts:  NULL for the defaults.
 * @queue: receives the handle.
 * Return: 0, or a negative errno: -EEXIST (the vIOMMU has a queue of
 * @type), -EINVAL (@depth out of range; a @type this library does not
 * know without opts->data_len), -ENOENT (no such vIOMMU), -EOPNOTSUPP
 * (@type DEFAULT, a flag, or "needs Linux 6.15"), -E2BIG, -EMFILE,
 * -ENOMEM.  Linux 6.15.
 */
LIBIOMMUFD_API int iommufd_veventq_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id,
					 uint32_t type, uint32_t depth,
					 const struct iommufd_veventq_opts *opts,
					 struct iommufd_veventq **queue);

/*
 * iommufd_veventq_close - close the queue's fd, destroy the queue and free
 * @queue (NULL is allowed); events still queued are dropped.
 * Return: 0, or a negative errno from IOMMU_DESTROY (@queue is freed all
 * the same).
 */
LIBIOMMUFD_API int iommufd_veventq_close(struct iommufd_veventq *queue);

/* iommufd_veventq_id - the queue's object ID. */
LIBIOMMUFD_API uint32_t iommufd_veventq_id(const struct iommufd_veventq *queue);

/* iommufd_veventq_fd - the queue's fd, for poll/epoll: readable while
 * events wait.  Owned by @queue: do not close it or read it behind the
 * library's back. */
LIBIOMMUFD_API int iommufd_veventq_fd(const struct iommufd_veventq *queue);

/*
 * iommufd_veventq_read - move up to @max waiting events into @events,
 * without blocking (wait for the fd to be readable).
 *
 * The read asks the kernel for @max events' worth of bytes, so events
 * stay queued in the kernel (the fd readable) until read; should the
 * kernel hand over more than @max, they are kept for the next call, never
 * dropped.  Each event's @lost counts the events the kernel dropped just
 * before it.
 * Return: the number of events (0: none waiting), or a negative errno:
 * -EINVAL (@events NULL or @max 0), -EPROTO (the kernel's bytes do not
 * parse; the sentence says where), -EFAULT, -ENOMEM.  Linux 6.15.
 */
LIBIOMMUFD_API ssize_t iommufd_veventq_read(struct iommufd_veventq *queue,
					    struct iommufd_vevent *events, size_t max);

/* iommufd_veventq_lost - events of @queue lost in all, as counted by the
 * reads so far. */
LIBIOMMUFD_API uint64_t iommufd_veventq_lost(const struct iommufd_veventq *queue);

LIBIOMMUFD_END_DECLS

#endif
