/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libiommufd's own description of the VFIO device-cdev ABI it uses
 * (/dev/vfio/devices/vfioN).  Written for this project from the ABI facts;
 * checked against each test kernel's <linux/vfio.h> by tests/abi.
 */
#ifndef LIBIOMMUFD_UAPI_VFIO_ABI_H
#define LIBIOMMUFD_UAPI_VFIO_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>

#include "iommufd_abi.h" /* uapi_u64 */

#define UAPI_VFIO_TYPE ';'
#define UAPI_VFIO_BASE 100
#define UAPI_VFIO_IOCTL(n) _IO(UAPI_VFIO_TYPE, UAPI_VFIO_BASE + (n))

#define UAPI_VFIO_DEVICE_GET_INFO UAPI_VFIO_IOCTL(7)
#define UAPI_VFIO_DEVICE_GET_REGION_INFO UAPI_VFIO_IOCTL(8)
#define UAPI_VFIO_DEVICE_GET_IRQ_INFO UAPI_VFIO_IOCTL(9)
#define UAPI_VFIO_DEVICE_SET_IRQS UAPI_VFIO_IOCTL(10)
#define UAPI_VFIO_DEVICE_RESET UAPI_VFIO_IOCTL(11)
#define UAPI_VFIO_DEVICE_BIND_IOMMUFD UAPI_VFIO_IOCTL(18)
#define UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT UAPI_VFIO_IOCTL(19)
#define UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT UAPI_VFIO_IOCTL(20)

/* Every capability in a chain starts with this; next is an offset from the
 * start of the info buffer, 0 ends the chain. */
struct uapi_vfio_info_cap_header {
	uint16_t id;
	uint16_t version;
	uint32_t next;
};

#define UAPI_VFIO_DEVICE_FLAGS_RESET (1u << 0)
#define UAPI_VFIO_DEVICE_FLAGS_PCI (1u << 1)
#define UAPI_VFIO_DEVICE_FLAGS_PLATFORM (1u << 2)
#define UAPI_VFIO_DEVICE_FLAGS_AMBA (1u << 3)
#define UAPI_VFIO_DEVICE_FLAGS_CCW (1u << 4)
#define UAPI_VFIO_DEVICE_FLAGS_AP (1u << 5)
#define UAPI_VFIO_DEVICE_FLAGS_FSL_MC (1u << 6)
#define UAPI_VFIO_DEVICE_FLAGS_CAPS (1u << 7)
#define UAPI_VFIO_DEVICE_FLAGS_CDX (1u << 8)

struct uapi_vfio_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
	uint32_t cap_offset;
	uint32_t pad;
};

#define UAPI_VFIO_REGION_INFO_FLAG_READ (1u << 0)
#define UAPI_VFIO_REGION_INFO_FLAG_WRITE (1u << 1)
#define UAPI_VFIO_REGION_INFO_FLAG_MMAP (1u << 2)
#define UAPI_VFIO_REGION_INFO_FLAG_CAPS (1u << 3)

struct uapi_vfio_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uapi_u64 size;
	uapi_u64 offset;
};

/* vfio-pci's fixed region and IRQ indexes. */
#define UAPI_VFIO_PCI_BAR0_REGION_INDEX 0
#define UAPI_VFIO_PCI_ROM_REGION_INDEX 6
#define UAPI_VFIO_PCI_CONFIG_REGION_INDEX 7
#define UAPI_VFIO_PCI_VGA_REGION_INDEX 8
#define UAPI_VFIO_PCI_NUM_REGIONS 9
#define UAPI_VFIO_PCI_INTX_IRQ_INDEX 0
#define UAPI_VFIO_PCI_MSI_IRQ_INDEX 1
#define UAPI_VFIO_PCI_MSIX_IRQ_INDEX 2
#define UAPI_VFIO_PCI_ERR_IRQ_INDEX 3
#define UAPI_VFIO_PCI_REQ_IRQ_INDEX 4

#define UAPI_VFIO_REGION_INFO_CAP_SPARSE_MMAP 1
#define UAPI_VFIO_REGION_INFO_CAP_TYPE 2
#define UAPI_VFIO_REGION_INFO_CAP_MSIX_MAPPABLE 3

struct uapi_vfio_region_sparse_mmap_area {
	uapi_u64 offset;
	uapi_u64 size;
};

struct uapi_vfio_region_info_cap_sparse_mmap {
	struct uapi_vfio_info_cap_header header;
	uint32_t nr_areas;
	uint32_t reserved;
	struct uapi_vfio_region_sparse_mmap_area areas[];
};

struct uapi_vfio_region_info_cap_type {
	struct uapi_vfio_info_cap_header header;
	uint32_t type;
	uint32_t subtype;
};

#define UAPI_VFIO_IRQ_INFO_EVENTFD (1u << 0)
#define UAPI_VFIO_IRQ_INFO_MASKABLE (1u << 1)
#define UAPI_VFIO_IRQ_INFO_AUTOMASKED (1u << 2)
#define UAPI_VFIO_IRQ_INFO_NORESIZE (1u << 3)

struct uapi_vfio_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};

#define UAPI_VFIO_IRQ_SET_DATA_NONE (1u << 0)
#define UAPI_VFIO_IRQ_SET_DATA_BOOL (1u << 1)
#define UAPI_VFIO_IRQ_SET_DATA_EVENTFD (1u << 2)
#define UAPI_VFIO_IRQ_SET_ACTION_MASK (1u << 3)
#define UAPI_VFIO_IRQ_SET_ACTION_UNMASK (1u << 4)
#define UAPI_VFIO_IRQ_SET_ACTION_TRIGGER (1u << 5)

struct uapi_vfio_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	uint8_t data[];
};

#define UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN (1u << 0)

struct uapi_vfio_device_bind_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t iommufd;
	uint32_t out_devid;
	uapi_u64 token_uuid_ptr; /* with BIND_FLAG_TOKEN (Linux 6.17) */
};

#define UAPI_VFIO_DEVICE_ATTACH_PASID (1u << 0)

struct uapi_vfio_device_attach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pt_id; /* in: IOAS/HWPT, out: the HWPT actually attached */
	uint32_t pasid; /* with ATTACH_PASID (Linux 6.15) */
};

#define UAPI_VFIO_DEVICE_DETACH_PASID (1u << 0)

struct uapi_vfio_device_detach_iommufd_pt {
	uint32_t argsz;
	uint32_t flags;
	uint32_t pasid;
};

#endif
