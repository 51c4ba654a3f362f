/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libiommufd's own description of the iommufd ioctl ABI (/dev/iommu).
 *
 * Written for this project from the ABI facts (layouts, numbers, flag values);
 * every size, offset and constant here is checked against the real kernel
 * headers of each test kernel by tests/abi.  Names carry a "uapi_" prefix so
 * this header and <linux/iommufd.h> can be included side by side.
 */
#ifndef LIBIOMMUFD_UAPI_IOMMUFD_ABI_H
#define LIBIOMMUFD_UAPI_IOMMUFD_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>

/* The kernel's __aligned_u64: 8-byte aligned even on 32-bit ABIs. */
typedef uint64_t uapi_u64 __attribute__((aligned(8)));

#define UAPI_IOMMUFD_TYPE ';'
#define UAPI_IOMMUFD_CMD_FIRST 0x80
#define UAPI_IOMMUFD_CMD_LAST 0x94
#define UAPI_IOMMUFD_NR_CMDS (UAPI_IOMMUFD_CMD_LAST - UAPI_IOMMUFD_CMD_FIRST + 1)
#define UAPI_IOMMUFD_CMD_TEST 0xa0

/* iommufd ioctls encode no size: the size travels in the struct's first word. */
#define UAPI_IOMMUFD_IOCTL(nr) _IO(UAPI_IOMMUFD_TYPE, (nr))

enum uapi_iommufd_cmd_nr {
	UAPI_CMD_DESTROY = 0x80,
	UAPI_CMD_IOAS_ALLOC = 0x81,
	UAPI_CMD_IOAS_ALLOW_IOVAS = 0x82,
	UAPI_CMD_IOAS_COPY = 0x83,
	UAPI_CMD_IOAS_IOVA_RANGES = 0x84,
	UAPI_CMD_IOAS_MAP = 0x85,
	UAPI_CMD_IOAS_UNMAP = 0x86,
	UAPI_CMD_OPTION = 0x87,
	UAPI_CMD_VFIO_IOAS = 0x88,
	UAPI_CMD_HWPT_ALLOC = 0x89,
	UAPI_CMD_GET_HW_INFO = 0x8a,
	UAPI_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	UAPI_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	UAPI_CMD_HWPT_INVALIDATE = 0x8d,
	UAPI_CMD_FAULT_QUEUE_ALLOC = 0x8e,
	UAPI_CMD_IOAS_MAP_FILE = 0x8f,
	UAPI_CMD_VIOMMU_ALLOC = 0x90,
	UAPI_CMD_VDEVICE_ALLOC = 0x91,
	UAPI_CMD_IOAS_CHANGE_PROCESS = 0x92,
	UAPI_CMD_VEVENTQ_ALLOC = 0x93,
	UAPI_CMD_HW_QUEUE_ALLOC = 0x94,
};

/* ---- IOAS and generic object commands -------------------------------- */

struct uapi_destroy {
	uint32_t size;
	uint32_t id;
};

struct uapi_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

struct uapi_iova_range {
	uapi_u64 start;
	uapi_u64 last; /* inclusive */
};

struct uapi_ioas_iova_ranges {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas; /* in: array capacity, out: ranges present */
	uint32_t reserved;
	uapi_u64 allowed_iovas; /* user pointer to struct uapi_iova_range[] */
	uapi_u64 out_iova_alignment;
};

struct uapi_ioas_allow_iovas {
	uint32_t size;
	uint32_t ioas_id;
	uint32_t num_iovas;
	uint32_t reserved;
	uapi_u64 allowed_iovas;
};

#define UAPI_IOAS_MAP_FIXED_IOVA (1u << 0)
#define UAPI_IOAS_MAP_WRITEABLE (1u << 1)
#define UAPI_IOAS_MAP_READABLE (1u << 2)

struct uapi_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t reserved;
	uapi_u64 user_va;
	uapi_u64 length;
	uapi_u64 iova;
};

struct uapi_ioas_map_file {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	int32_t fd;
	uapi_u64 start;
	uapi_u64 length;
	uapi_u64 iova;
};

struct uapi_ioas_copy {
	uint32_t size;
	uint32_t flags;
	uint32_t dst_ioas_id;
	uint32_t src_ioas_id;
	uapi_u64 length;
	uapi_u64 dst_iova;
	uapi_u64 src_iova;
};

struct uapi_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	uapi_u64 iova;
	uapi_u64 length; /* in: range, out: bytes unmapped */
};

