/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault records as a read returns them: the page-group parser
 * (ifd_fault_group_parse, iommufd_fault_next_group) and the set of cookies
 * a queue owes (fault_cookies.c), against a model.
 *
 * Also the queue a VMM sees: iommufd_fault_queue_read() of whatever a
 * hostile kernel returns, and iommufd_fault_queue_respond_batch() against
 * every answer a write can get.
 *
 * Input: u8 n, then n records of (u8 flags, u16 cookie) -- a cookie with
 * its top bit set is spread over 32 bits, so the hash set sees large ones
 * too --, then u8 start (a second walk starts there), then u8 mode: even,
 * operations on the cookie set (see run_ops()); odd, reads and responses
 * through a queue (see run_queue()).
 *
 * Invariants: a group lies inside the array, starts where the last one
 * ended, shares one non-zero cookie and has LAST_PAGE on its last record
 * only; the walk reports no more groups than records; an error changes
 * nothing, leaves a sentence, and is justified by the records; the public
 * call agrees with the internal one.  The set owes exactly the model's
 * cookies, takes all or none, and settles what the kernel did not take.
 * The queue returns a read only if all of it is whole groups, owes each
 * group read once, refuses responses it does not owe before writing, and
 * owes afterwards exactly what the kernel did not take; every fd closed.
 */
#include <errno.h>

#include "fault_private.h"
#include "fuzz_kernel.h"

#define MODEL_MAX 4096

static uint32_t cookie_of(uint16_t v)
{
	return v & 0x8000 ? (uint32_t)(v & 0x7fff) * 2654435761u : v;
}

static void read_records(struct fz *in, struct iommufd_fault *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].flags = fz_u8(in);
		f[i].cookie = cookie_of(fz_u16(in));
		f[i].addr = (uint64_t)i << 12;
		f[i].grpid = (uint32_t)i;
	}
}

/* Why the group at @pos cannot parse, by the rule itself; NULL: it can. */
static const char *group_broken(const struct iommufd_fault *f, size_t n, size_t pos)
{
	if (!f[pos].cookie)
		return "cookie 0";
	for (size_t i = pos; i < n; i++) {
		if (f[i].cookie != f[pos].cookie)
			return "another cookie before LAST_PAGE";
		if (f[i].flags & IOMMUFD_FAULT_LAST_PAGE)
			return NULL;
	}
	return "no LAST_PAGE";
}

static void check_group(const struct iommufd_fault *f, size_t n, size_t before, size_t after,
			const struct iommufd_fault_group *g)
{
	FZ_CHECK(g->faults == &f[before], "group at %zu points at record %td", before,
		 g->faults - f);
	FZ_CHECK(g->count >= 1 && g->count <= n - before, "count %u from %zu of %zu", g->count,
		 before, n);
	FZ_CHECK(after == before + g->count, "pos %zu after a group of %u at %zu", after,
		 g->count, before);
	FZ_CHECK(g->cookie && g->cookie == f[before].cookie, "cookie %u", g->cookie);
	for (uint32_t i = 0; i < g->count; i++) {
		const bool last = f[before + i].flags & IOMMUFD_FAULT_LAST_PAGE;

		FZ_CHECK(f[before + i].cookie == g->cookie, "record %zu of the group", before + i);
		FZ_CHECK(last == (i == g->count - 1), "LAST_PAGE on record %u of %u", i, g->count);
	}
}

/* One step from *@pos, internal and public, checked; returns the rc. */
static int step(const struct iommufd_fault *f, size_t n, size_t *pos)
{
	struct iommufd_fault_group g, pub;
	char why[IFD_WHY_LEN] = "";
	const size_t before = *pos;
	size_t pub_pos = *pos;
	int rc = ifd_fault_group_parse(f, n, pos, &g, why);

	fz_mark_error();
	const int pub_rc = iommufd_fault_next_group(f, n, &pub_pos, &pub);
	FZ_CHECK(pub_rc == rc && pub_pos == *pos, "public %d at %zu, internal %d at %zu", pub_rc,
		 pub_pos, rc, *pos);
	if (rc > 0) {
		FZ_CHECK(rc == 1, "rc %d", rc);
		check_group(f, n, before, *pos, &g);
		FZ_CHECK(pub.faults == g.faults && pub.count == g.count && pub.cookie == g.cookie,
			 "public group differs");
		FZ_CHECK(!group_broken(f, n, before), "parsed a group that is %s",
			 group_broken(f, n, before));
		return rc;
	}
	FZ_CHECK(*pos == before, "pos moved from %zu to %zu on %d", before, *pos, rc);
	if (rc == 0) {
		FZ_CHECK(before == n, "end reported at %zu of %zu", before, n);
		return rc;
	}
	FZ_CHECK(fz_sentence(why, sizeof(why)), "no sentence for %d", rc);
	FZ_CHECK(fz_error_was_recorded(), "public call left no sentence");
	if (before > n)
		FZ_CHECK(rc == -EINVAL, "pos %zu past %zu gave %d", before, n, rc);
	else
		FZ_CHECK(rc == -EPROTO && group_broken(f, n, before),
			 "refused a well-formed group at %zu (%d: %s)", before, rc, why);
	return rc;
}

