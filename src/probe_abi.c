/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI probe: which commands and fields does this kernel know?
 *
 * The kernel checks a command's size before it looks up any object, so a
 * call whose object IDs cannot exist (0) or whose flags are poisoned answers
 * the question without acting: ENOTTY means "unknown command", E2BIG means
 * "unknown bytes", anything else means the size was accepted.  Answers are
 * cached in the context; racing threads compute the same answer.
 */
#include <errno.h>
#include <string.h>

#include "private.h"
#include "sys.h"

#define PROBE_BUF 128

static int probe_ioctl(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd, uint32_t size,
		       const struct ifd_field *set)
{
	unsigned char buf[PROBE_BUF] = { 0 };
	int rc;

	memcpy(buf, &size, sizeof(size));
	memset(buf + cmd->poison_offset, 0xff, cmd->poison_size);
	if (set)
		memset(buf + set->offset, 0x01, set->size);
	rc = ifd_sys_ioctl(ctx->fd, UAPI_IOMMUFD_IOCTL(cmd->nr), buf);
	if (rc >= 0)
		ifd_log(ctx, IOMMUFD_LOG_WARN, "probe of %s unexpectedly succeeded", cmd->name);
	return rc;
}

/*
 * The answers a kernel that accepted the size can give a probe: the poisoned
 * field or the object ID 0 makes the command fail early with one of these
 * (0: it ran, which a correct poison prevents).  Anything else (ENOMEM,
 * EIO...) says nothing about the ABI: report it and cache nothing.
 */
static bool size_accepted(int rc)
{
	return rc >= 0 || rc == -ENOENT || rc == -EOPNOTSUPP || rc == -EINVAL ||
	       rc == -EOVERFLOW || rc == -EBUSY || rc == -ENODEV;
}

void ifd_probe_note_unknown(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd)
{
	struct ifd_cmd_probe *p = &ctx->probe[cmd->nr - UAPI_IOMMUFD_CMD_FIRST];

	atomic_store(&p->kernel_size, 0);
	atomic_store(&p->known, -1);
}

int ifd_probe_cmd_known(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd)
{
	struct ifd_cmd_probe *p = &ctx->probe[cmd->nr - UAPI_IOMMUFD_CMD_FIRST];
	int known = atomic_load(&p->known);
	int rc;

	if (known)
		return known > 0;
	rc = probe_ioctl(ctx, cmd, cmd->first_size, NULL);
	if (rc == -ENOTTY) {
		ifd_probe_note_unknown(ctx, cmd);
		return 0;
	}
	if (!size_accepted(rc))
		return ifd_fail(ctx, -rc, "probe of %s failed: %s", cmd->name, strerror(-rc));
	atomic_store(&p->known, 1);
	return 1;
}

static bool is_growth_field(const struct ifd_cmd *cmd, const struct ifd_field *f)
{
	return !f->carved && f->offset >= cmd->first_size;
}

/* Walk the fields that grew the struct from the last one down: the first
 * the kernel accepts gives its size.  At most one ioctl per growth field. */
static int probe_size(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd)
{
	for (uint32_t i = cmd->nr_fields; i-- > 0;) {
		const struct ifd_field *f = &cmd->fields[i];
		int rc;

		if (!is_growth_field(cmd, f))
			continue;
		rc = probe_ioctl(ctx, cmd, (uint32_t)f->offset + f->size, f);
		if (rc == -E2BIG)
			continue;
		if (!size_accepted(rc))
			return ifd_fail(ctx, -rc, "probe of %s failed: %s", cmd->name,
					strerror(-rc));
		return (int)f->offset + f->size;
	}
	return cmd->first_size;
}

int ifd_probe_kernel_size(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd)
{
	struct ifd_cmd_probe *p = &ctx->probe[cmd->nr - UAPI_IOMMUFD_CMD_FIRST];
	int known = ifd_probe_cmd_known(ctx, cmd);
	int size;

	if (known <= 0)
		return known;
	size = atomic_load(&p->kernel_size);
	if (size)
		return size;
	size = probe_size(ctx, cmd);
	if (size > 0)
		atomic_store(&p->kernel_size, (uint16_t)size);
	return size;
}

/* The command a public probe call names; NULL (error recorded) if @ctx or
 * @nr is bad. */
static const struct ifd_cmd *probed_cmd(struct iommufd_ctx *ctx, uint32_t nr, const char *fn)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);

	if (ifd_check_ctx(ctx, fn))
		return NULL;
	if (!cmd)
		ifd_fail(ctx, EINVAL, "%s: no iommufd command 0x%x", fn, nr);
	return cmd;
}

int iommufd_probe_cmd(struct iommufd_ctx *ctx, uint32_t nr)
{
	const struct ifd_cmd *cmd = probed_cmd(ctx, nr, "iommufd_probe_cmd");

	return cmd ? ifd_probe_cmd_known(ctx, cmd) : -EINVAL;
}

int iommufd_probe_kernel_size(struct iommufd_ctx *ctx, uint32_t nr)
{
	const struct ifd_cmd *cmd = probed_cmd(ctx, nr, "iommufd_probe_kernel_size");

	return cmd ? ifd_probe_kernel_size(ctx, cmd) : -EINVAL;
}

/* The newest release among the commands and grown fields the kernel shows. */
int iommufd_probe_release(struct iommufd_ctx *ctx)
{
	int floor = IOMMUFD_KVER(6, 2);
	int rc = ifd_check_ctx(ctx, "iommufd_probe_release");

	if (rc)
		return rc;
	for (uint32_t nr = UAPI_IOMMUFD_CMD_FIRST; nr <= UAPI_IOMMUFD_CMD_LAST; nr++) {
		const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);
		int size = ifd_probe_kernel_size(ctx, cmd);

		if (size < 0)
			return size;
		if (!size)
			continue;
		if (cmd->release > floor)
			floor = cmd->release;
		for (uint32_t i = 0; i < cmd->nr_fields; i++) {
			const struct ifd_field *f = &cmd->fields[i];

			if (is_growth_field(cmd, f) && f->offset + f->size <= size &&
			    f->release > floor)
				floor = f->release;
		}
	}
	return floor;
}

int ifd_kernel_release(struct iommufd_ctx *ctx)
{
	int rel = atomic_load_explicit(&ctx->kernel_release, memory_order_relaxed);

	if (!rel) {
		rel = ifd_sys_kernel_release();
		if (!rel)
			rel = -1;
		atomic_store_explicit(&ctx->kernel_release, rel, memory_order_relaxed);
	}
	return rel < 0 ? 0 : rel;
}

static int carved_field_known(struct iommufd_ctx *ctx, const struct ifd_field *f)
{
	int floor = iommufd_probe_release(ctx);

	if (floor < 0)
		return floor;
	return floor >= f->release || ifd_kernel_release(ctx) >= f->release;
}

int iommufd_probe_field(struct iommufd_ctx *ctx, uint32_t nr, uint32_t index)
{
	const struct ifd_cmd *cmd = probed_cmd(ctx, nr, "iommufd_probe_field");
	const struct ifd_field *f;
	int size;

	if (!cmd)
		return -EINVAL;
	if (index >= cmd->nr_fields)
		return ifd_fail(ctx, EINVAL, "iommufd_probe_field: %s has no field %u", cmd->name,
				index);
	f = &cmd->fields[index];
	size = ifd_probe_kernel_size(ctx, cmd);
	if (size <= 0)
		return size;
	if (f->carved)
		return carved_field_known(ctx, f);
	return f->offset + f->size <= size;
}
