/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The iommufd command table and what the running kernel knows of it.
 *
 * libiommufd carries one descriptor per iommufd command: its number, the
 * size of its struct in the release that introduced it, and every field
 * with offset, size and the release that brought it.  Each call sends the
 * smallest size covering the fields it sets, so one binary runs on every
 * kernel from Linux 6.2 on.  The per-context probe below answers which
 * commands and fields this kernel knows, without side effects.
 */
#ifndef LIBIOMMUFD_ABI_H
#define LIBIOMMUFD_ABI_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/* iommufd command numbers (the ioctl's nr; the ioctl type is ';'). */
enum iommufd_cmd {
	IOMMUFD_CMD_ID_DESTROY = 0x80,
	IOMMUFD_CMD_ID_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_ID_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_ID_IOAS_COPY = 0x83,
	IOMMUFD_CMD_ID_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_ID_IOAS_MAP = 0x85,
	IOMMUFD_CMD_ID_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_ID_OPTION = 0x87,
	IOMMUFD_CMD_ID_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_ID_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_ID_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_ID_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_ID_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_ID_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_ID_FAULT_QUEUE_ALLOC = 0x8e,
	IOMMUFD_CMD_ID_IOAS_MAP_FILE = 0x8f,
	IOMMUFD_CMD_ID_VIOMMU_ALLOC = 0x90,
	IOMMUFD_CMD_ID_VDEVICE_ALLOC = 0x91,
	IOMMUFD_CMD_ID_IOAS_CHANGE_PROCESS = 0x92,
	IOMMUFD_CMD_ID_VEVENTQ_ALLOC = 0x93,
	IOMMUFD_CMD_ID_HW_QUEUE_ALLOC = 0x94,
	IOMMUFD_CMD_ID_FIRST = IOMMUFD_CMD_ID_DESTROY,
	IOMMUFD_CMD_ID_LAST = IOMMUFD_CMD_ID_HW_QUEUE_ALLOC,
};

/* How a field is used by the kernel. */
enum iommufd_field_dir {
	IOMMUFD_FIELD_IN = 1,       /* read by the kernel */
	IOMMUFD_FIELD_OUT = 2,      /* written by the kernel */
	IOMMUFD_FIELD_INOUT = 3,
	IOMMUFD_FIELD_RESERVED = 4, /* must be zero */
};

/*
 * struct iommufd_cmd_desc - one command of the table.
 * @nr:            the command number (enum iommufd_cmd).
 * @name:          "IOMMU_IOAS_MAP" etc.
 * @release:       the Linux release that brought it (IOMMUFD_KVER()).
 * @first_size:    its struct size in that release: the smallest size any
 *                 kernel accepts.
 * @size:          its struct size as this library knows it.
 * @nr_fields:     number of fields, for iommufd_cmd_field().
 */
struct iommufd_cmd_desc {
	uint32_t nr;
	const char *name;
	uint32_t release;
	uint32_t first_size;
	uint32_t size;
	uint32_t nr_fields;
};

/*
 * struct iommufd_field_desc - one field of a command struct.
 * @name:    the field name as in the kernel's struct.
 * @offset:  byte offset.
 * @size:    byte size.
 * @release: the Linux release that brought it (IOMMUFD_KVER()).
 * @dir:     enum iommufd_field_dir.
 * @carved:  1 when the field took bytes that an older release already had
 *           as reserved; the struct size did not grow, so a kernel's
 *           support for it cannot be seen from sizes and is inferred.
 */
struct iommufd_field_desc {
	const char *name;
	uint32_t offset;
	uint32_t size;
	uint32_t release;
	uint32_t dir;
	uint32_t carved;
};

/*
 * iommufd_cmd_get - the descriptor of command @nr.
 * @desc: receives it.
 * Return: 0, or -EINVAL for a number outside 0x80..0x94.
 */
LIBIOMMUFD_API int iommufd_cmd_get(uint32_t nr, struct iommufd_cmd_desc *desc);

/*
 * iommufd_cmd_field - field @index (0 .. nr_fields - 1) of command @nr.
 * @desc: receives its descriptor.
 * Return: 0, or -EINVAL (no such command or field).
 */
LIBIOMMUFD_API int iommufd_cmd_field(uint32_t nr, uint32_t index,
				     struct iommufd_field_desc *desc);

/*
 * iommufd_cmd_find_field - the index of field @name of command @nr.
 * Return: the index, or -ENOENT / -EINVAL.
 */
LIBIOMMUFD_API int iommufd_cmd_find_field(uint32_t nr, const char *name);

/*
 * iommufd_probe_cmd - does the kernel behind @ctx know command @nr?
 *
 * Learned once per context with one ioctl that fails before touching any
 * object (the kernel checks the size before it looks anything up), then
 * cached.
 *
 * Return: 1 (known), 0 (not known), or a negative errno (-EINVAL: bad
 * @nr; another errno: the probe itself failed).
 */
LIBIOMMUFD_API int iommufd_probe_cmd(struct iommufd_ctx *ctx, uint32_t nr);

/*
 * iommufd_probe_field - does the kernel know field @index of command @nr?
 *
 * For fields that grew the struct, the answer comes from the kernel's size
 * check (at most a few side-effect-free ioctls, cached).  For carved fields
 * (see struct iommufd_field_desc) it is inferred: known when the kernel
 * shows a command or field of the same or a later release, or when its
 * uname release is at least the field's.
 *
 * Return: 1, 0, or a negative errno (-EINVAL: bad @nr or @index).
 */
LIBIOMMUFD_API int iommufd_probe_field(struct iommufd_ctx *ctx, uint32_t nr,
				       uint32_t index);

/*
 * iommufd_probe_kernel_size - the size of command @nr's struct as the
 * running kernel knows it (0 when it does not know the command).
 * Return: the size, or a negative errno.
 */
LIBIOMMUFD_API int iommufd_probe_kernel_size(struct iommufd_ctx *ctx, uint32_t nr);

/*
 * iommufd_probe_release - the lowest Linux release consistent with what
 * the kernel showed the probe (every command probed).
 * Return: an IOMMUFD_KVER() value, or a negative errno.
 */
LIBIOMMUFD_API int iommufd_probe_release(struct iommufd_ctx *ctx);

LIBIOMMUFD_END_DECLS

#endif
