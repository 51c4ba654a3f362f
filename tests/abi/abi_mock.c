/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Our description of the selftest mock against the kernel's iommufd_test.h. */
#include "abi_check.h"

#include <iommufd_test.h>

#include "uapi/iommufd_test_abi.h"

#define CMD_FIELD(om, tm)                                                          \
	do {                                                                       \
		CHECK_EQ(offsetof(struct uapi_test_cmd, om),                       \
			 offsetof(struct iommu_test_cmd, tm));                     \
		CHECK_EQ(sizeof(((struct uapi_test_cmd *)0)->om),                  \
			 sizeof(((struct iommu_test_cmd *)0)->tm));                \
	} while (0)

static void check_ops(void)
{
	CHECK_EQ(UAPI_IOMMU_TEST_CMD, IOMMU_TEST_CMD);
	CHECK_EQ(UAPI_TEST_OP_ADD_RESERVED, IOMMU_TEST_OP_ADD_RESERVED);
	CHECK_EQ(UAPI_TEST_OP_MOCK_DOMAIN, IOMMU_TEST_OP_MOCK_DOMAIN);
	CHECK_EQ(UAPI_TEST_OP_MD_CHECK_MAP, IOMMU_TEST_OP_MD_CHECK_MAP);
	CHECK_EQ(UAPI_TEST_OP_MD_CHECK_REFS, IOMMU_TEST_OP_MD_CHECK_REFS);
	CHECK_EQ(UAPI_TEST_OP_CREATE_ACCESS, IOMMU_TEST_OP_CREATE_ACCESS);
	CHECK_EQ(UAPI_TEST_OP_DESTROY_ACCESS_PAGES, IOMMU_TEST_OP_DESTROY_ACCESS_PAGES);
	CHECK_EQ(UAPI_TEST_OP_ACCESS_PAGES, IOMMU_TEST_OP_ACCESS_PAGES);
	CHECK_EQ(UAPI_TEST_OP_ACCESS_RW, IOMMU_TEST_OP_ACCESS_RW);
	CHECK_EQ(UAPI_TEST_OP_SET_TEMP_MEMORY_LIMIT, IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT);
	CHECK_EQ(UAPI_TEST_OP_MOCK_DOMAIN_REPLACE, IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE);
	CHECK_EQ(UAPI_TEST_OP_ACCESS_REPLACE_IOAS, IOMMU_TEST_OP_ACCESS_REPLACE_IOAS);
	CHECK_EQ(UAPI_TEST_OP_MOCK_DOMAIN_FLAGS, IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS);
	CHECK_EQ(UAPI_TEST_OP_DIRTY, IOMMU_TEST_OP_DIRTY);
	CHECK_EQ(UAPI_TEST_OP_MD_CHECK_IOTLB, IOMMU_TEST_OP_MD_CHECK_IOTLB);
	CHECK_EQ(UAPI_TEST_OP_TRIGGER_IOPF, IOMMU_TEST_OP_TRIGGER_IOPF);
	CHECK_EQ(UAPI_MOCK_APERTURE_START, MOCK_APERTURE_START);
	CHECK_EQ(UAPI_MOCK_APERTURE_LAST, MOCK_APERTURE_LAST);
	CHECK_EQ(UAPI_MOCK_FLAGS_ACCESS_WRITE, MOCK_FLAGS_ACCESS_WRITE);
	CHECK_EQ(UAPI_MOCK_FLAGS_ACCESS_SYZ, MOCK_FLAGS_ACCESS_SYZ);
	CHECK_EQ(UAPI_MOCK_ACCESS_RW_WRITE, MOCK_ACCESS_RW_WRITE);
	CHECK_EQ(UAPI_MOCK_ACCESS_RW_SLOW_PATH, MOCK_ACCESS_RW_SLOW_PATH);
	CHECK_EQ(UAPI_MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES,
		 MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES);
	CHECK_EQ(UAPI_MOCK_FLAGS_DEVICE_NO_DIRTY, MOCK_FLAGS_DEVICE_NO_DIRTY);
	CHECK_EQ(UAPI_MOCK_NESTED_DOMAIN_IOTLB_NUM, MOCK_NESTED_DOMAIN_IOTLB_NUM);
	CHECK_EQ(UAPI_IOMMU_TEST_IOTLB_DEFAULT, IOMMU_TEST_IOTLB_DEFAULT);
	CHECK_EQ(UAPI_IOMMU_TEST_INVALIDATE_FLAG_ALL, IOMMU_TEST_INVALIDATE_FLAG_ALL);
	CHECK_EQ(UAPI_HW_INFO_TYPE_SELFTEST, IOMMU_HW_INFO_TYPE_SELFTEST);
	CHECK_EQ(UAPI_HW_INFO_SELFTEST_REGVAL, IOMMU_HW_INFO_SELFTEST_REGVAL);
	CHECK_EQ(UAPI_HWPT_DATA_SELFTEST, IOMMU_HWPT_DATA_SELFTEST);
	CHECK_EQ(UAPI_HWPT_INVALIDATE_DATA_SELFTEST, IOMMU_HWPT_INVALIDATE_DATA_SELFTEST);
#if KERNEL_AT_LEAST(6, 15)
	CHECK_EQ(UAPI_TEST_OP_DEV_CHECK_CACHE, IOMMU_TEST_OP_DEV_CHECK_CACHE);
	CHECK_EQ(UAPI_TEST_OP_TRIGGER_VEVENT, IOMMU_TEST_OP_TRIGGER_VEVENT);
	CHECK_EQ(UAPI_TEST_OP_PASID_ATTACH, IOMMU_TEST_OP_PASID_ATTACH);
	CHECK_EQ(UAPI_TEST_OP_PASID_REPLACE, IOMMU_TEST_OP_PASID_REPLACE);
	CHECK_EQ(UAPI_TEST_OP_PASID_DETACH, IOMMU_TEST_OP_PASID_DETACH);
	CHECK_EQ(UAPI_TEST_OP_PASID_CHECK_HWPT, IOMMU_TEST_OP_PASID_CHECK_HWPT);
	CHECK_EQ(UAPI_MOCK_FLAGS_DEVICE_PASID, MOCK_FLAGS_DEVICE_PASID);
	CHECK_EQ(UAPI_IOMMU_TEST_DEV_CACHE_DEFAULT, IOMMU_TEST_DEV_CACHE_DEFAULT);
	CHECK_EQ(UAPI_VIOMMU_TYPE_SELFTEST, IOMMU_VIOMMU_TYPE_SELFTEST);
	CHECK_EQ(UAPI_VEVENTQ_TYPE_SELFTEST, IOMMU_VEVENTQ_TYPE_SELFTEST);
#if KERNEL_AT_LEAST(6, 17)
	CHECK_EQ(UAPI_HW_QUEUE_TYPE_SELFTEST, IOMMU_HW_QUEUE_TYPE_SELFTEST);
#endif
#else
	CHECK_EQ(UAPI_MOCK_FLAGS_DEVICE_HUGE_IOVA, MOCK_FLAGS_DEVICE_HUGE_IOVA);
#endif
}

