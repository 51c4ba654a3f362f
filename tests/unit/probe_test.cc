// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The ABI probe: exact answers per release for every command and field,
// cached, and without side effects.
#include "test_support.h"

namespace {

using fake::CmdKnown;
using fake::CmdSize;
using fake::Kver;

class Probe : public ProfileTest {
protected:
	// What the fake's facts say the probe must answer for a field.
	bool FieldExpected(uint32_t nr, const iommufd_field_desc &f) const
	{
		if (!CmdKnown(kver(), nr))
			return false;
		if (f.carved) // out_max_pasid_log2 took reserved bytes in 6.12
			return kver() >= Kver(6, 12);
		return f.offset + f.size <= CmdSize(kver(), nr);
	}
};

TEST_P(Probe, CommandsPerRelease)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++)
		EXPECT_EQ(CmdKnown(kver(), nr) ? 1 : 0, iommufd_probe_cmd(ctx_, nr)) << std::hex << nr;
}

TEST_P(Probe, KernelSizePerRelease)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++)
		EXPECT_EQ(static_cast<int>(CmdSize(kver(), nr)), iommufd_probe_kernel_size(ctx_, nr))
			<< std::hex << nr;
}

TEST_P(Probe, EveryFieldPerRelease)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const std::vector<iommufd_field_desc> fields = Fields(nr);

		for (uint32_t i = 0; i < fields.size(); i++)
			EXPECT_EQ(FieldExpected(nr, fields[i]) ? 1 : 0, iommufd_probe_field(ctx_, nr, i))
				<< CmdDesc(nr).name << "." << fields[i].name;
	}
}

TEST_P(Probe, CarvedFieldIsTheOnlyOne)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++)
		for (const iommufd_field_desc &f : Fields(nr))
			if (f.carved) {
				EXPECT_EQ(std::string("IOMMU_GET_HW_INFO.out_max_pasid_log2"),
					  std::string(CmdDesc(nr).name) + "." + f.name);
			}
}

// The lowest release consistent with what the kernel shows: 6.12 looks
// like 6.11, 7.2 like 6.17.
TEST_P(Probe, Release)
{
	EXPECT_EQ(static_cast<int>(fake::NewestVisibleRelease(kver())), iommufd_probe_release(ctx_));
	const int want[] = {Kver(6, 2), Kver(6, 6), Kver(6, 7), Kver(6, 11), Kver(6, 11), Kver(6, 17)};
	EXPECT_EQ(want[static_cast<int>(GetParam())], iommufd_probe_release(ctx_));
}

TEST_P(Probe, OneIoctlPerCommandThenCached)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		fk_.ResetCounters();
		iommufd_probe_cmd(ctx_, nr);
		EXPECT_EQ(1u, fk_.ioctls()) << std::hex << nr;
		iommufd_probe_cmd(ctx_, nr);
		EXPECT_EQ(1u, fk_.ioctls()) << std::hex << nr;
	}
}

TEST_P(Probe, EverythingIsCached)
{
	ASSERT_GT(iommufd_probe_release(ctx_), 0);
	const unsigned first = fk_.ioctls();

	EXPECT_LE(first, 2 * fake::kNrCmds) << "a few ioctls per command at most";
	iommufd_probe_release(ctx_);
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		iommufd_probe_cmd(ctx_, nr);
		iommufd_probe_kernel_size(ctx_, nr);
		for (uint32_t i = 0; i < CmdDesc(nr).nr_fields; i++)
			iommufd_probe_field(ctx_, nr, i);
	}
	EXPECT_EQ(first, fk_.ioctls());
}

// Each context learns for itself (another iommufd may be another kernel's
// file, passed over a socket).
TEST_P(Probe, CachePerContext)
{
	iommufd_ctx *other = nullptr;

	iommufd_probe_release(ctx_);
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other));
	fk_.ResetCounters();
	iommufd_probe_cmd(other, UAPI_CMD_DESTROY);
	EXPECT_EQ(1u, fk_.ioctls());
	iommufd_ctx_close(other);
}

