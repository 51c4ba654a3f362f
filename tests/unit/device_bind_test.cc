// SPDX-License-Identifier: LGPL-2.1-or-later
//
// VFIO_DEVICE_BIND_IOMMUFD: the device joins a context; the VF token is
// flag-probed (Linux 6.17); calls before binding are refused by the kernel.
#include "vfio_test_support.h"

namespace {

constexpr uint8_t kToken[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
				0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21};

class DeviceBind : public VfioTest {
protected:
	iommufd_bind_opts TokenOpts(const uint8_t *token)
	{
		iommufd_bind_opts o;
		std::memset(&o, 0, sizeof(o));
		o.sz = sizeof(o);
		o.vf_token = token;
		return o;
	}
	void MakeVfWithToken()
	{
		edu_->vf_token_set = true;
		std::copy(kToken, kToken + 16, edu_->vf_token.begin());
	}
};

TEST_F(DeviceBind, GivesTheDeviceAnId)
{
	Open();
	uint32_t id = 0;
	ASSERT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, &id)) << iommufd_ctx_last_error(ctx_);
	ASSERT_NE(0u, id);
	EXPECT_EQ(id, iommufd_device_id(dev_));
	ASSERT_NE(nullptr, Obj(id));
	EXPECT_EQ(fake::ObjType::kDevice, Obj(id)->type);
	EXPECT_EQ(iommufd_ctx_fd(ctx_), file().iommufd);
	EXPECT_EQ(std::vector<uint32_t>{16}, vfio_.argsz_seen(UAPI_VFIO_DEVICE_BIND_IOMMUFD))
		<< "16 bytes without a token: what every cdev kernel reads";
}

TEST_F(DeviceBind, IdOutIsOptional)
{
	Open();
	ASSERT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	EXPECT_NE(0u, iommufd_device_id(dev_));
}

TEST_F(DeviceBind, ArgumentChecks)
{
	Open();
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_bind: the device is NULL",
			    iommufd_device_bind(nullptr, ctx_, nullptr, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_bind: the context is NULL",
			    iommufd_device_bind(dev_, nullptr, nullptr, nullptr));
	iommufd_bind_opts bad;
	std::memset(&bad, 0, sizeof(bad));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "options sz is 0",
			    iommufd_device_bind(dev_, ctx_, &bad, nullptr));
	struct {
		iommufd_bind_opts o;
		uint64_t future;
	} bigger = {};
	bigger.o.sz = sizeof(bigger);
	bigger.future = 1;
	EXPECT_DEV_REJECTED(ctx_, E2BIG, "options set a field at byte 16",
			    iommufd_device_bind(dev_, ctx_, &bigger.o, nullptr));
	EXPECT_FALSE(file().bound);
}

TEST_F(DeviceBind, TwiceIsRefusedBeforeTheKernel)
{
	OpenBound();
	EXPECT_DEV_REJECTED(ctx_, EBUSY, "vfio0 is bound already (one bind per open)",
			    iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
}

TEST_F(DeviceBind, ErrorsGoToTheContext)
{
	Open();
	vfio_.FailIoctl(1, EBUSY);
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU group is in use through the legacy VFIO group interface",
		     iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	vfio_.FailIoctl(1, ENOTTY);
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "VFIO_DEVICE_BIND_IOMMUFD on /dev/vfio/devices/vfio0: needs Linux 6.6 or newer",
		     iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	vfio_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "VFIO_DEVICE_BIND_IOMMUFD on /dev/vfio/devices/vfio0 failed: "
		     "Cannot allocate memory", iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	EXPECT_EQ(0u, iommufd_device_id(dev_));
	EXPECT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, nullptr)) << "still bindable";
}

