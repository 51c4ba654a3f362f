// SPDX-License-Identifier: LGPL-2.1-or-later
// The library under the kernel's own fault injection, in the spirit of the
// kernel's iommufd_fail_nth selftest: each sequence below (open, IOAS and
// maps, HWPTs, device attach, fault queue, vIOMMU with vDEVICE and vEVENTQ,
// each down to its teardown) is
// swept with every fault-injection check it passes through failed in turn
// (see fail_sweep.h for what is checked after each pass).  Runs in the test
// VM as root; ends with
//   "[kernel X.Y.Z] fail_nth sweep: N failure points over S sequences, L leaked; ..."
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>
#include <libiommufd/veventq.h>
#include <libiommufd/viommu.h>

#include "fail_sweep.h"
#include "test_helpers.h"

// Under ASan a malloc the failure hits must return NULL, as glibc's does,
// for the library's out-of-memory paths to run (by default ASan aborts).
// Only an ASan build calls this.
extern "C" const char *__asan_default_options()
{
	return "allocator_may_return_null=1";
}

namespace {

constexpr uint32_t kRW = IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE;
constexpr uint64_t kLen = 64 * 1024;
constexpr uint64_t kFixedIova = 1ull << 30;
constexpr uint32_t kIotlbDefault = 0xbadbeef; // the selftests' IOTLB value

FailNth *g_inj;
std::string g_inj_missing;
unsigned g_points, g_leaked, g_sequences;

class Injection : public ::testing::Environment {
	void SetUp() override
	{
		g_inj = new FailNth;
		g_inj_missing = g_inj->Setup();
	}
	void TearDown() override
	{
		delete g_inj;
		g_inj = nullptr;
	}
};

// Memory the sequences map: populated up front, so no page fault (itself
// a fault-injection check) happens inside a pass.
uint8_t *Memory()
{
	static uint8_t *const p = [] {
		void *m = mmap(nullptr, kLen, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		return m == MAP_FAILED ? nullptr : static_cast<uint8_t *>(m);
	}();
	return p;
}

void RunSweep(const char *name, const Sequence &seq, bool opens_ctx = false)
{
	ASSERT_NE(nullptr, g_inj);
	ASSERT_EQ("", g_inj_missing) << "the test kernels have fault injection";
	ASSERT_NE(nullptr, Memory());
	const SweepResult r = Sweep(seq, opens_ctx, *g_inj);

	printf("[ fail_nth ] %s: %s\n", name, Describe(r).c_str());
	for (const auto &[call, c] : r.calls)
		printf("[ fail_nth ]   %s x%u%s%s\n", call.c_str(), c.first,
		       c.second.empty() ? "" : ": ", c.second.c_str());
	fflush(stdout);
	g_points += r.points;
	g_leaked += r.leaked;
	g_sequences++;
	for (const std::string &s : r.problems)
		ADD_FAILURE() << name << ": " << s;
	// A sweep that never injected anything would prove nothing.
	EXPECT_LT(0u, r.points) << name << ": no fault-injection check was reached";
	EXPECT_EQ(0u, r.leaked);
}

// Sequence helpers: each creates one object, records it, and leaves the
// sequence when the call failed.
#define NEW_IOAS(p, o, id)                                                          \
	uint32_t id = 0;                                                            \
	FAIL_STEP(p, "iommufd_ioas_alloc", iommufd_ioas_alloc((o).ctx, &id)); \
	(o).Add(Objects::kIoas, id)

#define NEW_MOCK_DEV(p, o, ioas, stdev, dev)                                          \
	uint32_t stdev = 0, dev = 0;                                                  \
	FAIL_STEP(p, "iommufd_test_mock_domain",                                      \
		  iommufd_test_mock_domain((o).ctx, ioas, 0, &stdev, nullptr, &dev)); \
	(o).stdevs.push_back(stdev)

#define NEW_HWPT(p, o, dev, pt, opts, id)                                                  \
	uint32_t id = 0;                                                                   \
	FAIL_STEP(p, "iommufd_hwpt_alloc", iommufd_hwpt_alloc((o).ctx, dev, pt, &(opts), &id)); \
	(o).Add(Objects::kHwpt, id)

#define DESTROY(p, o, id)                                                    \
	do {                                                                 \
		FAIL_STEP(p, "iommufd_destroy(" #id ")", iommufd_destroy((o).ctx, id)); \
		(o).Forget(id);                                              \
	} while (0)

#define REPLACE(p, o, stdev, pt)                              \
	FAIL_STEP(p, "iommufd_test_mock_domain_replace(" #pt ")", \
		  iommufd_test_mock_domain_replace((o).ctx, stdev, pt, nullptr))

TEST(FailNth, Open)
{
	RunSweep("open", [](Pass &p, Objects &o) {
		FAIL_STEP(p, "iommufd_ctx_open", iommufd_ctx_open(nullptr, &o.ctx));
		NEW_IOAS(p, o, ioas);
		DESTROY(p, o, ioas);
	}, true);
}

TEST(FailNth, IoasMap)
{
	RunSweep("ioas map", [](Pass &p, Objects &o) {
		struct iommufd_iova_range ranges[4];
		uint64_t iova = 0, fixed = kFixedIova, copy = 0, done = 0;

		NEW_IOAS(p, o, ioas);
		FAIL_STEP(p, "iommufd_ioas_map", iommufd_ioas_map(o.ctx, ioas, Memory(), kLen, kRW, &iova));
		FAIL_STEP(p, "iommufd_ioas_map(fixed)",
			  iommufd_ioas_map(o.ctx, ioas, Memory(), kLen / 2,
					   kRW | IOMMUFD_MAP_FIXED_IOVA, &fixed));
		FAIL_STEP(p, "iommufd_ioas_iova_ranges",
			  iommufd_ioas_iova_ranges(o.ctx, ioas, ranges, 4, nullptr));
		NEW_IOAS(p, o, dst);
		FAIL_STEP(p, "iommufd_ioas_copy",
			  iommufd_ioas_copy(o.ctx, dst, ioas, iova, kLen, kRW, &copy));
		FAIL_STEP(p, "iommufd_ioas_unmap", iommufd_ioas_unmap(o.ctx, ioas, iova, kLen, &done));
		FAIL_STEP(p, "iommufd_ioas_unmap_all", iommufd_ioas_unmap_all(o.ctx, dst, &done));
		DESTROY(p, o, dst);
		DESTROY(p, o, ioas);
	});
}

TEST(FailNth, Hwpt)
{
	RunSweep("hwpt", [](Pass &p, Objects &o) {
		const iommufd_hwpt_selftest data = {kIotlbDefault};
		const iommufd_hwpt_alloc_opts parent_opts = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		const iommufd_hwpt_alloc_opts nested_opts =
			AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		const iommufd_selftest_invalidate inv = {1 /* all */, 0};
		uint32_t num = 1;
		uint64_t iova = 0, done = 0;

		NEW_IOAS(p, o, ioas);
		// The device first: the IOVA the map picks is then in its aperture.
		NEW_MOCK_DEV(p, o, ioas, stdev, dev);
		FAIL_STEP(p, "iommufd_ioas_map", iommufd_ioas_map(o.ctx, ioas, Memory(), kLen, kRW, &iova));
		NEW_HWPT(p, o, dev, ioas, parent_opts, parent);
		NEW_HWPT(p, o, dev, parent, nested_opts, nested);
		FAIL_STEP(p, "iommufd_hwpt_invalidate",
			  iommufd_hwpt_invalidate(o.ctx, nested, IOMMUFD_INVALIDATE_DATA_SELFTEST,
						  &inv, sizeof(inv), &num));
		REPLACE(p, o, stdev, nested);
		REPLACE(p, o, stdev, ioas);
		DESTROY(p, o, nested);
		DESTROY(p, o, parent);
		DESTROY(p, o, stdev);
		FAIL_STEP(p, "iommufd_ioas_unmap", iommufd_ioas_unmap(o.ctx, ioas, iova, kLen, &done));
		DESTROY(p, o, ioas);
	});
}

TEST(FailNth, Attach)
{
	RunSweep("device attach", [](Pass &p, Objects &o) {
		const iommufd_hwpt_alloc_opts paging = AllocOpts(0);
		uint64_t iova = 0, done = 0;

		NEW_IOAS(p, o, ioas);
		NEW_MOCK_DEV(p, o, ioas, stdev1, dev1);
		FAIL_STEP(p, "iommufd_ioas_map", iommufd_ioas_map(o.ctx, ioas, Memory(), kLen, kRW, &iova));
		NEW_MOCK_DEV(p, o, ioas, stdev2, dev2); // joins a domain that maps pages
		(void)dev2;
		NEW_HWPT(p, o, dev1, ioas, paging, hwpt);
		REPLACE(p, o, stdev1, hwpt);
		REPLACE(p, o, stdev2, hwpt);
		// Unmapping and mapping again while devices are attached.
		FAIL_STEP(p, "iommufd_ioas_unmap", iommufd_ioas_unmap(o.ctx, ioas, iova, kLen, &done));
		FAIL_STEP(p, "iommufd_ioas_map", iommufd_ioas_map(o.ctx, ioas, Memory(), kLen, kRW, &iova));
		REPLACE(p, o, stdev1, ioas);
		DESTROY(p, o, stdev2); // unplugged while attached
		DESTROY(p, o, hwpt);
		DESTROY(p, o, stdev1);
		FAIL_STEP(p, "iommufd_ioas_unmap_all", iommufd_ioas_unmap_all(o.ctx, ioas, &done));
		DESTROY(p, o, ioas);
	});
}

// The page request the mock raised, read from @q (waiting a little for it).
ssize_t ReadFault(iommufd_fault_queue *q, iommufd_fault *f)
{
	ssize_t n = iommufd_fault_queue_read(q, f, 1);
	pollfd pfd = {iommufd_fault_queue_fd(q), POLLIN, 0};

	if (n == 0 && poll(&pfd, 1, 2000) == 1)
		n = iommufd_fault_queue_read(q, f, 1);
	return n;
}

TEST(FailNth, FaultQueue)
{
	RunSweep("fault queue", [](Pass &p, Objects &o) {
		const iommufd_hwpt_alloc_opts parent_opts = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		const iommufd_hwpt_selftest data = {kIotlbDefault};
		iommufd_fault_queue *q = nullptr;
		iommufd_fault f = {};
		ssize_t n = 0;

		NEW_IOAS(p, o, ioas);
		NEW_MOCK_DEV(p, o, ioas, stdev, dev);
		NEW_HWPT(p, o, dev, ioas, parent_opts, parent);
		FAIL_STEP(p, "iommufd_fault_queue_alloc", iommufd_fault_queue_alloc(o.ctx, nullptr, &q));
		o.Add(q);
		// 6.12 takes a fault_id on nested HWPTs only.
		const iommufd_hwpt_alloc_opts iopf_opts = AllocOpts(
			0, iommufd_fault_queue_id(q), IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		NEW_HWPT(p, o, dev, parent, iopf_opts, iopf);
		REPLACE(p, o, stdev, iopf);
		FAIL_STEP(p, "iommufd_test_trigger_iopf",
			  iommufd_test_trigger_iopf(o.ctx, dev, 0, 1,
						    IOMMUFD_FAULT_PERM_READ | IOMMUFD_FAULT_PERM_WRITE,
						    0x100000));
		FAIL_STEP(p, "iommufd_fault_queue_read", n = ReadFault(q, &f));
		if (n != 1)
			return p.Stop("no page request came");
		FAIL_STEP(p, "iommufd_fault_queue_respond",
			  iommufd_fault_queue_respond(q, f.cookie, IOMMUFD_FAULT_RESP_SUCCESS));
		REPLACE(p, o, stdev, ioas);
		DESTROY(p, o, iopf);
		o.Forget(q); // closed even when it fails
		FAIL_STEP(p, "iommufd_fault_queue_close", iommufd_fault_queue_close(q));
		DESTROY(p, o, parent);
		DESTROY(p, o, stdev);
		DESTROY(p, o, ioas);
	});
}

bool KernelAtLeast(unsigned major, unsigned minor)
{
	utsname u = {};
	unsigned a = 0, b = 0;

	return !uname(&u) && sscanf(u.release, "%u.%u", &a, &b) == 2 &&
	       (a > major || (a == major && b >= minor));
}

// The vEVENT the mock raised, read from @q (waiting a little for it).
ssize_t ReadVevent(iommufd_veventq *q, iommufd_vevent *e)
{
	ssize_t n = iommufd_veventq_read(q, e, 1);
	pollfd pfd = {iommufd_veventq_fd(q), POLLIN, 0};

	if (n == 0 && poll(&pfd, 1, 2000) == 1)
		n = iommufd_veventq_read(q, e, 1);
	return n;
}

TEST(FailNth, Viommu)
{
	if (!KernelAtLeast(6, 15))
		GTEST_SKIP() << "vIOMMU + vDEVICE + vEVENTQ need Linux 6.15";
	RunSweep("viommu", [](Pass &p, Objects &o) {
		const iommufd_hwpt_alloc_opts parent_opts = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		const iommufd_hwpt_selftest data = {kIotlbDefault};
		const iommufd_hwpt_alloc_opts nested_opts =
			AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		iommufd_veventq *q = nullptr;
		iommufd_vevent e = {};
		uint32_t viommu = 0, vdev = 0;
		ssize_t n = 0;

		NEW_IOAS(p, o, ioas);
		NEW_MOCK_DEV(p, o, ioas, stdev, dev);
		NEW_HWPT(p, o, dev, ioas, parent_opts, parent);
		FAIL_STEP(p, "iommufd_viommu_alloc",
			  iommufd_viommu_alloc(o.ctx, dev, parent, IOMMUFD_VIOMMU_TYPE_SELFTEST,
					       nullptr, &viommu));
		o.Add(Objects::kViommu, viommu);
		FAIL_STEP(p, "iommufd_vdevice_alloc",
			  iommufd_vdevice_alloc(o.ctx, viommu, dev, 0x99, &vdev));
		o.Add(Objects::kVdevice, vdev);
		FAIL_STEP(p, "iommufd_veventq_alloc",
			  iommufd_veventq_alloc(o.ctx, viommu, IOMMUFD_VEVENTQ_TYPE_SELFTEST, 8,
						nullptr, &q));
		o.Add(q);
		NEW_HWPT(p, o, dev, viommu, nested_opts, nested);
		REPLACE(p, o, stdev, nested);
		FAIL_STEP(p, "iommufd_test_trigger_vevent", iommufd_test_trigger_vevent(o.ctx, dev));
		FAIL_STEP(p, "iommufd_veventq_read", n = ReadVevent(q, &e));
		if (n != 1)
			return p.Stop("no vEVENT came");
		REPLACE(p, o, stdev, ioas);
		DESTROY(p, o, nested);
		o.Forget(q); // closed even when it fails
		FAIL_STEP(p, "iommufd_veventq_close", iommufd_veventq_close(q));
		DESTROY(p, o, vdev);
		DESTROY(p, o, viommu);
		DESTROY(p, o, parent);
		DESTROY(p, o, stdev);
		DESTROY(p, o, ioas);
	});
}

class SweepSummary : public ::testing::EmptyTestEventListener {
	void OnTestProgramEnd(const ::testing::UnitTest &t) override
	{
		utsname u = {};

		uname(&u);
		printf("[kernel %s] fail_nth sweep: %u failure points over %u sequences, %u leaked; "
		       "%d tests, %d passed, %d skipped, %d failed\n",
		       u.release, g_points, g_sequences, g_leaked, t.test_to_run_count(),
		       t.successful_test_count(), t.skipped_test_count(), t.failed_test_count());
		fflush(stdout);
	}
};

const bool kInstalled = [] {
	::testing::AddGlobalTestEnvironment(new Injection);
	::testing::UnitTest::GetInstance()->listeners().Append(new SweepSummary);
	return true;
}();

} // namespace
