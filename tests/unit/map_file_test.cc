// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_ioas_map_file() (6.13) and iommufd_ioas_change_process() (6.14).
#include "test_support.h"

namespace {

using fake::Kver;

class MapFile : public ProfileTest {
protected:
	void SetUp() override
	{
		ProfileTest::SetUp();
		ioas_ = NewIoas();
		file_ = fk_.AddFile();
		fk_.ResetCounters();
	}
	uint32_t ioas_ = 0;
	int file_ = -1;
};

TEST_P(MapFile, MapsByOffset)
{
	uint64_t iova = 0;

	ASSERT_EQ(0, iommufd_ioas_map_file(ctx_, ioas_, file_, 2 * kPage, 4 * kPage, kRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
	const fake::Area &a = fk_.ioas(ioas_).areas.at(iova);
	EXPECT_TRUE(a.file);
	EXPECT_EQ(2 * kPage, a.addr);
	EXPECT_EQ(40u, fk_.last_size(UAPI_CMD_IOAS_MAP_FILE));
	EXPECT_EQ(0x300000u, MapFileFixed(ioas_, file_, 0x300000, kPage));
}

TEST_P(MapFile, NotAFile)
{
	uint64_t iova = 0;

	EXPECT_FAILS(ctx_, EBADF, "iommufd_ioas_map_file: fd 4242 is not open",
		     iommufd_ioas_map_file(ctx_, ioas_, 4242, 0, kPage, kRW, &iova));
	EXPECT_FAILS(ctx_, ENOENT, "iommufd_ioas_map_file: IOAS 8 does not exist",
		     iommufd_ioas_map_file(ctx_, 8, file_, 0, kPage, kRW, &iova));
}

TEST_P(MapFile, OverMapIsEexist)
{
	uint64_t iova = 0x100000;

	MapFileFixed(ioas_, file_, 0x100000, 2 * kPage);
	EXPECT_FAILS(ctx_, EEXIST,
		     "iommufd_ioas_map_file: IOVA range 0x100000..0x100fff of IOAS 1 is already "
		     "mapped",
		     iommufd_ioas_map_file(ctx_, ioas_, file_, 0, kPage, kFixedRW, &iova));
}

INSTANTIATE_FOR_PROFILES(MapFile, ProfilesSince(Kver(6, 13)));

class ChangeProcess : public MapFile {};

TEST_P(ChangeProcess, OnlyFileBackedMappingsMove)
{
	EXPECT_EQ(0, iommufd_ioas_change_process(ctx_)) << "nothing mapped";
	MapFileFixed(ioas_, file_, 0x100000, kPage);
	EXPECT_EQ(0, iommufd_ioas_change_process(ctx_)) << "only file-backed mappings";
	EXPECT_EQ(8u, fk_.last_size(UAPI_CMD_IOAS_CHANGE_PROCESS));

	const uint32_t other = NewIoas();
	MapFixed(other, 0x100000, kPage);
	EXPECT_FAILS(ctx_, EINVAL,
		     "iommufd_ioas_change_process: some mapping is not file-backed (map it with "
		     "iommufd_ioas_map_file())",
		     iommufd_ioas_change_process(ctx_));
	Unmap(other, 0x100000, kPage);
	EXPECT_EQ(0, iommufd_ioas_change_process(ctx_));
}

// A copy of file-backed pages is file-backed too.
TEST_P(ChangeProcess, CopiedFileMappingsMoveToo)
{
	MapFileFixed(ioas_, file_, 0x100000, kPage);
	Copy(NewIoas(), ioas_, 0x100000, kPage);
	EXPECT_EQ(0, iommufd_ioas_change_process(ctx_));
}

INSTANTIATE_FOR_PROFILES(ChangeProcess, ProfilesSince(Kver(6, 14)));

// Older kernels: the sentence names the release, and the kernel is asked
// once (the call, and the probe confirming its ENOTTY).
class NoChangeProcess : public ProfileTest {};

TEST_P(NoChangeProcess, Needs614)
{
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_IOAS_CHANGE_PROCESS needs Linux 6.14 or newer (this kernel does not "
		     "know it)",
		     iommufd_ioas_change_process(ctx_));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "needs Linux 6.14", iommufd_ioas_change_process(ctx_));
	EXPECT_EQ(2u, fk_.ioctls());
}

INSTANTIATE_FOR_PROFILES(NoChangeProcess, ProfilesBefore(Kver(6, 14)));

} // namespace
