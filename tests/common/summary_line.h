// SPDX-License-Identifier: LGPL-2.1-or-later
// The closing line of a suite that runs in the test VM, printed after
// gtest's own summary:
//   "[kernel X.Y.Z] <suite>: N tests, N passed, N skipped, N failed"
// scripts/check collects these lines per kernel.
#pragma once

#include <gtest/gtest.h>

#include <sys/utsname.h>

#include <cstdio>
#include <string>

class KernelSummaryLine : public ::testing::EmptyTestEventListener {
public:
	explicit KernelSummaryLine(std::string suite) : suite_(std::move(suite)) {}

	void OnTestProgramEnd(const ::testing::UnitTest &t) override
	{
		utsname u = {};

		uname(&u);
		printf("[kernel %s] %s: %d tests, %d passed, %d skipped, %d failed\n", u.release,
		       suite_.c_str(), t.test_to_run_count(), t.successful_test_count(),
		       t.skipped_test_count(), t.failed_test_count());
		fflush(stdout);
	}

private:
	std::string suite_;
};

// Installs the line for @suite; use as `const bool x = InstallKernelSummaryLine("...")`.
inline bool InstallKernelSummaryLine(const char *suite)
{
	::testing::UnitTest::GetInstance()->listeners().Append(new KernelSummaryLine(suite));
	return true;
}
