/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The iommufd command table: for each of the 21 commands of Linux 7.2, its
 * number, first release, first-release size (the kernel's minimum), and
 * every field with the release that brought it.  Negotiation, the ABI
 * probe, the error sentences, the fake kernel of the unit tests and the
 * compatibility table in the docs are all driven from here.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

#define V(maj, min) IOMMUFD_KVER(maj, min)
#define IN IOMMUFD_FIELD_IN
#define OUT IOMMUFD_FIELD_OUT
#define INOUT IOMMUFD_FIELD_INOUT
#define RSV IOMMUFD_FIELD_RESERVED

#define FIELD(S, member, kname, rel, dir)                                          \
	{ kname, offsetof(struct S, member), sizeof(((struct S *)0)->member), rel, dir, 0 }
#define CARVED(S, member, kname, rel, dir)                                         \
	{ kname, offsetof(struct S, member), sizeof(((struct S *)0)->member), rel, dir, 1 }
#define SIZE_FIELD(S, rel) FIELD(S, size, "size", rel, IN)

static const struct ifd_field destroy_fields[] = {
	SIZE_FIELD(uapi_destroy, V(6, 2)),
	FIELD(uapi_destroy, id, "id", V(6, 2), IN),
};

static const struct ifd_field ioas_alloc_fields[] = {
	SIZE_FIELD(uapi_ioas_alloc, V(6, 2)),
	FIELD(uapi_ioas_alloc, flags, "flags", V(6, 2), IN),
	FIELD(uapi_ioas_alloc, out_ioas_id, "out_ioas_id", V(6, 2), OUT),
};

static const struct ifd_field ioas_allow_iovas_fields[] = {
	SIZE_FIELD(uapi_ioas_allow_iovas, V(6, 2)),
	FIELD(uapi_ioas_allow_iovas, ioas_id, "ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_allow_iovas, num_iovas, "num_iovas", V(6, 2), IN),
	FIELD(uapi_ioas_allow_iovas, reserved, "__reserved", V(6, 2), RSV),
	FIELD(uapi_ioas_allow_iovas, allowed_iovas, "allowed_iovas", V(6, 2), IN),
};

static const struct ifd_field ioas_copy_fields[] = {
	SIZE_FIELD(uapi_ioas_copy, V(6, 2)),
	FIELD(uapi_ioas_copy, flags, "flags", V(6, 2), IN),
	FIELD(uapi_ioas_copy, dst_ioas_id, "dst_ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_copy, src_ioas_id, "src_ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_copy, length, "length", V(6, 2), IN),
	FIELD(uapi_ioas_copy, dst_iova, "dst_iova", V(6, 2), INOUT),
	FIELD(uapi_ioas_copy, src_iova, "src_iova", V(6, 2), IN),
};

static const struct ifd_field ioas_iova_ranges_fields[] = {
	SIZE_FIELD(uapi_ioas_iova_ranges, V(6, 2)),
	FIELD(uapi_ioas_iova_ranges, ioas_id, "ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_iova_ranges, num_iovas, "num_iovas", V(6, 2), INOUT),
	FIELD(uapi_ioas_iova_ranges, reserved, "__reserved", V(6, 2), RSV),
	FIELD(uapi_ioas_iova_ranges, allowed_iovas, "allowed_iovas", V(6, 2), IN),
	FIELD(uapi_ioas_iova_ranges, out_iova_alignment, "out_iova_alignment", V(6, 2), OUT),
};

static const struct ifd_field ioas_map_fields[] = {
	SIZE_FIELD(uapi_ioas_map, V(6, 2)),
	FIELD(uapi_ioas_map, flags, "flags", V(6, 2), IN),
	FIELD(uapi_ioas_map, ioas_id, "ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_map, reserved, "__reserved", V(6, 2), RSV),
	FIELD(uapi_ioas_map, user_va, "user_va", V(6, 2), IN),
	FIELD(uapi_ioas_map, length, "length", V(6, 2), IN),
	FIELD(uapi_ioas_map, iova, "iova", V(6, 2), INOUT),
};

static const struct ifd_field ioas_unmap_fields[] = {
	SIZE_FIELD(uapi_ioas_unmap, V(6, 2)),
	FIELD(uapi_ioas_unmap, ioas_id, "ioas_id", V(6, 2), IN),
	FIELD(uapi_ioas_unmap, iova, "iova", V(6, 2), IN),
	FIELD(uapi_ioas_unmap, length, "length", V(6, 2), INOUT),
};

static const struct ifd_field option_fields[] = {
	SIZE_FIELD(uapi_option, V(6, 2)),
	FIELD(uapi_option, option_id, "option_id", V(6, 2), IN),
	FIELD(uapi_option, op, "op", V(6, 2), IN),
	FIELD(uapi_option, reserved, "__reserved", V(6, 2), RSV),
	FIELD(uapi_option, object_id, "object_id", V(6, 2), IN),
	FIELD(uapi_option, val64, "val64", V(6, 2), INOUT),
};

static const struct ifd_field vfio_ioas_fields[] = {
	SIZE_FIELD(uapi_vfio_ioas, V(6, 2)),
	FIELD(uapi_vfio_ioas, ioas_id, "ioas_id", V(6, 2), INOUT),
	FIELD(uapi_vfio_ioas, op, "op", V(6, 2), IN),
	FIELD(uapi_vfio_ioas, reserved, "__reserved", V(6, 2), RSV),
};

static const struct ifd_field hwpt_alloc_fields[] = {
	SIZE_FIELD(uapi_hwpt_alloc, V(6, 6)),
	FIELD(uapi_hwpt_alloc, flags, "flags", V(6, 6), IN),
	FIELD(uapi_hwpt_alloc, dev_id, "dev_id", V(6, 6), IN),
	FIELD(uapi_hwpt_alloc, pt_id, "pt_id", V(6, 6), IN),
	FIELD(uapi_hwpt_alloc, out_hwpt_id, "out_hwpt_id", V(6, 6), OUT),
	FIELD(uapi_hwpt_alloc, reserved, "__reserved", V(6, 6), RSV),
	FIELD(uapi_hwpt_alloc, data_type, "data_type", V(6, 7), IN),
	FIELD(uapi_hwpt_alloc, data_len, "data_len", V(6, 7), IN),
	FIELD(uapi_hwpt_alloc, data_uptr, "data_uptr", V(6, 7), IN),
	FIELD(uapi_hwpt_alloc, fault_id, "fault_id", V(6, 11), IN),
	FIELD(uapi_hwpt_alloc, reserved2, "__reserved2", V(6, 11), RSV),
};

static const struct ifd_field get_hw_info_fields[] = {
	SIZE_FIELD(uapi_hw_info, V(6, 6)),
	FIELD(uapi_hw_info, flags, "flags", V(6, 6), IN),
	FIELD(uapi_hw_info, dev_id, "dev_id", V(6, 6), IN),
	FIELD(uapi_hw_info, data_len, "data_len", V(6, 6), INOUT),
	FIELD(uapi_hw_info, data_uptr, "data_uptr", V(6, 6), IN),
	FIELD(uapi_hw_info, data_type, "out_data_type", V(6, 6), INOUT),
	CARVED(uapi_hw_info, out_max_pasid_log2, "out_max_pasid_log2", V(6, 12), OUT),
	FIELD(uapi_hw_info, reserved, "__reserved", V(6, 6), RSV),
	FIELD(uapi_hw_info, out_capabilities, "out_capabilities", V(6, 7), OUT),
};

static const struct ifd_field hwpt_set_dirty_tracking_fields[] = {
	SIZE_FIELD(uapi_hwpt_set_dirty_tracking, V(6, 7)),
	FIELD(uapi_hwpt_set_dirty_tracking, flags, "flags", V(6, 7), IN),
	FIELD(uapi_hwpt_set_dirty_tracking, hwpt_id, "hwpt_id", V(6, 7), IN),
	FIELD(uapi_hwpt_set_dirty_tracking, reserved, "__reserved", V(6, 7), RSV),
};

static const struct ifd_field hwpt_get_dirty_bitmap_fields[] = {
	SIZE_FIELD(uapi_hwpt_get_dirty_bitmap, V(6, 7)),
	FIELD(uapi_hwpt_get_dirty_bitmap, hwpt_id, "hwpt_id", V(6, 7), IN),
	FIELD(uapi_hwpt_get_dirty_bitmap, flags, "flags", V(6, 7), IN),
	FIELD(uapi_hwpt_get_dirty_bitmap, reserved, "__reserved", V(6, 7), RSV),
	FIELD(uapi_hwpt_get_dirty_bitmap, iova, "iova", V(6, 7), IN),
	FIELD(uapi_hwpt_get_dirty_bitmap, length, "length", V(6, 7), IN),
	FIELD(uapi_hwpt_get_dirty_bitmap, page_size, "page_size", V(6, 7), IN),
	FIELD(uapi_hwpt_get_dirty_bitmap, data, "data", V(6, 7), IN),
};

static const struct ifd_field hwpt_invalidate_fields[] = {
	SIZE_FIELD(uapi_hwpt_invalidate, V(6, 8)),
	FIELD(uapi_hwpt_invalidate, hwpt_id, "hwpt_id", V(6, 8), IN),
	FIELD(uapi_hwpt_invalidate, data_uptr, "data_uptr", V(6, 8), IN),
	FIELD(uapi_hwpt_invalidate, data_type, "data_type", V(6, 8), IN),
	FIELD(uapi_hwpt_invalidate, entry_len, "entry_len", V(6, 8), IN),
	FIELD(uapi_hwpt_invalidate, entry_num, "entry_num", V(6, 8), INOUT),
	FIELD(uapi_hwpt_invalidate, reserved, "__reserved", V(6, 8), RSV),
};

static const struct ifd_field fault_queue_alloc_fields[] = {
	SIZE_FIELD(uapi_fault_alloc, V(6, 11)),
	FIELD(uapi_fault_alloc, flags, "flags", V(6, 11), IN),
	FIELD(uapi_fault_alloc, out_fault_id, "out_fault_id", V(6, 11), OUT),
	FIELD(uapi_fault_alloc, out_fault_fd, "out_fault_fd", V(6, 11), OUT),
};

static const struct ifd_field ioas_map_file_fields[] = {
	SIZE_FIELD(uapi_ioas_map_file, V(6, 13)),
	FIELD(uapi_ioas_map_file, flags, "flags", V(6, 13), IN),
	FIELD(uapi_ioas_map_file, ioas_id, "ioas_id", V(6, 13), IN),
	FIELD(uapi_ioas_map_file, fd, "fd", V(6, 13), IN),
	FIELD(uapi_ioas_map_file, start, "start", V(6, 13), IN),
	FIELD(uapi_ioas_map_file, length, "length", V(6, 13), IN),
	FIELD(uapi_ioas_map_file, iova, "iova", V(6, 13), INOUT),
};

static const struct ifd_field viommu_alloc_fields[] = {
	SIZE_FIELD(uapi_viommu_alloc, V(6, 13)),
	FIELD(uapi_viommu_alloc, flags, "flags", V(6, 13), IN),
	FIELD(uapi_viommu_alloc, type, "type", V(6, 13), IN),
	FIELD(uapi_viommu_alloc, dev_id, "dev_id", V(6, 13), IN),
	FIELD(uapi_viommu_alloc, hwpt_id, "hwpt_id", V(6, 13), IN),
	FIELD(uapi_viommu_alloc, out_viommu_id, "out_viommu_id", V(6, 13), OUT),
	FIELD(uapi_viommu_alloc, data_len, "data_len", V(6, 17), IN),
	FIELD(uapi_viommu_alloc, reserved, "__reserved", V(6, 17), RSV),
	FIELD(uapi_viommu_alloc, data_uptr, "data_uptr", V(6, 17), IN),
};

static const struct ifd_field vdevice_alloc_fields[] = {
	SIZE_FIELD(uapi_vdevice_alloc, V(6, 13)),
	FIELD(uapi_vdevice_alloc, viommu_id, "viommu_id", V(6, 13), IN),
	FIELD(uapi_vdevice_alloc, dev_id, "dev_id", V(6, 13), IN),
	FIELD(uapi_vdevice_alloc, out_vdevice_id, "out_vdevice_id", V(6, 13), OUT),
	FIELD(uapi_vdevice_alloc, virt_id, "virt_id", V(6, 13), IN),
};

static const struct ifd_field ioas_change_process_fields[] = {
	SIZE_FIELD(uapi_ioas_change_process, V(6, 14)),
	FIELD(uapi_ioas_change_process, reserved, "__reserved", V(6, 14), RSV),
};

static const struct ifd_field veventq_alloc_fields[] = {
	SIZE_FIELD(uapi_veventq_alloc, V(6, 15)),
	FIELD(uapi_veventq_alloc, flags, "flags", V(6, 15), IN),
	FIELD(uapi_veventq_alloc, viommu_id, "viommu_id", V(6, 15), IN),
	FIELD(uapi_veventq_alloc, type, "type", V(6, 15), IN),
	FIELD(uapi_veventq_alloc, veventq_depth, "veventq_depth", V(6, 15), IN),
	FIELD(uapi_veventq_alloc, out_veventq_id, "out_veventq_id", V(6, 15), OUT),
	FIELD(uapi_veventq_alloc, out_veventq_fd, "out_veventq_fd", V(6, 15), OUT),
	FIELD(uapi_veventq_alloc, reserved, "__reserved", V(6, 15), RSV),
};

static const struct ifd_field hw_queue_alloc_fields[] = {
	SIZE_FIELD(uapi_hw_queue_alloc, V(6, 17)),
	FIELD(uapi_hw_queue_alloc, flags, "flags", V(6, 17), IN),
	FIELD(uapi_hw_queue_alloc, viommu_id, "viommu_id", V(6, 17), IN),
	FIELD(uapi_hw_queue_alloc, type, "type", V(6, 17), IN),
	FIELD(uapi_hw_queue_alloc, index, "index", V(6, 17), IN),
	FIELD(uapi_hw_queue_alloc, out_hw_queue_id, "out_hw_queue_id", V(6, 17), OUT),
	FIELD(uapi_hw_queue_alloc, nesting_parent_iova, "nesting_parent_iova", V(6, 17), IN),
	FIELD(uapi_hw_queue_alloc, length, "length", V(6, 17), IN),
};

#define END_OF(S, member) (offsetof(struct S, member) + sizeof(((struct S *)0)->member))
#define POISON(S, member) offsetof(struct S, member), sizeof(((struct S *)0)->member)
#define NO_POISON 0, 0
#define CMD(NR, NAME, REL, S, FIRST_SIZE, POISON_SPEC, FIELDS)                    \
	[NR - UAPI_IOMMUFD_CMD_FIRST] = { NR, NAME, REL, FIRST_SIZE, sizeof(struct S), \
					  POISON_SPEC, FIELDS, IFD_ARRAY_SIZE(FIELDS) }

/*
 * first_size is the kernel's minimum (its IOCTL_OP "last" member): the
 * struct as the first release had it.  The poison member is one the kernel
 * rejects (EOPNOTSUPP) before it looks up objects or allocates anything;
 * commands without one fail their lookup of object ID 0, which never exists.
 */
static const struct ifd_cmd cmd_table[UAPI_IOMMUFD_NR_CMDS] = {
	CMD(UAPI_CMD_DESTROY, "IOMMU_DESTROY", V(6, 2), uapi_destroy,
	    END_OF(uapi_destroy, id), NO_POISON, destroy_fields),
	CMD(UAPI_CMD_IOAS_ALLOC, "IOMMU_IOAS_ALLOC", V(6, 2), uapi_ioas_alloc,
	    END_OF(uapi_ioas_alloc, out_ioas_id), POISON(uapi_ioas_alloc, flags),
	    ioas_alloc_fields),
	CMD(UAPI_CMD_IOAS_ALLOW_IOVAS, "IOMMU_IOAS_ALLOW_IOVAS", V(6, 2), uapi_ioas_allow_iovas,
	    END_OF(uapi_ioas_allow_iovas, allowed_iovas), NO_POISON, ioas_allow_iovas_fields),
	CMD(UAPI_CMD_IOAS_COPY, "IOMMU_IOAS_COPY", V(6, 2), uapi_ioas_copy,
	    END_OF(uapi_ioas_copy, src_iova), POISON(uapi_ioas_copy, flags), ioas_copy_fields),
	CMD(UAPI_CMD_IOAS_IOVA_RANGES, "IOMMU_IOAS_IOVA_RANGES", V(6, 2), uapi_ioas_iova_ranges,
	    END_OF(uapi_ioas_iova_ranges, out_iova_alignment), NO_POISON,
	    ioas_iova_ranges_fields),
	CMD(UAPI_CMD_IOAS_MAP, "IOMMU_IOAS_MAP", V(6, 2), uapi_ioas_map,
	    END_OF(uapi_ioas_map, iova), POISON(uapi_ioas_map, flags), ioas_map_fields),
	CMD(UAPI_CMD_IOAS_UNMAP, "IOMMU_IOAS_UNMAP", V(6, 2), uapi_ioas_unmap,
	    END_OF(uapi_ioas_unmap, length), NO_POISON, ioas_unmap_fields),
	CMD(UAPI_CMD_OPTION, "IOMMU_OPTION", V(6, 2), uapi_option, END_OF(uapi_option, val64),
	    POISON(uapi_option, reserved), option_fields),
	CMD(UAPI_CMD_VFIO_IOAS, "IOMMU_VFIO_IOAS", V(6, 2), uapi_vfio_ioas,
	    END_OF(uapi_vfio_ioas, reserved), POISON(uapi_vfio_ioas, reserved),
	    vfio_ioas_fields),
	CMD(UAPI_CMD_HWPT_ALLOC, "IOMMU_HWPT_ALLOC", V(6, 6), uapi_hwpt_alloc,
	    END_OF(uapi_hwpt_alloc, reserved), POISON(uapi_hwpt_alloc, reserved),
	    hwpt_alloc_fields),
	CMD(UAPI_CMD_GET_HW_INFO, "IOMMU_GET_HW_INFO", V(6, 6), uapi_hw_info,
	    END_OF(uapi_hw_info, reserved), POISON(uapi_hw_info, flags), get_hw_info_fields),
	CMD(UAPI_CMD_HWPT_SET_DIRTY_TRACKING, "IOMMU_HWPT_SET_DIRTY_TRACKING", V(6, 7),
	    uapi_hwpt_set_dirty_tracking, END_OF(uapi_hwpt_set_dirty_tracking, reserved),
	    NO_POISON, hwpt_set_dirty_tracking_fields),
	CMD(UAPI_CMD_HWPT_GET_DIRTY_BITMAP, "IOMMU_HWPT_GET_DIRTY_BITMAP", V(6, 7),
	    uapi_hwpt_get_dirty_bitmap, END_OF(uapi_hwpt_get_dirty_bitmap, data),
	    POISON(uapi_hwpt_get_dirty_bitmap, flags), hwpt_get_dirty_bitmap_fields),
	CMD(UAPI_CMD_HWPT_INVALIDATE, "IOMMU_HWPT_INVALIDATE", V(6, 8), uapi_hwpt_invalidate,
	    END_OF(uapi_hwpt_invalidate, reserved), NO_POISON, hwpt_invalidate_fields),
	CMD(UAPI_CMD_FAULT_QUEUE_ALLOC, "IOMMU_FAULT_QUEUE_ALLOC", V(6, 11), uapi_fault_alloc,
	    END_OF(uapi_fault_alloc, out_fault_fd), POISON(uapi_fault_alloc, flags),
	    fault_queue_alloc_fields),
	CMD(UAPI_CMD_IOAS_MAP_FILE, "IOMMU_IOAS_MAP_FILE", V(6, 13), uapi_ioas_map_file,
	    END_OF(uapi_ioas_map_file, iova), POISON(uapi_ioas_map_file, flags),
	    ioas_map_file_fields),
	CMD(UAPI_CMD_VIOMMU_ALLOC, "IOMMU_VIOMMU_ALLOC", V(6, 13), uapi_viommu_alloc,
	    END_OF(uapi_viommu_alloc, out_viommu_id), POISON(uapi_viommu_alloc, flags),
	    viommu_alloc_fields),
	CMD(UAPI_CMD_VDEVICE_ALLOC, "IOMMU_VDEVICE_ALLOC", V(6, 13), uapi_vdevice_alloc,
	    END_OF(uapi_vdevice_alloc, virt_id), NO_POISON, vdevice_alloc_fields),
	CMD(UAPI_CMD_IOAS_CHANGE_PROCESS, "IOMMU_IOAS_CHANGE_PROCESS", V(6, 14),
	    uapi_ioas_change_process, END_OF(uapi_ioas_change_process, reserved),
	    POISON(uapi_ioas_change_process, reserved), ioas_change_process_fields),
	CMD(UAPI_CMD_VEVENTQ_ALLOC, "IOMMU_VEVENTQ_ALLOC", V(6, 15), uapi_veventq_alloc,
	    END_OF(uapi_veventq_alloc, out_veventq_fd), POISON(uapi_veventq_alloc, flags),
	    veventq_alloc_fields),
	CMD(UAPI_CMD_HW_QUEUE_ALLOC, "IOMMU_HW_QUEUE_ALLOC", V(6, 17), uapi_hw_queue_alloc,
	    END_OF(uapi_hw_queue_alloc, length), POISON(uapi_hw_queue_alloc, flags),
	    hw_queue_alloc_fields),
};

const struct ifd_cmd *ifd_cmd_lookup(uint32_t nr)
{
	if (nr < UAPI_IOMMUFD_CMD_FIRST || nr > UAPI_IOMMUFD_CMD_LAST)
		return NULL;
	return &cmd_table[nr - UAPI_IOMMUFD_CMD_FIRST];
}

const char *ifd_release_str(uint16_t release, char buf[16])
{
	snprintf(buf, 16, "%u.%u", IOMMUFD_KVER_MAJOR(release), IOMMUFD_KVER_MINOR(release));
	return buf;
}

int iommufd_cmd_get(uint32_t nr, struct iommufd_cmd_desc *desc)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);

	if (!desc)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_get: desc is NULL");
	if (!cmd)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_get: no iommufd command 0x%x", nr);
	*desc = (struct iommufd_cmd_desc){
		.nr = cmd->nr,
		.name = cmd->name,
		.release = cmd->release,
		.first_size = cmd->first_size,
		.size = cmd->size,
		.nr_fields = cmd->nr_fields,
	};
	return 0;
}

int iommufd_cmd_field(uint32_t nr, uint32_t index, struct iommufd_field_desc *desc)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);

	if (!desc)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_field: desc is NULL");
	if (!cmd || index >= cmd->nr_fields)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_field: no field %u in command 0x%x",
				index, nr);
	const struct ifd_field *f = &cmd->fields[index];
	*desc = (struct iommufd_field_desc){
		.name = f->name,
		.offset = f->offset,
		.size = f->size,
		.release = f->release,
		.dir = f->dir,
		.carved = f->carved,
	};
	return 0;
}

int iommufd_cmd_find_field(uint32_t nr, const char *name)
{
	const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);

	if (!name)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_find_field: name is NULL");
	if (!cmd)
		return ifd_fail(NULL, EINVAL, "iommufd_cmd_find_field: no iommufd command 0x%x",
				nr);
	for (uint32_t i = 0; i < cmd->nr_fields; i++)
		if (!strcmp(cmd->fields[i].name, name))
			return (int)i;
	return ifd_fail(NULL, ENOENT, "%s has no field named %s", cmd->name, name);
}
