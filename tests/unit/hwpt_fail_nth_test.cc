// SPDX-License-Identifier: LGPL-2.1-or-later
// Injected failures over the HWPT calls that take several ioctls (the
// dirty reader's chunks, invalidation batches, the probes behind
// GET_HW_INFO's "known" answers and behind an EOPNOTSUPP sentence): for
// every N, failing the Nth ioctl gives a negative errno with a sentence
// (or success), reports no progress that did not happen, and leaves the
// context usable.
#include <vector>

#include "fail_nth_support.h"
#include "hwpt_test_support.h"

namespace {

using fake::Kver;

class HwptFailNth : public ProfileTest {
protected:
	// Run @body(ctx, ioas, dev) on a fresh context (an IOAS and a device in
	// it) with the Nth ioctl failing, for N = 1 .. until nothing was left
	// to fail.
	template <class Body> unsigned Sweep(int err, Body body)
	{
		return SweepCtx(
			fk_, 100, err,
			[&](iommufd_ctx *c) {
				uint32_t ioas = 0;
				EXPECT_EQ(0, iommufd_ioas_alloc(c, &ioas));
				return std::make_tuple(ioas, fake::AddIommuDevice(fk_));
			},
			body);
	}
};

TEST_P(HwptFailNth, DirtyReaderChunks)
{
	const uint64_t pages = 3 * IOMMUFD_DIRTY_CHUNK_PAGES;
	std::vector<uint64_t> bitmap(pages / 64);

	const unsigned n = Sweep(ENOMEM, [&](iommufd_ctx *c, uint32_t ioas, uint32_t dev) {
		const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
		uint64_t iova = 1ull << 32;
		uint32_t hwpt;
		int rc = iommufd_hwpt_alloc(c, dev, ioas, &o, &hwpt);
		if (!rc)
			rc = iommufd_ioas_map(c, ioas, UserVa(0x10000000), pages * kPage, kFixedRW,
					      &iova);
		if (!rc)
			rc = iommufd_hwpt_get_dirty_bitmap(c, hwpt, iova, pages * kPage, kPage,
							   bitmap.data(), bitmap.size() * 8,
							   IOMMUFD_DIRTY_CHUNKED);
		EXPECT_TRUE(rc == 0 || rc == -ENOMEM) << rc;
		return rc;
	});
	EXPECT_EQ(6u, n) << "alloc, map, three chunks, then nothing left to fail";
}

TEST_P(HwptFailNth, InvalidationBatches)
{
	const uint32_t total = IOMMUFD_INVALIDATE_BATCH + 1;
	std::vector<iommufd_selftest_invalidate> e(total, iommufd_selftest_invalidate{0, 1});

	Sweep(EFAULT, [&](iommufd_ctx *c, uint32_t ioas, uint32_t dev) {
		const iommufd_hwpt_selftest data = {7};
		iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		uint32_t parent, nested, num = total;
		int rc = iommufd_hwpt_alloc(c, dev, ioas, &o, &parent);
		o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
		if (!rc)
			rc = iommufd_hwpt_alloc(c, dev, parent, &o, &nested);
		if (rc)
			return rc;
		rc = iommufd_hwpt_invalidate(c, nested, IOMMUFD_INVALIDATE_DATA_SELFTEST, e.data(),
					     sizeof(e[0]), &num);
		// A batch the kernel never answered for counts as not handled.
		if (!rc) {
			EXPECT_EQ(total, num);
		} else {
			EXPECT_TRUE(num == 0 || num == IOMMUFD_INVALIDATE_BATCH) << num;
		}
		return rc;
	});
}

INSTANTIATE_FOR_PROFILES(HwptFailNth, ProfilesSince(Kver(6, 8)));

class HwptFailNthInfo : public HwptFailNth {};

TEST_P(HwptFailNthInfo, HwInfoProbes)
{
	fake::DevIommu bare;
	bare.caps = 0; // zero answers send the library to the probe

	// EFAULT and EBADF are what a probe ioctl can really meet before the
	// kernel's size check (the probe reads any other errno as "known").
	for (int err : {EFAULT, EBADF}) {
		Sweep(err, [&](iommufd_ctx *c, uint32_t, uint32_t) {
			const uint32_t dev = fake::AddIommuDevice(fk_, bare);
			iommufd_hw_info info;
			const int rc = iommufd_get_hw_info(c, dev, &info);
			// A failed probe leaves "unknown", never a wrong "known".
			if (!rc && info.capabilities_known) {
				EXPECT_GE(kver(), Kver(6, 7));
			}
			if (!rc && info.max_pasid_log2_known) {
				EXPECT_GE(kver(), Kver(6, 12));
			}
			return rc;
		});
	}
}

TEST_P(HwptFailNthInfo, EopnotsuppSentence)
{
	fake::DevIommu nodirty;
	nodirty.dirty = false;

	Sweep(EBADF, [&](iommufd_ctx *c, uint32_t ioas, uint32_t) {
		const uint32_t dev = fake::AddIommuDevice(fk_, nodirty);
		const iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
		uint32_t id;
		const int rc = iommufd_hwpt_alloc(c, dev, ioas, &o, &id);
		EXPECT_TRUE(rc == -EOPNOTSUPP || rc == -EBADF) << rc;
		return rc;
	});
}

INSTANTIATE_FOR_PROFILES(HwptFailNthInfo, ProfilesSince(Kver(6, 7)));

} // namespace
