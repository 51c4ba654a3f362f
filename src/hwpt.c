/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* HWPT allocation: paging HWPTs with flags, nested HWPTs with vendor data. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libiommufd/hwpt.h>

#include "private.h"
#include "sys.h"

#define V(maj, min) IOMMUFD_KVER(maj, min)
#define ALLOC_FLAGS_KNOWN \
	(IOMMUFD_HWPT_NEST_PARENT | IOMMUFD_HWPT_DIRTY_TRACKING | IOMMUFD_HWPT_PASID)

/* The public names are the kernel's values: the flags and types pass through. */
_Static_assert(IOMMUFD_HWPT_NEST_PARENT == UAPI_HWPT_ALLOC_NEST_PARENT, "flag");
_Static_assert(IOMMUFD_HWPT_DIRTY_TRACKING == UAPI_HWPT_ALLOC_DIRTY_TRACKING, "flag");
_Static_assert(IOMMUFD_HWPT_PASID == UAPI_HWPT_ALLOC_PASID, "flag");
_Static_assert(IOMMUFD_HWPT_DATA_VTD_S1 == UAPI_HWPT_DATA_VTD_S1, "type");
_Static_assert(IOMMUFD_HWPT_DATA_ARM_SMMUV3 == UAPI_HWPT_DATA_ARM_SMMUV3, "type");
_Static_assert(IOMMUFD_HWPT_DATA_AMD_GUEST == UAPI_HWPT_DATA_AMD_GUEST, "type");
_Static_assert(IOMMUFD_HWPT_DATA_SELFTEST == UAPI_HWPT_DATA_SELFTEST, "type");
/* ... and the vendor structs are the kernel's layouts (checked in uapi/). */
_Static_assert(sizeof(struct iommufd_hwpt_vtd_s1) == sizeof(struct uapi_hwpt_vtd_s1), "vtd");
_Static_assert(sizeof(struct iommufd_hwpt_arm_smmuv3) == sizeof(struct uapi_hwpt_arm_smmuv3),
	       "smmuv3");
_Static_assert(sizeof(struct iommufd_hwpt_amd_guest) == sizeof(struct uapi_hwpt_amd_guest), "amd");

/* What each flag and data type is called and which release brought it. */
struct flag_info {
	uint32_t value;
	const char *name;
	uint16_t release; /* 0: not stated */
	const char *kind;
};

static const struct flag_info flag_infos[] = {
	{ UAPI_HWPT_ALLOC_NEST_PARENT, "NEST_PARENT", V(6, 7), "flag" },
	{ UAPI_HWPT_ALLOC_DIRTY_TRACKING, "DIRTY_TRACKING", V(6, 7), "flag" },
	{ UAPI_HWPT_FAULT_ID_VALID, "fault_id", V(6, 11), "field" },
	{ UAPI_HWPT_ALLOC_PASID, "PASID", V(6, 15), "flag" },
};

static const struct flag_info type_infos[] = {
	{ UAPI_HWPT_DATA_NONE, "NONE", 0, "data type" },
	{ UAPI_HWPT_DATA_SELFTEST, "SELFTEST", V(6, 7), "data type" },
	{ UAPI_HWPT_DATA_VTD_S1, "VTD_S1", V(6, 8), "data type" },
	{ UAPI_HWPT_DATA_ARM_SMMUV3, "ARM_SMMUV3", V(6, 14), "data type" },
	{ UAPI_HWPT_DATA_AMD_GUEST, "AMD_GUEST", 0, "data type" },
};

static const struct flag_info *type_info(uint32_t type)
{
	for (size_t i = 0; i < IFD_ARRAY_SIZE(type_infos); i++)
		if (type_infos[i].value == type)
			return &type_infos[i];
	return NULL;
}

/* "NEST_PARENT|DIRTY_TRACKING", or "none". */
static const char *flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < IFD_ARRAY_SIZE(flag_infos); i++)
		if (flags & flag_infos[i].value)
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? "|" : "", flag_infos[i].name);
	return used ? buf : "none";
}

static const char *type_str(uint32_t type, char buf[16])
{
	const struct flag_info *t = type_info(type);

	if (t)
		return t->name;
	snprintf(buf, 16, "0x%" PRIx32, type);
	return buf;
}