/* Walk from @start to the end or the first error; true if every group parsed. */
static bool walk(const struct iommufd_fault *f, size_t n, size_t start)
{
	size_t pos = start, groups = 0;
	int rc;

	while ((rc = step(f, n, &pos)) > 0)
		FZ_CHECK(++groups <= n, "%zu groups from %zu records", groups, n);
	return rc == 0 && start == 0;
}

/* ---- the cookie set against a model ------------------------------------ */

struct model {
	uint32_t c[MODEL_MAX];
	size_t n;
};

static ssize_t model_find(const struct model *m, uint32_t cookie)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->c[i] == cookie)
			return (ssize_t)i;
	return -1;
}

static void model_add(struct model *m, uint32_t cookie)
{
	if (model_find(m, cookie) < 0)
		m->c[m->n++] = cookie;
}

static void model_del(struct model *m, uint32_t cookie)
{
	ssize_t i = model_find(m, cookie);

	if (i >= 0)
		m->c[i] = m->c[--m->n];
}

static void check_owed(const struct ifd_cookies *c, const struct model *m)
{
	FZ_CHECK(ifd_cookies_owed(c) == m->n, "owes %zu, model %zu", ifd_cookies_owed(c), m->n);
}

/* Groups read: reserve, then add (as iommufd_fault_queue_read()). */
static void add(struct ifd_cookies *c, struct model *m, const struct iommufd_fault *f, size_t n)
{
	FZ_CHECK(ifd_cookies_reserve(c, n) == 0, "reserve %zu", n);
	ifd_cookies_add_groups(c, f, n);
	for (size_t i = 0; i < n; i++)
		if (f[i].flags & IOMMUFD_FAULT_LAST_PAGE)
			model_add(m, f[i].cookie);
	check_owed(c, m);
}

/* The index take() must stop at: a cookie 0, not owed, or named twice. */
static size_t expected_stop(const struct model *m, const struct iommufd_fault_response *r,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!r[i].cookie || model_find(m, r[i].cookie) < 0)
			return i;
		for (size_t j = 0; j < i; j++)
			if (r[j].cookie == r[i].cookie)
				return i;
	}
	return n;
}

/* Responses as a write sends them, then what the kernel took settled. */
static void take(struct fz *in, struct ifd_cookies *c, struct model *m)
{
	struct iommufd_fault_response r[8];
	const size_t n = fz_u8(in) % 8 + 1;

	for (size_t i = 0; i < n; i++) {
		const uint8_t sel = fz_u8(in);

		r[i].code = 0;
		r[i].cookie = sel < 192 && m->n ? m->c[sel % m->n] : fz_u32(in);
	}
	const size_t want = expected_stop(m, r, n);
	const size_t got = ifd_cookies_take(c, r, n);
	FZ_CHECK(got == want, "take stopped at %zu, model at %zu", got, want);
	if (got < n) {
		check_owed(c, m); /* all or none */
		return;
	}
	for (size_t i = 0; i < n; i++)
		model_del(m, r[i].cookie);
	check_owed(c, m);
	const size_t done = fz_u8(in) % (n + 1);
	const size_t drop = done < n ? fz_u8(in) % 2 : 0;
	ifd_cookies_settle(c, r, n, done, drop);
	for (size_t i = done + drop; i < n; i++)
		model_add(m, r[i].cookie);
	check_owed(c, m);
}

/* Every owed cookie is taken once, alone, and put back; one not owed is not. */
static void probe_members(struct fz *in, struct ifd_cookies *c, const struct model *m)
{
	struct iommufd_fault_response r = { .cookie = fz_u32(in) };

	for (size_t i = 0; i < m->n && i < 64; i++) {
		struct iommufd_fault_response one = { .cookie = m->c[i] };

		FZ_CHECK(ifd_cookies_take(c, &one, 1) == 1, "owed cookie %u not found", m->c[i]);
		ifd_cookies_settle(c, &one, 1, 0, 0);
	}
	if (r.cookie && model_find(m, r.cookie) < 0)
		FZ_CHECK(ifd_cookies_take(c, &r, 1) == 0, "cookie %u taken, never owed", r.cookie);
	check_owed(c, m);
}

