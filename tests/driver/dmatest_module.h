// SPDX-License-Identifier: LGPL-2.1-or-later
// Loading and unloading the companion module (driver/) inside the test VM,
// and asking kmemleak about what it left behind.
#pragma once

#include <string>

inline constexpr const char *kModule = "vfio_dmatest";
inline constexpr unsigned kDevices = 2; // the suite loads devices=2

// Where tests/vm/build-module put vfio_dmatest.ko for the running kernel.
std::string DmatestKoPath();

// finit_module with @params: 0 or -errno (-EEXIST: already loaded).
int LoadDmatest(const std::string &params);
// delete_module without waiting: 0 or -errno (-EWOULDBLOCK: in use).
int UnloadDmatest();
bool DmatestLoaded();

// Loads the module with devices=kDevices unless it is loaded; "" or why not.
std::string EnsureDmatestLoaded();

// kmemleak: "" when the kernel has it and it was cleared, else why not.
std::string KmemleakClear();
// Waits out kmemleak's minimum object age, scans, and returns the report of
// suspected leaks found since KmemleakClear() ("" if none).
std::string KmemleakScan();
