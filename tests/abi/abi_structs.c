/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Our uapi structs and constants, member by member, against the kernel's. */
#include "abi_check.h"

#include "uapi/iommufd_abi.h"
#include "uapi/vfio_abi.h"

#define FIELD_OF(S, m) (sizeof(((struct S *)0)->m))
#define SAME_FIELD(ours, theirs, om, tm)                                   \
	do {                                                               \
		CHECK_EQ(offsetof(struct ours, om), offsetof(struct theirs, tm)); \
		CHECK_EQ(FIELD_OF(ours, om), FIELD_OF(theirs, tm));        \
	} while (0)
#define SAME(ours, theirs, m) SAME_FIELD(ours, theirs, m, m)
#define SAME_RSV(ours, theirs) SAME_FIELD(ours, theirs, reserved, __reserved)
#define SAME_SIZE(ours, theirs) CHECK_EQ(sizeof(struct ours), sizeof(struct theirs))
#define SAME_CONST(ours, theirs) CHECK_EQ(ours, theirs)

static void check_ioas_structs(void)
{
	SAME_SIZE(uapi_destroy, iommu_destroy);
	SAME(uapi_destroy, iommu_destroy, id);
	SAME_SIZE(uapi_ioas_alloc, iommu_ioas_alloc);
	SAME(uapi_ioas_alloc, iommu_ioas_alloc, flags);
	SAME(uapi_ioas_alloc, iommu_ioas_alloc, out_ioas_id);
	SAME_SIZE(uapi_iova_range, iommu_iova_range);
	SAME(uapi_iova_range, iommu_iova_range, start);
	SAME(uapi_iova_range, iommu_iova_range, last);
	SAME_SIZE(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges);
	SAME(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges, ioas_id);
	SAME(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges, num_iovas);
	SAME_RSV(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges);
	SAME(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges, allowed_iovas);
	SAME(uapi_ioas_iova_ranges, iommu_ioas_iova_ranges, out_iova_alignment);
	SAME_SIZE(uapi_ioas_allow_iovas, iommu_ioas_allow_iovas);
	SAME(uapi_ioas_allow_iovas, iommu_ioas_allow_iovas, ioas_id);
	SAME(uapi_ioas_allow_iovas, iommu_ioas_allow_iovas, num_iovas);
	SAME_RSV(uapi_ioas_allow_iovas, iommu_ioas_allow_iovas);
	SAME(uapi_ioas_allow_iovas, iommu_ioas_allow_iovas, allowed_iovas);
	SAME_CONST(UAPI_IOAS_MAP_FIXED_IOVA, IOMMU_IOAS_MAP_FIXED_IOVA);
	SAME_CONST(UAPI_IOAS_MAP_WRITEABLE, IOMMU_IOAS_MAP_WRITEABLE);
	SAME_CONST(UAPI_IOAS_MAP_READABLE, IOMMU_IOAS_MAP_READABLE);
	SAME_SIZE(uapi_ioas_map, iommu_ioas_map);
	SAME(uapi_ioas_map, iommu_ioas_map, flags);
	SAME(uapi_ioas_map, iommu_ioas_map, ioas_id);
	SAME_RSV(uapi_ioas_map, iommu_ioas_map);
	SAME(uapi_ioas_map, iommu_ioas_map, user_va);
	SAME(uapi_ioas_map, iommu_ioas_map, length);
	SAME(uapi_ioas_map, iommu_ioas_map, iova);
	SAME_SIZE(uapi_ioas_copy, iommu_ioas_copy);
	SAME(uapi_ioas_copy, iommu_ioas_copy, flags);
	SAME(uapi_ioas_copy, iommu_ioas_copy, dst_ioas_id);
	SAME(uapi_ioas_copy, iommu_ioas_copy, src_ioas_id);
	SAME(uapi_ioas_copy, iommu_ioas_copy, length);
	SAME(uapi_ioas_copy, iommu_ioas_copy, dst_iova);
	SAME(uapi_ioas_copy, iommu_ioas_copy, src_iova);
	SAME_SIZE(uapi_ioas_unmap, iommu_ioas_unmap);
	SAME(uapi_ioas_unmap, iommu_ioas_unmap, ioas_id);
	SAME(uapi_ioas_unmap, iommu_ioas_unmap, iova);
	SAME(uapi_ioas_unmap, iommu_ioas_unmap, length);
	SAME_CONST(UAPI_OPTION_RLIMIT_MODE, IOMMU_OPTION_RLIMIT_MODE);
	SAME_CONST(UAPI_OPTION_HUGE_PAGES, IOMMU_OPTION_HUGE_PAGES);
	SAME_CONST(UAPI_OPTION_OP_SET, IOMMU_OPTION_OP_SET);
	SAME_CONST(UAPI_OPTION_OP_GET, IOMMU_OPTION_OP_GET);
	SAME_SIZE(uapi_option, iommu_option);
	SAME(uapi_option, iommu_option, option_id);
	SAME(uapi_option, iommu_option, op);
	SAME_RSV(uapi_option, iommu_option);
	SAME(uapi_option, iommu_option, object_id);
	SAME(uapi_option, iommu_option, val64);
	SAME_CONST(UAPI_VFIO_IOAS_GET, IOMMU_VFIO_IOAS_GET);
	SAME_CONST(UAPI_VFIO_IOAS_SET, IOMMU_VFIO_IOAS_SET);
	SAME_CONST(UAPI_VFIO_IOAS_CLEAR, IOMMU_VFIO_IOAS_CLEAR);
	SAME_SIZE(uapi_vfio_ioas, iommu_vfio_ioas);
	SAME(uapi_vfio_ioas, iommu_vfio_ioas, ioas_id);
	SAME(uapi_vfio_ioas, iommu_vfio_ioas, op);
	SAME_RSV(uapi_vfio_ioas, iommu_vfio_ioas);
}

