// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The two handlers the benchmark compares, each fed by the same producer
 * thread that raises the page requests (IOMMU_TEST_OP_TRIGGER_IOPF):
 *  - raw:  one thread; poll(2) the queue's fd, read(2) a batch of records,
 *          write(2) the answers of the batch in one call -- what a VMM
 *          writes by hand against the kernel's uAPI;
 *  - ring: the SDK; the library's pump thread moves records from the
 *          kernel into the ring, a consumer thread takes them and answers
 *          in batches with iommufd_fault_queue_respond_batch().
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libiommufd/ring.h>
#include <libiommufd/testing.h>

#include "fault_bench.h"

struct producer {
	pthread_t thread;
	const struct bench_env *env;
	uint64_t count;
	int err;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *produce(void *arg)
{
	const uint32_t perm = IOMMUFD_FAULT_PERM_READ | IOMMUFD_FAULT_PERM_WRITE;
	struct producer *p = arg;

	for (uint64_t i = 0; i < p->count && !p->err; i++)
		p->err = iommufd_test_trigger_iopf(p->env->ctx, p->env->dev_id, 0,
						   (uint32_t)(i & 0xffff), perm,
						   0x100000000ull + i * 4096);
	return NULL;
}

static int start_producer(struct producer *p, const struct bench_env *env, uint64_t count)
{
	*p = (struct producer){ .env = env, .count = count };
	return -pthread_create(&p->thread, NULL, produce, p);
}

static int join_producer(struct producer *p)
{
	pthread_join(p->thread, NULL);
	if (p->err)
		fprintf(stderr, "fault-bench: trigger: %s\n",
			iommufd_ctx_last_error(p->env->ctx));
	return p->err;
}

/* The answers of the groups in @f (every record is a group here, but walk
 * them as groups all the same). */
static size_t answers(const struct iommufd_fault *f, size_t n, struct iommufd_fault_response *r)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (f[i].flags & IOMMUFD_FAULT_LAST_PAGE)
			r[k++] = (struct iommufd_fault_response){ f[i].cookie,
								 IOMMUFD_FAULT_RESP_SUCCESS };
	return k;
}

/* Raw syscalls on the queue's fd; the library is not asked to read or
 * answer (and so keeps no cookies for this queue). */
static int raw_loop(int fd, const struct bench_opts *o, struct bench_result *r)
{
	struct iommufd_fault *f = calloc(o->batch, sizeof(*f));
	struct iommufd_fault_response *resp = calloc(o->batch, sizeof(*resp));
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = 0;

	if (!f || !resp)
		rc = -ENOMEM;
	while (!rc && r->faults < o->count) {
		if (poll(&p, 1, 10000) != 1) {
			rc = -ETIMEDOUT;
			break;
		}
		ssize_t n = read(fd, f, o->batch * sizeof(*f));
		if (n < 0) {
			rc = errno == EAGAIN ? 0 : -errno;
			continue;
		}
		size_t recs = (size_t)n / sizeof(*f), k = answers(f, recs, resp);
		if (k && write(fd, resp, k * sizeof(*resp)) != (ssize_t)(k * sizeof(*resp)))
			rc = -EIO;
		r->faults += recs;
		r->reads++;
	}
	free(f);
	free(resp);
	return rc;
}

/* Backlog: every request raised before the handler starts. */
static int produce_all(const struct bench_env *env, const struct bench_opts *o)
{
	struct producer p;
	int rc;

	if (!o->backlog)
		return 0;
	rc = start_producer(&p, env, o->count);
	return rc ?: join_producer(&p);
}

int bench_raw(const struct bench_env *env, const struct bench_opts *o, struct bench_result *r)
{
	struct producer p;
	int rc = produce_all(env, o);
	double t0 = now();

	if (!rc && !o->backlog)
		rc = start_producer(&p, env, o->count);
	if (rc)
		return rc;
	rc = raw_loop(iommufd_fault_queue_fd(env->queue), o, r);
	r->seconds = now() - t0;
	return (o->backlog ? 0 : join_producer(&p)) ?: rc;
}

struct consumer {
	pthread_t thread;
	struct iommufd_fault_ring *ring;
	const struct bench_env *env;
	const struct bench_opts *o;
	struct bench_result *r;
	int err;
};

static void *consume(void *arg)
{
	struct consumer *c = arg;
	struct iommufd_fault *f = calloc(c->o->batch, sizeof(*f));
	struct iommufd_fault_response *resp = calloc(c->o->batch, sizeof(*resp));
	struct pollfd p = { .fd = iommufd_fault_ring_eventfd(c->ring), .events = POLLIN };

	if (!f || !resp)
		c->err = -ENOMEM;
	while (!c->err && c->r->faults < c->o->count) {
		ssize_t n = iommufd_fault_ring_take(c->ring, f, c->o->batch);

		if (n == 0) {
			if (poll(&p, 1, 10000) != 1)
				c->err = -ETIMEDOUT;
			continue;
		}
		if (n < 0) {
			c->err = (int)n;
			break;
		}
		size_t k = answers(f, (size_t)n, resp);
		if (k && iommufd_fault_queue_respond_batch(c->env->queue, resp, k) != (ssize_t)k)
			c->err = -EIO;
		c->r->faults += (uint64_t)n;
		c->r->reads++;
	}
	if (c->err)
		fprintf(stderr, "fault-bench: consumer: %s\n", iommufd_ctx_last_error(c->env->ctx));
	free(f);
	free(resp);
	return NULL;
}

int bench_ring(const struct bench_env *env, const struct bench_opts *o, struct bench_result *r)
{
	IOMMUFD_OPTS(iommufd_ring_opts, ro, .capacity = o->capacity, .flags = IOMMUFD_RING_THREAD);
	IOMMUFD_OPTS(iommufd_ring_stats, st);
	struct consumer c = { .env = env, .o = o, .r = r };
	struct producer p;
	int rc = produce_all(env, o);

	if (!rc)
		rc = iommufd_fault_ring_new(env->queue, &ro, &c.ring);
	if (rc)
		return rc;
	double t0 = now();
	rc = -pthread_create(&c.thread, NULL, consume, &c);
	if (!rc) {
		if (!o->backlog) {
			rc = start_producer(&p, env, o->count);
			if (!rc)
				rc = join_producer(&p);
		}
		pthread_join(c.thread, NULL);
	}
	r->seconds = now() - t0;
	if (!iommufd_fault_ring_stats(c.ring, &st)) {
		r->full = st.full;
		r->pump_reads = st.pump_reads;
		r->signals = st.signals;
	}
	ssize_t freed = iommufd_fault_ring_free(c.ring);
	if (freed > 0)
		fprintf(stderr, "fault-bench: %zd groups left in the ring\n", freed);
	return rc ?: c.err;
}
