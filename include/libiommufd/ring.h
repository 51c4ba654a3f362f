/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rings: move faults (or vEVENTs) from the kernel's queue into a bounded
 * lock-free single-producer/single-consumer ring and signal an eventfd, so
 * a consumer on another thread (a vCPU or I/O thread) takes them without a
 * syscall per record.
 *
 * Two roles:
 *  - the pump (producer) reads the kernel queue into the ring.  Either the
 *    library runs it on a thread of its own (iommufd_*_ring_start()), or
 *    the caller's event loop does: poll iommufd_*_ring_pump_fd() and call
 *    iommufd_*_ring_pump() when it is readable;
 *  - the consumer polls iommufd_*_ring_eventfd() and takes records with
 *    iommufd_*_ring_take().
 *
 * Back-pressure: when the ring is full the pump stops reading the kernel
 * queue until the consumer makes room -- records wait in the kernel, none
 * is dropped.  (A page request dropped would hang its device.)  Fault
 * groups move whole: the consumer never sees half a group.
 *
 * System calls: none per record.  The pump writes the consumer's eventfd
 * only when the consumer ran out of records (at most once per batch read,
 * none while the consumer keeps taking); take() clears it only when it
 * finds the ring empty.  The eventfd is readable whenever records wait, so
 * the consumer may go back to poll() after any take().
 *
 * Failure: the first error of the pump (a read of the kernel queue that
 * failed, a group larger than the ring) stops it for good.  pump() returns
 * it, the pump thread ends, and take() returns it -- with its sentence --
 * once the records before it are taken.  Free the ring then; the queue
 * itself still works.
 *
 * Thread safety: exactly one producer (the pump thread, or one caller
 * thread calling pump) and one consumer thread at a time per ring.
 */
#ifndef LIBIOMMUFD_RING_H
#define LIBIOMMUFD_RING_H

#include <sys/types.h>

#include <libiommufd/fault.h>
#include <libiommufd/veventq.h>

LIBIOMMUFD_BEGIN_DECLS

struct iommufd_fault_ring;
struct iommufd_vevent_ring;

/* Flags of struct iommufd_ring_opts. */
enum iommufd_ring_flag {
	IOMMUFD_RING_THREAD = 1u << 0, /* start the library's pump thread now */
};

#define IOMMUFD_RING_DEFAULT_CAPACITY 256u
#define IOMMUFD_RING_MAX_CAPACITY (1u << 20)

/*
 * struct iommufd_ring_opts - options of iommufd_*_ring_new().
 * @sz:       sizeof, set by IOMMUFD_OPTS().
 * @capacity: records the ring holds, rounded up to a power of two;
 *            0: IOMMUFD_RING_DEFAULT_CAPACITY; at most
 *            IOMMUFD_RING_MAX_CAPACITY.  A fault group larger than the
 *            ring can never move: the pump then fails with -EMSGSIZE.
 * @flags:    enum iommufd_ring_flag.
 */
struct iommufd_ring_opts {
	size_t sz;
	uint32_t capacity;
	uint32_t flags;
};

/*
 * struct iommufd_ring_stats - what a ring has seen.
 * @sz:        sizeof, set by the caller (IOMMUFD_OPTS()).
 * @pushed:    records the pump put in.
 * @taken:     records the consumer took out.
 * @full:      times the pump found the ring full and stopped draining.
 * @pump_reads: reads of the kernel queue.
 * @signals:   eventfd writes to wake the consumer.
 * @capacity:  the ring's capacity after rounding.
 */
struct iommufd_ring_stats {
	size_t sz;
	uint64_t pushed;
	uint64_t taken;
	uint64_t full;
	uint64_t pump_reads;
	uint64_t signals;
	uint32_t capacity;
};

/* ---- faults ----------------------------------------------------------- */

/*
 * iommufd_fault_ring_new - a ring fed from fault queue @queue, which must
 * outlive it and is read only through the ring from now on.
 * Return: 0, or a negative errno: -EINVAL (capacity too big, @queue or
 * @ring NULL), -EOPNOTSUPP (an unknown flag), -E2BIG (@opts sets a field
 * this library does not know), -EMFILE, -ENOMEM, or what starting the
 * thread returned.  Three fds (two eventfds, one epoll fd) per ring.
 */
LIBIOMMUFD_API int iommufd_fault_ring_new(struct iommufd_fault_queue *queue,
					  const struct iommufd_ring_opts *opts,
					  struct iommufd_fault_ring **ring);

/*
 * iommufd_fault_ring_free - stop the pump thread, answer every group still
 * in the ring with IOMMUFD_FAULT_RESP_INVALID (in one write), and free
 * @ring (NULL is allowed).  Groups the consumer took stay owed on the
 * queue: answer them, or close the queue (the kernel answers them).
 * Return: the number of groups answered here, or a negative errno when
 * answering failed (the ring is freed all the same).
 */
LIBIOMMUFD_API ssize_t iommufd_fault_ring_free(struct iommufd_fault_ring *ring);

