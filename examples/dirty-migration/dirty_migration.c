// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dirty-migration: the dirty-tracking loop of a live migration, on the
 * iommufd selftest mock (a kernel built with CONFIG_IOMMUFD_TEST).
 *
 * A VMM migrating a guest that owns an assigned device must also copy the
 * pages the *device* writes by DMA; the CPU's dirty log does not see them.
 * The IOMMU does: a HWPT allocated with IOMMUFD_HWPT_DIRTY_TRACKING records
 * the pages written through it, and the VMM reads (and clears) that record
 * in rounds:
 *
 *   1. enable tracking, then copy all of guest memory once (round 0);
 *   2. each round: read-and-clear the bitmap, copy just those pages;
 *   3. when a round finds fewer dirty pages than a threshold, stop the
 *      guest and do one last round with nothing running (stop-and-copy).
 *
 * Here the "guest" is a mock device attached to the dirty-tracking HWPT.
 * It writes new bytes into guest memory through an in-kernel access (an
 * emulated device's DMA path), and the mock's DIRTY op sets the dirty bits
 * of the same pages in the mock page table, as an IOMMU's page walker would
 * on a DMA write.  (The mock IOMMU cannot see an access's writes itself, so
 * the example does both; a real device needs only the first.)  Each round
 * it dirties fewer pages, so the loop converges.
 *
 * What is checked, and makes the exit status: every round's bitmap holds
 * exactly the pages the device wrote in that round, and after stop-and-copy
 * the destination's memory equals the source's byte for byte.  A page the
 * bitmap missed would leave stale bytes at the destination.
 *
 * Output: one line per round, then
 *   "dirty-migration: converged after N rounds, M pages sent, memory identical"
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

/* Guest memory: 16 MiB in 4 KiB pages.  The VMM's bitmap uses the CPU's
 * page size; the IOMMU may track at a finer grain (the mock: 2 KiB) and the
 * kernel folds its bits into ours. */
#define PAGE 4096ull
#define GUEST_PAGES 4096ull
#define GUEST_BYTES (GUEST_PAGES * PAGE)
#define GUEST_IOVA IOMMUFD_TEST_APERTURE_START

/* Rounds dirty 1/4 fewer pages each time: 1024, 256, 64, 16, ... */
#define FIRST_ROUND_WRITES 1024u
/* Converge when a round leaves at most this many pages to send: stopping
 * the guest now costs little downtime. */
#define CONVERGE_PAGES 16u
#define MAX_ROUNDS 10

#define BITMAP_WORDS (GUEST_PAGES / 64)

struct migration {
	struct iommufd_ctx *ctx;
	uint32_t ioas_id;
	uint32_t hwpt_id;   /* the dirty-tracking HWPT the device is attached to */
	uint32_t stdev_id;  /* the mock device */
	int access_fd;      /* the device's DMA path into the IOAS */
	uint8_t *src;       /* guest memory (source host) */
	uint8_t *dst;       /* what the destination host has received */
	uint64_t bitmap[BITMAP_WORDS];
	uint64_t expect[BITMAP_WORDS]; /* pages the device wrote this round */
	uint64_t mock_bits[BITMAP_WORDS * (PAGE / IOMMUFD_TEST_PAGE_SIZE)];
	uint32_t rng;
};

static bool bit_test(const uint64_t *w, uint64_t i) { return (w[i / 64] >> (i % 64)) & 1; }
static void bit_set(uint64_t *w, uint64_t i) { w[i / 64] |= 1ull << (i % 64); }

static uint64_t bits_count(const uint64_t *w)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < BITMAP_WORDS; i++)
		n += (uint64_t)__builtin_popcountll(w[i]);
	return n;
}

/* A fixed pseudo-random sequence, so every run dirties the same pages. */
static uint32_t next_random(struct migration *m)
{
	m->rng = m->rng * 1103515245u + 12345u;
	return m->rng >> 8;
}

static int fail(struct migration *m, const char *what, int rc)
{
	fprintf(stderr, "dirty-migration: %s: %s (%s)\n", what, strerror(-rc),
		iommufd_ctx_last_error(m->ctx));
	return rc;
}

/*
 * Set up what a VMM has before migration starts: guest memory mapped in an
 * IOAS, the device attached to a HWPT that can track dirty pages.
 */
