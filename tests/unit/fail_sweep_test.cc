// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The injected-failure sweep over a VMM's whole life with one device:
// open a context, an IOAS, map, copy and unmap, open and bind a VFIO cdev
// and read what it has (info, BAR0, the MSI IRQ), a nesting parent, a
// fault queue and a nested HWPT reporting to it, attach, read a page
// request and answer it, then detach, destroy and close.  For every N it
// fails the Nth ioctl (iommufd's and VFIO's alike) with each errno the
// kernel can answer that command with, the Nth read or write of the fault
// queue likewise, and the Nth heap allocation of the library (src/alloc.h).
// After each run: every failed
// call answered a negative errno with a sentence, the sequence's own
// unwinding left no kernel object, the context still works, and once it
// is closed no fd is left open -- and, in a LeakSanitizer build, no heap
// block leaked.  The test prints how many failure points it swept.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "fail_nth_support.h"
#include "test_helpers.h"
#include "vfio_test_support.h"

#if defined(__SANITIZE_ADDRESS__)
#define SWEEP_HAS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SWEEP_HAS_LSAN 1
#endif
#endif
#ifdef SWEEP_HAS_LSAN
#include <sanitizer/lsan_interface.h>
#endif

// The name in the summary line: scripts/check runs the unit suite twice.
#ifdef SWEEP_HAS_LSAN
constexpr char kSuite[] = "unit-asan";
#else
constexpr char kSuite[] = "unit";
#endif

namespace {

// ---- the errnos, per command ---------------------------------------------
//
// What the kernel can answer each command of the sequence with (Linux 7.2:
// drivers/iommu/iommufd/{main,ioas,io_pagetable,hw_pagetable,device,
// eventq}.c and drivers/vfio/{device_cdev,vfio_main}.c), written down here
// as facts.  Every iommufd command can also meet the dispatcher's own:
// EFAULT (the size word or struct cannot be read), EINVAL (size below the
// first release's), E2BIG (non-zero bytes past what the kernel knows) and
// ENOTTY (a kernel without the command).
struct CmdErrnos {
	const char *name;
	std::vector<int> errnos;
};

const std::vector<int> kDispatcher = {EFAULT, EINVAL, E2BIG, ENOTTY};

std::vector<int> Iommufd(std::vector<int> own)
{
	own.insert(own.begin(), kDispatcher.begin(), kDispatcher.end());
	return own;
}

const std::map<unsigned long, CmdErrnos> &ErrnoTable()
{
	static const std::map<unsigned long, CmdErrnos> table = {
		// iommufd_object_remove(): no such object; still referenced.
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_DESTROY), {"IOMMU_DESTROY", Iommufd({ENOENT, EBUSY})}},
		// Unknown flags; iommufd_object_alloc().
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_IOAS_ALLOC),
		 {"IOMMU_IOAS_ALLOC", Iommufd({EOPNOTSUPP, ENOMEM})}},
		// Flags; iova + length past ULONG_MAX; no IOAS; iopt_alloc_iova()'s
		// ENOSPC, iopt_check_iova()'s EEXIST, iopt_insert_area()'s EPERM
		// (writeable mapping of read-only pages), pinning's ENOMEM.
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_IOAS_MAP),
		 {"IOMMU_IOAS_MAP",
		  Iommufd({EOPNOTSUPP, EOVERFLOW, ENOENT, ENOMEM, EEXIST, ENOSPC, EPERM})}},
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_IOAS_COPY),
		 {"IOMMU_IOAS_COPY",
		  Iommufd({EOPNOTSUPP, EOVERFLOW, ENOENT, ENOMEM, EEXIST, ENOSPC, EPERM})}},
		// iopt_unmap_iova_range(): nothing there; an area split or still
		// pinned; the access's unmap loop giving up (EDEADLOCK).
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_IOAS_UNMAP),
		 {"IOMMU_IOAS_UNMAP", Iommufd({EOVERFLOW, ENOENT, EBUSY, EDEADLOCK})}},
		// Flags the domain cannot do; no device or parent; the domain's
		// allocation; a fault queue that is not one.
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_HWPT_ALLOC),
		 {"IOMMU_HWPT_ALLOC", Iommufd({EOPNOTSUPP, ENOENT, ENOMEM, EBUSY})}},
		// Flags; the object; anon_inode_getfile()'s ENFILE and
		// get_unused_fd_flags()'s EMFILE.
		{UAPI_IOMMUFD_IOCTL(UAPI_CMD_FAULT_QUEUE_ALLOC),
		 {"IOMMU_FAULT_QUEUE_ALLOC", Iommufd({EOPNOTSUPP, ENOMEM, ENFILE, EMFILE})}},
		// vfio_df_ioctl_bind_iommufd(): argsz/flags, the struct, the fd
		// (EBADF, not an iommufd: EBADFD), the VF token (EACCES), a group
		// already open (EBUSY), unsafe interrupts (EPERM), no IOMMU
		// group (ENODEV), the open itself (ENOMEM); ENOTTY: no cdev ioctl.
		{UAPI_VFIO_DEVICE_BIND_IOMMUFD,
		 {"VFIO_DEVICE_BIND_IOMMUFD",
		  {EINVAL, EFAULT, EBADF, EBADFD, EACCES, EBUSY, EPERM, ENODEV, ENOMEM, ENOTTY}}},
		// vfio_df_ioctl_attach_pt(), iommufd_device_attach(): argsz/flags,
		// no such object, an incompatible domain, a group in use.
		{UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT,
		 {"VFIO_DEVICE_ATTACH_IOMMUFD_PT",
		  {EINVAL, EFAULT, ENOENT, EBUSY, ENOMEM, EOPNOTSUPP, ENODEV, ENOTTY}}},
		{UAPI_VFIO_DEVICE_DETACH_IOMMUFD_PT,
		 {"VFIO_DEVICE_DETACH_IOMMUFD_PT", {EINVAL, EFAULT, EOPNOTSUPP, ENOTTY}}},
		// vfio_pci_ioctl_get_info() and friends.
		{UAPI_VFIO_DEVICE_GET_INFO,
		 {"VFIO_DEVICE_GET_INFO", {EINVAL, EFAULT, ENOMEM, ENOTTY}}},
		{UAPI_VFIO_DEVICE_GET_REGION_INFO,
		 {"VFIO_DEVICE_GET_REGION_INFO", {EINVAL, EFAULT, ENOMEM, ENOTTY}}},
		{UAPI_VFIO_DEVICE_GET_IRQ_INFO, {"VFIO_DEVICE_GET_IRQ_INFO", {EINVAL, EFAULT, ENOTTY}}},
	};
	return table;
}

