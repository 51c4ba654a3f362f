// SPDX-License-Identifier: LGPL-2.1-or-later
// The kernel's own fault injection, driven per thread through
// /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION): writing N makes the
// Nth fault-injection check this thread passes through fail (a slab
// allocation with FAILSLAB, a page allocation with FAIL_PAGE_ALLOC...).
// Each check counts the value down; reading it back gives 0 once the
// failure was injected, or what is left when the thread never got that far.
#pragma once

#include <string>
#include <utility>
#include <vector>

class FailNth {
public:
	FailNth() = default;
	~FailNth();
	FailNth(const FailNth &) = delete;
	FailNth &operator=(const FailNth &) = delete;

	// Makes every allocation eligible (as the kernel's iommufd_fail_nth
	// does: ignore-gfp-wait and ignore-gfp-highmem off), quiets the
	// injection messages and opens this thread's fail-nth file.  ""
	// when all is ready, else why not; the settings are restored by the
	// destructor.
	std::string Setup();

	// The @n-th check from now fails (@n >= 1).  Nothing that may
	// allocate in the kernel should run between Arm() and the sequence.
	bool Arm(unsigned n);
	// Stops injecting; true when the armed failure was injected, false
	// when the thread did not pass @n checks.  Sets *error on a failure
	// of the control file itself.
	bool Disarm(std::string *error);

private:
	bool Write(const std::string &path, const std::string &value);

	int fd_ = -1;
	std::vector<std::pair<std::string, std::string>> saved_; // path, old value
};
