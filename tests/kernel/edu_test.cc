// SPDX-License-Identifier: LGPL-2.1-or-later
// The real-device path: QEMU's edu device behind QEMU's emulated Intel
// IOMMU, bound to vfio-pci in the guest (run-edu.sh), driven through the
// library's VFIO cdev calls.  The device's DMA engine moves bytes through
// the IOMMU: what the IOAS maps lands, what it does not map does not.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "edu.h"
#include "kernel_facts.h"
#include "summary_line.h"

namespace {

constexpr uint32_t kRW = IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE;
constexpr uint32_t kFixed = IOMMUFD_MAP_FIXED_IOVA;
constexpr size_t kPage = 4096;
constexpr uint64_t kLen = 2048; // inside the device's 4 KiB buffer with room to spare
// Bus addresses below the device's 28-bit DMA mask.
constexpr uint64_t kIovaA = 0x100000, kIovaB = 0x200000, kIovaC = 0x300000;
constexpr uint64_t kIovaNever = 0x5000000; // never mapped

#define ASSERT_OK(CALL) ASSERT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(nullptr)
#define EXPECT_OK(CALL) EXPECT_EQ(0, (CALL)) << #CALL << ": " << iommufd_ctx_last_error(nullptr)

// One page of anonymous memory, never a huge page, filled with @seed's pattern.
class Page {
public:
	explicit Page(uint8_t seed)
	{
		void *m = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			ADD_FAILURE() << "mmap: " << strerror(errno);
			return;
		}
		p_ = static_cast<uint8_t *>(m);
		(void)madvise(p_, kPage, MADV_NOHUGEPAGE);
		Fill(seed);
	}
	~Page()
	{
		if (p_)
			munmap(p_, kPage);
	}
	Page(const Page &) = delete;
	Page &operator=(const Page &) = delete;
	void Fill(uint8_t seed)
	{
		for (size_t i = 0; p_ && i < kPage; i++)
			p_[i] = seed ? static_cast<uint8_t>(seed + i * 13 + (i >> 8)) : 0;
	}
	uint8_t *p() const { return p_; }
	bool Same(const Page &o, size_t len) const { return !memcmp(p_, o.p_, len); }
	bool AllZero(size_t len) const
	{
		for (size_t i = 0; i < len; i++)
			if (p_[i])
				return false;
		return true;
	}
	std::string Head() const
	{
		char s[64];
		snprintf(s, sizeof(s), "%02x %02x %02x %02x %02x %02x %02x %02x", p_[0], p_[1], p_[2],
			 p_[3], p_[4], p_[5], p_[6], p_[7]);
		return s;
	}

private:
	uint8_t *p_ = nullptr;
};

// The edu device opened (not bound) in a fresh context.
class EduTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		bdf_ = edu::FindBdf();
		if (bdf_.empty())
			GTEST_SKIP() << "no edu device (1234:11e8) in this VM: the edu suite runs "
					"through ctest -R edu_ (tests/kernel/run-edu.sh)";
		ASSERT_OK(iommufd_ctx_open(nullptr, &ctx_));
		ASSERT_OK(iommufd_device_open_pci(bdf_.c_str(), &dev_));
	}
	void TearDown() override
	{
		iommufd_device_close(dev_);
		iommufd_ctx_close(ctx_);
	}
	bool Ready() const { return !IsSkipped() && !HasFatalFailure(); }

	std::string bdf_;
	iommufd_ctx *ctx_ = nullptr;
	iommufd_device *dev_ = nullptr;
};

// ... bound, with an IOAS attached.
class EduBound : public EduTest {
protected:
	void SetUp() override
	{
		EduTest::SetUp();
		if (!Ready())
			return;
		ASSERT_OK(iommufd_device_bind(dev_, ctx_, nullptr, &dev_id_));
		ASSERT_OK(iommufd_ioas_alloc(ctx_, &ioas_));
		ASSERT_OK(iommufd_device_attach(dev_, ioas_, &hwpt_));
		ASSERT_OK(edu::Edu(dev_).EnableBusMaster());
	}
	void Map(uint32_t ioas, const Page &page, uint64_t iova, uint32_t flags = kRW)
	{
		uint64_t io = iova;
		ASSERT_OK(iommufd_ioas_map(ctx_, ioas, page.p(), kPage, flags | kFixed, &io));
		ASSERT_EQ(iova, io);
	}
	void Unmap(uint32_t ioas, uint64_t iova)
	{
		uint64_t unmapped = 0;
		ASSERT_OK(iommufd_ioas_unmap(ctx_, ioas, iova, kPage, &unmapped));
		ASSERT_EQ(kPage, unmapped);
	}

