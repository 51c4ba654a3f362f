// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fault-epoll: a page-fault handler that runs a fault ring from an epoll
 * loop, on the iommufd selftest mock (CONFIG_IOMMUFD_TEST, Linux 6.11+).
 *
 * A device behind an IOMMU that supports page requests (PRI / IOPF) asks
 * for pages it does not find instead of failing its DMA.  The kernel queues
 * those requests on a fault queue; the VMM answers each request group:
 * SUCCESS ("the page is there now, retry") or INVALID ("it never will be").
 * An unanswered group hangs the device, so the handler must answer all.
 *
 * The ring (ring.h) moves requests from the kernel queue into memory shared
 * with the consumer and signals an eventfd, so the VMM's event loop watches
 * one fd with epoll and takes requests without a syscall each.  Here:
 *
 *   - a "device" thread raises PAGE_REQUESTS page requests through the
 *     mock (TRIGGER_IOPF): most inside guest RAM, every 8th outside it;
 *   - the library's pump thread feeds the ring (IOMMUFD_RING_THREAD);
 *   - main() epolls the ring's eventfd, takes what waits, "populates" the
 *     pages inside guest RAM, and answers all groups of a take in one
 *     batched write: SUCCESS inside guest RAM, INVALID outside.
 *
 * What is checked, and makes the exit status: every request raised arrived
 * exactly once, every group was answered (the queue owes none at the end),
 * the answers split as the addresses say, and the ring counted as many
 * records in as out.
 *
 * Output: a line per epoll wake-up with work, then
 *   "fault-epoll: N page requests, N answered (S success, I invalid), 0 owed"
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

#define PAGE_REQUESTS 200u
#define PAGE 4096ull
/* Guest RAM as the handler knows it: requests outside are answered INVALID. */
#define RAM_START 0x100000000ull
#define RAM_PAGES 1024ull
#define OUTSIDE_EVERY 8u
#define TAKE_MAX 32u          /* records per take: a batch of answers */
#define EPOLL_TIMEOUT_MS 10000 /* a request that never comes is a failure */
#define IOTLB_DEFAULT 0xbadbeefu /* the mock's initial IOTLB value */

struct handler {
	struct iommufd_ctx *ctx;
	uint32_t ioas_id, stdev_id, dev_id, parent_id, hwpt_id;
	struct iommufd_fault_queue *queue;
	struct iommufd_fault_ring *ring;
	pthread_t device;
	bool device_started;
	int device_rc;
	/* What the handler saw: how often each request index arrived. */
	uint8_t seen[PAGE_REQUESTS];
	bool populated[RAM_PAGES];
	unsigned int answered_ok, answered_invalid, records;
};

static int fail(struct handler *h, const char *what, int rc)
{
	fprintf(stderr, "fault-epoll: %s: %s (%s)\n", what, strerror(-rc),
		iommufd_ctx_last_error(h->ctx));
	return rc;
}

/* Request i asks for this address: page i of guest RAM, or (every 8th) a
 * page past its end. */
static uint64_t request_addr(unsigned int i)
{
	if (i % OUTSIDE_EVERY == OUTSIDE_EVERY - 1)
		return RAM_START + (RAM_PAGES + i) * PAGE;
	return RAM_START + (uint64_t)i * PAGE;
}

/*
 * The device: raises its page requests one by one, as DMA to absent pages
 * would.  The group index tells the requests apart (the kernel gives each
 * its own group and cookie).
 */
static void *device_thread(void *arg)
{
	struct handler *h = arg;

	for (unsigned int i = 0; i < PAGE_REQUESTS; i++) {
		const int rc = iommufd_test_trigger_iopf(h->ctx, h->dev_id, 0, i,
							 IOMMUFD_FAULT_PERM_READ |
								 IOMMUFD_FAULT_PERM_WRITE,
							 request_addr(i));
		if (rc < 0) {
			h->device_rc = rc;
			break;
		}
	}
	return NULL;
}

/*
 * What a VMM has set up: an IOAS, a device, a HWPT that sends its page
 * requests to a fault queue, and a ring on that queue.  With a vIOMMU the
 * HWPT that faults is the guest's stage-1 table, nested on a stage-2
 * parent; Linux 6.12 takes a fault queue on nested HWPTs only, so the
 * example nests too (the mock's nested data: its initial IOTLB value).
 */
