// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Before each step the VMM asks the library's probe whether this kernel and
 * this device can do it, instead of comparing version numbers: the probe
 * answers from what the kernel accepts, and says why not (and which Linux
 * release brings it) when it cannot.
 */
#include <stdio.h>
#include <string.h>

#include "vmm.h"

int feature(struct vmm *vmm, uint32_t dev_id, uint32_t feat)
{
	struct iommufd_feature_status st;
	int rc;

	memset(&st, 0, sizeof(st));
	rc = dev_id ? iommufd_probe_device_feature(vmm->ctx, dev_id, feat, &st)
		    : iommufd_probe_host_feature(vmm->ctx, feat, &st);
	if (rc < 0)
		return failed_call(vmm, dev_id ? "iommufd_probe_device_feature"
					       : "iommufd_probe_host_feature", rc), 0;
	say("probe %s %s: %s -- %s", dev_id ? "device" : "host", iommufd_feature_name(feat),
	    st.supported ? "yes" : "no", st.reason);
	if (!st.supported) {
		char why[256];

		snprintf(why, sizeof(why), "%s: %s", iommufd_feature_name(feat), st.reason);
		skip(vmm, why);
	}
	return st.supported != 0;
}
