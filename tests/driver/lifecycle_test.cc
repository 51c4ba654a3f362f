// SPDX-License-Identifier: LGPL-2.1-or-later
// The module's own life: its devices appear and go with it, an open device
// keeps it loaded, and a load / use / unload cycle leaks nothing.  Each
// test leaves the module loaded with kDevices devices, as it found it.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "driver_test.h"

namespace {

// The module is being unloaded (its exit function runs).
bool ModuleGoing()
{
	std::ifstream state("/sys/module/vfio_dmatest/initstate");
	std::string word;
	return state >> word && word == "going";
}

std::string CdevPath(unsigned index)
{
	char path[128] = "";
	int rc = iommufd_dmatest_path(index, path, sizeof(path));
	return rc ? "error " + std::to_string(rc) : path;
}

// One transfer through a fresh context, checked; "" or what went wrong.
std::string UseOnce()
{
	iommufd_ctx *ctx = nullptr;
	iommufd_dmatest *dt = nullptr;
	uint32_t ioas = 0;
	uint64_t iova = kSrcIova;
	Mem buf(kPage);
	std::string why;

	if (iommufd_ctx_open(nullptr, &ctx))
		return iommufd_ctx_last_error(nullptr);
	auto o = OpenOpts(0);
	if (iommufd_ioas_alloc(ctx, &ioas) ||
	    iommufd_ioas_map(ctx, ioas, buf.p(), kPage,
			     IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE | IOMMUFD_MAP_FIXED_IOVA,
			     &iova) ||
	    (o.pt_id = ioas, iommufd_dmatest_open(ctx, 0, &o, &dt))) {
		why = iommufd_ctx_last_error(ctx);
	} else {
		auto x = Xfer(IOMMUFD_DMATEST_FILL, 0, kSrcIova, kPage, IOMMUFD_DMATEST_PIN, 0x4242424242424242ull);
		auto r = NewResult();
		if (iommufd_dmatest_run(dt, &x, kTimeoutMs, &r) || r.status != IOMMUFD_DMATEST_DONE ||
		    buf.p()[kPage - 1] != 0x42)
			why = "the transfer failed: " + Describe(r);
	}
	iommufd_dmatest_close(dt);
	iommufd_ctx_close(ctx);
	return why;
}

TEST(Lifecycle, DevicesComeAndGoWithTheModule)
{
	ASSERT_EQ("", EnsureDmatestLoaded());
	EXPECT_EQ(static_cast<int>(kDevices), iommufd_dmatest_count());
	for (unsigned i = 0; i < kDevices; i++)
		EXPECT_EQ(0, access(CdevPath(i).c_str(), R_OK | W_OK)) << CdevPath(i);
	char path[128];
	EXPECT_EQ(-ENODEV, iommufd_dmatest_path(kDevices, path, sizeof(path)));

	ASSERT_EQ(0, UnloadDmatest());
	EXPECT_FALSE(DmatestLoaded());
	EXPECT_EQ(0, iommufd_dmatest_count());
	EXPECT_EQ(-ENODEV, iommufd_dmatest_path(0, path, sizeof(path)));
	EXPECT_NE(nullptr, strstr(iommufd_ctx_last_error(nullptr), "not loaded"))
		<< iommufd_ctx_last_error(nullptr);

	ASSERT_EQ(0, LoadDmatest("devices=4"));
	EXPECT_EQ(4, iommufd_dmatest_count());
	ASSERT_EQ(0, UnloadDmatest());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
}

TEST(Lifecycle, BadParametersAreRefused)
{
	ASSERT_EQ("", EnsureDmatestLoaded());
	ASSERT_EQ(0, UnloadDmatest());
	EXPECT_EQ(-EINVAL, LoadDmatest("devices=0"));
	EXPECT_EQ(-EINVAL, LoadDmatest("devices=17"));
	EXPECT_EQ(-EINVAL, LoadDmatest("max_len=100"));
	EXPECT_FALSE(DmatestLoaded());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
}

// VFIO takes a reference on the module when a device is bound (its first
// real open), so a bound device makes rmmod refuse rather than wait.
TEST(Lifecycle, ABoundDeviceKeepsTheModuleLoaded)
{
	ASSERT_EQ("", EnsureDmatestLoaded());
	iommufd_ctx *ctx = nullptr;
	iommufd_device *dev = nullptr;
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &ctx));
	ASSERT_EQ(0, iommufd_device_open(CdevPath(0).c_str(), &dev)) << iommufd_ctx_last_error(nullptr);
	ASSERT_EQ(0, iommufd_device_bind(dev, ctx, nullptr, nullptr)) << iommufd_ctx_last_error(ctx);
	EXPECT_EQ(-EWOULDBLOCK, UnloadDmatest());
	EXPECT_TRUE(DmatestLoaded());
	iommufd_device_close(dev);
	iommufd_ctx_close(ctx);
	EXPECT_EQ(0, UnloadDmatest());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
}

// An fd that was opened but never bound holds the device, not the module:
// rmmod waits for it (as for every VFIO driver), and finishes once it is
// closed.
TEST(Lifecycle, UnloadWaitsForAnUnboundFd)
{
	ASSERT_EQ("", EnsureDmatestLoaded());
	const int fd = open(CdevPath(0).c_str(), O_RDWR | O_CLOEXEC);
	ASSERT_GE(fd, 0) << strerror(errno);
	std::atomic<int> unload_rc{ 1 };
	std::thread unloader([&] { unload_rc = UnloadDmatest(); });
	for (int i = 0; i < 100 && !ModuleGoing(); i++)
		usleep(100 * 1000);
	EXPECT_TRUE(ModuleGoing()) << "rmmod did not start";
	EXPECT_EQ(1, unload_rc.load()) << "rmmod returned with the device still open";
	close(fd);
	unloader.join();
	EXPECT_EQ(0, unload_rc.load());
	EXPECT_FALSE(DmatestLoaded());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
}

// Bound, attached, pinned, interrupting, then closed and unloaded: kmemleak
// finds nothing new.
TEST(Lifecycle, UnloadAfterUseLeaksNothing)
{
	ASSERT_EQ("", EnsureDmatestLoaded());
	const std::string why = KmemleakClear();
	if (!why.empty())
		GTEST_SKIP() << why;
	ASSERT_EQ("", UseOnce());
	ASSERT_EQ(0, UnloadDmatest());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
	ASSERT_EQ("", UseOnce());
	ASSERT_EQ(0, UnloadDmatest());
	EXPECT_EQ("", KmemleakScan());
	ASSERT_EQ(0, LoadDmatest("devices=" + std::to_string(kDevices)));
}

} // namespace
