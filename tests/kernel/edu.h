// SPDX-License-Identifier: LGPL-2.1-or-later
// QEMU's "edu" PCI device (1234:11e8) driven through libiommufd's VFIO
// device calls.  Register facts from QEMU's docs/specs/edu.rst and the
// device's behaviour: BAR0 holds 32-bit registers below 0x80 and 64-bit DMA
// registers from 0x80; the DMA engine moves up to 4 KiB between RAM (a
// bus address, masked to 28 bits) and a buffer inside the device at
// 0x40000, one transfer per command, ~100 ms of virtual time each.
#pragma once

#include <cstdint>
#include <string>

#include <libiommufd/libiommufd.h>

namespace edu {

inline constexpr uint16_t kVendor = 0x1234;
inline constexpr uint16_t kDevice = 0x11e8;

inline constexpr uint64_t kRegId = 0x00;        // 0xRRrr00ed: version, 0xed
inline constexpr uint64_t kRegLiveness = 0x04;  // reads back ~(value written)
inline constexpr uint64_t kRegIrqStatus = 0x24;
inline constexpr uint64_t kRegIrqAck = 0x64;    // clears the bits written
inline constexpr uint64_t kRegDmaSrc = 0x80;
inline constexpr uint64_t kRegDmaDst = 0x88;
inline constexpr uint64_t kRegDmaCount = 0x90;
inline constexpr uint64_t kRegDmaCmd = 0x98;

inline constexpr uint64_t kCmdRun = 1 << 0;   // cleared by the device when done
inline constexpr uint64_t kCmdToRam = 1 << 1; // direction: device buffer -> RAM
inline constexpr uint64_t kCmdIrq = 1 << 2;   // raise the DMA interrupt when done
inline constexpr uint32_t kIrqDma = 0x100;    // its bit in the IRQ status

inline constexpr uint64_t kBuffer = 0x40000; // the device's 4 KiB DMA buffer
inline constexpr uint64_t kDmaLimit = 1ull << 28; // the device masks addresses

// The PCI address of the first edu device, or "".
std::string FindBdf();

// Register and DMA access to an edu device bound to an iommufd context.
class Edu {
public:
	explicit Edu(iommufd_device *dev) : dev_(dev) {}

	// Set Bus Master Enable in the PCI command register: vfio-pci leaves it
	// to the user, and without it the device's DMA (and MSI) goes nowhere.
	int EnableBusMaster();

	// 0 or the library's negative errno.
	int Read32(uint64_t reg, uint32_t *v);
	int Write32(uint64_t reg, uint32_t v);
	int Write64(uint64_t reg, uint64_t v);

	// Program one transfer and wait for the engine to finish (RUN clear).
	// Returns "" or what went wrong.
	std::string Dma(uint64_t src, uint64_t dst, uint64_t count, uint64_t cmd);
	// RAM at bus address @iova -> device buffer offset @off.
	std::string ToDevice(uint64_t iova, uint64_t off, uint64_t count, bool irq = false)
	{
		return Dma(iova, kBuffer + off, count, kCmdRun | (irq ? kCmdIrq : 0));
	}
	// Device buffer offset @off -> RAM at bus address @iova.
	std::string ToRam(uint64_t off, uint64_t iova, uint64_t count, bool irq = false)
	{
		return Dma(kBuffer + off, iova, count, kCmdRun | kCmdToRam | (irq ? kCmdIrq : 0));
	}

private:
	iommufd_device *dev_;
};

} // namespace edu
