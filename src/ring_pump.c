/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pump: kernel queue -> ring -> consumer, with as few system calls as
 * the handshakes allow.
 *
 * Waking the consumer.  The consumer's eventfd is written only when the
 * consumer said it is about to wait: a take() that finds the ring empty
 * sets consumer_waiting, clears the eventfd and looks at the ring again;
 * the pump, after publishing records, writes the eventfd only if it swaps
 * consumer_waiting from 1 to 0.  Each side stores (its flag, or the ring
 * index), then issues a seq_cst fence, then loads the other's: at least
 * one of the two sees the other, so either the consumer finds the records
 * or the pump sees the flag.  No wakeup is lost, and a consumer that is
 * busy taking costs the pump no write at all.  Invariant: while
 * consumer_waiting is 0 the eventfd is readable (whoever clears the flag
 * writes it), so a consumer may wait on it after any take().
 *
 * Back-pressure.  The pump reads the kernel queue only into free slots.
 * When none are left (or the next group does not fit) it takes the queue
 * fd out of its epoll set -- so neither its thread nor a caller's
 * level-triggered loop spins on a queue it must not read -- and sets
 * producer_waiting: the same handshake the other way round, the take()
 * that frees slots and swaps the flag from 1 to 0 writes the pump's wake
 * fd.  Meanwhile the records wait in the kernel; none is dropped.
 *
 * Failure.  The first error of a read (or of epoll) stops the pump for
 * good: its errno and sentence are kept, the consumer is woken, and take()
 * returns them once the ring is empty -- with the sentence recorded again
 * in the consumer's thread, since sentences are kept per thread.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "private.h"
#include "ring_core.h"
#include "ring_pump.h"

#define CACHE_LINE 64
#define ERR_LEN 320
/* The name the thread's failures go under. */
#define PUMP_THREAD "the ring's pump thread"

struct ifd_pump {
	const struct ifd_pump_ops *ops;
	void *queue;
	int queue_fd;
	struct iommufd_ctx *ctx;
	struct ifd_ring *ring;
	void *staging; /* what one read brings, before it goes into the ring */
	int event_fd;  /* the consumer's */
	int wake_fd;   /* the pump's: room made, or stop */
	int epoll_fd;  /* wake_fd, and queue_fd while the pump may read */

	/* The producer's (the pump thread, or the caller's pump). */
	_Alignas(CACHE_LINE) bool queue_armed; /* queue_fd is in epoll_fd */
	bool blocked;                          /* waiting for room */
	uint32_t blocked_head;                 /* the consumer's index then */
	uint64_t kicks_seen;                   /* wake_fd writes read back */
	_Atomic uint64_t pushed, full, pump_reads, signals;

	/* The consumer's. */
	_Alignas(CACHE_LINE) _Atomic uint64_t taken;

	/* The handshakes. */
	_Alignas(CACHE_LINE) _Atomic int consumer_waiting;
	_Alignas(CACHE_LINE) _Atomic int producer_waiting;
	_Atomic uint64_t kicks; /* counted before each wake_fd write */

	/* The thread, started and stopped by whoever controls the ring. */
	pthread_t thread;
	_Atomic bool running; /* created and not yet joined */
	_Atomic bool stopping;

	/* The first failure: error_msg is written once, before error. */
	_Atomic int error;
	char error_msg[ERR_LEN];
};

/* A counter only one side writes: no read-modify-write needed. */
static void bump(_Atomic uint64_t *counter, uint64_t n)
{
	atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + n,
			      memory_order_relaxed);
}

/* Writing 1 to an eventfd fails only when its counter would overflow,
 * which needs 2^64 writes nobody read: the result is not checked. */
static void eventfd_post(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		return;
}

