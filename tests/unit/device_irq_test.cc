// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Interrupts to eventfds (VFIO_DEVICE_SET_IRQS), reset, and injected
// failures over the device calls.
#include "vfio_test_support.h"

namespace {

constexpr uint32_t kMsi = IOMMUFD_PCI_MSI_IRQ;
constexpr unsigned long kSetIrqs = UAPI_VFIO_DEVICE_SET_IRQS;

class DeviceIrq : public VfioTest {
protected:
	void SetUp() override
	{
		VfioTest::SetUp();
		OpenBound();
	}
};

TEST_F(DeviceIrq, RouteAndDisable)
{
	const int32_t fd = 42;

	ASSERT_EQ(0, iommufd_device_set_irq_eventfds(dev_, kMsi, 0, &fd, 1))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(std::vector<int32_t>{42}, file().irq_fds.at(kMsi));
	EXPECT_EQ(sizeof(uapi_vfio_irq_set) + 4, vfio_.argsz_seen(kSetIrqs).back());
	ASSERT_EQ(0, iommufd_device_set_irq_eventfds(dev_, kMsi, 0, nullptr, 0))
		<< "count 0 disables; fds may be NULL";
	EXPECT_EQ(0u, file().irq_fds.count(kMsi));
	EXPECT_EQ(sizeof(uapi_vfio_irq_set), vfio_.argsz_seen(kSetIrqs).back());
}

TEST_F(DeviceIrq, MinusOneLeavesAVectorUnrouted)
{
	edu_->irqs[kMsi].count = 4;
	const int32_t fds[3] = {7, -1, 9};

	ASSERT_EQ(0, iommufd_device_set_irq_eventfds(dev_, kMsi, 1, fds, 3))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(std::vector<int32_t>({-1, 7, -1, 9}), file().irq_fds.at(kMsi));
}

TEST_F(DeviceIrq, Refusals)
{
	const int32_t fds[2] = {5, 6};
	EXPECT_FAILS(ctx_, EINVAL, "VFIO_DEVICE_SET_IRQS on /dev/vfio/devices/vfio0: no IRQ index 1 "
		     "with vectors 0..1", iommufd_device_set_irq_eventfds(dev_, kMsi, 0, fds, 2));
	EXPECT_FAILS(ctx_, EINVAL, "no IRQ index 1 with vectors 1..1",
		     iommufd_device_set_irq_eventfds(dev_, kMsi, 1, fds, 1));
	EXPECT_FAILS(ctx_, EINVAL, "no IRQ index 3",
		     iommufd_device_set_irq_eventfds(dev_, IOMMUFD_PCI_ERR_IRQ, 0, fds, 1));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_device_set_irq_eventfds: fds is NULL",
			    iommufd_device_set_irq_eventfds(dev_, kMsi, 0, nullptr, 1));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "2049 vectors, more than 2048",
			    iommufd_device_set_irq_eventfds(dev_, kMsi, 0, fds, 2049));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "vectors 4294967295+1 wrap",
			    iommufd_device_set_irq_eventfds(dev_, kMsi, UINT32_MAX, fds, 1));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "the device is NULL",
			    iommufd_device_set_irq_eventfds(nullptr, kMsi, 0, fds, 1));
	vfio_.not_eventfds.insert(5);
	EXPECT_FAILS(ctx_, EBADF, "an fd of index 1 is not an eventfd",
		     iommufd_device_set_irq_eventfds(dev_, kMsi, 0, fds, 1));
	EXPECT_EQ(0u, file().irq_fds.count(kMsi)) << "nothing was routed";
}

TEST_F(DeviceIrq, Reset)
{
	ASSERT_EQ(0, iommufd_device_reset(dev_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(1u, edu_->resets);
	edu_->flags &= ~UAPI_VFIO_DEVICE_FLAGS_RESET;
	EXPECT_FAILS(ctx_, EINVAL, "VFIO_DEVICE_RESET on /dev/vfio/devices/vfio0: the device cannot "
		     "be reset (no reset method; IOMMUFD_DEVICE_FLAG_RESET is clear)",
		     iommufd_device_reset(dev_));
	edu_->reset_errno = EAGAIN;
	EXPECT_FAILS(ctx_, EAGAIN, "VFIO_DEVICE_RESET on /dev/vfio/devices/vfio0 failed: Resource "
		     "temporarily unavailable", iommufd_device_reset(dev_));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_reset: the device is NULL",
			    iommufd_device_reset(nullptr));
}

// ---- injected failures ----------------------------------------------------

// Fail the Nth VFIO ioctl of a sequence of device calls, for every N: each
// run fails cleanly with a sentence (no leak under ASan) or succeeds, and
// the device keeps working.
TEST_F(DeviceIrq, FailNthOverTheDeviceCalls)
{
	edu_->regions[0].sparse = true;
	for (uint64_t i = 0; i < 30; i++) // a chain that needs a second query
		edu_->regions[0].areas.push_back({i * 0x8000, 0x1000});
	const uint32_t ioas = NewIoas();
	unsigned n;

	for (n = 1; n < 100; n++) {
		iommufd_device *d = nullptr;
		ASSERT_EQ(0, iommufd_device_open(kEduPath, &d));
		const unsigned start = vfio_.ioctls();
		vfio_.FailIoctl(n, EIO);
		int rc = iommufd_device_bind(d, ctx_, nullptr, nullptr);
		iommufd_region_info info;
		iommufd_irq_info irq;
		iommufd_device_info di;
		const int32_t fd = 3;
		uint32_t v;
		if (!rc)
			rc = iommufd_device_attach(d, ioas, nullptr);
		if (!rc)
			rc = iommufd_device_get_info(d, &di);
		if (!rc)
			rc = iommufd_device_region_info(d, 0, &info);
		if (!rc)
			rc = iommufd_device_region_read(d, 0, 0, &v, 4);
		if (!rc)
			rc = iommufd_device_irq_info(d, kMsi, &irq);
		if (!rc)
			rc = iommufd_device_set_irq_eventfds(d, kMsi, 0, &fd, 1);
		if (!rc)
			rc = iommufd_device_pasid_attach(d, 4, ioas, nullptr);
		if (!rc)
			rc = iommufd_device_reset(d);
		const bool injected = vfio_.ioctls() - start >= n;
		vfio_.FailIoctl(0, 0);
		if (rc) {
			EXPECT_STRNE("", iommufd_ctx_last_error(ctx_)) << "N=" << n;
		}
		if (injected) {
			EXPECT_NE(0, rc) << "N=" << n;
		}
		iommufd_device_close(d);
		if (!injected)
			break;
	}
	EXPECT_EQ(10u, n) << "nine ioctls, the region info twice (its chain grows)";
	for (const auto &o : fk_.ictx().objects)
		EXPECT_TRUE(o.first == ioas || o.first == dev_id_)
			<< "left behind: " << o.first << " of type " << int(o.second.type);
}

} // namespace
