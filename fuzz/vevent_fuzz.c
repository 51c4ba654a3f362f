/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a vEVENTQ read returns: the parser (ifd_vevent_parse) over a whole
 * buffer, and the same bytes through iommufd_veventq_read() from a hostile
 * kernel that splits them into reads anywhere.
 *
 * Input: u8 data_len (% 81: around IOMMUFD_VEVENT_DATA_MAX), u32 the
 * sequence the parser expects first, u8 n and n read sizes (u8, 0: the
 * rest), u8 events asked per read, then the bytes the queue holds.
 *
 * Invariants: an event consumes its header and, unless it is the LOST
 * record, exactly data_len bytes; its copy of the data is the bytes it
 * consumed (cut at IOMMUFD_VEVENT_DATA_MAX, TRUNCATED then), zero beyond;
 * the sequence numbers it accounts for -- lost ones plus itself unless it
 * is the LOST record -- are exactly the step from the expected number to
 * the one after its own, so over a run lost + delivered is the distance
 * the sequence moved; an error moves nothing and is justified by the
 * bytes; no more events than headers fit.  Through the queue: no more than
 * asked, each well-formed, iommufd_veventq_lost() the sum of their losses,
 * every fd the queue got closed.
 */
#include <errno.h>
#include <limits.h>

#include "fuzz_kernel.h"
#include "vevent_private.h"

#define HDR 8u

/* What the kernel's queue holds, and how the hostile kernel cuts it. */
struct stream {
	const uint8_t *buf;
	size_t len, pos;
	uint8_t cuts[16];
	unsigned int nr_cuts, next_cut;
};

/* Is the event @ev that moved @before to @after (in @buf at @at) right? */
static void check_event(const struct iommufd_vevent *ev, const unsigned char *buf, size_t at,
			size_t before_len, uint32_t data_len, uint32_t expected_before,
			uint32_t expected_after, size_t consumed)
{
	const bool lost = ev->flags & IOMMUFD_VEVENT_LOST;
	const size_t data = lost ? 0 : data_len;
	uint32_t hdr[2];

	memcpy(hdr, buf + at, HDR);
	FZ_CHECK(!(ev->flags & ~(IOMMUFD_VEVENT_LOST | IOMMUFD_VEVENT_TRUNCATED)), "flags %#x",
		 ev->flags);
	FZ_CHECK(lost == (hdr[0] == UAPI_VEVENTQ_FLAG_LOST_EVENTS), "LOST flag vs header %#x",
		 hdr[0]);
	FZ_CHECK(ev->sequence == hdr[1] && ev->sequence <= INT_MAX, "sequence %u, header %u",
		 ev->sequence, hdr[1]);
	FZ_CHECK(consumed == HDR + data && consumed <= before_len, "consumed %zu of %zu",
		 consumed, before_len);
	FZ_CHECK(ev->data_len == data, "data_len %u, want %zu", ev->data_len, data);
	FZ_CHECK(!!(ev->flags & IOMMUFD_VEVENT_TRUNCATED) == (data > IOMMUFD_VEVENT_DATA_MAX),
		 "TRUNCATED with %zu bytes", data);
	const size_t kept = data < IOMMUFD_VEVENT_DATA_MAX ? data : IOMMUFD_VEVENT_DATA_MAX;
	FZ_CHECK(!memcmp(ev->data, buf + at + HDR, kept), "data differs");
	for (size_t i = kept; i < IOMMUFD_VEVENT_DATA_MAX; i++)
		FZ_CHECK(!((const unsigned char *)ev->data)[i], "data byte %zu past the copy", i);
	/* Sequence accounting: the numbers it covers are the distance moved. */
	FZ_CHECK(expected_after == ((ev->sequence + 1u) & INT_MAX), "expected %u after %u",
		 expected_after, ev->sequence);
	FZ_CHECK(ev->lost <= (uint32_t)INT_MAX + 1u, "lost %u", ev->lost);
	FZ_CHECK(((ev->lost + !lost) & INT_MAX) == ((expected_after - expected_before) & INT_MAX),
		 "lost %u (+%d) but the sequence moved %u -> %u", ev->lost, !lost, expected_before,
		 expected_after);
}

/* Why the bytes at @pos cannot be an event; NULL: they can. */
static const char *event_broken(const unsigned char *buf, size_t len, size_t pos,
				uint32_t data_len)
{
	uint32_t hdr[2];

	if (len - pos < HDR)
		return "short header";
	memcpy(hdr, buf + pos, HDR);
	if (hdr[0] & ~UAPI_VEVENTQ_FLAG_LOST_EVENTS)
		return "unknown flags";
	if (hdr[1] > INT_MAX)
		return "sequence past 31 bits";
	if (!(hdr[0] & UAPI_VEVENTQ_FLAG_LOST_EVENTS) && len - pos - HDR < data_len)
		return "short data";
	return NULL;
}

