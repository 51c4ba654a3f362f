// SPDX-License-Identifier: LGPL-2.1-or-later
// The device as VFIO presents it, and its register interface reached
// directly (region read/write, mmap, SET_IRQS): what the helper relies on,
// and what it refuses to send the device.
#include "driver_test.h"

#include <linux/vfio.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <uapi/vfio_dmatest.h>

namespace {

class Device : public DriverTest {
protected:
	iommufd_device *dev() { return iommufd_dmatest_device(dt_); }
	uint32_t Reg32(uint64_t off)
	{
		uint32_t v = 0;
		EXPECT_OK(iommufd_device_region_read(dev(), 0, off, &v, sizeof(v)));
		return v;
	}
	void SetReg(uint64_t off, uint64_t v)
	{
		ASSERT_OK(iommufd_device_region_write(dev(), 0, off, &v, sizeof(v)));
	}
	int Doorbell(uint32_t v)
	{
		return iommufd_device_region_write(dev(), 0, VFIO_DMATEST_REG_DOORBELL, &v, sizeof(v));
	}
};

TEST_F(Device, InfoRegionAndInterrupts)
{
	iommufd_device_info info = {};
	ASSERT_OK(iommufd_device_get_info(dev(), &info));
	EXPECT_TRUE(info.flags & IOMMUFD_DEVICE_FLAG_PLATFORM);
	EXPECT_TRUE(info.flags & IOMMUFD_DEVICE_FLAG_RESET);
	EXPECT_EQ(1u, info.num_regions);
	EXPECT_EQ(2u, info.num_irqs);

	iommufd_region_info region = {};
	ASSERT_OK(iommufd_device_region_info(dev(), 0, &region));
	EXPECT_EQ(uint64_t{ VFIO_DMATEST_REGION_SIZE }, region.size);
	EXPECT_EQ(uint32_t{ IOMMUFD_REGION_READ | IOMMUFD_REGION_WRITE | IOMMUFD_REGION_MMAP |
			    IOMMUFD_REGION_CAPS },
		  region.flags);
	ASSERT_EQ(1u, region.nr_areas) << "the sparse-mmap capability";
	EXPECT_EQ(0u, region.areas[0].offset);
	EXPECT_EQ(uint64_t{ VFIO_DMATEST_MMAP_SIZE }, region.areas[0].size);
	EXPECT_EQ(-EINVAL, iommufd_device_region_info(dev(), 1, &region));

	for (uint32_t i = 0; i < 2; i++) {
		iommufd_irq_info irq = {};
		ASSERT_OK(iommufd_device_irq_info(dev(), i, &irq));
		EXPECT_EQ(1u, irq.count);
		EXPECT_TRUE(irq.flags & IOMMUFD_IRQ_EVENTFD);
		EXPECT_FALSE(irq.flags & IOMMUFD_IRQ_MASKABLE);
	}
	iommufd_irq_info irq = {};
	EXPECT_EQ(-EINVAL, iommufd_device_irq_info(dev(), 2, &irq));
}

TEST_F(Device, RegistersReadAsDocumented)
{
	EXPECT_EQ(VFIO_DMATEST_MAGIC, Reg32(VFIO_DMATEST_REG_MAGIC));
	EXPECT_EQ(VFIO_DMATEST_VERSION, Reg32(VFIO_DMATEST_REG_VERSION));
	EXPECT_EQ(iommufd_dmatest_max_length(dt_),
		  Reg32(VFIO_DMATEST_REG_MAX_LEN)); // low half; max_len < 4 GiB
	EXPECT_EQ(0u, Reg32(VFIO_DMATEST_REG_DOORBELL)) << "the doorbell reads as 0";
	// Read-only registers ignore writes.
	SetReg(VFIO_DMATEST_REG_MAGIC, 0);
	EXPECT_EQ(VFIO_DMATEST_MAGIC, Reg32(VFIO_DMATEST_REG_MAGIC));
	uint32_t v = 0;
	EXPECT_EQ(-EINVAL, iommufd_device_region_read(dev(), 0, VFIO_DMATEST_REGION_SIZE - 2, &v,
						      sizeof(v)))
		<< "a read past the region";
}

TEST_F(Device, MappedRegistersShowTheTransfer)
{
	void *regs = nullptr;
	ASSERT_OK(iommufd_device_region_mmap(dev(), 0, 0, kPage, PROT_READ | PROT_WRITE, &regs));
	auto *r = static_cast<volatile uint8_t *>(regs);
	auto reg32 = [&](unsigned off) { return *reinterpret_cast<volatile uint32_t *>(r + off); };
	EXPECT_EQ(VFIO_DMATEST_MAGIC, reg32(VFIO_DMATEST_REG_MAGIC));
	// Parameters written through the mapping are what the doorbell latches.
	*reinterpret_cast<volatile uint64_t *>(r + VFIO_DMATEST_REG_SRC) = kSrcIova;
	*reinterpret_cast<volatile uint64_t *>(r + VFIO_DMATEST_REG_LEN) = kPage;
	*reinterpret_cast<volatile uint32_t *>(r + VFIO_DMATEST_REG_CMD) = VFIO_DMATEST_OP_CHECKSUM;
	ASSERT_OK(Doorbell(VFIO_DMATEST_DOORBELL_START));
	auto res = NewResult();
	ASSERT_OK(iommufd_dmatest_wait(dt_, kTimeoutMs, &res));
	EXPECT_EQ(VFIO_DMATEST_STATUS_DONE, reg32(VFIO_DMATEST_REG_STATUS));
	EXPECT_EQ(iommufd_dmatest_checksum(src_.p(), kPage),
		  *reinterpret_cast<volatile uint64_t *>(r + VFIO_DMATEST_REG_RESULT));
	EXPECT_OK(iommufd_device_region_munmap(regs, kPage));
	// The doorbell page must trap: it is not in any mmap-able area.
	EXPECT_EQ(-EINVAL, iommufd_device_region_mmap(dev(), 0, kPage, kPage, PROT_WRITE, &regs));
	void *raw = mmap(nullptr, kPage, PROT_READ, MAP_SHARED, iommufd_device_fd(dev()), kPage);
	EXPECT_EQ(MAP_FAILED, raw) << "the kernel mapped the doorbell page";
	if (raw != MAP_FAILED)
		munmap(raw, kPage);
}

TEST_F(Device, DoorbellRefusals)
{
	EXPECT_EQ(-EINVAL, Doorbell(0)) << "an unknown doorbell value";
	EXPECT_EQ(-EINVAL, Doorbell(VFIO_DMATEST_DOORBELL_RELEASE)) << "nothing held";
	EXPECT_EQ(-EINVAL, Doorbell(VFIO_DMATEST_DOORBELL_ABORT)) << "nothing running";
	uint64_t wide = VFIO_DMATEST_DOORBELL_START;
	EXPECT_EQ(-EINVAL, iommufd_device_region_write(dev(), 0, VFIO_DMATEST_REG_DOORBELL, &wide,
						       sizeof(wide)))
		<< "the doorbell is 4 bytes";
}

// What the helper refuses before the device sees it, the device refuses
// too: written straight into the registers, each ends in ERR_INVALID.
TEST_F(Device, InvalidTransfersEndInError)
{
	struct Case {
		uint32_t cmd;
		uint64_t src, len;
	};
	const uint64_t max = iommufd_dmatest_max_length(dt_);
	const Case cases[] = {
		{ 0, kSrcIova, 8 },                                   // no op
		{ 4, kSrcIova, 8 },                                   // unknown op
		{ VFIO_DMATEST_OP_CHECKSUM | 0x400, kSrcIova, 8 },    // unknown flag
		{ VFIO_DMATEST_OP_CHECKSUM, kSrcIova, 0 },            // empty
		{ VFIO_DMATEST_OP_CHECKSUM, kSrcIova, max + 1 },      // too long
		{ VFIO_DMATEST_OP_CHECKSUM, ~0ull - 3, 8 },           // wraps
	};
	for (const Case &c : cases) {
		SetReg(VFIO_DMATEST_REG_SRC, c.src);
		SetReg(VFIO_DMATEST_REG_LEN, c.len);
		SetReg(VFIO_DMATEST_REG_CMD, c.cmd);
		ASSERT_OK(Doorbell(VFIO_DMATEST_DOORBELL_START));
		EXPECT_EQ(VFIO_DMATEST_STATUS_ERROR, Reg32(VFIO_DMATEST_REG_STATUS)) << c.cmd;
		EXPECT_EQ(VFIO_DMATEST_ERR_INVALID, Reg32(VFIO_DMATEST_REG_ERROR))
			<< "cmd " << c.cmd << " len " << c.len;
	}
	// and the helper does not send them
	auto x = Xfer(4, kSrcIova, 0, 8);
	EXPECT_EQ(-EINVAL, iommufd_dmatest_submit(dt_, &x));
	x = Xfer(IOMMUFD_DMATEST_CHECKSUM, ~0ull - 3, 0, 8);
	EXPECT_EQ(-EINVAL, iommufd_dmatest_submit(dt_, &x));
	x = Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova, 0, max + 1);
	EXPECT_EQ(-EINVAL, iommufd_dmatest_submit(dt_, &x));
}

