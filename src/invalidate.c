/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cache invalidation of a nested HWPT or a vIOMMU (IOMMU_HWPT_INVALIDATE).
 * The kernel handles the entries in order and writes back how many it
 * handled, on failure too; that count is the caller's to know, so it is
 * passed on exactly and said in the sentence.  iommufd_hwpt_invalidate()
 * and iommufd_viommu_invalidate() differ only in what they explain.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <libiommufd/hwpt.h>
#include <libiommufd/viommu.h>

#include "private.h"

_Static_assert(IOMMUFD_INVALIDATE_DATA_VTD_S1 == UAPI_HWPT_INVALIDATE_DATA_VTD_S1, "type");
_Static_assert(IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3 == UAPI_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
	       "type");
_Static_assert(IOMMUFD_INVALIDATE_DATA_SELFTEST == UAPI_HWPT_INVALIDATE_DATA_SELFTEST, "type");
_Static_assert(sizeof(struct iommufd_vtd_s1_invalidate) ==
		       sizeof(struct uapi_hwpt_vtd_s1_invalidate), "vtd");

struct inv_call {
	bool viommu; /* iommufd_viommu_invalidate(): the ID must be a vIOMMU */
	uint32_t id;
	uint32_t data_type;
	const unsigned char *entries;
	uint32_t entry_len;
	uint32_t total;
};

/* Why the object or an entry failed, by the kernel's errno. */
static const char *reason(int rc, uint32_t handled, bool viommu)
{
	switch (rc) {
	case -ENOENT:
		return viommu ? "it is no vIOMMU (no such object)"
			      : "no such object, or (before vIOMMUs, 6.13) not a nested HWPT";
	case -EINVAL:
		if (handled)
			return "the entry is invalid";
		return viommu ? "not a vIOMMU, data_type not its type, entry_len not the "
				"kernel's (longer is refused too, zero or not), or the entry is "
				"invalid"
			      : "not a nested HWPT or vIOMMU, data_type not its type, entry_len "
				"not the kernel's (longer is refused too, zero or not), or the "
				"entry is invalid";
	case -EOPNOTSUPP:
		return "the object cannot invalidate caches, or the entry has flags it does not "
		       "support";
	case -E2BIG:
		return "the entry is longer than the kernel's and the extra bytes are not zero";
	case -EFAULT:
		return "cannot read the entry";
	}
	return strerror(-rc);
}

static int explain(struct iommufd_ctx *ctx, int rc, const struct inv_call *c, uint32_t done)
{
	if (!c->total)
		return ifd_fail(ctx, -rc,
				"IOMMU_HWPT_INVALIDATE of %" PRIu32 " with no entries (is data_type "
				"0x%" PRIx32 " taken?) failed (%s): %s",
				c->id, c->data_type, strerror(-rc), reason(rc, done, c->viommu));
	return ifd_fail(ctx, -rc,
			"IOMMU_HWPT_INVALIDATE of %" PRIu32 ": the kernel handled %" PRIu32
			" of %" PRIu32 " entries; entry %" PRIu32 " failed (%s): %s",
			c->id, done, c->total, done, strerror(-rc), reason(rc, done, c->viommu));
}

/* One ioctl for entries [first, first + num); *handled receives how many
 * the kernel handled, which it reports on failure too.  Failures leave
 * their sentence. */