/* iommufd_fault_ring_eventfd - the consumer's eventfd: readable when
 * records (or a pump failure) wait.  Do not read it;
 * iommufd_fault_ring_take() clears it. */
LIBIOMMUFD_API int iommufd_fault_ring_eventfd(const struct iommufd_fault_ring *ring);

/* iommufd_fault_ring_pump_fd - the producer's fd, for a caller-run pump:
 * readable when iommufd_fault_ring_pump() has work (the kernel queue has records and the
 * ring has room, or the consumer made room). */
LIBIOMMUFD_API int iommufd_fault_ring_pump_fd(const struct iommufd_fault_ring *ring);

/*
 * iommufd_fault_ring_pump - one producer step: move what the kernel queue
 * holds into the ring, as far as it fits, and signal the consumer.
 * Return: records moved (0: nothing waiting, or the ring is full), or a
 * negative errno: -EBUSY (the library's thread is the pump), or the error
 * that stopped the pump for good: -EMSGSIZE (a group larger than the
 * ring), -EPROTO, -EFAULT, -ENOMEM.
 */
LIBIOMMUFD_API ssize_t iommufd_fault_ring_pump(struct iommufd_fault_ring *ring);

/* iommufd_fault_ring_start / _stop - start / stop the library's pump
 * thread (it blocks every signal).
 * Stopping waits for it; records already in the ring stay there; stopping
 * a ring whose thread is not running does nothing.  Return: 0, -EBUSY
 * (start: running), the error that stopped the pump, or what
 * pthread_create() returned. */
LIBIOMMUFD_API int iommufd_fault_ring_start(struct iommufd_fault_ring *ring);
LIBIOMMUFD_API int iommufd_fault_ring_stop(struct iommufd_fault_ring *ring);

/*
 * iommufd_fault_ring_take - the consumer: move up to @max records, whole
 * groups only, out of the ring into @faults.  No syscall, except one to
 * clear the eventfd when the ring runs empty.
 * Return: records taken (0: empty), or a negative errno: -EMSGSIZE (the
 * next group has more than @max records), -EINVAL, or the error that
 * stopped the pump (once the ring is empty).
 * Answer the groups with iommufd_fault_queue_respond_batch() on the queue.
 */
LIBIOMMUFD_API ssize_t iommufd_fault_ring_take(struct iommufd_fault_ring *ring,
					       struct iommufd_fault *faults, size_t max);

/* iommufd_fault_ring_stats - fill @stats as far as its @sz (set by the
 * caller) reaches; bytes past the fields this library knows are zeroed.
 * Return: 0 or -EINVAL. */
LIBIOMMUFD_API int iommufd_fault_ring_stats(const struct iommufd_fault_ring *ring,
					    struct iommufd_ring_stats *stats);

/* ---- vEVENTs: the same, for a vEVENTQ ---------------------------------- */

/* iommufd_vevent_ring_new - a ring fed from vEVENTQ @queue, which must
 * outlive it and is read only through the ring from now on; @opts and
 * @ring as iommufd_fault_ring_new().  Return: as iommufd_fault_ring_new(). */
LIBIOMMUFD_API int iommufd_vevent_ring_new(struct iommufd_veventq *queue,
					   const struct iommufd_ring_opts *opts,
					   struct iommufd_vevent_ring **ring);
/* iommufd_vevent_ring_free - stop the pump thread and free @ring (NULL is
 * allowed); events still in it are dropped (vEVENTs need no answer).
 * Return: the number dropped. */
LIBIOMMUFD_API ssize_t iommufd_vevent_ring_free(struct iommufd_vevent_ring *ring);
/* iommufd_vevent_ring_eventfd / _pump_fd / _pump / _start / _stop - as the
 * iommufd_fault_ring_*() functions of those names, for vEVENTs. */
LIBIOMMUFD_API int iommufd_vevent_ring_eventfd(const struct iommufd_vevent_ring *ring);
LIBIOMMUFD_API int iommufd_vevent_ring_pump_fd(const struct iommufd_vevent_ring *ring);
LIBIOMMUFD_API ssize_t iommufd_vevent_ring_pump(struct iommufd_vevent_ring *ring);
LIBIOMMUFD_API int iommufd_vevent_ring_start(struct iommufd_vevent_ring *ring);
LIBIOMMUFD_API int iommufd_vevent_ring_stop(struct iommufd_vevent_ring *ring);
/* iommufd_vevent_ring_take - the consumer: move up to @max events out of
 * the ring into @events.  Events carry their @lost counts through the
 * ring unchanged.  Return: events taken (0: empty), or a negative errno:
 * -EINVAL, or the error that stopped the pump (once the ring is empty). */
LIBIOMMUFD_API ssize_t iommufd_vevent_ring_take(struct iommufd_vevent_ring *ring,
						struct iommufd_vevent *events, size_t max);
/* iommufd_vevent_ring_stats - as iommufd_fault_ring_stats(), into @stats. */
LIBIOMMUFD_API int iommufd_vevent_ring_stats(const struct iommufd_vevent_ring *ring,
					     struct iommufd_ring_stats *stats);

LIBIOMMUFD_END_DECLS

#endif