#define UAPI_OPTION_RLIMIT_MODE 0
#define UAPI_OPTION_HUGE_PAGES 1
#define UAPI_OPTION_OP_SET 0
#define UAPI_OPTION_OP_GET 1

struct uapi_option {
	uint32_t size;
	uint32_t option_id;
	uint16_t op;
	uint16_t reserved;
	uint32_t object_id;
	uapi_u64 val64;
};

#define UAPI_VFIO_IOAS_GET 0
#define UAPI_VFIO_IOAS_SET 1
#define UAPI_VFIO_IOAS_CLEAR 2

struct uapi_vfio_ioas {
	uint32_t size;
	uint32_t ioas_id;
	uint16_t op;
	uint16_t reserved;
};

struct uapi_ioas_change_process {
	uint32_t size;
	uint32_t reserved;
};

/* ---- HW page tables ---------------------------------------------------- */

#define UAPI_HWPT_ALLOC_NEST_PARENT (1u << 0)
#define UAPI_HWPT_ALLOC_DIRTY_TRACKING (1u << 1)
#define UAPI_HWPT_FAULT_ID_VALID (1u << 2)
#define UAPI_HWPT_ALLOC_PASID (1u << 3)

#define UAPI_HWPT_DATA_NONE 0
#define UAPI_HWPT_DATA_VTD_S1 1
#define UAPI_HWPT_DATA_ARM_SMMUV3 2
#define UAPI_HWPT_DATA_AMD_GUEST 3
#define UAPI_HWPT_DATA_SELFTEST 0xdead

#define UAPI_VTD_S1_SRE (1u << 0)
#define UAPI_VTD_S1_EAFE (1u << 1)
#define UAPI_VTD_S1_WPE (1u << 2)

struct uapi_hwpt_vtd_s1 {
	uapi_u64 flags;
	uapi_u64 pgtbl_addr;
	uint32_t addr_width;
	uint32_t reserved;
};

struct uapi_hwpt_arm_smmuv3 {
	uapi_u64 ste[2]; /* little endian */
};

struct uapi_hwpt_amd_guest {
	uapi_u64 dte[4];
};

struct uapi_hwpt_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t out_hwpt_id;
	uint32_t reserved;
	uint32_t data_type;
	uint32_t data_len;
	uapi_u64 data_uptr;
	uint32_t fault_id;
	uint32_t reserved2;
};

#define UAPI_HW_INFO_TYPE_NONE 0
#define UAPI_HW_INFO_TYPE_INTEL_VTD 1
#define UAPI_HW_INFO_TYPE_ARM_SMMUV3 2
#define UAPI_HW_INFO_TYPE_TEGRA241_CMDQV 3
#define UAPI_HW_INFO_TYPE_AMD 4
#define UAPI_HW_INFO_TYPE_SELFTEST 0xfeedbeef

#define UAPI_HW_INFO_FLAG_INPUT_TYPE (1u << 0)

#define UAPI_HW_CAP_DIRTY_TRACKING (1u << 0)
#define UAPI_HW_CAP_PCI_PASID_EXEC (1u << 1)
#define UAPI_HW_CAP_PCI_PASID_PRIV (1u << 2)
#define UAPI_HW_CAP_PCI_ATS_NOT_SUPPORTED (1u << 3)

#define UAPI_HW_INFO_VTD_ERRATA_772415_SPR17 (1u << 0)

struct uapi_hw_info_vtd {
	uint32_t flags;
	uint32_t reserved;
	uapi_u64 cap_reg;
	uapi_u64 ecap_reg;
};

struct uapi_hw_info_arm_smmuv3 {
	uint32_t flags;
	uint32_t reserved;
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
};

struct uapi_hw_info_tegra241_cmdqv {
	uint32_t flags;
	uint8_t version;
	uint8_t log2vcmdqs;
	uint8_t log2vsids;
	uint8_t reserved;
};

struct uapi_hw_info_amd {
	uapi_u64 efr;
	uapi_u64 efr2;
};

struct uapi_hw_info {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t data_len;
	uapi_u64 data_uptr;
	uint32_t data_type; /* in with FLAG_INPUT_TYPE, out always */
	uint8_t out_max_pasid_log2;
	uint8_t reserved[3];
	uapi_u64 out_capabilities;
};

#define UAPI_HWPT_DIRTY_TRACKING_ENABLE 1u

struct uapi_hwpt_set_dirty_tracking {
	uint32_t size;
	uint32_t flags;
	uint32_t hwpt_id;
	uint32_t reserved;
};

