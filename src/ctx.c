/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening, adopting and closing the iommufd context. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "private.h"
#include "sys.h"

#define IFD_DEFAULT_PATH "/dev/iommu"

static _Atomic uint64_t next_serial = 1;

static int ctx_new(int fd, const struct iommufd_ctx_opts *opts, struct iommufd_ctx **ctxp)
{
	struct iommufd_ctx *ctx = ifd_calloc(1, sizeof(*ctx));

	if (!ctx)
		return ifd_fail(NULL, ENOMEM, "out of memory for the iommufd context");
	ctx->fd = fd;
	ctx->serial = atomic_fetch_add(&next_serial, 1);
	ctx->log_fn = opts->log_fn;
	ctx->log_user_data = opts->log_user_data;
	ctx->log_level = opts->log_level ? opts->log_level : ifd_log_level_from_env();
	if (ifd_align_cache_new(ctx)) {
		free(ctx);
		return ifd_fail(NULL, ENOMEM, "out of memory for the iommufd context");
	}
	*ctxp = ctx;
	return 0;
}

static int load_opts(const struct iommufd_ctx_opts *user, struct iommufd_ctx_opts *opts,
		     struct iommufd_ctx **ctxp, const char *fn)
{
	int rc = ifd_opts_load(NULL, fn, opts, sizeof(*opts), user);

	if (rc)
		return rc;
	if (!ctxp)
		return ifd_fail(NULL, EINVAL, "%s: ctxp is NULL", fn);
	if (opts->log_level < IOMMUFD_LOG_DEFAULT || opts->log_level > IOMMUFD_LOG_DEBUG)
		return ifd_fail(NULL, EINVAL, "%s: log_level %d is not an iommufd_log_level", fn,
				opts->log_level);
	return 0;
}

int iommufd_ctx_open(const struct iommufd_ctx_opts *user_opts, struct iommufd_ctx **ctxp)
{
	struct iommufd_ctx_opts opts;
	const char *path;
	int fd, rc;

	rc = load_opts(user_opts, &opts, ctxp, "iommufd_ctx_open");
	if (rc)
		return rc;
	path = opts.path ? opts.path : IFD_DEFAULT_PATH;
	fd = ifd_sys_open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return ifd_fail(NULL, -fd, "cannot open %s: %s%s", path, strerror(-fd),
				fd == -ENOENT ? " (kernel without CONFIG_IOMMUFD, or no devtmpfs node)"
					      : "");
	rc = ctx_new(fd, &opts, ctxp);
	if (rc)
		ifd_sys_close(fd);
	else
		ifd_log(*ctxp, IOMMUFD_LOG_DEBUG, "opened %s as fd %d", path, fd);
	return rc;
}

/* IOMMU_DESTROY of ID 0 can never succeed (IDs start at 1); an iommufd
 * answers ENOENT, anything else ENOTTY or another error. */
static int check_is_iommufd(int fd)
{
	struct uapi_destroy cmd = { .size = sizeof(cmd), .id = 0 };
	int rc = ifd_sys_ioctl(fd, UAPI_IOMMUFD_IOCTL(UAPI_CMD_DESTROY), &cmd);

	if (rc == -ENOENT)
		return 0;
	if (rc == -EBADF)
		return ifd_fail(NULL, EBADF, "iommufd_ctx_adopt_fd: fd %d is not open", fd);
	return ifd_fail(NULL, ENOTTY, "iommufd_ctx_adopt_fd: fd %d is not an iommufd (%s)", fd,
			rc ? strerror(-rc) : "IOMMU_DESTROY of ID 0 succeeded");
}

int iommufd_ctx_adopt_fd(int fd, const struct iommufd_ctx_opts *user_opts,
			 struct iommufd_ctx **ctxp)
{
	struct iommufd_ctx_opts opts;
	int rc;

	rc = load_opts(user_opts, &opts, ctxp, "iommufd_ctx_adopt_fd");
	if (rc)
		return rc;
	if (fd < 0)
		return ifd_fail(NULL, EBADF, "iommufd_ctx_adopt_fd: fd %d is not open", fd);
	rc = check_is_iommufd(fd);
	if (rc)
		return rc;
	return ctx_new(fd, &opts, ctxp);
}

void iommufd_ctx_close(struct iommufd_ctx *ctx)
{
	if (!ctx)
		return;
	ifd_sys_close(ctx->fd);
	ifd_align_cache_free(ctx);
	ifd_dev_cache_free(ctx);
	free(ctx);
}

int iommufd_ctx_fd(const struct iommufd_ctx *ctx)
{
	return ctx ? ctx->fd : -EINVAL;
}

int iommufd_destroy(struct iommufd_ctx *ctx, uint32_t object_id)
{
	struct uapi_destroy cmd = { .id = object_id };
	int rc = ifd_check_ctx(ctx, "iommufd_destroy");

	if (rc)
		return rc;
	rc = ifd_cmd(ctx, UAPI_CMD_DESTROY, &cmd);
	if (rc == -ENOENT)
		return ifd_fail(ctx, ENOENT, "IOMMU_DESTROY: no object with ID %u", object_id);
	if (rc == -EBUSY)
		return ifd_fail(ctx, EBUSY,
				"IOMMU_DESTROY: object %u is still in use (attached devices, "
				"nested HWPTs, vIOMMUs or accesses refer to it, or its fault or "
				"vEVENTQ fd is still open)", object_id);
	if (!rc)
		ifd_align_forget(ctx, object_id);
	return rc;
}

const char *iommufd_version_string(void)
{
	return LIBIOMMUFD_VERSION;
}
