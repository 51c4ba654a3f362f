// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A fake iommufd behind the library's syscall seam (ifd_sys_set()).
//
// It applies the rules of iommufd_fops_ioctl() for the selected release:
// ENOTTY for a command the release lacks, EINVAL below the minimum size,
// E2BIG for non-zero bytes past the release's struct size, zero-fill, and
// replies of min(user size, kernel size).  Behind that it runs the IOAS
// commands for real (objects, mappings, IOVA allocation, ranges, options,
// the VFIO compat IOAS) with the kernel's errno for every failure, and the
// other commands far enough that they fail the way a kernel without
// devices fails.  It counts ioctls, records sizes and can fail the Nth call.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <sys/types.h>

#include "fake_kernel_facts.h"

struct ifd_sys_ops;

namespace fake {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kHugePageSize = 2 << 20;
inline constexpr int kFirstFakeFd = 1000;

struct Range {
	uint64_t start;
	uint64_t last; // inclusive
};

// One mapping (the kernel's iopt_area).
struct Area {
	uint64_t iova;
	uint64_t last;
	uint64_t addr; // user VA, or file offset, of the first byte
	bool file;     // IOPT_ADDRESS_FILE
	bool writable; // the pages may be mapped writeable
};

struct Ioas {
	uint64_t iova_alignment = 1;    // grows when a device attaches
	std::vector<Range> reserved;    // reserved regions of attached devices
	std::vector<Range> allowed;     // IOMMU_IOAS_ALLOW_IOVAS
	std::map<uint64_t, Area> areas; // by IOVA
	bool huge_pages = true;
	unsigned users = 1; // > 1: something refers to it, DESTROY gets EBUSY
};

enum class ObjType {
	kIoas, kFault, kDevice, kHwptPaging, kHwptNested,
	kViommu, kVdevice, kVeventq, kHwQueue, // fake_kernel_dev.cc
};

struct HwptState; // fake_hwpt.h
struct DevIommu;  // fake_hwpt.h
struct VirtState; // fake_viommu.h
struct EventQueue; // fake_eventq.h

struct Object {
	ObjType type;
	Ioas ioas;
	uint32_t parent = 0; // kHwptPaging: its IOAS
	unsigned refs = 0;   // holders besides the user (bound driver, attached
			     // devices): DESTROY answers EBUSY while non-zero
	std::shared_ptr<HwptState> hwpt{}; // a HWPT from IOMMU_HWPT_ALLOC
	std::shared_ptr<DevIommu> iommu{}; // kDevice, kViommu: its IOMMU; null: the default
	std::vector<uint32_t> holds{};     // objects it keeps busy (refs) until destroyed
	std::shared_ptr<VirtState> virt{}; // its vIOMMU side (fake_viommu.h), or null
	std::shared_ptr<EventQueue> eventq{}; // kFault, kVeventq: shared with its fd
};

// A page request as the IOMMU reports it; the fake makes the kernel's
// struct iommu_hwpt_pgfault of it (length 0, cookie given at read time).
struct PageRequest {
	uint32_t flags = 0; // PASID_VALID; the fake sets LAST_PAGE itself
	uint32_t dev_id = 0;
	uint32_t pasid = 0;
	uint32_t grpid = 0;
	uint32_t perm = 0;
	uint64_t addr = 0;
};

// What reached the fake's event queues (fake_eventq.cc).
struct EventqCounters {
	unsigned reads = 0, writes = 0; // read()/write() calls on event-queue fds
	unsigned responses[2] = {};     // page responses taken, by code (SUCCESS, INVALID)
	unsigned refused = 0;           // writes stopped by a bad code or unknown cookie
	unsigned auto_invalid = 0;      // groups the kernel answered INVALID itself
	unsigned vevents = 0;           // vEVENTs reported, queued or not
	unsigned vevents_lost = 0;      // of those, dropped (queue full, no memory)
	size_t waiting = 0;             // groups / vEVENTs not read yet (open queues)
	size_t outstanding = 0;         // groups read and not answered
};

// What the kernel keeps per open iommufd (struct iommufd_ctx).
struct Ictx {
	std::map<uint32_t, Object> objects; // IDs from 1, lowest free first
	uint32_t vfio_ioas = 0;
	bool account_mm = false; // IOMMU_OPTION_RLIMIT_MODE

	Ioas *FindIoas(uint32_t id);
	uint32_t NextId() const;
};

class FakeKernel {
public:
	explicit FakeKernel(Profile p = Profile::Linux7_2);
	~FakeKernel();
	FakeKernel(const FakeKernel &) = delete;
	FakeKernel &operator=(const FakeKernel &) = delete;

	// Put this fake behind the seam / restore the real system calls.
	void Install();
	void Uninstall();

	void SetProfile(Profile p) { profile_ = p; }
	Profile profile() const { return profile_; }
	uint32_t kver() const { return ProfileKver(profile_); }

