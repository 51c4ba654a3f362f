// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake vfio_dmatest device: registers on a shared page, the doorbell,
// and the engine over the fake kernel's IOAS mappings.
#include "fake_dmatest.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "uapi/vfio_abi.h"
}

namespace fake {

namespace {

constexpr uint32_t kPage0 = VFIO_DMATEST_MMAP_SIZE;
constexpr uint32_t kParamsStart = VFIO_DMATEST_REG_SRC;
constexpr uint32_t kParamsEnd = VFIO_DMATEST_REG_CMD + 4;
constexpr char kDriverDir[] = "/sys/bus/platform/drivers/" VFIO_DMATEST_NAME;
constexpr char kDevicesDir[] = "/sys/bus/platform/devices/";

// The IOAS behind the file's attachment: up the HWPT's parents.
Ioas *AttachedIoas(FakeKernel &fk, const VfioFile &f)
{
	if (!f.bound || !f.hwpt || !fk.IsIommufd(f.iommufd))
		return nullptr;
	Ictx &ictx = fk.ictx(f.iommufd);
	uint32_t id = f.hwpt;
	for (int depth = 0; depth < 4; depth++) {
		auto it = ictx.objects.find(id);
		if (it == ictx.objects.end())
			return nullptr;
		if (it->second.type == ObjType::kIoas)
			return &it->second.ioas;
		id = it->second.parent;
	}
	return nullptr;
}

// The user memory behind @iova, and how many bytes from it are contiguous;
// or the error the engine reports for it.
struct Where {
	unsigned char *va = nullptr;
	uint64_t run = 0;
	uint32_t error = VFIO_DMATEST_ERR_NONE;
};

Where Translate(const Ioas &ioas, uint64_t iova, bool write)
{
	auto it = ioas.areas.upper_bound(iova);
	if (it == ioas.areas.begin())
		return {nullptr, 0, VFIO_DMATEST_ERR_UNMAPPED};
	const Area &a = std::prev(it)->second;
	if (iova > a.last)
		return {nullptr, 0, VFIO_DMATEST_ERR_UNMAPPED};
	if (write && !a.writable)
		return {nullptr, 0, VFIO_DMATEST_ERR_READ_ONLY};
	if (a.file)
		return {nullptr, 0, VFIO_DMATEST_ERR_IO}; // the fake does not reach files
	return {reinterpret_cast<unsigned char *>(static_cast<uintptr_t>(a.addr + (iova - a.iova))),
		a.last - iova + 1, VFIO_DMATEST_ERR_NONE};
}

uint64_t PagesSpanned(uint64_t iova, uint64_t len)
{
	return (iova + len - 1) / kPageSize - iova / kPageSize + 1;
}

} // namespace

FakeDmatest::FakeDmatest(FakeKernel &fk) : fk_(fk)
{
	memfd_ = memfd_create("vfio_dmatest_regs", MFD_CLOEXEC);
	if (memfd_ < 0 || ftruncate(memfd_, kPage0))
		std::abort();
	void *p = mmap(nullptr, kPage0, PROT_READ | PROT_WRITE, MAP_SHARED, memfd_, 0);
	if (p == MAP_FAILED)
		std::abort();
	regs_ = static_cast<unsigned char *>(p);
	ClearRegisters();
}

FakeDmatest::~FakeDmatest()
{
	munmap(regs_, kPage0);
	close(memfd_);
}

// Registers are little-endian, as on the hosts the tests run on; STATUS is
// stored last and with release order, as the engine's last word.
uint32_t FakeDmatest::Reg32Locked(uint32_t off) const
{
	return __atomic_load_n(reinterpret_cast<uint32_t *>(regs_ + off), __ATOMIC_ACQUIRE);
}

uint64_t FakeDmatest::Reg64Locked(uint32_t off) const
{
	uint64_t v;
	std::memcpy(&v, regs_ + off, sizeof(v));
	return v;
}

void FakeDmatest::Put32(uint32_t off, uint32_t v)
{
	__atomic_store_n(reinterpret_cast<uint32_t *>(regs_ + off), v, __ATOMIC_RELEASE);
}

void FakeDmatest::Put64(uint32_t off, uint64_t v) { std::memcpy(regs_ + off, &v, sizeof(v)); }

uint32_t FakeDmatest::Reg32(uint32_t off) const
{
	std::lock_guard<std::mutex> g(lock_);
	return Reg32Locked(off);
}

uint64_t FakeDmatest::Reg64(uint32_t off) const
{
	std::lock_guard<std::mutex> g(lock_);
	return Reg64Locked(off);
}

void FakeDmatest::SetReg32(uint32_t off, uint32_t v)
{
	std::lock_guard<std::mutex> g(lock_);
	Put32(off, v);
}

void FakeDmatest::SetReg64(uint32_t off, uint64_t v)
{
	std::lock_guard<std::mutex> g(lock_);
	Put64(off, v);
}

unsigned FakeDmatest::doorbells(uint32_t value) const
{
	std::lock_guard<std::mutex> g(lock_);
	auto it = doorbells_.find(value);
	return it == doorbells_.end() ? 0 : it->second;
}

void FakeDmatest::FailNextRun(uint32_t error, uint32_t kernel_errno)
{
	std::lock_guard<std::mutex> g(lock_);
	fail_error_ = error;
	fail_errno_ = kernel_errno;
}

void FakeDmatest::Signal(uint32_t irq)
{
	std::lock_guard<std::mutex> g(lock_);
	if (!owner_)
		return;
	auto it = owner_->irq_fds.find(irq);
	if (it != owner_->irq_fds.end() && !it->second.empty() && it->second[0] >= 0)
		eventfd_write(it->second[0], 1);
}

// The module's power-on state (regs.c): everything zero but the identity,
// the limit and the counters, which count since the module made the device.
void FakeDmatest::ClearRegisters()
{
	std::memset(regs_, 0, kPage0);
	Put32(VFIO_DMATEST_REG_MAGIC, magic);
	Put32(VFIO_DMATEST_REG_VERSION, version);
	Put64(VFIO_DMATEST_REG_MAX_LEN, max_len);
	Put32(VFIO_DMATEST_REG_SEQ, seq_);
	Put64(VFIO_DMATEST_REG_COMPLETIONS, completions_);
	Put64(VFIO_DMATEST_REG_ERRORS, errors_);
	pinned_ = false;
}

bool FakeDmatest::Pending() const
{
	const uint32_t s = Status();
	return s == VFIO_DMATEST_STATUS_BUSY || s == VFIO_DMATEST_STATUS_HELD;
}

bool FakeDmatest::Attached() const { return owner_ && AttachedIoas(fk_, *owner_); }

// The first IOVA the transfer touches at its position: the source's when
// it reads one.
uint64_t FakeDmatest::Cursor() const
{
	const uint32_t op = x_.cmd & VFIO_DMATEST_OP_MASK;
	const uint64_t done = Reg64Locked(VFIO_DMATEST_REG_DONE_BYTES);
	return (op == VFIO_DMATEST_OP_FILL ? x_.dst : x_.src) + done;
}

FakeDmatest::Outcome FakeDmatest::Failed(uint32_t error, int err) const
{
	Outcome o{VFIO_DMATEST_STATUS_ERROR, error, static_cast<uint32_t>(err)};
	o.fault_iova = error == VFIO_DMATEST_ERR_INVALID ? 0 : Cursor();
	o.done = Reg64Locked(VFIO_DMATEST_REG_DONE_BYTES);
	return o;
}

// Outcome registers, counters, pins dropped, then STATUS, then the interrupt.
void FakeDmatest::Finish(const Outcome &o, bool signal)
{
	const bool done = o.status == VFIO_DMATEST_STATUS_DONE;

	done ? completions_++ : errors_++;
	pinned_ = false;
	Put32(VFIO_DMATEST_REG_ERROR, o.error);
	Put32(VFIO_DMATEST_REG_ERRNO, o.kernel_errno);
	Put64(VFIO_DMATEST_REG_FAULT_IOVA, o.fault_iova);
	Put64(VFIO_DMATEST_REG_DONE_BYTES, o.done);
	Put64(VFIO_DMATEST_REG_RESULT, o.result);
	Put64(VFIO_DMATEST_REG_COMPLETIONS, completions_);
	Put64(VFIO_DMATEST_REG_ERRORS, errors_);
	Put64(VFIO_DMATEST_REG_PINNED, 0);
	Put32(VFIO_DMATEST_REG_STATUS, o.status);
	if (!signal || !owner_)
		return;
	auto it = owner_->irq_fds.find(done ? VFIO_DMATEST_IRQ_COMPLETION : VFIO_DMATEST_IRQ_ERROR);
	if (it != owner_->irq_fds.end() && !it->second.empty() && it->second[0] >= 0)
		eventfd_write(it->second[0], 1);
}

// Page 0 reads as the registers and takes writes to the parameters only;
// page 1 reads as zeroes and takes one 4-byte write at the doorbell.
ssize_t FakeDmatest::Access(VfioFile &f, uint32_t index, uint64_t pos, void *buf, size_t len,
			    bool write)
{
	std::lock_guard<std::mutex> g(lock_);
	auto *b = static_cast<unsigned char *>(buf);

	if (index != VFIO_DMATEST_REGION)
		return -EINVAL;
	if (write && pos >= kPage0) {
		uint32_t v;
		if (pos != VFIO_DMATEST_REG_DOORBELL || len != sizeof(v))
			return -EINVAL;
		std::memcpy(&v, buf, sizeof(v));
		const int rc = Doorbell(f, v);
		return rc ? rc : static_cast<ssize_t>(len);
	}
	if (write && pos + len > kPage0)
		return -EINVAL; // straddles the registers and the doorbell
	for (size_t i = 0; i < len; i++) {
		const uint64_t at = pos + i;
		if (!write)
			b[i] = at < kPage0 ? regs_[at] : 0;
		else if (at >= kParamsStart && at < kParamsEnd)
			regs_[at] = b[i];
	}
	return static_cast<ssize_t>(len);
}

int FakeDmatest::Map(VfioFile &, uint32_t index, uint64_t pos, size_t len, void **addr)
{
	if (index != VFIO_DMATEST_REGION || pos + len > kPage0)
		return -EINVAL; // page 1 is outside the sparse area: it must trap
	void *p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd_,
		       static_cast<off_t>(pos));
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	return 0;
}