// The probe never acts: objects, mappings and settings stay as they were.
TEST_P(Probe, HasNoSideEffects)
{
	const uint32_t ioas = NewIoas();
	MapFixed(ioas, 0x100000, kPage);
	ASSERT_EQ(0, iommufd_vfio_ioas_set(ctx_, ioas));
	ASSERT_EQ(0, iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, ioas, 0));
	const fake::Ictx before = fk_.ictx();

	ASSERT_GT(iommufd_probe_release(ctx_), 0);
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++)
		for (uint32_t i = 0; i < CmdDesc(nr).nr_fields; i++)
			iommufd_probe_field(ctx_, nr, i);

	const fake::Ictx &after = fk_.ictx();
	EXPECT_EQ(1u, fk_.object_count());
	EXPECT_EQ(before.objects.size(), after.objects.size());
	EXPECT_EQ(before.vfio_ioas, after.vfio_ioas);
	EXPECT_EQ(before.account_mm, after.account_mm);
	EXPECT_EQ(1u, fk_.ioas(ioas).areas.size());
	EXPECT_FALSE(fk_.ioas(ioas).huge_pages);
}

// The probe also works on a fresh context where nothing exists yet.
TEST_P(Probe, CreatesNothingOnAnEmptyContext)
{
	iommufd_probe_release(ctx_);
	EXPECT_EQ(0u, fk_.object_count());
}

TEST_P(Probe, BadArguments)
{
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_probe_cmd: no iommufd command 0x7f",
			iommufd_probe_cmd(ctx_, 0x7f));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_probe_cmd: no iommufd command 0x95",
			iommufd_probe_cmd(ctx_, 0x95));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_probe_kernel_size: no iommufd command 0xa0",
			iommufd_probe_kernel_size(ctx_, 0xa0));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_probe_field: no iommufd command 0x0",
			iommufd_probe_field(ctx_, 0, 0));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_probe_field: IOMMU_DESTROY has no field 2",
			iommufd_probe_field(ctx_, UAPI_CMD_DESTROY, 2));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_probe_cmd: the context is NULL",
			iommufd_probe_cmd(nullptr, UAPI_CMD_DESTROY));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_probe_field: the context is NULL",
			iommufd_probe_field(nullptr, UAPI_CMD_DESTROY, 0));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_probe_kernel_size: the context is NULL",
			iommufd_probe_kernel_size(nullptr, UAPI_CMD_DESTROY));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_probe_release: the context is NULL",
			iommufd_probe_release(nullptr));
}

// A probe whose ioctl cannot even be delivered says so and caches nothing.
TEST_P(Probe, FailedProbeIsNotCached)
{
	fk_.FailIoctl(1, EBADF);
	EXPECT_FAILS(ctx_, EBADF, "probe of IOMMU_DESTROY failed: Bad file descriptor",
		     iommufd_probe_cmd(ctx_, UAPI_CMD_DESTROY));
	EXPECT_EQ(1, iommufd_probe_cmd(ctx_, UAPI_CMD_DESTROY));
}

// An errno that says nothing about the ABI (a transient ENOMEM, an EIO) is
// reported and not cached: a command this kernel lacks must not become
// "known", nor a field's size be taken from it.
TEST_P(Probe, TransientErrnoIsNotAnAnswer)
{
	const uint32_t nr = UAPI_CMD_HW_QUEUE_ALLOC; // unknown before 6.17

	for (int err : {ENOMEM, EIO}) {
		fk_.FailIoctl(1, err);
		EXPECT_EQ(-err, iommufd_probe_cmd(ctx_, nr)) << err;
		EXPECT_TRUE(HasSentence(ctx_, "probe of IOMMU_HW_QUEUE_ALLOC failed"));
	}
	EXPECT_EQ(Has(nr) ? 1 : 0, iommufd_probe_cmd(ctx_, nr));
	const uint32_t grown = UAPI_CMD_HWPT_ALLOC;
	if (!Has(grown))
		return;
	ASSERT_EQ(1, iommufd_probe_cmd(ctx_, grown));
	fk_.FailIoctl(1, ENOMEM);
	EXPECT_EQ(-ENOMEM, iommufd_probe_kernel_size(ctx_, grown));
	EXPECT_EQ(static_cast<int>(fake::CmdSize(kver(), grown)),
		  iommufd_probe_kernel_size(ctx_, grown));
}

INSTANTIATE_FOR_ALL_PROFILES(Probe);

} // namespace
