// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The log: silent by default, a callback or stderr when asked, and the
// LIBIOMMUFD_LOG environment variable.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "test_support.h"

namespace {

struct Line {
	int level;
	std::string text;
};

void Record(void *user, int level, const char *message)
{
	static_cast<std::vector<Line> *>(user)->push_back({level, message});
}

class Log : public FakeKernelTest {
protected:
	void TearDown() override
	{
		iommufd_ctx_close(other_);
		unsetenv("LIBIOMMUFD_LOG");
		FakeKernelTest::TearDown();
	}
	// Open a context logging to lines_ at @level (0: as the environment says).
	void OpenLogging(int level)
	{
		iommufd_ctx_opts o;
		std::memset(&o, 0, sizeof(o));
		o.sz = sizeof(o);
		o.log_fn = Record;
		o.log_user_data = &lines_;
		o.log_level = level;
		ASSERT_EQ(0, iommufd_ctx_open(&o, &other_));
	}
	bool Logged(int level, const std::string &what) const
	{
		for (const Line &l : lines_)
			if (l.level == level && l.text.find(what) != std::string::npos)
				return true;
		return false;
	}
	std::vector<Line> lines_;
	iommufd_ctx *other_ = nullptr;
};

TEST_F(Log, DebugLinesReachTheCallback)
{
	OpenLogging(IOMMUFD_LOG_DEBUG);
	EXPECT_TRUE(Logged(IOMMUFD_LOG_DEBUG, "opened /dev/iommu as fd " +
					      std::to_string(iommufd_ctx_fd(other_))));
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(Logged(IOMMUFD_LOG_DEBUG, "IOMMU_DESTROY: no object with ID 9"));
	for (const Line &l : lines_)
		EXPECT_EQ(std::string::npos, l.text.find('\n')) << "no trailing newline";
}

TEST_F(Log, NothingWhenOff)
{
	OpenLogging(0); // environment unset: off
	EXPECT_EQ(IOMMUFD_LOG_OFF, iommufd_ctx_get_log_level(other_));
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(lines_.empty());

	iommufd_ctx_set_log_level(other_, IOMMUFD_LOG_DEBUG);
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_FALSE(lines_.empty());
	lines_.clear();
	iommufd_ctx_set_log_level(other_, IOMMUFD_LOG_OFF);
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(lines_.empty());
}

TEST_F(Log, LevelFilters)
{
	OpenLogging(IOMMUFD_LOG_WARN);
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(lines_.empty()) << "failures are debug lines";
}

TEST_F(Log, LevelIsClamped)
{
	OpenLogging(IOMMUFD_LOG_ERR);
	iommufd_ctx_set_log_level(other_, 99);
	EXPECT_EQ(IOMMUFD_LOG_DEBUG, iommufd_ctx_get_log_level(other_));
	iommufd_ctx_set_log_level(other_, -3);
	EXPECT_EQ(IOMMUFD_LOG_OFF, iommufd_ctx_get_log_level(other_));
}

TEST_F(Log, EnvironmentTurnsItOn)
{
	setenv("LIBIOMMUFD_LOG", "debug", 1);
	OpenLogging(0);
	EXPECT_EQ(IOMMUFD_LOG_DEBUG, iommufd_ctx_get_log_level(other_));
	EXPECT_TRUE(Logged(IOMMUFD_LOG_DEBUG, "opened /dev/iommu"));
}

TEST_F(Log, EnvironmentNames)
{
	const struct {
		const char *value;
		int level;
	} cases[] = {
		{"err", IOMMUFD_LOG_ERR},   {"error", IOMMUFD_LOG_ERR}, {"WARN", IOMMUFD_LOG_WARN},
		{"warning", IOMMUFD_LOG_WARN}, {"info", IOMMUFD_LOG_INFO}, {"Debug", IOMMUFD_LOG_DEBUG},
		{"off", IOMMUFD_LOG_OFF},   {"bogus", IOMMUFD_LOG_OFF},  {"", IOMMUFD_LOG_OFF},
	};
	for (const auto &c : cases) {
		setenv("LIBIOMMUFD_LOG", c.value, 1);
		iommufd_ctx *x = nullptr;
		ASSERT_EQ(0, iommufd_ctx_open(nullptr, &x));
		EXPECT_EQ(c.level, iommufd_ctx_get_log_level(x)) << c.value;
		iommufd_ctx_close(x);
	}
}

// An explicit level wins over the environment.
TEST_F(Log, OptionBeatsEnvironment)
{
	setenv("LIBIOMMUFD_LOG", "debug", 1);
	OpenLogging(IOMMUFD_LOG_ERR);
	EXPECT_EQ(IOMMUFD_LOG_ERR, iommufd_ctx_get_log_level(other_));
	EXPECT_TRUE(lines_.empty());
}

// IOMMUFD_LOG_OFF in the options is a choice, not "unset": it silences
// even LIBIOMMUFD_LOG=debug.
TEST_F(Log, OffOptionBeatsEnvironment)
{
	setenv("LIBIOMMUFD_LOG", "debug", 1);
	OpenLogging(IOMMUFD_LOG_OFF);
	EXPECT_EQ(IOMMUFD_LOG_OFF, iommufd_ctx_get_log_level(other_));
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(lines_.empty());
}

TEST_F(Log, StderrWithoutCallback)
{
	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &other_));
	iommufd_ctx_set_log_level(other_, IOMMUFD_LOG_DEBUG);
	testing::internal::CaptureStderr();
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	const std::string err = testing::internal::GetCapturedStderr();
	EXPECT_NE(std::string::npos, err.find("libiommufd debug: IOMMU_DESTROY: no object with ID 9\n"))
		<< err;
}

TEST_F(Log, CallbackCanBeChangedAndRemoved)
{
	OpenLogging(IOMMUFD_LOG_DEBUG);
	std::vector<Line> other_lines;
	iommufd_ctx_set_log(other_, Record, &other_lines);
	lines_.clear();
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 9));
	EXPECT_TRUE(lines_.empty());
	EXPECT_FALSE(other_lines.empty());

	iommufd_ctx_set_log(other_, nullptr, nullptr);
	testing::internal::CaptureStderr();
	EXPECT_EQ(-ENOENT, iommufd_destroy(other_, 10));
	EXPECT_NE(std::string::npos, testing::internal::GetCapturedStderr().find("ID 10"));
}

// Failures without a context (open) follow the environment, on stderr.
TEST_F(Log, OpenFailureLogsWithEnvironment)
{
	iommufd_ctx_opts o;
	std::memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.path = "/dev/no-such-iommu";

	testing::internal::CaptureStderr();
	EXPECT_EQ(-ENOENT, iommufd_ctx_open(&o, &other_));
	EXPECT_EQ("", testing::internal::GetCapturedStderr()) << "silent by default";
	setenv("LIBIOMMUFD_LOG", "debug", 1);
	testing::internal::CaptureStderr();
	EXPECT_EQ(-ENOENT, iommufd_ctx_open(&o, &other_));
	EXPECT_NE(std::string::npos,
		  testing::internal::GetCapturedStderr().find("cannot open /dev/no-such-iommu"));
}

} // namespace