	// ---- files ---------------------------------------------------------
	// open() succeeds for "/dev/iommu" and for paths added here; any other
	// path is ENOENT.
	void AddDevicePath(const std::string &path) { paths_.push_back(path); }
	void FailNextOpen(int err) { open_error_ = err; }
	int OpenIommufd();  // an iommufd some other party opened
	int AddPlainFd();   // an open fd that is not an iommufd
	int AddFile();      // a file IOMMU_IOAS_MAP_FILE accepts
	bool IsOpen(int fd) const;
	bool IsIommufd(int fd) const;
	unsigned opens() const { return opens_; }
	unsigned closes() const { return closes_; }
	int last_open_flags() const { return last_open_flags_; }
	const std::string &last_open_path() const { return last_open_path_; }

	// ---- counters ------------------------------------------------------
	unsigned ioctls() const;             // every ioctl, whatever its fate
	unsigned release_asks() const { return release_asks_; } // uname() of the seam
	unsigned ioctls(uint32_t nr) const;  // those of one iommufd command
	uint32_t last_size(uint32_t nr) const; // its last size word, 0: never
	void ResetCounters();

	// ---- injection -----------------------------------------------------
	// The @nth ioctl from now (1: the next one) fails with -@err before the
	// fake looks at it.
	void FailIoctl(unsigned nth, int err);
	// Called before each ioctl is handled, with its command number.
	std::function<void(FakeKernel &, uint32_t nr)> before_ioctl;

	// ---- kernel state --------------------------------------------------
	Ictx &ictx();       // of the most recently opened iommufd
	Ictx &ictx(int fd); // of iommufd @fd
	Ioas &ioas(uint32_t id); // of ictx(); aborts the test if missing
	size_t object_count() const; // over every open iommufd
	// Reserve IOVA so that IOMMU_IOAS_IOVA_RANGES reports @n ranges.
	void SetNumRanges(uint32_t ioas_id, unsigned n);
	bool cap_sys_resource = true; // capable(CAP_SYS_RESOURCE)

	// ---- event queues (fake_eventq.cc) ----------------------------------
	// A fault queue's or vEVENTQ's fd is a real eventfd, readable while
	// records wait, so poll()/epoll work on it; read() and write() through
	// the seam act as the kernel's (eventq.c), errnos and all.  It holds
	// its object (IOMMU_DESTROY: EBUSY) until closed; a HWPT holds its
	// fault queue.  Queue IDs are of ictx().  Thread safe.
	//
	// A page-request group arrives on fault queue @fault_id: @records in
	// order, LAST_PAGE on the last only; the read gives it a cookie (from 1,
	// the lowest free, as xa_alloc).  false: no such queue.
	bool RaiseFaultGroup(uint32_t fault_id, const std::vector<PageRequest> &records);
	// The kernel answers every group of @fault_id INVALID itself, read or
	// not (a device detached: iommufd_auto_response_faults()).
	bool AutoRespond(uint32_t fault_id);
	// iommufd_viommu_report_event() on vEVENTQ @veventq_id: queued, or
	// dropped (queue full, or @no_memory) into the LOST_EVENTS header.
	bool ReportVevent(uint32_t veventq_id, const std::vector<uint8_t> &data,
			  bool no_memory = false);
	EventqCounters eventq_counters() const;
	// The @nth read or write on an event-queue fd from now fails with -@err
	// before the fake looks at it (0: none).
	void FailEventqIo(unsigned nth, int err);
	// Called after each read of an event-queue fd that returned bytes, so a
	// test can garble them (@n may change too).
	std::function<void(void *buf, ssize_t &n)> after_eventq_read;
	std::vector<int> OpenFds() const; // every fd the fake has open

	// The seam's entry points.
	int Open(const std::string &path, int flags);
	int Close(int fd);
	int Ioctl(int fd, unsigned long request, void *arg);
	ssize_t Read(int fd, void *buf, size_t len);
	ssize_t Write(int fd, const void *buf, size_t len);

	// For the command handlers (under lock_): an fd for event queue @id of
	// @ictx (its object made already; @depth 0: a fault queue), or -errno.
	bool IsFile(int fd) const;
	int NewEventq(Ictx &ictx, uint32_t id, uint32_t vevent_type, uint32_t depth);

private:
	enum class FdKind { kIommufd, kPlain, kFile, kEventq };
	int NewFd(FdKind kind);
	EventQueue *FindEventq(uint32_t id, ObjType type);
	void ReleaseEventq(int fd);
	void ReleaseEventqs();

	Profile profile_;
	std::vector<std::string> paths_;
	int open_error_ = 0;
	std::map<int, FdKind> fds_;
	std::map<int, Ictx> ictxs_;
	int next_fd_ = kFirstFakeFd;
	int last_iommufd_ = -1;
	unsigned opens_ = 0, closes_ = 0;
	int last_open_flags_ = 0;
	std::string last_open_path_;

	mutable std::mutex lock_;
	unsigned ioctls_ = 0;
	std::map<uint32_t, unsigned> per_cmd_;
	std::map<uint32_t, uint32_t> last_size_;
	unsigned fail_at_ = 0; // ioctls_ value that fails; 0: none
	int fail_err_ = 0;
	std::map<int, std::shared_ptr<EventQueue>> eventqs_; // by fd
	unsigned release_asks_ = 0;
	EventqCounters eventq_counters_;
	unsigned eventq_io_ = 0, eventq_fail_at_ = 0;
	int eventq_fail_err_ = 0;

	struct Seam;
	ifd_sys_ops *ops_;
};

} // namespace fake