static void run_ops(struct fz *in, struct ifd_cookies *c, struct model *m)
{
	struct iommufd_fault f[16];

	while (in->n) {
		switch (fz_u8(in) % 3) {
		case 0: { /* a read of whole groups of one record */
			const size_t n = fz_u8(in) % 16 + 1;

			if (m->n + n > MODEL_MAX)
				return;
			read_records(in, f, n);
			for (size_t i = 0; i < n; i++) {
				f[i].flags = IOMMUFD_FAULT_LAST_PAGE;
				f[i].cookie = f[i].cookie ? f[i].cookie : 1;
			}
			add(c, m, f, n);
			break;
		}
		case 1:
			take(in, c, m);
			break;
		default:
			probe_members(in, c, m);
			break;
		}
	}
}

/* ---- the queue ----------------------------------------------------------- */

struct kernel_queue {
	unsigned char pending[64 * sizeof(struct iommufd_fault)]; /* the next read */
	size_t pending_len;
	int read_error, write_error; /* the next read/write fails so (0: no) */
	size_t write_bytes;          /* else a write takes this many bytes */
	unsigned int writes;
};

static int queue_cmd(struct fk *k, uint32_t nr, void *arg)
{
	struct uapi_fault_alloc *c = arg;
	int fd;

	if (nr != UAPI_CMD_FAULT_QUEUE_ALLOC)
		return nr == UAPI_CMD_DESTROY ? 0 : -EINVAL;
	fd = fk_new_fd(k, FK_FD_QUEUE);
	if (fd < 0)
		return fd;
	c->out_fault_id = 4;
	c->out_fault_fd = (uint32_t)fd;
	return 0;
}

static ssize_t queue_read(struct fk *k, int fd, void *buf, size_t len)
{
	struct kernel_queue *kq = k->priv;
	const size_t n = kq->pending_len < len ? kq->pending_len : len;

	(void)fd;
	if (kq->read_error)
		return kq->read_error;
	memcpy(buf, kq->pending, n);
	return (ssize_t)n;
}

static ssize_t queue_write(struct fk *k, int fd, const void *buf, size_t len)
{
	struct kernel_queue *kq = k->priv;

	(void)fd, (void)buf;
	kq->writes++;
	if (kq->write_error)
		return kq->write_error;
	return (ssize_t)(kq->write_bytes < len ? kq->write_bytes : len);
}

/* A read: the kernel has n records (cut short, or an error, by a u8); the
 * queue takes them all or, if any is garbled, none. */
static void queue_read_op(struct fz *in, struct iommufd_fault_queue *q, struct kernel_queue *kq,
			  struct model *m)
{
	struct iommufd_fault f[64], got[64];
	const size_t max = fz_u8(in) % 64 + 1;
	const size_t n = fz_u8(in) % 64;
	const uint8_t cut = fz_u8(in);

	if (m->n + n > MODEL_MAX)
		return;
	read_records(in, f, n);
	memcpy(kq->pending, f, n * sizeof(f[0]));
	kq->pending_len = n * sizeof(f[0]);
	if (cut >= 200 && cut < 255 && kq->pending_len >= (size_t)(cut - 199))
		kq->pending_len -= cut - 199; /* a partial record at the end */
	kq->read_error = cut == 255 ? -EINVAL : 0;

	const size_t bytes = kq->pending_len < max * sizeof(f[0]) ? kq->pending_len
								   : max * sizeof(f[0]);
	const size_t records = bytes / sizeof(f[0]);
	size_t pos = 0;
	struct iommufd_fault_group g;
	char why[IFD_WHY_LEN];
	int rc;

	while ((rc = ifd_fault_group_parse(f, records, &pos, &g, why)) > 0)
		;
	fz_mark_error();
	const ssize_t r = iommufd_fault_queue_read(q, got, max);
	if (kq->read_error) {
		FZ_CHECK(r == -EMSGSIZE, "a read the kernel refused gave %zd", r);
	} else if (bytes % sizeof(f[0]) || rc < 0) {
		FZ_CHECK(r == -EPROTO, "a garbled read gave %zd", r);
	} else {
		FZ_CHECK(r == (ssize_t)records && !memcmp(got, f, bytes), "read %zd of %zu", r,
			 records);
		for (size_t i = 0; i < records; i++)
			if (f[i].flags & IOMMUFD_FAULT_LAST_PAGE)
				model_add(m, f[i].cookie);
	}
	if (r < 0)
		FZ_CHECK(fz_error_was_recorded(), "read %zd without a sentence", r);
	FZ_CHECK(iommufd_fault_queue_owed(q) == m->n, "owes %zu, model %zu",
		 iommufd_fault_queue_owed(q), m->n);
}

/* Responses: refused before the write when not owed (or a bad code); after
 * it, what the kernel took is answered and the rest still owed. */
