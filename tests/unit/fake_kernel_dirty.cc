// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's dirty tracking: IOMMU_HWPT_SET_DIRTY_TRACKING and
// IOMMU_HWPT_GET_DIRTY_BITMAP (hw_pagetable.c, io_pagetable.c,
// iova_bitmap.c), with the kernel's checks and its way of reporting: bits
// are only ever set, at @data's bit 0 for @iova, and the walk stops
// silently at the first IOVA no mapping covers.
#include "fake_hwpt.h"
#include "fake_kernel_cmds.h"

namespace fake {
namespace {

HwptState *PagingHwpt(Ucmd &u, uint32_t id)
{
	auto it = u.ictx.objects.find(id);

	if (it == u.ictx.objects.end() || it->second.type != ObjType::kHwptPaging ||
	    !it->second.hwpt)
		return nullptr;
	return it->second.hwpt.get();
}

// iommufd_check_iova_range()
int CheckRange(uint32_t kver, const Ioas &ioas, const uapi_hwpt_get_dirty_bitmap &c)
{
	const uint64_t align = ioas.iova_alignment;
	uint64_t last;

	if (!c.length && kver < Kver(7, 0))
		return -EINVAL;
	if (__builtin_add_overflow(c.iova, c.length - 1, &last))
		return -EOVERFLOW;
	if ((c.iova & (align - 1)) || ((last + 1) & (align - 1)))
		return -EINVAL;
	if (!c.page_size)
		return -EINVAL;
	if ((c.iova & (c.page_size - 1)) || ((last + 1) & (c.page_size - 1)))
		return -EINVAL;
	return 0;
}

// iova_bitmap_set() of [start, last] into the user's bitmap.
void SetBits(const uapi_hwpt_get_dirty_bitmap &c, uint64_t start, uint64_t last)
{
	auto *bytes = reinterpret_cast<unsigned char *>(static_cast<uintptr_t>(c.data));

	for (uint64_t bit = (start - c.iova) / c.page_size; bit <= (last - c.iova) / c.page_size;
	     bit++)
		bytes[bit / 8] |= static_cast<unsigned char>(1u << (bit % 8));
}

// Report (and clear) the dirty pages inside [start, last].
void ReadDirty(HwptState &st, const uapi_hwpt_get_dirty_bitmap &c, uint64_t start, uint64_t last)
{
	const uint64_t first_page = start - start % st.dirty_page;

	for (auto it = st.dirty.lower_bound(first_page); it != st.dirty.end() && *it <= last;) {
		SetBits(c, std::max(*it, start), std::min(*it + st.dirty_page - 1, last));
		if (c.flags & UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR)
			++it;
		else
			it = st.dirty.erase(it);
	}
}

// __iommu_read_and_clear_dirty(): contiguous areas from c.iova on.
void WalkAreas(HwptState &st, const Ioas &ioas, const uapi_hwpt_get_dirty_bitmap &c)
{
	const uint64_t last = c.iova + c.length - 1;
	uint64_t cur = c.iova;
	auto it = ioas.areas.upper_bound(cur);

	if (it == ioas.areas.begin())
		return;
	for (--it; it != ioas.areas.end() && it->second.iova <= cur && cur <= last; ++it) {
		if (it->second.last < cur)
			return;
		const uint64_t end = std::min(last, it->second.last);
		ReadDirty(st, c, cur, end);
		if (end == last)
			return;
		cur = end + 1;
	}
}

} // namespace

bool MarkDirty(FakeKernel &fk, uint32_t id, uint64_t iova, uint64_t length)
{
	HwptState *st = FindHwpt(fk, id);

	if (!st || !st->tracking)
		return false;
	for (uint64_t a = iova - iova % st->dirty_page; a < iova + length; a += st->dirty_page)
		st->dirty.insert(a);
	return true;
}

int HwptSetDirtyTracking(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_set_dirty_tracking>();
	HwptState *st;

	if (c.flags & ~UAPI_HWPT_DIRTY_TRACKING_ENABLE)
		return -EOPNOTSUPP;
	if (!(st = PagingHwpt(u, c.hwpt_id)))
		return -ENOENT;
	if (!st->dirty_ops)
		return -EOPNOTSUPP;
	st->tracking = c.flags & UAPI_HWPT_DIRTY_TRACKING_ENABLE;
	if (st->tracking)
		st->dirty.clear(); // a clean snapshot to start from
	return 0;
}

int HwptGetDirtyBitmap(Ucmd &u)
{
	auto c = u.Get<uapi_hwpt_get_dirty_bitmap>();
	HwptState *st;

	if ((c.flags & ~UAPI_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) || c.reserved)
		return -EOPNOTSUPP;
	auto it = u.ictx.objects.find(c.hwpt_id);
	if (!(st = PagingHwpt(u, c.hwpt_id)))
		return -ENOENT;
	const Ioas *ioas = u.ictx.FindIoas(it->second.parent);
	if (!ioas)
		return -ENOENT;
	if (int rc = CheckRange(u.fk.kver(), *ioas, c))
		return rc;
	if (!st->dirty_ops)
		return -EOPNOTSUPP;
	st->reads.push_back({c.iova, c.length, c.page_size, c.data, c.flags});
	WalkAreas(*st, *ioas, c);
	return 0;
}

} // namespace fake
