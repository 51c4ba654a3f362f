// SPDX-License-Identifier: LGPL-2.1-or-later
// The closing line of the stress suite, in the kernel suites' form
//   "[kernel X.Y.Z] <suite>: N tests, N passed, N skipped, N failed"
// where, under ThreadSanitizer, a test during which TSan reported counts as
// failed (gtest itself never sees the reports: TSan prints them and makes
// the process exit 66 at the end, run-stress.sh sets that up).
#include <gtest/gtest.h>

#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>

#ifndef LIBIOMMUFD_STRESS_SUITE
#error "LIBIOMMUFD_STRESS_SUITE: the suite's name in the summary line"
#endif

namespace {

std::atomic<unsigned> tsan_reports{0};

class StressSummaryLine : public ::testing::EmptyTestEventListener {
public:
	void OnTestStart(const ::testing::TestInfo &) override { at_start_ = tsan_reports; }

	void OnTestEnd(const ::testing::TestInfo &t) override
	{
		const unsigned n = tsan_reports - at_start_;

		if (!n)
			return;
		printf("[  RACED   ] %s.%s: %u ThreadSanitizer report(s) (see stderr)\n",
		       t.test_suite_name(), t.name(), n);
		if (t.result()->Passed())
			raced_passed_++;
	}

	void OnTestProgramEnd(const ::testing::UnitTest &u) override
	{
		utsname un = {};

		uname(&un);
		printf("[kernel %s] %s: %d tests, %d passed, %d skipped, %d failed\n", un.release,
		       LIBIOMMUFD_STRESS_SUITE, u.test_to_run_count(),
		       u.successful_test_count() - raced_passed_, u.skipped_test_count(),
		       u.failed_test_count() + raced_passed_);
		fflush(stdout);
	}

private:
	unsigned at_start_ = 0;
	int raced_passed_ = 0;
};

const bool kInstalled = [] {
	::testing::UnitTest::GetInstance()->listeners().Append(new StressSummaryLine);
	return true;
}();

} // namespace

#if defined(__SANITIZE_THREAD__)
// The sanitizer runtime calls this once per report, with its "SUMMARY: ..."
// line (the default prints it): print it, and count.  Only write(2) here:
// the runtime is in the middle of a report.
extern "C" void __sanitizer_report_error_summary(const char *summary)
{
	if (write(STDERR_FILENO, summary, strlen(summary)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0) {
		// nothing to do: stderr is gone
	}
	tsan_reports++;
}
#endif
