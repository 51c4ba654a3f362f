// SPDX-License-Identifier: LGPL-2.1-or-later
#include "test_support.h"

#include <cstdlib>

::testing::AssertionResult HasSentence(const iommufd_ctx *ctx, const std::string &what)
{
	const std::string msg = iommufd_ctx_last_error(ctx);

	if (msg.find(what) != std::string::npos)
		return ::testing::AssertionSuccess();
	return ::testing::AssertionFailure()
	       << "last error \"" << msg << "\" does not contain \"" << what << "\"";
}

iommufd_cmd_desc CmdDesc(uint32_t nr)
{
	iommufd_cmd_desc d = {};

	EXPECT_EQ(0, iommufd_cmd_get(nr, &d)) << nr;
	return d;
}

std::vector<iommufd_field_desc> Fields(uint32_t nr)
{
	std::vector<iommufd_field_desc> fields(CmdDesc(nr).nr_fields);

	for (uint32_t i = 0; i < fields.size(); i++)
		EXPECT_EQ(0, iommufd_cmd_field(nr, i, &fields[i]));
	return fields;
}

std::string ProfileParamName(const ::testing::TestParamInfo<fake::Profile> &info)
{
	return fake::ProfileName(info.param);
}

std::vector<fake::Profile> ProfilesSince(uint32_t kver)
{
	std::vector<fake::Profile> out;

	for (fake::Profile p : fake::kAllProfiles)
		if (fake::ProfileKver(p) >= kver)
			out.push_back(p);
	return out;
}

std::vector<fake::Profile> ProfilesBefore(uint32_t kver)
{
	std::vector<fake::Profile> out;

	for (fake::Profile p : fake::kAllProfiles)
		if (fake::ProfileKver(p) < kver)
			out.push_back(p);
	return out;
}

void FakeKernelTest::Start(fake::Profile p)
{
	unsetenv("LIBIOMMUFD_LOG");
	fk_.SetProfile(p);
	fk_.Install();
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx_));
	fk_.ResetCounters();
}

void FakeKernelTest::TearDown()
{
	iommufd_ctx_close(ctx_);
	fk_.Uninstall();
}

uint32_t FakeKernelTest::NewIoas()
{
	uint32_t id = 0;

	EXPECT_EQ(0, iommufd_ioas_alloc(ctx_, &id)) << iommufd_ctx_last_error(ctx_);
	return id;
}

uint64_t FakeKernelTest::MapFixed(uint32_t ioas, uint64_t iova, uint64_t length, uint64_t va)
{
	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas, UserVa(va), length, kFixedRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
	return iova;
}

uint64_t FakeKernelTest::MapAny(uint32_t ioas, uint64_t length, uint64_t va)
{
	uint64_t iova = 0;

	EXPECT_EQ(0, iommufd_ioas_map(ctx_, ioas, UserVa(va), length, kRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
	return iova;
}

uint64_t FakeKernelTest::MapFileFixed(uint32_t ioas, int fd, uint64_t iova, uint64_t length)
{
	EXPECT_EQ(0, iommufd_ioas_map_file(ctx_, ioas, fd, 0, length, kFixedRW, &iova))
		<< iommufd_ctx_last_error(ctx_);
	return iova;
}

uint64_t FakeKernelTest::Unmap(uint32_t ioas, uint64_t iova, uint64_t length)
{
	uint64_t unmapped = 0;

	EXPECT_EQ(0, iommufd_ioas_unmap(ctx_, ioas, iova, length, &unmapped))
		<< iommufd_ctx_last_error(ctx_);
	return unmapped;
}

uint64_t FakeKernelTest::Copy(uint32_t dst, uint32_t src, uint64_t src_iova, uint64_t length,
			      uint32_t flags, uint64_t dst_iova)
{
	EXPECT_EQ(0, iommufd_ioas_copy(ctx_, dst, src, src_iova, length, flags, &dst_iova))
		<< iommufd_ctx_last_error(ctx_);
	return dst_iova;
}
