// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's event queues (internal to the fake): one struct
// iommufd_eventq, a fault queue (iommufd_fault) or a vEVENTQ
// (iommufd_veventq), shared by its object and its fd, so it lives while
// either does -- as the kernel's fd holds its object.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "fake_kernel.h"

extern "C" {
#include "uapi/iommufd_abi.h"
}

namespace fake {

struct EventQueue {
	EventQueue(uint32_t type, uint32_t depth_, int ictx, uint32_t obj_id, int fd,
		   EventqCounters *c)
		: vevent_type(type), depth(depth_), ictx_fd(ictx), id(obj_id), efd(fd), counters(c)
	{
	}
	// The object is gone (destroyed, its fd closed): the kernel answers
	// every group INVALID (iommufd_fault_destroy()).
	~EventQueue() { counters->auto_invalid += unsigned(deliver.size() + response.size()); }
	EventQueue(const EventQueue &) = delete;
	EventQueue &operator=(const EventQueue &) = delete;

	bool is_fault() const { return depth == 0; }
	size_t waiting() const { return is_fault() ? deliver.size() : events.size() + lost_header; }

	// A page-request group (struct iopf_group).
	using Group = std::vector<uapi_hwpt_pgfault>;
	struct Vevent {
		uint32_t sequence;
		std::vector<uint8_t> data;
	};

	const uint32_t vevent_type; // vEVENTQ: its type
	const uint32_t depth;       // vEVENTQ: its depth; 0: a fault queue
	const int ictx_fd;          // the iommufd it was made on
	const uint32_t id;          // its object ID there
	int efd;                    // the real eventfd while its fd is open, else -1
	bool signalled = false;     // efd is readable
	EventqCounters *counters;

	// Fault queue: groups not read yet (fault->common.deliver), and those
	// read and not answered by cookie (fault->response).
	std::deque<Group> deliver;
	std::map<uint32_t, Group> response;

	// vEVENTQ: events queued, and the LOST_EVENTS header, which is always
	// the last entry when queued (iommufd_vevent_handler()).
	std::deque<Vevent> events;
	uint32_t sequence = 0; // the next event's
	bool lost_header = false;
	uint32_t lost_sequence = 0;
};

} // namespace fake