static uint64_t eventfd_clear(int fd)
{
	uint64_t v = 0;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static void signal_consumer(struct ifd_pump *p)
{
	eventfd_post(p->event_fd);
	atomic_fetch_add_explicit(&p->signals, 1, memory_order_relaxed);
}

static void kick_pump(struct ifd_pump *p)
{
	atomic_fetch_add_explicit(&p->kicks, 1, memory_order_release);
	eventfd_post(p->wake_fd);
}

/* ---- failure ------------------------------------------------------------ */

/* Stop the pump for good with -@err: keep the sentence ("the pump
 * stopped: ...") for the consumer, record it for this thread under @fn,
 * wake the consumer. */
IFD_PRINTF(4, 5)
static int pump_fail(struct ifd_pump *p, const char *fn, int err, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(p->error_msg, sizeof(p->error_msg), "the pump stopped: ");
	va_start(ap, fmt);
	vsnprintf(p->error_msg + len, sizeof(p->error_msg) - (size_t)len, fmt, ap);
	va_end(ap);
	atomic_store_explicit(&p->error, -err, memory_order_release);
	signal_consumer(p);
	return ifd_fail(p->ctx, err, "%s: %s", fn, p->error_msg);
}

/* The kept failure, recorded again for the calling thread under @fn. */
static int pump_failed(const struct ifd_pump *p, const char *fn)
{
	int err = atomic_load_explicit(&p->error, memory_order_acquire);

	return err ? ifd_fail(p->ctx, -err, "%s: %s", fn, p->error_msg) : 0;
}

/* ---- the producer --------------------------------------------------------- */

static int arm_queue(struct ifd_pump *p, const char *fn, bool on)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = p->queue_fd };
	int err;

	if (p->queue_armed == on)
		return 0;
	if (epoll_ctl(p->epoll_fd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, p->queue_fd, &ev)) {
		err = errno;
		return pump_fail(p, fn, err, "epoll_ctl(%s) of the queue fd: %s",
				 on ? "ADD" : "DEL", strerror(err));
	}
	p->queue_armed = on;
	return 0;
}

/* Read back the kicks written to wake_fd, so that it does not stay
 * readable; only when some were written, to spare the read otherwise. */
static void drain_kicks(struct ifd_pump *p)
{
	if (atomic_load_explicit(&p->kicks, memory_order_acquire) != p->kicks_seen)
		p->kicks_seen += eventfd_clear(p->wake_fd);
}

static int unblock(struct ifd_pump *p, const char *fn)
{
	atomic_store_explicit(&p->producer_waiting, 0, memory_order_relaxed);
	p->blocked = false;
	return arm_queue(p, fn, true);
}

/* Ask the consumer for a kick once it moves past @head -- every time the
 * pump goes back to sleep blocked, not only the first: the kick that woke
 * it may have answered an earlier request (the consumer swaps the flag
 * some time after it moved), and a kick spent that way must not leave
 * the pump waiting for one that never comes. */
static ssize_t wait_for_room(struct ifd_pump *p, uint32_t head, const char *fn)
{
	p->blocked_head = head;
	atomic_store_explicit(&p->producer_waiting, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	/* The consumer may have made room before it could see the flag. */
	if (ifd_ring_head(p->ring) != head)
		return unblock(p, fn);
	return 0;
}

/* No room (for the next group): stop reading until the consumer moves
 * past @head, the index the room was measured at. */
static ssize_t block(struct ifd_pump *p, uint32_t head, const char *fn)
{
	int rc;

	bump(&p->full, 1);
	p->blocked = true;
	rc = arm_queue(p, fn, false);
	return rc ? rc : wait_for_room(p, head, fn);
}

static void wake_consumer(struct ifd_pump *p)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&p->consumer_waiting, memory_order_relaxed) &&
	    atomic_exchange_explicit(&p->consumer_waiting, 0, memory_order_relaxed))
		signal_consumer(p);
}

static ssize_t pump_step(struct ifd_pump *p, const char *fn)
{
	uint32_t head, room;
	ssize_t n;
	int rc;

	rc = pump_failed(p, fn);
	if (rc)
		return rc;
	drain_kicks(p);
	head = ifd_ring_head(p->ring);
	if (p->blocked) {
		if (head == p->blocked_head) /* no room made: the kernel keeps the records */
			return wait_for_room(p, head, fn);
		rc = unblock(p, fn);
		if (rc)
			return rc;
	}
	room = ifd_ring_room(p->ring);
	if (!room)
		return block(p, head, fn);
	n = p->ops->read(p->queue, p->staging, room);
	bump(&p->pump_reads, 1);
	if (n == -EMSGSIZE && room < ifd_ring_capacity(p->ring))
		return block(p, head, fn);
	if (n == -EMSGSIZE)
		return pump_fail(p, fn, EMSGSIZE,
				 "the next group is larger than the whole ring (capacity %u) "
				 "and can never move (%s)",
				 ifd_ring_capacity(p->ring), iommufd_ctx_last_error(p->ctx));
	if (n < 0)
		return pump_fail(p, fn, (int)-n, "%s", iommufd_ctx_last_error(p->ctx));
	if (!n)
		return 0;
	ifd_ring_push(p->ring, p->staging, (uint32_t)n);
	bump(&p->pushed, (uint64_t)n);
	wake_consumer(p);
	return n;
}

