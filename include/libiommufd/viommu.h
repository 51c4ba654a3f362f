/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The event side of nesting: a vIOMMU (the guest's view of one physical
 * IOMMU, on a NEST_PARENT HWPT), vDEVICEs (a device with the ID the guest
 * gives it), vIOMMU-targeted cache invalidation, and HW queues (guest
 * command queues the IOMMU reads directly).  vEVENTQs are in veventq.h.
 *
 * Each call needs a kernel with its command; on older kernels it fails with
 * -EOPNOTSUPP and a sentence naming the release.  iommufd_probe_device()
 * tells beforehand whether a device's IOMMU takes them.
 *
 * Thread safety: these calls may run concurrently on one context.
 */
#ifndef LIBIOMMUFD_VIOMMU_H
#define LIBIOMMUFD_VIOMMU_H

#include <libiommufd/ctx.h>

LIBIOMMUFD_BEGIN_DECLS

/* vIOMMU types (IOMMU_VIOMMU_TYPE_*). */
enum iommufd_viommu_type {
	IOMMUFD_VIOMMU_TYPE_DEFAULT = 0,        /* refused by current kernels */
	IOMMUFD_VIOMMU_TYPE_ARM_SMMUV3 = 1,
	IOMMUFD_VIOMMU_TYPE_TEGRA241_CMDQV = 2, /* data: struct iommufd_viommu_tegra241_cmdqv */
	IOMMUFD_VIOMMU_TYPE_SELFTEST = 0xdeadbeef, /* data: struct iommufd_viommu_selftest */
};

/* NVIDIA Tegra241 CMDQV vIOMMU data (written by the kernel): where to
 * mmap the VINTF's page 0 (iommufd_viommu_mmap()). */
struct iommufd_viommu_tegra241_cmdqv {
	uint64_t out_vintf_mmap_offset;
	uint64_t out_vintf_mmap_length;
};

/* The selftest mock's vIOMMU data: it copies @in_data to @out_data and to
 * the first word of the two pages it offers to mmap (Linux 6.17). */
struct iommufd_viommu_selftest {
	uint32_t in_data;
	uint32_t out_data;
	uint64_t out_mmap_offset;
	uint64_t out_mmap_length;
};

/*
 * struct iommufd_viommu_alloc_opts - options of iommufd_viommu_alloc().
 * @sz:       sizeof, set by IOMMUFD_OPTS().
 * @flags:    none defined yet; must be 0.
 * @data_len: bytes at @data; 0 exactly when @data is NULL.
 * @data:     type-specific data, read and written back by the kernel
 *            (Linux 6.17).
 */
struct iommufd_viommu_alloc_opts {
	size_t sz;
	uint32_t flags;
	uint32_t data_len;
	void *data;
};

/*
 * iommufd_viommu_alloc - allocate a vIOMMU of @type for the IOMMU behind
 * device @dev_id, translating through NEST_PARENT HWPT @hwpt_id
 * (IOMMU_VIOMMU_ALLOC).  Nested HWPTs may then take the vIOMMU as their
 * parent, and invalidations may target it.
 * @opts:      NULL for the defaults.
 * @viommu_id: receives its ID; iommufd_destroy() frees it.
 * Return: 0, or a negative errno: -EOPNOTSUPP (the IOMMU does not offer
 * @type, a flag, or "needs Linux 6.13"; data "needs Linux 6.17"), -EINVAL
 * (@hwpt_id is no nesting parent; data refused, e.g. not the length of
 * the type's struct, or @data_len set without @data), -ENOENT (no such
 * device or paging HWPT), -E2BIG, -EFAULT, -ENOMEM.  Linux 6.13.
 */
LIBIOMMUFD_API int iommufd_viommu_alloc(struct iommufd_ctx *ctx, uint32_t dev_id,
					uint32_t hwpt_id, uint32_t type,
					const struct iommufd_viommu_alloc_opts *opts,
					uint32_t *viommu_id);

/* The selftest mock's vIOMMU invalidation entries: cache entry @cache_id
 * (0..3) of the device whose vDEVICE has virtual ID @vdev_id; flags ALL
 * (1) invalidates all four. */
struct iommufd_viommu_selftest_invalidate {
	uint32_t flags;
	uint32_t vdev_id;
	uint32_t cache_id;
};