static void check_cmd_layout(void)
{
	CHECK_EQ(sizeof(struct uapi_test_cmd), sizeof(struct iommu_test_cmd));
	CMD_FIELD(op, op);
	CMD_FIELD(id, id);
	CMD_FIELD(add_reserved.start, add_reserved.start);
	CMD_FIELD(add_reserved.length, add_reserved.length);
	CMD_FIELD(mock_domain.out_stdev_id, mock_domain.out_stdev_id);
	CMD_FIELD(mock_domain.out_hwpt_id, mock_domain.out_hwpt_id);
	CMD_FIELD(mock_domain.out_idev_id, mock_domain.out_idev_id);
	CMD_FIELD(mock_domain.dev_flags, mock_domain_flags.dev_flags);
	CMD_FIELD(mock_domain_replace.pt_id, mock_domain_replace.pt_id);
	CMD_FIELD(check_map.iova, check_map.iova);
	CMD_FIELD(check_map.length, check_map.length);
	CMD_FIELD(check_map.uptr, check_map.uptr);
	CMD_FIELD(check_refs.length, check_refs.length);
	CMD_FIELD(check_refs.uptr, check_refs.uptr);
	CMD_FIELD(check_refs.refs, check_refs.refs);
	CMD_FIELD(create_access.out_access_fd, create_access.out_access_fd);
	CMD_FIELD(create_access.flags, create_access.flags);
	CMD_FIELD(destroy_access_pages.access_pages_id, destroy_access_pages.access_pages_id);
	CMD_FIELD(access_pages.flags, access_pages.flags);
	CMD_FIELD(access_pages.out_access_pages_id, access_pages.out_access_pages_id);
	CMD_FIELD(access_pages.iova, access_pages.iova);
	CMD_FIELD(access_pages.length, access_pages.length);
	CMD_FIELD(access_pages.uptr, access_pages.uptr);
	CMD_FIELD(access_rw.iova, access_rw.iova);
	CMD_FIELD(access_rw.length, access_rw.length);
	CMD_FIELD(access_rw.uptr, access_rw.uptr);
	CMD_FIELD(access_rw.flags, access_rw.flags);
	CMD_FIELD(memory_limit.limit, memory_limit.limit);
	CMD_FIELD(access_replace_ioas.ioas_id, access_replace_ioas.ioas_id);
	CMD_FIELD(dirty.flags, dirty.flags);
	CMD_FIELD(dirty.iova, dirty.iova);
	CMD_FIELD(dirty.length, dirty.length);
	CMD_FIELD(dirty.page_size, dirty.page_size);
	CMD_FIELD(dirty.uptr, dirty.uptr);
	CMD_FIELD(dirty.out_nr_dirty, dirty.out_nr_dirty);
	CMD_FIELD(check_iotlb.id, check_iotlb.id);
	CMD_FIELD(check_iotlb.iotlb, check_iotlb.iotlb);
	CMD_FIELD(trigger_iopf.dev_id, trigger_iopf.dev_id);
	CMD_FIELD(trigger_iopf.pasid, trigger_iopf.pasid);
	CMD_FIELD(trigger_iopf.grpid, trigger_iopf.grpid);
	CMD_FIELD(trigger_iopf.perm, trigger_iopf.perm);
	CMD_FIELD(trigger_iopf.addr, trigger_iopf.addr);
	CMD_FIELD(last, last);
#if KERNEL_AT_LEAST(6, 15)
	CMD_FIELD(check_dev_cache.id, check_dev_cache.id);
	CMD_FIELD(check_dev_cache.cache, check_dev_cache.cache);
	CMD_FIELD(trigger_vevent.dev_id, trigger_vevent.dev_id);
	CMD_FIELD(pasid_attach.pasid, pasid_attach.pasid);
	CMD_FIELD(pasid_attach.pt_id, pasid_attach.pt_id);
	CMD_FIELD(pasid_attach.pasid, pasid_replace.pasid);
	CMD_FIELD(pasid_attach.pt_id, pasid_replace.pt_id);
	CMD_FIELD(pasid_detach.pasid, pasid_detach.pasid);
	CMD_FIELD(pasid_check.pasid, pasid_check.pasid);
	CMD_FIELD(pasid_check.hwpt_id, pasid_check.hwpt_id);
#endif
}

