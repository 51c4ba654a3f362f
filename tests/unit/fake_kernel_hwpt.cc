// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's IOMMU_HWPT_ALLOC and IOMMU_HWPT_INVALIDATE
// (hw_pagetable.c), each check in the kernel's order and per release; the
// nested domain and its IOTLB follow the selftest mock.
#include "fake_hwpt.h"
#include "fake_kernel_cmds.h"
#include "fake_viommu.h"

namespace fake {
namespace {

constexpr uint32_t kNestedIotlbIdMax = 3;
constexpr uint32_t kInvalidateAll = 1;
constexpr uint32_t kInvalidateEntryNumMax = 1u << 19;

const DevIommu kDefaultIommu{};

const DevIommu &IommuOf(const Object &dev)
{
	return dev.iommu ? *dev.iommu : kDefaultIommu;
}

// The flags a paging domain takes in release @kver (6.6 takes none).  6.12
// takes a fault queue on nested HWPTs only, 7.2 on both; PASID is 6.15.
uint32_t PagingFlags(uint32_t kver)
{
	uint32_t flags = UAPI_HWPT_ALLOC_NEST_PARENT | UAPI_HWPT_ALLOC_DIRTY_TRACKING;

	if (kver >= Kver(6, 15))
		flags |= UAPI_HWPT_FAULT_ID_VALID | UAPI_HWPT_ALLOC_PASID;
	return flags;
}

uint32_t NestedFlags(uint32_t kver)
{
	uint32_t flags = kver >= Kver(6, 11) ? UAPI_HWPT_FAULT_ID_VALID : 0;

	return kver >= Kver(6, 15) ? flags | UAPI_HWPT_ALLOC_PASID : flags;
}

// __iommu_copy_struct_from_user(): between @min bytes and the kernel's
// @ksize; longer is EINVAL even when the extra bytes are zero.
int CopyStruct(const void *uptr, uint32_t len, uint32_t min, uint32_t ksize, void *out)
{
	if (len < min || len > ksize)
		return -EINVAL;
	if (!uptr)
		return -EFAULT;
	std::memcpy(out, uptr, len);
	return 0;
}

uint32_t NewHwpt(Ictx &ictx, ObjType type, uint32_t parent, HwptState st)
{
	const uint32_t id = ictx.NextId();
	Object obj{type, Ioas{}};

	obj.parent = parent;
	obj.hwpt = std::make_shared<HwptState>(st);
	ictx.objects[id] = obj;
	ictx.objects[parent].refs++; // the HWPT holds its parent
	return id;
}

int AllocPaging(Ucmd &u, const uapi_hwpt_alloc &c, const DevIommu &iommu, Object &ioas_obj,
		HwptState *st)
{
	if (c.flags & ~PagingFlags(u.fk.kver()))
		return -EOPNOTSUPP;
	if ((c.flags & UAPI_HWPT_ALLOC_DIRTY_TRACKING) && !iommu.dirty)
		return -EOPNOTSUPP;
	if ((c.flags & UAPI_HWPT_FAULT_ID_VALID) && (c.flags & UAPI_HWPT_ALLOC_NEST_PARENT))
		return -EOPNOTSUPP;
	// This IOMMU takes neither vendor data for paging nor nesting parents
	// unless it nests.
	if (c.data_len || ((c.flags & UAPI_HWPT_ALLOC_NEST_PARENT) && !iommu.nesting))
		return -EOPNOTSUPP;
	st->dirty_ops = c.flags & UAPI_HWPT_ALLOC_DIRTY_TRACKING;
	st->dirty_page = iommu.page_size;
	// iopt_table_add_domain(): the domain's page size joins the alignment.
	ioas_obj.ioas.iova_alignment = std::max(ioas_obj.ioas.iova_alignment, iommu.page_size);
	return 0;
}

// The kernel's struct of a vendor's nested data.
uint32_t VendorSize(uint32_t data_type)
{
	switch (data_type) {
	case UAPI_HWPT_DATA_VTD_S1:
		return sizeof(uapi_hwpt_vtd_s1);
	case UAPI_HWPT_DATA_ARM_SMMUV3:
		return sizeof(uapi_hwpt_arm_smmuv3);
	case UAPI_HWPT_DATA_AMD_GUEST:
		return sizeof(uapi_hwpt_amd_guest);
	}
	return 0;
}

// On a NEST_PARENT HWPT, or (6.13) through a vIOMMU, which stands on one.
int AllocNested(Ucmd &u, const uapi_hwpt_alloc &c, const DevIommu &iommu, const Object &parent,
		HwptState *st)
{
	uint32_t iotlb = 0;
	// The mock's struct iommu_hwpt_selftest grew pagetable_type in 7.x;
	// another vendor's struct is taken whole.
	const bool mock = c.data_type == UAPI_HWPT_DATA_SELFTEST;
	const uint32_t ksize = mock ? (u.fk.kver() >= Kver(7, 0) ? 8 : 4) : VendorSize(c.data_type);
	const bool viommu = parent.type == ObjType::kViommu;

	if ((c.flags & ~NestedFlags(u.fk.kver())) || !c.data_len || !iommu.nesting)
		return -EOPNOTSUPP;
	if (!viommu && !(parent.hwpt && (parent.hwpt->flags & UAPI_HWPT_ALLOC_NEST_PARENT)))
		return -EINVAL;
	if (c.data_type != iommu.nested_type)
		return -EOPNOTSUPP;
	unsigned char data[sizeof(uapi_hwpt_amd_guest)] = {};
	int rc = CopyStruct(reinterpret_cast<const void *>(static_cast<uintptr_t>(c.data_uptr)),
			    c.data_len, mock ? 4 : ksize, ksize, data);
	if (rc)
		return rc;
	std::memcpy(&iotlb, data, sizeof(iotlb));
	st->iotlb.fill(iotlb);
	return 0;
}

} // namespace

uint32_t AddIommuDevice(FakeKernel &fk, const DevIommu &iommu)
{
	Ictx &ictx = fk.ictx();
	const uint32_t id = ictx.NextId();
	Object dev{ObjType::kDevice, Ioas{}};

	dev.refs = 1; // its driver holds it bound
	dev.iommu = std::make_shared<DevIommu>(iommu);
	ictx.objects[id] = dev;
	return id;
}

HwptState *FindHwpt(FakeKernel &fk, uint32_t id)
{
	auto it = fk.ictx().objects.find(id);

	return it == fk.ictx().objects.end() ? nullptr : it->second.hwpt.get();
}

void ReleaseHwpt(Ictx &ictx, const Object &obj)
{
	auto parent = ictx.objects.find(obj.parent);

	if (obj.hwpt && parent != ictx.objects.end() && parent->second.refs)
		parent->second.refs--;
}

// iommufd_hwpt_alloc()
int HwptAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_alloc>();
	const uint32_t kver = u.fk.kver();
	HwptState st;

