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

// Destroys what @o still holds; each destroy must succeed.
void Teardown(Objects &o, std::vector<std::string> *problems)
{
	static const char *const kName[] = {"IOAS", "HWPT", "vIOMMU", "vDEVICE",
					    "fault queue", "vEVENTQ"};
	auto check = [&](int rc, const char *what, uint32_t id) {
		if (rc)
			problems->push_back(std::string("destroying ") + what + " " +
					    std::to_string(id) + " made before the failure: " +
					    strerror(-rc) + ": " + iommufd_ctx_last_error(o.ctx));
	};

	for (auto it = o.stdevs.rbegin(); it != o.stdevs.rend(); ++it)
		check(iommufd_destroy(o.ctx, *it), "mock device", *it);
	for (auto it = o.made.rbegin(); it != o.made.rend(); ++it) {
		int rc;

		if (it->kind == Objects::kFaultQueue)
			rc = iommufd_fault_queue_close(static_cast<iommufd_fault_queue *>(it->queue));
		else if (it->kind == Objects::kVeventq)
			rc = iommufd_veventq_close(static_cast<iommufd_veventq *>(it->queue));
		else
			rc = iommufd_destroy(o.ctx, it->id);
		// A vDEVICE goes with its device (Linux 6.17+), destroyed above.
		if (it->kind == Objects::kVdevice && rc == -ENOENT)
			rc = 0;
		check(rc, kName[it->kind], it->id);
	}
	o.stdevs.clear();
	o.made.clear();
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

void Objects::Add(iommufd_fault_queue *q)
{
	made.push_back({kFaultQueue, iommufd_fault_queue_id(q), q});
}

void Objects::Add(iommufd_veventq *q)
{
	made.push_back({kVeventq, iommufd_veventq_id(q), q});
}

void Objects::Forget(uint32_t id)
{
	stdevs.erase(std::remove(stdevs.begin(), stdevs.end(), id), stdevs.end());
	made.erase(std::remove_if(made.begin(), made.end(),
				  [id](const Made &m) { return !m.queue && m.id == id; }),
		   made.end());
}

void Objects::Forget(const void *queue)
{
	made.erase(std::remove_if(made.begin(), made.end(),
				  [queue](const Made &m) { return m.queue == queue; }),
		   made.end());
}

void Objects::Reserve()
{
	stdevs.reserve(16);
	made.reserve(32);
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
		auto &c = r.calls[p.err() ? std::string(p.stop()) + " " + e : p.stop()];
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
