// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What each Linux release's iommufd knows: commands, minimum sizes, struct
// sizes.  Written by hand from the kernel sources (IOCTL_OP() in
// drivers/iommu/iommufd/main.c and include/uapi/linux/iommufd.h of each
// release), deliberately NOT derived from the library's command table, so
// the tests that compare the two are not circular.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace fake {

constexpr uint32_t Kver(unsigned major, unsigned minor) { return (major << 8) | minor; }

// The kernels the fake can pretend to be.
enum class Profile { Linux6_2, Linux6_6, Linux6_7, Linux6_11, Linux6_12, Linux7_2 };

inline constexpr Profile kAllProfiles[] = {
	Profile::Linux6_2,  Profile::Linux6_6,  Profile::Linux6_7,
	Profile::Linux6_11, Profile::Linux6_12, Profile::Linux7_2,
};

uint32_t ProfileKver(Profile p);
std::string ProfileName(Profile p); // "Linux6_12": usable as a gtest name
void PrintTo(Profile p, std::ostream *os); // for gtest's messages

// One iommufd command: its minimum size (the kernel's IOCTL_OP "last"
// member) and the struct size from each release on.
struct SizeStep {
	uint32_t release; // Kver()
	uint32_t size;
};

struct CmdFacts {
	uint32_t nr;
	const char *name;
	uint32_t min_size;
	SizeStep steps[3]; // steps[0].release brought the command; 0-terminated
};

inline constexpr uint32_t kFirstCmd = 0x80;
inline constexpr uint32_t kLastCmd = 0x94;
inline constexpr unsigned kNrCmds = kLastCmd - kFirstCmd + 1;

// nullptr for a number outside 0x80..0x94.
const CmdFacts *FactsFor(uint32_t nr);

// Does release @kver know command @nr?
bool CmdKnown(uint32_t kver, uint32_t nr);
// Its struct size in release @kver (0 when it does not know the command).
uint32_t CmdSize(uint32_t kver, uint32_t nr);
// The release that brought command @nr.
uint32_t CmdRelease(uint32_t nr);
// The first release whose struct of command @nr reaches byte @end (0: none).
uint32_t ReleaseCovering(uint32_t nr, uint32_t end);
// "6.11"
std::string ReleaseString(uint32_t kver);
// The newest release whose iommufd ABI change release @kver shows: what a
// perfect probe of that kernel can tell (6.12 shows nothing 6.11 lacks).
uint32_t NewestVisibleRelease(uint32_t kver);

} // namespace fake