static void check_hwpt_structs(void)
{
	SAME_CONST(UAPI_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_ALLOC_NEST_PARENT);
	SAME_CONST(UAPI_HWPT_ALLOC_DIRTY_TRACKING, IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
	SAME_CONST(UAPI_HWPT_FAULT_ID_VALID, IOMMU_HWPT_FAULT_ID_VALID);
	SAME_CONST(UAPI_HWPT_DATA_NONE, IOMMU_HWPT_DATA_NONE);
	SAME_CONST(UAPI_HWPT_DATA_VTD_S1, IOMMU_HWPT_DATA_VTD_S1);
	SAME_CONST(UAPI_VTD_S1_SRE, IOMMU_VTD_S1_SRE);
	SAME_CONST(UAPI_VTD_S1_EAFE, IOMMU_VTD_S1_EAFE);
	SAME_CONST(UAPI_VTD_S1_WPE, IOMMU_VTD_S1_WPE);
	SAME_SIZE(uapi_hwpt_vtd_s1, iommu_hwpt_vtd_s1);
	SAME(uapi_hwpt_vtd_s1, iommu_hwpt_vtd_s1, flags);
	SAME(uapi_hwpt_vtd_s1, iommu_hwpt_vtd_s1, pgtbl_addr);
	SAME(uapi_hwpt_vtd_s1, iommu_hwpt_vtd_s1, addr_width);
	SAME_RSV(uapi_hwpt_vtd_s1, iommu_hwpt_vtd_s1);
	SAME_SIZE(uapi_hwpt_alloc, iommu_hwpt_alloc);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, flags);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, dev_id);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, pt_id);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, out_hwpt_id);
	SAME_RSV(uapi_hwpt_alloc, iommu_hwpt_alloc);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, data_type);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, data_len);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, data_uptr);
	SAME(uapi_hwpt_alloc, iommu_hwpt_alloc, fault_id);
	SAME_FIELD(uapi_hwpt_alloc, iommu_hwpt_alloc, reserved2, __reserved2);
	SAME_CONST(UAPI_HW_INFO_TYPE_NONE, IOMMU_HW_INFO_TYPE_NONE);
	SAME_CONST(UAPI_HW_INFO_TYPE_INTEL_VTD, IOMMU_HW_INFO_TYPE_INTEL_VTD);
	SAME_CONST(UAPI_HW_CAP_DIRTY_TRACKING, IOMMU_HW_CAP_DIRTY_TRACKING);
	SAME_CONST(UAPI_HW_CAP_PCI_PASID_EXEC, IOMMU_HW_CAP_PCI_PASID_EXEC);
	SAME_CONST(UAPI_HW_CAP_PCI_PASID_PRIV, IOMMU_HW_CAP_PCI_PASID_PRIV);
	SAME_CONST(UAPI_HW_INFO_VTD_ERRATA_772415_SPR17, IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17);
	SAME_SIZE(uapi_hw_info_vtd, iommu_hw_info_vtd);
	SAME(uapi_hw_info_vtd, iommu_hw_info_vtd, flags);
	SAME_RSV(uapi_hw_info_vtd, iommu_hw_info_vtd);
	SAME(uapi_hw_info_vtd, iommu_hw_info_vtd, cap_reg);
	SAME(uapi_hw_info_vtd, iommu_hw_info_vtd, ecap_reg);
	SAME_SIZE(uapi_hw_info, iommu_hw_info);
	SAME(uapi_hw_info, iommu_hw_info, flags);
	SAME(uapi_hw_info, iommu_hw_info, dev_id);
	SAME(uapi_hw_info, iommu_hw_info, data_len);
	SAME(uapi_hw_info, iommu_hw_info, data_uptr);
	SAME_FIELD(uapi_hw_info, iommu_hw_info, data_type, out_data_type);
	SAME(uapi_hw_info, iommu_hw_info, out_max_pasid_log2);
	SAME_RSV(uapi_hw_info, iommu_hw_info);
	SAME(uapi_hw_info, iommu_hw_info, out_capabilities);
	SAME_CONST(UAPI_HWPT_DIRTY_TRACKING_ENABLE, IOMMU_HWPT_DIRTY_TRACKING_ENABLE);
	SAME_SIZE(uapi_hwpt_set_dirty_tracking, iommu_hwpt_set_dirty_tracking);
	SAME(uapi_hwpt_set_dirty_tracking, iommu_hwpt_set_dirty_tracking, flags);
	SAME(uapi_hwpt_set_dirty_tracking, iommu_hwpt_set_dirty_tracking, hwpt_id);
	SAME_RSV(uapi_hwpt_set_dirty_tracking, iommu_hwpt_set_dirty_tracking);
	SAME_CONST(UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR, IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR);
	SAME_SIZE(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, hwpt_id);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, flags);
	SAME_RSV(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, iova);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, length);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, page_size);
	SAME(uapi_hwpt_get_dirty_bitmap, iommu_hwpt_get_dirty_bitmap, data);
	SAME_CONST(UAPI_HWPT_INVALIDATE_DATA_VTD_S1, IOMMU_HWPT_INVALIDATE_DATA_VTD_S1);
	SAME_CONST(UAPI_VTD_INV_FLAGS_LEAF, IOMMU_VTD_INV_FLAGS_LEAF);
	SAME_SIZE(uapi_hwpt_vtd_s1_invalidate, iommu_hwpt_vtd_s1_invalidate);
	SAME(uapi_hwpt_vtd_s1_invalidate, iommu_hwpt_vtd_s1_invalidate, addr);
	SAME(uapi_hwpt_vtd_s1_invalidate, iommu_hwpt_vtd_s1_invalidate, npages);
	SAME(uapi_hwpt_vtd_s1_invalidate, iommu_hwpt_vtd_s1_invalidate, flags);
	SAME_RSV(uapi_hwpt_vtd_s1_invalidate, iommu_hwpt_vtd_s1_invalidate);
	SAME_SIZE(uapi_hwpt_invalidate, iommu_hwpt_invalidate);
	SAME(uapi_hwpt_invalidate, iommu_hwpt_invalidate, hwpt_id);
	SAME(uapi_hwpt_invalidate, iommu_hwpt_invalidate, data_uptr);
	SAME(uapi_hwpt_invalidate, iommu_hwpt_invalidate, data_type);
	SAME(uapi_hwpt_invalidate, iommu_hwpt_invalidate, entry_len);
	SAME(uapi_hwpt_invalidate, iommu_hwpt_invalidate, entry_num);
	SAME_RSV(uapi_hwpt_invalidate, iommu_hwpt_invalidate);
}