int FakeDmatest::Doorbell(VfioFile &f, uint32_t value)
{
	switch (value) {
	case VFIO_DMATEST_DOORBELL_START:
		if (Pending())
			return -EBUSY;
		doorbells_[value]++;
		return Start(f);
	case VFIO_DMATEST_DOORBELL_RELEASE:
		if (Status() != VFIO_DMATEST_STATUS_HELD)
			return -EINVAL;
		doorbells_[value]++;
		Put32(VFIO_DMATEST_REG_STATUS, VFIO_DMATEST_STATUS_BUSY);
		if (auto_run)
			Run();
		return 0;
	case VFIO_DMATEST_DOORBELL_ABORT:
		if (!Pending())
			return -EINVAL;
		doorbells_[value]++;
		Finish(Failed(VFIO_DMATEST_ERR_ABORTED, ECANCELED), true);
		return 0;
	default:
		return -EINVAL;
	}
}

bool FakeDmatest::Valid() const
{
	const uint32_t op = x_.cmd & VFIO_DMATEST_OP_MASK;
	const bool reads = op == VFIO_DMATEST_OP_COPY || op == VFIO_DMATEST_OP_CHECKSUM;
	const bool writes = op == VFIO_DMATEST_OP_COPY || op == VFIO_DMATEST_OP_FILL;

	if ((!reads && !writes) || (x_.cmd & ~(VFIO_DMATEST_OP_MASK | VFIO_DMATEST_CMD_FLAGS)))
		return false;
	if (!x_.len || x_.len > max_len)
		return false;
	return !(reads && x_.src + (x_.len - 1) < x_.src) &&
	       !(writes && x_.dst + (x_.len - 1) < x_.dst);
}

