// SPDX-License-Identifier: LGPL-2.1-or-later
#include "fake_iopt.h"

#include <algorithm>
#include <cerrno>

namespace fake {
namespace {

bool Intersects(const Range &r, uint64_t start, uint64_t last)
{
	return r.start <= last && start <= r.last;
}

// Sorted union; touching runs merge, as interval_tree_span_iter sees them.
std::vector<Range> Merge(std::vector<Range> v)
{
	std::vector<Range> out;

	std::sort(v.begin(), v.end(), [](const Range &a, const Range &b) { return a.start < b.start; });
	for (const Range &r : v) {
		if (!out.empty() && (out.back().last == UINT64_MAX || r.start <= out.back().last + 1))
			out.back().last = std::max(out.back().last, r.last);
		else
			out.push_back(r);
	}
	return out;
}

// The holes of sorted, merged @used inside [first, last].
std::vector<Range> Holes(const std::vector<Range> &used, uint64_t first, uint64_t last)
{
	std::vector<Range> out;
	uint64_t cur = first;

	for (const Range &u : used) {
		if (u.last < cur)
			continue;
		if (u.start > last)
			break;
		if (u.start > cur)
			out.push_back({cur, u.start - 1});
		if (u.last >= last)
			return out;
		cur = u.last + 1;
	}
	out.push_back({cur, last});
	return out;
}

std::vector<Range> Used(const Ioas &ioas)
{
	std::vector<Range> used = ioas.reserved;

	for (const auto &entry : ioas.areas)
		used.push_back({entry.second.iova, entry.second.last});
	return Merge(used);
}

uint64_t RoundupPow2(uint64_t x)
{
	return x <= 1 ? 1 : uint64_t{1} << (64 - __builtin_clzll(x - 1));
}

// __alloc_iova_check_range()
bool CheckRange(uint64_t *start, uint64_t last, uint64_t length, uint64_t alignment,
		uint64_t page_offset)
{
	uint64_t aligned;

	if (__builtin_add_overflow(*start, alignment - 1, &aligned))
		return false;
	aligned &= ~(alignment - 1);
	aligned |= page_offset;
	if (aligned >= last || last - aligned < length - 1)
		return false;
	*start = aligned;
	return true;
}

// iopt_alloc_iova(): the first fitting hole, never IOVA 0.
int AllocIova(const Ioas &ioas, uint64_t addr, uint64_t length, uint64_t *iova)
{
	const uint64_t page_offset = addr % kPageSize;
	std::vector<Range> windows;
	uint64_t alignment;

	if (length == 0 || length >= UINT64_MAX / 2)
		return -EOVERFLOW;
	alignment = RoundupPow2(length);
	if (addr)
		alignment = std::min(alignment, addr & -addr);
	if (alignment >= kHugePageSize)
		alignment = kHugePageSize;
	if (alignment < ioas.iova_alignment)
		return -EINVAL;

	if (ioas.allowed.empty())
		windows.push_back({kPageSize, UINT64_MAX - kPageSize});
	for (const Range &r : Merge(ioas.allowed))
		if (Intersects(r, kPageSize, UINT64_MAX - kPageSize))
			windows.push_back({std::max(r.start, kPageSize),
					   std::min(r.last, UINT64_MAX - kPageSize)});

	const std::vector<Range> used = Used(ioas);
	for (const Range &w : windows) {
		uint64_t start = w.start;

		if (!CheckRange(&start, w.last, length, alignment, page_offset))
			continue;
		for (const Range &hole : Holes(used, start, w.last)) {
			uint64_t hstart = hole.start;

			if (CheckRange(&hstart, hole.last, length, alignment, page_offset)) {
				*iova = hstart;
				return 0;
			}
		}
	}
	return -ENOSPC;
}

// iopt_check_iova()
int CheckIova(const Ioas &ioas, uint64_t iova, uint64_t length)
{
	uint64_t last;

	if (iova & (ioas.iova_alignment - 1))
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	for (const Range &r : ioas.reserved)
		if (Intersects(r, iova, last))
			return -EINVAL;
	for (const auto &entry : ioas.areas)
		if (Intersects({entry.second.iova, entry.second.last}, iova, last))
			return -EEXIST;
	return 0;
}

// The mapping with the lowest IOVA that intersects [start, last].
const Area *FirstArea(const Ioas &ioas, uint64_t start, uint64_t last)
{
	auto it = ioas.areas.upper_bound(start);

	if (it != ioas.areas.begin() && std::prev(it)->second.last >= start)
		return &std::prev(it)->second;
	if (it != ioas.areas.end() && it->second.iova <= last)
		return &it->second;
	return nullptr;
}

} // namespace

std::vector<Range> IovaHoles(const Ioas &ioas)
{
	return Holes(Merge(ioas.reserved), 0, UINT64_MAX);
}

int MapPages(Ioas &ioas, const std::vector<Pages> &pages, uint64_t length, bool fixed,
	     uint64_t *iova, bool write)
{
	const uint64_t mask = ioas.iova_alignment - 1;
	std::vector<Area> areas;
	uint64_t start = *iova;
	int rc;

	if ((length & mask) || !length)
		return -EINVAL;
	rc = fixed ? CheckIova(ioas, start, length) : AllocIova(ioas, pages[0].addr, length, &start);
	if (rc)
		return rc;

	uint64_t cur = start;
	for (const Pages &p : pages) { // iopt_insert_area()
		Area a{cur, 0, p.addr, p.file, p.writable};

		if (write && !p.writable)
			return -EPERM;
		if ((p.addr % kPageSize) & mask)
			return -EINVAL;
		if (__builtin_add_overflow(cur, p.length - 1, &a.last))
			return -EOVERFLOW;
		areas.push_back(a);
		cur += p.length;
	}
	for (const Area &a : areas)
		ioas.areas[a.iova] = a;
	*iova = start;
	return 0;
}

int GetPages(const Ioas &ioas, uint64_t iova, uint64_t length, std::vector<Pages> *out)
{
	uint64_t last_iova;
	uint64_t cur = iova;

	if (!length)
		return -EINVAL;
	if (__builtin_add_overflow(iova, length - 1, &last_iova))
		return -EOVERFLOW;
	for (const Area *a = FirstArea(ioas, cur, cur); a && a->iova <= cur;
	     a = FirstArea(ioas, cur, cur)) {
		uint64_t last = std::min(last_iova, a->last);

		out->push_back({a->addr + (cur - a->iova), last - cur + 1, a->file, a->writable});
		if (last_iova <= a->last)
			return 0;
		cur = a->last + 1;
	}
	out->clear();
	return -ENOENT;
}

int UnmapRange(Ioas &ioas, uint64_t start, uint64_t last, uint64_t *unmapped)
{
	int rc = 0;

	*unmapped = 0;
	while (const Area *a = FirstArea(ioas, start, last)) {
		const uint64_t area_first = a->iova, area_last = a->last;

		if (area_first < start || area_last > last) {
			rc = -ENOENT;
			break;
		}
		*unmapped += area_last - area_first + 1;
		ioas.areas.erase(area_first);
		if (area_last >= last)
			break;
		start = area_last + 1;
	}
	return rc;
}

int SetAllowed(Ioas &ioas, std::vector<Range> allowed)
{
	for (const Range &a : allowed)
		for (const Range &r : ioas.reserved)
			if (Intersects(r, a.start, a.last))
				return -EADDRINUSE;
	ioas.allowed = std::move(allowed);
	return 0;
}

} // namespace fake
