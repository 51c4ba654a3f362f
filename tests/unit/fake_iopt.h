// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's IOVA space: what io_pagetable.c does for an IOAS.
#pragma once

#include <vector>

#include "fake_kernel.h"

namespace fake {

// A run of pages headed for a mapping (the kernel's iopt_pages_list entry).
struct Pages {
	uint64_t addr; // user VA or file offset of the first byte
	uint64_t length;
	bool file;
	bool writable;
};

// The usable IOVA ranges: the holes between reserved regions.
std::vector<Range> IovaHoles(const Ioas &ioas);

// iopt_map_pages(): place @pages (in order, back to back) at *iova, or at
// an IOVA the kernel picks when !fixed.  Nothing changes on failure.
int MapPages(Ioas &ioas, const std::vector<Pages> &pages, uint64_t length,
	     bool fixed, uint64_t *iova, bool write);

// iopt_get_pages(): the pages behind [iova, iova + length); ENOENT unless
// contiguous mappings cover all of it.
int GetPages(const Ioas &ioas, uint64_t iova, uint64_t length, std::vector<Pages> *out);

// iopt_unmap_iova_range(): unmap the mappings inside [start, last], in IOVA
// order; a mapping that crosses the edge stops the walk with ENOENT, the
// ones before it stay unmapped.
int UnmapRange(Ioas &ioas, uint64_t start, uint64_t last, uint64_t *unmapped);

// iopt_set_allow_iova().
int SetAllowed(Ioas &ioas, std::vector<Range> allowed);

} // namespace fake
