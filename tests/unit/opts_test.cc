// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Options structs: the sz rules (older caller zero-extended, newer caller
// accepted only with a zero tail) and the checks of each field.
#include <cstring>

#include "opts_macro.h"
#include "test_support.h"

namespace {

class Opts : public FakeKernelTest {
protected:
	void SetUp() override
	{
		FakeKernelTest::SetUp();
		opens_ = fk_.opens();
	}
	void TearDown() override
	{
		iommufd_ctx_close(other_);
		FakeKernelTest::TearDown();
	}
	unsigned opens_ = 0;
	iommufd_ctx *other_ = nullptr;
};

TEST_F(Opts, MacroFillsSizeAndFields)
{
	size_t sz = 0;

	ASSERT_EQ(0, opts_macro_open(nullptr, IOMMUFD_LOG_WARN, &other_, &sz));
	EXPECT_EQ(sizeof(iommufd_ctx_opts), sz);
	EXPECT_EQ(IOMMUFD_LOG_WARN, iommufd_ctx_get_log_level(other_));
	EXPECT_EQ("/dev/iommu", fk_.last_open_path());
}

TEST_F(Opts, MacroCustomPath)
{
	size_t sz = 0;

	fk_.AddDevicePath("/run/iommu-test");
	ASSERT_EQ(0, opts_macro_open("/run/iommu-test", 0, &other_, &sz));
	EXPECT_EQ("/run/iommu-test", fk_.last_open_path());
}

TEST_F(Opts, NullOptsMeansDefaults)
{
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other_));
	EXPECT_EQ("/dev/iommu", fk_.last_open_path());
	EXPECT_EQ(IOMMUFD_LOG_OFF, iommufd_ctx_get_log_level(other_));
}

int log_calls = 0;
void CountingLog(void *, int, const char *) { log_calls++; }

// An older caller's struct ends before log_fn: whatever lies past its sz
// is not read.
TEST_F(Opts, OlderCallerIsZeroExtended)
{
	iommufd_ctx_opts o;

	std::memset(&o, 0, sizeof(o));
	o.sz = offsetof(iommufd_ctx_opts, log_fn);
	o.log_fn = CountingLog; // past sz: must be ignored
	o.log_level = 99;       // past sz: must be ignored
	log_calls = 0;
	ASSERT_EQ(0, iommufd_ctx_open(&o, &other_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(IOMMUFD_LOG_OFF, iommufd_ctx_get_log_level(other_));
	iommufd_ctx_set_log_level(other_, IOMMUFD_LOG_DEBUG);
	testing::internal::CaptureStderr();
	iommufd_destroy(other_, 12345); // logs its failure
	const std::string err = testing::internal::GetCapturedStderr();
	EXPECT_EQ(0, log_calls) << "log_fn past sz was used";
	EXPECT_NE(std::string::npos,
		  err.find("libiommufd debug: IOMMU_DESTROY: no object with ID 12345"))
		<< err;
}

struct NewerOpts {
	iommufd_ctx_opts known;
	uint64_t future[2];
};

TEST_F(Opts, NewerCallerWithZeroTail)
{
	NewerOpts o;

	std::memset(&o, 0, sizeof(o));
	o.known.sz = sizeof(o);
	o.known.log_level = IOMMUFD_LOG_INFO;
	ASSERT_EQ(0, iommufd_ctx_open(&o.known, &other_)) << iommufd_ctx_last_error(nullptr);
	EXPECT_EQ(IOMMUFD_LOG_INFO, iommufd_ctx_get_log_level(other_));
}

TEST_F(Opts, NewerCallerWithNonZeroTail)
{
	NewerOpts o;

	std::memset(&o, 0, sizeof(o));
	o.known.sz = sizeof(o);
	o.future[1] = 1;
	const std::string want = "iommufd_ctx_open: options set a field at byte " +
				 std::to_string(offsetof(NewerOpts, future[1])) +
				 " that this libiommufd (" + iommufd_version_string() +
				 ", which knows " + std::to_string(sizeof(iommufd_ctx_opts)) +
				 " bytes) does not know";
	EXPECT_FAILS(nullptr, E2BIG, want, iommufd_ctx_open(&o.known, &other_));
	EXPECT_EQ(opens_, fk_.opens());

	const int fd = fk_.OpenIommufd();
	EXPECT_FAILS(nullptr, E2BIG, "iommufd_ctx_adopt_fd: options set a field at byte",
		     iommufd_ctx_adopt_fd(fd, &o.known, &other_));
	EXPECT_TRUE(fk_.IsOpen(fd));
	EXPECT_EQ(0u, fk_.ioctls());
}

TEST_F(Opts, SizeBelowItsOwnField)
{
	iommufd_ctx_opts o = {};

	for (size_t sz : {size_t{0}, size_t{4}, sizeof(size_t) - 1}) {
		o.sz = sz;
		const std::string want = "iommufd_ctx_open: options sz is " + std::to_string(sz) +
					 "; fill options with IOMMUFD_OPTS()";
		EXPECT_FAILS(nullptr, EINVAL, want, iommufd_ctx_open(&o, &other_));
	}
	o.sz = sizeof(size_t); // nothing but sz: all defaults
	EXPECT_EQ(0, iommufd_ctx_open(&o, &other_));
	EXPECT_EQ(opens_ + 1, fk_.opens());
}

// A garbage sz must not make the library read far past the struct.
TEST_F(Opts, ImplausibleSize)
{
	iommufd_ctx_opts o = {};

	o.sz = size_t{1} << 40;
	EXPECT_FAILS(nullptr, EINVAL, "options sz is 1099511627776",
		     iommufd_ctx_open(&o, &other_));
	EXPECT_EQ(opens_, fk_.opens());
}

TEST_F(Opts, BadLogLevel)
{
	iommufd_ctx_opts o = {};

	o.sz = sizeof(o);
	for (int level : {-1, IOMMUFD_LOG_DEBUG + 1, 1000}) {
		o.log_level = level;
		const std::string want =
			"log_level " + std::to_string(level) + " is not an iommufd_log_level";
		EXPECT_FAILS(nullptr, EINVAL, "iommufd_ctx_open: " + want,
			     iommufd_ctx_open(&o, &other_));
		const int fd = fk_.OpenIommufd();
		EXPECT_FAILS(nullptr, EINVAL, "iommufd_ctx_adopt_fd: " + want,
			     iommufd_ctx_adopt_fd(fd, &o, &other_));
		EXPECT_TRUE(fk_.IsOpen(fd));
	}
	EXPECT_EQ(opens_, fk_.opens());
	EXPECT_EQ(0u, fk_.ioctls());
}

TEST_F(Opts, NullContextPointer)
{
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_ctx_open: ctxp is NULL",
		     iommufd_ctx_open(nullptr, nullptr));
	const int fd = fk_.OpenIommufd();
	EXPECT_FAILS(nullptr, EINVAL, "iommufd_ctx_adopt_fd: ctxp is NULL",
		     iommufd_ctx_adopt_fd(fd, nullptr, nullptr));
	EXPECT_TRUE(fk_.IsOpen(fd));
	EXPECT_EQ(opens_, fk_.opens());
}

} // namespace