static int setup(struct handler *h)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, parent_opts, .flags = IOMMUFD_HWPT_NEST_PARENT);
	const struct iommufd_hwpt_selftest data = {.iotlb = IOTLB_DEFAULT};
	IOMMUFD_OPTS(iommufd_ring_opts, ring_opts, .capacity = 64,
		     .flags = IOMMUFD_RING_THREAD);
	int rc;

	rc = iommufd_ctx_open(NULL, &h->ctx);
	if (rc < 0) {
		fprintf(stderr, "fault-epoll: /dev/iommu: %s\n", iommufd_ctx_last_error(NULL));
		return rc;
	}
	if (iommufd_test_op_supported(h->ctx, IOMMUFD_TEST_OP_TRIGGER_IOPF) != 1) {
		fprintf(stderr, "fault-epoll: this kernel's selftest mock cannot raise page "
				"requests (needs CONFIG_IOMMUFD_TEST, Linux 6.11)\n");
		return -EOPNOTSUPP;
	}
	rc = iommufd_ioas_alloc(h->ctx, &h->ioas_id);
	if (rc < 0)
		return fail(h, "IOAS", rc);
	rc = iommufd_test_mock_domain(h->ctx, h->ioas_id, 0, &h->stdev_id, NULL, &h->dev_id);
	if (rc < 0)
		return fail(h, "mock device", rc);
	rc = iommufd_hwpt_alloc(h->ctx, h->dev_id, h->ioas_id, &parent_opts, &h->parent_id);
	if (rc < 0)
		return fail(h, "nesting parent HWPT", rc);
	rc = iommufd_fault_queue_alloc(h->ctx, NULL, &h->queue);
	if (rc < 0)
		return fail(h, "fault queue", rc);
	{
		IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, opts,
			     .fault_id = iommufd_fault_queue_id(h->queue),
			     .data_type = IOMMUFD_HWPT_DATA_SELFTEST, .data_len = sizeof(data),
			     .data = &data);

		rc = iommufd_hwpt_alloc(h->ctx, h->dev_id, h->parent_id, &opts, &h->hwpt_id);
		if (rc < 0)
			return fail(h, "nested HWPT with a fault queue", rc);
	}
	rc = iommufd_test_mock_domain_replace(h->ctx, h->stdev_id, h->hwpt_id, NULL);
	if (rc < 0)
		return fail(h, "attach to the faulting HWPT", rc);
	/* From here on the queue is read only through the ring. */
	rc = iommufd_fault_ring_new(h->queue, &ring_opts, &h->ring);
	if (rc < 0)
		return fail(h, "fault ring", rc);
	return 0;
}

/*
 * Handle what one take returned: resolve each request, then answer every
 * group in one write.  A mock request is a group of one record; the walk
 * with iommufd_fault_next_group() handles groups of any size all the same
 * (a group is answered once, for all its records).
 */
static int handle(struct handler *h, const struct iommufd_fault *faults, size_t n)
{
	struct iommufd_fault_response resp[TAKE_MAX];
	struct iommufd_fault_group g;
	size_t pos = 0, nresp = 0;
	ssize_t sent;
	int rc;

	while ((rc = iommufd_fault_next_group(faults, n, &pos, &g)) == 1) {
		bool ok = true;

		for (uint32_t i = 0; i < g.count; i++) {
			const uint64_t addr = g.faults[i].addr;
			const uint64_t page = (addr - RAM_START) / PAGE;

			if (g.faults[i].grpid < PAGE_REQUESTS)
				h->seen[g.faults[i].grpid]++;
			if (addr < RAM_START || page >= RAM_PAGES) {
				ok = false;
				continue;
			}
			/* A VMM would fault the page in here (or ask the guest
			 * to); the example records it as present. */
			h->populated[page] = true;
		}
		resp[nresp].cookie = g.cookie;
		resp[nresp].code = ok ? IOMMUFD_FAULT_RESP_SUCCESS : IOMMUFD_FAULT_RESP_INVALID;
		nresp++;
		if (ok)
			h->answered_ok++;
		else
			h->answered_invalid++;
	}
	if (rc < 0)
		return fail(h, "walk the groups", rc);
	h->records += (unsigned int)n;
	sent = iommufd_fault_queue_respond_batch(h->queue, resp, nresp);
	if (sent != (ssize_t)nresp)
		return fail(h, "answer the groups", sent < 0 ? (int)sent : -EIO);
	return 0;
}

/*
 * The event loop.  A VMM's loop watches many fds; the ring adds one.  Its
 * eventfd is level-like: readable while records wait (take() clears it when
 * it finds the ring empty), so after a wake-up we take until empty and go
 * back to epoll_wait().
 */