static int setup(struct migration *m)
{
	IOMMUFD_OPTS(iommufd_hwpt_alloc_opts, hwpt_opts, .flags = IOMMUFD_HWPT_DIRTY_TRACKING);
	uint32_t dev_id = 0;
	uint64_t iova = GUEST_IOVA;
	int rc;

	rc = iommufd_ctx_open(NULL, &m->ctx);
	if (rc < 0) {
		fprintf(stderr, "dirty-migration: /dev/iommu: %s\n", iommufd_ctx_last_error(NULL));
		return rc;
	}
	if (iommufd_test_op_supported(m->ctx, IOMMUFD_TEST_OP_DIRTY) != 1) {
		fprintf(stderr, "dirty-migration: this kernel has no selftest mock with dirty "
				"tracking (CONFIG_IOMMUFD_TEST)\n");
		return -EOPNOTSUPP;
	}
	rc = iommufd_ioas_alloc(m->ctx, &m->ioas_id);
	if (rc < 0)
		return fail(m, "IOAS", rc);
	/* Keep the mock's page table at its own 2 KiB pages: with huge IOMMU
	 * pages one dirty bit would stand for a whole huge page. */
	rc = iommufd_option_set(m->ctx, IOMMUFD_OPTION_HUGE_PAGES, m->ioas_id, 0);
	if (rc < 0)
		return fail(m, "HUGE_PAGES option", rc);
	/* The device: a mock one, bound and attached to the IOAS. */
	rc = iommufd_test_mock_domain(m->ctx, m->ioas_id, 0, &m->stdev_id, NULL, &dev_id);
	if (rc < 0)
		return fail(m, "mock device", rc);
	/* Dirty tracking is a property of the page table: allocate one that
	 * can track (the IOMMU behind the device must support it, else
	 * -EOPNOTSUPP) and move the device onto it.  It maps what the IOAS
	 * maps. */
	rc = iommufd_hwpt_alloc(m->ctx, dev_id, m->ioas_id, &hwpt_opts, &m->hwpt_id);
	if (rc < 0)
		return fail(m, "dirty-tracking HWPT", rc);
	rc = iommufd_test_mock_domain_replace(m->ctx, m->stdev_id, m->hwpt_id, NULL);
	if (rc < 0)
		return fail(m, "attach to the dirty-tracking HWPT", rc);

	m->src = mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	m->dst = mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (m->src == MAP_FAILED || m->dst == MAP_FAILED) {
		m->src = m->src == MAP_FAILED ? NULL : m->src;
		m->dst = m->dst == MAP_FAILED ? NULL : m->dst;
		fprintf(stderr, "dirty-migration: mmap: %s\n", strerror(errno));
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < GUEST_BYTES; i++)
		m->src[i] = (uint8_t)(i * 7);
	rc = iommufd_ioas_map(m->ctx, m->ioas_id, m->src, GUEST_BYTES,
			      IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE | IOMMUFD_MAP_FIXED_IOVA,
			      &iova);
	if (rc < 0)
		return fail(m, "map guest memory", rc);
	/* The device's DMA path: writes through it land in m->src. */
	rc = iommufd_test_create_access(m->ctx, m->ioas_id, 0, &m->access_fd);
	if (rc < 0)
		return fail(m, "device access", rc);
	return 0;
}

/*
 * The device writes @writes pages (some more than once: a page written
 * twice is dirty once) and the IOMMU marks them dirty.  m->expect collects
 * the distinct pages, for checking the bitmap.
 */
static int device_writes(struct migration *m, unsigned int writes, unsigned int round)
{
	uint8_t data[PAGE];
	uint64_t marked = 0;
	int rc;

	memset(m->expect, 0, sizeof(m->expect));
	for (unsigned int n = 0; n < writes; n++) {
		const uint64_t page = next_random(m) % GUEST_PAGES;

		memset(data, (int)(round * 31 + n), sizeof(data));
		rc = iommufd_test_access_rw(m->ctx, m->access_fd, GUEST_IOVA + page * PAGE, data,
					    PAGE, IOMMUFD_TEST_RW_WRITE);
		if (rc < 0)
			return fail(m, "device write", rc);
		bit_set(m->expect, page);
	}
	/* What the IOMMU records for those DMA writes: one call marks every
	 * page whose bit is set.  The mock's bits are per 2 KiB page (6.12's
	 * mock takes no other size), so a 4 KiB page p is mock page 2p; the
	 * kernel folds them back into our 4 KiB bits when we read. */
	memset(m->mock_bits, 0, sizeof(m->mock_bits));
	for (uint64_t p = 0; p < GUEST_PAGES; p++)
		if (bit_test(m->expect, p))
			bit_set(m->mock_bits, p * (PAGE / IOMMUFD_TEST_PAGE_SIZE));
	rc = iommufd_test_dirty(m->ctx, m->hwpt_id, GUEST_IOVA, GUEST_BYTES,
				IOMMUFD_TEST_PAGE_SIZE, m->mock_bits, &marked);
	if (rc < 0)
		return fail(m, "mark dirty", rc);
	if (marked != bits_count(m->expect)) {
		fprintf(stderr, "dirty-migration: the mock marked %llu pages, not %llu\n",
			(unsigned long long)marked, (unsigned long long)bits_count(m->expect));
		return -EIO;
	}
	return 0;
}

/*
 * One migration round: read and clear the dirty bitmap, send those pages,
 * and check the bitmap named exactly the pages the device wrote.  Clearing
 * as we read matters: a page written again after the read shows up in the
 * next round instead of being lost.
 * Return: pages sent, or a negative errno.
 */
