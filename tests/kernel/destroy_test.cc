// SPDX-License-Identifier: LGPL-2.1-or-later
// IOMMU_DESTROY for real: what keeps an object alive, and what is gone.
#include "kernel_test.h"

#include <unistd.h>

namespace {

using DestroyTest = KernelTest;

TEST_F(DestroyTest, IoasIsBusyWhileADeviceIsAttached)
{
	uint32_t ioas = NewIoas();
	MockDev dev = AddMockDev(ioas);

	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, ioas));
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, dev.hwpt_id)) << "the device uses its HWPT";
	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, dev.dev_id)) << "the driver holds its device";
	Destroy(dev.stdev_id); // unplug
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, dev.hwpt_id)) << "the auto HWPT went with it";
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, dev.dev_id));
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, dev.stdev_id));
	Destroy(ioas);
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, ioas));
}

TEST_F(DestroyTest, IoasIsBusyWhileAnAccessIsAttached)
{
	uint32_t ioas = NewIoas();
	int access = CreateAccess(ioas);

	EXPECT_ERRNO(EBUSY, iommufd_destroy(ctx_, ioas));
	close(access);
	Destroy(ioas);
}

// An IOAS with mappings (and no device) goes, mappings and all.
TEST_F(DestroyTest, IoasWithMappingsGoes)
{
	Buffer buf(2 * PageSize());
	uint32_t ioas = NewIoas();

	Map(ioas, buf.p(), buf.size());
	MapFixed(ioas, buf.p(), buf.size(), kApStart);
	Destroy(ioas);
	EXPECT_ERRNO(ENOENT, iommufd_ioas_unmap_all(ctx_, ioas, nullptr));
}

TEST_F(DestroyTest, NoSuchObject)
{
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, 0));
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, UINT32_MAX));
	EXPECT_ERRNO(ENOENT, iommufd_destroy(ctx_, NewIoas() + 1));
}

} // namespace