ssize_t ifd_pump_pump(struct ifd_pump *p, const char *fn)
{
	int rc = pump_failed(p, fn);

	if (rc)
		return rc;
	if (atomic_load_explicit(&p->running, memory_order_acquire))
		return ifd_fail(p->ctx, EBUSY,
				"%s: the library's pump thread is the producer; "
				"stop it before pumping from your own loop", fn);
	return pump_step(p, fn);
}

/* ---- the thread ------------------------------------------------------------ */

static void *pump_thread(void *arg)
{
	struct ifd_pump *p = arg;
	struct epoll_event ev[2];

	while (!atomic_load_explicit(&p->stopping, memory_order_acquire)) {
		int n = epoll_wait(p->epoll_fd, ev, IFD_ARRAY_SIZE(ev), -1);

		if (n < 0 && errno != EINTR) {
			int err = errno;

			pump_fail(p, PUMP_THREAD, err, "epoll_wait: %s", strerror(err));
			break;
		}
		if (n <= 0 || atomic_load_explicit(&p->stopping, memory_order_acquire))
			continue;
		if (pump_step(p, PUMP_THREAD) < 0)
			break;
	}
	return NULL;
}

int ifd_pump_start(struct ifd_pump *p, const char *fn)
{
	sigset_t all, old;
	int rc;

	rc = pump_failed(p, fn);
	if (rc)
		return rc;
	if (atomic_load_explicit(&p->running, memory_order_acquire))
		return ifd_fail(p->ctx, EBUSY, "%s: the pump thread runs already", fn);
	atomic_store_explicit(&p->stopping, false, memory_order_relaxed);
	/* The thread takes no signals: they belong to the application's
	 * threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (ifd_ring_injected(&ifd_ring_inject.thread_nth))
		rc = EAGAIN;
	else
		rc = pthread_create(&p->thread, NULL, pump_thread, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return ifd_fail(p->ctx, rc, "%s: cannot start the pump thread: %s", fn,
				strerror(rc));
	atomic_store_explicit(&p->running, true, memory_order_release);
	return 0;
}

int ifd_pump_stop(struct ifd_pump *p)
{
	if (!atomic_load_explicit(&p->running, memory_order_acquire))
		return 0;
	atomic_store_explicit(&p->stopping, true, memory_order_release);
	kick_pump(p);
	pthread_join(p->thread, NULL);
	atomic_store_explicit(&p->running, false, memory_order_release);
	return 0;
}

/* ---- the consumer ------------------------------------------------------------ */

/* The ring looked empty: say so to the pump, clear the eventfd, look again.
 * Records that came meanwhile may have been signalled before the clear:
 * signal them again, so the eventfd stays readable while records wait. */
static uint32_t wait_for_pump(struct ifd_pump *p)
{
	uint32_t n;

	atomic_store_explicit(&p->consumer_waiting, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	eventfd_clear(p->event_fd);
	n = ifd_ring_ready(p->ring);
	if (n) {
		atomic_store_explicit(&p->consumer_waiting, 0, memory_order_relaxed);
		signal_consumer(p);
	}
	return n;
}

static bool failed(const struct ifd_pump *p)
{
	return atomic_load_explicit(&p->error, memory_order_acquire);
}

ssize_t ifd_pump_ready(struct ifd_pump *p, const char *fn)
{
	uint32_t n = ifd_ring_ready(p->ring);
	bool cleared = false;

	if (n)
		return n;
	/* consumer_waiting still set: the eventfd is clear already, and the
	 * pump will write it for the next record -- no system call.  Nor
	 * once the pump failed: the eventfd stays readable then. */
	if (!failed(p) && !atomic_load_explicit(&p->consumer_waiting, memory_order_relaxed)) {
		n = wait_for_pump(p);
		if (n)
			return n;
		cleared = true;
	}
	if (!failed(p))
		return 0;
	/* Records pushed before the failure come first. */
	n = ifd_ring_ready(p->ring);
	if (n)
		return n;
	if (cleared) /* the failure came while we cleared: readable again */
		eventfd_post(p->event_fd);
	return pump_failed(p, fn);
}

void ifd_pump_taken(struct ifd_pump *p, uint32_t n)
{
	ifd_ring_pop(p->ring, n);
	bump(&p->taken, n);
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&p->producer_waiting, memory_order_relaxed) &&
	    atomic_exchange_explicit(&p->producer_waiting, 0, memory_order_relaxed))
		kick_pump(p);
}

