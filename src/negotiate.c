/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Size negotiation.  The kernel accepts any size from a command's first
 * release on, zero-fills what is missing and refuses (E2BIG) non-zero bytes
 * it does not know.  So each call sends the smallest size covering the
 * fields it actually set and the fields it reads back: an old kernel sees a
 * struct it knows, and a new field only costs something when it is used.
 */
#include <errno.h>
#include <string.h>

#include "private.h"
#include "sys.h"

static uint32_t field_end(const struct ifd_field *f)
{
	return (uint32_t)f->offset + f->size;
}

static bool field_is_set(const struct ifd_field *f, const unsigned char *arg)
{
	for (unsigned int i = 0; i < f->size; i++)
		if (arg[f->offset + i])
			return true;
	return false;
}

/* Output fields are always covered: zero bytes past the kernel's size are
 * accepted, and the kernel fills what it knows. */
uint32_t ifd_cmd_size_for(const struct ifd_cmd *cmd, const void *arg)
{
	uint32_t size = cmd->first_size;

	for (uint32_t i = 0; i < cmd->nr_fields; i++) {
		const struct ifd_field *f = &cmd->fields[i];

		if (field_end(f) <= size)
			continue;
		if ((f->dir & IOMMUFD_FIELD_OUT) || field_is_set(f, arg))
			size = field_end(f);
	}
	return size;
}

static int explain_unknown_cmd(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd)
{
	char rel[16];

	return ifd_fail(ctx, EOPNOTSUPP, "%s needs Linux %s or newer (this kernel does not know it)",
			cmd->name, ifd_release_str(cmd->release, rel));
}

/*
 * E2BIG from the size check means the caller set a field the kernel does
 * not know: name it (the command never ran).  With no such field, the
 * command itself refused trailing bytes of data it copies (vendor data,
 * invalidation entries): it ran, and its answer goes back unrecorded.
 */
static int explain_e2big(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd, const void *arg,
			 bool *ran)
{
	int ksize = ifd_probe_kernel_size(ctx, cmd);
	char rel[16];

	for (uint32_t i = 0; ksize > 0 && i < cmd->nr_fields; i++) {
		const struct ifd_field *f = &cmd->fields[i];

		if (field_end(f) > (uint32_t)ksize && field_is_set(f, arg))
			return ifd_fail(ctx, EOPNOTSUPP,
					"%s: field %s needs Linux %s or newer (this kernel accepts "
					"%d bytes)",
					cmd->name, f->name, ifd_release_str(f->release, rel), ksize);
	}
	if (ksize > 0) {
		*ran = true;
		return -E2BIG;
	}
	return ifd_fail(ctx, EOPNOTSUPP, "%s: the kernel refused bytes it does not know (E2BIG)",
			cmd->name);
}

/*
 * ENOTTY means the kernel lacks the command -- unless this context saw it
 * succeed, or a probe (which acts on nothing) finds it known.  Then the
 * ENOTTY came from elsewhere (a driver below, a seccomp filter, an injected
 * failure): it is this call's failure, and "unknown" is not cached, which
 * would refuse the command for the rest of the context's life.
 */
static int answer_enotty(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd, int known)
{
	if (known <= 0)
		known = ifd_probe_cmd_known(ctx, cmd);
	if (known == 0)
		return explain_unknown_cmd(ctx, cmd);
	return ifd_fail(ctx, ENOTTY, "%s failed: %s (a command this kernel knows)", cmd->name,
			strerror(ENOTTY));
}

int ifd_cmd(struct iommufd_ctx *ctx, uint32_t nr, void *arg)
{
	return ifd_cmd_expect(ctx, nr, arg, 0);
}

int ifd_cmd_expect(struct iommufd_ctx *ctx, uint32_t nr, void *arg, int expected)
{
	bool ran;
	int rc = ifd_cmd_ran(ctx, nr, arg, &ran);

	if (!ran || !rc || (expected && rc == -expected))
		return rc;
	return ifd_fail(ctx, -rc, "%s failed: %s", ifd_cmd_lookup(nr)->name, strerror(-rc));
}

int ifd_cmd_ran(struct iommufd_ctx *ctx, uint32_t nr, void *arg, bool *ran)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);
	struct ifd_cmd_probe *probe = &ctx->probe[nr - UAPI_IOMMUFD_CMD_FIRST];
	int known = atomic_load_explicit(&probe->known, memory_order_relaxed);
	uint32_t size;
	int rc;

	*ran = false;
	if (known < 0)
		return explain_unknown_cmd(ctx, cmd);
	size = ifd_cmd_size_for(cmd, arg);
	memcpy(arg, &size, sizeof(size));
	rc = ifd_sys_ioctl(ctx->fd, UAPI_IOMMUFD_IOCTL(nr), arg);
	if (rc >= 0 && !known) /* once per command: no store on the hot path */
		atomic_store_explicit(&probe->known, 1, memory_order_relaxed);
	if (rc == -ENOTTY)
		return answer_enotty(ctx, cmd, known);
	if (rc == -E2BIG)
		return explain_e2big(ctx, cmd, arg, ran);
	*ran = true;
	return rc < 0 ? rc : 0;
}
