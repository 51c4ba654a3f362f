// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Attach, replace and detach a bound device, whole or by PASID (the PASID
// flag flag-probed: Linux 6.15).
#include "vfio_test_support.h"

namespace {

using DeviceAttach = VfioTest;

TEST_F(DeviceAttach, ToAnIoasMakesAHwpt)
{
	OpenBound();
	const uint32_t ioas = NewIoas();
	const uint32_t hwpt = Attach(ioas);

	ASSERT_NE(nullptr, Obj(hwpt));
	EXPECT_EQ(fake::ObjType::kHwptPaging, Obj(hwpt)->type);
	EXPECT_EQ(ioas, Obj(hwpt)->parent);
	EXPECT_EQ(hwpt, file().hwpt);
	EXPECT_EQ(std::vector<uint32_t>{12}, vfio_.argsz_seen(UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT))
		<< "without a PASID: the struct every cdev kernel reads";
	EXPECT_FAILS(ctx_, EBUSY, "still in use", iommufd_destroy(ctx_, ioas));
}

TEST_F(DeviceAttach, HwptIdOutIsOptional)
{
	OpenBound();
	ASSERT_EQ(0, iommufd_device_attach(dev_, NewIoas(), nullptr));
	EXPECT_NE(0u, file().hwpt);
}

TEST_F(DeviceAttach, ToAHwptDirectly)
{
	OpenBound();
	const uint32_t hwpt = Attach(NewIoas());
	EXPECT_EQ(hwpt, Attach(hwpt)) << "re-attaching the same HWPT is a replace with itself";
	EXPECT_EQ(1u, Obj(hwpt)->refs);
}

// A HWPT allocated for the bound device (IOMMU_HWPT_ALLOC with its ID).
TEST_F(DeviceAttach, ToAnAllocatedHwpt)
{
	OpenBound();
	const uint32_t ioas = NewIoas();
	uint32_t hwpt = 0;
	ASSERT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_id_, ioas, nullptr, &hwpt))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(hwpt, Attach(hwpt));
	EXPECT_FAILS(ctx_, EBUSY, "still in use", iommufd_destroy(ctx_, hwpt));
	ASSERT_EQ(0, iommufd_device_detach(dev_));
	EXPECT_NE(nullptr, Obj(hwpt)) << "an allocated HWPT outlives its devices";
	EXPECT_EQ(0, iommufd_destroy(ctx_, hwpt)) << iommufd_ctx_last_error(ctx_);
}

TEST_F(DeviceAttach, ReplaceMovesToAnotherIoas)
{
	OpenBound();
	const uint32_t a = NewIoas(), b = NewIoas();
	const uint32_t ha = Attach(a);
	const uint32_t hb = Attach(b);

	EXPECT_NE(ha, hb);
	EXPECT_EQ(hb, file().hwpt);
	EXPECT_EQ(nullptr, Obj(ha)) << "the automatic HWPT of the old IOAS went with its last device";
	EXPECT_EQ(0, iommufd_destroy(ctx_, a)) << iommufd_ctx_last_error(ctx_);
}

TEST_F(DeviceAttach, DetachBlocksAndFreesTheAutomaticHwpt)
{
	OpenBound();
	const uint32_t ioas = NewIoas();
	const uint32_t hwpt = Attach(ioas);

	ASSERT_EQ(0, iommufd_device_detach(dev_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, file().hwpt);
	EXPECT_EQ(nullptr, Obj(hwpt));
	EXPECT_EQ(0, iommufd_device_detach(dev_)) << "detaching a detached device is fine";
	EXPECT_EQ(0, iommufd_destroy(ctx_, ioas));
}

TEST_F(DeviceAttach, Errnos)
{
	OpenBound();
	const uint32_t ioas = NewIoas();
	EXPECT_FAILS(ctx_, ENOENT, "VFIO_DEVICE_ATTACH_IOMMUFD_PT on /dev/vfio/devices/vfio0: no IOAS "
		     "or HWPT with ID 99", iommufd_device_attach(dev_, 99, nullptr));
	EXPECT_FAILS(ctx_, EINVAL, "object " + std::to_string(dev_id_) + " is neither an IOAS nor a "
		     "HWPT", iommufd_device_attach(dev_, dev_id_, nullptr));
	EXPECT_EQ(0u, file().hwpt) << "failed attaches attach nothing";
	const uint32_t hwpt = Attach(ioas);
	EXPECT_FAILS(ctx_, ENOENT, "no IOAS or HWPT", iommufd_device_attach(dev_, 77, nullptr));
	EXPECT_EQ(hwpt, file().hwpt) << "a failed replace keeps the old attachment";
	vfio_.FailIoctl(1, EADDRINUSE);
	EXPECT_FAILS(ctx_, EADDRINUSE, "maps IOVAs this device reserves",
		     iommufd_device_attach(dev_, ioas, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_attach: the device is NULL",
			    iommufd_device_attach(nullptr, ioas, nullptr));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_device_detach: the device is NULL",
			    iommufd_device_detach(nullptr));
}

TEST_F(DeviceAttach, TwoDevicesShareTheIoasHwpt)
{
	OpenBound();
	vfio_.AddPciDevice("0000:00:0b.0", 1);
	iommufd_device *other = nullptr;
	ASSERT_EQ(0, iommufd_device_open_pci("0000:00:0b.0", &other));
	ASSERT_EQ(0, iommufd_device_bind(other, ctx_, nullptr, nullptr));
	const uint32_t ioas = NewIoas();
	uint32_t h1 = Attach(ioas), h2 = 0;
	ASSERT_EQ(0, iommufd_device_attach(other, ioas, &h2));
	EXPECT_EQ(h1, h2);
	iommufd_device_close(other);
	EXPECT_NE(nullptr, Obj(h1)) << "still used by the first device";
}

// ---- PASIDs -------------------------------------------------------------

TEST_F(DeviceAttach, PasidAttachReplaceDetach)
{
	OpenBound();
	const uint32_t a = NewIoas(), b = NewIoas();
	uint32_t ha = 0, hb = 0;

	ASSERT_EQ(0, iommufd_device_pasid_attach(dev_, 5, a, &ha)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(ha, file().pasids.at(5));
	EXPECT_EQ(0u, file().hwpt) << "the RID is untouched";
	EXPECT_EQ(16u, vfio_.argsz_seen(UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT).back());
	ASSERT_EQ(0, iommufd_device_pasid_attach(dev_, 5, b, &hb));
	EXPECT_EQ(hb, file().pasids.at(5));
	ASSERT_EQ(0, iommufd_device_pasid_detach(dev_, 5)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0u, file().pasids.count(5));
	EXPECT_EQ(0, iommufd_device_pasid_detach(dev_, 5)) << "detaching twice is fine";
	EXPECT_EQ(0, iommufd_device_pasid_attach(dev_, 0xfffff, a, nullptr)) << "the top PASID";
}

TEST_F(DeviceAttach, PasidRange)
{
	OpenBound();
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "PASID 0 is outside 1..0xfffff (0 is the device itself",
			    iommufd_device_pasid_attach(dev_, 0, 1, nullptr));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "PASID 1048576 is outside",
			    iommufd_device_pasid_attach(dev_, 1u << 20, 1, nullptr));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "PASID 0 is outside",
			    iommufd_device_pasid_detach(dev_, 0));
	EXPECT_DEV_REJECTED(nullptr, EINVAL, "the device is NULL",
			    iommufd_device_pasid_attach(nullptr, 1, 1, nullptr));
}

