// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's fault queue and vIOMMU commands (eventq.c, viommu.c):
// the checks that come before any lookup, then the objects themselves for
// a device whose IOMMU takes the type asked for (DevIommu), each holding
// what it refers to so IOMMU_DESTROY answers EBUSY in the kernel's cases.
// The HWPT commands and GET_HW_INFO live in fake_kernel_hwpt.cc,
// fake_kernel_dirty.cc and fake_kernel_hw_info.cc.
#include "fake_eventq.h"
#include "fake_hwpt.h"
#include "fake_iopt.h"
#include "fake_kernel_cmds.h"
#include "fake_viommu.h"

namespace fake {

int FaultQueueAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_fault_alloc>();

	if (c.flags)
		return -EOPNOTSUPP;
	c.out_fault_id = u.ictx.NextId();
	u.ictx.objects[c.out_fault_id] = Object{ObjType::kFault, Ioas{}};
	const int fd = u.fk.NewEventq(u.ictx, c.out_fault_id, 0, 0);
	if (fd < 0) {
		u.ictx.objects.erase(c.out_fault_id);
		return fd;
	}
	c.out_fault_fd = static_cast<uint32_t>(fd);
	return u.Respond(c);
}

namespace {

const DevIommu kDefaultIommu{};
constexpr uint32_t kVeventqDepthMax = 1u << 19;

Object *Find(Ictx &ictx, uint32_t id, ObjType type)
{
	auto it = ictx.objects.find(id);

	return it == ictx.objects.end() || it->second.type != type ? nullptr : &it->second;
}

// A new object of @type holding @holds; its ID.
uint32_t NewObject(Ictx &ictx, ObjType type, std::vector<uint32_t> holds)
{
	const uint32_t id = ictx.NextId();
	Object obj{type, Ioas{}};

	for (uint32_t held : holds)
		ictx.objects[held].refs++;
	obj.holds = std::move(holds);
	ictx.objects[id] = obj;
	return id;
}

bool HasVdevice(const Ictx &ictx, uint32_t dev_id)
{
	for (const auto &entry : ictx.objects)
		if (entry.second.type == ObjType::kVdevice && entry.second.holds.size() > 1 &&
		    entry.second.holds[1] == dev_id)
			return true;
	return false;
}

// A vIOMMU has one vEVENTQ per type.
bool HasVeventq(const Ictx &ictx, uint32_t viommu_id, uint32_t type)
{
	for (const auto &entry : ictx.objects)
		if (entry.second.type == ObjType::kVeventq && entry.second.holds[0] == viommu_id &&
		    entry.second.eventq->vevent_type == type)
			return true;
	return false;
}

} // namespace

const DevIommu *DeviceIommu(const Ictx &ictx, uint32_t dev_id)
{
	auto it = ictx.objects.find(dev_id);

	if (it == ictx.objects.end() || it->second.type != ObjType::kDevice)
		return nullptr;
	return it->second.iommu ? it->second.iommu.get() : &kDefaultIommu;
}

// iommufd_viommu_alloc_ioctl(): on a NEST_PARENT HWPT, which it holds; it
// keeps a copy of the device's IOMMU.  The mock's type loops its data back.
int ViommuAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_viommu_alloc>();
	VirtState virt;

	if (c.flags || c.type == UAPI_VIOMMU_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	const DevIommu *iommu = DeviceIommu(u.ictx, c.dev_id);
	if (!iommu)
		return -ENOENT;
	if (!iommu->viommu_type || c.type != iommu->viommu_type)
		return -EOPNOTSUPP;
	Object *parent = Find(u.ictx, c.hwpt_id, ObjType::kHwptPaging);
	if (!parent || !parent->hwpt)
		return -ENOENT;
	if (!(parent->hwpt->flags & UAPI_HWPT_ALLOC_NEST_PARENT))
		return -EINVAL;
	if (int rc = ViommuInit(u.ictx, c, &virt))
		return rc;
	c.out_viommu_id = NewObject(u.ictx, ObjType::kViommu, {c.hwpt_id});
	u.ictx.objects[c.out_viommu_id].iommu = std::make_shared<DevIommu>(*iommu);
	u.ictx.objects[c.out_viommu_id].virt = std::make_shared<VirtState>(virt);
	return u.Respond(c);
}

// iommufd_vdevice_alloc_ioctl(): one vDEVICE per device, one device per
// virt_id of a vIOMMU.
int VdeviceAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_vdevice_alloc>();

	if (!Find(u.ictx, c.viommu_id, ObjType::kViommu))
		return -ENOENT;
	if (!DeviceIommu(u.ictx, c.dev_id))
		return -ENOENT;
	if (HasVdevice(u.ictx, c.dev_id) || VirtIdTaken(u.ictx, c.viommu_id, c.virt_id))
		return -EEXIST;
	c.out_vdevice_id = NewObject(u.ictx, ObjType::kVdevice, {c.viommu_id, c.dev_id});
	Virt(u.ictx.objects[c.out_vdevice_id]).virt_id = c.virt_id;
	return u.Respond(c);
}

// iommufd_veventq_alloc(): one per vIOMMU and type.
int VeventqAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_veventq_alloc>();

	if (c.flags || c.reserved || c.type == UAPI_VEVENTQ_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	if (!c.veventq_depth || c.veventq_depth > kVeventqDepthMax)
		return -EINVAL;
	if (!Find(u.ictx, c.viommu_id, ObjType::kViommu))
		return -ENOENT;
	if (HasVeventq(u.ictx, c.viommu_id, c.type))
		return -EEXIST;
	c.out_veventq_id = NewObject(u.ictx, ObjType::kVeventq, {c.viommu_id});
	const int fd = u.fk.NewEventq(u.ictx, c.out_veventq_id, c.type, c.veventq_depth);
	if (fd < 0) {
		u.ictx.objects[c.viommu_id].refs--;
		u.ictx.objects.erase(c.out_veventq_id);
		return fd;
	}
	c.out_veventq_fd = static_cast<uint32_t>(fd);
	return u.Respond(c);
}

// iommufd_hw_queue_alloc_ioctl(): the queue's memory must be mapped in the
// IOAS under the vIOMMU's NEST_PARENT HWPT; the queue pins it (holds the
// IOAS).  The mock takes queue 0, then queue 1, which holds queue 0.
int HwQueueAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_hw_queue_alloc>();
	std::vector<Pages> pages;
	uint64_t last;
	int rc;

	if (c.flags || c.type == UAPI_HW_QUEUE_TYPE_DEFAULT)
		return -EOPNOTSUPP;
	if (!c.length)
		return -EINVAL;
	if (__builtin_add_overflow(c.nesting_parent_iova, c.length - 1, &last))
		return -EOVERFLOW;
	Object *viommu = Find(u.ictx, c.viommu_id, ObjType::kViommu);
	if (!viommu)
		return -ENOENT;
	if (!viommu->iommu->hw_queue_type || c.type != viommu->iommu->hw_queue_type)
		return -EOPNOTSUPP;
	const uint32_t ioas = u.ictx.objects[viommu->holds[0]].parent;
	if (GetPages(u.ictx.objects[ioas].ioas, c.nesting_parent_iova, c.length, &pages))
		return -ENOENT;
	std::vector<uint32_t> holds{c.viommu_id, ioas};
	if ((rc = HwQueueIndex(u.ictx, c.viommu_id, c.index, &holds)))
		return rc;
	c.out_hw_queue_id = NewObject(u.ictx, ObjType::kHwQueue, holds);
	Virt(u.ictx.objects[c.out_hw_queue_id]).index = c.index;
	return u.Respond(c);
}

} // namespace fake
