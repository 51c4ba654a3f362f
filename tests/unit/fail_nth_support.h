// SPDX-License-Identifier: LGPL-2.1-or-later
// Shared pieces of the injected-failure sweeps: the loop over N, taps that
// fail the Nth ioctl (whichever fd it goes to) or the Nth heap allocation
// of the library, and the check that a context still works afterwards.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "test_support.h"

extern "C" {
#include "alloc.h"
}

// For N = 1, 2, ... below @limit: @once(N) runs a sequence with its Nth
// step failing and says whether the sequence got that far.  Stops at the
// first N that failed nothing and returns it (@limit: it never stopped).
template <class Once> unsigned SweepN(unsigned limit, Once once)
{
	unsigned n;

	for (n = 1; n < limit; n++)
		if (!once(n))
			break;
	return n;
}

// @ctx still works: a fresh IOAS takes a fixed mapping at the alignment the
// kernel demands (through the library's alignment cache), gives it back
// and is destroyed.  @at names the case in failure messages.
void ExpectUsable(iommufd_ctx *ctx, const std::string &at);

// The sweep of one call sequence on a fresh context per N: @prepare(ctx)
// readies it undisturbed and returns a tuple of what @body needs after the
// context; then the Nth ioctl @fk sees fails with -@err while @body(ctx,
// ...) runs.  A failure must leave a sentence, and the context must still
// work.  Returns the N at which nothing was left to fail.
template <class Prepare, class Body>
unsigned SweepCtx(fake::FakeKernel &fk, unsigned limit, int err, Prepare prepare, Body body)
{
	return SweepN(limit, [&](unsigned n) {
		const std::string at = "N=" + std::to_string(n);
		iommufd_ctx *c = nullptr;

		if (iommufd_ctx_open(nullptr, &c)) {
			ADD_FAILURE() << at << ": " << iommufd_ctx_last_error(nullptr);
			return false;
		}
		auto args = std::tuple_cat(std::make_tuple(c), prepare(c));
		fk.ResetCounters();
		fk.FailIoctl(n, err);
		const int rc = std::apply(body, args);
		const bool injected = fk.ioctls() >= n;
		fk.FailIoctl(0, 0);
		if (rc < 0) {
			EXPECT_STRNE("", iommufd_ctx_last_error(c)) << at;
		}
		ExpectUsable(c, at);
		iommufd_ctx_close(c);
		return injected;
	});
}

// The library's heap allocations (src/alloc.h), counted from Fail(); the
// Nth fails as malloc() does when out of memory.  Installed while it lives.
class AllocTap {
public:
	AllocTap() { ifd_alloc_set_hook(Hook, this); }
	~AllocTap() { ifd_alloc_set_hook(nullptr, nullptr); }
	AllocTap(const AllocTap &) = delete;
	AllocTap &operator=(const AllocTap &) = delete;

	// Count from now; the @nth allocation fails (0: none).
	void Fail(unsigned nth)
	{
		count_ = 0;
		fail_at_ = nth;
		active_ = true;
	}
	// Stop counting and failing (the checks after a run allocate too).
	void Pause() { active_ = false; }
	unsigned count() const { return count_; }

private:
	static bool Hook(void *priv, size_t)
	{
		AllocTap &t = *static_cast<AllocTap *>(priv);
		return t.active_ && ++t.count_ == t.fail_at_;
	}
	unsigned count_ = 0, fail_at_ = 0;
	bool active_ = false;
};

// Every ioctl through the seam -- to the iommufd, a VFIO device, anything
// -- counted and recorded from Fail(); the Nth answers -err before the
// layers below see it.  Sits on top of the ops installed when it is made,
// and takes itself off when it goes.  One at a time.
class IoctlTap {
public:
	IoctlTap();
	~IoctlTap();
	IoctlTap(const IoctlTap &) = delete;
	IoctlTap &operator=(const IoctlTap &) = delete;

	// Count and record from now; the @nth ioctl fails with -@err (0: none).
	void Fail(unsigned nth, int err);
	// Stop recording and failing (the checks after a run make ioctls too).
	void Pause() { active_ = false; }
	unsigned count() const { return static_cast<unsigned>(requests_.size()); }
	const std::vector<unsigned long> &requests() const { return requests_; }

private:
	static int Ioctl(void *priv, int fd, unsigned long request, void *arg);

	ifd_sys_ops ops_{};
	const ifd_sys_ops *next_ = nullptr;
	std::vector<unsigned long> requests_;
	unsigned fail_at_ = 0;
	int err_ = 0;
	bool active_ = false;
};
