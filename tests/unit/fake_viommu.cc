// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's vIOMMU side (selftest.c's mock vIOMMU, main.c's mmap).
#include "fake_viommu.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fake_hwpt.h"

extern "C" {
#include "sys.h"
#include "uapi/iommufd_test_abi.h"
}

namespace fake {
namespace {

constexpr uint32_t kInvalidateAll = UAPI_IOMMU_TEST_INVALIDATE_FLAG_ALL;
constexpr uint32_t kCacheIdMax = 3; // MOCK_DEV_CACHE_ID_MAX

const void *Uptr(uint64_t p) { return reinterpret_cast<const void *>(static_cast<uintptr_t>(p)); }

// mtree_alloc_range() from PAGE_SIZE on: the lowest gap of @len among the
// regions the context's vIOMMUs offer.
uint64_t FreeMmapOffset(const Ictx &ictx, uint64_t len)
{
	uint64_t off = kPageSize;

	for (bool moved = true; moved;) {
		moved = false;
		for (const auto &entry : ictx.objects) {
			const VirtState *v = entry.second.virt.get();

			if (entry.second.type != ObjType::kViommu || !v || !v->mmap_offset)
				continue;
			if (off < v->mmap_offset + v->mmap_length && v->mmap_offset < off + len) {
				off = v->mmap_offset + v->mmap_length;
				moved = true;
			}
		}
	}
	return off;
}

// copy_struct_from_user(): zero-extend a short source, refuse non-zero
// bytes past the kernel's struct.
int CopyStructFromUser(void *dst, size_t ksize, const unsigned char *src, size_t usize)
{
	std::memset(dst, 0, ksize);
	for (size_t i = ksize; i < usize; i++)
		if (src[i])
			return -E2BIG;
	std::memcpy(dst, src, std::min(ksize, usize));
	return 0;
}

Object *FindObject(Ictx &ictx, uint32_t id, ObjType type)
{
	auto it = ictx.objects.find(id);

	return it == ictx.objects.end() || it->second.type != type ? nullptr : &it->second;
}

// The vDEVICE of vIOMMU @viommu_id with @virt_id (the vIOMMU's xarray).
const Object *VdeviceOf(const Ictx &ictx, uint32_t viommu_id, uint64_t virt_id)
{
	for (const auto &entry : ictx.objects) {
		const Object &o = entry.second;

		if (o.type == ObjType::kVdevice && o.holds[0] == viommu_id && o.virt &&
		    o.virt->virt_id == virt_id)
			return &o;
	}
	return nullptr;
}

// iommufd_viommu_find_dev(): the device of the vDEVICE with @virt_id.
Object *DeviceOfVirtId(Ictx &ictx, uint32_t viommu_id, uint64_t virt_id)
{
	const Object *vdev = VdeviceOf(ictx, viommu_id, virt_id);

	return vdev ? FindObject(ictx, vdev->holds[1], ObjType::kDevice) : nullptr;
}

// mock_viommu_cache_invalidate(): the whole array is copied first, then
// handled in order up to the first bad entry.
int InvalidateMock(Ictx &ictx, uint32_t viommu_id, const uapi_hwpt_invalidate &c,
		   uint32_t *done)
{
	const auto *base = static_cast<const unsigned char *>(Uptr(c.data_uptr));
	std::vector<uapi_viommu_invalidate_selftest> cmds(c.entry_num);

	if (!c.entry_num && c.data_type == UAPI_VIOMMU_INVALIDATE_DATA_SELFTEST)
		return 0;
	if (c.data_type != UAPI_VIOMMU_INVALIDATE_DATA_SELFTEST || !c.entry_num)
		return -EINVAL;
	for (uint32_t i = 0; i < c.entry_num; i++) {
		int rc = CopyStructFromUser(&cmds[i], sizeof(cmds[i]),
					    base + static_cast<size_t>(i) * c.entry_len, c.entry_len);
		if (rc)
			return rc;
	}
	for (const auto &cmd : cmds) {
		if (cmd.flags & ~kInvalidateAll)
			return -EOPNOTSUPP;
		if (cmd.cache_id > kCacheIdMax)
			return -EINVAL;
		Object *dev = DeviceOfVirtId(ictx, viommu_id, cmd.vdev_id);
		if (!dev)
			return -EINVAL;
		if (cmd.flags & kInvalidateAll)
			Virt(*dev).cache.fill(0);
		else
			Virt(*dev).cache[cmd.cache_id] = 0;
		++*done;
	}
	return 0;
}

FakeIommufdMmap *active_layer = nullptr;

int SeamMmap(void *, size_t len, int prot, int flags, int fd, uint64_t off, void **addr)
{
	return active_layer->Mmap(len, prot, flags, fd, off, addr);
}

int SeamMunmap(void *, void *addr, size_t len) { return active_layer->Munmap(addr, len); }

} // namespace

VirtState &Virt(Object &obj)
{
	if (!obj.virt)
		obj.virt = std::make_shared<VirtState>();
	return *obj.virt;
}

int ViommuInit(Ictx &ictx, const uapi_viommu_alloc &c, VirtState *st)
{
	uapi_viommu_selftest data;
	auto *user = const_cast<void *>(Uptr(c.data_uptr));

	// Only the mock's type reads data (the fake's other types ignore it).
	if (!c.data_len || c.type != UAPI_VIOMMU_TYPE_SELFTEST)
		return 0;
	// __iommu_copy_struct_from_user(): from the first release's last
	// member (out_data) to the kernel's struct, longer refused even if zero.
	if (c.data_len < offsetof(uapi_viommu_selftest, out_mmap_offset) ||
	    c.data_len > sizeof(data))
		return -EINVAL;
	if (!user)
		return -EFAULT;
	CopyStructFromUser(&data, sizeof(data), static_cast<unsigned char *>(user), c.data_len);
	st->mmap_length = kViommuMmapLength;
	st->mmap_offset = FreeMmapOffset(ictx, st->mmap_length);
	st->page_word = data.in_data;
	data.out_data = data.in_data;
	data.out_mmap_offset = st->mmap_offset;
	data.out_mmap_length = st->mmap_length;
	std::memcpy(user, &data, c.data_len);
	return 0;
}

bool VirtIdTaken(const Ictx &ictx, uint32_t viommu_id, uint64_t virt_id)
{
	return VdeviceOf(ictx, viommu_id, virt_id) != nullptr;
}

int HwQueueIndex(const Ictx &ictx, uint32_t viommu_id, uint32_t index,
		 std::vector<uint32_t> *holds)
{
	uint32_t prev = 0;

	if (index >= kHwQueueMax)
		return -EINVAL;
	for (const auto &entry : ictx.objects) {
		const Object &o = entry.second;

		if (o.type != ObjType::kHwQueue || o.holds[0] != viommu_id || !o.virt)
			continue;
		if (o.virt->index == index)
			return -EEXIST;
		if (index && o.virt->index == index - 1)
			prev = entry.first;
	}
	if (index && !prev)
		return -EIO;
	if (prev)
		holds->push_back(prev); // iommufd_hw_queue_depend()
	return 0;
}

int InvalidateViommu(Ictx &ictx, uint32_t viommu_id, const uapi_hwpt_invalidate &c,
		     uint32_t *done)
{
	const Object *viommu = FindObject(ictx, viommu_id, ObjType::kViommu);
	const uint32_t type = viommu->iommu->viommu_inv_type;

	if (type == UAPI_VIOMMU_INVALIDATE_DATA_SELFTEST)
		return InvalidateMock(ictx, viommu_id, c, done);
	// Another vendor's entries are not modelled: its type is checked (a
	// zero-entry call) and entries are refused.
	return c.data_type != type ? -EINVAL : c.entry_num ? -EOPNOTSUPP : 0;
}

std::array<uint32_t, 4> DevCache(FakeKernel &fk, uint32_t dev_id)
{
	Object *dev = FindObject(fk.ictx(), dev_id, ObjType::kDevice);

	if (!dev) {
		std::fprintf(stderr, "fake kernel: no device %u\n", dev_id);
		std::abort();
	}
	return Virt(*dev).cache;
}

const VirtState &VirtOf(FakeKernel &fk, uint32_t id)
{
	auto it = fk.ictx().objects.find(id);

	if (it == fk.ictx().objects.end() || !it->second.virt) {
		std::fprintf(stderr, "fake kernel: object %u has no vIOMMU state\n", id);
		std::abort();
	}
	return *it->second.virt;
}

// ---- mmap of the iommufd ------------------------------------------------------

FakeIommufdMmap::FakeIommufdMmap(FakeKernel &fk) : fk_(fk), ops_(new ifd_sys_ops{}) {}

FakeIommufdMmap::~FakeIommufdMmap()
{
	Uninstall();
	for (const Mapping &m : maps_)
		munmap(m.addr, m.len);
	delete ops_;
}

// The layer passes everything else on: its ops are the fake kernel's, with
// mmap and munmap of its own.
void FakeIommufdMmap::Install()
{
	if (next_)
		return;
	if (active_layer) {
		std::fprintf(stderr, "fake kernel: one iommufd mmap layer at a time\n");
		std::abort();
	}
	next_ = ifd_sys_get();
	*ops_ = *next_;
	ops_->mmap = SeamMmap;
	ops_->munmap = SeamMunmap;
	active_layer = this;
	ifd_sys_set(ops_);
}

void FakeIommufdMmap::Uninstall()
{
	if (!next_)
		return;
	if (ifd_sys_get() == ops_)
		ifd_sys_set(next_);
	next_ = nullptr;
	active_layer = nullptr;
}

// iommufd_fops_mmap() behind the mmap(2) checks.
int FakeIommufdMmap::Mmap(size_t len, int prot, int flags, int fd, uint64_t off, void **addr)
{
	mmaps_++;
	if (mmap_error_) {
		const int err = mmap_error_;
		mmap_error_ = 0;
		return -err;
	}
	if (!fk_.IsIommufd(fd))
		return next_->mmap ? next_->mmap(next_->priv, len, prot, flags, fd, off, addr)
				   : -ENODEV;
	if (fk_.kver() < Kver(6, 17))
		return -ENODEV; // no mmap in iommufd_fops
	if (!len || off % kPageSize)
		return -EINVAL;
	if (!(flags & MAP_SHARED))
		return -EINVAL;
	if (prot & PROT_EXEC)
		return -EPERM;
	const uint64_t length = (len + kPageSize - 1) / kPageSize * kPageSize;
	for (auto &entry : fk_.ictx(fd).objects) {
		const VirtState *v = entry.second.virt.get();

		if (entry.second.type != ObjType::kViommu || !v || !v->mmap_offset ||
		    v->mmap_offset != off || v->mmap_length != length)
			continue;
		void *p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		std::memcpy(p, &v->page_word, sizeof(v->page_word));
		entry.second.refs++; // the mapping holds its vIOMMU
		maps_.push_back({p, static_cast<size_t>(length), fd, entry.first});
		*addr = p;
		return 0;
	}
	return -ENXIO;
}

int FakeIommufdMmap::Munmap(void *addr, size_t len)
{
	munmaps_++;
	for (auto it = maps_.begin(); it != maps_.end(); ++it) {
		if (it->addr != addr)
			continue;
		if (len != it->len)
			return -EINVAL; // partial unmaps are not modelled
		munmap(it->addr, it->len);
		if (fk_.IsIommufd(it->fd)) {
			auto obj = fk_.ictx(it->fd).objects.find(it->viommu_id);
			if (obj != fk_.ictx(it->fd).objects.end() && obj->second.refs)
				obj->second.refs--;
		}
		maps_.erase(it);
		return 0;
	}
	return next_->munmap ? next_->munmap(next_->priv, addr, len) : -EINVAL;
}

} // namespace fake
