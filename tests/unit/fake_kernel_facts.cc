// SPDX-License-Identifier: LGPL-2.1-or-later
#include "fake_kernel_facts.h"

namespace fake {
namespace {

constexpr uint32_t V(unsigned major, unsigned minor) { return Kver(major, minor); }

// Hand-written from the kernels: the minimum is offsetofend() of the member
// IOCTL_OP() names; the sizes are sizeof() of the struct in each release.
constexpr CmdFacts kFacts[kNrCmds] = {
	{0x80, "IOMMU_DESTROY", 8, {{V(6, 2), 8}}},
	{0x81, "IOMMU_IOAS_ALLOC", 12, {{V(6, 2), 12}}},
	{0x82, "IOMMU_IOAS_ALLOW_IOVAS", 24, {{V(6, 2), 24}}},
	{0x83, "IOMMU_IOAS_COPY", 40, {{V(6, 2), 40}}},
	{0x84, "IOMMU_IOAS_IOVA_RANGES", 32, {{V(6, 2), 32}}},
	{0x85, "IOMMU_IOAS_MAP", 40, {{V(6, 2), 40}}},
	{0x86, "IOMMU_IOAS_UNMAP", 24, {{V(6, 2), 24}}},
	{0x87, "IOMMU_OPTION", 24, {{V(6, 2), 24}}},
	{0x88, "IOMMU_VFIO_IOAS", 12, {{V(6, 2), 12}}},
	// data_type/data_len/data_uptr came with nesting, fault_id with IOPF.
	{0x89, "IOMMU_HWPT_ALLOC", 24, {{V(6, 6), 24}, {V(6, 7), 40}, {V(6, 11), 48}}},
	// out_capabilities came with dirty tracking.
	{0x8a, "IOMMU_GET_HW_INFO", 32, {{V(6, 6), 32}, {V(6, 7), 40}}},
	{0x8b, "IOMMU_HWPT_SET_DIRTY_TRACKING", 16, {{V(6, 7), 16}}},
	{0x8c, "IOMMU_HWPT_GET_DIRTY_BITMAP", 48, {{V(6, 7), 48}}},
	{0x8d, "IOMMU_HWPT_INVALIDATE", 32, {{V(6, 8), 32}}},
	{0x8e, "IOMMU_FAULT_QUEUE_ALLOC", 16, {{V(6, 11), 16}}},
	{0x8f, "IOMMU_IOAS_MAP_FILE", 40, {{V(6, 13), 40}}},
	// data_len/__reserved/data_uptr came with the HW queues.
	{0x90, "IOMMU_VIOMMU_ALLOC", 24, {{V(6, 13), 24}, {V(6, 17), 40}}},
	{0x91, "IOMMU_VDEVICE_ALLOC", 24, {{V(6, 13), 24}}},
	{0x92, "IOMMU_IOAS_CHANGE_PROCESS", 8, {{V(6, 14), 8}}},
	// The minimum stops before the trailing __reserved.
	{0x93, "IOMMU_VEVENTQ_ALLOC", 28, {{V(6, 15), 32}}},
	{0x94, "IOMMU_HW_QUEUE_ALLOC", 40, {{V(6, 17), 40}}},
};

} // namespace

uint32_t ProfileKver(Profile p)
{
	switch (p) {
	case Profile::Linux6_2: return V(6, 2);
	case Profile::Linux6_6: return V(6, 6);
	case Profile::Linux6_7: return V(6, 7);
	case Profile::Linux6_11: return V(6, 11);
	case Profile::Linux6_12: return V(6, 12);
	case Profile::Linux7_2: return V(7, 2);
	}
	return 0;
}

std::string ProfileName(Profile p)
{
	uint32_t v = ProfileKver(p);
	return "Linux" + std::to_string(v >> 8) + "_" + std::to_string(v & 0xff);
}

void PrintTo(Profile p, std::ostream *os) { *os << ProfileName(p); }

const CmdFacts *FactsFor(uint32_t nr)
{
	if (nr < kFirstCmd || nr > kLastCmd)
		return nullptr;
	return &kFacts[nr - kFirstCmd];
}

bool CmdKnown(uint32_t kver, uint32_t nr) { return CmdSize(kver, nr) != 0; }

uint32_t CmdSize(uint32_t kver, uint32_t nr)
{
	const CmdFacts *f = FactsFor(nr);
	uint32_t size = 0;

	for (unsigned i = 0; f && i < 3 && f->steps[i].release; i++)
		if (f->steps[i].release <= kver)
			size = f->steps[i].size;
	return size;
}

uint32_t CmdRelease(uint32_t nr)
{
	const CmdFacts *f = FactsFor(nr);
	return f ? f->steps[0].release : 0;
}

uint32_t ReleaseCovering(uint32_t nr, uint32_t end)
{
	const CmdFacts *f = FactsFor(nr);

	for (unsigned i = 0; f && i < 3 && f->steps[i].release; i++)
		if (f->steps[i].size >= end)
			return f->steps[i].release;
	return 0;
}

std::string ReleaseString(uint32_t kver)
{
	return std::to_string(kver >> 8) + "." + std::to_string(kver & 0xff);
}

uint32_t NewestVisibleRelease(uint32_t kver)
{
	uint32_t newest = 0;

	for (const CmdFacts &f : kFacts)
		for (const SizeStep &s : f.steps)
			if (s.release && s.release <= kver && s.release > newest)
				newest = s.release;
	return newest;
}

} // namespace fake
