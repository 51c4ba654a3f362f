// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Contexts: opening a path, adopting someone else's fd, closing.
#include <fcntl.h>

#include <cstring>

#include "test_support.h"

namespace {

class Ctx : public FakeKernelTest {
protected:
	void TearDown() override
	{
		iommufd_ctx_close(other_);
		FakeKernelTest::TearDown();
	}
	iommufd_ctx_opts Opts(const char *path)
	{
		iommufd_ctx_opts o;
		std::memset(&o, 0, sizeof(o));
		o.sz = sizeof(o);
		o.path = path;
		return o;
	}
	iommufd_ctx *other_ = nullptr;
};

TEST_F(Ctx, OpenDefaultPath)
{
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other_));
	EXPECT_EQ("/dev/iommu", fk_.last_open_path());
	EXPECT_EQ(O_RDWR | O_CLOEXEC, fk_.last_open_flags());
	EXPECT_TRUE(fk_.IsOpen(iommufd_ctx_fd(other_)));
	EXPECT_EQ(0u, fk_.ioctls()) << "nothing is sent until a call needs it";
}

TEST_F(Ctx, OpenCustomPath)
{
	const iommufd_ctx_opts o = Opts("/tmp/fake-iommu");

	fk_.AddDevicePath("/tmp/fake-iommu");
	ASSERT_EQ(0, iommufd_ctx_open(&o, &other_));
	EXPECT_EQ("/tmp/fake-iommu", fk_.last_open_path());
	EXPECT_EQ(O_RDWR | O_CLOEXEC, fk_.last_open_flags());
}

TEST_F(Ctx, MissingPathSaysWhy)
{
	const iommufd_ctx_opts o = Opts("/dev/no-such-iommu");

	EXPECT_FAILS(nullptr, ENOENT,
		     "cannot open /dev/no-such-iommu: No such file or directory (kernel without "
		     "CONFIG_IOMMUFD, or no devtmpfs node)",
		     iommufd_ctx_open(&o, &other_));
	EXPECT_EQ(nullptr, other_);
}

TEST_F(Ctx, OpenErrorIsPassedOn)
{
	fk_.FailNextOpen(EACCES);
	EXPECT_FAILS(nullptr, EACCES, "cannot open /dev/iommu: Permission denied",
		     iommufd_ctx_open(nullptr, &other_));
	EXPECT_FALSE(HasSentence(nullptr, "CONFIG_IOMMUFD"));
}

TEST_F(Ctx, CloseReleasesTheFdAndTheObjects)
{
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other_));
	const int fd = iommufd_ctx_fd(other_);
	uint32_t id;
	ASSERT_EQ(0, iommufd_ioas_alloc(other_, &id));
	ASSERT_EQ(1u, fk_.ictx(fd).objects.size());

	const unsigned closes = fk_.closes();
	iommufd_ctx_close(other_);
	other_ = nullptr;
	EXPECT_EQ(closes + 1, fk_.closes());
	EXPECT_FALSE(fk_.IsOpen(fd));
	EXPECT_EQ(0u, fk_.object_count());
}

TEST_F(Ctx, AdoptAnIommufd)
{
	const int fd = fk_.OpenIommufd();

	ASSERT_EQ(0, iommufd_ctx_adopt_fd(fd, nullptr, &other_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(fd, iommufd_ctx_fd(other_));
	EXPECT_EQ(1u, fk_.ioctls(UAPI_CMD_DESTROY)) << "one harmless check";
	EXPECT_EQ(0u, fk_.object_count());
	uint32_t id;
	EXPECT_EQ(0, iommufd_ioas_alloc(other_, &id));
	EXPECT_EQ(1u, fk_.ictx(fd).objects.size());
	iommufd_ctx_close(other_);
	other_ = nullptr;
	EXPECT_FALSE(fk_.IsOpen(fd)) << "the context owned it";
}

TEST_F(Ctx, AdoptIgnoresThePath)
{
	const iommufd_ctx_opts o = Opts("/dev/no-such-iommu");
	const int fd = fk_.OpenIommufd();
	const unsigned opens = fk_.opens();

	ASSERT_EQ(0, iommufd_ctx_adopt_fd(fd, &o, &other_));
	EXPECT_EQ(opens, fk_.opens());
}

TEST_F(Ctx, AdoptSomethingElse)
{
	const int fd = fk_.AddPlainFd();
	const unsigned closes = fk_.closes();
	const std::string want = "iommufd_ctx_adopt_fd: fd " + std::to_string(fd) +
				 " is not an iommufd (Inappropriate ioctl for device)";

	EXPECT_FAILS(nullptr, ENOTTY, want, iommufd_ctx_adopt_fd(fd, nullptr, &other_));
	EXPECT_TRUE(fk_.IsOpen(fd)) << "still the caller's";
	EXPECT_EQ(closes, fk_.closes());
	EXPECT_EQ(nullptr, other_);
}

TEST_F(Ctx, AdoptNoFd)
{
	EXPECT_REJECTED(nullptr, EBADF, "iommufd_ctx_adopt_fd: fd -1 is not open",
			iommufd_ctx_adopt_fd(-1, nullptr, &other_));
	EXPECT_FAILS(nullptr, EBADF, "iommufd_ctx_adopt_fd: fd 4242 is not open",
		     iommufd_ctx_adopt_fd(4242, nullptr, &other_));
	EXPECT_EQ(nullptr, other_);
}

TEST_F(Ctx, VersionString)
{
	const std::string want = std::to_string(LIBIOMMUFD_VERSION_MAJOR) + "." +
				 std::to_string(LIBIOMMUFD_VERSION_MINOR) + "." +
				 std::to_string(LIBIOMMUFD_VERSION_PATCH);
	EXPECT_EQ(want, iommufd_version_string());
}

} // namespace