	uint32_t dev_id_ = 0, ioas_ = 0, hwpt_ = 0;
};

TEST_F(EduTest, OpenedByAddressAndByPath)
{
	iommufd_device *again = nullptr;
	const std::string node = "/sys/bus/pci/devices/" + bdf_ + "/vfio-dev";

	EXPECT_GE(iommufd_device_fd(dev_), 0);
	EXPECT_EQ(0u, iommufd_device_id(dev_));
	// The same device by its cdev path (a second, independent file).
	char path[64] = "";
	for (int n = 0; n < 64 && !path[0]; n++) {
		snprintf(path, sizeof(path), "%s/vfio%d", node.c_str(), n);
		if (access(path, F_OK))
			path[0] = '\0';
		else
			snprintf(path, sizeof(path), "/dev/vfio/devices/vfio%d", n);
	}
	ASSERT_TRUE(path[0]) << "no vfioN under " << node;
	ASSERT_OK(iommufd_device_open(path, &again));
	iommufd_device_close(again);
}

TEST_F(EduTest, CallsBeforeBindingAreRefused)
{
	iommufd_device_info info;
	EXPECT_EQ(-EINVAL, iommufd_device_get_info(dev_, &info));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "is not bound"))
		<< iommufd_ctx_last_error(nullptr);
}