// Latch, then: invalid or unattached -> ERROR at once; PIN -> pin first;
// HOLD -> HELD; else BUSY.
int FakeDmatest::Start(VfioFile &f)
{
	x_ = {Reg64Locked(VFIO_DMATEST_REG_SRC), Reg64Locked(VFIO_DMATEST_REG_DST),
	      Reg64Locked(VFIO_DMATEST_REG_LEN), Reg64Locked(VFIO_DMATEST_REG_PATTERN),
	      Reg32Locked(VFIO_DMATEST_REG_CMD)};
	owner_ = &f;
	Put32(VFIO_DMATEST_REG_SEQ, ++seq_);
	for (uint32_t off = VFIO_DMATEST_REG_ERROR; off < VFIO_DMATEST_REG_SEQ; off += 4)
		Put32(off, 0);
	Outcome o{VFIO_DMATEST_STATUS_ERROR};
	if (!Valid()) {
		Finish(Failed(VFIO_DMATEST_ERR_INVALID, EINVAL), true);
		return 0;
	}
	if (!Attached()) {
		Finish(Failed(VFIO_DMATEST_ERR_DETACHED, ENODEV), true);
		return 0;
	}
	if ((x_.cmd & VFIO_DMATEST_CMD_PIN) && !Pin(o)) {
		Finish(o, true);
		return 0;
	}
	const bool hold = x_.cmd & VFIO_DMATEST_CMD_HOLD;
	Put32(VFIO_DMATEST_REG_STATUS, hold ? VFIO_DMATEST_STATUS_HELD : VFIO_DMATEST_STATUS_BUSY);
	if (!hold && auto_run)
		Run();
	return 0;
}

