// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Injected failures: fail the Nth ioctl of a sequence for every N.  Each
// call must fail cleanly (a negative errno with a sentence, no leak under
// ASan) or succeed, and the context must stay usable afterwards.
#include "fail_nth_support.h"

namespace {

class FailNth : public ProfileTest {
protected:
	// Run @body(ctx) on a fresh context with the Nth ioctl failing, for
	// N = 1 .. until nothing fails.
	template <class Body> unsigned Sweep(int err, Body body)
	{
		return SweepCtx(fk_, 200, err, [](iommufd_ctx *) { return std::tuple<>(); }, body);
	}
};

TEST_P(FailNth, IovaRangesGrowth)
{
	for (int err : {ENOMEM, EFAULT, EIO}) {
		const unsigned n = Sweep(err, [&](iommufd_ctx *c) {
			uint32_t ioas;
			iommufd_iova_range r[2];
			int rc = iommufd_ioas_alloc(c, &ioas);
			if (rc)
				return rc;
			fk_.SetNumRanges(ioas, 4);
			rc = iommufd_ioas_iova_ranges(c, ioas, r, 2, nullptr);
			EXPECT_TRUE(rc == 4 || rc == -err) << rc;
			return rc;
		});
		EXPECT_EQ(4u, n) << "alloc, EMSGSIZE, retry, then nothing left to fail";
	}
}

TEST_P(FailNth, MapUnmapCopy)
{
	const unsigned n = Sweep(ENOMEM, [&](iommufd_ctx *c) {
		uint32_t a, b;
		uint64_t iova = 0x100000;
		int rc = iommufd_ioas_alloc(c, &a);
		if (!rc)
			rc = iommufd_ioas_alloc(c, &b);
		if (!rc)
			rc = iommufd_ioas_map(c, a, UserVa(0x1000), kPage, kFixedRW, &iova);
		if (!rc)
			rc = iommufd_ioas_copy(c, b, a, 0x100000, kPage, kRW, &iova);
		if (!rc)
			rc = iommufd_ioas_unmap_all(c, a, nullptr);
		if (!rc)
			rc = iommufd_destroy(c, b);
		return rc;
	});
	EXPECT_EQ(7u, n);
}

TEST_P(FailNth, ProbeRelease)
{
	Sweep(ENOMEM, [](iommufd_ctx *c) { return iommufd_probe_release(c); });
	Sweep(EBADF, [](iommufd_ctx *c) {
		const int rc = iommufd_probe_release(c);
		EXPECT_TRUE(rc > 0 || rc == -EBADF) << rc;
		return rc;
	});
}

INSTANTIATE_FOR_ALL_PROFILES(FailNth);

// The E2BIG explanation probes the kernel; those probes can fail too.
class FailNthExplain : public FailNth {};

TEST_P(FailNthExplain, FieldTheKernelLacks)
{
	Sweep(EBADF, [](iommufd_ctx *c) {
		uapi_hwpt_alloc cmd = {};
		cmd.fault_id = 1;
		const int rc = ifd_cmd(c, UAPI_CMD_HWPT_ALLOC, &cmd);
		EXPECT_TRUE(rc == -EOPNOTSUPP || rc == -EBADF) << rc;
		return rc;
	});
}

// Kernels that know IOMMU_HWPT_ALLOC but not fault_id.
const fake::Profile kWithoutFaultId[] = {fake::Profile::Linux6_6, fake::Profile::Linux6_7};
INSTANTIATE_FOR_PROFILES(FailNthExplain, kWithoutFaultId);

} // namespace
