/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VFIO capability chains: the walker (ifd_vfio_caps_walk) on its own, and
 * the same bytes as a hostile kernel's answer to GET_INFO, GET_REGION_INFO
 * (its chain decoded: sparse mmap, type, MSI-X) and GET_IRQ_INFO, then an
 * mmap of a range of the region.
 *
 * Input: u8 min_offset (% 64), u16 first offset, u8 the capability the
 * callback fails at (255: none), u8 mode (bit 0: the kernel's argsz is
 * honest, else it is the reply's own; bit 1: ask for the region the reply
 * names, else region 0), u16 and u16 the mmap offset and length in pages,
 * then the reply.
 *
 * Invariants of the walker, against a plain model of the chain rule: the
 * same capabilities in the same order and the same verdict; each lies in
 * the buffer, 8-byte aligned, past the info struct, past the last one's
 * header, ends where the next begins; -EPROTO leaves a sentence.  Of the
 * device calls: a failure leaves a sentence; a region is the one asked
 * for, has no areas unless mmap-able, every listed area inside it; an
 * mmap that succeeds lies inside the region and inside a listed area;
 * every fd given is closed.
 */
#include <errno.h>
#include <sys/mman.h>

#include "fuzz_kernel.h"
#include "uapi/vfio_abi.h"
#include "vfio_caps.h"

#define CAP_HDR 8u

/* Where the bytes a capability may use are summed, so none is skipped. */
volatile unsigned char fz_sink;

struct seen {
	const struct ifd_vfio_chain *chain;
	uint32_t offsets[1024];
	unsigned int n;
	unsigned int fail_at;
};

static int record(void *arg, const struct ifd_vfio_cap *cap, struct ifd_vfio_chain *chain)
{
	struct seen *s = arg;
	struct uapi_vfio_info_cap_header hdr;
	unsigned char sum = 0;

	FZ_CHECK(chain == s->chain, "another chain");
	FZ_CHECK(cap->offset >= chain->min_offset && cap->offset % 8 == 0, "offset %u (min %u)",
		 cap->offset, chain->min_offset);
	FZ_CHECK(cap->offset <= chain->len && chain->len - cap->offset >= CAP_HDR,
		 "offset %u of %zu", cap->offset, chain->len);
	FZ_CHECK(cap->data == chain->buf + cap->offset, "data not at its offset");
	FZ_CHECK(cap->len >= CAP_HDR && cap->len <= chain->len - cap->offset, "len %zu at %u of %zu",
		 cap->len, cap->offset, chain->len);
	FZ_CHECK(!s->n || cap->offset >= s->offsets[s->n - 1] + CAP_HDR, "offset %u after %u",
		 cap->offset, s->offsets[s->n - 1]);
	memcpy(&hdr, cap->data, CAP_HDR);
	FZ_CHECK(hdr.id == cap->id && hdr.version == cap->version, "header fields");
	FZ_CHECK(cap->len == (hdr.next ? hdr.next - cap->offset : chain->len - cap->offset),
		 "len %zu, next %u", cap->len, hdr.next);
	for (size_t i = 0; i < cap->len; i++) /* ASan: every byte it may use */
		sum ^= cap->data[i];
	fz_sink = sum;
	FZ_CHECK(s->n < 1024, "more capabilities than 8-byte slots");
	if (s->n == s->fail_at)
		return -EIO;
	s->offsets[s->n++] = cap->offset;
	return 0;
}

/* The chain rule, plainly: may a header sit at @off after one at @prev? */
static bool offset_ok(const struct ifd_vfio_chain *c, uint64_t off, uint64_t prev)
{
	return off >= c->min_offset && off % 8 == 0 && off + CAP_HDR <= c->len &&
	       (!prev || off >= prev + CAP_HDR);
}

/* The model's walk: the offsets visited (up to @fail_at) and the verdict. */
static int model_walk(const struct ifd_vfio_chain *c, unsigned int fail_at, uint32_t *offs,
		      unsigned int *n)
{
	uint64_t off = c->first, prev = 0;

	*n = 0;
	while (off) {
		struct uapi_vfio_info_cap_header hdr;

		if (!offset_ok(c, off, prev))
			return -EPROTO;
		memcpy(&hdr, c->buf + off, CAP_HDR);
		if (hdr.next && !offset_ok(c, hdr.next, off))
			return -EPROTO;
		if (*n == fail_at)
			return -EIO;
		offs[(*n)++] = (uint32_t)off;
		prev = off;
		off = hdr.next;
	}
	return 0;
}

static void walk(const uint8_t *buf, size_t len, uint32_t min_offset, uint32_t first,
		 unsigned int fail_at)
{
	static struct seen s;
	static uint32_t model[1024];
	struct ifd_vfio_chain chain = {
		.buf = buf, .len = len, .min_offset = min_offset, .first = first,
	};
	unsigned int model_n;

	s.chain = &chain;
	s.n = 0;
	s.fail_at = fail_at;
	const int rc = ifd_vfio_caps_walk(&chain, record, &s);
	const int want = model_walk(&chain, fail_at, model, &model_n);
	FZ_CHECK(rc == want, "walker %d, model %d", rc, want);
	FZ_CHECK(s.n == model_n && !memcmp(s.offsets, model, s.n * sizeof(model[0])),
		 "walker visited %u capabilities, model %u", s.n, model_n);
	if (rc == -EPROTO)
		FZ_CHECK(fz_sentence(chain.why, sizeof(chain.why)), "no sentence");
}

/* ---- the same bytes from a hostile device --------------------------------- */

struct reply {
	const uint8_t *buf;
	size_t len;
	bool honest; /* argsz says the reply's size */
};