namespace {

// The errno the module's access helpers give each error.
uint32_t ErrnoOf(uint32_t error)
{
	switch (error) {
	case VFIO_DMATEST_ERR_UNMAPPED: return ENOENT;
	case VFIO_DMATEST_ERR_READ_ONLY: return EPERM;
	default: return EFAULT;
	}
}

} // namespace

// Every page of the ranges must be reachable; the fake only counts them.
bool FakeDmatest::Pin(Outcome &o)
{
	const uint32_t op = x_.cmd & VFIO_DMATEST_OP_MASK;
	const Ioas *ioas = AttachedIoas(fk_, *owner_);
	uint64_t pages = 0;

	for (int dir = 0; dir < 2; dir++) {
		const bool write = dir == 1;
		if (write ? op == VFIO_DMATEST_OP_CHECKSUM : op == VFIO_DMATEST_OP_FILL)
			continue;
		const uint64_t base = write ? x_.dst : x_.src;
		for (uint64_t off = 0; off < x_.len;) {
			const Where w = Translate(*ioas, base + off, write);
			if (w.error) {
				o.error = w.error;
				o.kernel_errno = ErrnoOf(w.error);
				o.fault_iova = base + off;
				return false;
			}
			off += std::min(w.run, x_.len - off);
		}
		pages += PagesSpanned(base, x_.len);
	}
	pinned_ = true;
	Put64(VFIO_DMATEST_REG_PINNED, pages);
	return true;
}

// COPY / FILL / CHECKSUM chunk by chunk, stopping at the first IOVA it
// cannot reach (done counts the bytes before it).
bool FakeDmatest::Move(Outcome &o)
{
	const uint32_t op = x_.cmd & VFIO_DMATEST_OP_MASK;
	const Ioas *ioas = owner_ ? AttachedIoas(fk_, *owner_) : nullptr;
	uint64_t hash = VFIO_DMATEST_FNV_OFFSET;

	if (!ioas) {
		o = Failed(VFIO_DMATEST_ERR_DETACHED, ENODEV);
		return false;
	}
	while (o.done < x_.len) {
		uint64_t chunk = x_.len - o.done;
		Where src, dst;
		for (int dir = 0; dir < 2; dir++) {
			const bool write = dir == 1;
			if (write ? op == VFIO_DMATEST_OP_CHECKSUM : op == VFIO_DMATEST_OP_FILL)
				continue;
			const uint64_t iova = (write ? x_.dst : x_.src) + o.done;
			Where &w = write ? dst : src;
			w = Translate(*ioas, iova, write);
			if (w.error) {
				o.error = w.error;
				o.kernel_errno = ErrnoOf(w.error);
				o.fault_iova = iova;
				return false;
			}
			chunk = std::min(chunk, w.run);
		}
		for (uint64_t i = 0; i < chunk; i++) {
			const uint64_t at = o.done + i;
			if (op == VFIO_DMATEST_OP_COPY)
				dst.va[i] = src.va[i];
			else if (op == VFIO_DMATEST_OP_FILL)
				dst.va[i] = static_cast<unsigned char>(x_.pattern >> (8 * (at % 8)));
			else
				hash = (hash ^ src.va[i]) * VFIO_DMATEST_FNV_PRIME;
		}
		o.done += chunk;
	}
	if (op == VFIO_DMATEST_OP_CHECKSUM)
		o.result = hash;
	return true;
}