static void check_fault_structs(void)
{
	SAME_CONST(UAPI_PGFAULT_FLAGS_PASID_VALID, IOMMU_PGFAULT_FLAGS_PASID_VALID);
	SAME_CONST(UAPI_PGFAULT_FLAGS_LAST_PAGE, IOMMU_PGFAULT_FLAGS_LAST_PAGE);
	SAME_CONST(UAPI_PGFAULT_PERM_READ, IOMMU_PGFAULT_PERM_READ);
	SAME_CONST(UAPI_PGFAULT_PERM_WRITE, IOMMU_PGFAULT_PERM_WRITE);
	SAME_CONST(UAPI_PGFAULT_PERM_EXEC, IOMMU_PGFAULT_PERM_EXEC);
	SAME_CONST(UAPI_PGFAULT_PERM_PRIV, IOMMU_PGFAULT_PERM_PRIV);
	SAME_SIZE(uapi_hwpt_pgfault, iommu_hwpt_pgfault);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, flags);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, dev_id);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, pasid);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, grpid);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, perm);
	SAME_RSV(uapi_hwpt_pgfault, iommu_hwpt_pgfault);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, addr);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, length);
	SAME(uapi_hwpt_pgfault, iommu_hwpt_pgfault, cookie);
	SAME_CONST(UAPI_PAGE_RESP_SUCCESS, IOMMUFD_PAGE_RESP_SUCCESS);
	SAME_CONST(UAPI_PAGE_RESP_INVALID, IOMMUFD_PAGE_RESP_INVALID);
	SAME_SIZE(uapi_hwpt_page_response, iommu_hwpt_page_response);
	SAME(uapi_hwpt_page_response, iommu_hwpt_page_response, cookie);
	SAME(uapi_hwpt_page_response, iommu_hwpt_page_response, code);
	SAME_SIZE(uapi_fault_alloc, iommu_fault_alloc);
	SAME(uapi_fault_alloc, iommu_fault_alloc, flags);
	SAME(uapi_fault_alloc, iommu_fault_alloc, out_fault_id);
	SAME(uapi_fault_alloc, iommu_fault_alloc, out_fault_fd);
}

