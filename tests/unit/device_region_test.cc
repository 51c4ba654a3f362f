// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Region read/write through the device fd and mmap of the areas the
// kernel allows (sparse-mmap aware).
#include <sys/mman.h>
#include <unistd.h>

#include "vfio_test_support.h"

namespace {

constexpr uint32_t kBar0 = IOMMUFD_PCI_BAR0_REGION;
constexpr uint32_t kConfig = IOMMUFD_PCI_CONFIG_REGION;

class DeviceRegion : public VfioTest {
protected:
	void SetUp() override
	{
		VfioTest::SetUp();
		OpenBound();
		page_ = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
	}
	fake::VfioRegion &region(uint32_t i) { return edu_->regions[i]; }
	uint64_t page_ = 4096;
};

TEST_F(DeviceRegion, ReadAndWriteLandInTheRegion)
{
	const uint32_t v = 0xdeadbeef;
	uint32_t got = 0;

	ASSERT_EQ(0, iommufd_device_region_write(dev_, kBar0, 0x80, &v, sizeof(v)))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0, std::memcmp(&region(kBar0).data[0x80], &v, 4));
	ASSERT_EQ(0, iommufd_device_region_read(dev_, kBar0, 0x80, &got, sizeof(got)));
	EXPECT_EQ(v, got);
	uint16_t ids[2] = {};
	ASSERT_EQ(0, iommufd_device_region_read(dev_, kConfig, 0, ids, sizeof(ids)));
	EXPECT_EQ(0x1234, ids[0]);
	EXPECT_EQ(0x11e8, ids[1]);
}

TEST_F(DeviceRegion, RegionInfoIsAskedOnce)
{
	uint64_t v = 0;
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(0, iommufd_device_region_read(dev_, kBar0, 8 * i, &v, sizeof(v)));
	EXPECT_EQ(1u, vfio_.ioctls(UAPI_VFIO_DEVICE_GET_REGION_INFO)) << "cached per region";
}

TEST_F(DeviceRegion, ShortTransfersAreContinued)
{
	std::vector<uint8_t> in(100), out(100);
	for (size_t i = 0; i < in.size(); i++)
		in[i] = static_cast<uint8_t>(i * 3);
	vfio_.ShortIo(7);
	ASSERT_EQ(0, iommufd_device_region_write(dev_, kBar0, 0x1000, in.data(), in.size()));
	ASSERT_EQ(0, iommufd_device_region_read(dev_, kBar0, 0x1000, out.data(), out.size()));
	EXPECT_EQ(in, out);
}

TEST_F(DeviceRegion, RangeAndPermissionChecks)
{
	uint8_t b[16] = {};
	iommufd_region_info info;
	ASSERT_EQ(0, iommufd_device_region_info(dev_, kBar0, &info)); // known now: no ioctl below
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_region_read: bytes 0xfffff+0x2 run past the "
			    "end of region 0 of /dev/vfio/devices/vfio0 (0x100000 bytes)",
			    iommufd_device_region_read(dev_, kBar0, 0xfffff, b, 2));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "run past the end",
			    iommufd_device_region_write(dev_, kBar0, ~0ull, b, 2));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_region_read: len is 0",
			    iommufd_device_region_read(dev_, kBar0, 0, b, 0));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_region_write: buf is NULL",
			    iommufd_device_region_write(dev_, kBar0, 0, nullptr, 1));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "the device is NULL",
			    iommufd_device_region_read(nullptr, kBar0, 0, b, 1));
	// BAR1 is empty: no flags.
	EXPECT_FAILS(ctx_, EINVAL, "region 1 of /dev/vfio/devices/vfio0 is not readable",
		     iommufd_device_region_read(dev_, 1, 0, b, 1));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "region 1 of /dev/vfio/devices/vfio0 is not writable",
			    iommufd_device_region_write(dev_, 1, 0, b, 1));
	EXPECT_FAILS(ctx_, EINVAL, "has no region 20 (it has 9)",
		     iommufd_device_region_read(dev_, 20, 0, b, 1));
}

TEST_F(DeviceRegion, TransferErrors)
{
	uint32_t v;
	vfio_.FailNextRead(EIO);
	EXPECT_FAILS(ctx_, EIO, "iommufd_device_region_read: pread of region 0 of "
		     "/dev/vfio/devices/vfio0 at 0x40 failed: Input/output error",
		     iommufd_device_region_read(dev_, kBar0, 0x40, &v, 4));
	vfio_.FailNextRead(EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "pwrite of region 0", iommufd_device_region_write(dev_, kBar0, 0, &v, 4));
	vfio_.MoveNothingOnce();
	EXPECT_FAILS(ctx_, EIO, "region 0 of /dev/vfio/devices/vfio0 moved 0 of 4 bytes",
		     iommufd_device_region_read(dev_, kBar0, 0x20, &v, 4));
}

// ---- mmap ---------------------------------------------------------------

