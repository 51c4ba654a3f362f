// SPDX-License-Identifier: LGPL-2.1-or-later
// The test matrix's kernels, as facts.  Sizes are sizeof() of each command
// struct in that kernel's include/uapi/linux/iommufd.h; the known commands
// are those of iommufd_ioctl_ops[] in its drivers/iommu/iommufd/main.c.
#include "kernel_facts.h"

#include <sys/utsname.h>

#include <cstdio>

namespace {

// Debian 12's 6.12: IOMMU_DESTROY (0x80) .. IOMMU_FAULT_QUEUE_ALLOC (0x8e).
// Its newest command and field (FAULT_QUEUE_ALLOC, hwpt_alloc.fault_id)
// came in 6.11.  Its mock stops at IOMMU_TEST_OP_TRIGGER_IOPF (15).
constexpr KernelFacts kLinux6_12 = {
	6, 12, 0x8e,
	{
		8,  // 0x80 IOMMU_DESTROY
		12, // 0x81 IOMMU_IOAS_ALLOC
		24, // 0x82 IOMMU_IOAS_ALLOW_IOVAS
		40, // 0x83 IOMMU_IOAS_COPY
		32, // 0x84 IOMMU_IOAS_IOVA_RANGES
		40, // 0x85 IOMMU_IOAS_MAP
		24, // 0x86 IOMMU_IOAS_UNMAP
		24, // 0x87 IOMMU_OPTION
		12, // 0x88 IOMMU_VFIO_IOAS
		48, // 0x89 IOMMU_HWPT_ALLOC
		40, // 0x8a IOMMU_GET_HW_INFO
		16, // 0x8b IOMMU_HWPT_SET_DIRTY_TRACKING
		48, // 0x8c IOMMU_HWPT_GET_DIRTY_BITMAP
		32, // 0x8d IOMMU_HWPT_INVALIDATE
		16, // 0x8e IOMMU_FAULT_QUEUE_ALLOC
		0, 0, 0, 0, 0, 0, // 0x8f..0x94 unknown
	},
	6, 11, 15,
};

// Debian unstable's 7.2: all 21 commands.  The newest command and field
// (HW_QUEUE_ALLOC, viommu_alloc.data_len/data_uptr) came in 6.17.  Its mock
// knows at least the 21 ops the testing module names.
constexpr KernelFacts kLinux7_2 = {
	7, 2, 0x94,
	{
		8,  // 0x80 IOMMU_DESTROY
		12, // 0x81 IOMMU_IOAS_ALLOC
		24, // 0x82 IOMMU_IOAS_ALLOW_IOVAS
		40, // 0x83 IOMMU_IOAS_COPY
		32, // 0x84 IOMMU_IOAS_IOVA_RANGES
		40, // 0x85 IOMMU_IOAS_MAP
		24, // 0x86 IOMMU_IOAS_UNMAP
		24, // 0x87 IOMMU_OPTION
		12, // 0x88 IOMMU_VFIO_IOAS
		48, // 0x89 IOMMU_HWPT_ALLOC
		40, // 0x8a IOMMU_GET_HW_INFO
		16, // 0x8b IOMMU_HWPT_SET_DIRTY_TRACKING
		48, // 0x8c IOMMU_HWPT_GET_DIRTY_BITMAP
		32, // 0x8d IOMMU_HWPT_INVALIDATE
		16, // 0x8e IOMMU_FAULT_QUEUE_ALLOC
		40, // 0x8f IOMMU_IOAS_MAP_FILE
		40, // 0x90 IOMMU_VIOMMU_ALLOC
		24, // 0x91 IOMMU_VDEVICE_ALLOC
		8,  // 0x92 IOMMU_IOAS_CHANGE_PROCESS
		32, // 0x93 IOMMU_VEVENTQ_ALLOC
		40, // 0x94 IOMMU_HW_QUEUE_ALLOC
	},
	6, 17, 21,
};

const char *const kNames[kNrCmds] = {
	"IOMMU_DESTROY",
	"IOMMU_IOAS_ALLOC",
	"IOMMU_IOAS_ALLOW_IOVAS",
	"IOMMU_IOAS_COPY",
	"IOMMU_IOAS_IOVA_RANGES",
	"IOMMU_IOAS_MAP",
	"IOMMU_IOAS_UNMAP",
	"IOMMU_OPTION",
	"IOMMU_VFIO_IOAS",
	"IOMMU_HWPT_ALLOC",
	"IOMMU_GET_HW_INFO",
	"IOMMU_HWPT_SET_DIRTY_TRACKING",
	"IOMMU_HWPT_GET_DIRTY_BITMAP",
	"IOMMU_HWPT_INVALIDATE",
	"IOMMU_FAULT_QUEUE_ALLOC",
	"IOMMU_IOAS_MAP_FILE",
	"IOMMU_VIOMMU_ALLOC",
	"IOMMU_VDEVICE_ALLOC",
	"IOMMU_IOAS_CHANGE_PROCESS",
	"IOMMU_VEVENTQ_ALLOC",
	"IOMMU_HW_QUEUE_ALLOC",
};

} // namespace

const Uname &RunningKernel()
{
	static const Uname u = [] {
		Uname r;
		struct utsname buf;

		if (uname(&buf) == 0) {
			r.release = buf.release;
			if (sscanf(buf.release, "%u.%u", &r.major, &r.minor) != 2)
				r.major = r.minor = 0;
		}
		return r;
	}();
	return u;
}

const KernelFacts *FactsForRunningKernel()
{
	const Uname &u = RunningKernel();

	for (const KernelFacts *f : { &kLinux6_12, &kLinux7_2 })
		if (f->major == u.major && f->minor == u.minor)
			return f;
	return nullptr;
}

const char *CmdName(uint32_t nr)
{
	return nr >= kFirstCmd && nr <= kLastCmdOfTable ? kNames[nr - kFirstCmd] : "?";
}