// The VF token flag is probed by asking the kernel: 6.12 does not know it;
// 7.2 knows it, and edu (no VF) takes none.  Neither answer binds.
TEST_F(EduTest, VfTokenIsProbed)
{
	static const uint8_t token[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	IOMMUFD_OPTS(iommufd_bind_opts, opts, .vf_token = token);
	const Uname &u = RunningKernel();
	const bool knows = u.major > 6 || (u.major == 6 && u.minor >= 17);
	const int rc = iommufd_device_bind(dev_, ctx_, &opts, nullptr);
	const std::string s = iommufd_ctx_last_error(ctx_);

	if (knows) {
		EXPECT_EQ(-EINVAL, rc) << s;
		EXPECT_NE(std::string::npos, s.find("the device takes no VF token")) << s;
	} else {
		EXPECT_EQ(-EOPNOTSUPP, rc) << s;
		EXPECT_NE(std::string::npos, s.find("a VF token needs Linux 6.17 or newer")) << s;
	}
	EXPECT_EQ(0u, iommufd_device_id(dev_));
	EXPECT_OK(iommufd_device_bind(dev_, ctx_, nullptr, nullptr));
}

TEST_F(EduBound, InfoOfARealDevice)
{
	iommufd_device_info info = {};
	ASSERT_OK(iommufd_device_get_info(dev_, &info));
	EXPECT_TRUE(info.flags & IOMMUFD_DEVICE_FLAG_PCI);
	EXPECT_GE(info.num_regions, 9u);
	EXPECT_EQ(5u, info.num_irqs);

	iommufd_region_info bar0 = {};
	ASSERT_OK(iommufd_device_region_info(dev_, IOMMUFD_PCI_BAR0_REGION, &bar0));
	EXPECT_EQ(1u << 20, bar0.size) << "edu's BAR0 is 1 MiB";
	EXPECT_EQ(unsigned(IOMMUFD_REGION_READ | IOMMUFD_REGION_WRITE | IOMMUFD_REGION_MMAP),
		  bar0.flags & ~unsigned(IOMMUFD_REGION_CAPS));
	ASSERT_EQ(1u, bar0.nr_areas);
	EXPECT_EQ(bar0.size, bar0.areas[0].size);

	iommufd_region_info cfg = {};
	ASSERT_OK(iommufd_device_region_info(dev_, IOMMUFD_PCI_CONFIG_REGION, &cfg));
	EXPECT_GE(cfg.size, 256u);
	EXPECT_EQ(0u, cfg.nr_areas) << "config space is not mmap-able";
	uint16_t ids[2] = {};
	ASSERT_OK(iommufd_device_region_read(dev_, IOMMUFD_PCI_CONFIG_REGION, 0, ids, sizeof(ids)));
	EXPECT_EQ(edu::kVendor, ids[0]);
	EXPECT_EQ(edu::kDevice, ids[1]);

	iommufd_region_info bar1 = {};
	ASSERT_OK(iommufd_device_region_info(dev_, IOMMUFD_PCI_BAR1_REGION, &bar1));
	EXPECT_EQ(0u, bar1.size) << "edu has one BAR";

	iommufd_irq_info msi = {};
	ASSERT_OK(iommufd_device_irq_info(dev_, IOMMUFD_PCI_MSI_IRQ, &msi));
	EXPECT_EQ(1u, msi.count) << "edu has one MSI vector";
	EXPECT_TRUE(msi.flags & IOMMUFD_IRQ_EVENTFD);
	iommufd_irq_info intx = {};
	ASSERT_OK(iommufd_device_irq_info(dev_, IOMMUFD_PCI_INTX_IRQ, &intx));
	EXPECT_EQ(1u, intx.count);
}

TEST_F(EduBound, RegistersThroughTheDeviceFd)
{
	edu::Edu edu(dev_);
	uint32_t id = 0, live = 0;

	ASSERT_OK(edu.Read32(edu::kRegId, &id));
	EXPECT_EQ(0xedu, id & 0xff) << std::hex << id;
	ASSERT_OK(edu.Write32(edu::kRegLiveness, 0x12345678));
	ASSERT_OK(edu.Read32(edu::kRegLiveness, &live));
	EXPECT_EQ(~0x12345678u, live);
}

TEST_F(EduBound, RegistersThroughAnMmap)
{
	void *p = nullptr;
	ASSERT_OK(iommufd_device_region_mmap(dev_, IOMMUFD_PCI_BAR0_REGION, 0, kPage,
					     PROT_READ | PROT_WRITE, &p));
	volatile uint32_t *regs = static_cast<volatile uint32_t *>(p);
	EXPECT_EQ(0xedu, regs[edu::kRegId / 4] & 0xff);
	regs[edu::kRegLiveness / 4] = 0xcafe0000;
	uint32_t live = 0;
	ASSERT_OK(edu::Edu(dev_).Read32(edu::kRegLiveness, &live));
	EXPECT_EQ(~0xcafe0000u, live) << "the mmap and the fd reach the same device";
	EXPECT_OK(iommufd_device_region_munmap(p, kPage));
	EXPECT_EQ(-EINVAL, iommufd_device_region_mmap(dev_, IOMMUFD_PCI_CONFIG_REGION, 0, kPage,
						      PROT_READ, &p));
}

// RAM -> device -> other RAM, both legs translated by the IOMMU.
TEST_F(EduBound, DmaRoundTripThroughTheIommu)
{
	edu::Edu edu(dev_);
	Page a(0xa5), b(0);
	Map(ioas_, a, kIovaA);
	Map(ioas_, b, kIovaB);

	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	EXPECT_TRUE(a.Same(b, kLen)) << "A: " << a.Head() << "  B: " << b.Head();
	EXPECT_FALSE(b.AllZero(kLen));
	for (size_t i = kLen; i < kPage; i++)
		ASSERT_EQ(0, b.p()[i]) << "byte " << i << " beyond the transfer was written";
	printf("[edu] %s: %llu bytes RAM (IOVA 0x%llx) -> device -> RAM (IOVA 0x%llx) through "
	       "HWPT %u, verified; first bytes %s\n", bdf_.c_str(), (unsigned long long)kLen,
	       (unsigned long long)kIovaA, (unsigned long long)kIovaB, hwpt_, b.Head().c_str());
}

// After unmap the same IOVA reaches nothing: the IOTLB was invalidated.
TEST_F(EduBound, DmaToAnUnmappedIovaDoesNotLand)
{
	edu::Edu edu(dev_);
	Page a(0x3c), c(0), other(0x77);
	Map(ioas_, a, kIovaA);
	Map(ioas_, c, kIovaC);
	Map(ioas_, other, kIovaB);
	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));

	ASSERT_EQ("", edu.ToRam(0, kIovaC, kLen));
	ASSERT_TRUE(a.Same(c, kLen)) << "while mapped the DMA lands";
	Unmap(ioas_, kIovaC);
	c.Fill(0);
	Page before(0x77);
	ASSERT_EQ("", edu.ToRam(0, kIovaC, kLen)) << "the device may report nothing: check memory";
	EXPECT_TRUE(c.AllZero(kPage)) << "DMA through an unmapped IOVA landed: " << c.Head();
	ASSERT_EQ("", edu.ToRam(0, kIovaNever, kLen));
	EXPECT_TRUE(c.AllZero(kPage));
	EXPECT_TRUE(other.Same(before, kPage)) << "another mapping was hit";
	printf("[edu] %s: DMA to unmapped IOVAs 0x%llx and 0x%llx did not land (memory untouched)\n",
	       bdf_.c_str(), (unsigned long long)kIovaC, (unsigned long long)kIovaNever);
}