// VFIO_DEVICE_SET_IRQS as vfio-pci defines it: DATA_NONE fires the vector
// (loopback), DATA_BOOL fires it when true, count 0 unroutes it, and the
// vectors cannot be masked.
TEST_F(Device, SetIrqsLoopbackAndRefusals)
{
	const int fd = iommufd_device_fd(dev());
	const int done_fd = iommufd_dmatest_completion_fd(dt_);
	DrainEventfd(done_fd);
	alignas(vfio_irq_set) uint8_t buf[sizeof(vfio_irq_set) + 4] = {};
	auto &set = *reinterpret_cast<vfio_irq_set *>(buf);
	uint8_t *data = buf + sizeof(vfio_irq_set);
	set.argsz = sizeof(buf);
	set.index = VFIO_DMATEST_IRQ_COMPLETION;
	set.count = 1;
	set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_SET_IRQS, buf)) << strerror(errno);
	EXPECT_EQ(1u, DrainEventfd(done_fd));
	set.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	data[0] = 0;
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_SET_IRQS, buf)) << strerror(errno);
	EXPECT_EQ(0u, DrainEventfd(done_fd));
	data[0] = 1;
	ASSERT_EQ(0, ioctl(fd, VFIO_DEVICE_SET_IRQS, buf)) << strerror(errno);
	EXPECT_EQ(1u, DrainEventfd(done_fd));
	set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, buf));
	EXPECT_EQ(EINVAL, errno) << "masking";
	set.index = 2;
	set.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	EXPECT_EQ(-1, ioctl(fd, VFIO_DEVICE_SET_IRQS, buf));
	EXPECT_EQ(EINVAL, errno) << "no IRQ index 2";
	// Unrouted, the completion reaches no eventfd.
	ASSERT_OK(iommufd_device_set_irq_eventfds(dev(), VFIO_DMATEST_IRQ_COMPLETION, 0, nullptr, 0));
	auto x = Xfer(IOMMUFD_DMATEST_CHECKSUM, kSrcIova, 0, 8);
	ASSERT_OK(iommufd_dmatest_submit(dt_, &x));
	for (int i = 0; i < 2000 && Status().status == IOMMUFD_DMATEST_BUSY; i++)
		usleep(1000);
	EXPECT_EQ(IOMMUFD_DMATEST_DONE, Status().status);
	EXPECT_EQ(0u, DrainEventfd(done_fd));
}

} // namespace
