// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake VFIO device's ioctls, after drivers/vfio (device_cdev.c,
// vfio_main.c, iommufd.c) and vfio-pci's handlers, release by release.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fake_vfio.h"

extern "C" {
#include "sys.h"
#include "uapi/vfio_abi.h"
}

namespace fake {

namespace {

constexpr uint32_t kBindMin = offsetof(uapi_vfio_device_bind_iommufd, token_uuid_ptr);
constexpr uint32_t kAttachMin = offsetof(uapi_vfio_device_attach_iommufd_pt, pasid);
constexpr uint32_t kDetachMin = offsetof(uapi_vfio_device_detach_iommufd_pt, pasid);
constexpr uint32_t kIrqSetMin = sizeof(uapi_vfio_irq_set);
constexpr int kRegionShift = 40;

uint32_t Argsz(const void *arg)
{
	uint32_t argsz;
	std::memcpy(&argsz, arg, sizeof(argsz));
	return argsz;
}

// copy_struct_from_user(): zero-extend, E2BIG for non-zero bytes past ours.
template <class T> int CopyStruct(T *dst, const void *arg, uint32_t usize)
{
	const auto *u = static_cast<const unsigned char *>(arg);

	for (uint32_t i = sizeof(T); i < usize; i++)
		if (u[i])
			return -E2BIG;
	std::memset(dst, 0, sizeof(T));
	std::memcpy(dst, arg, std::min<uint32_t>(usize, sizeof(T)));
	return 0;
}

// vfio_info_cap_add(): append an 8-byte aligned capability; its next stays
// 0 and the previous one's next is set when the chain is laid out.
void AddCap(std::vector<uint8_t> &caps, const void *cap, size_t len)
{
	const size_t at = caps.size();

	caps.resize(at + ((len + 7) & ~size_t{7}), 0);
	std::memcpy(caps.data() + at, cap, len);
}

// Link the capabilities (laid one after another, sizes known) with offsets
// from the buffer start: the kernel's vfio_info_cap_shift().
void LinkCaps(std::vector<uint8_t> &caps, const std::vector<size_t> &starts, uint32_t base)
{
	for (size_t i = 0; i + 1 < starts.size(); i++) {
		uint32_t next = base + static_cast<uint32_t>(starts[i + 1]);
		std::memcpy(caps.data() + starts[i] + 4, &next, sizeof(next));
	}
}

std::vector<uint8_t> RegionCaps(const VfioRegion &r, uint32_t base)
{
	std::vector<uint8_t> caps;
	std::vector<size_t> starts;

	if (r.sparse) {
		uapi_vfio_region_info_cap_sparse_mmap hdr = {};
		hdr.header = {UAPI_VFIO_REGION_INFO_CAP_SPARSE_MMAP, 1, 0};
		hdr.nr_areas = static_cast<uint32_t>(r.areas.size());
		std::vector<uint8_t> bytes(sizeof(hdr) + r.areas.size() * sizeof(VfioArea));
		std::memcpy(bytes.data(), &hdr, sizeof(hdr));
		std::memcpy(bytes.data() + sizeof(hdr), r.areas.data(), r.areas.size() * sizeof(VfioArea));
		starts.push_back(caps.size());
		AddCap(caps, bytes.data(), bytes.size());
	}
	if (r.typed) {
		uapi_vfio_region_info_cap_type t = {{UAPI_VFIO_REGION_INFO_CAP_TYPE, 1, 0}, r.type,
						    r.subtype};
		starts.push_back(caps.size());
		AddCap(caps, &t, sizeof(t));
	}
	if (r.msix_mappable) {
		uapi_vfio_info_cap_header h = {UAPI_VFIO_REGION_INFO_CAP_MSIX_MAPPABLE, 1, 0};
		starts.push_back(caps.size());
		AddCap(caps, &h, sizeof(h));
	}
	LinkCaps(caps, starts, base);
	return caps;
}

// The reply of GET_INFO / GET_REGION_INFO: caps that do not fit raise argsz
// and leave cap_offset 0; otherwise they follow the struct.
template <class T>
void PlaceCaps(T &info, void *arg, const std::vector<uint8_t> &caps, uint32_t first,
	       uint32_t caps_flag, bool insatiable)
{
	info.cap_offset = 0;
	if (caps.empty())
		return;
	info.flags |= caps_flag;
	if (insatiable || info.argsz < sizeof(T) + caps.size()) {
		info.argsz = insatiable ? info.argsz + 8 : static_cast<uint32_t>(sizeof(T) + caps.size());
		return;
	}
	std::memcpy(static_cast<unsigned char *>(arg) + sizeof(T), caps.data(), caps.size());
	info.cap_offset = first;
}

} // namespace

int FakeVfio::Ioctl(int fd, unsigned long request, void *arg)
{
	VfioFile *f = File(fd);

	if (!f)
		return next_->ioctl(next_->priv, fd, request, arg);
	ioctls_++;
	per_request_[request]++;
	if (arg && request != UAPI_VFIO_DEVICE_RESET)
		argsz_[request].push_back(Argsz(arg));
	if (fail_at_ && ioctls_ == fail_at_) {
		fail_at_ = 0;
		return -fail_err_;
	}
	if (!HasCdev() && (request == UAPI_VFIO_DEVICE_BIND_IOMMUFD ||
			   request == UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT ||
			   request == UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT))
		return -ENOTTY;
	if (request == UAPI_VFIO_DEVICE_BIND_IOMMUFD)
		return Bind(*f, arg);
	if (!f->bound)
		return -EINVAL;
	switch (request) {
	case UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT: return Attach(*f, arg);
	case UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT: return Detach(*f, arg);
	case UAPI_VFIO_DEVICE_GET_INFO: return GetInfo(*f, arg);
	case UAPI_VFIO_DEVICE_GET_REGION_INFO: return GetRegionInfo(*f, arg);
	case UAPI_VFIO_DEVICE_GET_IRQ_INFO: return GetIrqInfo(*f, arg);
	case UAPI_VFIO_DEVICE_SET_IRQS: return SetIrqs(*f, arg);
	case UAPI_VFIO_DEVICE_RESET: return Reset(*f);
	default: return -ENOTTY;
	}
}

// vfio_df_ioctl_bind_iommufd() of 6.6..6.16 and of 6.17+.
int FakeVfio::Bind(VfioFile &f, void *arg)
{
	const bool token_kernel = fk_.kver() >= Kver(6, 17);
	uapi_vfio_device_bind_iommufd b = {};
	const uint32_t usize = Argsz(arg);

	if (usize < kBindMin)
		return -EINVAL;
	if (token_kernel) {
		if (int rc = CopyStruct(&b, arg, usize))
			return rc;
		if (b.iommufd < 0 || (b.flags & ~UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN))
			return -EINVAL;
	} else {
		std::memcpy(&b, arg, kBindMin);
		if (b.flags || b.iommufd < 0)
			return -EINVAL;
	}
	if (f.bound)
		return -EINVAL;
	if (token_kernel) { // vfio_pci_core_match_token_uuid()
		const bool given = b.flags & UAPI_VFIO_DEVICE_BIND_FLAG_TOKEN;
		if (!f.dev->vf_token_set && given)
			return -EINVAL;
		if (f.dev->vf_token_set && (!given || !b.token_uuid_ptr ||
					    std::memcmp(reinterpret_cast<const void *>(b.token_uuid_ptr),
							f.dev->vf_token.data(), 16)))
			return -EACCES;
	}
	if (!fk_.IsOpen(b.iommufd))
		return -EBADF;
	if (!fk_.IsIommufd(b.iommufd))
		return -EBADFD;
	Ictx &ictx = fk_.ictx(b.iommufd);
	f.dev_id = ictx.NextId();
	ictx.objects[f.dev_id] = Object{ObjType::kDevice, Ioas{}, 0, 1};
	f.iommufd = b.iommufd;
	f.bound = true;
	if (f.dev->model)
		f.dev->model->Bound(f);
	std::memcpy(static_cast<unsigned char *>(arg) + offsetof(uapi_vfio_device_bind_iommufd, out_devid),
		    &f.dev_id, sizeof(f.dev_id));
	return 0;
}

// iommufd_device_change_pt(): an IOAS gets its automatic HWPT (one per
// IOAS, shared by the devices attached to it), a HWPT is used as is.
int FakeVfio::FindHwpt(VfioFile &f, uint32_t pt_id, uint32_t *hwpt)
{
	Ictx &ictx = fk_.ictx(f.iommufd);
	auto it = ictx.objects.find(pt_id);

	if (it == ictx.objects.end())
		return -ENOENT;
	if (it->second.type == ObjType::kHwptPaging || it->second.type == ObjType::kHwptNested) {
		*hwpt = pt_id;
		return 0;
	}
	if (it->second.type != ObjType::kIoas)
		return -EINVAL;
	for (const auto &a : auto_hwpts_)
		if (a.first == f.iommufd && ictx.objects.count(a.second) &&
		    ictx.objects[a.second].parent == pt_id) {
			*hwpt = a.second;
			return 0;
		}
	*hwpt = ictx.NextId();
	ictx.objects[*hwpt] = Object{ObjType::kHwptPaging, Ioas{}, pt_id, 0};
	ictx.objects[pt_id].refs++; // the HWPT holds its IOAS
	auto_hwpts_.insert({f.iommufd, *hwpt});
	return 0;
}

void FakeVfio::DropHwpt(VfioFile &f, uint32_t hwpt)
{
	if (!hwpt || !fk_.IsIommufd(f.iommufd))
		return;
	Ictx &ictx = fk_.ictx(f.iommufd);
	auto it = ictx.objects.find(hwpt);
	if (it == ictx.objects.end() || !it->second.refs || --it->second.refs)
		return;
	if (auto_hwpts_.erase({f.iommufd, hwpt})) {
		auto parent = ictx.objects.find(it->second.parent);
		if (parent != ictx.objects.end() && parent->second.refs)
			parent->second.refs--;
		ictx.objects.erase(it);
	}
}

// Attach or replace: the new HWPT is taken before the old one is dropped.
int FakeVfio::AttachPt(VfioFile &f, uint32_t *pt_id, uint32_t pasid, bool is_pasid)
{
	uint32_t hwpt = 0;
	int rc = FindHwpt(f, *pt_id, &hwpt);

	if (rc)
		return rc;
	fk_.ictx(f.iommufd).objects[hwpt].refs++;
	uint32_t &slot = is_pasid ? f.pasids[pasid] : f.hwpt;
	DropHwpt(f, slot);
	slot = hwpt;
	*pt_id = hwpt;
	return 0;
}

// vfio_df_ioctl_attach_pt(): the PASID flag from 6.15.
int FakeVfio::Attach(VfioFile &f, void *arg)
{
	uapi_vfio_device_attach_iommufd_pt a = {};

	std::memcpy(&a, arg, kAttachMin);
	if (a.argsz < kAttachMin)
		return -EINVAL;
	const bool pasid_kernel = fk_.kver() >= Kver(6, 15);
	const uint32_t known = pasid_kernel ? UAPI_VFIO_DEVICE_ATTACH_PASID : 0;
	if (a.flags & ~known)
		return -EINVAL;
	const bool is_pasid = a.flags & UAPI_VFIO_DEVICE_ATTACH_PASID;
	if (is_pasid) {
		if (!f.dev->pasid_ops)
			return -EOPNOTSUPP;
		if (a.argsz < sizeof(a))
			return -EINVAL;
		std::memcpy(&a, arg, sizeof(a));
	}
	int rc = AttachPt(f, &a.pt_id, a.pasid, is_pasid);
	if (rc) {
		if (is_pasid && !f.pasids[a.pasid])
			f.pasids.erase(a.pasid); // the kernel's ida_free()
		return rc;
	}
	std::memcpy(static_cast<unsigned char *>(arg) + offsetof(uapi_vfio_device_attach_iommufd_pt, pt_id),
		    &a.pt_id, sizeof(a.pt_id));
	return 0;
}

int FakeVfio::Detach(VfioFile &f, void *arg)
{
	uapi_vfio_device_detach_iommufd_pt d = {};

	std::memcpy(&d, arg, kDetachMin);
	if (d.argsz < kDetachMin)
		return -EINVAL;
	const uint32_t known = fk_.kver() >= Kver(6, 15) ? UAPI_VFIO_DEVICE_DETACH_PASID : 0;
	if (d.flags & ~known)
		return -EINVAL;
	if (!(d.flags & UAPI_VFIO_DEVICE_DETACH_PASID)) {
		DropHwpt(f, f.hwpt);
		f.hwpt = 0;
		if (f.dev->model)
			f.dev->model->Detached(f);
		return 0;
	}
	if (!f.dev->pasid_ops)
		return -EOPNOTSUPP;
	if (d.argsz < sizeof(d))
		return -EINVAL;
	std::memcpy(&d, arg, sizeof(d));
	auto it = f.pasids.find(d.pasid);
	if (it != f.pasids.end()) {
		DropHwpt(f, it->second);
		f.pasids.erase(it);
	}
	return 0;
}

void FakeVfio::Unbind(VfioFile &f)
{
	if (!f.bound)
		return;
	for (auto &p : f.pasids)
		DropHwpt(f, p.second);
	f.pasids.clear();
	DropHwpt(f, f.hwpt);
	f.hwpt = 0;
	if (fk_.IsIommufd(f.iommufd))
		fk_.ictx(f.iommufd).objects.erase(f.dev_id);
	f.bound = false;
}

// vfio_pci_ioctl_get_info(): the test's capability bytes follow the struct
// as they are (offsets included), so malformed chains can be served.
int FakeVfio::GetInfo(VfioFile &f, void *arg)
{
	uapi_vfio_device_info info = {};
	const uint32_t minsz = offsetof(uapi_vfio_device_info, cap_offset);

	std::memcpy(&info, arg, minsz);
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = f.dev->flags;
	info.num_regions = static_cast<uint32_t>(f.dev->regions.size());
	info.num_irqs = static_cast<uint32_t>(f.dev->irqs.size());
	PlaceCaps(info, arg, f.dev->info_caps, sizeof(info), UAPI_VFIO_DEVICE_FLAGS_CAPS, insatiable);
	std::memcpy(arg, &info, std::min<uint32_t>(Argsz(arg), sizeof(info)));
	return 0;
}

// vfio_get_region_info() with vfio-pci's get_region_info_caps().
int FakeVfio::GetRegionInfo(VfioFile &f, void *arg)
{
	uapi_vfio_region_info info = {};

	std::memcpy(&info, arg, sizeof(info));
	if (info.argsz < sizeof(info))
		return -EINVAL;
	if (info.index >= f.dev->regions.size() || f.dev->regions[info.index].absent)
		return -EINVAL;
	const VfioRegion &r = f.dev->regions[info.index];
	info.flags = r.flags;
	info.size = r.size;
	info.offset = static_cast<uint64_t>(info.index) << kRegionShift;
	const std::vector<uint8_t> caps = r.raw ? r.raw_caps : RegionCaps(r, sizeof(info));
	PlaceCaps(info, arg, caps, r.raw ? r.raw_first : sizeof(info),
		  UAPI_VFIO_REGION_INFO_FLAG_CAPS, insatiable);
	std::memcpy(arg, &info, sizeof(info));
	return 0;
}

int FakeVfio::GetIrqInfo(VfioFile &f, void *arg)
{
	uapi_vfio_irq_info info = {};

	std::memcpy(&info, arg, sizeof(info));
	if (info.argsz < sizeof(info) || info.index >= f.dev->irqs.size() ||
	    f.dev->irqs[info.index].absent)
		return -EINVAL;
	info.flags = f.dev->irqs[info.index].flags;
	info.count = f.dev->irqs[info.index].count;
	std::memcpy(arg, &info, sizeof(info));
	return 0;
}

// vfio_set_irqs_validate_and_prepare() and vfio-pci's trigger handling.
int FakeVfio::SetIrqs(VfioFile &f, void *arg)
{
	uapi_vfio_irq_set hdr = {};
	const uint32_t types = UAPI_VFIO_IRQ_SET_DATA_NONE | UAPI_VFIO_IRQ_SET_DATA_BOOL |
			       UAPI_VFIO_IRQ_SET_DATA_EVENTFD | UAPI_VFIO_IRQ_SET_ACTION_MASK |
			       UAPI_VFIO_IRQ_SET_ACTION_UNMASK | UAPI_VFIO_IRQ_SET_ACTION_TRIGGER;

	std::memcpy(&hdr, arg, sizeof(hdr));
	if (hdr.argsz < kIrqSetMin || hdr.index >= f.dev->irqs.size() ||
	    hdr.count >= UINT32_MAX - hdr.start || (hdr.flags & ~types))
		return -EINVAL;
	const uint32_t max = f.dev->irqs[hdr.index].absent ? 0 : f.dev->irqs[hdr.index].count;
	if (hdr.start >= max || hdr.start + hdr.count > max)
		return -EINVAL;
	if (hdr.flags == (UAPI_VFIO_IRQ_SET_DATA_NONE | UAPI_VFIO_IRQ_SET_ACTION_TRIGGER) &&
	    !hdr.count) {
		f.irq_fds.erase(hdr.index);
		return 0;
	}
	if (hdr.flags != (UAPI_VFIO_IRQ_SET_DATA_EVENTFD | UAPI_VFIO_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL; // the fake only knows what the library sends
	if (hdr.argsz - kIrqSetMin < hdr.count * sizeof(int32_t))
		return -EINVAL;
	std::vector<int32_t> fds(hdr.count);
	std::memcpy(fds.data(), static_cast<unsigned char *>(arg) + kIrqSetMin,
		    hdr.count * sizeof(int32_t));
	for (int32_t fd : fds)
		if (fd < -1 || not_eventfds.count(fd))
			return fd < -1 ? -EINVAL : -EBADF;
	std::vector<int32_t> &routed = f.irq_fds[hdr.index];
	routed.resize(max, -1);
	std::copy(fds.begin(), fds.end(), routed.begin() + hdr.start);
	return 0;
}

int FakeVfio::Reset(VfioFile &f)
{
	if (f.dev->reset_errno)
		return -f.dev->reset_errno;
	if (!(f.dev->flags & UAPI_VFIO_DEVICE_FLAGS_RESET))
		return -EINVAL;
	f.dev->resets++;
	if (f.dev->model)
		f.dev->model->Reset(f);
	return 0;
}

} // namespace fake