static void check_data_types(void)
{
	CHECK_EQ(sizeof(struct uapi_test_hw_info), sizeof(struct iommu_test_hw_info));
	CHECK_EQ(offsetof(struct uapi_test_hw_info, test_reg),
		 offsetof(struct iommu_test_hw_info, test_reg));
	CHECK_EQ(offsetof(struct uapi_hwpt_selftest, iotlb), offsetof(struct iommu_hwpt_selftest, iotlb));
	CHECK_EQ(sizeof(struct uapi_hwpt_invalidate_selftest),
		 sizeof(struct iommu_hwpt_invalidate_selftest));
	CHECK_EQ(offsetof(struct uapi_hwpt_invalidate_selftest, iotlb_id),
		 offsetof(struct iommu_hwpt_invalidate_selftest, iotlb_id));
#if KERNEL_AT_LEAST(6, 15)
	CHECK_EQ(sizeof(struct uapi_hwpt_selftest), sizeof(struct iommu_hwpt_selftest));
	CHECK_EQ(sizeof(struct uapi_viommu_invalidate_selftest),
		 sizeof(struct iommu_viommu_invalidate_selftest));
	CHECK_EQ(offsetof(struct uapi_viommu_invalidate_selftest, vdev_id),
		 offsetof(struct iommu_viommu_invalidate_selftest, vdev_id));
	CHECK_EQ(offsetof(struct uapi_viommu_invalidate_selftest, cache_id),
		 offsetof(struct iommu_viommu_invalidate_selftest, cache_id));
	CHECK_EQ(sizeof(struct uapi_viommu_event_selftest), sizeof(struct iommu_viommu_event_selftest));
	CHECK_EQ(UAPI_VIOMMU_INVALIDATE_DATA_SELFTEST, IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST);
#endif
#if KERNEL_AT_LEAST(6, 17)
	CHECK_EQ(sizeof(struct uapi_viommu_selftest), sizeof(struct iommu_viommu_selftest));
	CHECK_EQ(offsetof(struct uapi_viommu_selftest, out_data),
		 offsetof(struct iommu_viommu_selftest, out_data));
	CHECK_EQ(offsetof(struct uapi_viommu_selftest, out_mmap_offset),
		 offsetof(struct iommu_viommu_selftest, out_mmap_offset));
	CHECK_EQ(offsetof(struct uapi_viommu_selftest, out_mmap_length),
		 offsetof(struct iommu_viommu_selftest, out_mmap_length));
	CHECK_EQ(UAPI_TEST_HW_QUEUE_MAX, IOMMU_TEST_HW_QUEUE_MAX);
#endif
}

void check_mock(void)
{
	check_ops();
	check_cmd_layout();
	check_data_types();
}