// A read-only mapping keeps device writes out.
TEST_F(EduBound, DmaIntoAReadOnlyMappingDoesNotLand)
{
	edu::Edu edu(dev_);
	Page a(0x11), ro(0x99), want(0x99);
	Map(ioas_, a, kIovaA);
	Map(ioas_, ro, kIovaC, IOMMUFD_MAP_READABLE);
	ASSERT_EQ("", edu.ToDevice(kIovaC, 0, kLen));
	ASSERT_EQ("", edu.ToRam(0, kIovaA, kLen));
	ASSERT_TRUE(a.Same(ro, kLen)) << "the device reads a read-only mapping: " << a.Head();
	a.Fill(0x11);
	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));
	ASSERT_EQ("", edu.ToRam(0, kIovaC, kLen));
	EXPECT_TRUE(ro.Same(want, kPage)) << "the device wrote a read-only mapping: " << ro.Head();
}

// Reads through an unmapped IOVA bring nothing in: after the device read
// from an IOVA whose page was unmapped, its buffer does not hold that
// page's bytes (a second, mapped transfer shows what it holds).
TEST_F(EduBound, DmaFromAnUnmappedIovaReadsNothing)
{
	edu::Edu edu(dev_);
	Page a(0x42), b(0), e(0xe1);
	Map(ioas_, a, kIovaA);
	Map(ioas_, b, kIovaB);
	Map(ioas_, e, kIovaC);
	ASSERT_EQ("", edu.ToDevice(kIovaC, 0, kLen));
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	ASSERT_TRUE(b.Same(e, kLen)) << "while mapped the device reads the page";
	b.Fill(0);
	Unmap(ioas_, kIovaC);
	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));
	ASSERT_EQ("", edu.ToDevice(kIovaC, 0, kLen));
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	EXPECT_FALSE(b.Same(e, kLen)) << "the device read a page no longer mapped: " << b.Head();
}

// Detached, the device's DMA is blocked; attached again, it lands.
TEST_F(EduBound, DetachBlocksDma)
{
	edu::Edu edu(dev_);
	Page a(0x5e), b(0);
	Map(ioas_, a, kIovaA);
	Map(ioas_, b, kIovaB);
	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));

	ASSERT_OK(iommufd_device_detach(dev_));
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	EXPECT_TRUE(b.AllZero(kPage)) << "a detached device's DMA landed: " << b.Head();
	ASSERT_OK(iommufd_device_attach(dev_, ioas_, &hwpt_));
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	EXPECT_TRUE(a.Same(b, kLen));
}

// Replacing the IOAS switches translation at once: the same IOVA now
// reaches the other IOAS's page.
TEST_F(EduBound, ReplaceSwitchesTranslation)
{
	edu::Edu edu(dev_);
	Page a(0x21), b(0), d(0);
	uint32_t ioas2 = 0, hwpt2 = 0;
	Map(ioas_, a, kIovaA);
	Map(ioas_, b, kIovaB);
	ASSERT_OK(iommufd_ioas_alloc(ctx_, &ioas2));
	Map(ioas2, d, kIovaB);
	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen));

	ASSERT_OK(iommufd_device_attach(dev_, ioas2, &hwpt2));
	EXPECT_NE(hwpt_, hwpt2);
	ASSERT_EQ("", edu.ToRam(0, kIovaB, kLen));
	EXPECT_TRUE(a.Same(d, kLen)) << "the new IOAS's page: " << d.Head();
	EXPECT_TRUE(b.AllZero(kPage)) << "the old IOAS's page was written: " << b.Head();
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, ioas2)) << "attached";
	EXPECT_OK(iommufd_destroy(ctx_, ioas_)) << "no longer attached";
}

