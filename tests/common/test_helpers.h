// SPDX-License-Identifier: LGPL-2.1-or-later
// Helpers shared by the unit suite (fake kernel) and the kernel suite (VM):
// the same expectations are written once.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <libiommufd/hwpt.h>
#include <libiommufd/probe.h>
#include <libiommufd/viommu.h>

// Options of iommufd_hwpt_alloc() (IOMMUFD_OPTS() is for C callers).
inline iommufd_hwpt_alloc_opts AllocOpts(uint32_t flags, uint32_t fault_id = 0,
					 uint32_t data_type = 0, uint32_t data_len = 0,
					 const void *data = nullptr)
{
	iommufd_hwpt_alloc_opts o = {};

	o.sz = sizeof(o);
	o.flags = flags;
	o.fault_id = fault_id;
	o.data_type = data_type;
	o.data_len = data_len;
	o.data = data;
	return o;
}

// Options of iommufd_viommu_alloc().
inline iommufd_viommu_alloc_opts ViommuOpts(void *data = nullptr, uint32_t data_len = 0,
					    uint32_t flags = 0)
{
	iommufd_viommu_alloc_opts o = {};

	o.sz = sizeof(o);
	o.flags = flags;
	o.data_len = data_len;
	o.data = data;
	return o;
}

// An expected feature-probe answer.
struct Answer {
	bool supported;
	std::string reason; // exact, or a prefix when it ends in "..."
};

// @st is @want.
inline ::testing::AssertionResult Is(const Answer &want, const iommufd_feature_status &st)
{
	const std::string reason = st.reason;
	const bool prefix = want.reason.size() > 3 &&
			    want.reason.compare(want.reason.size() - 3, 3, "...") == 0;
	const std::string expect = prefix ? want.reason.substr(0, want.reason.size() - 3)
					  : want.reason;
	const bool same = prefix ? reason.rfind(expect, 0) == 0 : reason == expect;

	if (same && (st.supported != 0) == want.supported)
		return ::testing::AssertionSuccess();
	return ::testing::AssertionFailure()
	       << "got " << (st.supported ? "yes" : "no") << " \"" << reason << "\", want "
	       << (want.supported ? "yes" : "no") << " \"" << want.reason << "\"";
}
