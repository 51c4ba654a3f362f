// SPDX-License-Identifier: LGPL-2.1-or-later
// The iopf_group_shim module (iopf_group_shim/): with it loaded, a mock
// page request whose perm carries kShimPartial is kept by the kernel as a
// partial (non-last) request, so the mock can raise groups of several
// records.  tests/kernel/build-shim builds it per kernel; the suite loads
// it from there.
#pragma once

#include <cstdint>
#include <string>

// IOPF_GROUP_SHIM_PARTIAL of iopf_group_shim.c: real perms use bits 0..3.
inline constexpr uint32_t kShimPartial = 1u << 31;

// "" when the shim is loaded (loading it now if needed), else why not --
// a sentence a GTEST_SKIP() can show as is.
const std::string &IopfShimMissing();
