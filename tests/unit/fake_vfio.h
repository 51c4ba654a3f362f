// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Fake VFIO device cdevs and a fake sysfs, layered on the fake kernel
// behind the syscall seam: what it does not own (the iommufd, other fds,
// other paths) it passes on to the ops installed before it.
//
// The devices follow drivers/vfio of the profile's release: no cdev before
// 6.6; BIND reads 16 bytes and refuses any flag before 6.17, and from 6.17
// reads its argument with copy_struct_from_user() and knows the VF token;
// the PASID flags of ATTACH/DETACH from 6.15; every ioctl but BIND is
// EINVAL until the device is bound; GET_INFO / GET_REGION_INFO raise argsz
// and leave cap_offset 0 when the capability chain does not fit.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <sys/types.h>

#include "fake_kernel.h"

struct ifd_sys_ops;

namespace fake {

inline constexpr int kFirstVfioFd = 5000;

struct VfioArea {
	uint64_t offset;
	uint64_t size;
};

struct VfioRegion {
	bool absent = false; // GET_REGION_INFO says EINVAL (vfio-pci: no VGA)
	uint32_t flags = 0;  // VFIO_REGION_INFO_FLAG_READ/WRITE/MMAP
	uint64_t size = 0;
	bool sparse = false;             // has a SPARSE_MMAP capability
	std::vector<VfioArea> areas;     // its areas
	bool typed = false;              // has a TYPE capability
	uint32_t type = 0, subtype = 0;
	bool msix_mappable = false;      // has an MSIX_MAPPABLE capability
	// Replaces the capabilities built from the above: these bytes follow
	// the info struct, and cap_offset is raw_first (malformed chains).
	bool raw = false;
	std::vector<uint8_t> raw_caps;
	uint32_t raw_first = 0;
	std::vector<uint8_t> data; // what pread/pwrite see, size bytes
};

struct VfioFile;

// What a device does beyond describing itself, for devices that model one
// (the vfio_dmatest engine): what reads, writes and mmaps of its regions
// reach, and what a reset, a detach or the closing of a file does to it.
// The fake checks the file, the region's flags and bounds first.
class VfioModel {
public:
	virtual ~VfioModel() = default;
	// pread/pwrite of @len bytes at @pos of region @index: bytes moved or -errno.
	virtual ssize_t Access(VfioFile &f, uint32_t index, uint64_t pos, void *buf, size_t len,
			       bool write) = 0;
	// mmap of @len bytes at @pos of region @index: 0 with *@addr set (memory
	// munmap() releases), or -errno.
	virtual int Map(VfioFile &f, uint32_t index, uint64_t pos, size_t len, void **addr) = 0;
	virtual void Bound(VfioFile &) {} // the kernel's open_device
	virtual void Reset(VfioFile &) {}
	virtual void Detached(VfioFile &) {} // the whole device, not a PASID
	virtual void Closed(VfioFile &) {}
};

struct VfioIrq {
	bool absent = false; // GET_IRQ_INFO says EINVAL (vfio-pci: ERR off PCIe)
	uint32_t flags = 0;  // VFIO_IRQ_INFO_*
	uint32_t count = 0;
};

// One device, as its driver (vfio-pci) describes it.
struct VfioDevice {
	std::string bdf;
	unsigned minor = 0; // /dev/vfio/devices/vfio<minor>
	uint32_t flags = 0; // VFIO_DEVICE_FLAGS_*
	std::vector<VfioRegion> regions;
	std::vector<VfioIrq> irqs;
	std::vector<uint8_t> info_caps; // device-info capability bytes (own chain)
	bool pasid_ops = true;          // the driver can attach PASIDs (6.15+)
	bool vf_token_set = false;      // a VF whose PF has a token
	std::array<uint8_t, 16> vf_token{};
	int reset_errno = 0;            // what RESET answers (0: it resets)
	unsigned resets = 0;
	std::shared_ptr<VfioModel> model; // null: regions are plain bytes
};

// One open file of a device (the kernel's vfio_device_file).
struct VfioFile {
	VfioDevice *dev = nullptr;
	bool bound = false;
	int iommufd = -1;
	uint32_t dev_id = 0;
	uint32_t hwpt = 0;                    // attached HWPT, 0: none
	std::map<uint32_t, uint32_t> pasids;  // PASID -> HWPT
	std::map<uint32_t, std::vector<int32_t>> irq_fds; // enabled IRQ indexes
};

// One mmap() the library made.
struct VfioMmap {
	int fd;
	uint64_t offset;
	size_t len;
	int prot;
	int flags;
	void *addr;
};

class FakeVfio {
public:
	explicit FakeVfio(FakeKernel &fk);
	~FakeVfio();
	FakeVfio(const FakeVfio &) = delete;
	FakeVfio &operator=(const FakeVfio &) = delete;

