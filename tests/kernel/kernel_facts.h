// SPDX-License-Identifier: LGPL-2.1-or-later
// What each kernel of the test matrix offers, written down independently of
// the library's command table: from the kernels' own uapi headers and
// sources (drivers/iommu/iommufd/main.c, include/uapi/linux/iommufd.h).
#pragma once

#include <cstdint>
#include <string>

inline constexpr uint32_t kFirstCmd = 0x80;
inline constexpr uint32_t kLastCmdOfTable = 0x94;
inline constexpr uint32_t kNrCmds = kLastCmdOfTable - kFirstCmd + 1;

struct KernelFacts {
	unsigned major, minor;  // the uname release this list is for
	uint32_t last_cmd;      // the kernel knows kFirstCmd..last_cmd, nothing after
	uint32_t size[kNrCmds]; // sizeof() of each command's struct; 0: unknown
	unsigned release_major, release_minor; // what iommufd_probe_release() must say
	uint32_t last_mock_op;  // the selftest mock knows ops 1..last_mock_op
};

// The running kernel's release from uname(2).
struct Uname {
	unsigned major = 0, minor = 0;
	std::string release;
};
const Uname &RunningKernel();

// The facts for the running kernel, or nullptr if it is not in the matrix.
const KernelFacts *FactsForRunningKernel();

// The IOMMU_* name of command @nr, written out here (not the library's).
const char *CmdName(uint32_t nr);