TEST_F(DeviceRegion, MmapTheWholeBar)
{
	void *p = nullptr;
	ASSERT_EQ(0, iommufd_device_region_mmap(dev_, kBar0, 0, 1 << 20, PROT_READ | PROT_WRITE, &p))
		<< iommufd_ctx_last_error(ctx_);
	ASSERT_EQ(1u, vfio_.mmaps().size());
	const fake::VfioMmap &m = vfio_.mmaps()[0];
	EXPECT_EQ(p, m.addr);
	EXPECT_EQ(iommufd_device_fd(dev_), m.fd);
	EXPECT_EQ(0u, m.offset);
	EXPECT_EQ(size_t{1} << 20, m.len);
	EXPECT_EQ(PROT_READ | PROT_WRITE, m.prot);
	EXPECT_EQ(MAP_SHARED, m.flags);
	EXPECT_EQ(0, iommufd_device_region_munmap(p, 1 << 20));
	EXPECT_TRUE(vfio_.mmaps().empty());
}

TEST_F(DeviceRegion, MmapAtTheRegionsOffset)
{
	region(2).flags = region(kBar0).flags;
	region(2).size = 0x4000;
	void *p = nullptr;
	ASSERT_EQ(0, iommufd_device_region_mmap(dev_, 2, page_, page_, PROT_READ, &p))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ((uint64_t{2} << 40) + page_, vfio_.mmaps()[0].offset);
	EXPECT_EQ(0, iommufd_device_region_munmap(p, page_));
}

TEST_F(DeviceRegion, MmapOnlyInsideOneSparseArea)
{
	region(kBar0).sparse = true;
	region(kBar0).areas = {{0, 2 * page_}, {4 * page_, 4 * page_}};
	void *p = nullptr;

	ASSERT_EQ(0, iommufd_device_region_mmap(dev_, kBar0, 0, 2 * page_, PROT_READ, &p));
	EXPECT_EQ(0, iommufd_device_region_munmap(p, 2 * page_));
	ASSERT_EQ(0, iommufd_device_region_mmap(dev_, kBar0, 5 * page_, 3 * page_, PROT_READ, &p));
	EXPECT_EQ(0, iommufd_device_region_munmap(p, 3 * page_));
	for (auto r : {std::pair<uint64_t, uint64_t>{2 * page_, page_}, {page_, 2 * page_},
		       {0, 8 * page_}, {3 * page_, 2 * page_}, {7 * page_, 2 * page_}}) {
		SCOPED_TRACE(std::to_string(r.first) + "+" + std::to_string(r.second));
		EXPECT_FAILS(ctx_, EINVAL, "are not inside one mmap-able area (it has 2)",
			     iommufd_device_region_mmap(dev_, kBar0, r.first, r.second, PROT_READ, &p));
	}
	EXPECT_TRUE(vfio_.mmaps().empty()) << "refused before mmap";
}

TEST_F(DeviceRegion, MmapAreasBeyondThePublicArrayCount)
{
	region(kBar0).sparse = true;
	for (uint64_t i = 0; i < 20; i++)
		region(kBar0).areas.push_back({i * 2 * page_, page_});
	void *p = nullptr;
	ASSERT_EQ(0, iommufd_device_region_mmap(dev_, kBar0, 38 * page_, page_, PROT_READ, &p))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0, iommufd_device_region_munmap(p, page_));
}

TEST_F(DeviceRegion, MmapRefusals)
{
	void *p = nullptr;
	EXPECT_FAILS(ctx_, EINVAL, "region 7 of /dev/vfio/devices/vfio0 is not mmap-able",
		     iommufd_device_region_mmap(dev_, kConfig, 0, page_, PROT_READ, &p));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "must be multiples of the page size",
			    iommufd_device_region_mmap(dev_, kBar0, 1, page_, PROT_READ, &p));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "must be multiples of the page size",
			    iommufd_device_region_mmap(dev_, kBar0, 0, page_ + 1, PROT_READ, &p));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "length 0x0 cannot be mapped",
			    iommufd_device_region_mmap(dev_, kBar0, 0, 0, PROT_READ, &p));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_region_mmap: addr is NULL",
			    iommufd_device_region_mmap(dev_, kBar0, 0, page_, PROT_READ, nullptr));
	EXPECT_FAILS(ctx_, EINVAL, "run past the end of region 0",
		     iommufd_device_region_mmap(dev_, kBar0, 1 << 20, page_, PROT_READ, &p));
	vfio_.FailNextMmap(ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "mmap of region 0 of /dev/vfio/devices/vfio0 failed: Cannot "
		     "allocate memory", iommufd_device_region_mmap(dev_, kBar0, 0, page_, PROT_READ, &p));
	EXPECT_TRUE(vfio_.mmaps().empty());
}

TEST_F(DeviceRegion, MunmapChecks)
{
	int x;
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_region_munmap: nothing to unmap",
		     iommufd_device_region_munmap(nullptr, page_));
	EXPECT_FAILS(nullptr, EINVAL, "nothing to unmap", iommufd_device_region_munmap(&x, 0));
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_device_region_munmap: munmap failed",
		     iommufd_device_region_munmap(&x, page_));
}

} // namespace