static int send_batch(struct iommufd_ctx *ctx, const struct inv_call *c, uint32_t first,
		      uint32_t num, uint32_t *handled)
{
	struct uapi_hwpt_invalidate cmd = {
		.hwpt_id = c->id,
		.data_uptr = (uintptr_t)(c->entries ? c->entries + (size_t)first * c->entry_len : 0),
		.data_type = c->data_type,
		.entry_len = c->entry_len,
		.entry_num = num,
	};
	bool ran = false;
	int rc = ifd_cmd_ran(ctx, UAPI_CMD_HWPT_INVALIDATE, &cmd, &ran);

	/* A command the kernel never ran handled nothing.  A failure that
	 * leaves the count as sent means the kernel did not say (the ioctl
	 * failed around the command): count none, since invalidating again is
	 * harmless and a stale IOTLB is not.  A count above what was sent
	 * would be a kernel bug and is not believed either. */
	const bool told = ran && cmd.entry_num <= num && !(rc && cmd.entry_num == num);

	*handled = told ? cmd.entry_num : 0;
	if (!ran)
		return rc;
	if (rc && !told && num)
		return ifd_fail(ctx, -rc, "IOMMU_HWPT_INVALIDATE of %" PRIu32 " failed (%s) "
				"without saying how many entries it handled: entries %" PRIu32
				"..%" PRIu32 " count as not handled", c->id, strerror(-rc), first,
				c->total - 1);
	if (rc)
		return explain(ctx, rc, c, first + *handled);
	if (*handled < num)
		return ifd_fail(ctx, EIO, "IOMMU_HWPT_INVALIDATE of %" PRIu32 ": the kernel "
				"succeeded but handled only %" PRIu32 " of %" PRIu32 " entries",
				c->id, first + *handled, c->total);
	return 0;
}

static int check_args(struct iommufd_ctx *ctx, const char *fn, const void *entries,
		      uint32_t entry_len, const uint32_t *entry_num)
{
	int rc = ifd_check_ctx(ctx, fn);
	long page = sysconf(_SC_PAGESIZE);

	if (!rc)
		rc = ifd_check_out(ctx, entry_num, fn, "entry_num");
	if (rc || !*entry_num)
		return rc;
	if (!entries)
		return ifd_fail(ctx, EINVAL, "%s: entries is NULL for %" PRIu32 " entries", fn,
				*entry_num);
	if (!entry_len || (page > 0 && entry_len > (unsigned long)page))
		return ifd_fail(ctx, EINVAL, "%s: entry_len %" PRIu32 " is not 1..%ld (the page "
				"size)", fn, entry_len, page);
	return 0;
}

static int invalidate(struct iommufd_ctx *ctx, const char *fn, bool viommu, uint32_t id,
		      uint32_t data_type, const void *entries, uint32_t entry_len,
		      uint32_t *entry_num)
{
	int rc = check_args(ctx, fn, entries, entry_len, entry_num);
	uint32_t done = 0, handled;

	if (rc) {
		if (entry_num)
			*entry_num = 0;
		return rc;
	}
	const struct inv_call c = { viommu, id, data_type, entries, entry_len, *entry_num };
	do {
		uint32_t num = c.total - done;

		if (num > IOMMUFD_INVALIDATE_BATCH)
			num = IOMMUFD_INVALIDATE_BATCH;
		rc = send_batch(ctx, &c, done, num, &handled);
		done += handled;
	} while (!rc && done < c.total);
	*entry_num = done;
	return rc;
}

int iommufd_hwpt_invalidate(struct iommufd_ctx *ctx, uint32_t id, uint32_t data_type,
			    const void *entries, uint32_t entry_len, uint32_t *entry_num)
{
	return invalidate(ctx, "iommufd_hwpt_invalidate", false, id, data_type, entries,
			  entry_len, entry_num);
}

/* Before 6.13 no ID names a vIOMMU: the kernel's ENOENT (or its lack of
 * IOMMU_HWPT_INVALIDATE) means the release, which the probe confirms. */
int iommufd_viommu_invalidate(struct iommufd_ctx *ctx, uint32_t viommu_id, uint32_t data_type,
			      const void *entries, uint32_t entry_len, uint32_t *entry_num)
{
	static const char fn[] = "iommufd_viommu_invalidate";
	int rc = invalidate(ctx, fn, true, viommu_id, data_type, entries, entry_len, entry_num);

	if ((rc == -ENOENT || rc == -EOPNOTSUPP) && !*entry_num &&
	    iommufd_probe_cmd(ctx, UAPI_CMD_VIOMMU_ALLOC) == 0)
		return ifd_fail(ctx, EOPNOTSUPP, "%s: vIOMMUs need Linux 6.13 or newer (this "
				"kernel does not know IOMMU_VIOMMU_ALLOC)", fn);
	return rc;
}