	if (c.reserved || (kver < Kver(6, 7) && c.flags))
		return -EOPNOTSUPP;
	if ((c.data_type == UAPI_HWPT_DATA_NONE && c.data_len) ||
	    (c.data_type != UAPI_HWPT_DATA_NONE && !c.data_len))
		return -EINVAL;
	auto dev = u.ictx.objects.find(c.dev_id);
	if (dev == u.ictx.objects.end() || dev->second.type != ObjType::kDevice)
		return -ENOENT;
	auto pt = u.ictx.objects.find(c.pt_id);
	if (pt == u.ictx.objects.end())
		return -EINVAL;
	const DevIommu &iommu = IommuOf(dev->second);
	ObjType type;
	int rc;
	if (pt->second.type == ObjType::kIoas) {
		type = ObjType::kHwptPaging;
		rc = AllocPaging(u, c, iommu, pt->second, &st);
	} else if (pt->second.type == ObjType::kHwptPaging ||
		   (pt->second.type == ObjType::kViommu && kver >= Kver(6, 13))) {
		type = ObjType::kHwptNested;
		rc = AllocNested(u, c, iommu, pt->second, &st);
	} else {
		return -EINVAL;
	}
	if (rc)
		return rc;
	if (c.flags & UAPI_HWPT_FAULT_ID_VALID) {
		auto fault = u.ictx.objects.find(c.fault_id);
		if (fault == u.ictx.objects.end() || fault->second.type != ObjType::kFault)
			return -ENOENT;
		st.fault_id = c.fault_id;
	}
	st.flags = c.flags;
	c.out_hwpt_id = NewHwpt(u.ictx, type, c.pt_id, st);
	if (st.fault_id) { // the HWPT holds its fault queue until destroyed
		u.ictx.objects[st.fault_id].refs++;
		u.ictx.objects[c.out_hwpt_id].holds.push_back(st.fault_id);
	}
	return u.Respond(c);
}

namespace {

// The mock's cache_invalidate_user(): entries in order, stop at the first
// bad one; *done counts those handled.
int InvalidateNested(HwptState &st, const uapi_hwpt_invalidate &c, uint32_t *done)
{
	const auto *base = reinterpret_cast<const unsigned char *>(
		static_cast<uintptr_t>(c.data_uptr));

	if (c.data_type != UAPI_HWPT_INVALIDATE_DATA_SELFTEST)
		return -EINVAL;
	for (*done = 0; *done < c.entry_num; ++*done) {
		uint32_t inv[2];
		int rc = CopyStruct(base + static_cast<size_t>(*done) * c.entry_len, c.entry_len,
				    8, 8, inv);
		if (rc)
			return rc;
		if (inv[0] & ~kInvalidateAll)
			return -EOPNOTSUPP;
		if (inv[1] > kNestedIotlbIdMax)
			return -EINVAL;
		if (inv[0] & kInvalidateAll)
			st.iotlb.fill(0);
		else
			st.iotlb[inv[1]] = 0;
	}
	return 0;
}

int InvalidateObject(Ucmd &u, const uapi_hwpt_invalidate &c, uint32_t *done)
{
	const bool viommus = u.fk.kver() >= Kver(6, 13);
	auto it = u.ictx.objects.find(c.hwpt_id);

	// Before vIOMMUs the lookup asked for a nested HWPT only.
	if (it == u.ictx.objects.end() || (!viommus && it->second.type != ObjType::kHwptNested))
		return -ENOENT;
	if (it->second.type == ObjType::kViommu)
		return InvalidateViommu(u.ictx, c.hwpt_id, c, done);
	if (it->second.type != ObjType::kHwptNested || !it->second.hwpt)
		return -EINVAL;
	return InvalidateNested(*it->second.hwpt, c, done);
}

} // namespace

// iommufd_hwpt_invalidate(): entry_num goes back as the count handled,
// on failure too.
int HwptInvalidate(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_invalidate>();
	const bool capped = u.fk.kver() >= Kver(6, 12);
	uint32_t done = 0;
	int rc;

	if (c.reserved)
		rc = -EOPNOTSUPP;
	else if (c.entry_num && (!c.data_uptr || !c.entry_len || c.entry_len > kPageSize ||
				 (capped && c.entry_num > kInvalidateEntryNumMax)))
		rc = -EINVAL;
	else
		rc = InvalidateObject(u, c, &done);
	c.entry_num = done;
	u.Respond(c);
	return rc;
}

} // namespace fake
