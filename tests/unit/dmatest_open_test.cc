// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The vfio_dmatest helper: finding instances in sysfs, opening (bind,
// identity and layout checks, register mapping, interrupts, attach) with
// every failure undone whole, closing, the accessors.
#include "dmatest_test_support.h"

namespace {

class DmatestSysfs : public DmatestTest {};
class DmatestOpen : public DmatestTest {};

TEST_P(DmatestSysfs, CountAndPath)
{
	char path[64];

	EXPECT_EQ(1, iommufd_dmatest_count());
	ASSERT_EQ(0, iommufd_dmatest_path(0, path, sizeof(path))) << iommufd_ctx_last_error(nullptr);
	EXPECT_STREQ(kDmatestPath, path);
	fake::AddDmatest(vfio_, fk_, 1, 7);
	EXPECT_EQ(2, iommufd_dmatest_count());
	ASSERT_EQ(0, iommufd_dmatest_path(1, path, sizeof(path)));
	EXPECT_STREQ("/dev/vfio/devices/vfio7", path);
}

TEST_P(DmatestSysfs, CountsOnlyInstances)
{
	vfio_.AddSysfsDir(kDmatestDriver, {"vfio_dmatest.", "vfio_dmatest.x", "vfio_dmatest.1.auto",
					   "other.2", "vfio_dmatest.12"});
	EXPECT_EQ(2, iommufd_dmatest_count()) << "vfio_dmatest.0 and vfio_dmatest.12";
}

TEST_P(DmatestSysfs, ModuleNotLoaded)
{
	vfio_.RemoveSysfsDir(kDmatestDriver);
	vfio_.RemoveSysfsDir("/sys/bus/platform/devices/vfio_dmatest.0/vfio-dev");
	char path[64];

	EXPECT_EQ(0, iommufd_dmatest_count());
	EXPECT_FAILS(nullptr, ENODEV, "iommufd_dmatest_path: the vfio_dmatest module is not loaded "
		     "(/sys/bus/platform/drivers/vfio_dmatest is missing; insmod vfio_dmatest.ko "
		     "devices=N)", iommufd_dmatest_path(0, path, sizeof(path)));
	EXPECT_FAILS(ctx_, ENODEV, "the vfio_dmatest module is not loaded",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	EXPECT_EQ(nullptr, dt_);
	EXPECT_EQ(0u, vfio_.ioctls());
}

TEST_P(DmatestSysfs, IndexTooHigh)
{
	char path[64];

	EXPECT_FAILS(nullptr, ENODEV, "no vfio_dmatest.1: the module has 1 instance (0..0)",
		     iommufd_dmatest_path(1, path, sizeof(path)));
	fake::AddDmatest(vfio_, fk_, 1, 4);
	EXPECT_FAILS(nullptr, ENODEV, "no vfio_dmatest.5: the module has 2 instances (0..1)",
		     iommufd_dmatest_path(5, path, sizeof(path)));
	EXPECT_FAILS(ctx_, ENODEV, "iommufd_dmatest_path: no vfio_dmatest.2: the module has 2 "
		     "instances (0..1)", iommufd_dmatest_open(ctx_, 2, nullptr, &dt_));
}

TEST_P(DmatestSysfs, PathRefusals)
{
	char path[64];

	EXPECT_FAILS(nullptr, EINVAL, "iommufd_dmatest_path: buf is NULL",
		     iommufd_dmatest_path(0, nullptr, 64));
	EXPECT_FAILS(nullptr, ENAMETOOLONG, "the cdev path of vfio_dmatest.0 does not fit in 23 "
		     "bytes", iommufd_dmatest_path(0, path, strlen(kDmatestPath)));
	EXPECT_EQ(0, iommufd_dmatest_path(0, path, strlen(kDmatestPath) + 1)) << "the NUL fits";
	vfio_.AddSysfsDir("/sys/bus/platform/devices/vfio_dmatest.1/vfio-dev", {"power"});
	vfio_.AddSysfsDir(kDmatestDriver, {"vfio_dmatest.1"});
	EXPECT_FAILS(nullptr, ENODEV, "/sys/bus/platform/devices/vfio_dmatest.1/vfio-dev has no "
		     "vfioN entry", iommufd_dmatest_path(1, path, sizeof(path)));
}

// Without a VFIO cdev (before 6.6) the module cannot offer one.
class DmatestNoCdev : public DmatestTest {};

TEST_P(DmatestNoCdev, SaysWhichKernel)
{
	char path[64];

	EXPECT_EQ(1, iommufd_dmatest_count());
	EXPECT_FAILS(nullptr, ENODEV, "vfio_dmatest.0 has no VFIO cdev: a kernel without "
		     "CONFIG_VFIO_DEVICE_CDEV (Linux 6.6)", iommufd_dmatest_path(0, path, sizeof(path)));
	EXPECT_FAILS(ctx_, ENODEV, "CONFIG_VFIO_DEVICE_CDEV",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
}

TEST_P(DmatestOpen, MapsRoutesAttaches)
{
	const uint32_t ioas = NewIoas();

	ASSERT_NE(nullptr, OpenDt(ioas));
	fake::VfioFile &f = dt_file();
	EXPECT_TRUE(f.bound);
	EXPECT_NE(0u, f.hwpt) << "attached to the IOAS's HWPT";
	EXPECT_NE(0u, iommufd_device_id(iommufd_dmatest_device(dt_)));
	ASSERT_EQ(1u, vfio_.mmaps().size());
	EXPECT_EQ(size_t{VFIO_DMATEST_MMAP_SIZE}, vfio_.mmaps()[0].len);
	EXPECT_EQ(PROT_READ | PROT_WRITE, vfio_.mmaps()[0].prot);
	EXPECT_EQ(std::vector<int32_t>{iommufd_dmatest_completion_fd(dt_)},
		  f.irq_fds.at(VFIO_DMATEST_IRQ_COMPLETION));
	EXPECT_EQ(std::vector<int32_t>{iommufd_dmatest_error_fd(dt_)},
		  f.irq_fds.at(VFIO_DMATEST_IRQ_ERROR));
	EXPECT_NE(iommufd_dmatest_completion_fd(dt_), iommufd_dmatest_error_fd(dt_));
	EXPECT_EQ(fake::FakeDmatest::kDefaultMaxLen, iommufd_dmatest_max_length(dt_));
	EXPECT_EQ(fds_before_ + 2, OpenFdCount()) << "two eventfds";
}

TEST_P(DmatestOpen, WithoutMmapOrAttach)
{
	model_->max_len = 12345;
	ASSERT_NE(nullptr, OpenDt(0, true));
	EXPECT_TRUE(vfio_.mmaps().empty());
	EXPECT_EQ(0u, dt_file().hwpt);
	EXPECT_EQ(12345u, iommufd_dmatest_max_length(dt_)) << "read through pread";
}

TEST_P(DmatestOpen, CloseUndoesAll)
{
	OpenDt(NewIoas());
	iommufd_dmatest_close(dt_);
	dt_ = nullptr;
	ExpectNothingLeft("close");
	iommufd_dmatest_close(nullptr);
}

TEST_P(DmatestOpen, Accessors)
{
	EXPECT_EQ(nullptr, iommufd_dmatest_device(nullptr));
	EXPECT_EQ(0u, iommufd_dmatest_max_length(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_dmatest_completion_fd(nullptr));
	EXPECT_EQ(-EINVAL, iommufd_dmatest_error_fd(nullptr));
	OpenDt();
	ASSERT_NE(nullptr, iommufd_dmatest_device(dt_));
	EXPECT_EQ(device_, dt_file().dev) << "the handle's device is the instance's cdev";
}

TEST_P(DmatestOpen, ArgumentRefusals)
{
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = 0, .no_mmap = 0);

	EXPECT_DEV_REJECTED(nullptr, EINVAL, "iommufd_dmatest_open: the context is NULL",
			    iommufd_dmatest_open(nullptr, 0, &o, &dt_));
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "iommufd_dmatest_open: dtp is NULL",
			    iommufd_dmatest_open(ctx_, 0, &o, nullptr));
	o.sz = 3;
	EXPECT_DEV_REJECTED(ctx_, EINVAL, "options sz is 3",
			    iommufd_dmatest_open(ctx_, 0, &o, &dt_));
	struct {
		iommufd_dmatest_open_opts o;
		uint64_t newer;
	} big = {};
	big.o.sz = sizeof(big);
	big.newer = 1;
	EXPECT_DEV_REJECTED(ctx_, E2BIG, "options set a field at byte 16",
			    iommufd_dmatest_open(ctx_, 0, &big.o, &dt_));
	EXPECT_EQ(nullptr, dt_);
	ExpectNothingLeft("refused arguments");
	big.newer = 0;
	EXPECT_EQ(0, iommufd_dmatest_open(ctx_, 0, &big.o, &dt_)) << "zeroes past the struct are fine";
}

TEST_P(DmatestOpen, OlderOptsLackNoMmap)
{
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = 0, .no_mmap = 1);

	o.sz = offsetof(iommufd_dmatest_open_opts, no_mmap);
	ASSERT_EQ(0, iommufd_dmatest_open(ctx_, 0, &o, &dt_)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(1u, vfio_.mmaps().size()) << "no_mmap lies past sz: read as 0";
}

TEST_P(DmatestOpen, WrongIdentity)
{
	model_->magic = 0x12345678;
	EXPECT_FAILS(ctx_, EPROTO, "iommufd_dmatest_open: vfio_dmatest.0 has magic 0x12345678, not "
		     "vfio_dmatest's 0x54444649", iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("bad magic");
	model_->magic = VFIO_DMATEST_MAGIC;
	model_->version = 2;
	EXPECT_FAILS(ctx_, EPROTO, "vfio_dmatest.0 speaks register version 2; this libiommufd",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	EXPECT_TRUE(HasSentence(ctx_, "knows version 1"));
	ExpectNothingLeft("bad version");
	model_->version = VFIO_DMATEST_VERSION;
	model_->max_len = 0;
	EXPECT_FAILS(ctx_, EPROTO, "reports a longest transfer of 0 bytes",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("max_len 0");
	EXPECT_EQ(nullptr, dt_);
}

TEST_P(DmatestOpen, WrongLayout)
{
	fake::VfioRegion &r = device_->regions[0];

	r.size = 0x3000;
	EXPECT_FAILS(ctx_, EPROTO, "region 0 of vfio_dmatest.0 is 0x3000 bytes with flags 0xf, not "
		     "the 0x2000 readable, writable bytes of vfio_dmatest",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("region size");
	r.size = VFIO_DMATEST_REGION_SIZE;
	r.areas = {{0x1000, 0x1000}};
	EXPECT_FAILS(ctx_, EPROTO, "and no mmap-able page 0",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("sparse area");
	OpenDt(0, true);
	EXPECT_NE(nullptr, dt_) << "without mmap, page 0 need not be mmap-able";
	iommufd_dmatest_close(dt_);
	dt_ = nullptr;
	r.areas = {{0, 0x1000}};
	r.flags &= ~UAPI_VFIO_REGION_INFO_FLAG_WRITE;
	EXPECT_FAILS(ctx_, EPROTO, "with flags 0xd", iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	r.flags |= UAPI_VFIO_REGION_INFO_FLAG_WRITE;
	device_->irqs[1].flags = 0;
	EXPECT_FAILS(ctx_, EPROTO, "IRQ index 1 of vfio_dmatest.0 has 1 vectors and flags 0x0, not "
		     "one eventfd vector", iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	device_->irqs.resize(1);
	EXPECT_FAILS(ctx_, EPROTO, "vfio_dmatest.0 has 1 regions and 1 IRQ indexes, not the 1 and 2 "
		     "of vfio_dmatest", iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	device_->regions.clear();
	EXPECT_FAILS(ctx_, EPROTO, "has 0 regions", iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("layouts");
}

TEST_P(DmatestOpen, AttachFailureUndone)
{
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = 999, .no_mmap = 0);

	EXPECT_FAILS(ctx_, ENOENT, "VFIO_DEVICE_ATTACH_IOMMUFD_PT",
		     iommufd_dmatest_open(ctx_, 0, &o, &dt_));
	ExpectNothingLeft("attach");
	for (const auto &obj : fk_.ictx().objects)
		EXPECT_NE(fake::ObjType::kDevice, obj.second.type) << "the device was unbound";
}

TEST_P(DmatestOpen, OpenFailuresUndone)
{
	vfio_.FailNextOpen(EACCES);
	EXPECT_FAILS(ctx_, EACCES, "cannot open /dev/vfio/devices/vfio3",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("open");
	vfio_.FailNextMmap(ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "mmap of region 0 of /dev/vfio/devices/vfio3 failed",
		     iommufd_dmatest_open(ctx_, 0, nullptr, &dt_));
	ExpectNothingLeft("mmap");
	vfio_.FailNextRead(EIO);
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = 0, .no_mmap = 1);
	EXPECT_FAILS(ctx_, EIO, "pread of region 0 of /dev/vfio/devices/vfio3",
		     iommufd_dmatest_open(ctx_, 0, &o, &dt_));
	ExpectNothingLeft("pread");
	EXPECT_EQ(nullptr, dt_);
}

// Every VFIO ioctl of an open (bind, info, region, IRQs, attach) failing in
// turn: each failure is a sentence and leaves nothing behind.
TEST_P(DmatestOpen, FailNthIoctl)
{
	const uint32_t ioas = NewIoas();
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, o, .pt_id = ioas, .no_mmap = 0);
	unsigned n;

	for (n = 1; n < 50; n++) {
		const unsigned before = vfio_.ioctls();
		vfio_.FailIoctl(n, EIO);
		const int rc = iommufd_dmatest_open(ctx_, 0, &o, &dt_);
		const bool injected = vfio_.ioctls() - before >= n;
		vfio_.FailIoctl(0, 0);
		if (!injected) {
			EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
			break;
		}
		EXPECT_EQ(-EIO, rc) << "N=" << n;
		EXPECT_STRNE("", iommufd_ctx_last_error(ctx_)) << "N=" << n;
		EXPECT_EQ(nullptr, dt_) << "N=" << n;
		ExpectNothingLeft(("N=" + std::to_string(n)).c_str());
	}
	EXPECT_GE(n, 8u) << "bind, info, region info, 2 IRQ infos, 2 SET_IRQS, attach at least";
	EXPECT_NE(nullptr, dt_);
}

INSTANTIATE_DMATEST(DmatestSysfs);
INSTANTIATE_DMATEST(DmatestOpen);
INSTANTIATE_FOR_PROFILES(DmatestNoCdev, ProfilesBefore(fake::Kver(6, 6)));

} // namespace
