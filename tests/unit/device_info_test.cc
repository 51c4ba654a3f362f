// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Device, region and IRQ info: the "query, grow, re-query" helper and the
// capability chains the kernel returns, well-formed and not.
#include "vfio_test_support.h"

namespace {

constexpr unsigned long kRegionInfo = UAPI_VFIO_DEVICE_GET_REGION_INFO;
constexpr uint32_t kRegionStruct = sizeof(uapi_vfio_region_info);

// Little-endian bytes of a capability chain, written by hand.
struct Bytes {
	std::vector<uint8_t> b;
	Bytes &U16(uint16_t v) { return Put(&v, 2); }
	Bytes &U32(uint32_t v) { return Put(&v, 4); }
	Bytes &U64(uint64_t v) { return Put(&v, 8); }
	Bytes &Hdr(uint16_t id, uint32_t next) { return U16(id).U16(1).U32(next); }
	Bytes &Put(const void *p, size_t n)
	{
		const auto *c = static_cast<const uint8_t *>(p);
		b.insert(b.end(), c, c + n);
		return *this;
	}
};

class DeviceInfo : public VfioTest {
protected:
	void SetUp() override
	{
		VfioTest::SetUp();
		OpenBound();
	}
	fake::VfioRegion &bar0() { return edu_->regions[UAPI_VFIO_PCI_BAR0_REGION_INDEX]; }
	// BAR0's capabilities replaced by @bytes (laid after the struct),
	// the chain starting at @first.
	void RawBar0(const Bytes &bytes, uint32_t first = kRegionStruct)
	{
		bar0().raw = true;
		bar0().raw_caps = bytes.b;
		bar0().raw_first = first;
	}
	int Bar0(iommufd_region_info *info)
	{
		return iommufd_device_region_info(dev_, UAPI_VFIO_PCI_BAR0_REGION_INDEX, info);
	}
};

TEST_F(DeviceInfo, Device)
{
	iommufd_device_info info = {};

	ASSERT_EQ(0, iommufd_device_get_info(dev_, &info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(unsigned(IOMMUFD_DEVICE_FLAG_PCI | IOMMUFD_DEVICE_FLAG_RESET), info.flags);
	EXPECT_EQ(9u, info.num_regions);
	EXPECT_EQ(5u, info.num_irqs);
	EXPECT_EQ(1u, vfio_.ioctls(UAPI_VFIO_DEVICE_GET_INFO));
}

TEST_F(DeviceInfo, DeviceCapabilitiesThatDoNotFitAreFetched)
{
	Bytes caps;
	const uint32_t base = sizeof(uapi_vfio_device_info);
	caps.Hdr(5, base + 400).U32(7).U32(0); // 16 bytes
	caps.b.resize(400, 0);
	caps.Hdr(6, 0).U64(1);
	edu_->info_caps = caps.b;
	iommufd_device_info info = {};

	ASSERT_EQ(0, iommufd_device_get_info(dev_, &info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_TRUE(info.flags & IOMMUFD_DEVICE_FLAG_CAPS);
	const std::vector<uint32_t> argsz = vfio_.argsz_seen(UAPI_VFIO_DEVICE_GET_INFO);
	ASSERT_EQ(2u, argsz.size()) << "query, grow, re-query";
	EXPECT_EQ(base + 416, argsz[1]);
}

TEST_F(DeviceInfo, MalformedDeviceChain)
{
	const uint32_t base = sizeof(uapi_vfio_device_info);
	edu_->info_caps = Bytes().Hdr(1, base).U64(0).b; // points at itself
	iommufd_device_info info;
	EXPECT_FAILS(ctx_, EPROTO, "VFIO_DEVICE_GET_INFO on /dev/vfio/devices/vfio0: malformed "
		     "capability chain: capability at offset 24 does not follow the previous one "
		     "(loop or overlap)", iommufd_device_get_info(dev_, &info));
}

TEST_F(DeviceInfo, NullArguments)
{
	iommufd_device_info info;
	iommufd_region_info region;
	iommufd_irq_info irq;
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_get_info: info is NULL",
			    iommufd_device_get_info(dev_, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_get_info: the device is NULL",
			    iommufd_device_get_info(nullptr, &info));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_region_info: info is NULL",
			    iommufd_device_region_info(dev_, 0, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "the device is NULL",
			    iommufd_device_region_info(nullptr, 0, &region));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_irq_info: info is NULL",
			    iommufd_device_irq_info(dev_, 0, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "the device is NULL",
			    iommufd_device_irq_info(nullptr, 0, &irq));
}

// ---- regions ------------------------------------------------------------

TEST_F(DeviceInfo, PlainBarIsOneArea)
{
	iommufd_region_info info;

	ASSERT_EQ(0, Bar0(&info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, info.index);
	EXPECT_EQ(unsigned(IOMMUFD_REGION_READ | IOMMUFD_REGION_WRITE | IOMMUFD_REGION_MMAP),
		  info.flags);
	EXPECT_EQ(1u << 20, info.size);
	EXPECT_EQ(0u, info.offset);
	EXPECT_EQ(1u, info.nr_areas);
	EXPECT_EQ(0u, info.areas[0].offset);
	EXPECT_EQ(1u << 20, info.areas[0].size);
	EXPECT_EQ(0u, info.type);
	EXPECT_EQ(0u, info.msix_mappable);
	EXPECT_EQ(1u, vfio_.ioctls(kRegionInfo)) << "no capabilities, one query";
}

TEST_F(DeviceInfo, ConfigSpaceIsNotMmapable)
{
	iommufd_region_info info;

	ASSERT_EQ(0, iommufd_device_region_info(dev_, IOMMUFD_PCI_CONFIG_REGION, &info));
	EXPECT_EQ(unsigned(IOMMUFD_REGION_READ | IOMMUFD_REGION_WRITE), info.flags);
	EXPECT_EQ(256u, info.size);
	EXPECT_EQ(uint64_t{7} << 40, info.offset);
	EXPECT_EQ(0u, info.nr_areas);
}

TEST_F(DeviceInfo, NoSuchRegionGivesTheCount)
{
	iommufd_region_info info;

	EXPECT_FAILS(ctx_, EINVAL, "iommufd_device_region_info: /dev/vfio/devices/vfio0 has no "
		     "region 12 (it has 9)", iommufd_device_region_info(dev_, 12, &info));
	EXPECT_FAILS(ctx_, EINVAL, "has no region 8 (it has 9)",
		     iommufd_device_region_info(dev_, IOMMUFD_PCI_VGA_REGION, &info));
}

TEST_F(DeviceInfo, SparseTypeAndMsixCapabilities)
{
	bar0().sparse = true;
	bar0().areas = {{0, 0x1000}, {0x3000, 0xd000}};
	bar0().typed = true;
	bar0().type = 0x80000000;
	bar0().subtype = 3;
	bar0().msix_mappable = true;
	iommufd_region_info info;

	ASSERT_EQ(0, Bar0(&info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_TRUE(info.flags & IOMMUFD_REGION_CAPS);
	ASSERT_EQ(2u, info.nr_areas);
	EXPECT_EQ(0x3000u, info.areas[1].offset);
	EXPECT_EQ(0xd000u, info.areas[1].size);
	EXPECT_EQ(0x80000000u, info.type);
	EXPECT_EQ(3u, info.subtype);
	EXPECT_EQ(1u, info.msix_mappable);
	EXPECT_EQ(1u, vfio_.ioctls(kRegionInfo)) << "small chains fit the first buffer";
}

TEST_F(DeviceInfo, ManyAreasGrowTheBufferAndAreAllCounted)
{
	bar0().sparse = true;
	for (uint64_t i = 0; i < 40; i++)
		bar0().areas.push_back({i * 0x4000, 0x1000});
	iommufd_region_info info;

	ASSERT_EQ(0, Bar0(&info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(40u, info.nr_areas);
	EXPECT_EQ(15u * 0x4000, info.areas[IOMMUFD_REGION_MAX_SPARSE - 1].offset);
	const std::vector<uint32_t> argsz = vfio_.argsz_seen(kRegionInfo);
	ASSERT_EQ(2u, argsz.size());
	EXPECT_EQ(kRegionStruct + 16 + 40 * 16, argsz[1]);
}

TEST_F(DeviceInfo, RetriesAreBounded)
{
	vfio_.insatiable = true;
	iommufd_region_info info;
	bar0().msix_mappable = true;

	EXPECT_FAILS(ctx_, EPROTO, "VFIO_DEVICE_GET_REGION_INFO on /dev/vfio/devices/vfio0: the reply "
		     "still did not fit after 4 tries", Bar0(&info));
	EXPECT_EQ(4u, vfio_.ioctls(kRegionInfo));
}

TEST_F(DeviceInfo, AbsurdSizeIsRefused)
{
	Bytes caps;
	caps.Hdr(1, 0);
	RawBar0(caps);
	bar0().raw_caps.resize(2u << 20, 0);
	iommufd_region_info info;
	EXPECT_FAILS(ctx_, EPROTO, "the kernel asks for", Bar0(&info));
}

TEST_F(DeviceInfo, ErrorsOfTheQuery)
{
	iommufd_region_info info;
	vfio_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "VFIO_DEVICE_GET_REGION_INFO on /dev/vfio/devices/vfio0 failed: "
		     "Bad address", Bar0(&info));
	vfio_.FailIoctl(1, ENOTTY);
	EXPECT_FAILS(ctx_, ENOTTY, "the device does not know this ioctl", Bar0(&info));
}

// ---- malformed chains, end to end ---------------------------------------

TEST_F(DeviceInfo, ChainThatLoops)
{
	Bytes caps;
	caps.Hdr(3, kRegionStruct + 8).Hdr(3, kRegionStruct); // 32 -> 40 -> 32
	RawBar0(caps);
	iommufd_region_info info;
	EXPECT_FAILS(ctx_, EPROTO, "region 0: malformed capability chain: capability at offset 32 "
		     "does not follow the previous one (loop or overlap)", Bar0(&info));
}

TEST_F(DeviceInfo, ChainOutOfBounds)
{
	RawBar0(Bytes().Hdr(3, 0x10000));
	iommufd_region_info info;
	EXPECT_FAILS(ctx_, EPROTO, "capability at offset 65536 runs past the end of the reply",
		     Bar0(&info));
	RawBar0(Bytes().Hdr(3, 0), 0x10000);
	EXPECT_FAILS(ctx_, EPROTO, "capability at offset 65536 runs past the end", Bar0(&info));
}

TEST_F(DeviceInfo, ChainMisalignedOrInsideTheStruct)
{
	iommufd_region_info info;
	RawBar0(Bytes().Hdr(3, kRegionStruct + 12).U32(0).Hdr(3, 0).U32(0));
	EXPECT_FAILS(ctx_, EPROTO, "capability at offset 44 is not 8-byte aligned", Bar0(&info));
	RawBar0(Bytes().Hdr(3, 0), 8);
	EXPECT_FAILS(ctx_, EPROTO, "capability at offset 8 lies inside the info struct", Bar0(&info));
}

TEST_F(DeviceInfo, TruncatedSparseCapability)
{
	iommufd_region_info info;
	// Says 4 areas, carries one, and the next capability follows at once.
	RawBar0(Bytes().Hdr(1, kRegionStruct + 32).U32(4).U32(0).U64(0).U64(0x1000).Hdr(3, 0));
	EXPECT_FAILS(ctx_, EPROTO, "capability 1 at offset 32 is truncated (32 bytes, needs 80)",
		     Bar0(&info));
	RawBar0(Bytes().Hdr(1, 0).U32(0xffffffff).U32(0));
	EXPECT_FAILS(ctx_, EPROTO, "is truncated", Bar0(&info));
	// TYPE without its type and subtype: the next capability follows.
	RawBar0(Bytes().Hdr(2, kRegionStruct + 8).Hdr(3, 0));
	EXPECT_FAILS(ctx_, EPROTO, "capability 2 at offset 32 is truncated (8 bytes, needs 16)",
		     Bar0(&info));
}

TEST_F(DeviceInfo, SparseAreaOutsideTheRegion)
{
	iommufd_region_info info;
	RawBar0(Bytes().Hdr(1, 0).U32(1).U32(0).U64(0xff000).U64(0x2000));
	EXPECT_FAILS(ctx_, EPROTO, "sparse area 0 (0xff000+0x2000) lies outside the region",
		     Bar0(&info));
	RawBar0(Bytes().Hdr(1, 0).U32(1).U32(0).U64(~0ull).U64(2));
	EXPECT_FAILS(ctx_, EPROTO, "lies outside the region", Bar0(&info));
}

TEST_F(DeviceInfo, TwoSparseCapabilities)
{
	iommufd_region_info info;
	RawBar0(Bytes().Hdr(1, kRegionStruct + 16).U32(0).U32(0).Hdr(1, 0).U32(0).U32(0));
	EXPECT_FAILS(ctx_, EPROTO, "a second sparse-mmap capability at offset 48", Bar0(&info));
}

TEST_F(DeviceInfo, UnknownCapabilitiesAreSkipped)
{
	iommufd_region_info info;
	RawBar0(Bytes().Hdr(0x77, kRegionStruct + 16).U64(0xdead).Hdr(3, 0));
	ASSERT_EQ(0, Bar0(&info)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(1u, info.msix_mappable);
	EXPECT_EQ(1u, info.nr_areas);
}

// ---- IRQs ---------------------------------------------------------------

TEST_F(DeviceInfo, Irqs)
{
	iommufd_irq_info info;

	ASSERT_EQ(0, iommufd_device_irq_info(dev_, IOMMUFD_PCI_MSI_IRQ, &info));
	EXPECT_EQ(1u, info.index);
	EXPECT_EQ(unsigned(IOMMUFD_IRQ_EVENTFD | IOMMUFD_IRQ_NORESIZE), info.flags);
	EXPECT_EQ(1u, info.count);
	ASSERT_EQ(0, iommufd_device_irq_info(dev_, IOMMUFD_PCI_INTX_IRQ, &info));
	EXPECT_EQ(unsigned(IOMMUFD_IRQ_EVENTFD | IOMMUFD_IRQ_MASKABLE | IOMMUFD_IRQ_AUTOMASKED),
		  info.flags);
	EXPECT_EQ(std::vector<uint32_t>({16, 16}), vfio_.argsz_seen(UAPI_VFIO_DEVICE_GET_IRQ_INFO))
		<< "IRQ info has no chain: the bare struct";
	EXPECT_FAILS(ctx_, EINVAL, "iommufd_device_irq_info: /dev/vfio/devices/vfio0 has no IRQ "
		     "index 3", iommufd_device_irq_info(dev_, IOMMUFD_PCI_ERR_IRQ, &info));
	EXPECT_FAILS(ctx_, EINVAL, "has no IRQ index 9", iommufd_device_irq_info(dev_, 9, &info));
}

} // namespace
