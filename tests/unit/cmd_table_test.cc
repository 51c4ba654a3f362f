// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The public command table (iommufd_cmd_get/_field/_find_field), checked
// for shape and against the fake kernel's independent facts.
#include "test_support.h"

namespace {

using fake::FactsFor;
using fake::Kver;

TEST(CmdTable, TwentyOneCommands)
{
	unsigned n = 0;
	iommufd_cmd_desc d;

	for (uint32_t nr = 0x70; nr <= 0xb0; nr++)
		n += iommufd_cmd_get(nr, &d) == 0;
	EXPECT_EQ(21u, n);
	EXPECT_EQ(0x80, IOMMUFD_CMD_ID_FIRST);
	EXPECT_EQ(0x94, IOMMUFD_CMD_ID_LAST);
}

TEST(CmdTable, CommandsMatchTheKernelFacts)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const iommufd_cmd_desc d = CmdDesc(nr);
		const fake::CmdFacts *f = FactsFor(nr);

		SCOPED_TRACE(f->name);
		EXPECT_EQ(nr, d.nr);
		EXPECT_STREQ(f->name, d.name);
		EXPECT_EQ(fake::CmdRelease(nr), d.release);
		EXPECT_EQ(f->min_size, d.first_size);
		EXPECT_EQ(fake::CmdSize(Kver(7, 2), nr), d.size);
		EXPECT_GT(d.nr_fields, 1u);
	}
}

TEST(CmdTable, FieldsTileTheStruct)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const iommufd_cmd_desc d = CmdDesc(nr);
		const std::vector<iommufd_field_desc> fields = Fields(nr);
		uint32_t end = 0;

		SCOPED_TRACE(d.name);
		ASSERT_FALSE(fields.empty());
		EXPECT_STREQ("size", fields[0].name);
		EXPECT_EQ(4u, fields[0].size);
		for (const iommufd_field_desc &f : fields) {
			SCOPED_TRACE(f.name);
			EXPECT_EQ(end, f.offset) << "sorted, no overlap, no gap";
			EXPECT_GT(f.size, 0u);
			end = f.offset + f.size;
			EXPECT_LE(end, d.size) << "inside the struct";
		}
		EXPECT_EQ(d.size, end) << "the last field ends the struct";
	}
}

TEST(CmdTable, FieldAttributes)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const iommufd_cmd_desc d = CmdDesc(nr);
		const std::vector<iommufd_field_desc> fields = Fields(nr);

		for (uint32_t i = 0; i < fields.size(); i++) {
			const iommufd_field_desc &f = fields[i];
			const std::string name = f.name;

			SCOPED_TRACE(std::string(d.name) + "." + name);
			EXPECT_EQ(static_cast<int>(i), iommufd_cmd_find_field(nr, f.name));
			EXPECT_GE(f.release, d.release);
			EXPECT_LE(f.release, fake::NewestVisibleRelease(Kver(7, 2)));
			EXPECT_TRUE(f.dir >= IOMMUFD_FIELD_IN && f.dir <= IOMMUFD_FIELD_RESERVED);
			EXPECT_EQ(name.rfind("__reserved", 0) == 0, f.dir == IOMMUFD_FIELD_RESERVED);
			if (f.carved) { // took bytes the first release had as reserved
				EXPECT_LE(f.offset + f.size, d.first_size);
			} else if (f.offset + f.size <= d.first_size) {
				EXPECT_EQ(d.release, f.release) << "part of the first release";
			}
		}
	}
}

// Each release's struct size, from the fake's facts, is exactly the end of
// the fields the table says that release had.
TEST(CmdTable, FieldReleasesMatchTheKernelSizes)
{
	for (uint32_t nr = fake::kFirstCmd; nr <= fake::kLastCmd; nr++) {
		const fake::CmdFacts *facts = FactsFor(nr);

		for (const fake::SizeStep &step : facts->steps) {
			if (!step.release)
				break;
			uint32_t end = 0;
			for (const iommufd_field_desc &f : Fields(nr))
				if (!f.carved && f.release <= step.release)
					end = std::max(end, f.offset + f.size);
			EXPECT_EQ(step.size, end)
				<< facts->name << " in " << fake::ReleaseString(step.release);
		}
	}
}

TEST(CmdTable, FindField)
{
	EXPECT_EQ(0, iommufd_cmd_find_field(UAPI_CMD_HWPT_ALLOC, "size"));
	iommufd_field_desc f;
	const int i = iommufd_cmd_find_field(UAPI_CMD_HWPT_ALLOC, "fault_id");
	ASSERT_GE(i, 0);
	ASSERT_EQ(0, iommufd_cmd_field(UAPI_CMD_HWPT_ALLOC, i, &f));
	EXPECT_EQ(40u, f.offset);
	EXPECT_EQ(4u, f.size);
	EXPECT_EQ(static_cast<uint32_t>(Kver(6, 11)), f.release);
	EXPECT_EQ(-ENOENT, iommufd_cmd_find_field(UAPI_CMD_HWPT_ALLOC, "no_such_field"));
}

} // namespace