/* The newest release this kernel shows through the ABI probe or uname. */
static uint16_t kernel_release(struct iommufd_ctx *ctx)
{
	int probed = iommufd_probe_release(ctx);
	int uname = ifd_kernel_release(ctx);

	if (probed < 0)
		probed = 0;
	return (uint16_t)(probed > uname ? probed : uname);
}

/* A flag or data type newer than the kernel, or NULL. */
static const struct flag_info *newer_than_kernel(const struct uapi_hwpt_alloc *c, uint16_t kernel)
{
	const struct flag_info *t = type_info(c->data_type);

	for (size_t i = IFD_ARRAY_SIZE(flag_infos); i-- > 0;)
		if ((c->flags & flag_infos[i].value) && flag_infos[i].release > kernel)
			return &flag_infos[i];
	if (c->data_len && t && t->release > kernel)
		return t;
	return NULL;
}

/*
 * The kernel answers EOPNOTSUPP both for what it does not know (a flag
 * from a later release) and for what the IOMMU cannot do.  A flag or type
 * newer than the kernel explains the first; otherwise it is the IOMMU.
 */
static int explain_eopnotsupp(struct iommufd_ctx *ctx, const struct uapi_hwpt_alloc *c)
{
	uint16_t kernel = kernel_release(ctx);
	const struct flag_info *newer = newer_than_kernel(c, kernel);
	char rel[16], krel[16], fbuf[64], tbuf[16];

	if (newer)
		return ifd_fail(ctx, EOPNOTSUPP,
				"IOMMU_HWPT_ALLOC: %s %s needs Linux %s or newer (this kernel is %s)",
				newer->kind, newer->name, ifd_release_str(newer->release, rel),
				ifd_release_str(kernel, krel));
	if ((c->flags & UAPI_HWPT_FAULT_ID_VALID) && !c->data_len)
		return ifd_fail(ctx, EOPNOTSUPP,
				"IOMMU_HWPT_ALLOC: device %" PRIu32 "'s IOMMU or this kernel does "
				"not support this paging HWPT (flags %s; Linux 6.12 and older take "
				"a fault queue only on nested HWPTs)",
				c->dev_id, flags_str(c->flags, fbuf, sizeof(fbuf)));
	return ifd_fail(ctx, EOPNOTSUPP,
			"IOMMU_HWPT_ALLOC: device %" PRIu32 "'s IOMMU does not support this HWPT "
			"(flags %s, data type %s%s)",
			c->dev_id, flags_str(c->flags, fbuf, sizeof(fbuf)),
			type_str(c->data_type, tbuf),
			c->data_len && (c->flags & ~UAPI_HWPT_FAULT_ID_VALID & ~UAPI_HWPT_ALLOC_PASID)
				? "; a nested HWPT takes no NEST_PARENT or DIRTY_TRACKING"
				: "");
}

/* Kernels refuse vendor data longer than their own struct, even when the
 * extra bytes are zero (__iommu_copy_struct_from_user): worth a hint when
 * the caller sent more than the struct this library knows. */
static const char *longer_than_known(const struct uapi_hwpt_alloc *c, char *buf, size_t len)
{
	static const struct {
		uint32_t type;
		uint32_t size;
	} sizes[] = {
		{ UAPI_HWPT_DATA_SELFTEST, sizeof(struct iommufd_hwpt_selftest) },
		{ UAPI_HWPT_DATA_VTD_S1, sizeof(struct iommufd_hwpt_vtd_s1) },
		{ UAPI_HWPT_DATA_ARM_SMMUV3, sizeof(struct iommufd_hwpt_arm_smmuv3) },
		{ UAPI_HWPT_DATA_AMD_GUEST, sizeof(struct iommufd_hwpt_amd_guest) },
	};

	for (size_t i = 0; i < IFD_ARRAY_SIZE(sizes); i++)
		if (sizes[i].type == c->data_type && c->data_len > sizes[i].size) {
			snprintf(buf, len, " (data_len %" PRIu32 " is more than the %" PRIu32
				 " bytes this library knows of the type; a kernel refuses data "
				 "longer than its own struct, zero or not)",
				 c->data_len, sizes[i].size);
			return buf;
		}
	return "";
}

