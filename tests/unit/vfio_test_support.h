// SPDX-License-Identifier: LGPL-2.1-or-later
// Fixtures for the VFIO device tests: the fake kernel with fake VFIO cdevs
// and a fake sysfs on top, holding one edu-like PCI device.
#pragma once

#include <algorithm>
#include <cstring>
#include <vector>

#include "fake_vfio.h"
#include "test_support.h"

extern "C" {
#include "uapi/vfio_abi.h"
}

inline constexpr char kEduBdf[] = "0000:00:0a.0";
inline constexpr char kEduPath[] = "/dev/vfio/devices/vfio0";

class VfioTest : public FakeKernelTest {
protected:
	void SetUp() override { StartVfio(fake::Profile::Linux7_2); }
	void TearDown() override
	{
		iommufd_device_close(dev_);
		vfio_.Uninstall();
		FakeKernelTest::TearDown();
	}
	void StartVfio(fake::Profile p)
	{
		Start(p);
		vfio_.Install();
		edu_ = &vfio_.AddPciDevice(kEduBdf, 0);
	}

	// Opens the edu device (into dev_), asserting success.
	iommufd_device *Open()
	{
		EXPECT_EQ(0, iommufd_device_open(kEduPath, &dev_)) << iommufd_ctx_last_error(nullptr);
		return dev_;
	}
	// Opens and binds it to ctx_.
	iommufd_device *OpenBound()
	{
		Open();
		EXPECT_EQ(0, iommufd_device_bind(dev_, ctx_, nullptr, &dev_id_))
			<< iommufd_ctx_last_error(ctx_);
		return dev_;
	}
	uint32_t Attach(uint32_t pt_id)
	{
		uint32_t hwpt = 0;
		EXPECT_EQ(0, iommufd_device_attach(dev_, pt_id, &hwpt)) << iommufd_ctx_last_error(ctx_);
		return hwpt;
	}
	fake::VfioFile &file() { return *vfio_.File(iommufd_device_fd(dev_)); }
	const fake::Object *Obj(uint32_t id)
	{
		auto &objs = fk_.ictx().objects;
		auto it = objs.find(id);
		return it == objs.end() ? nullptr : &it->second;
	}

	fake::FakeVfio vfio_{fk_};
	fake::VfioDevice *edu_ = nullptr;
	iommufd_device *dev_ = nullptr;
	uint32_t dev_id_ = 0;
};

// The same, once per kernel profile.
class VfioProfileTest : public VfioTest, public ::testing::WithParamInterface<fake::Profile> {
protected:
	void SetUp() override { StartVfio(GetParam()); }
};

// The same on the profiles with a VFIO cdev (6.6 on).
class VfioCdevTest : public VfioProfileTest {};

// CALL fails with -ERR and a sentence containing WHAT, without a VFIO ioctl.
#define EXPECT_DEV_REJECTED(CTX, ERR, WHAT, CALL)                                   \
	do {                                                                        \
		const unsigned vfio_before_ = vfio_.ioctls();                       \
		EXPECT_FAILS(CTX, ERR, WHAT, CALL);                                 \
		EXPECT_EQ(vfio_before_, vfio_.ioctls()) << #CALL " reached the device"; \
	} while (0)
