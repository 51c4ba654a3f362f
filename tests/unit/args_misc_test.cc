// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Argument checks of destroy, options, the VFIO compat IOAS, the context
// accessors and the command table.
#include "test_support.h"

namespace {

class MiscArgs : public FakeKernelTest {};

TEST_F(MiscArgs, Destroy)
{
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_destroy: the context is NULL",
			iommufd_destroy(nullptr, 1));
}

TEST_F(MiscArgs, OptionGet)
{
	uint64_t v;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_option_get: the context is NULL",
			iommufd_option_get(nullptr, IOMMUFD_OPTION_RLIMIT_MODE, 0, &v));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_option_get: value is NULL",
			iommufd_option_get(ctx_, IOMMUFD_OPTION_RLIMIT_MODE, 0, nullptr));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_option_get: unknown option 2",
			iommufd_option_get(ctx_, 2, 0, &v));
}

TEST_F(MiscArgs, OptionSet)
{
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_option_set: the context is NULL",
			iommufd_option_set(nullptr, IOMMUFD_OPTION_RLIMIT_MODE, 0, 1));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_option_set: unknown option 7",
			iommufd_option_set(ctx_, 7, 0, 1));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_option_set: option 1 takes 0 or 1, not 2",
			iommufd_option_set(ctx_, IOMMUFD_OPTION_HUGE_PAGES, 1, 2));
}

TEST_F(MiscArgs, VfioIoas)
{
	uint32_t id;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_vfio_ioas_get: the context is NULL",
			iommufd_vfio_ioas_get(nullptr, &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_vfio_ioas_get: ioas_id is NULL",
			iommufd_vfio_ioas_get(ctx_, nullptr));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_vfio_ioas_set: the context is NULL",
			iommufd_vfio_ioas_set(nullptr, 1));
	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_vfio_ioas_clear: the context is NULL",
			iommufd_vfio_ioas_clear(nullptr));
}

TEST_F(MiscArgs, ContextAccessors)
{
	EXPECT_EQ(-EINVAL, iommufd_ctx_fd(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_ctx_get_log_level(nullptr));
	iommufd_ctx_set_log(nullptr, nullptr, nullptr);  // ignored
	iommufd_ctx_set_log_level(nullptr, IOMMUFD_LOG_DEBUG); // ignored
	iommufd_ctx_close(nullptr);                       // ignored
	EXPECT_GE(iommufd_ctx_fd(ctx_), fake::kFirstFakeFd);
	EXPECT_EQ(0u, fk_.ioctls());
}

TEST_F(MiscArgs, CommandTable)
{
	iommufd_cmd_desc d;
	iommufd_field_desc f;

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_get: no iommufd command 0x7f",
		     iommufd_cmd_get(0x7f, &d));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_get: no iommufd command 0x95",
		     iommufd_cmd_get(0x95, &d));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_get: desc is NULL", iommufd_cmd_get(0x80, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_field: no field 2 in command 0x80",
		     iommufd_cmd_field(0x80, 2, &f));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_field: no field 0 in command 0x95",
		     iommufd_cmd_field(0x95, 0, &f));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_field: desc is NULL",
		     iommufd_cmd_field(0x80, 0, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_find_field: no iommufd command 0x96",
		     iommufd_cmd_find_field(0x96, "size"));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_cmd_find_field: name is NULL",
		     iommufd_cmd_find_field(0x80, nullptr));
	EXPECT_FAILS(nullptr, ENOENT, "IOMMU_IOAS_MAP has no field named fault_id",
		     iommufd_cmd_find_field(UAPI_CMD_IOAS_MAP, "fault_id"));
	EXPECT_EQ(0u, fk_.ioctls());
}

} // namespace
