// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The fake kernel's vIOMMU side, modelled on the selftest mock
// (drivers/iommu/iommufd/selftest.c): the vIOMMU data loopback and the
// page it offers to mmap, vDEVICE virtual IDs, the device cache a vIOMMU
// invalidation clears, the HW queue index rules, and mmap of the iommufd
// (a seam layer).  The command handlers of fake_kernel_dev.cc and
// fake_kernel_hwpt.cc call in here.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "fake_kernel.h"

extern "C" {
#include "uapi/iommufd_abi.h"
}

struct ifd_sys_ops;

namespace fake {

inline constexpr uint32_t kDevCacheDefault = 0xbaddad; // IOMMU_TEST_DEV_CACHE_DEFAULT
inline constexpr uint32_t kHwQueueMax = 2;             // IOMMU_TEST_HW_QUEUE_MAX
inline constexpr uint64_t kViommuMmapLength = 2 * kPageSize; // the mock offers two pages

// The vIOMMU side of one object.
struct VirtState {
	// kViommu: the region it offers to mmap (0: none) and its first word.
	uint64_t mmap_offset = 0;
	uint64_t mmap_length = 0;
	uint32_t page_word = 0;
	// kDevice: the mock's device cache (MOCK_DEV_CACHE_NUM entries).
	std::array<uint32_t, 4> cache{kDevCacheDefault, kDevCacheDefault, kDevCacheDefault,
				      kDevCacheDefault};
	uint64_t virt_id = 0; // kVdevice
	uint32_t index = 0;   // kHwQueue
};

// ---- for the command handlers -----------------------------------------------

// mock_viommu_init(): with data, copy it in (EINVAL outside the struct's
// bounds, EFAULT without a pointer), offer a page to mmap and write the
// data back.  @st receives the vIOMMU's state.
int ViommuInit(Ictx &ictx, const uapi_viommu_alloc &c, VirtState *st);
// A vDEVICE of vIOMMU @viommu_id has @virt_id already (xa_insert: EEXIST).
bool VirtIdTaken(const Ictx &ictx, uint32_t viommu_id, uint64_t virt_id);
// mock_hw_queue_init_phys(): queue @index of vIOMMU @viommu_id, in order
// (EINVAL past the last, EEXIST taken, EIO the previous one missing); a
// queue holds the one before it, which @holds receives.
int HwQueueIndex(const Ictx &ictx, uint32_t viommu_id, uint32_t index,
		 std::vector<uint32_t> *holds);
// The vIOMMU's cache_invalidate op; *@done counts the entries handled.
int InvalidateViommu(Ictx &ictx, uint32_t viommu_id, const uapi_hwpt_invalidate &c,
		     uint32_t *done);
// The object's VirtState, made on first use.
VirtState &Virt(Object &obj);

// ---- for the tests ----------------------------------------------------------

// The mock's device cache of device @dev_id of the most recent iommufd.
std::array<uint32_t, 4> DevCache(FakeKernel &fk, uint32_t dev_id);
// The VirtState of object @id of the most recent iommufd; aborts if none.
const VirtState &VirtOf(FakeKernel &fk, uint32_t id);

// mmap of an iommufd: a seam layer over the installed fake kernel.  From
// 6.17 on the region a vIOMMU offered maps (anonymous memory whose first
// word is the page's) and holds the vIOMMU until unmapped; before, ENODEV.
class FakeIommufdMmap {
public:
	explicit FakeIommufdMmap(FakeKernel &fk);
	~FakeIommufdMmap();
	FakeIommufdMmap(const FakeIommufdMmap &) = delete;
	FakeIommufdMmap &operator=(const FakeIommufdMmap &) = delete;

	void Install();   // over the fake kernel, which must be installed
	void Uninstall();
	unsigned mmaps() const { return mmaps_; }   // calls, whatever their fate
	unsigned munmaps() const { return munmaps_; }
	size_t mapped() const { return maps_.size(); }
	void FailNextMmap(int err) { mmap_error_ = err; }

	int Mmap(size_t len, int prot, int flags, int fd, uint64_t off, void **addr);
	int Munmap(void *addr, size_t len);

private:
	struct Mapping {
		void *addr;
		size_t len;
		int fd;
		uint32_t viommu_id;
	};
	FakeKernel &fk_;
	ifd_sys_ops *ops_;
	const ifd_sys_ops *next_ = nullptr;
	std::vector<Mapping> maps_;
	unsigned mmaps_ = 0, munmaps_ = 0;
	int mmap_error_ = 0;
};

} // namespace fake
