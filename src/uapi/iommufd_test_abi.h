/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The iommufd selftest mock (CONFIG_IOMMUFD_TEST): IOMMU_TEST_CMD and the
 * selftest data types.  This interface is kernel-internal and moves between
 * releases; ops are appended, so the numbers below hold from 6.12 to 7.2.
 * Written for this project; checked against each test kernel's
 * drivers/iommu/iommufd/iommufd_test.h by tests/abi.
 */
#ifndef LIBIOMMUFD_UAPI_IOMMUFD_TEST_ABI_H
#define LIBIOMMUFD_UAPI_IOMMUFD_TEST_ABI_H

#include "iommufd_abi.h"

#define UAPI_IOMMU_TEST_CMD UAPI_IOMMUFD_IOCTL(UAPI_IOMMUFD_CMD_TEST)

enum uapi_test_op {
	UAPI_TEST_OP_ADD_RESERVED = 1,
	UAPI_TEST_OP_MOCK_DOMAIN = 2,
	UAPI_TEST_OP_MD_CHECK_MAP = 3,
	UAPI_TEST_OP_MD_CHECK_REFS = 4,
	UAPI_TEST_OP_CREATE_ACCESS = 5,
	UAPI_TEST_OP_DESTROY_ACCESS_PAGES = 6,
	UAPI_TEST_OP_ACCESS_PAGES = 7,
	UAPI_TEST_OP_ACCESS_RW = 8,
	UAPI_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
	UAPI_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	UAPI_TEST_OP_ACCESS_REPLACE_IOAS = 11,
	UAPI_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	UAPI_TEST_OP_DIRTY = 13,
	UAPI_TEST_OP_MD_CHECK_IOTLB = 14,
	UAPI_TEST_OP_TRIGGER_IOPF = 15,
	UAPI_TEST_OP_DEV_CHECK_CACHE = 16,
	UAPI_TEST_OP_TRIGGER_VEVENT = 17,
	UAPI_TEST_OP_PASID_ATTACH = 18,
	UAPI_TEST_OP_PASID_REPLACE = 19,
	UAPI_TEST_OP_PASID_DETACH = 20,
	UAPI_TEST_OP_PASID_CHECK_HWPT = 21,
};

#define UAPI_MOCK_APERTURE_START (1ull << 24)
#define UAPI_MOCK_APERTURE_LAST ((1ull << 31) - 1)
#define UAPI_MOCK_FLAGS_ACCESS_WRITE (1u << 0)
#define UAPI_MOCK_FLAGS_ACCESS_SYZ (1u << 16)
#define UAPI_MOCK_ACCESS_RW_WRITE (1u << 0)
#define UAPI_MOCK_ACCESS_RW_SLOW_PATH (1u << 2)
#define UAPI_MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES (1u << 0)
#define UAPI_MOCK_FLAGS_DEVICE_NO_DIRTY (1u << 0)
#define UAPI_MOCK_FLAGS_DEVICE_HUGE_IOVA (1u << 1) /* up to 6.x, gone in 7.x */
#define UAPI_MOCK_FLAGS_DEVICE_PASID (1u << 2)     /* 7.x */
#define UAPI_MOCK_NESTED_DOMAIN_IOTLB_NUM 4
#define UAPI_IOMMU_TEST_IOTLB_DEFAULT 0xbadbeef
#define UAPI_IOMMU_TEST_DEV_CACHE_DEFAULT 0xbaddad
#define UAPI_IOMMU_TEST_INVALIDATE_FLAG_ALL (1u << 0)
#define UAPI_HW_INFO_SELFTEST_REGVAL 0xdeadbeef

struct uapi_test_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t reserved;
	union {
		struct {
			uapi_u64 start;
			uapi_u64 length;
		} add_reserved;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
			uint32_t dev_flags; /* MOCK_DOMAIN_FLAGS only */
		} mock_domain;
		struct {
			uint32_t pt_id;
		} mock_domain_replace;
		struct {
			uapi_u64 iova;
			uapi_u64 length;
			uapi_u64 uptr;
		} check_map;
		struct {
			uapi_u64 length;
			uapi_u64 uptr;
			uint32_t refs;
		} check_refs;
		struct {
			uint32_t out_access_fd;
			uint32_t flags;
		} create_access;
		struct {
			uint32_t access_pages_id;
		} destroy_access_pages;
		struct {
			uint32_t flags;
			uint32_t out_access_pages_id;
			uapi_u64 iova;
			uapi_u64 length;
			uapi_u64 uptr;
		} access_pages;
		struct {
			uapi_u64 iova;
			uapi_u64 length;
			uapi_u64 uptr;
			uint32_t flags;
		} access_rw;
		struct {
			uint32_t limit;
		} memory_limit;
		struct {
			uint32_t ioas_id;
		} access_replace_ioas;
		struct {
			uint32_t flags;
			uapi_u64 iova;
			uapi_u64 length;
			uapi_u64 page_size;
			uapi_u64 uptr;
			uapi_u64 out_nr_dirty;
		} dirty;
		struct {
			uint32_t id;
			uint32_t iotlb;
		} check_iotlb;
		struct {
			uint32_t dev_id;
			uint32_t pasid;
			uint32_t grpid;
			uint32_t perm;
			uint64_t addr;
		} trigger_iopf;
		struct {
			uint32_t id;
			uint32_t cache;
		} check_dev_cache;
		struct {
			uint32_t dev_id;
		} trigger_vevent;
		struct {
			uint32_t pasid;
			uint32_t pt_id;
		} pasid_attach;
		struct {
			uint32_t pasid;
		} pasid_detach;
		struct {
			uint32_t pasid;
			uint32_t hwpt_id;
		} pasid_check;
	};
	uint32_t last;
};

struct uapi_test_hw_info {
	uint32_t flags;
	uint32_t test_reg;
};

struct uapi_hwpt_selftest {
	uint32_t iotlb;
	uint32_t pagetable_type; /* 7.x; 6.12 knows only iotlb */
};

struct uapi_hwpt_invalidate_selftest {
	uint32_t flags;
	uint32_t iotlb_id;
};

/* IOMMU_VIOMMU_TYPE_SELFTEST's data (6.17): the mock copies in_data to
 * out_data and to the first word of a page it offers to mmap. */
struct uapi_viommu_selftest {
	uint32_t in_data;
	uint32_t out_data;
	uapi_u64 out_mmap_offset;
	uapi_u64 out_mmap_length;
};

#define UAPI_VIOMMU_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define UAPI_TEST_HW_QUEUE_MAX 2

struct uapi_viommu_invalidate_selftest {
	uint32_t flags;
	uint32_t vdev_id;
	uint32_t cache_id;
};

struct uapi_viommu_event_selftest {
	uint32_t virt_id;
};

#endif