	// Put this layer on top of the ops installed now / take it off.
	void Install();
	void Uninstall();

	// A PCI device bound to vfio-pci, as QEMU's edu is (BAR0 of 1 MiB,
	// config space, MSI with one vector, INTx), with its sysfs entries.
	VfioDevice &AddPciDevice(const std::string &bdf, unsigned minor);
	// A PCI device in sysfs only: bound to @driver ("" for none).
	void AddSysfsDevice(const std::string &bdf, const std::string &driver);
	// A device with no regions, IRQs or sysfs entries, for a caller to fill.
	VfioDevice &AddDevice(unsigned minor);
	// Add @names to sysfs directory @path (made if missing) / remove it.
	void AddSysfsDir(const std::string &path, const std::set<std::string> &names);
	void RemoveSysfsDir(const std::string &path) { dirs_.erase(path); }
	std::string CdevPath(const VfioDevice &d) const;

	// The open files of the device (one per open()).
	std::vector<VfioFile *> Files(const VfioDevice &d);
	VfioFile *File(int fd);

	// ---- counters and injection ------------------------------------------
	unsigned ioctls() const { return ioctls_; }
	unsigned ioctls(unsigned long request) const;
	void FailIoctl(unsigned nth, int err); // the nth VFIO ioctl from now
	void FailNextOpen(int err) { open_error_ = err; }
	int last_open_flags() const { return last_open_flags_; }
	void FailNextMmap(int err) { mmap_error_ = err; }
	void FailNextRead(int err) { rw_error_ = err; }
	void ShortIo(size_t max) { rw_max_ = max; } // each pread/pwrite moves <= max
	void MoveNothingOnce() { rw_zero_ = true; }  // the next pread/pwrite returns 0
	// A driver that asks for a bigger buffer on every try.
	bool insatiable = false;
	// fds SET_IRQS refuses as "not an eventfd" (EBADF).
	std::set<int> not_eventfds;
	const std::vector<VfioMmap> &mmaps() const { return mmaps_; }
	const std::vector<uint32_t> &argsz_seen(unsigned long request);

	// The seam's entry points (public for the C trampolines).
	int Open(const std::string &path, int flags);
	int Close(int fd);
	int Ioctl(int fd, unsigned long request, void *arg);
	ssize_t Pread(int fd, void *buf, size_t len, uint64_t off);
	ssize_t Pwrite(int fd, const void *buf, size_t len, uint64_t off);
	int Mmap(size_t len, int prot, int flags, int fd, uint64_t off, void **addr);
	int Munmap(void *addr, size_t len);
	ssize_t Readlink(const std::string &path, char *buf, size_t len);
	ssize_t ListDir(const std::string &path, char *buf, size_t len);

	const ifd_sys_ops *next() const { return next_; }

private:
	bool HasCdev() const { return fk_.kver() >= Kver(6, 6); }
	int Bind(VfioFile &f, void *arg);
	int Attach(VfioFile &f, void *arg);
	int Detach(VfioFile &f, void *arg);
	int GetInfo(VfioFile &f, void *arg);
	int GetRegionInfo(VfioFile &f, void *arg);
	int GetIrqInfo(VfioFile &f, void *arg);
	int SetIrqs(VfioFile &f, void *arg);
	int Reset(VfioFile &f);
	int AttachPt(VfioFile &f, uint32_t *pt_id, uint32_t pasid, bool is_pasid);
	int FindHwpt(VfioFile &f, uint32_t pt_id, uint32_t *hwpt);
	void DropHwpt(VfioFile &f, uint32_t hwpt);
	void Unbind(VfioFile &f);
	ssize_t Rw(int fd, void *buf, size_t len, uint64_t off, bool write);

	FakeKernel &fk_;
	std::vector<VfioDevice *> devices_;
	std::map<int, VfioFile> files_;
	std::set<std::pair<int, uint32_t>> auto_hwpts_; // (iommufd, HWPT) made on attach
	int next_fd_ = kFirstVfioFd;
	std::map<std::string, std::string> links_;             // sysfs symlinks
	std::map<std::string, std::set<std::string>> dirs_;    // sysfs directories
	unsigned ioctls_ = 0;
	std::map<unsigned long, unsigned> per_request_;
	std::map<unsigned long, std::vector<uint32_t>> argsz_;
	unsigned fail_at_ = 0;
	int fail_err_ = 0;
	int open_error_ = 0, mmap_error_ = 0, rw_error_ = 0;
	int last_open_flags_ = -1;
	size_t rw_max_ = 0;
	bool rw_zero_ = false;
	std::vector<VfioMmap> mmaps_;
	const ifd_sys_ops *next_ = nullptr;
	ifd_sys_ops *ops_;
	struct Seam;
};

} // namespace fake