/* Linux 6.13 and later: file mapping, vIOMMU, vDEVICE, vEVENTQ, HW queue. */
static void check_virt_structs(void)
{
#if KERNEL_AT_LEAST(6, 13)
	SAME_SIZE(uapi_ioas_map_file, iommu_ioas_map_file);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, flags);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, ioas_id);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, fd);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, start);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, length);
	SAME(uapi_ioas_map_file, iommu_ioas_map_file, iova);
	SAME_CONST(UAPI_VIOMMU_TYPE_DEFAULT, IOMMU_VIOMMU_TYPE_DEFAULT);
	SAME_CONST(UAPI_VIOMMU_TYPE_ARM_SMMUV3, IOMMU_VIOMMU_TYPE_ARM_SMMUV3);
	SAME_CONST(UAPI_HWPT_DATA_ARM_SMMUV3, IOMMU_HWPT_DATA_ARM_SMMUV3);
	SAME_SIZE(uapi_hwpt_arm_smmuv3, iommu_hwpt_arm_smmuv3);
	SAME(uapi_hwpt_arm_smmuv3, iommu_hwpt_arm_smmuv3, ste);
	SAME_CONST(UAPI_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3, IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3);
	SAME_SIZE(uapi_viommu_arm_smmuv3_invalidate, iommu_viommu_arm_smmuv3_invalidate);
	SAME(uapi_viommu_arm_smmuv3_invalidate, iommu_viommu_arm_smmuv3_invalidate, cmd);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, flags);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, type);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, dev_id);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, hwpt_id);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, out_viommu_id);
	SAME_SIZE(uapi_vdevice_alloc, iommu_vdevice_alloc);
	SAME(uapi_vdevice_alloc, iommu_vdevice_alloc, viommu_id);
	SAME(uapi_vdevice_alloc, iommu_vdevice_alloc, dev_id);
	SAME(uapi_vdevice_alloc, iommu_vdevice_alloc, out_vdevice_id);
	SAME(uapi_vdevice_alloc, iommu_vdevice_alloc, virt_id);
