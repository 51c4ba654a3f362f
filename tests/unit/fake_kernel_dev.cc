// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's device-bound commands.  The fake has no devices, no
// HWPTs and no vIOMMUs, so these run the checks that come before the
// object lookup and then fail it with ENOENT, as a kernel does for an ID
// that does not exist.  FAULT_QUEUE_ALLOC needs no device and works.
#include "fake_kernel_cmds.h"

namespace fake {

int HwptAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_alloc>();

	if (c.reserved || (u.fk.kver() < Kver(6, 7) && c.flags))
		return -EOPNOTSUPP;
	if ((c.data_type == UAPI_HWPT_DATA_NONE && c.data_len) ||
	    (c.data_type != UAPI_HWPT_DATA_NONE && !c.data_len))
		return -EINVAL;
	return -ENOENT; // iommufd_get_device(dev_id)
}

int GetHwInfo(Ucmd &u)
{
	auto c = u.Get<uapi_hw_info>();
	const uint32_t flags_known = u.fk.kver() >= Kver(6, 16) ? UAPI_HW_INFO_FLAG_INPUT_TYPE : 0;
	// Before 6.12 out_max_pasid_log2 was part of a u32 __reserved.
	const bool reserved_set = c.reserved[0] || c.reserved[1] || c.reserved[2] ||
				  (u.fk.kver() < Kver(6, 12) && c.out_max_pasid_log2);

	if ((c.flags & ~flags_known) || reserved_set)
		return -EOPNOTSUPP;
	return -ENOENT; // iommufd_get_device(dev_id)
}

int HwptSetDirtyTracking(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_set_dirty_tracking>();

	if (c.flags & ~UAPI_HWPT_DIRTY_TRACKING_ENABLE)
		return -EOPNOTSUPP;
	return -ENOENT; // iommufd_get_hwpt_paging(hwpt_id)
}

int HwptGetDirtyBitmap(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_get_dirty_bitmap>();

	if ((c.flags & ~UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) || c.reserved)
		return -EOPNOTSUPP;
	return -ENOENT; // iommufd_get_hwpt_paging(hwpt_id)
}

int HwptInvalidate(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_invalidate>();

	if (c.reserved)
		return -EOPNOTSUPP;
	if (c.entry_num && (!c.data_uptr || !c.entry_len || c.entry_len > kPageSize))
		return -EINVAL;
	auto it = u.ictx.objects.find(c.hwpt_id);
	if (it == u.ictx.objects.end())
		return -ENOENT;
	return -EINVAL; // neither a nested HWPT nor a vIOMMU
}

int FaultQueueAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_fault_alloc>();

	if (c.flags)
		return -EOPNOTSUPP;
	c.out_fault_id = u.ictx.NextId();
	c.out_fault_fd = static_cast<uint32_t>(u.fk.NewEventFd());
	u.ictx.objects[c.out_fault_id] = Object{ObjType::kFault, Ioas{}};
	return u.Respond(c);
}

int ViommuAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_viommu_alloc>();

	if (c.flags || c.type == UAPI_VIOMMU_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	return -ENOENT; // iommufd_get_device(dev_id)
}

int VdeviceAlloc(Ucmd &)
{
	return -ENOENT; // iommufd_get_viommu(viommu_id)
}

int VeventqAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_veventq_alloc>();

	if (c.flags || c.reserved || c.type == UAPI_VEVENTQ_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	if (!c.veventq_depth || c.veventq_depth > (1u << 19))
		return -EINVAL;
	return -ENOENT; // iommufd_get_viommu(viommu_id)
}

int HwQueueAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_hw_queue_alloc>();
	uint64_t last;

	if (c.flags || c.type == UAPI_HW_QUEUE_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	if (!c.length)
		return -EINVAL;
	if (__builtin_add_overflow(c.nesting_parent_iova, c.length - 1, &last))
		return -EOVERFLOW;
	return -ENOENT; // iommufd_get_viommu(viommu_id)
}

} // namespace fake
