/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IOMMU_GET_HW_INFO from a hostile kernel: iommufd_get_hw_info() (the
 * reply decoded, a zero output checked against the ABI probe), then what
 * the device probe reads of the vendor data (pd_vendor_of, nest_note,
 * page_requests) into buffers of every small size.
 *
 * Input: u8 the kernel (a release, whose command sizes follow the
 * library's table, or per-command sizes from the input), u8 its uname
 * release, u8 the answer (0 or an errno), u8 data type (0-5: the known
 * ones, else a u32 follows), u32 the data_len it reports, u64 capabilities,
 * u8 PASID width, then the vendor data it has.
 *
 * Invariants: on success the type and length are the kernel's, the raw
 * bytes are the vendor data up to IOMMUFD_HW_INFO_MAX_DATA and zero after,
 * capabilities arrive only from a kernel whose struct has them, a
 * non-zero output is known, and on a kernel of a plain release an output
 * is known exactly when the kernel has the field (capabilities: its struct
 * reaches them; the PASID width: Linux 6.12, by the probe's release or
 * uname); on failure info is all zero, the errno is the kernel's (or
 * EOPNOTSUPP without the command) and a sentence says why.  Vendor notes
 * stay inside their buffer and end in a NUL.  Every fd is closed.
 */
#include <errno.h>

#include "fuzz_kernel.h"
#include "probe_device.h"

#define CAPS_END (offsetof(struct uapi_hw_info, out_capabilities) + sizeof(uint64_t))

static const int releases[] = {
	IOMMUFD_KVER(6, 2),  IOMMUFD_KVER(6, 6),  IOMMUFD_KVER(6, 7),  IOMMUFD_KVER(6, 8),
	IOMMUFD_KVER(6, 11), IOMMUFD_KVER(6, 12), IOMMUFD_KVER(6, 13), IOMMUFD_KVER(6, 15),
	IOMMUFD_KVER(6, 16), IOMMUFD_KVER(7, 2),
};
#define NR_RELEASES (sizeof(releases) / sizeof(releases[0]))

static const uint32_t types[] = {
	IOMMUFD_HW_INFO_NONE,           IOMMUFD_HW_INFO_INTEL_VTD, IOMMUFD_HW_INFO_ARM_SMMUV3,
	IOMMUFD_HW_INFO_TEGRA241_CMDQV, IOMMUFD_HW_INFO_AMD,       IOMMUFD_HW_INFO_SELFTEST,
};

struct reply {
	int answer;
	uint32_t type, data_len;
	uint64_t caps;
	uint8_t pasid;
	const uint8_t *vendor;
	size_t vendor_len;
	unsigned int calls; /* real (not probe) GET_HW_INFO calls */
};

static int hw_info_cmd(struct fk *k, uint32_t nr, void *arg)
{
	struct reply *r = k->priv;
	struct uapi_hw_info *c = arg;
	const uint32_t flags_known = k->release >= IOMMUFD_KVER(6, 16)
					     ? UAPI_HW_INFO_FLAG_INPUT_TYPE : 0;

	if (nr != UAPI_CMD_GET_HW_INFO)
		return -EINVAL; /* a probe: its poison or ID 0 fails it */
	if ((c->flags & ~flags_known) || c->reserved[0] || c->reserved[1] || c->reserved[2])
		return -EOPNOTSUPP;
	if (!c->dev_id)
		return -ENOENT;
	r->calls++;
	if (r->answer)
		return r->answer;
	uint8_t *out = (uint8_t *)(uintptr_t)c->data_uptr;
	const size_t copy = r->vendor_len < c->data_len ? r->vendor_len : c->data_len;

	if (c->data_len && !out)
		return -EFAULT;
	memcpy(out, r->vendor, copy);
	memset(out + copy, 0, c->data_len - copy);
	c->data_len = r->data_len;
	c->data_type = r->type;
	c->out_capabilities = r->caps;
	c->out_max_pasid_log2 = r->pasid;
	return 0;
}

/* The newest release a kernel of @kver shows through command sizes: what
 * the ABI probe finds on a kernel built as the command table says. */
static int shown_release(int kver)
{
	int floor = IOMMUFD_KVER(6, 2);

	for (uint32_t nr = UAPI_IOMMUFD_CMD_FIRST; nr <= UAPI_IOMMUFD_CMD_LAST; nr++) {
		const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);

		if (cmd->release > kver)
			continue;
		floor = cmd->release > floor ? cmd->release : floor;
		for (uint32_t i = 0; i < cmd->nr_fields; i++) {
			const struct ifd_field *f = &cmd->fields[i];

			if (!f->carved && f->offset >= cmd->first_size && f->release <= kver &&
			    f->release > floor)
				floor = f->release;
		}
	}
	return floor;
}