#endif
#if KERNEL_AT_LEAST(6, 14)
	SAME_SIZE(uapi_ioas_change_process, iommu_ioas_change_process);
	SAME_RSV(uapi_ioas_change_process, iommu_ioas_change_process);
#endif
#if KERNEL_AT_LEAST(6, 15)
	SAME_CONST(UAPI_HWPT_ALLOC_PASID, IOMMU_HWPT_ALLOC_PASID);
	SAME_CONST(UAPI_VEVENTQ_FLAG_LOST_EVENTS, IOMMU_VEVENTQ_FLAG_LOST_EVENTS);
	SAME_CONST(UAPI_VEVENTQ_TYPE_DEFAULT, IOMMU_VEVENTQ_TYPE_DEFAULT);
	SAME_CONST(UAPI_VEVENTQ_TYPE_ARM_SMMUV3, IOMMU_VEVENTQ_TYPE_ARM_SMMUV3);
	SAME_SIZE(uapi_vevent_header, iommufd_vevent_header);
	SAME(uapi_vevent_header, iommufd_vevent_header, flags);
	SAME(uapi_vevent_header, iommufd_vevent_header, sequence);
	SAME_SIZE(uapi_vevent_arm_smmuv3, iommu_vevent_arm_smmuv3);
	SAME(uapi_vevent_arm_smmuv3, iommu_vevent_arm_smmuv3, evt);
	SAME_SIZE(uapi_veventq_alloc, iommu_veventq_alloc);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, flags);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, viommu_id);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, type);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, veventq_depth);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, out_veventq_id);
	SAME(uapi_veventq_alloc, iommu_veventq_alloc, out_veventq_fd);
	SAME_RSV(uapi_veventq_alloc, iommu_veventq_alloc);
#endif
#if KERNEL_AT_LEAST(6, 17)
	SAME_CONST(UAPI_HW_INFO_TYPE_ARM_SMMUV3, IOMMU_HW_INFO_TYPE_ARM_SMMUV3);
	SAME_CONST(UAPI_HW_INFO_TYPE_TEGRA241_CMDQV, IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV);
	SAME_CONST(UAPI_HW_INFO_FLAG_INPUT_TYPE, IOMMU_HW_INFO_FLAG_INPUT_TYPE);
	SAME_CONST(UAPI_HW_CAP_PCI_ATS_NOT_SUPPORTED, IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED);
	SAME_SIZE(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3);
	SAME(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, flags);
	SAME_RSV(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3);
	SAME(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, idr);
	SAME(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, iidr);
	SAME(uapi_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, aidr);
	SAME_SIZE(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv);
	SAME(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv, flags);
	SAME(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv, version);
	SAME(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv, log2vcmdqs);
	SAME(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv, log2vsids);
	SAME_RSV(uapi_hw_info_tegra241_cmdqv, iommu_hw_info_tegra241_cmdqv);
	SAME_CONST(UAPI_VIOMMU_TYPE_TEGRA241_CMDQV, IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV);
	SAME_SIZE(uapi_viommu_tegra241_cmdqv, iommu_viommu_tegra241_cmdqv);
	SAME(uapi_viommu_tegra241_cmdqv, iommu_viommu_tegra241_cmdqv, out_vintf_mmap_offset);
	SAME(uapi_viommu_tegra241_cmdqv, iommu_viommu_tegra241_cmdqv, out_vintf_mmap_length);
	SAME_SIZE(uapi_viommu_alloc, iommu_viommu_alloc);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, data_len);
	SAME_RSV(uapi_viommu_alloc, iommu_viommu_alloc);
	SAME(uapi_viommu_alloc, iommu_viommu_alloc, data_uptr);
	SAME_CONST(UAPI_VEVENTQ_TYPE_TEGRA241_CMDQV, IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV);
	SAME_SIZE(uapi_vevent_tegra241_cmdqv, iommu_vevent_tegra241_cmdqv);
	SAME(uapi_vevent_tegra241_cmdqv, iommu_vevent_tegra241_cmdqv, lvcmdq_err_map);
	SAME_CONST(UAPI_HW_QUEUE_TYPE_DEFAULT, IOMMU_HW_QUEUE_TYPE_DEFAULT);
	SAME_CONST(UAPI_HW_QUEUE_TYPE_TEGRA241_CMDQV, IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV);
	SAME_SIZE(uapi_hw_queue_alloc, iommu_hw_queue_alloc);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, flags);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, viommu_id);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, type);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, index);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, out_hw_queue_id);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, nesting_parent_iova);
	SAME(uapi_hw_queue_alloc, iommu_hw_queue_alloc, length);
