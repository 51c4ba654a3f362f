// SPDX-License-Identifier: GPL-2.0
/*
 * iopf_group_shim - lets the iommufd selftest mock raise multi-record
 * page-request groups, for the libiommufd kernel suite only.
 *
 * The mock's IOMMU_TEST_OP_TRIGGER_IOPF always reports a fault with
 * IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE set, so every group it makes holds
 * one record.  A kprobe on iommu_report_device_fault() watches for a
 * marker bit (IOPF_GROUP_SHIM_PARTIAL, bit 31) in the request's perm --
 * real perms use bits 0..3 -- and, when it is there, clears the marker and
 * LAST_PAGE: the io-pgfault core then keeps that fault as a partial one and
 * hands it over, oldest first, in the group of the next trigger with the
 * same grpid that carries no marker (iopf_group_alloc()).
 */
#include <linux/iommu.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>

#define IOPF_GROUP_SHIM_PARTIAL (1u << 31)

/* A diagnostic count: triggers racing on two CPUs may lose an increment. */
static unsigned long partials;
module_param(partials, ulong, 0444);
MODULE_PARM_DESC(partials, "faults turned into partial (non-last) page requests");

static int shim_pre(struct kprobe *p, struct pt_regs *regs)
{
	/* iommu_report_device_fault(struct device *dev, struct iopf_fault *evt) */
	struct iopf_fault *evt = (struct iopf_fault *)regs_get_kernel_argument(regs, 1);

	if (!evt || evt->fault.type != IOMMU_FAULT_PAGE_REQ ||
	    !(evt->fault.prm.perm & IOPF_GROUP_SHIM_PARTIAL))
		return 0;
	evt->fault.prm.perm &= ~IOPF_GROUP_SHIM_PARTIAL;
	evt->fault.prm.flags &= ~IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE;
	WRITE_ONCE(partials, READ_ONCE(partials) + 1);
	return 0;
}

static struct kprobe shim_kp = {
	.symbol_name = "iommu_report_device_fault",
	.pre_handler = shim_pre,
};

static int __init shim_init(void)
{
	return register_kprobe(&shim_kp);
}

static void __exit shim_exit(void)
{
	unregister_kprobe(&shim_kp);
}

module_init(shim_init);
module_exit(shim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("libiommufd tests: multi-record page-request groups from the iommufd mock");
