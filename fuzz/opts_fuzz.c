/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Options structs: the sz rules (ifd_opts_load) on their own, and the
 * public calls that take options -- iommufd_ctx_open, iommufd_hwpt_alloc,
 * iommufd_viommu_alloc, iommufd_veventq_alloc, iommufd_fault_queue_alloc,
 * iommufd_device_bind -- with a struct of any sz in front of a kernel
 * that records what it is sent.
 *
 * Input: u8 the target, u8 NULL options (bit 0) and the sz (an older,
 * current or newer caller's, or any number), then the struct's bytes;
 * pointer members are replaced by NULL or a valid pointer, chosen by a u8;
 * then the kernel's answers (0 or an errno, per command).
 *
 * Invariants, from a model of the rule (a struct of sz bytes: sz below 8
 * or above 4096 is EINVAL and nothing past the sz word is read; non-zero
 * bytes past what the library knows are E2BIG; a shorter struct is
 * zero-extended): the verdict is the model's; a refused struct reaches no
 * kernel (not one ioctl); what a command sends is the model's struct;
 * ASan checks no byte past sz is read (the struct is allocated at sz).
 * Every failure leaves a sentence; every fd is closed.
 */
#include <errno.h>

#include "fuzz_kernel.h"
#include "uapi/vfio_abi.h"

#define OPTS_MAX 4096

enum target { T_LOAD, T_CTX, T_HWPT, T_VIOMMU, T_VEVENTQ, T_FAULT, T_BIND, T_NR };

static const size_t known_size[T_NR] = {
	[T_LOAD] = 0, /* from the input */
	[T_CTX] = sizeof(struct iommufd_ctx_opts),
	[T_HWPT] = sizeof(struct iommufd_hwpt_alloc_opts),
	[T_VIOMMU] = sizeof(struct iommufd_viommu_alloc_opts),
	[T_VEVENTQ] = sizeof(struct iommufd_veventq_opts),
	[T_FAULT] = sizeof(struct iommufd_fault_queue_opts),
	[T_BIND] = sizeof(struct iommufd_bind_opts),
};

/* Where an older caller's struct can end: after a member.  (A sz inside a
 * member is no caller's: it would hand over half a pointer.) */
#define END(T, m) (offsetof(struct T, m) + sizeof(((struct T *)0)->m))
static const size_t ends[T_NR][8] = {
	[T_CTX] = { 8, END(iommufd_ctx_opts, path), END(iommufd_ctx_opts, log_fn),
		    END(iommufd_ctx_opts, log_user_data), END(iommufd_ctx_opts, log_level) },
	[T_HWPT] = { 8, END(iommufd_hwpt_alloc_opts, flags), END(iommufd_hwpt_alloc_opts, fault_id),
		     END(iommufd_hwpt_alloc_opts, data_type), END(iommufd_hwpt_alloc_opts, data_len),
		     END(iommufd_hwpt_alloc_opts, data) },
	[T_VIOMMU] = { 8, END(iommufd_viommu_alloc_opts, flags),
		       END(iommufd_viommu_alloc_opts, data_len), END(iommufd_viommu_alloc_opts, data) },
	[T_VEVENTQ] = { 8, END(iommufd_veventq_opts, flags), END(iommufd_veventq_opts, data_len) },
	[T_FAULT] = { 8, END(iommufd_fault_queue_opts, flags) },
	[T_BIND] = { 8, END(iommufd_bind_opts, vf_token) },
};

/* For the public calls, a sz inside the struct moves back to a member's end. */
static size_t snap(enum target t, size_t sz, size_t known)
{
	size_t best = 8;

	if (t == T_LOAD || sz < 8 || sz >= known)
		return sz;
	for (size_t i = 0; i < 8 && ends[t][i]; i++)
		if (ends[t][i] <= sz)
			best = ends[t][i];
	return best;
}

/* A caller's options struct, as the model sees it. */
struct blob {
	unsigned char *buf; /* NULL: no options */
	size_t sz;          /* what its sz word says */
	bool valid;         /* 8 <= sz <= OPTS_MAX: allocated at sz, else 8 bytes */
	bool tail;          /* a non-zero byte past the library's struct */
	_Alignas(max_align_t) unsigned char eff[64]; /* what the library should make of it */
};

static size_t pick_sz(struct fz *in, uint8_t mode, size_t known)
{
	switch (mode % 8) {
	case 1: /* an older caller */
		return 8 + fz_u8(in) % (known - 7);
	case 2: /* a newer caller */
		return known + 8 * (1 + fz_u8(in) % 4);
	case 3:
		return fz_u64(in);
	case 4: /* around the limits */
		return fz_u16(in) % (OPTS_MAX + 128);
	default:
		return known;
	}
}

static void make_blob(struct fz *in, struct blob *b, enum target t, size_t known)
{
	const uint8_t mode = fz_u8(in);

	memset(b, 0, sizeof(*b));
	if (mode & 0x80)
		return;
	b->sz = snap(t, pick_sz(in, mode, known), known);
	b->valid = b->sz >= sizeof(size_t) && b->sz <= OPTS_MAX;
	const size_t alloc = b->valid ? b->sz : sizeof(size_t);
	b->buf = malloc(alloc);
	if (!b->buf)
		abort();
	memcpy(b->buf, &b->sz, sizeof(size_t));
	fz_take(in, b->buf + sizeof(size_t), alloc - sizeof(size_t));
	for (size_t i = known; b->valid && i < b->sz; i++)
		b->tail |= b->buf[i] != 0;
}

/* After the pointers are fixed: the struct the library should load. */
static void model(struct blob *b, size_t known)
{
	memset(b->eff, 0, sizeof(b->eff));
	if (!b->buf)
		return; /* no options: all zero */
	if (b->valid && !b->tail)
		memcpy(b->eff, b->buf, b->sz < known ? b->sz : known);
	memcpy(b->eff, &known, sizeof(known));
}

/* Replace the pointer at @off (if the struct reaches it) by NULL or @p. */
static void fix_pointer(struct fz *in, struct blob *b, size_t off, const void *p)
{
	const void *v = fz_u8(in) & 1 ? p : NULL;

	if (b->buf && b->valid && off + sizeof(v) <= b->sz)
		memcpy(b->buf + off, &v, sizeof(v));
}

/* The verdict the model expects of the sz rule; 0 when it passes. */
static int sz_verdict(const struct blob *b)
{
	if (!b->buf)
		return 0;
	if (!b->valid)
		return -EINVAL;
	return b->tail ? -E2BIG : 0;
}

/* ---- ifd_opts_load on its own ------------------------------------------- */

static void load(struct fz *in)
{
	const size_t known = sizeof(size_t) + fz_u8(in) % 57;
	unsigned char *dst = malloc(known);
	struct blob b;

	if (!dst)
		abort();
	make_blob(in, &b, T_LOAD, known);
	model(&b, known);
	memset(dst, 0xa5, known);
	fz_mark_error();
	const int rc = ifd_opts_load(NULL, "fuzz", dst, known, b.buf);
	FZ_CHECK(rc == sz_verdict(&b), "rc %d, model %d (sz %zu, known %zu)", rc, sz_verdict(&b),
		 b.sz, known);
	if (rc)
		FZ_CHECK(fz_error_was_recorded(), "no sentence for %d", rc);
	else
		FZ_CHECK(!memcmp(dst, b.eff, known), "loaded struct differs (sz %zu, known %zu)",
			 b.sz, known);
	free(b.buf);
	free(dst);
}

/* ---- the public calls ----------------------------------------------------- */

struct sent {
	unsigned char arg[UAPI_IOMMUFD_NR_CMDS][128]; /* the kernel's copy, last call */
	struct uapi_vfio_device_bind_iommufd bind;
	unsigned int binds;
};

static int record_cmd(struct fk *k, uint32_t nr, void *arg)
{
	struct sent *s = k->priv;
	const int rc = fk_answer(k);
	int fd;

	memcpy(s->arg[nr - UAPI_IOMMUFD_CMD_FIRST], arg, 128);
	if (rc)
		return rc;
	switch (nr) {
	case UAPI_CMD_HWPT_ALLOC:
		((struct uapi_hwpt_alloc *)arg)->out_hwpt_id = 2;
		break;
	case UAPI_CMD_VIOMMU_ALLOC:
		((struct uapi_viommu_alloc *)arg)->out_viommu_id = 3;
		break;
	case UAPI_CMD_FAULT_QUEUE_ALLOC:
	case UAPI_CMD_VEVENTQ_ALLOC:
		fd = fk_new_fd(k, FK_FD_QUEUE);
		if (fd < 0)
			return fd;
		if (nr == UAPI_CMD_FAULT_QUEUE_ALLOC)
			((struct uapi_fault_alloc *)arg)->out_fault_fd = (uint32_t)fd;
		else
			((struct uapi_veventq_alloc *)arg)->out_veventq_fd = (uint32_t)fd;
		break;
	}
	return 0;
}

static int record_vfio(struct fk *k, unsigned long request, void *arg)
{
	struct sent *s = k->priv;
	struct uapi_vfio_device_bind_iommufd *b = arg;

	if (request == UAPI_VFIO_DEVICE_GET_INFO)
		return -EINVAL; /* not bound yet */
	if (request != UAPI_VFIO_DEVICE_BIND_IOMMUFD)
		return -ENOTTY;
	if (b->argsz > sizeof(*b))
		return fz_u8(k->in) & 1 ? -E2BIG : -EINVAL; /* the token probe */
	s->bind = *b;
	s->binds++;
	const int rc = fk_answer(k);
	if (!rc)
		b->out_devid = 5;
	return rc;
}

static unsigned int ran(const struct fk *k, uint32_t nr)
{
	return k->ran[nr - UAPI_IOMMUFD_CMD_FIRST];
}

static const void *sent(const struct sent *s, uint32_t nr)
{
	return s->arg[nr - UAPI_IOMMUFD_CMD_FIRST];
}

static int log_calls;
static void count_log(void *user, int level, const char *msg)
{
	(void)user, (void)level, (void)msg;
	log_calls++;
}

static const uint8_t token[16] = { 1, 2, 3 };
static const uint8_t vendor_data[64];

static int call_ctx(struct fz *in, struct blob *b, struct fk *k)
{
	static const char *const paths[] = { "/dev/iommu", "/nonexistent" };
	const struct iommufd_ctx_opts *o = (const void *)b->eff;
	struct iommufd_ctx *ctx = NULL;

	fix_pointer(in, b, offsetof(struct iommufd_ctx_opts, path), paths[fz_u8(in) & 1]);
	fix_pointer(in, b, offsetof(struct iommufd_ctx_opts, log_fn), (const void *)count_log);
	fix_pointer(in, b, offsetof(struct iommufd_ctx_opts, log_user_data), &log_calls);
	model(b, known_size[T_CTX]);
	const int rc = iommufd_ctx_open((const void *)b->buf, &ctx);
	if (!rc) {
		FZ_CHECK(!strcmp(k->last_open, o->path ? o->path : "/dev/iommu"), "opened %s",
			 k->last_open);
		if (o->log_level)
			FZ_CHECK(iommufd_ctx_get_log_level(ctx) == o->log_level, "log level %d, opts %d",
				 iommufd_ctx_get_log_level(ctx), o->log_level);
		iommufd_ctx_close(ctx);
	} else if (!sz_verdict(b) && o->log_level >= 0 && o->log_level <= IOMMUFD_LOG_DEBUG) {
		FZ_CHECK(o->path && !strcmp(o->path, "/nonexistent") && rc == -ENOENT,
			 "refused good options: %d", rc);
	}
	return rc;
}

static int call_hwpt(struct fz *in, struct blob *b, struct fk *k, struct iommufd_ctx *ctx)
{
	const struct iommufd_hwpt_alloc_opts *o = (const void *)b->eff;
	const unsigned int before = ran(k, UAPI_CMD_HWPT_ALLOC);
	uint32_t id = 0;

	fix_pointer(in, b, offsetof(struct iommufd_hwpt_alloc_opts, data), vendor_data);
	model(b, known_size[T_HWPT]);
	const int rc = iommufd_hwpt_alloc(ctx, 1, 2, (const void *)b->buf, &id);
	if (ran(k, UAPI_CMD_HWPT_ALLOC) != before) {
		const struct uapi_hwpt_alloc *c = sent(k->priv, UAPI_CMD_HWPT_ALLOC);

		FZ_CHECK(c->flags == (o->flags | (o->fault_id ? UAPI_HWPT_FAULT_ID_VALID : 0)) &&
				 c->data_type == o->data_type && c->data_len == o->data_len &&
				 c->data_uptr == (uintptr_t)o->data && c->fault_id == o->fault_id,
			 "sent flags %#x type %#x len %u fault %u, opts %#x %#x %u %u", c->flags,
			 c->data_type, c->data_len, c->fault_id, o->flags, o->data_type, o->data_len,
			 o->fault_id);
		FZ_CHECK(!o->data == !o->data_len, "sent data %p with data_len %u", o->data,
			 o->data_len);
	}
	if (!rc)
		FZ_CHECK(id == 2, "hwpt id %u", id);
	return rc;
}

static int call_viommu(struct fz *in, struct blob *b, struct fk *k, struct iommufd_ctx *ctx)
{
	const struct iommufd_viommu_alloc_opts *o = (const void *)b->eff;
	const unsigned int before = ran(k, UAPI_CMD_VIOMMU_ALLOC);
	uint32_t id = 0;

	fix_pointer(in, b, offsetof(struct iommufd_viommu_alloc_opts, data), vendor_data);
	model(b, known_size[T_VIOMMU]);
	const int rc = iommufd_viommu_alloc(ctx, 1, 2, 3, (const void *)b->buf, &id);
	if (ran(k, UAPI_CMD_VIOMMU_ALLOC) != before) {
		const struct uapi_viommu_alloc *c = sent(k->priv, UAPI_CMD_VIOMMU_ALLOC);

		FZ_CHECK(c->flags == o->flags && !o->flags && c->data_len == o->data_len &&
				 c->data_uptr == (uintptr_t)o->data && !o->data == !o->data_len,
			 "sent flags %#x len %u, opts %#x %u", c->flags, c->data_len, o->flags,
			 o->data_len);
	}
	if (!rc)
		FZ_CHECK(id == 3, "viommu id %u", id);
	return rc;
}

static int call_veventq(struct blob *b, struct fk *k, struct iommufd_ctx *ctx)
{
	const struct iommufd_veventq_opts *o = (const void *)b->eff;
	const unsigned int before = ran(k, UAPI_CMD_VEVENTQ_ALLOC);
	struct iommufd_veventq *q = NULL;

	model(b, known_size[T_VEVENTQ]);
	const int rc = iommufd_veventq_alloc(ctx, 1, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 4,
					     (const void *)b->buf, &q);
	if (ran(k, UAPI_CMD_VEVENTQ_ALLOC) != before) {
		const struct uapi_veventq_alloc *c = sent(k->priv, UAPI_CMD_VEVENTQ_ALLOC);

		FZ_CHECK(c->flags == o->flags && !o->flags, "sent flags %#x, opts %#x", c->flags,
			 o->flags);
	}
	if (!rc)
		iommufd_veventq_close(q);
	return rc;
}

static int call_fault(struct blob *b, struct fk *k, struct iommufd_ctx *ctx)
{
	const struct iommufd_fault_queue_opts *o = (const void *)b->eff;
	const unsigned int before = ran(k, UAPI_CMD_FAULT_QUEUE_ALLOC);
	struct iommufd_fault_queue *q = NULL;

	model(b, known_size[T_FAULT]);
	const int rc = iommufd_fault_queue_alloc(ctx, (const void *)b->buf, &q);
	if (ran(k, UAPI_CMD_FAULT_QUEUE_ALLOC) != before) {
		const struct uapi_fault_alloc *c = sent(k->priv, UAPI_CMD_FAULT_QUEUE_ALLOC);

		FZ_CHECK(c->flags == o->flags && !o->flags, "sent flags %#x, opts %#x", c->flags,
			 o->flags);
	}
	if (!rc)
		iommufd_fault_queue_close(q);
	return rc;
}

static int call_bind(struct fz *in, struct blob *b, struct fk *k, struct iommufd_ctx *ctx)
{
	const struct iommufd_bind_opts *o = (const void *)b->eff;
	struct sent *s = k->priv;
	const unsigned int before = s->binds;
	struct iommufd_device *dev;
	uint32_t id = 0;

	fix_pointer(in, b, offsetof(struct iommufd_bind_opts, vf_token), token);
	model(b, known_size[T_BIND]);
	FZ_CHECK(iommufd_device_open("/dev/vfio/devices/vfio0", &dev) == 0, "device open");
	const unsigned int ioctls = k->ioctls;
	const int rc = iommufd_device_bind(dev, ctx, (const void *)b->buf, &id);
	if (sz_verdict(b))
		FZ_CHECK(k->ioctls == ioctls, "a refused bind made %u ioctls", k->ioctls - ioctls);
	if (s->binds != before)
		FZ_CHECK(s->bind.flags == (o->vf_token ? UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN : 0) &&
				 s->bind.token_uuid_ptr == (uintptr_t)o->vf_token &&
				 s->bind.iommufd == iommufd_ctx_fd(ctx),
			 "sent flags %#x token %#llx", s->bind.flags,
			 (unsigned long long)s->bind.token_uuid_ptr);
	if (!rc)
		FZ_CHECK(id == 5 && iommufd_device_id(dev) == 5, "device id %u", id);
	iommufd_device_close(dev);
	return rc;
}

static void call(struct fz *in, enum target t)
{
	static struct sent s;
	struct iommufd_ctx *ctx = NULL;
	struct blob b;
	struct fk k;
	int rc;

	fk_init(&k, in);
	k.cmd = record_cmd;
	k.vfio = record_vfio;
	k.priv = &s;
	s.binds = 0;
	fk_install(&k);
	if (t != T_CTX)
		FZ_CHECK(iommufd_ctx_open(NULL, &ctx) == 0, "open");
	make_blob(in, &b, t, known_size[t]);
	const unsigned int ioctls = k.ioctls;
	fz_mark_error();
	switch (t) {
	case T_CTX:
		rc = call_ctx(in, &b, &k);
		break;
	case T_HWPT:
		rc = call_hwpt(in, &b, &k, ctx);
		break;
	case T_VIOMMU:
		rc = call_viommu(in, &b, &k, ctx);
		break;
	case T_VEVENTQ:
		rc = call_veventq(&b, &k, ctx);
		break;
	case T_FAULT:
		rc = call_fault(&b, &k, ctx);
		break;
	default:
		rc = call_bind(in, &b, &k, ctx);
		break;
	}
	if (sz_verdict(&b)) {
		FZ_CHECK(rc == sz_verdict(&b), "target %d: rc %d, model %d (sz %zu)", t, rc,
			 sz_verdict(&b), b.sz);
		if (t != T_BIND) /* bind opens the device first */
			FZ_CHECK(k.ioctls == ioctls, "refused options made %u ioctls",
				 k.ioctls - ioctls);
	}
	if (rc)
		FZ_CHECK(rc < 0 && fz_error_was_recorded(), "target %d: %d without a sentence", t,
			 rc);
	iommufd_ctx_close(ctx);
	FZ_CHECK(fk_open_fds(&k) == 0, "%u fds left open", fk_open_fds(&k));
	fk_uninstall();
	free(b.buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	const enum target t = fz_u8(&in) % T_NR;

	if (t == T_LOAD)
		load(&in);
	else
		call(&in, t);
	return 0;
}