TEST_F(DeviceBind, BoundElsewhereSaysSo)
{
	Open();
	const int raw = iommufd_device_fd(dev_);
	uapi_vfio_device_bind_iommufd bind = {16, 0, iommufd_ctx_fd(ctx_), 0, 0};
	ASSERT_EQ(0, ifd_sys_ioctl(raw, UAPI_VFIO_DEVICE_BIND_IOMMUFD, &bind));
	EXPECT_FAILS(ctx_, EINVAL, "obtained through a VFIO group (BIND is for cdev fds), or the "
		     "device is bound already", iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
}

TEST_F(DeviceBind, CallsBeforeBindingSayBindFirst)
{
	Open();
	iommufd_device_info info;
	iommufd_irq_info irq;
	iommufd_region_info region;
	uint8_t b;
	EXPECT_FAILS(nullptr, EINVAL, "the device is not bound to an iommufd context "
		     "(iommufd_device_bind() first)", iommufd_device_get_info(dev_, &info));
	EXPECT_FAILS(nullptr, EINVAL, "VFIO_DEVICE_ATTACH_IOMMUFD_PT on /dev/vfio/devices/vfio0: the "
		     "device is not bound", iommufd_device_attach(dev_, 1, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_detach(dev_));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_irq_info(dev_, 0, &irq));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_region_info(dev_, 0, &region));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_region_read(dev_, 0, 0, &b, 1));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_reset(dev_));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_pasid_attach(dev_, 1, 1, nullptr));
	EXPECT_FAILS(nullptr, EINVAL, "not bound", iommufd_device_pasid_detach(dev_, 1));
	const int32_t fd = -1;
	EXPECT_FAILS(nullptr, EINVAL, "not bound",
		     iommufd_device_set_irq_eventfds(dev_, UAPI_VFIO_PCI_MSI_IRQ_INDEX, 0, &fd, 1));
}

// ---- the VF token (Linux 6.17) -------------------------------------------

TEST_F(DeviceBind, TokenOfAVf)
{
	MakeVfWithToken();
	Open();
	const iommufd_bind_opts o = TokenOpts(kToken);
	ASSERT_EQ(0, iommufd_device_bind(dev_, ctx_, &o, &dev_id_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(std::vector<uint32_t>{24}, vfio_.argsz_seen(UAPI_VFIO_DEVICE_BIND_IOMMUFD));
}

TEST_F(DeviceBind, TokenMissingOrWrong)
{
	MakeVfWithToken();
	Open();
	EXPECT_FAILS(ctx_, EACCES, "the PF driver requires a VF token, and none or another one was "
		     "given", iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
	uint8_t wrong[16] = {};
	const iommufd_bind_opts o = TokenOpts(wrong);
	EXPECT_FAILS(ctx_, EACCES, "requires a VF token", iommufd_device_bind(dev_, ctx_, &o, nullptr));
	EXPECT_FALSE(file().bound);
}

TEST_F(DeviceBind, TokenForADeviceWithout)
{
	Open();
	const iommufd_bind_opts o = TokenOpts(kToken);
	EXPECT_FAILS(ctx_, EINVAL, "the device takes no VF token",
		     iommufd_device_bind(dev_, ctx_, &o, nullptr));
	EXPECT_EQ(2u, vfio_.ioctls(UAPI_VFIO_DEVICE_BIND_IOMMUFD)) << "the bind and one probe";
	EXPECT_EQ(512u, vfio_.argsz_seen(UAPI_VFIO_DEVICE_BIND_IOMMUFD).back());
	EXPECT_FALSE(file().bound) << "the probe binds nothing";
}

class DeviceBindProfiles : public VfioCdevTest {};

TEST_P(DeviceBindProfiles, WithoutTokenOnEveryCdevKernel)
{
	OpenBound();
	EXPECT_NE(0u, dev_id_);
}

TEST_P(DeviceBindProfiles, TokenNeedsLinux6_17)
{
	edu_->vf_token_set = true;
	std::copy(kToken, kToken + 16, edu_->vf_token.begin());
	Open();
	iommufd_bind_opts o;
	std::memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.vf_token = kToken;
	const int rc = iommufd_device_bind(dev_, ctx_, &o, nullptr);
	if (kver() >= fake::Kver(6, 17)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, rc);
	EXPECT_TRUE(HasSentence(ctx_, "a VF token needs Linux 6.17 or newer (this kernel does not "
				"know VFIO_DEVICE_BIND_FLAG_TOKEN)"));
	EXPECT_FALSE(file().bound);
	EXPECT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, nullptr)) << "without it, it binds";
}

std::vector<fake::Profile> CdevProfiles() { return ProfilesSince(fake::Kver(6, 6)); }
INSTANTIATE_FOR_PROFILES(DeviceBindProfiles, CdevProfiles());

} // namespace