static int64_t send_dirty(struct migration *m)
{
	uint64_t sent = 0;
	int rc;

	rc = iommufd_hwpt_get_dirty_bitmap(m->ctx, m->hwpt_id, GUEST_IOVA, GUEST_BYTES, PAGE,
					   m->bitmap, sizeof(m->bitmap), 0);
	if (rc < 0)
		return fail(m, "read dirty bitmap", rc);
	for (uint64_t p = 0; p < GUEST_PAGES; p++) {
		if (!bit_test(m->bitmap, p))
			continue;
		memcpy(m->dst + p * PAGE, m->src + p * PAGE, PAGE); /* "send" the page */
		sent++;
	}
	if (memcmp(m->bitmap, m->expect, sizeof(m->bitmap)) != 0) {
		for (uint64_t p = 0; p < GUEST_PAGES; p++)
			if (bit_test(m->bitmap, p) != bit_test(m->expect, p))
				fprintf(stderr, "dirty-migration: page %llu: bitmap says %s, the "
						"device %s it\n",
					(unsigned long long)p, bit_test(m->bitmap, p) ? "dirty" : "clean",
					bit_test(m->expect, p) ? "wrote" : "did not write");
		return -EIO;
	}
	return (int64_t)sent;
}

static int migrate(struct migration *m)
{
	unsigned int writes = FIRST_ROUND_WRITES;
	uint64_t total = GUEST_PAGES;
	int64_t sent;
	int rc, round;

	/* Enable first, copy second: a page the device writes during the bulk
	 * copy is then dirty in round 1.  (Enabling also drops stale bits.) */
	rc = iommufd_hwpt_set_dirty_tracking(m->ctx, m->hwpt_id, 1);
	if (rc < 0)
		return fail(m, "enable dirty tracking", rc);
	memcpy(m->dst, m->src, GUEST_BYTES);
	printf("round 0: bulk copy, %llu pages sent\n", (unsigned long long)GUEST_PAGES);

	for (round = 1; round <= MAX_ROUNDS; round++) {
		/* The guest keeps running: its device writes while we copy. */
		rc = device_writes(m, writes, (unsigned int)round);
		if (rc < 0)
			return rc;
		sent = send_dirty(m);
		if (sent < 0)
			return (int)sent;
		total += (uint64_t)sent;
		printf("round %d: device wrote %u times, bitmap %lld dirty pages (expected "
		       "%llu), sent\n",
		       round, writes, (long long)sent, (unsigned long long)bits_count(m->expect));
		if ((uint64_t)sent <= CONVERGE_PAGES)
			break;
		writes /= 4;
	}
	if (round > MAX_ROUNDS) {
		fprintf(stderr, "dirty-migration: no convergence after %d rounds\n", MAX_ROUNDS);
		return -ETIMEDOUT;
	}

	/* Stop-and-copy: the guest is paused, so the device writes nothing;
	 * one last read catches anything since the previous one (here: none)
	 * and tracking goes off. */
	memset(m->expect, 0, sizeof(m->expect));
	sent = send_dirty(m);
	if (sent < 0)
		return (int)sent;
	total += (uint64_t)sent;
	printf("stop-and-copy: %lld dirty pages, sent\n", (long long)sent);
	rc = iommufd_hwpt_set_dirty_tracking(m->ctx, m->hwpt_id, 0);
	if (rc < 0)
		return fail(m, "disable dirty tracking", rc);

	if (memcmp(m->src, m->dst, GUEST_BYTES) != 0) {
		fprintf(stderr, "dirty-migration: destination memory differs from the source\n");
		return -EIO;
	}
	printf("dirty-migration: converged after %d rounds, %llu pages sent, memory identical\n",
	       round, (unsigned long long)total);
	return 0;
}

/* Tear down in the reverse order: the access and mappings first, the
 * device, then the HWPT and IOAS it used. */
static void teardown(struct migration *m)
{
	if (m->access_fd >= 0)
		close(m->access_fd);
	if (m->ctx) {
		if (m->ioas_id && m->src)
			iommufd_ioas_unmap_all(m->ctx, m->ioas_id, NULL);
		if (m->stdev_id)
			iommufd_destroy(m->ctx, m->stdev_id);
		if (m->hwpt_id)
			iommufd_destroy(m->ctx, m->hwpt_id);
		if (m->ioas_id)
			iommufd_destroy(m->ctx, m->ioas_id);
		iommufd_ctx_close(m->ctx);
	}
	if (m->src)
		munmap(m->src, GUEST_BYTES);
	if (m->dst)
		munmap(m->dst, GUEST_BYTES);
}

int main(void)
{
	static struct migration m = {.access_fd = -1, .rng = 2024};
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0); /* rounds and errors in order */
	rc = setup(&m);
	if (rc == 0)
		rc = migrate(&m);
	teardown(&m);
	return rc == 0 ? 0 : 1;
}