// ---- the sequence ----------------------------------------------------------

constexpr uint64_t kMapIova = 1ull << 32;
constexpr uint64_t kMapLength = 16 * kPage;

// What one run made, so it can take it down again.
struct Life {
	iommufd_ctx *ctx = nullptr;
	iommufd_device *dev = nullptr;
	iommufd_fault_queue *queue = nullptr;
	uint32_t ioas = 0, copy_ioas = 0, dev_id = 0, parent = 0, nested = 0, fault_id = 0;
	bool attached = false, mapped = false;
};

class FailSweep : public VfioProfileTest {
protected:
	struct Totals {
		unsigned ioctl_points = 0;  // (N, errno) pairs injected
		unsigned eventq_points = 0; // the same for fault-queue reads and writes
		unsigned alloc_points = 0;  // N injected
		unsigned failed = 0;        // runs in which a call failed (cleanly or not)
		unsigned absorbed = 0;      // runs the library got through anyway
		unsigned bad = 0;           // runs that failed a check
	};

	// Count one failure point of a kind, and how its run went.
	void Tally(unsigned &kind, bool bad)
	{
		kind++;
		(first_rc_ ? t_.failed : t_.absorbed)++;
		t_.bad += bad;
	}

	// One failed call of a run: a negative errno with a sentence (in the
	// context's, or for calls without one -- @l.ctx NULL or @ctxless --
	// the thread's).
	void Failed(const Life &l, int rc, const char *what, bool ctxless = false)
	{
		const iommufd_ctx *where = ctxless ? nullptr : l.ctx;
		EXPECT_LT(rc, 0) << at_ << ": " << what;
		EXPECT_STRNE("", iommufd_ctx_last_error(where)) << at_ << ": " << what;
		if (first_rc_ == 0)
			first_rc_ = rc;
	}