/*
 * iommufd_viommu_invalidate - invalidate caches the vIOMMU @viommu_id
 * covers (device caches, guest TLBs) with vendor entries
 * (IOMMU_HWPT_INVALIDATE): the vIOMMU form of iommufd_hwpt_invalidate(),
 * with the same arguments (@entries of @entry_len bytes each) and progress
 * report (*@entry_num).  @data_type: e.g.
 * IOMMUFD_INVALIDATE_DATA_VIOMMU_ARM_SMMUV3 or, for the mock,
 * IOMMUFD_INVALIDATE_DATA_SELFTEST with struct
 * iommufd_viommu_selftest_invalidate entries naming its device-cache
 * entries.
 * Return: as iommufd_hwpt_invalidate(), and -ENOENT when @viommu_id is no
 * vIOMMU; -EOPNOTSUPP ("needs Linux 6.13") on a kernel without vIOMMUs.
 * Linux 6.13.
 */
LIBIOMMUFD_API int iommufd_viommu_invalidate(struct iommufd_ctx *ctx, uint32_t viommu_id,
					     uint32_t data_type, const void *entries,
					     uint32_t entry_len, uint32_t *entry_num);

/*
 * iommufd_vdevice_alloc - tell the vIOMMU @viommu_id that device @dev_id
 * has the virtual ID @virt_id in the guest (IOMMU_VDEVICE_ALLOC): a
 * virtual StreamID (SMMUv3), a vRID (VT-d, AMD).  Events of the device
 * report @virt_id; invalidations name it.  One vDEVICE per device.
 * @vdevice_id: receives its ID; iommufd_destroy() frees it.
 * Return: 0, or a negative errno: -EEXIST (the device has one already,
 * or @virt_id is taken on the vIOMMU), -EINVAL (@virt_id refused by the
 * IOMMU, or the device is behind another IOMMU), -ENOENT (no such vIOMMU
 * or device), -EOPNOTSUPP ("needs Linux 6.13"), -ENOMEM.  Linux 6.13.
 */
LIBIOMMUFD_API int iommufd_vdevice_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id,
					 uint32_t dev_id, uint64_t virt_id,
					 uint32_t *vdevice_id);

/* HW queue types (IOMMU_HW_QUEUE_TYPE_*). */
enum iommufd_hw_queue_type {
	IOMMUFD_HW_QUEUE_TYPE_DEFAULT = 0, /* refused by current kernels */
	IOMMUFD_HW_QUEUE_TYPE_TEGRA241_CMDQV = 1,
	IOMMUFD_HW_QUEUE_TYPE_SELFTEST = 0xdeadbeef,
};

/*
 * iommufd_hw_queue_alloc - give the IOMMU a guest queue to read directly
 * (IOMMU_HW_QUEUE_ALLOC): queue @index of @type on vIOMMU @viommu_id, in
 * guest memory at [@nesting_parent_iova, + @length) of the IOAS under the
 * vIOMMU's nesting parent -- mapped there already; the queue pins it until
 * destroyed.
 * @hw_queue_id: receives its ID; iommufd_destroy() frees it.
 * Return: 0, or a negative errno: -EOPNOTSUPP (@type not offered, or
 * "needs Linux 6.17"), -EINVAL (@length 0, @index refused, misaligned),
 * -EOVERFLOW (the range wraps), -ENOENT (no such vIOMMU, or the range is
 * not mapped), -EBUSY, -ENOMEM.  Linux 6.17.
 */
LIBIOMMUFD_API int iommufd_hw_queue_alloc(struct iommufd_ctx *ctx, uint32_t viommu_id,
					  uint32_t type, uint32_t index,
					  uint64_t nesting_parent_iova, uint64_t length,
					  uint32_t *hw_queue_id);

/*
 * iommufd_viommu_mmap / _munmap - map what a vIOMMU offers at @offset
 * (from its data, e.g. out_vintf_mmap_offset) for @length bytes,
 * read-write and shared, from the context's fd into *@addr;
 * iommufd_viommu_munmap() unmaps the @length bytes at @addr.
 * Return: 0, or a negative errno: -ENXIO (@offset or @length not what
 * the kernel offered, or its vIOMMU is gone), -EINVAL (@length 0, or
 * @offset or @length not a multiple of the page size), -ENODEV (the
 * kernel cannot mmap iommufd: before Linux 6.17), -ENOMEM.  While mapped,
 * the vIOMMU cannot be destroyed (-EBUSY).  Linux 6.17.
 */
LIBIOMMUFD_API int iommufd_viommu_mmap(struct iommufd_ctx *ctx, uint64_t offset, size_t length,
				       void **addr);
LIBIOMMUFD_API int iommufd_viommu_munmap(struct iommufd_ctx *ctx, void *addr, size_t length);

LIBIOMMUFD_END_DECLS

#endif
