// SPDX-License-Identifier: LGPL-2.1-or-later
// The fail-nth sweep: a sequence of library calls is run again and again
// with the kernel failing its 1st, 2nd, 3rd... fault-injection check,
// until a pass runs through without reaching the armed check.  After each
// pass: the call that failed returned a negative errno and left a sentence;
// everything the sequence made before the failure can still be destroyed;
// the context then holds no object (the next ID the kernel hands out is 1:
// it gives the lowest free one) and still allocates, maps and unmaps; and
// after closing it no fd is left over.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <libiommufd/libiommufd.h>

#include "fail_nth.h"

// What a pass made and has not destroyed yet.  The teardown after a
// failure destroys the mock devices first (that detaches them from
// everything), then the rest newest first: an object only refers to older
// ones.
struct Objects {
	enum Kind { kIoas, kHwpt, kViommu, kVdevice, kFaultQueue, kVeventq };
	struct Made {
		Kind kind;
		uint32_t id;
		void *queue; // kFaultQueue, kVeventq: the library's handle
	};

	iommufd_ctx *ctx = nullptr;
	std::vector<uint32_t> stdevs; // mock devices
	std::vector<Made> made;       // the rest, in creation order

	void Add(Kind kind, uint32_t id) { made.push_back({kind, id, nullptr}); }
	void Add(iommufd_fault_queue *q);
	void Add(iommufd_veventq *q);
	// The sequence destroyed @id (or closed @queue) itself.
	void Forget(uint32_t id);
	void Forget(const void *queue);
	// Room for every object of a sequence, so recording one does not
	// allocate while a failure is armed.
	void Reserve();
};

// One pass through a sequence.  Nothing here allocates while the failure
// is armed (an allocation of the test itself could be the one failed, and
// under ASan a failed mmap of its allocator aborts): the pass keeps plain
// fields, and Problems() turns them into sentences afterwards.
class Pass {
public:
	explicit Pass(Objects &o) : o_(o) {}

	// Runs the library call @fn (named @what, a literal); true when it
	// succeeded (returned >= 0).  Otherwise the pass stops there: the
	// result must be a negative errno with a sentence of its own in
	// iommufd_ctx_last_error().
	template <typename F> bool Call(const char *what, F &&fn)
	{
		iommufd_ctx *const ctx = o_.ctx;

		Prime(ctx);
		rc_ = static_cast<long>(fn());
		if (rc_ >= 0)
			return true;
		stop_ = what;
		Record(ctx);
		return false;
	}
	// The pass stops without a failed call (@why, a literal: say, a page
	// request that never came): fine only when a failure was injected.
	void Stop(const char *why) { stop_ = why; }

	bool stopped() const { return stop_ != nullptr; }
	const char *stop() const { return stop_; }
	// The failed call's errno, 0 if none (or not an errno).
	int err() const { return rc_ < 0 && rc_ >= -4095 ? static_cast<int>(-rc_) : 0; }
	const char *sentence() const { return after_; }
	// What was wrong with the failed call, if anything.
	std::vector<std::string> Problems() const;

private:
	void Prime(iommufd_ctx *ctx);  // a known sentence, no syscall
	void Record(iommufd_ctx *ctx); // the sentence the call left

	Objects &o_;
	const char *stop_ = nullptr;
	long rc_ = 0;
	char before_[320] = "";
	char after_[320] = "";
};

using Sequence = std::function<void(Pass &, Objects &)>;

struct SweepResult {
	unsigned points = 0;   // checks that were failed (passes that injected)
	unsigned failed = 0;   // ... where a library call failed
	unsigned absorbed = 0; // ... where every call still succeeded
	unsigned leaked = 0;   // passes that left an fd or an object behind
	std::map<std::string, unsigned> errnos; // what the failed calls returned
	// "<call> <errno>" -> how often, and the first sentence it left
	std::map<std::string, std::pair<unsigned, std::string>> calls;
	std::vector<std::string> problems;
};

// Sweeps @seq.  With @opens_ctx the sequence opens the context itself
// (into Objects::ctx); otherwise each pass gets a fresh one first.
SweepResult Sweep(const Sequence &seq, bool opens_ctx, FailNth &inj);

// "N failure points: F calls failed (ENOMEM F1, ...), A absorbed, L leaked".
std::string Describe(const SweepResult &r);

// Runs call @what of Pass @p; leaves the sequence function when it failed.
#define FAIL_STEP(p, what, expr)                                   \
	do {                                                        \
		if (!(p).Call((what), [&]() -> long { return (expr); })) \
			return;                                     \
	} while (0)