	// Run a setup step; false (after checking the failure) if it failed.
	bool Step(Life &l, int rc, const char *what, bool ctxless = false)
	{
		if (rc)
			Failed(l, rc, what, ctxless);
		return rc == 0;
	}

	// Run a teardown step; a failure is checked and the step tried again,
	// as a program would after a transient error.
	template <class Call> void Undo(Life &l, const char *what, Call call)
	{
		const int rc = call();
		if (!rc)
			return;
		Failed(l, rc, what);
		EXPECT_EQ(0, call()) << at_ << ": " << what << " again: "
				     << iommufd_ctx_last_error(l.ctx);
	}

	bool Setup(Life &l)
	{
		const iommufd_hwpt_selftest data = {7};
		iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		uint64_t iova = kMapIova, copy_iova = kMapIova, unmapped = 0;
		iommufd_device_info info;
		iommufd_region_info region;
		iommufd_irq_info irq;

		if (!Step(l, iommufd_ctx_open(nullptr, &l.ctx), "iommufd_ctx_open") ||
		    !Step(l, iommufd_ioas_alloc(l.ctx, &l.ioas), "iommufd_ioas_alloc") ||
		    !Step(l, iommufd_ioas_map(l.ctx, l.ioas, UserVa(0x10000000), kMapLength,
					      kFixedRW, &iova), "iommufd_ioas_map"))
			return false;
		l.mapped = true;
		if (!Step(l, iommufd_ioas_alloc(l.ctx, &l.copy_ioas), "iommufd_ioas_alloc") ||
		    !Step(l, iommufd_ioas_copy(l.ctx, l.copy_ioas, l.ioas, kMapIova, kMapLength,
					       kFixedRW, &copy_iova), "iommufd_ioas_copy") ||
		    !Step(l, iommufd_ioas_unmap(l.ctx, l.copy_ioas, copy_iova, kMapLength,
						&unmapped), "iommufd_ioas_unmap") ||
		    !Step(l, iommufd_device_open(kEduPath, &l.dev), "iommufd_device_open",
			  true) ||
		    !Step(l, iommufd_device_bind(l.dev, l.ctx, nullptr, &l.dev_id),
			  "iommufd_device_bind") ||
		    !Step(l, iommufd_device_get_info(l.dev, &info), "iommufd_device_get_info") ||
		    !Step(l, iommufd_device_region_info(l.dev, IOMMUFD_PCI_BAR0_REGION, &region),
			  "iommufd_device_region_info (BAR0)") ||
		    !Step(l, iommufd_device_irq_info(l.dev, IOMMUFD_PCI_MSI_IRQ, &irq),
			  "iommufd_device_irq_info (MSI)") ||
		    !Step(l, iommufd_hwpt_alloc(l.ctx, l.dev_id, l.ioas, &o, &l.parent),
			  "iommufd_hwpt_alloc (parent)") ||
		    !Step(l, iommufd_fault_queue_alloc(l.ctx, nullptr, &l.queue),
			  "iommufd_fault_queue_alloc"))
			return false;
		l.fault_id = iommufd_fault_queue_id(l.queue);
		o = AllocOpts(0, l.fault_id, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		if (!Step(l, iommufd_hwpt_alloc(l.ctx, l.dev_id, l.parent, &o, &l.nested),
			  "iommufd_hwpt_alloc (nested, faulting)") ||
		    !Step(l, iommufd_device_attach(l.dev, l.nested, nullptr), "iommufd_device_attach"))
			return false;
		l.attached = true;
		return Fault(l);
	}

	// The device asks for a page; the VMM reads the request and answers.
	bool Fault(Life &l)
	{
		fake::PageRequest pr;
		iommufd_fault f = {};

		pr.dev_id = l.dev_id;
		pr.addr = kMapIova;
		pr.perm = IOMMUFD_FAULT_PERM_READ;
		EXPECT_TRUE(fk_.RaiseFaultGroup(l.fault_id, {pr})) << at_;
		const ssize_t got = iommufd_fault_queue_read(l.queue, &f, 1);
		if (got != 1) {
			Failed(l, int(got), "iommufd_fault_queue_read");
			return false;
		}
		return Step(l, iommufd_fault_queue_respond(l.queue, f.cookie,
							   IOMMUFD_FAULT_RESP_SUCCESS),
			    "iommufd_fault_queue_respond");
	}

	// Take down whatever @l holds, in the order a VMM does.
	void Teardown(Life &l)
	{
		if (l.attached)
			Undo(l, "iommufd_device_detach", [&] { return iommufd_device_detach(l.dev); });
		if (l.nested)
			Undo(l, "iommufd_destroy (nested)",
			     [&] { return iommufd_destroy(l.ctx, l.nested); });
		if (l.queue) {
			// A failed close frees the handle and leaves the ID.
			const int rc = iommufd_fault_queue_close(l.queue);
			if (rc) {
				Failed(l, rc, "iommufd_fault_queue_close");
				EXPECT_EQ(0, iommufd_destroy(l.ctx, l.fault_id)) << at_;
			}
		}
		if (l.parent)
			Undo(l, "iommufd_destroy (parent)",
			     [&] { return iommufd_destroy(l.ctx, l.parent); });
		iommufd_device_close(l.dev); // unbinds
		if (l.copy_ioas)
			Undo(l, "iommufd_destroy (copy IOAS)",
			     [&] { return iommufd_destroy(l.ctx, l.copy_ioas); });
		if (l.mapped)
			Undo(l, "iommufd_ioas_unmap_all",
			     [&] { return iommufd_ioas_unmap_all(l.ctx, l.ioas, nullptr); });
		if (l.ioas)
			Undo(l, "iommufd_destroy (IOAS)", [&] { return iommufd_destroy(l.ctx, l.ioas); });
	}

	// One run of the whole life, then @pause() (the taps stop: the checks
	// are not under test), then the checks.  Returns whether the run failed
	// one of them.
	template <class Pause> bool Run(Pause pause)
	{
		const int before = ::testing::UnitTest::GetInstance()->current_test_info()
					   ->result()->total_part_count();
		Life l;

		first_rc_ = 0;
		Setup(l);
		Teardown(l);
		pause();
		if (l.ctx) {
			// The unwinding left nothing behind; the context still works.
			EXPECT_EQ(0u, fk_.object_count()) << at_;
			ExpectUsable(l.ctx, at_);
			EXPECT_EQ(0u, fk_.object_count()) << at_;
			iommufd_ctx_close(l.ctx);
		}
		EXPECT_EQ(fds_, fk_.OpenFds()) << at_;
		EXPECT_TRUE(vfio_.Files(*edu_).empty()) << at_ << ": the device's fd is still open";
#ifdef SWEEP_HAS_LSAN
		EXPECT_EQ(0, __lsan_do_recoverable_leak_check()) << at_ << ": heap leaked";
#endif
		return ::testing::UnitTest::GetInstance()->current_test_info()->result()
			       ->total_part_count() != before;
	}

	void SetUp() override
	{
		VfioProfileTest::SetUp();
		fds_ = fk_.OpenFds();
	}

	Totals t_;
	std::vector<int> fds_; // the fixture's own
	std::string at_;       // the case being run, for messages
	int first_rc_ = 0;     // the first failure a run met
};

TEST_P(FailSweep, EveryIoctlEveryErrnoEveryAllocation)
{
	std::vector<unsigned long> requests;
	unsigned allocs = 0, reads = 0, writes = 0;

	// The undisturbed run: every step succeeds, and it tells the sweep
	// which command each ioctl is, how many allocations there are and how
	// many reads and writes of the fault queue.
	{
		IoctlTap ioctls;
		AllocTap heap;
		const fake::EventqCounters io = fk_.eventq_counters();
		at_ = "undisturbed";
		ioctls.Fail(0, 0);
		heap.Fail(0);
		ASSERT_FALSE(Run([&] {
			ioctls.Pause();
			heap.Pause();
		}));
		ASSERT_EQ(0, first_rc_) << iommufd_ctx_last_error(nullptr);
		requests = ioctls.requests();
		allocs = heap.count();
		reads = fk_.eventq_counters().reads - io.reads;
		writes = fk_.eventq_counters().writes - io.writes;
	}
	ASSERT_GT(requests.size(), 10u);
	ASSERT_GT(allocs, 3u);
	ASSERT_EQ(1u, reads);
	ASSERT_EQ(1u, writes);

	// The Nth ioctl, with each errno its command can give.  The first N-1
	// ioctls of a run are those of the undisturbed run, so the Nth is the
	// undisturbed run's Nth.
	for (size_t i = 0; i < requests.size(); i++) {
		auto cmd = ErrnoTable().find(requests[i]);
		ASSERT_NE(ErrnoTable().end(), cmd)
			<< "ioctl " << std::hex << requests[i] << " of the sequence has no errno list";
		for (int err : cmd->second.errnos) {
			IoctlTap ioctls;
			at_ = "ioctl N=" + std::to_string(i + 1) + " (" + cmd->second.name + ") " +
			      strerrorname_np(err);
			ioctls.Fail(unsigned(i + 1), err);
			Tally(t_.ioctl_points, Run([&] { ioctls.Pause(); }));
			ASSERT_GE(ioctls.requests().size(), i + 1) << at_ << ": never reached";
			EXPECT_EQ(requests[i], ioctls.requests()[i]) << at_ << ": another ioctl";
		}
	}

	// The Nth read or write of the fault queue (Fault(): the read, then
	// the response), with what iommufd_fault_fops_read() / _write() can
	// answer: ESPIPE (an offset), EINVAL (a short buffer; a bad response),
	// EFAULT, and for a read xa_alloc()'s ENOMEM and EBUSY (no cookie left).
	const std::vector<int> read_errnos = {ESPIPE, EINVAL, EFAULT, ENOMEM, EBUSY};
	const std::vector<int> write_errnos = {ESPIPE, EINVAL, EFAULT};
	for (unsigned nth = 1; nth <= reads + writes; nth++) {
		const bool read = nth <= reads;
		for (int err : read ? read_errnos : write_errnos) {
			at_ = std::string("fault queue ") + (read ? "read" : "write") +
			      " N=" + std::to_string(nth) + " " + strerrorname_np(err);
			fk_.FailEventqIo(nth, err);
			Tally(t_.eventq_points, Run([&] { fk_.FailEventqIo(0, 0); }));
		}
	}

	// The Nth allocation, for every N; N = allocs + 1 fails nothing.
	const unsigned n = SweepN(allocs + 2, [&](unsigned nth) {
		AllocTap heap;
		at_ = "allocation N=" + std::to_string(nth);
		heap.Fail(nth);
		const bool bad = Run([&] { heap.Pause(); });
		const bool injected = heap.count() >= nth;
		if (injected)
			Tally(t_.alloc_points, bad);
		return injected;
	});
	EXPECT_EQ(allocs + 1, n) << "a run allocated differently from the undisturbed one";
	EXPECT_EQ(allocs, t_.alloc_points);

	printf("[sweep %s %s] %u failure points swept (%u ioctl x errno over %zu ioctls, "
	       "%u fault-queue read/write x errno, %u allocations): a call failed in %u runs, "
	       "%u runs got through; %u leaked or inconsistent%s\n",
	       kSuite, fake::ProfileName(GetParam()).c_str(),
	       t_.ioctl_points + t_.eventq_points + t_.alloc_points, t_.ioctl_points,
	       requests.size(), t_.eventq_points, t_.alloc_points, t_.failed, t_.absorbed, t_.bad,
#ifdef SWEEP_HAS_LSAN
	       ", heap checked by LeakSanitizer after each run"
#else
	       ", heap not checked (no LeakSanitizer in this build)"
#endif
	);
	fflush(stdout);
	EXPECT_EQ(0u, t_.bad);
}

// Fault queues and faulting nested HWPTs arrived in 6.11; the sweep runs on
// the releases of the test bed's kernels.
const fake::Profile kSweepProfiles[] = {fake::Profile::Linux6_12, fake::Profile::Linux7_2};
INSTANTIATE_FOR_PROFILES(FailSweep, kSweepProfiles);

} // namespace
