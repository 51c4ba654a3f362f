// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The fake kernel's HW page tables and what the IOMMU behind a device can
// do: IOMMU_HWPT_ALLOC (paging and nested), IOMMU_HWPT_INVALIDATE,
// IOMMU_HWPT_SET_DIRTY_TRACKING, IOMMU_HWPT_GET_DIRTY_BITMAP and
// IOMMU_GET_HW_INFO, with the checks of hw_pagetable.c, io_pagetable.c and
// device.c in the kernel's order and per release, and an IOMMU modelled on
// the selftest mock (nested IOTLB of four entries, dirty bits per page).
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "fake_kernel.h"

namespace fake {

// What the IOMMU behind one device can do (its driver's ops).
struct DevIommu {
	uint32_t hw_info_type = 0xfeedbeef;  // IOMMU_HW_INFO_TYPE_SELFTEST
	std::vector<uint8_t> hw_info;        // the vendor data of GET_HW_INFO
	uint64_t caps = 1;                   // out_capabilities (6.7+)
	uint8_t max_pasid_log2 = 0;          // out_max_pasid_log2 (6.12+)
	bool dirty = true;                   // IOMMU_CAP_DIRTY_TRACKING
	bool nesting = true;                 // can allocate nested domains
	uint32_t nested_type = 0xdead;       // the nested data type it takes
	uint64_t page_size = kPageSize;      // its IOMMU page size
	bool hw_info_fails = false;          // its hw_info op fails (EOPNOTSUPP)
	uint32_t alt_info_type = 0;          // another type GET_HW_INFO answers for
	                                     // (IOMMU_HW_INFO_FLAG_INPUT_TYPE), 0: none
	uint32_t viommu_type = 0xdeadbeef;   // the vIOMMU type it takes (SELFTEST), 0: none
	uint32_t viommu_inv_type = 0xdeadbeef; // its vIOMMU's invalidation entries
	uint32_t hw_queue_type = 0xdeadbeef; // the HW queue type its vIOMMU takes, 0: none
};

// One dirty-bitmap read as the fake saw it.
struct DirtyRead {
	uint64_t iova, length, page_size, data;
	uint32_t flags;
};

// A paging or nested HWPT.
struct HwptState {
	uint32_t flags = 0;       // IOMMU_HWPT_ALLOC_* as allocated
	uint32_t fault_id = 0;    // its fault queue, 0: none
	bool dirty_ops = false;   // allocated with DIRTY_TRACKING
	bool tracking = false;    // SET_DIRTY_TRACKING on
	uint64_t dirty_page = kPageSize; // granule of its dirty bits
	std::set<uint64_t> dirty; // IOVAs of dirty pages
	std::array<uint32_t, 4> iotlb{}; // nested: the mock's IOTLB
	std::vector<DirtyRead> reads;
};

inline constexpr uint32_t kSelftestHwInfo = 0xfeedbeef;
inline constexpr uint32_t kSelftestRegval = 0xdeadbeef;

// A device bound to the most recently opened iommufd, its IOMMU as @iommu
// says; returns its device ID.  A device bound some other way (a VFIO
// cdev) has the default DevIommu.
uint32_t AddIommuDevice(FakeKernel &fk, const DevIommu &iommu = DevIommu{});

// The HWPT @id of the most recently opened iommufd; nullptr if @id is not
// a HWPT allocated with IOMMU_HWPT_ALLOC.
HwptState *FindHwpt(FakeKernel &fk, uint32_t id);

// The mock's DIRTY op: mark [iova, iova + length) dirty in paging HWPT
// @id, page by page; false if it does not track (as the mock's EINVAL).
bool MarkDirty(FakeKernel &fk, uint32_t id, uint64_t iova, uint64_t length);

// The IOMMU of device @dev_id of @ictx (the default one for a device bound
// some other way); nullptr if @dev_id is no device.
const DevIommu *DeviceIommu(const Ictx &ictx, uint32_t dev_id);

// IOMMU_DESTROY of an object: drop the hold a HWPT has on its parent.
void ReleaseHwpt(Ictx &ictx, const Object &obj);

} // namespace fake