#define UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR 1u

struct uapi_hwpt_get_dirty_bitmap {
	uint32_t size;
	uint32_t hwpt_id;
	uint32_t flags;
	uint32_t reserved;
	uapi_u64 iova;
	uapi_u64 length;
	uapi_u64 page_size;
	uapi_u64 data; /* user pointer to the bitmap */
};

#define UAPI_HWPT_INVALIDATE_DATA_VTD_S1 0
#define UAPI_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 1
#define UAPI_HWPT_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define UAPI_VTD_INV_FLAGS_LEAF (1u << 0)

struct uapi_hwpt_vtd_s1_invalidate {
	uapi_u64 addr;
	uapi_u64 npages;
	uint32_t flags;
	uint32_t reserved;
};

struct uapi_viommu_arm_smmuv3_invalidate {
	uapi_u64 cmd[2]; /* little endian */
};

struct uapi_hwpt_invalidate {
	uint32_t size;
	uint32_t hwpt_id;
	uapi_u64 data_uptr;
	uint32_t data_type;
	uint32_t entry_len;
	uint32_t entry_num; /* in: entries sent, out: entries handled */
	uint32_t reserved;
};

/* ---- Page faults (IOPF) ------------------------------------------------- */

#define UAPI_PGFAULT_FLAGS_PASID_VALID (1u << 0)
#define UAPI_PGFAULT_FLAGS_LAST_PAGE (1u << 1)
#define UAPI_PGFAULT_PERM_READ (1u << 0)
#define UAPI_PGFAULT_PERM_WRITE (1u << 1)
#define UAPI_PGFAULT_PERM_EXEC (1u << 2)
#define UAPI_PGFAULT_PERM_PRIV (1u << 3)

struct uapi_hwpt_pgfault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t reserved;
	uapi_u64 addr;
	uint32_t length;
	uint32_t cookie;
};

#define UAPI_PAGE_RESP_SUCCESS 0
#define UAPI_PAGE_RESP_INVALID 1

struct uapi_hwpt_page_response {
	uint32_t cookie;
	uint32_t code;
};

struct uapi_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

/* ---- vIOMMU, vDEVICE, vEVENTQ, HW queue ---------------------------------- */

#define UAPI_VIOMMU_TYPE_DEFAULT 0
#define UAPI_VIOMMU_TYPE_ARM_SMMUV3 1
#define UAPI_VIOMMU_TYPE_TEGRA241_CMDQV 2
#define UAPI_VIOMMU_TYPE_SELFTEST 0xdeadbeef

struct uapi_viommu_tegra241_cmdqv {
	uapi_u64 out_vintf_mmap_offset;
	uapi_u64 out_vintf_mmap_length;
};

struct uapi_viommu_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t type;
	uint32_t dev_id;
	uint32_t hwpt_id;
	uint32_t out_viommu_id;
	uint32_t data_len;
	uint32_t reserved;
	uapi_u64 data_uptr;
};

struct uapi_vdevice_alloc {
	uint32_t size;
	uint32_t viommu_id;
	uint32_t dev_id;
	uint32_t out_vdevice_id;
	uapi_u64 virt_id;
};

#define UAPI_VEVENTQ_FLAG_LOST_EVENTS (1u << 0)
#define UAPI_VEVENTQ_TYPE_DEFAULT 0
#define UAPI_VEVENTQ_TYPE_ARM_SMMUV3 1
#define UAPI_VEVENTQ_TYPE_TEGRA241_CMDQV 2
#define UAPI_VEVENTQ_TYPE_SELFTEST 0xbeefbeef

struct uapi_vevent_header {
	uint32_t flags;
	uint32_t sequence;
};

struct uapi_vevent_arm_smmuv3 {
	uapi_u64 evt[4];
};

struct uapi_vevent_tegra241_cmdqv {
	uapi_u64 lvcmdq_err_map[2];
};

struct uapi_veventq_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t veventq_depth;
	uint32_t out_veventq_id;
	uint32_t out_veventq_fd;
	uint32_t reserved;
};

#define UAPI_HW_QUEUE_TYPE_DEFAULT 0
#define UAPI_HW_QUEUE_TYPE_TEGRA241_CMDQV 1
#define UAPI_HW_QUEUE_TYPE_SELFTEST 0xdeadbeef /* the mock's (iommufd_test.h) */

struct uapi_hw_queue_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t index;
	uint32_t out_hw_queue_id;
	uapi_u64 nesting_parent_iova;
	uapi_u64 length;
};

#endif