static int device_ioctl(struct fk *k, unsigned long request, void *arg)
{
	const struct reply *r = k->priv;
	uint32_t argsz;

	if (request != UAPI_VFIO_DEVICE_GET_INFO && request != UAPI_VFIO_DEVICE_GET_REGION_INFO &&
	    request != UAPI_VFIO_DEVICE_GET_IRQ_INFO)
		return -ENOTTY;
	memcpy(&argsz, arg, sizeof(argsz));
	memcpy(arg, r->buf, r->len < argsz ? r->len : argsz);
	if (r->honest && argsz >= sizeof(argsz)) {
		const uint32_t need = r->len > UINT32_MAX ? UINT32_MAX : (uint32_t)r->len;

		memcpy(arg, &need, sizeof(need));
	}
	return 0;
}

static bool area_holds(const struct iommufd_region_area *a, uint64_t off, uint64_t len)
{
	return off >= a->offset && off - a->offset <= a->size && len <= a->size - (off - a->offset);
}

static void check_region(const struct iommufd_region_info *info, uint32_t index)
{
	FZ_CHECK(info->index == index, "asked %u, got %u", index, info->index);
	if (!(info->flags & IOMMUFD_REGION_MMAP))
		FZ_CHECK(info->nr_areas == 0, "%u areas, not mmap-able", info->nr_areas);
	for (uint32_t i = 0; i < info->nr_areas && i < IOMMUFD_REGION_MAX_SPARSE; i++) {
		const struct iommufd_region_area whole = { 0, info->size };

		FZ_CHECK(area_holds(&whole, info->areas[i].offset, info->areas[i].size),
			 "area %u (%#" PRIx64 "+%#" PRIx64 ") outside the region (%#" PRIx64 ")", i,
			 info->areas[i].offset, info->areas[i].size, info->size);
	}
}

static void check_mmap(struct iommufd_device *dev, const struct iommufd_region_info *info,
		       uint64_t off, uint64_t len)
{
	void *addr = NULL;

	fz_mark_error();
	int rc = iommufd_device_region_mmap(dev, info->index, off, len, PROT_READ, &addr);
	if (rc) {
		FZ_CHECK(rc < 0 && fz_error_was_recorded(), "mmap: %d", rc);
		return;
	}
	const struct iommufd_region_area whole = { 0, info->size };
	bool listed = info->nr_areas > IOMMUFD_REGION_MAX_SPARSE;

	FZ_CHECK(info->flags & IOMMUFD_REGION_MMAP, "mapped a region that is not mmap-able");
	FZ_CHECK(len && area_holds(&whole, off, len), "mapped %#" PRIx64 "+%#" PRIx64
		 " of a region of %#" PRIx64, off, len, info->size);
	for (uint32_t i = 0; i < info->nr_areas && i < IOMMUFD_REGION_MAX_SPARSE; i++)
		listed |= area_holds(&info->areas[i], off, len);
	FZ_CHECK(listed, "mapped %#" PRIx64 "+%#" PRIx64 " outside every area", off, len);
	FZ_CHECK(iommufd_device_region_munmap(addr, len) == 0, "munmap");
}

static void query_device(struct reply *r, uint8_t mode, uint64_t off, uint64_t len)
{
	struct iommufd_device *dev;
	struct iommufd_device_info di;
	struct iommufd_region_info info;
	struct iommufd_irq_info irq;
	struct fz none = { NULL, 0 };
	uint32_t index = 0;
	struct fk k;
	int rc;

	fk_init(&k, &none);
	k.vfio = device_ioctl;
	k.priv = r;
	fk_install(&k);
	rc = iommufd_device_adopt_fd(fk_new_fd(&k, FK_FD_DEVICE), &dev);
	FZ_CHECK(rc == 0, "adopt: %d", rc);

	fz_mark_error();
	rc = iommufd_device_get_info(dev, &di);
	FZ_CHECK(rc == 0 || (rc < 0 && fz_error_was_recorded()), "get_info: %d", rc);

	if ((mode & 2) && r->len >= 12)
		memcpy(&index, r->buf + 8, sizeof(index)); /* vfio_region_info.index */
	fz_mark_error();
	rc = iommufd_device_region_info(dev, index, &info);
	FZ_CHECK(rc == 0 || (rc < 0 && fz_error_was_recorded()), "region_info: %d", rc);
	if (!rc) {
		check_region(&info, index);
		check_mmap(dev, &info, off, len);
	}

	fz_mark_error();
	rc = iommufd_device_irq_info(dev, index, &irq);
	FZ_CHECK(rc == 0 || (rc < 0 && fz_error_was_recorded()), "irq_info: %d", rc);
	if (!rc)
		FZ_CHECK(irq.index == index, "irq %u, asked %u", irq.index, index);

	iommufd_device_close(dev);
	FZ_CHECK(fk_open_fds(&k) == 0, "%u fds left open", fk_open_fds(&k));
	fk_uninstall();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	const uint32_t min_offset = fz_u8(&in) % 64;
	const uint32_t first = fz_u16(&in);
	const uint8_t fail_at = fz_u8(&in);
	const uint8_t mode = fz_u8(&in);
	const uint64_t off = (uint64_t)fz_u16(&in) << 12;
	const uint64_t len = (uint64_t)fz_u16(&in) << 12;
	size_t n = in.n;
	uint8_t *buf = fz_dup(&in, &n);
	struct reply r = { buf, n, mode & 1 };

	walk(buf, n, min_offset, first, fail_at == 255 ? ~0u : fail_at);
	query_device(&r, mode, off, len);
	free(buf);
	return 0;
}