void FakeDmatest::Run()
{
	Outcome o{VFIO_DMATEST_STATUS_ERROR};

	if (fail_error_) {
		o = Failed(fail_error_, static_cast<int>(fail_errno_));
		fail_error_ = fail_errno_ = 0;
	} else if (Move(o)) {
		o.status = VFIO_DMATEST_STATUS_DONE;
	}
	Finish(o, true);
}

bool FakeDmatest::Complete()
{
	std::lock_guard<std::mutex> g(lock_);
	if (Status() != VFIO_DMATEST_STATUS_BUSY)
		return false;
	Run();
	return true;
}

void FakeDmatest::Bound(VfioFile &f)
{
	std::lock_guard<std::mutex> g(lock_);
	ClearRegisters();
	owner_ = &f;
}

// A reset aborts what is pending (with its interrupt), then leaves the
// device as at power-on.
void FakeDmatest::Reset(VfioFile &)
{
	std::lock_guard<std::mutex> g(lock_);
	if (Pending())
		Finish(Failed(VFIO_DMATEST_ERR_ABORTED, ECANCELED), true);
	ClearRegisters();
}

// iommufd takes the pins back (the module's unmap callback): a transfer
// holding pins ends DETACHED at the first of its IOVAs; one without pins
// stays, and finds itself detached when it runs.
void FakeDmatest::Detached(VfioFile &f)
{
	std::lock_guard<std::mutex> g(lock_);
	if (owner_ != &f || !pinned_ || !Pending())
		return;
	const uint32_t op = x_.cmd & VFIO_DMATEST_OP_MASK;
	Outcome o = Failed(VFIO_DMATEST_ERR_DETACHED, ENOENT);
	o.fault_iova = op == VFIO_DMATEST_OP_COPY ? std::min(x_.src, x_.dst)
						 : op == VFIO_DMATEST_OP_FILL ? x_.dst : x_.src;
	Finish(o, true);
}

// The last fd goes: what is pending ends ABORTED before the interrupts go.
void FakeDmatest::Closed(VfioFile &f)
{
	std::lock_guard<std::mutex> g(lock_);
	if (owner_ != &f)
		return;
	if (Pending())
		Finish(Failed(VFIO_DMATEST_ERR_ABORTED, ECANCELED), true);
	owner_ = nullptr;
}

FakeDmatest &AddDmatest(FakeVfio &vfio, FakeKernel &fk, unsigned index, unsigned minor,
			VfioDevice **dev)
{
	const std::string name = std::string(VFIO_DMATEST_NAME ".") + std::to_string(index);
	VfioDevice &d = vfio.AddDevice(minor);
	auto model = std::make_shared<FakeDmatest>(fk);

	d.flags = UAPI_VFIO_DEVICE_FLAGS_PLATFORM | UAPI_VFIO_DEVICE_FLAGS_RESET;
	d.regions.resize(1);
	VfioRegion &r = d.regions[0];
	r.flags = UAPI_VFIO_REGION_INFO_FLAG_READ | UAPI_VFIO_REGION_INFO_FLAG_WRITE |
		  UAPI_VFIO_REGION_INFO_FLAG_MMAP;
	r.size = VFIO_DMATEST_REGION_SIZE;
	r.sparse = true;
	r.areas = {{0, VFIO_DMATEST_MMAP_SIZE}};
	d.irqs.assign(VFIO_DMATEST_NUM_IRQS, VfioIrq{false, UAPI_VFIO_IRQ_INFO_EVENTFD, 1});
	d.model = model;
	vfio.AddSysfsDir(kDriverDir, {"bind", "module", "uevent", "unbind", name});
	vfio.AddSysfsDir(kDevicesDir + name + "/vfio-dev", {"vfio" + std::to_string(minor)});
	if (dev)
		*dev = &d;
	return *model;
}

} // namespace fake
