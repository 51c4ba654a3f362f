// SPDX-License-Identifier: LGPL-2.1-or-later
// Fixtures for the fault-queue and vEVENTQ tests: a context, an IOAS and a
// device on the fake kernel, with one helper per step (alloc, raise, read).
#pragma once

#include <poll.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "hwpt_test_support.h"

class FaultQueueTest : public HwptTest {
protected:
	// A fault queue; asserts success.
	iommufd_fault_queue *NewQueue()
	{
		iommufd_fault_queue *q = nullptr;
		EXPECT_EQ(0, iommufd_fault_queue_alloc(ctx_, nullptr, &q))
			<< iommufd_ctx_last_error(ctx_);
		return q;
	}

	// A group of @n page requests from the device arrives on @q.
	void Raise(iommufd_fault_queue *q, size_t n)
	{
		std::vector<fake::PageRequest> g(n);
		for (size_t i = 0; i < n; i++) {
			g[i].dev_id = dev_;
			g[i].addr = 0x1000 * (i + 1);
			g[i].perm = IOMMUFD_FAULT_PERM_READ;
		}
		ASSERT_TRUE(fk_.RaiseFaultGroup(iommufd_fault_queue_id(q), g));
	}

	// Raise a one-record group and read it; its cookie.
	uint32_t ReadOne(iommufd_fault_queue *q)
	{
		iommufd_fault f = {};
		Raise(q, 1);
		EXPECT_EQ(1, iommufd_fault_queue_read(q, &f, 1)) << iommufd_ctx_last_error(ctx_);
		return f.cookie;
	}

	static bool Readable(const iommufd_fault_queue *q)
	{
		pollfd p = {iommufd_fault_queue_fd(q), POLLIN, 0};
		return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
	}

	// The groups of @f[0..@n); asserts they parse.
	static std::vector<iommufd_fault_group> Groups(const iommufd_fault *f, size_t n)
	{
		std::vector<iommufd_fault_group> out;
		iommufd_fault_group g;
		size_t pos = 0;
		int rc;
		while ((rc = iommufd_fault_next_group(f, n, &pos, &g)) == 1)
			out.push_back(g);
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(nullptr);
		return out;
	}
};

class VeventqTest : public HwptTest {
protected:
	// A vIOMMU of the mock's type on a NEST_PARENT HWPT (sent raw: the
	// vIOMMU calls are not under test here); its ID.
	uint32_t Viommu()
	{
		uapi_viommu_alloc v = {};
		v.type = UAPI_VIOMMU_TYPE_SELFTEST;
		v.dev_id = dev_;
		v.hwpt_id = Paging(IOMMUFD_HWPT_NEST_PARENT);
		EXPECT_EQ(0, ifd_cmd(ctx_, UAPI_CMD_VIOMMU_ALLOC, &v)) << iommufd_ctx_last_error(ctx_);
		return v.out_viommu_id;
	}

	// A vEVENTQ on a new vIOMMU; asserts success.
	iommufd_veventq *NewQueue(uint32_t depth, uint32_t type = IOMMUFD_VEVENTQ_TYPE_SELFTEST,
				  const iommufd_veventq_opts *opts = nullptr)
	{
		iommufd_veventq *q = nullptr;
		EXPECT_EQ(0, iommufd_veventq_alloc(ctx_, Viommu(), type, depth, opts, &q))
			<< iommufd_ctx_last_error(ctx_);
		return q;
	}

	// The mock reports an event carrying @virt_id (or @len bytes of it).
	void Report(const iommufd_veventq *q, uint32_t virt_id, size_t len = 4)
	{
		std::vector<uint8_t> data(len, uint8_t(virt_id));
		std::memcpy(data.data(), &virt_id, std::min(len, sizeof(virt_id)));
		ASSERT_TRUE(fk_.ReportVevent(iommufd_veventq_id(q), data));
	}

	// Up to @max events; asserts no failure.
	std::vector<iommufd_vevent> Read(iommufd_veventq *q, size_t max)
	{
		std::vector<iommufd_vevent> ev(max);
		const ssize_t n = iommufd_veventq_read(q, ev.data(), max);
		EXPECT_LE(0, n) << iommufd_ctx_last_error(ctx_);
		ev.resize(n > 0 ? size_t(n) : 0);
		return ev;
	}

	static bool Readable(const iommufd_veventq *q)
	{
		pollfd p = {iommufd_veventq_fd(q), POLLIN, 0};
		return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
	}

	static uint32_t VirtId(const iommufd_vevent &ev)
	{
		uint32_t v;
		std::memcpy(&v, ev.data, sizeof(v));
		return v;
	}
};
