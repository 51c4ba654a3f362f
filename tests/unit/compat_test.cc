// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The compatibility cases of the iommufd uAPI (main.c, "extensible
// structs"): exact match, older user on a newer kernel, newer user on an
// older kernel, garbage within the range both know.
#include <cstring>

#include "test_support.h"

namespace {

using fake::CmdKnown;
using fake::CmdSize;
using fake::Kver;
using fake::ReleaseString;

class Compat : public ProfileTest {
protected:
	// ifd_cmd() on a zeroed struct of command @nr with bytes [offset,
	// offset + size) set to 1.
	int SendWith(uint32_t nr, uint32_t offset, uint32_t size)
	{
		alignas(8) unsigned char buf[64] = {};

		std::memset(buf + offset, 1, size);
		return ifd_cmd(ctx_, nr, buf);
	}
};

// Both sides know the whole struct: it goes out whole.
TEST_P(Compat, ExactMatch)
{
	const uint32_t ioas = NewIoas();

	MapFixed(ioas, 0x100000, kPage);
	EXPECT_EQ(CmdSize(kver(), UAPI_CMD_IOAS_MAP), fk_.last_size(UAPI_CMD_IOAS_MAP));
	EXPECT_EQ(CmdSize(kver(), UAPI_CMD_IOAS_ALLOC), fk_.last_size(UAPI_CMD_IOAS_ALLOC));
	if (kver() < Kver(6, 11))
		return;
	uapi_hwpt_alloc c = {};
	c.flags = UAPI_HWPT_FAULT_ID_VALID;
	c.dev_id = 1;
	c.pt_id = ioas;
	c.data_type = UAPI_HWPT_DATA_SELFTEST;
	c.data_len = 8;
	c.data_uptr = 0x1000;
	c.fault_id = 5;
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_HWPT_ALLOC failed: No such file or directory",
		     ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c));
	// Up to fault_id: the trailing __reserved2 is not needed.
	EXPECT_EQ(44u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
}

// A newer caller setting a field the kernel lacks gets EOPNOTSUPP and a
// sentence naming the field, its release and the kernel's size; every
// such field of every command, with the release taken from the fake's
// own facts.
TEST_P(Compat, NewerUserOnOlderKernelNamesTheField)
{
	unsigned checked = 0;

	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const uint32_t ksize = CmdSize(kver(), nr);
		const std::string name = CmdDesc(nr).name;

		if (!ksize)
			continue;
		for (const iommufd_field_desc &f : Fields(nr)) {
			if (f.offset + f.size <= ksize)
				continue;
			SCOPED_TRACE(name + "." + f.name);
			const std::string want =
				name + ": field " + f.name + " needs Linux " +
				ReleaseString(fake::ReleaseCovering(nr, f.offset + f.size)) +
				" or newer (this kernel accepts " + std::to_string(ksize) + " bytes)";
			EXPECT_FAILS(ctx_, EOPNOTSUPP, want, SendWith(nr, f.offset, f.size));
			checked++;
		}
	}
	// 6.6 lacks 5 HWPT_ALLOC fields and out_capabilities, 6.7 fault_id and __reserved2.
	const unsigned expected[] = {0, 6, 2, 0, 0, 0};
	EXPECT_EQ(expected[static_cast<int>(GetParam())], checked);
}

// A command the kernel lacks: EOPNOTSUPP naming the release, and the
// answer is remembered (the call and the probe confirming its ENOTTY,
// then no ioctl).
TEST_P(Compat, CommandTheKernelLacks)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		if (CmdKnown(kver(), nr))
			continue;
		const std::string want = std::string(CmdDesc(nr).name) + " needs Linux " +
					 ReleaseString(fake::CmdRelease(nr)) +
					 " or newer (this kernel does not know it)";
		SCOPED_TRACE(want);
		fk_.ResetCounters();
		EXPECT_FAILS(ctx_, EOPNOTSUPP, want, SendWith(nr, 0, 0));
		EXPECT_EQ(2u, fk_.ioctls());
		EXPECT_FAILS(ctx_, EOPNOTSUPP, want, SendWith(nr, 0, 0));
		EXPECT_EQ(2u, fk_.ioctls()) << "the kernel was asked again";
	}
}

