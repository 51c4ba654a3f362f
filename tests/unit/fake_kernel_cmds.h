// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's command handlers (internal to the fake).
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fake_kernel.h"

extern "C" {
#include "uapi/iommufd_abi.h"
}

namespace fake {

// One ioctl as the kernel's struct iommufd_ucmd sees it.
struct Ucmd {
	FakeKernel &fk;
	Ictx &ictx;
	void *ubuffer;
	uint32_t user_size;
	uint32_t ksize; // the release's struct size
	alignas(8) unsigned char buf[64] = {}; // the kernel's copy, zero-extended

	template <class T> T Get() const
	{
		static_assert(sizeof(T) <= sizeof(buf));
		T c;
		std::memcpy(&c, buf, sizeof(c));
		return c;
	}

	// iommufd_ucmd_respond(): copy back min(user size, kernel size).
	template <class T> int Respond(const T &c)
	{
		std::memcpy(buf, &c, sizeof(c));
		std::memcpy(ubuffer, buf, std::min(user_size, ksize));
		return 0;
	}
};

using Handler = int (*)(Ucmd &);

// main.c, ioas.c, vfio_compat.c
int Destroy(Ucmd &u);
int IoasAlloc(Ucmd &u);
int IoasAllowIovas(Ucmd &u);
int IoasCopy(Ucmd &u);
int IoasIovaRanges(Ucmd &u);
int IoasMap(Ucmd &u);
int IoasMapFile(Ucmd &u);
int IoasUnmap(Ucmd &u);
int Option(Ucmd &u);
int VfioIoas(Ucmd &u);
int IoasChangeProcess(Ucmd &u);

// Commands that need devices, which the fake has none of.
int HwptAlloc(Ucmd &u);
int GetHwInfo(Ucmd &u);
int HwptSetDirtyTracking(Ucmd &u);
int HwptGetDirtyBitmap(Ucmd &u);
int HwptInvalidate(Ucmd &u);
int FaultQueueAlloc(Ucmd &u);
int ViommuAlloc(Ucmd &u);
int VdeviceAlloc(Ucmd &u);
int VeventqAlloc(Ucmd &u);
int HwQueueAlloc(Ucmd &u);

} // namespace fake