TEST_F(DeviceAttach, PasidOnADriverWithoutPasidSupport)
{
	edu_->pasid_ops = false;
	OpenBound();
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "the device's driver or IOMMU cannot attach PASIDs",
		     iommufd_device_pasid_attach(dev_, 3, NewIoas(), nullptr));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "the device's driver has no PASID support",
		     iommufd_device_pasid_detach(dev_, 3));
}

// A kernel that knows the flag, refusing the attach for its own reasons:
// the probe tells the two EINVALs apart.
TEST_F(DeviceAttach, PasidEinvalOfAKernelThatKnowsTheFlag)
{
	OpenBound();
	EXPECT_FAILS(ctx_, EINVAL, "the PASID cannot attach to object " + std::to_string(dev_id_) +
		     ": the device or its IOMMU has no PASID support",
		     iommufd_device_pasid_attach(dev_, 9, dev_id_, nullptr));
	EXPECT_FALSE(HasSentence(ctx_, "6.15"));
	EXPECT_EQ(2u, vfio_.ioctls(UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT)) << "the attach and one probe";
	EXPECT_EQ(0u, file().pasids.count(9)) << "the probe attached nothing";
	EXPECT_FAILS(ctx_, EINVAL, "neither an IOAS nor a HWPT",
		     iommufd_device_pasid_attach(dev_, 9, dev_id_, nullptr));
	EXPECT_EQ(3u, vfio_.ioctls(UAPI_VFIO_DEVICE_ATTACH_IOMMUFD_PT)) << "answer remembered";
}

class DeviceAttachProfiles : public VfioCdevTest {};

TEST_P(DeviceAttachProfiles, AttachOnEveryCdevKernel)
{
	OpenBound();
	const uint32_t hwpt = Attach(NewIoas());
	EXPECT_NE(0u, hwpt);
	EXPECT_EQ(0, iommufd_device_detach(dev_));
}

TEST_P(DeviceAttachProfiles, PasidNeedsLinux6_15)
{
	OpenBound();
	const uint32_t ioas = NewIoas();
	const int rc = iommufd_device_pasid_attach(dev_, 1, ioas, nullptr);

	if (kver() >= fake::Kver(6, 15)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
		EXPECT_EQ(0, iommufd_device_pasid_detach(dev_, 1));
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, rc);
	EXPECT_TRUE(HasSentence(ctx_, "VFIO_DEVICE_ATTACH_IOMMUFD_PT on /dev/vfio/devices/vfio0: PASID "
				"attach needs Linux 6.15 or newer (this kernel does not know the "
				"PASID flag)"));
	const unsigned before = vfio_.ioctls();
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "needs Linux 6.15",
		     iommufd_device_pasid_attach(dev_, 1, ioas, nullptr));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "VFIO_DEVICE_DETACH_IOMMUFD_PT on /dev/vfio/devices/vfio0: "
		     "PASID attach needs Linux 6.15", iommufd_device_pasid_detach(dev_, 1));
	EXPECT_EQ(before, vfio_.ioctls()) << "the answer is remembered";
	EXPECT_EQ(0u, file().hwpt) << "the RID stayed detached";
}

TEST_P(DeviceAttachProfiles, PasidDetachAloneFindsOut)
{
	OpenBound();
	const int rc = iommufd_device_pasid_detach(dev_, 2);

	if (kver() >= fake::Kver(6, 15)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
	} else {
		EXPECT_FAILS(ctx_, EOPNOTSUPP, "needs Linux 6.15", rc);
	}
}

INSTANTIATE_FOR_PROFILES(DeviceAttachProfiles, ProfilesSince(fake::Kver(6, 6)));

} // namespace
