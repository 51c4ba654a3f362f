/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Binding a VFIO device to an iommufd context, with an optional VF token. */
#include <errno.h>
#include <string.h>

#include "device_private.h"

#define BIND_MIN_SIZE offsetof(struct uapi_vfio_device_bind_iommufd, token_uuid_ptr)
/* Far beyond any bind struct a kernel will ever have (it is 24 bytes). */
#define TOKEN_PROBE_SIZE 512

/*
 * Does the kernel know VFIO_DEVICE_BIND_FLAG_TOKEN?  Kernel fact: Linux
 * 6.17, the release that brought the token, also made BIND read its
 * argument with copy_struct_from_user(), which refuses non-zero bytes past
 * the kernel's struct with E2BIG before anything else is looked at.
 * Earlier kernels read 16 bytes and refuse iommufd -1 with EINVAL.  So an
 * oversized argument with iommufd -1 asks the question and, either way,
 * changes nothing.  Returns 1, 0, or -errno.
 */
static int token_flag_known(struct iommufd_device *dev)
{
	union {
		struct uapi_vfio_device_bind_iommufd bind;
		unsigned char bytes[TOKEN_PROBE_SIZE];
	} probe;
	int rc;

	memset(&probe, 0, sizeof(probe));
	probe.bind.argsz = sizeof(probe);
	probe.bind.iommufd = -1;
	probe.bytes[TOKEN_PROBE_SIZE - 1] = 1;
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_BIND_IOMMUFD, &probe);
	if (rc == -E2BIG)
		return 1;
	if (rc == -EINVAL)
		return 0;
	return rc < 0 ? rc : -EPROTO; /* iommufd -1 cannot bind */
}

static int explain_token_einval(struct iommufd_device *dev, struct iommufd_ctx *ctx,
				const char *cmd)
{
	int known = token_flag_known(dev);

	if (known == 0)
		return ifd_fail(ctx, EOPNOTSUPP,
				"%s on %s: a VF token needs Linux 6.17 or newer (this kernel does "
				"not know VFIO_DEVICE_BIND_FLAG_TOKEN)", cmd, dev->name);
	return ifd_fail(ctx, EINVAL,
			"%s on %s: the device takes no VF token (it is no VF of a vfio-pci PF "
			"with a token set), or it is bound already", cmd, dev->name);
}

static int explain_bind_error(struct iommufd_device *dev, struct iommufd_ctx *ctx, int rc,
			      bool token)
{
	static const char cmd[] = "VFIO_DEVICE_BIND_IOMMUFD";

	switch (rc) {
	case -EINVAL:
		if (token)
			return explain_token_einval(dev, ctx, cmd);
		return ifd_fail(ctx, EINVAL,
				"%s on %s: the fd was obtained through a VFIO group (BIND is "
				"for cdev fds), or the device is bound already", cmd, dev->name);
	case -ENOTTY:
		return ifd_fail(ctx, EOPNOTSUPP,
				"%s on %s: needs Linux 6.6 or newer and a VFIO device cdev (this "
				"fd does not know the ioctl)", cmd, dev->name);
	case -EBUSY:
		return ifd_fail(ctx, EBUSY,
				"%s on %s: the device's IOMMU group is in use through the legacy "
				"VFIO group interface", cmd, dev->name);
	case -EACCES:
		return ifd_fail(ctx, EACCES,
				"%s on %s: the PF driver requires a VF token, and none or another "
				"one was given (iommufd_bind_opts.vf_token)", cmd, dev->name);
	default:
		return ifd_fail(ctx, -rc, "%s on %s failed: %s", cmd, dev->name, strerror(-rc));
	}
}

static int check_bind_args(struct iommufd_device *dev, struct iommufd_ctx *ctx,
			   const struct iommufd_bind_opts *user, struct iommufd_bind_opts *opts)
{
	static const char fn[] = "iommufd_device_bind";
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_ctx(ctx, fn);
	if (!rc)
		rc = ifd_opts_load(ctx, fn, opts, sizeof(*opts), user);
	if (rc)
		return rc;
	if (dev->bound)
		return ifd_fail(ctx, EBUSY, "%s: %s is bound already (one bind per open)", fn,
				dev->name);
	return 0;
}

int iommufd_device_bind(struct iommufd_device *dev, struct iommufd_ctx *ctx,
			const struct iommufd_bind_opts *user_opts, uint32_t *dev_id)
{
	struct iommufd_bind_opts opts;
	int rc = check_bind_args(dev, ctx, user_opts, &opts);

	if (rc)
		return rc;
	/* The smallest struct that says what we want: 16 bytes without a
	 * token, which every cdev kernel takes. */
	struct uapi_vfio_device_bind_iommufd bind = {
		.argsz = opts.vf_token ? sizeof(bind) : BIND_MIN_SIZE,
		.flags = opts.vf_token ? UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN : 0,
		.iommufd = ctx->fd,
		.token_uuid_ptr = (uintptr_t)opts.vf_token,
	};
	rc = ifd_dev_ioctl(dev, UAPI_VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (rc < 0)
		return explain_bind_error(dev, ctx, rc, opts.vf_token != NULL);
	dev->ctx = ctx;
	dev->bound = true;
	dev->dev_id = bind.out_devid;
	if (dev_id)
		*dev_id = bind.out_devid;
	ifd_log(ctx, IOMMUFD_LOG_DEBUG, "bound %s as device %u", dev->name, bind.out_devid);
	return 0;
}
