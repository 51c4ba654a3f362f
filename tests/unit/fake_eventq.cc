// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's event-queue fds (eventq.c, driver.c): fault-queue
// read/write with cookies, vEVENTQ read with sequence numbers and the
// LOST_EVENTS header, each fd a real eventfd readable while records wait.
#include "fake_eventq.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/eventfd.h>
#include <unistd.h>

namespace fake {
namespace {

constexpr size_t kFaultSize = sizeof(uapi_hwpt_pgfault);
constexpr size_t kResponseSize = sizeof(uapi_hwpt_page_response);
constexpr size_t kHeaderSize = sizeof(uapi_vevent_header);

// Make the eventfd readable exactly while records wait (the kernel's poll:
// EPOLLIN when the deliver list is not empty; an eventfd is always
// writable, as a fault fd is).
void Sync(EventQueue &q)
{
	const bool want = q.waiting() != 0;
	uint64_t v = 1;

	if (q.efd < 0 || want == q.signalled)
		return;
	const ssize_t n = want ? write(q.efd, &v, sizeof(v)) : read(q.efd, &v, sizeof(v));
	if (n != sizeof(v))
		std::abort();
	q.signalled = want;
}

// xa_alloc() of XA_FLAGS_ALLOC1: the lowest free index from 1.
uint32_t NewCookie(const EventQueue &q)
{
	uint32_t cookie = 1;

	for (const auto &entry : q.response) {
		if (entry.first != cookie)
			break;
		cookie++;
	}
	return cookie;
}

// iommufd_fault_fops_read(): whole groups; EINVAL when the first does not fit.
ssize_t FaultRead(EventQueue &q, void *buf, size_t count)
{
	size_t done = 0;

	if (count % kFaultSize)
		return -ESPIPE;
	while (!q.deliver.empty()) {
		EventQueue::Group &g = q.deliver.front();

		if (done >= count || g.size() * kFaultSize > count - done) {
			if (!done)
				return -EINVAL;
			break;
		}
		if (!buf)
			return done ? ssize_t(done) : -EFAULT;
		const uint32_t cookie = NewCookie(q);
		for (uapi_hwpt_pgfault &f : g) {
			f.cookie = cookie;
			std::memcpy(static_cast<char *>(buf) + done, &f, kFaultSize);
			done += kFaultSize;
		}
		q.response[cookie] = std::move(g);
		q.deliver.pop_front();
	}
	return ssize_t(done);
}

// iommufd_fault_fops_write(): responses in order, stop at the first bad one.
ssize_t FaultWrite(EventQueue &q, const void *buf, size_t count)
{
	size_t done = 0;
	ssize_t rc = 0;

	if (count % kResponseSize)
		return -ESPIPE;
	while (count > done) {
		uapi_hwpt_page_response r;

		if (!buf) {
			rc = -EFAULT;
			break;
		}
		std::memcpy(&r, static_cast<const char *>(buf) + done, sizeof(r));
		auto it = q.response.find(r.cookie);
		if (r.code > UAPI_PAGE_RESP_INVALID || it == q.response.end()) {
			q.counters->refused++;
			rc = -EINVAL;
			break;
		}
		q.response.erase(it);
		q.counters->responses[r.code]++;
		done += kResponseSize;
	}
	return done ? ssize_t(done) : rc;
}

// iommufd_veventq_fops_read(): as many events as fit; EINVAL when the first
// normal one does not.
ssize_t VeventRead(EventQueue &q, void *buf, size_t count)
{
	char *out = static_cast<char *>(buf);
	size_t done = 0;

	if (count < kHeaderSize)
		return -EINVAL;
	while (!q.events.empty() || q.lost_header) {
		const bool lost = q.events.empty();
		const EventQueue::Vevent *ev = lost ? nullptr : &q.events.front();
		const size_t size = kHeaderSize + (lost ? 0 : ev->data.size());
		const uapi_vevent_header h = {lost ? UAPI_VEVENTQ_FLAG_LOST_EVENTS : 0,
					      lost ? q.lost_sequence : ev->sequence};

		if (done >= count || kHeaderSize > count - done)
			break;
		if (size > count - done) {
			if (!done)
				return -EINVAL;
			break;
		}
		if (!buf)
			return done ? ssize_t(done) : -EFAULT;
		std::memcpy(out + done, &h, sizeof(h));
		if (!lost)
			std::memcpy(out + done + kHeaderSize, ev->data.data(), ev->data.size());
		done += size;
		if (lost)
			q.lost_header = false;
		else
			q.events.pop_front();
	}
	return ssize_t(done);
}

} // namespace

int FakeKernel::NewEventq(Ictx &ictx, uint32_t id, uint32_t vevent_type, uint32_t depth)
{
	int ictx_fd = -1;

	for (const auto &entry : ictxs_)
		if (&entry.second == &ictx)
			ictx_fd = entry.first;
	const int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return -errno;
	if (efd >= kFirstFakeFd) { // would collide with the fake's own numbers
		std::fprintf(stderr, "fake kernel: eventfd %d >= %d\n", efd, kFirstFakeFd);
		std::abort();
	}
	auto q = std::make_shared<EventQueue>(vevent_type, depth, ictx_fd, id, efd,
					      &eventq_counters_);
	fds_[efd] = FdKind::kEventq;
	eventqs_[efd] = q;
	ictx.objects[id].eventq = q;
	ictx.objects[id].refs++; // the fd holds its object
	return efd;
}

EventQueue *FakeKernel::FindEventq(uint32_t id, ObjType type)
{
	auto it = ictx().objects.find(id);

	if (it == ictx().objects.end() || it->second.type != type || !it->second.eventq)
		return nullptr;
	return it->second.eventq.get();
}

// Under lock_: the fd is closed; its object loses the fd's hold.
void FakeKernel::ReleaseEventq(int fd)
{
	auto it = eventqs_.find(fd);

	if (it == eventqs_.end())
		return;
	EventQueue &q = *it->second;
	close(q.efd);
	q.efd = -1;
	auto ictx = ictxs_.find(q.ictx_fd);
	if (ictx != ictxs_.end()) {
		auto obj = ictx->second.objects.find(q.id);
		if (obj != ictx->second.objects.end() && obj->second.eventq == it->second)
			obj->second.refs--;
	}
	eventqs_.erase(it);
}

// The fake goes away: every fd closes, every object goes.
void FakeKernel::ReleaseEventqs()
{
	std::lock_guard<std::mutex> g(lock_);

	while (!eventqs_.empty()) {
		fds_.erase(eventqs_.begin()->first);
		ReleaseEventq(eventqs_.begin()->first);
	}
	ictxs_.clear();
}

bool FakeKernel::RaiseFaultGroup(uint32_t fault_id, const std::vector<PageRequest> &records)
{
	std::lock_guard<std::mutex> g(lock_);
	EventQueue *q = FindEventq(fault_id, ObjType::kFault);
	EventQueue::Group group;

	if (!q || records.empty())
		return false;
	for (const PageRequest &r : records) {
		uapi_hwpt_pgfault f = {};
		f.flags = r.flags & ~UAPI_PGFAULT_FLAGS_LAST_PAGE;
		f.dev_id = r.dev_id;
		f.pasid = r.pasid;
		f.grpid = r.grpid;
		f.perm = r.perm;
		f.addr = r.addr;
		group.push_back(f);
	}
	group.back().flags |= UAPI_PGFAULT_FLAGS_LAST_PAGE;
	q->deliver.push_back(std::move(group));
	Sync(*q);
	return true;
}

bool FakeKernel::AutoRespond(uint32_t fault_id)
{
	std::lock_guard<std::mutex> g(lock_);
	EventQueue *q = FindEventq(fault_id, ObjType::kFault);

	if (!q)
		return false;
	eventq_counters_.auto_invalid += unsigned(q->deliver.size() + q->response.size());
	q->deliver.clear();
	q->response.clear();
	Sync(*q);
	return true;
}

// iommufd_viommu_report_event() and iommufd_vevent_handler(): a dropped
// event still takes a sequence number, carried by the LOST_EVENTS header
// at the tail; a queued event removes that header (then only the gap in
// the numbers tells).
bool FakeKernel::ReportVevent(uint32_t veventq_id, const std::vector<uint8_t> &data,
			      bool no_memory)
{
	std::lock_guard<std::mutex> g(lock_);
	EventQueue *q = FindEventq(veventq_id, ObjType::kVeventq);

	if (!q || data.empty())
		return false;
	eventq_counters_.vevents++;
	if (no_memory || q->events.size() == q->depth) {
		eventq_counters_.vevents_lost++;
		q->lost_header = true;
		q->lost_sequence = q->sequence;
	} else {
		q->lost_header = false;
		q->events.push_back({q->sequence, data});
	}
	q->sequence = (q->sequence + 1) & INT_MAX;
	Sync(*q);
	return true;
}

EventqCounters FakeKernel::eventq_counters() const
{
	std::lock_guard<std::mutex> g(lock_);
	EventqCounters c = eventq_counters_;

	for (const auto &entry : eventqs_) {
		c.waiting += entry.second->waiting();
		c.outstanding += entry.second->response.size();
	}
	// Queues whose fd is closed live on in their objects.
	for (const auto &ictx : ictxs_)
		for (const auto &obj : ictx.second.objects)
			if (obj.second.eventq && obj.second.eventq->efd < 0) {
				c.waiting += obj.second.eventq->waiting();
				c.outstanding += obj.second.eventq->response.size();
			}
	return c;
}

void FakeKernel::FailEventqIo(unsigned nth, int err)
{
	std::lock_guard<std::mutex> g(lock_);
	eventq_fail_at_ = nth ? eventq_io_ + nth : 0;
	eventq_fail_err_ = err;
}

std::vector<int> FakeKernel::OpenFds() const
{
	std::lock_guard<std::mutex> g(lock_);
	std::vector<int> fds;

	for (const auto &entry : fds_)
		fds.push_back(entry.first);
	return fds;
}

ssize_t FakeKernel::Read(int fd, void *buf, size_t len)
{
	ssize_t n;
	{
		std::lock_guard<std::mutex> g(lock_);
		auto it = eventqs_.find(fd);

		if (it == eventqs_.end())
			return -ENOSYS;
		eventq_counters_.reads++;
		if (++eventq_io_ == eventq_fail_at_) {
			eventq_fail_at_ = 0;
			return -eventq_fail_err_;
		}
		EventQueue &q = *it->second;
		n = q.is_fault() ? FaultRead(q, buf, len) : VeventRead(q, buf, len);
		Sync(q);
	}
	if (n > 0 && after_eventq_read)
		after_eventq_read(buf, n);
	return n;
}

ssize_t FakeKernel::Write(int fd, const void *buf, size_t len)
{
	std::lock_guard<std::mutex> g(lock_);
	auto it = eventqs_.find(fd);

	if (it == eventqs_.end())
		return -ENOSYS;
	eventq_counters_.writes++;
	if (++eventq_io_ == eventq_fail_at_) {
		eventq_fail_at_ = 0;
		return -eventq_fail_err_;
	}
	// A vEVENTQ fd has no write op: vfs_write() answers EINVAL.
	return it->second->is_fault() ? FaultWrite(*it->second, buf, len) : -EINVAL;
}

} // namespace fake