/* ---- life ------------------------------------------------------------------ */

static int open_fds(struct ifd_pump *p, const char *fn)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = -1 };
	const char *what = "eventfd";
	int rc;

	p->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->event_fd >= 0)
		p->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->wake_fd >= 0) {
		what = "epoll_create1";
		p->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	}
	if (p->epoll_fd >= 0) {
		what = "epoll_ctl of the wake fd";
		ev.data.fd = p->wake_fd;
		if (!epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, p->wake_fd, &ev)) {
			what = "epoll_ctl of the queue fd";
			ev.data.fd = p->queue_fd;
			if (!epoll_ctl(p->epoll_fd, EPOLL_CTL_ADD, p->queue_fd, &ev)) {
				p->queue_armed = true;
				return 0;
			}
		}
	}
	rc = errno;
	return ifd_fail(p->ctx, rc, "%s: %s: %s", fn, what, strerror(rc));
}

int ifd_pump_new(const struct ifd_pump_ops *ops, void *queue, int queue_fd,
		 struct iommufd_ctx *ctx, const char *fn, uint32_t capacity, struct ifd_pump **pump)
{
	uint32_t cap = ifd_ring_round(capacity);
	struct ifd_pump *p;
	int rc;

	*pump = NULL;
	if (!capacity || !cap)
		return ifd_fail(ctx, EINVAL, "%s: capacity %u is not within 1..%u", fn, capacity,
				IFD_RING_MAX_CAPACITY);
	p = ifd_ring_alloc(CACHE_LINE, sizeof(*p));
	if (!p)
		return ifd_fail(ctx, ENOMEM, "%s: out of memory", fn);
	p->ops = ops;
	p->queue = queue;
	p->queue_fd = queue_fd;
	p->ctx = ctx;
	p->event_fd = p->wake_fd = p->epoll_fd = -1;
	/* No take() has cleared the eventfd yet, but the first record must
	 * be signalled all the same. */
	atomic_init(&p->consumer_waiting, 1);
	rc = ifd_ring_new(ops->slot_size, cap, &p->ring);
	if (!rc) {
		p->staging = ifd_ring_alloc(CACHE_LINE, ops->slot_size * cap);
		rc = p->staging ? 0 : -ENOMEM;
	}
	if (rc)
		rc = ifd_fail(ctx, -rc, "%s: out of memory for a ring of %u records of %zu bytes",
			      fn, cap, ops->slot_size);
	else
		rc = open_fds(p, fn);
	if (rc) {
		ifd_pump_free(p);
		return rc;
	}
	*pump = p;
	return 0;
}

void ifd_pump_free(struct ifd_pump *p)
{
	if (!p)
		return;
	ifd_pump_stop(p);
	/* Our own fds, not the kernel's: close(2), not the seam. */
	if (p->epoll_fd >= 0)
		close(p->epoll_fd);
	if (p->wake_fd >= 0)
		close(p->wake_fd);
	if (p->event_fd >= 0)
		close(p->event_fd);
	ifd_ring_free(p->ring);
	free(p->staging);
	free(p);
}

int ifd_pump_eventfd(const struct ifd_pump *p)
{
	return p->event_fd;
}

int ifd_pump_fd(const struct ifd_pump *p)
{
	return p->epoll_fd;
}

struct ifd_ring *ifd_pump_ring(const struct ifd_pump *p)
{
	return p->ring;
}

void *ifd_pump_queue(const struct ifd_pump *p)
{
	return p->queue;
}

struct iommufd_ctx *ifd_pump_ctx(const struct ifd_pump *p)
{
	return p->ctx;
}

void *ifd_pump_scratch(const struct ifd_pump *p)
{
	return p->staging;
}

void ifd_pump_get_stats(const struct ifd_pump *p, struct ifd_pump_stats *s)
{
	s->pushed = atomic_load_explicit(&p->pushed, memory_order_relaxed);
	s->taken = atomic_load_explicit(&p->taken, memory_order_relaxed);
	s->full = atomic_load_explicit(&p->full, memory_order_relaxed);
	s->pump_reads = atomic_load_explicit(&p->pump_reads, memory_order_relaxed);
	s->signals = atomic_load_explicit(&p->signals, memory_order_relaxed);
	s->capacity = ifd_ring_capacity(p->ring);
}