static void parse_all(const unsigned char *buf, size_t len, uint32_t data_len, uint32_t first)
{
	struct ifd_vevent_parser p = { .expected = first, .data_len = data_len };
	uint64_t covered = 0, events = 0;
	size_t pos = 0;
	int rc;

	for (;;) {
		struct ifd_vevent_parser before = p;
		const size_t at = pos;
		struct iommufd_vevent ev;
		char why[IFD_VEVENT_WHY_LEN] = "";

		memset(&ev, 0xa5, sizeof(ev)); /* what the parser does not write shows */
		rc = ifd_vevent_parse(&p, buf, len, &pos, &ev, why);
		if (rc <= 0) {
			FZ_CHECK(pos == at && p.expected == before.expected, "moved on %d", rc);
			if (rc == 0)
				FZ_CHECK(at == len, "end reported at %zu of %zu", at, len);
			else
				FZ_CHECK(rc == -EPROTO && fz_sentence(why, sizeof(why)) &&
						 event_broken(buf, len, at, data_len),
					 "refused a good event at %zu (%d: %s)", at, rc, why);
			break;
		}
		FZ_CHECK(rc == 1 && !event_broken(buf, len, at, data_len), "rc %d", rc);
		check_event(&ev, buf, at, len - at, data_len, before.expected, p.expected, pos - at);
		covered += ev.lost + !(ev.flags & IOMMUFD_VEVENT_LOST);
		FZ_CHECK(++events <= len / HDR, "%" PRIu64 " events in %zu bytes", events, len);
	}
	FZ_CHECK((covered & INT_MAX) == ((p.expected - first) & INT_MAX),
		 "lost + delivered = %" PRIu64 ", the sequence moved %u -> %u", covered, first,
		 p.expected);
}

/* ---- through the queue -------------------------------------------------- */

static int queue_cmd(struct fk *k, uint32_t nr, void *arg)
{
	struct uapi_veventq_alloc *c = arg;
	int fd;

	if (nr != UAPI_CMD_VEVENTQ_ALLOC)
		return nr == UAPI_CMD_DESTROY ? 0 : -EINVAL;
	fd = fk_new_fd(k, FK_FD_QUEUE);
	if (fd < 0)
		return fd;
	c->out_veventq_id = 7;
	c->out_veventq_fd = (uint32_t)fd;
	return 0;
}

static ssize_t queue_read(struct fk *k, int fd, void *buf, size_t len)
{
	struct stream *s = k->priv;
	size_t n = s->len - s->pos;

	(void)fd;
	if (s->next_cut < s->nr_cuts && s->cuts[s->next_cut] && s->cuts[s->next_cut] < n)
		n = s->cuts[s->next_cut];
	s->next_cut++;
	if (n > len)
		n = len;
	memcpy(buf, s->buf + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static void read_queue(struct stream *s, uint32_t data_len, size_t per_read)
{
	struct iommufd_vevent ev[8];
	struct iommufd_ctx *ctx;
	struct iommufd_veventq *q;
	struct fk k;
	struct fz none = { NULL, 0 };
	uint64_t lost = 0;

	fk_init(&k, &none);
	k.cmd = queue_cmd;
	k.read = queue_read;
	k.priv = s;
	fk_install(&k);
	FZ_CHECK(iommufd_ctx_open(NULL, &ctx) == 0, "open");
	IOMMUFD_OPTS(iommufd_veventq_opts, o, .data_len = data_len);
	int rc = iommufd_veventq_alloc(ctx, 1, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 8, &o, &q);
	FZ_CHECK(rc == 0, "alloc: %d %s", rc, iommufd_ctx_last_error(ctx));
	if (!data_len)
		data_len = sizeof(struct iommufd_vevent_selftest);
	/* Each call makes progress or ends: the stream is finite. */
	for (unsigned int calls = 0; calls < 4 * s->len + 8; calls++) {
		fz_mark_error();
		ssize_t n = iommufd_veventq_read(q, ev, per_read);

		if (n < 0) {
			FZ_CHECK(n == -EPROTO && fz_error_was_recorded(), "read: %zd", n);
			continue;
		}
		FZ_CHECK((size_t)n <= per_read, "%zd events, asked %zu", n, per_read);
		if (!n && s->pos == s->len)
			break;
		for (ssize_t i = 0; i < n; i++) {
			const bool is_lost = ev[i].flags & IOMMUFD_VEVENT_LOST;

			FZ_CHECK(ev[i].data_len == (is_lost ? 0 : data_len), "data_len %u",
				 ev[i].data_len);
			FZ_CHECK(ev[i].sequence <= INT_MAX, "sequence %u", ev[i].sequence);
			lost += ev[i].lost;
		}
		FZ_CHECK(iommufd_veventq_lost(q) == lost, "lost %" PRIu64 ", events say %" PRIu64,
			 iommufd_veventq_lost(q), lost);
	}
	iommufd_veventq_close(q);
	iommufd_ctx_close(ctx);
	FZ_CHECK(fk_open_fds(&k) == 0, "%u fds left open", fk_open_fds(&k));
	fk_uninstall();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	const uint32_t data_len = fz_u8(&in) % 81;
	const uint32_t first = fz_u32(&in) & INT_MAX;
	struct stream s = { .nr_cuts = fz_u8(&in) % 17 };

	for (unsigned int i = 0; i < s.nr_cuts; i++)
		s.cuts[i] = fz_u8(&in);
	const size_t per_read = fz_u8(&in) % 8 + 1;
	size_t len = in.n;
	uint8_t *buf = fz_dup(&in, &len);

	parse_all(buf, len, data_len, first);
	s.buf = buf;
	s.len = len;
	read_queue(&s, data_len, per_read);
	free(buf);
	return 0;
}