static void check_success(const struct iommufd_hw_info *info, const struct reply *r,
			  const struct fk *k, int kver, int uname)
{
	const uint16_t ksize = k->ksize[UAPI_CMD_GET_HW_INFO - UAPI_IOMMUFD_CMD_FIRST];
	const size_t have = r->vendor_len < IOMMUFD_HW_INFO_MAX_DATA ? r->vendor_len
								     : IOMMUFD_HW_INFO_MAX_DATA;

	FZ_CHECK(info->type == r->type && info->data_len == r->data_len, "type %#x len %u",
		 info->type, info->data_len);
	FZ_CHECK(!memcmp(info->raw, r->vendor, have), "vendor data differs");
	for (size_t i = have; i < IOMMUFD_HW_INFO_MAX_DATA; i++)
		FZ_CHECK(!info->raw[i], "raw byte %zu past the vendor data", i);
	FZ_CHECK(info->capabilities == (ksize >= CAPS_END ? r->caps : 0),
		 "capabilities %#" PRIx64 " from a %u-byte struct", info->capabilities, ksize);
	FZ_CHECK(info->max_pasid_log2 == r->pasid, "PASID width %u", info->max_pasid_log2);
	FZ_CHECK(info->capabilities_known <= 1 && info->max_pasid_log2_known <= 1, "known flags");
	FZ_CHECK(!info->capabilities || info->capabilities_known, "capabilities not known");
	FZ_CHECK(!info->max_pasid_log2 || info->max_pasid_log2_known, "PASID width not known");
	FZ_CHECK(!info->reserved, "reserved %u", info->reserved);
	if (!kver)
		return; /* sizes from the input: no release to hold them to */
	FZ_CHECK(info->capabilities_known == (info->capabilities || ksize >= CAPS_END),
		 "capabilities_known %u with a %u-byte struct", info->capabilities_known, ksize);
	const bool pasid_field = shown_release(kver) >= IOMMUFD_KVER(6, 12) ||
				 uname >= IOMMUFD_KVER(6, 12);
	FZ_CHECK(info->max_pasid_log2_known == (info->max_pasid_log2 || pasid_field),
		 "max_pasid_log2_known %u on %#x (uname %#x)", info->max_pasid_log2_known, kver,
		 uname);
}

/* A note of every small size stays inside its buffer and ends in a NUL. */
static void check_vendor(const struct iommufd_hw_info *info)
{
	const struct pd_vendor *v = pd_vendor_of(info);
	char buf[PD_WHY_LEN + 16];

	FZ_CHECK(v, "no vendor");
	FZ_CHECK(!v->name || v->hw_info_type == info->type, "vendor of type %#x for %#x",
		 v->hw_info_type, info->type);
	for (size_t len = 1; len <= PD_WHY_LEN; len += len < 16 ? 1 : 16) {
		memset(buf, 0x5a, sizeof(buf));
		if (v->nest_note) {
			v->nest_note(info, buf, len);
			FZ_CHECK(memchr(buf, 0, len), "nest note of %zu bytes unterminated", len);
			for (size_t i = len; i < sizeof(buf); i++)
				FZ_CHECK(buf[i] == 0x5a, "nest note wrote byte %zu of %zu", i, len);
		}
		memset(buf, 0x5a, sizeof(buf));
		if (v->page_requests) {
			int yes = v->page_requests(info, buf, len);

			FZ_CHECK(yes == 0 || yes == 1, "page_requests %d", yes);
			FZ_CHECK(memchr(buf, 0, len), "page-request note of %zu bytes unterminated",
				 len);
			for (size_t i = len; i < sizeof(buf); i++)
				FZ_CHECK(buf[i] == 0x5a, "page-request note wrote byte %zu of %zu", i,
					 len);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct iommufd_hw_info zero;
	struct fz in = { data, size };
	struct iommufd_hw_info info;
	struct iommufd_ctx *ctx;
	struct reply r = { 0 };
	struct fk k;
	int rc;

	fk_init(&k, &in);
	const uint8_t ksel = fz_u8(&in) % (NR_RELEASES + 2);
	const int kver = ksel < NR_RELEASES ? releases[ksel] : 0;
	if (kver)
		fk_set_release(&k, kver);
	else
		fk_sizes_from_input(&k);
	k.release = releases[fz_u8(&in) % NR_RELEASES];
	r.answer = fz_u8(&in) % 4 ? 0 : fk_answer(&k);
	const uint8_t tsel = fz_u8(&in);
	r.type = tsel < 6 ? types[tsel] : fz_u32(&in);
	r.data_len = fz_u32(&in);
	r.caps = fz_u64(&in);
	r.pasid = fz_u8(&in);
	r.vendor_len = in.n;
	uint8_t *vendor = fz_dup(&in, &r.vendor_len);
	r.vendor = vendor;

	k.cmd = hw_info_cmd;
	k.priv = &r;
	fk_install(&k);
	FZ_CHECK(iommufd_ctx_open(NULL, &ctx) == 0, "open");
	memset(&info, 0xa5, sizeof(info));
	fz_mark_error();
	rc = iommufd_get_hw_info(ctx, 1, &info);
	if (rc) {
		const uint16_t ksize = k.ksize[UAPI_CMD_GET_HW_INFO - UAPI_IOMMUFD_CMD_FIRST];

		FZ_CHECK(rc < 0 && fz_error_was_recorded(), "rc %d without a sentence", rc);
		FZ_CHECK(!memcmp(&info, &zero, sizeof(info)), "info not zeroed on %d", rc);
		if (!ksize)
			FZ_CHECK(rc == -EOPNOTSUPP, "unknown command gave %d", rc);
		else if (r.answer && r.answer != -E2BIG)
			FZ_CHECK(rc == r.answer, "kernel said %d, got %d", r.answer, rc);
	} else {
		FZ_CHECK(!r.answer && r.calls == 1, "success from answer %d, %u calls", r.answer,
			 r.calls);
		check_success(&info, &r, &k, kver, k.release);
	}
	check_vendor(&info);
	iommufd_ctx_close(ctx);
	FZ_CHECK(fk_open_fds(&k) == 0, "%u fds left open", fk_open_fds(&k));
	fk_uninstall();
	free(vendor);
	return 0;
}