// Non-zero reserved bytes inside what the kernel knows are the kernel's to
// refuse; its EOPNOTSUPP comes through unchanged.
TEST_P(Compat, GarbageWithinRangePassesThrough)
{
	struct Case {
		uint32_t nr;
		const char *field;
		uint32_t since;
	} cases[] = {
		{UAPI_CMD_IOAS_MAP, "__reserved", Kver(6, 2)},
		{UAPI_CMD_IOAS_IOVA_RANGES, "__reserved", Kver(6, 2)},
		{UAPI_CMD_IOAS_ALLOW_IOVAS, "__reserved", Kver(6, 2)},
		{UAPI_CMD_OPTION, "__reserved", Kver(6, 2)},
		{UAPI_CMD_VFIO_IOAS, "__reserved", Kver(6, 2)},
		{UAPI_CMD_HWPT_ALLOC, "__reserved", Kver(6, 6)},
		{UAPI_CMD_GET_HW_INFO, "__reserved", Kver(6, 6)},
		{UAPI_CMD_IOAS_CHANGE_PROCESS, "__reserved", Kver(6, 14)},
		{UAPI_CMD_VEVENTQ_ALLOC, "__reserved", Kver(6, 15)},
	};
	for (const Case &c : cases) {
		if (kver() < c.since)
			continue;
		const int index = iommufd_cmd_find_field(c.nr, c.field);
		ASSERT_GE(index, 0);
		iommufd_field_desc f = Fields(c.nr)[index];
		SCOPED_TRACE(std::string(CmdDesc(c.nr).name));
		EXPECT_FAILS(ctx_, EOPNOTSUPP,
			     std::string(CmdDesc(c.nr).name) + " failed: Operation not supported",
			     SendWith(c.nr, f.offset, f.size));
	}
	EXPECT_EQ(0u, fk_.object_count());
}

INSTANTIATE_FOR_ALL_PROFILES(Compat);

// An old caller's struct on a newer kernel: the first-release size goes
// out and the kernel zero-extends it (the call gets as far as the device
// lookup instead of tripping over data_type or fault_id).
class CompatHwpt : public ProfileTest {};

TEST_P(CompatHwpt, OlderUserOnNewerKernel)
{
	uapi_hwpt_alloc c = {};
	c.dev_id = 1;
	c.pt_id = 1;
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_HWPT_ALLOC failed", ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c));
	EXPECT_EQ(24u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	EXPECT_EQ(1u, fk_.ioctls());
}

INSTANTIATE_FOR_PROFILES(CompatHwpt, ProfilesSince(Kver(6, 6)));

// The brief's example, exactly.
using Compat67 = OnProfile<fake::Profile::Linux6_7>;

TEST_F(Compat67, FaultIdNeeds611)
{
	uapi_hwpt_alloc c = {};
	c.dev_id = 1;
	c.fault_id = 3;
	EXPECT_EQ(-EOPNOTSUPP, ifd_cmd(ctx_, UAPI_CMD_HWPT_ALLOC, &c));
	EXPECT_STREQ("IOMMU_HWPT_ALLOC: field fault_id needs Linux 6.11 or newer "
		     "(this kernel accepts 40 bytes)",
		     iommufd_ctx_last_error(ctx_));
}

class CompatNoMapFile : public ProfileTest {};

TEST_P(CompatNoMapFile, MapFileNeeds613)
{
	uint64_t iova = 0;
	const uint32_t ioas = NewIoas();

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_IOAS_MAP_FILE needs Linux 6.13 or newer (this kernel does not know it)",
		     iommufd_ioas_map_file(ctx_, ioas, fk_.AddFile(), 0, kPage, kRW, &iova));
}

INSTANTIATE_FOR_PROFILES(CompatNoMapFile, ProfilesBefore(Kver(6, 13)));

} // namespace
