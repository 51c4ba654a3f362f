// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's vIOMMU commands and the fault queue.  The fake has no
// vIOMMUs, so these run the checks that come before the object lookup and
// then fail it with ENOENT, as a kernel does for an ID that does not
// exist.  FAULT_QUEUE_ALLOC needs no device and works.  The HWPT commands
// and GET_HW_INFO live in fake_kernel_hwpt.cc, fake_kernel_dirty.cc and
// fake_kernel_hw_info.cc.
#include "fake_kernel_cmds.h"

namespace fake {

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