// The DMA-done interrupt through MSI, VFIO and an eventfd.
TEST_F(EduBound, MsiEventfdFiresOnDmaCompletion)
{
	edu::Edu edu(dev_);
	Page a(0x66);
	Map(ioas_, a, kIovaA);
	const int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_GE(efd, 0);
	ASSERT_OK(iommufd_device_set_irq_eventfds(dev_, IOMMUFD_PCI_MSI_IRQ, 0, &efd, 1));

	ASSERT_EQ("", edu.ToDevice(kIovaA, 0, kLen, true));
	struct pollfd pfd = {efd, POLLIN, 0};
	const int ready = poll(&pfd, 1, 10000);
	uint64_t count = 0;
	if (ready == 1) {
		EXPECT_EQ(8, read(efd, &count, sizeof(count)));
	}
	uint32_t status = 0;
	EXPECT_OK(edu.Read32(edu::kRegIrqStatus, &status));
	EXPECT_TRUE(status & edu::kIrqDma) << "the device raised its DMA interrupt: " << std::hex
					   << status;
	EXPECT_OK(edu.Write32(edu::kRegIrqAck, edu::kIrqDma));
	EXPECT_OK(iommufd_device_set_irq_eventfds(dev_, IOMMUFD_PCI_MSI_IRQ, 0, nullptr, 0));
	close(efd);
	ASSERT_EQ(1, ready) << "no MSI reached the eventfd within 10 s";
	EXPECT_GE(count, 1u);
	printf("[edu] %s: the MSI eventfd fired on DMA completion (count %llu)\n", bdf_.c_str(),
	       (unsigned long long)count);
}

TEST_F(EduBound, ResetAsTheDeviceSays)
{
	iommufd_device_info info = {};
	ASSERT_OK(iommufd_device_get_info(dev_, &info));
	const int rc = iommufd_device_reset(dev_);
	if (info.flags & IOMMUFD_DEVICE_FLAG_RESET) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
	} else {
		EXPECT_EQ(-EINVAL, rc);
		EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(ctx_), "cannot be reset"))
			<< iommufd_ctx_last_error(ctx_);
	}
}

// The PASID flag is probed by asking the kernel: 6.12 does not know it;
// 7.2 knows it and refuses for the device's own reasons (edu has no PASID).
TEST_F(EduBound, PasidAttachIsProbed)
{
	const Uname &u = RunningKernel();
	const bool knows = u.major > 6 || (u.major == 6 && u.minor >= 15);
	const int rc = iommufd_device_pasid_attach(dev_, 1, ioas_, nullptr);
	const std::string s = iommufd_ctx_last_error(ctx_);

	EXPECT_LT(rc, 0) << "edu has no PASID capability";
	if (knows) {
		EXPECT_EQ(std::string::npos, s.find("6.15")) << s;
	} else {
		EXPECT_EQ(-EOPNOTSUPP, rc);
		EXPECT_NE(std::string::npos, s.find("needs Linux 6.15")) << s;
	}
	printf("[edu] %s: PASID attach answered %d: %s\n", bdf_.c_str(), rc, s.c_str());
	edu::Edu edu(dev_);
	uint32_t id = 0;
	EXPECT_OK(edu.Read32(edu::kRegId, &id)) << "the device still works";
}

TEST_F(EduBound, IoasOfAnAttachedDeviceIsBusy)
{
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, ioas_));
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, hwpt_)) << "the automatic HWPT";
	ASSERT_OK(iommufd_device_detach(dev_));
	EXPECT_OK(iommufd_destroy(ctx_, ioas_));
}

const bool kSummaryInstalled = InstallKernelSummaryLine("edu suite");

} // namespace
