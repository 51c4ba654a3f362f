// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Size negotiation: each call sends the smallest size that covers the
// fields it set and the fields it reads back, and nothing else.
#include <cstring>

#include "test_support.h"

namespace {

using fake::CmdKnown;
using fake::CmdSize;
using fake::FactsFor;

class Negotiate : public ProfileTest {};

// Nothing newer set: the first-release size (the kernel's minimum), grown
// only to cover output fields, which zero bytes past an older kernel's
// size make harmless.
TEST_P(Negotiate, FirstReleaseSizeWhenNoNewerFieldIsSet)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		if (!CmdKnown(kver(), nr))
			continue;
		alignas(8) unsigned char buf[64] = {};
		uint32_t want = FactsFor(nr)->min_size;

		for (const iommufd_field_desc &f : Fields(nr))
			if (f.dir & IOMMUFD_FIELD_OUT)
				want = std::max(want, f.offset + f.size);
		SCOPED_TRACE(FactsFor(nr)->name);
		const int rc = ifd_cmd(ctx_, nr, buf);
		EXPECT_EQ(want, fk_.last_size(nr));
		if (rc == -EOPNOTSUPP) { // the kernel's own answer, not a refused size
			EXPECT_FALSE(HasSentence(ctx_, "needs Linux"));
		}
	}
	// The one command with an output field newer than its first release.
	EXPECT_EQ(CmdKnown(kver(), UAPI_CMD_GET_HW_INFO) ? 40u : 0u,
		  fk_.last_size(UAPI_CMD_GET_HW_INFO));
}

// Setting a newer field grows the size exactly to that field's end.
TEST_P(Negotiate, GrowsExactlyToTheSetField)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const uint32_t ksize = CmdSize(kver(), nr);

		for (const iommufd_field_desc &f : Fields(nr)) {
			if (f.offset < FactsFor(nr)->min_size || f.offset + f.size > ksize ||
			    f.dir == IOMMUFD_FIELD_OUT)
				continue;
			alignas(8) unsigned char buf[64] = {};
			std::memset(buf + f.offset, 1, f.size);
			SCOPED_TRACE(std::string(FactsFor(nr)->name) + "." + f.name);
			fk_.ResetCounters();
			ifd_cmd(ctx_, nr, buf);
			EXPECT_EQ(f.offset + f.size, fk_.last_size(nr));
			EXPECT_EQ(1u, fk_.ioctls());
		}
	}
}

// Steady state: one ioctl per call, no probing, no queries.
TEST_P(Negotiate, NoExtraIoctlsInSteadyState)
{
	const unsigned n = 64;
	const uint32_t ioas = NewIoas();
	uint64_t alignment = 0;

	ASSERT_EQ(1, iommufd_ioas_iova_ranges(ctx_, ioas, nullptr, 0, &alignment));
	fk_.ResetCounters();
	for (unsigned i = 0; i < n; i++)
		MapFixed(ioas, 0x100000 + i * kPage, kPage);
	for (unsigned i = 0; i < n; i++)
		MapAny(ioas, kPage);
	EXPECT_EQ(2 * n, fk_.ioctls(UAPI_CMD_IOAS_MAP));
	EXPECT_EQ(2 * n, fk_.ioctls());
	for (unsigned i = 0; i < n; i++)
		EXPECT_EQ(kPage, Unmap(ioas, 0x100000 + i * kPage, kPage));
	EXPECT_EQ(n, fk_.ioctls(UAPI_CMD_IOAS_UNMAP));
	EXPECT_EQ(3 * n, fk_.ioctls());
}

// A signal interrupting the ioctl is not the caller's problem.
TEST_P(Negotiate, InterruptedIoctlIsRetried)
{
	const uint32_t ioas = NewIoas();

	fk_.ResetCounters();
	fk_.FailIoctl(1, EINTR);
	EXPECT_EQ(0x100000u, MapFixed(ioas, 0x100000, kPage));
	EXPECT_EQ(2u, fk_.ioctls(UAPI_CMD_IOAS_MAP));
	EXPECT_EQ(1u, fk_.ioas(ioas).areas.size());
}

// ENOTTY from a command the kernel knows (a driver below, a seccomp filter)
// is that call's failure: the command is not written off for the context.
TEST_P(Negotiate, EnottyFromAKnownCommandIsNotCached)
{
	uint32_t id;

	// Seen to succeed before: no probe, the ENOTTY passes through.
	ASSERT_EQ(0, iommufd_ioas_alloc(ctx_, &id));
	fk_.ResetCounters();
	fk_.FailIoctl(1, ENOTTY);
	EXPECT_FAILS(ctx_, ENOTTY, "IOMMU_IOAS_ALLOC failed", iommufd_ioas_alloc(ctx_, &id));
	EXPECT_EQ(1u, fk_.ioctls());
	EXPECT_EQ(0, iommufd_ioas_alloc(ctx_, &id)) << iommufd_ctx_last_error(ctx_);

	// First use: the probe that confirms an ENOTTY finds the command known.
	uint64_t unmapped;
	fk_.ResetCounters();
	fk_.FailIoctl(1, ENOTTY);
	EXPECT_FAILS(ctx_, ENOTTY, "IOMMU_IOAS_UNMAP failed",
		     iommufd_ioas_unmap_all(ctx_, id, &unmapped));
	EXPECT_EQ(2u, fk_.ioctls());
	EXPECT_EQ(1, iommufd_probe_cmd(ctx_, UAPI_CMD_IOAS_UNMAP));
	EXPECT_EQ(0, iommufd_ioas_unmap_all(ctx_, id, &unmapped)) << iommufd_ctx_last_error(ctx_);
}

INSTANTIATE_FOR_ALL_PROFILES(Negotiate);

// HWPT_ALLOC step by step, where the kernel knows each field.
class NegotiateHwpt : public ProfileTest {};

TEST_P(NegotiateHwpt, Steps)
{
	uapi_hwpt_alloc c = {};
	ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c);
	EXPECT_EQ(24u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	c = {};
	c.data_type = UAPI_HWPT_DATA_SELFTEST;
	ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c);
	EXPECT_EQ(28u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	c.data_uptr = 0x1000;
	ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c);
	EXPECT_EQ(40u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	c.fault_id = 1;
	ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c);
	EXPECT_EQ(44u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	EXPECT_EQ(4u, fk_.ioctls());
}

INSTANTIATE_FOR_PROFILES(NegotiateHwpt, ProfilesSince(fake::Kver(6, 11)));

} // namespace