#endif
#if KERNEL_AT_LEAST(6, 18)
	SAME_CONST(UAPI_HWPT_DATA_AMD_GUEST, IOMMU_HWPT_DATA_AMD_GUEST);
	SAME_SIZE(uapi_hwpt_amd_guest, iommu_hwpt_amd_guest);
	SAME(uapi_hwpt_amd_guest, iommu_hwpt_amd_guest, dte);
	SAME_CONST(UAPI_HW_INFO_TYPE_AMD, IOMMU_HW_INFO_TYPE_AMD);
	SAME_SIZE(uapi_hw_info_amd, iommu_hw_info_amd);
	SAME(uapi_hw_info_amd, iommu_hw_info_amd, efr);
	SAME(uapi_hw_info_amd, iommu_hw_info_amd, efr2);
#endif
}

static void check_vfio_structs(void)
{
	SAME_CONST(UAPI_VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_INFO);
	SAME_CONST(UAPI_VFIO_DEVICE_GET_REGION_INFO, VFIO_DEVICE_GET_REGION_INFO);
	SAME_CONST(UAPI_VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_GET_IRQ_INFO);
	SAME_CONST(UAPI_VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_SET_IRQS);
	SAME_CONST(UAPI_VFIO_DEVICE_RESET, VFIO_DEVICE_RESET);
	SAME_CONST(UAPI_VFIO_DEVICE_BIND_IOMMUFD, VFIO_DEVICE_BIND_IOMMUFD);
	SAME_CONST(UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT, VFIO_DEVICE_ATTACH_IOMMUFD_PT);
	SAME_CONST(UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT, VFIO_DEVICE_DETACH_IOMMUFD_PT);
	SAME_SIZE(uapi_vfio_info_cap_header, vfio_info_cap_header);
	SAME(uapi_vfio_info_cap_header, vfio_info_cap_header, id);
	SAME(uapi_vfio_info_cap_header, vfio_info_cap_header, version);
	SAME(uapi_vfio_info_cap_header, vfio_info_cap_header, next);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_RESET, VFIO_DEVICE_FLAGS_RESET);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_PCI, VFIO_DEVICE_FLAGS_PCI);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_PLATFORM, VFIO_DEVICE_FLAGS_PLATFORM);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_AMBA, VFIO_DEVICE_FLAGS_AMBA);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_CCW, VFIO_DEVICE_FLAGS_CCW);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_AP, VFIO_DEVICE_FLAGS_AP);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_FSL_MC, VFIO_DEVICE_FLAGS_FSL_MC);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_CAPS, VFIO_DEVICE_FLAGS_CAPS);
	SAME_CONST(UAPI_VFIO_DEVICE_FLAGS_CDX, VFIO_DEVICE_FLAGS_CDX);
	SAME_SIZE(uapi_vfio_device_info, vfio_device_info);
	SAME(uapi_vfio_device_info, vfio_device_info, argsz);
	SAME(uapi_vfio_device_info, vfio_device_info, flags);
	SAME(uapi_vfio_device_info, vfio_device_info, num_regions);
	SAME(uapi_vfio_device_info, vfio_device_info, num_irqs);
	SAME(uapi_vfio_device_info, vfio_device_info, cap_offset);
	SAME(uapi_vfio_device_info, vfio_device_info, pad);
	SAME_CONST(UAPI_VFIO_REGION_INFO_FLAG_READ, VFIO_REGION_INFO_FLAG_READ);
	SAME_CONST(UAPI_VFIO_REGION_INFO_FLAG_WRITE, VFIO_REGION_INFO_FLAG_WRITE);
	SAME_CONST(UAPI_VFIO_REGION_INFO_FLAG_MMAP, VFIO_REGION_INFO_FLAG_MMAP);
	SAME_CONST(UAPI_VFIO_REGION_INFO_FLAG_CAPS, VFIO_REGION_INFO_FLAG_CAPS);
	SAME_SIZE(uapi_vfio_region_info, vfio_region_info);
	SAME(uapi_vfio_region_info, vfio_region_info, argsz);
	SAME(uapi_vfio_region_info, vfio_region_info, flags);
	SAME(uapi_vfio_region_info, vfio_region_info, index);
	SAME(uapi_vfio_region_info, vfio_region_info, cap_offset);
	SAME(uapi_vfio_region_info, vfio_region_info, size);
	SAME(uapi_vfio_region_info, vfio_region_info, offset);
	SAME_CONST(UAPI_VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR0_REGION_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_ROM_REGION_INDEX, VFIO_PCI_ROM_REGION_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_CONFIG_REGION_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_VGA_REGION_INDEX, VFIO_PCI_VGA_REGION_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_NUM_REGIONS, VFIO_PCI_NUM_REGIONS);
	SAME_CONST(UAPI_VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_INTX_IRQ_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_ERR_IRQ_INDEX, VFIO_PCI_ERR_IRQ_INDEX);
	SAME_CONST(UAPI_VFIO_PCI_REQ_IRQ_INDEX, VFIO_PCI_REQ_IRQ_INDEX);
	SAME_CONST(UAPI_VFIO_REGION_INFO_CAP_SPARSE_MMAP, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	SAME_CONST(UAPI_VFIO_REGION_INFO_CAP_TYPE, VFIO_REGION_INFO_CAP_TYPE);
	SAME_CONST(UAPI_VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, VFIO_REGION_INFO_CAP_MSIX_MAPPABLE);
	SAME_SIZE(uapi_vfio_region_sparse_mmap_area, vfio_region_sparse_mmap_area);
	SAME(uapi_vfio_region_sparse_mmap_area, vfio_region_sparse_mmap_area, offset);
	SAME(uapi_vfio_region_sparse_mmap_area, vfio_region_sparse_mmap_area, size);
	SAME_SIZE(uapi_vfio_region_info_cap_sparse_mmap, vfio_region_info_cap_sparse_mmap);
	SAME(uapi_vfio_region_info_cap_sparse_mmap, vfio_region_info_cap_sparse_mmap, header);
	SAME(uapi_vfio_region_info_cap_sparse_mmap, vfio_region_info_cap_sparse_mmap, nr_areas);
	SAME(uapi_vfio_region_info_cap_sparse_mmap, vfio_region_info_cap_sparse_mmap, reserved);
	CHECK_EQ(offsetof(struct uapi_vfio_region_info_cap_sparse_mmap, areas),
		 offsetof(struct vfio_region_info_cap_sparse_mmap, areas));
	SAME_SIZE(uapi_vfio_region_info_cap_type, vfio_region_info_cap_type);
	SAME(uapi_vfio_region_info_cap_type, vfio_region_info_cap_type, type);
	SAME(uapi_vfio_region_info_cap_type, vfio_region_info_cap_type, subtype);
	SAME_CONST(UAPI_VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_EVENTFD);
	SAME_CONST(UAPI_VFIO_IRQ_INFO_MASKABLE, VFIO_IRQ_INFO_MASKABLE);
	SAME_CONST(UAPI_VFIO_IRQ_INFO_AUTOMASKED, VFIO_IRQ_INFO_AUTOMASKED);
	SAME_CONST(UAPI_VFIO_IRQ_INFO_NORESIZE, VFIO_IRQ_INFO_NORESIZE);
	SAME_SIZE(uapi_vfio_irq_info, vfio_irq_info);
	SAME(uapi_vfio_irq_info, vfio_irq_info, argsz);
	SAME(uapi_vfio_irq_info, vfio_irq_info, flags);
	SAME(uapi_vfio_irq_info, vfio_irq_info, index);
	SAME(uapi_vfio_irq_info, vfio_irq_info, count);
	SAME_CONST(UAPI_VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_NONE);
	SAME_CONST(UAPI_VFIO_IRQ_SET_DATA_BOOL, VFIO_IRQ_SET_DATA_BOOL);
	SAME_CONST(UAPI_VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_EVENTFD);
	SAME_CONST(UAPI_VFIO_IRQ_SET_ACTION_MASK, VFIO_IRQ_SET_ACTION_MASK);
	SAME_CONST(UAPI_VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_ACTION_UNMASK);
	SAME_CONST(UAPI_VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_ACTION_TRIGGER);
	SAME_SIZE(uapi_vfio_irq_set, vfio_irq_set);
	SAME(uapi_vfio_irq_set, vfio_irq_set, argsz);
	SAME(uapi_vfio_irq_set, vfio_irq_set, flags);
	SAME(uapi_vfio_irq_set, vfio_irq_set, index);
	SAME(uapi_vfio_irq_set, vfio_irq_set, start);
	SAME(uapi_vfio_irq_set, vfio_irq_set, count);
	CHECK_EQ(offsetof(struct uapi_vfio_irq_set, data), offsetof(struct vfio_irq_set, data));
	SAME(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, argsz);
	SAME(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, flags);
	SAME(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, iommufd);
	SAME(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, out_devid);
	SAME(uapi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt, argsz);
	SAME(uapi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt, flags);
	SAME(uapi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt, pt_id);
	SAME(uapi_vfio_device_detach_iommufd_pt, vfio_device_detach_iommufd_pt, argsz);
	SAME(uapi_vfio_device_detach_iommufd_pt, vfio_device_detach_iommufd_pt, flags);
#if KERNEL_AT_LEAST(6, 15)
	SAME_CONST(UAPI_VFIO_DEVICE_ATTACH_PASID, VFIO_DEVICE_ATTACH_PASID);
	SAME_CONST(UAPI_VFIO_DEVICE_DETACH_PASID, VFIO_DEVICE_DETACH_PASID);
	SAME_SIZE(uapi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt);
	SAME(uapi_vfio_device_attach_iommufd_pt, vfio_device_attach_iommufd_pt, pasid);
	SAME_SIZE(uapi_vfio_device_detach_iommufd_pt, vfio_device_detach_iommufd_pt);
	SAME(uapi_vfio_device_detach_iommufd_pt, vfio_device_detach_iommufd_pt, pasid);
#else
	CHECK_EQ(sizeof(struct vfio_device_attach_iommufd_pt),
		 offsetof(struct uapi_vfio_device_attach_iommufd_pt, pasid));
	CHECK_EQ(sizeof(struct vfio_device_detach_iommufd_pt),
		 offsetof(struct uapi_vfio_device_detach_iommufd_pt, pasid));
#endif
#if KERNEL_AT_LEAST(6, 17)
	SAME_CONST(UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN, VFIO_DEVICE_BIND_FLAG_TOKEN);
	SAME_SIZE(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd);
	SAME(uapi_vfio_device_bind_iommufd, vfio_device_bind_iommufd, token_uuid_ptr);
#else
	CHECK_EQ(sizeof(struct vfio_device_bind_iommufd),
		 offsetof(struct uapi_vfio_device_bind_iommufd, token_uuid_ptr));
#endif
}

void check_structs(void)
{
	SAME_CONST(UAPI_IOMMUFD_TYPE, IOMMUFD_TYPE);
	SAME_CONST(UAPI_VFIO_TYPE, VFIO_TYPE);
	SAME_CONST(UAPI_VFIO_BASE, VFIO_BASE);
	check_ioas_structs();
	check_hwpt_structs();
	check_fault_structs();
	check_virt_structs();
	check_vfio_structs();
}