static void queue_respond_op(struct fz *in, struct iommufd_fault_queue *q,
			     struct kernel_queue *kq, struct model *m)
{
	struct iommufd_fault_response r[8];
	const size_t n = fz_u8(in) % 8 + 1;
	bool bad_code = false;

	for (size_t i = 0; i < n; i++) {
		const uint8_t sel = fz_u8(in);

		r[i].cookie = sel < 192 && m->n ? m->c[sel % m->n] : fz_u32(in);
		r[i].code = fz_u8(in) % 3;
		bad_code |= r[i].code > IOMMUFD_FAULT_RESP_INVALID;
	}
	const uint8_t answer = fz_u8(in) % 5;
	kq->write_error = answer == 2 ? -EINVAL : answer == 3 ? -ENOMEM : 0;
	kq->write_bytes = answer == 0 ? n * sizeof(r[0]) : answer == 1 ? fz_u8(in) % (n * 8) : 0;

	const unsigned int writes = kq->writes;
	const size_t stop = expected_stop(m, r, n);
	fz_mark_error();
	const ssize_t rc = iommufd_fault_queue_respond_batch(q, r, n);

	if (bad_code || stop < n) {
		FZ_CHECK(rc == (bad_code ? -EINVAL : -ENOENT) && kq->writes == writes,
			 "refused responses gave %zd after %u writes", rc, kq->writes - writes);
	} else if (kq->write_error == -EINVAL) { /* the kernel no longer knows r[0] */
		FZ_CHECK(rc == -ENOENT, "EINVAL from the kernel gave %zd", rc);
		model_del(m, r[0].cookie);
	} else if (kq->write_error) {
		FZ_CHECK(rc == kq->write_error, "write error %d gave %zd", kq->write_error, rc);
	} else {
		const size_t done = kq->write_bytes / sizeof(r[0]);

		FZ_CHECK(rc == (done ? (ssize_t)done : -EPROTO), "the kernel took %zu, rc %zd", done,
			 rc);
		for (size_t i = 0; i < done; i++)
			model_del(m, r[i].cookie);
	}
	if (rc < 0)
		FZ_CHECK(fz_error_was_recorded(), "respond %zd without a sentence", rc);
	FZ_CHECK(iommufd_fault_queue_owed(q) == m->n, "owes %zu, model %zu",
		 iommufd_fault_queue_owed(q), m->n);
}

static void run_queue(struct fz *in, struct model *m)
{
	static struct kernel_queue kq;
	struct iommufd_fault_queue *q;
	struct iommufd_ctx *ctx;
	struct fk k;

	memset(&kq, 0, sizeof(kq));
	fk_init(&k, in);
	k.cmd = queue_cmd;
	k.read = queue_read;
	k.write = queue_write;
	k.priv = &kq;
	fk_install(&k);
	FZ_CHECK(iommufd_ctx_open(NULL, &ctx) == 0, "open");
	FZ_CHECK(iommufd_fault_queue_alloc(ctx, NULL, &q) == 0, "alloc");
	m->n = 0;
	while (in->n) {
		if (fz_u8(in) & 1)
			queue_respond_op(in, q, &kq, m);
		else
			queue_read_op(in, q, &kq, m);
	}
	iommufd_fault_queue_close(q);
	iommufd_ctx_close(ctx);
	FZ_CHECK(fk_open_fds(&k) == 0, "%u fds left open", fk_open_fds(&k));
	fk_uninstall();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	const size_t n = fz_u8(&in);
	struct iommufd_fault *f = malloc(n ? n * sizeof(*f) : 1);
	static struct model m;
	struct ifd_cookies c;

	if (!f)
		abort();
	read_records(&in, f, n);
	const bool whole = walk(f, n, 0);
	walk(f, n, fz_u8(&in) % (n + 2));

	if (fz_u8(&in) & 1) {
		run_queue(&in, &m);
		free(f);
		return 0;
	}
	m.n = 0;
	FZ_CHECK(ifd_cookies_init(&c) == 0, "init");
	if (whole) /* the queue keeps the cookies only of a read that parsed */
		add(&c, &m, f, n);
	run_ops(&in, &c, &m);
	/* Answer everything in one write: all of it is owed. */
	struct iommufd_fault_response *r = malloc((m.n ? m.n : 1) * sizeof(*r));
	if (!r)
		abort();
	for (size_t i = 0; i < m.n; i++)
		r[i] = (struct iommufd_fault_response){ .cookie = m.c[i] };
	FZ_CHECK(ifd_cookies_take(&c, r, m.n) == m.n, "final take");
	ifd_cookies_settle(&c, r, m.n, m.n, 0);
	m.n = 0;
	check_owed(&c, &m);
	ifd_cookies_fini(&c);
	free(r);
	free(f);
	return 0;
}
