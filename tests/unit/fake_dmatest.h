// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A fake vfio_dmatest instance (the companion module in driver/) on the
// fake VFIO: a platform device with its cdev and sysfs entries, region 0
// (page 0 the registers, mmap-able, page 1 the doorbell), two eventfd
// interrupts, and an engine that moves bytes through the fake kernel's
// IOAS mappings -- the user memory the test mapped -- so a COPY really
// copies.  Register semantics as driver/include/uapi/vfio_dmatest.h and the
// module (driver/engine.c, attach.c, regs.c): the parameters latched at the
// doorbell, START refused with EBUSY while a transfer is running or held,
// RELEASE / ABORT with EINVAL when there is nothing for them, bad
// parameters (or no attachment) ending the transfer at once with the error
// interrupt, the kernel's errno in ERRNO, STATUS set before the interrupt,
// a detach ending a held transfer only when it holds pins, the registers
// reset (counters kept) when the device is opened or reset, page 1 reading
// as zeroes.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "fake_vfio.h"
#include "uapi/vfio_dmatest.h"

namespace fake {

class FakeDmatest : public VfioModel {
public:
	static constexpr uint64_t kDefaultMaxLen = 1 << 20;

	explicit FakeDmatest(FakeKernel &fk);
	~FakeDmatest() override;

	// ---- what the module gives every open and reset ----------------------
	uint32_t magic = VFIO_DMATEST_MAGIC;
	uint32_t version = VFIO_DMATEST_VERSION;
	uint64_t max_len = kDefaultMaxLen; // also what the engine checks LEN against

	// ---- registers, as the device holds them (thread safe) ---------------
	uint32_t Reg32(uint32_t off) const;
	uint64_t Reg64(uint32_t off) const;
	// Overwrite a register until the next open or reset.
	void SetReg32(uint32_t off, uint32_t v);
	void SetReg64(uint32_t off, uint64_t v);

	// ---- the engine --------------------------------------------------------
	// true: a transfer runs inside the doorbell write (or RELEASE) that
	// lets it go; false: it stays BUSY until Complete().
	bool auto_run = true;
	// Run the BUSY transfer now (from any thread).  false: none is BUSY.
	bool Complete();
	// The next run ends in ERROR with @error and @kernel_errno.
	void FailNextRun(uint32_t error, uint32_t kernel_errno);
	// Signal interrupt @irq with no transfer behind it (a stale count).
	void Signal(uint32_t irq);
	// Doorbell writes the device accepted, by value.
	unsigned doorbells(uint32_t value) const;

	// ---- VfioModel -------------------------------------------------------
	ssize_t Access(VfioFile &f, uint32_t index, uint64_t pos, void *buf, size_t len,
		       bool write) override;
	int Map(VfioFile &f, uint32_t index, uint64_t pos, size_t len, void **addr) override;
	void Bound(VfioFile &f) override;
	void Reset(VfioFile &f) override;
	void Detached(VfioFile &f) override;
	void Closed(VfioFile &f) override;

private:
	struct Latched {
		uint64_t src = 0, dst = 0, len = 0, pattern = 0;
		uint32_t cmd = 0;
	};
	struct Outcome {
		uint32_t status, error = 0, kernel_errno = 0;
		uint64_t fault_iova = 0, done = 0, result = 0;
	};
	// An ERROR with the errno the module gives it (-@err), at the cursor.
	Outcome Failed(uint32_t error, int err) const;
	uint64_t Cursor() const;
	void ClearRegisters();

	int Doorbell(VfioFile &f, uint32_t value);
	int Start(VfioFile &f);
	bool Valid() const;
	void Run();
	bool Pin(Outcome &o);
	bool Attached() const;
	bool Move(Outcome &o);
	void Finish(const Outcome &o, bool signal);
	bool Pending() const;
	uint32_t Status() const { return Reg32Locked(VFIO_DMATEST_REG_STATUS); }
	uint32_t Reg32Locked(uint32_t off) const;
	uint64_t Reg64Locked(uint32_t off) const;
	void Put32(uint32_t off, uint32_t v);
	void Put64(uint32_t off, uint64_t v);

	FakeKernel &fk_;
	mutable std::mutex lock_;
	int memfd_ = -1;
	unsigned char *regs_ = nullptr; // page 0, shared with every mapping of it
	Latched x_;
	VfioFile *owner_ = nullptr; // the file that rang START
	uint32_t fail_error_ = 0, fail_errno_ = 0;
	uint32_t seq_ = 0;
	uint64_t completions_ = 0, errors_ = 0;
	bool pinned_ = false; // the transfer holds pins
	std::map<uint32_t, unsigned> doorbells_;
};

// Instance @index of a loaded vfio_dmatest module, cdev vfio<@minor>: the
// device, its descriptors, its sysfs entries (the driver's directory, the
// platform device's vfio-dev).  The model is owned by the device, which
// *@dev receives when given.
FakeDmatest &AddDmatest(FakeVfio &vfio, FakeKernel &fk, unsigned index, unsigned minor,
			VfioDevice **dev = nullptr);

} // namespace fake