static int run_loop(struct handler *h)
{
	struct epoll_event ev = {.events = EPOLLIN};
	struct iommufd_fault faults[TAKE_MAX];
	int epfd, rc = 0;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	ev.data.fd = iommufd_fault_ring_eventfd(h->ring);
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, ev.data.fd, &ev) < 0) {
		rc = -errno;
		goto out;
	}
	while (h->records < PAGE_REQUESTS) {
		struct epoll_event got;
		unsigned int batch = 0;
		ssize_t n;

		rc = epoll_wait(epfd, &got, 1, EPOLL_TIMEOUT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			fprintf(stderr, "fault-epoll: %s after %u of %u requests\n",
				rc ? strerror(errno) : "no request for 10 s", h->records,
				PAGE_REQUESTS);
			rc = rc ? -errno : -ETIMEDOUT;
			goto out;
		}
		while ((n = iommufd_fault_ring_take(h->ring, faults, TAKE_MAX)) > 0) {
			rc = handle(h, faults, (size_t)n);
			if (rc < 0)
				goto out;
			batch += (unsigned int)n;
		}
		if (n < 0) {
			rc = fail(h, "take from the ring", (int)n);
			goto out;
		}
		if (batch)
			printf("wake-up: %u requests handled (%u so far)\n", batch, h->records);
	}
	rc = 0;
out:
	close(epfd);
	return rc;
}

/* Everything the handler claims, checked against what the device raised. */
static int verify(struct handler *h)
{
	IOMMUFD_OPTS(iommufd_ring_stats, stats);
	unsigned int want_invalid = PAGE_REQUESTS / OUTSIDE_EVERY, bad = 0;
	size_t owed = iommufd_fault_queue_owed(h->queue);

	for (unsigned int i = 0; i < PAGE_REQUESTS; i++) {
		const bool inside = i % OUTSIDE_EVERY != OUTSIDE_EVERY - 1;

		if (h->seen[i] != 1) {
			fprintf(stderr, "fault-epoll: request %u arrived %u times\n", i, h->seen[i]);
			bad++;
		}
		if (inside && !h->populated[i]) {
			fprintf(stderr, "fault-epoll: page %u was never populated\n", i);
			bad++;
		}
	}
	if (h->device_rc < 0) {
		fprintf(stderr, "fault-epoll: the device failed to raise a request: %s\n",
			strerror(-h->device_rc));
		bad++;
	}
	if (h->answered_ok + h->answered_invalid != PAGE_REQUESTS ||
	    h->answered_invalid != want_invalid) {
		fprintf(stderr, "fault-epoll: answered %u success + %u invalid, want %u + %u\n",
			h->answered_ok, h->answered_invalid, PAGE_REQUESTS - want_invalid,
			want_invalid);
		bad++;
	}
	if (owed) {
		fprintf(stderr, "fault-epoll: %zu groups left unanswered\n", owed);
		bad++;
	}
	if (iommufd_fault_ring_stats(h->ring, &stats) < 0 || stats.pushed != PAGE_REQUESTS ||
	    stats.taken != PAGE_REQUESTS) {
		fprintf(stderr, "fault-epoll: the ring moved %llu in and %llu out, want %u\n",
			(unsigned long long)stats.pushed, (unsigned long long)stats.taken,
			PAGE_REQUESTS);
		bad++;
	}
	if (bad)
		return -EIO;
	printf("ring: capacity %u, %llu pump reads, %llu eventfd signals, full %llu times\n",
	       stats.capacity, (unsigned long long)stats.pump_reads,
	       (unsigned long long)stats.signals, (unsigned long long)stats.full);
	printf("fault-epoll: %u page requests, %u answered (%u success, %u invalid), %zu owed\n",
	       h->records, h->answered_ok + h->answered_invalid, h->answered_ok,
	       h->answered_invalid, owed);
	return 0;
}

/* Order matters: the ring before its queue, the device off the faulting
 * HWPT before that HWPT goes, the HWPT before the queue it names. */
static void teardown(struct handler *h)
{
	if (h->device_started)
		pthread_join(h->device, NULL);
	if (h->ring && iommufd_fault_ring_free(h->ring) < 0)
		fprintf(stderr, "fault-epoll: freeing the ring: %s\n",
			iommufd_ctx_last_error(h->ctx));
	if (!h->ctx)
		return;
	if (h->stdev_id)
		iommufd_destroy(h->ctx, h->stdev_id);
	if (h->hwpt_id)
		iommufd_destroy(h->ctx, h->hwpt_id);
	if (h->queue)
		iommufd_fault_queue_close(h->queue);
	if (h->parent_id)
		iommufd_destroy(h->ctx, h->parent_id);
	if (h->ioas_id)
		iommufd_destroy(h->ctx, h->ioas_id);
	iommufd_ctx_close(h->ctx);
}

int main(void)
{
	static struct handler h;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0); /* progress and errors in order */
	rc = setup(&h);
	if (rc == 0) {
		rc = -pthread_create(&h.device, NULL, device_thread, &h);
		h.device_started = rc == 0;
	}
	if (rc == 0)
		rc = run_loop(&h);
	if (h.device_started) {
		pthread_join(h.device, NULL);
		h.device_started = false;
	}
	if (rc == 0)
		rc = verify(&h);
	teardown(&h);
	return rc == 0 ? 0 : 1;
}
