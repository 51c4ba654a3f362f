// SPDX-License-Identifier: LGPL-2.1-or-later
#include "fail_sweep.h"

#include <dirent.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

namespace {

// More checks than any sequence here passes through (a few hundred): a
// sweep that gets this far is not converging.
constexpr unsigned kMaxPoints = 20000;

// The process's open fds and what they are.
std::set<std::string> OpenFds()
{
	std::set<std::string> fds;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return fds;
	while (const dirent *e = readdir(d)) {
		char target[256] = {};
		const std::string path = std::string("/proc/self/fd/") + e->d_name;

		if (e->d_name[0] == '.' || readlink(path.c_str(), target, sizeof(target) - 1) < 0)
			continue;
		fds.insert(std::string(e->d_name) + " -> " + target);
	}
	closedir(d);
	return fds;
}

std::string Join(const std::set<std::string> &s)
{
	std::string out;

	for (const std::string &x : s)
		out += (out.empty() ? "" : ", ") + x;
	return out;
}

// Destroys what @o still holds, devices first; each destroy must succeed.
void Teardown(Objects &o, std::vector<std::string> *problems)
{
	auto destroy = [&](uint32_t id, const char *what) {
		const int rc = iommufd_destroy(o.ctx, id);

		if (rc)
			problems->push_back(std::string("destroying ") + what + " " +
					    std::to_string(id) + " made before the failure: " +
					    strerror(-rc) + ": " + iommufd_ctx_last_error(o.ctx));
	};

	for (auto it = o.stdevs.rbegin(); it != o.stdevs.rend(); ++it)
		destroy(*it, "mock device");
	for (auto it = o.hwpts.rbegin(); it != o.hwpts.rend(); ++it)
		destroy(*it, "HWPT");
	for (auto it = o.queues.rbegin(); it != o.queues.rend(); ++it) {
		const uint32_t id = iommufd_fault_queue_id(*it);
		const int rc = iommufd_fault_queue_close(*it);

		if (rc)
			problems->push_back("closing fault queue " + std::to_string(id) +
					    " made before the failure: " + strerror(-rc) + ": " +
					    iommufd_ctx_last_error(o.ctx));
	}
	for (auto it = o.ioases.rbegin(); it != o.ioases.rend(); ++it)
		destroy(*it, "IOAS");
	o.stdevs.clear();
	o.hwpts.clear();
	o.queues.clear();
	o.ioases.clear();
}

// With nothing left in @ctx, a fresh IOAS gets ID 1 and maps and unmaps.
void CheckUsable(iommufd_ctx *ctx, std::vector<std::string> *problems, bool *leaked)
{
	const size_t len = 4 * static_cast<size_t>(sysconf(_SC_PAGESIZE));
	void *buf = mmap(nullptr, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	uint32_t ioas = 0;
	uint64_t iova = 0, unmapped = 0;
	int rc;

	if (buf == MAP_FAILED) {
		problems->push_back(std::string("mmap: ") + strerror(errno));
		return;
	}
	rc = iommufd_ioas_alloc(ctx, &ioas);
	if (rc) {
		problems->push_back(std::string("the context is no longer usable: IOAS alloc: ") +
				    iommufd_ctx_last_error(ctx));
		munmap(buf, len);
		return;
	}
	if (ioas != 1) {
		problems->push_back("objects are left in the context: the next free ID is " +
				    std::to_string(ioas) + ", not 1");
		*leaked = true;
	}
	rc = iommufd_ioas_map(ctx, ioas, buf, len, IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE,
			      &iova);
	if (!rc)
		rc = iommufd_ioas_unmap(ctx, ioas, iova, len, &unmapped);
	if (!rc && unmapped != len)
		problems->push_back("the context unmapped " + std::to_string(unmapped) + " of " +
				    std::to_string(len) + " bytes");
	if (!rc)
		rc = iommufd_destroy(ctx, ioas);
	if (rc)
		problems->push_back(std::string("the context is no longer usable: ") +
				    iommufd_ctx_last_error(ctx));
	munmap(buf, len);
}

} // namespace

void Objects::Forget(uint32_t id)
{
	for (std::vector<uint32_t> *v : {&stdevs, &hwpts, &ioases})
		v->erase(std::remove(v->begin(), v->end(), id), v->end());
}

void Objects::Forget(iommufd_fault_queue *q)
{
	queues.erase(std::remove(queues.begin(), queues.end(), q), queues.end());
}

void Objects::Reserve()
{
	for (std::vector<uint32_t> *v : {&stdevs, &hwpts, &ioases})
		v->reserve(16);
	queues.reserve(16);
}

void Pass::Prime(iommufd_ctx *ctx)
{
	if (ctx)
		(void)iommufd_option_set(ctx, 0x5eed, 0, 0); // unknown option
	else
		(void)iommufd_ctx_open(nullptr, nullptr); // ctxp is NULL
	snprintf(before_, sizeof(before_), "%s", iommufd_ctx_last_error(ctx));
}

// iommufd_ctx_open() records for "no context" (ctx was NULL then).
void Pass::Record(iommufd_ctx *ctx)
{
	snprintf(after_, sizeof(after_), "%s", iommufd_ctx_last_error(ctx));
}

std::vector<std::string> Pass::Problems() const
{
	const std::string s = after_;

	if (!stop_ || rc_ >= 0)
		return {};
	if (!err())
		return {std::string(stop_) + " returned " + std::to_string(rc_) +
			", not a negative errno"};
	if (s == before_ || s.size() < 12 || s.find(' ') == std::string::npos)
		return {std::string(stop_) + " failed (" + strerror(err()) +
			") without a sentence of its own (last error: \"" + s + "\")"};
	return {};
}

SweepResult Sweep(const Sequence &seq, bool opens_ctx, FailNth &inj)
{
	SweepResult r;
	const std::set<std::string> fds = OpenFds();

	// Pass 0 injects nothing: the sequence must run to its end.
	for (unsigned n = 0; n <= kMaxPoints; n++) {
		Objects o;
		std::string err;
		bool injected = false, leaked = false;

		if (!opens_ctx && iommufd_ctx_open(nullptr, &o.ctx)) {
			r.problems.push_back(std::string("iommufd_ctx_open: ") +
					     iommufd_ctx_last_error(nullptr));
			return r;
		}
		Pass p(o);
		std::vector<std::string> problems;

		o.Reserve();
		if (n && !inj.Arm(n)) {
			r.problems.push_back(std::string("arming fail-nth: ") + strerror(errno));
			iommufd_ctx_close(o.ctx);
			return r;
		}
		seq(p, o);
		if (n)
			injected = inj.Disarm(&err);
		const std::string at =
			"failing check " + std::to_string(n) +
			(p.stopped() ? std::string(" (stopped at ") + p.stop() + ")" : "") + ": ";
		problems = p.Problems();
		if (!err.empty())
			r.problems.push_back(at + err);
		if (p.stopped() && !injected)
			problems.push_back(std::string("the pass stopped with no failure injected") +
					   (p.err() ? ": " : "") + (p.err() ? p.sentence() : ""));
		if (!o.ctx && iommufd_ctx_open(nullptr, &o.ctx))
			problems.push_back(std::string("a fresh context does not open: ") +
					     iommufd_ctx_last_error(nullptr));
		if (o.ctx) {
			const size_t before = problems.size();

			Teardown(o, &problems);
			leaked = problems.size() != before;
			CheckUsable(o.ctx, &problems, &leaked);
			iommufd_ctx_close(o.ctx);
		}
		const std::set<std::string> now = OpenFds();
		if (now != fds) {
			std::set<std::string> extra;

			std::set_difference(now.begin(), now.end(), fds.begin(), fds.end(),
					    std::inserter(extra, extra.end()));
			problems.push_back("fds left open: " + Join(extra));
			leaked = true;
		}
		for (const std::string &s : problems)
			r.problems.push_back(at + s);
		r.leaked += leaked;
		if (!n)
			continue;
		if (!injected)
			return r;
		r.points++;
		if (!p.stopped()) {
			r.absorbed++;
			continue;
		}
		r.failed++;
		const char *name = p.err() ? strerrorname_np(p.err()) : nullptr;
		const std::string e = p.err() ? (name ? name : std::to_string(p.err())) : "stopped";
		auto &c = r.calls[std::string(p.stop()) + " " + e];
		r.errnos[e]++;
		if (!c.first++)
			c.second = p.sentence();
		if (r.problems.size() > 20)
			return r; // enough to go on
	}
	r.problems.push_back("still injecting after " + std::to_string(kMaxPoints) + " checks");
	return r;
}

std::string Describe(const SweepResult &r)
{
	std::ostringstream s;

	s << r.points << " failure points: " << r.failed << " calls failed";
	if (!r.errnos.empty()) {
		const char *sep = " (";
		for (const auto &[e, count] : r.errnos) {
			s << sep << e << " " << count;
			sep = ", ";
		}
		s << ")";
	}
	s << ", " << r.absorbed << " absorbed, " << r.leaked << " leaked";
	return s.str();
}