static int explain_alloc_error(struct iommufd_ctx *ctx, int rc, const struct uapi_hwpt_alloc *c)
{
	char tbuf[192];

	switch (rc) {
	case -EOPNOTSUPP:
		return explain_eopnotsupp(ctx, c);
	case -ENOENT:
		return ifd_fail(ctx, ENOENT,
				"IOMMU_HWPT_ALLOC: device %" PRIu32 " is not bound to this context%s",
				c->dev_id, c->fault_id ? ", or fault_id is no fault queue" : "");
	case -EINVAL:
		return ifd_fail(ctx, EINVAL,
				"IOMMU_HWPT_ALLOC: pt_id %" PRIu32 " is not an IOAS, a NEST_PARENT "
				"HWPT or a vIOMMU of device %" PRIu32 "'s IOMMU%s%s",
				c->pt_id, c->dev_id,
				c->data_len ? ", or the IOMMU refused the vendor data" : "",
				longer_than_known(c, tbuf, sizeof(tbuf)));
	case -E2BIG:
		return ifd_fail(ctx, E2BIG,
				"IOMMU_HWPT_ALLOC: data_len %" PRIu32 " is longer than the kernel's "
				"%s struct and the extra bytes are not zero",
				c->data_len, type_str(c->data_type, tbuf));
	case -EFAULT:
		if (c->data_len)
			return ifd_fail(ctx, EFAULT, "IOMMU_HWPT_ALLOC: cannot read the %" PRIu32
					" bytes of vendor data", c->data_len);
		break;
	}
	return ifd_fail(ctx, -rc, "IOMMU_HWPT_ALLOC failed: %s", strerror(-rc));
}

/* Checks of what the kernel would refuse anyway, named before it sees them. */
static int check_alloc_opts(struct iommufd_ctx *ctx, const char *fn,
			    const struct iommufd_hwpt_alloc_opts *o)
{
	int rc = ifd_check_flags(ctx, fn, o->flags, ALLOC_FLAGS_KNOWN);

	if (rc)
		return rc;
	if (!o->data != !o->data_len)
		return ifd_fail(ctx, EINVAL, "%s: data is %s but data_len is %" PRIu32, fn,
				o->data ? "set" : "NULL", o->data_len);
	if (o->data_type == IOMMUFD_HWPT_DATA_NONE && o->data)
		return ifd_fail(ctx, EINVAL, "%s: vendor data needs a data_type", fn);
	if (o->data_type != IOMMUFD_HWPT_DATA_NONE && !o->data)
		return ifd_fail(ctx, EINVAL, "%s: data_type 0x%" PRIx32 " needs data", fn,
				o->data_type);
	if (o->fault_id && (o->flags & IOMMUFD_HWPT_NEST_PARENT))
		return ifd_fail(ctx, EOPNOTSUPP,
				"%s: a NEST_PARENT HWPT cannot take a fault queue (fault_id)", fn);
	return 0;
}

int iommufd_hwpt_alloc(struct iommufd_ctx *ctx, uint32_t dev_id, uint32_t pt_id,
		       const struct iommufd_hwpt_alloc_opts *opts, uint32_t *hwpt_id)
{
	static const char fn[] = "iommufd_hwpt_alloc";
	struct iommufd_hwpt_alloc_opts o;
	bool ran = false;
	int rc = ifd_check_ctx(ctx, fn);

	if (!rc)
		rc = ifd_check_out(ctx, hwpt_id, fn, "hwpt_id");
	if (!rc)
		rc = ifd_opts_load(ctx, fn, &o, sizeof(o), opts);
	if (!rc)
		rc = check_alloc_opts(ctx, fn, &o);
	if (rc)
		return rc;
	/* fault_id is sent only when used, so older kernels see no new field. */
	struct uapi_hwpt_alloc cmd = {
		.flags = o.flags | (o.fault_id ? UAPI_HWPT_FAULT_ID_VALID : 0),
		.dev_id = dev_id,
		.pt_id = pt_id,
		.data_type = o.data_type,
		.data_len = o.data_len,
		.data_uptr = (uintptr_t)o.data,
		.fault_id = o.fault_id,
	};
	rc = ifd_cmd_ran(ctx, UAPI_CMD_HWPT_ALLOC, &cmd, &ran);
	if (rc)
		return ran ? explain_alloc_error(ctx, rc, &cmd) : rc;
	*hwpt_id = cmd.out_hwpt_id;
	return 0;
}
