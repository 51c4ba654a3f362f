// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_VFIO_IOAS for real: the IOAS of the VFIO container emulation.
#include "kernel_test.h"

namespace {

using VfioIoasTest = KernelTest;

TEST_F(VfioIoasTest, GetSetClear)
{
	uint32_t a = NewIoas(), b = NewIoas(), got = 0;

	EXPECT_ERRNO(ENODEV, iommufd_vfio_ioas_get(ctx_, &got));
	ASSERT_OK(iommufd_vfio_ioas_set(ctx_, a));
	ASSERT_OK(iommufd_vfio_ioas_get(ctx_, &got));
	EXPECT_EQ(a, got);
	ASSERT_OK(iommufd_vfio_ioas_set(ctx_, b));
	ASSERT_OK(iommufd_vfio_ioas_get(ctx_, &got));
	EXPECT_EQ(b, got);
	ASSERT_OK(iommufd_vfio_ioas_clear(ctx_));
	EXPECT_ERRNO(ENODEV, iommufd_vfio_ioas_get(ctx_, &got));
	EXPECT_OK(iommufd_vfio_ioas_clear(ctx_)) << "clearing twice is fine";
}

// Destroying the IOAS unsets it.
TEST_F(VfioIoasTest, DestroyUnsets)
{
	uint32_t a = NewIoas(), got = 0;

	ASSERT_OK(iommufd_vfio_ioas_set(ctx_, a));
	Destroy(a);
	EXPECT_ERRNO(ENODEV, iommufd_vfio_ioas_get(ctx_, &got));
}

TEST_F(VfioIoasTest, Errnos)
{
	uint32_t ioas = NewIoas(), got = 0;
	MockDev dev = AddMockDev(ioas);

	EXPECT_ERRNO(ENOENT, iommufd_vfio_ioas_set(ctx_, ioas + 1000));
	EXPECT_ERRNO(ENOENT, iommufd_vfio_ioas_set(ctx_, 0));
	EXPECT_ERRNO(ENOENT, iommufd_vfio_ioas_set(ctx_, dev.hwpt_id));
	EXPECT_ERRNO(ENODEV, iommufd_vfio_ioas_get(ctx_, &got)) << "failed sets set nothing";
	EXPECT_ERRNO(EINVAL, iommufd_vfio_ioas_get(ctx_, nullptr));
}

} // namespace
