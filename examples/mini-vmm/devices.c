// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Step 1b: devices attached to the guest's IOAS, and DMA through it.
 *
 * In the /dev/ioasid proposal a passthrough device is bound to the ioasid
 * fd and attached to the guest's IOASID; from then on its DMA at a GPA lands
 * in guest RAM.  Today: a VFIO cdev is bound to the iommufd
 * (VFIO_DEVICE_BIND_IOMMUFD) and attached to the IOAS
 * (VFIO_DEVICE_ATTACH_IOMMUFD_PT), and the kernel gives it a paging HWPT
 * built from the IOAS.  Here the selftest mock creates and attaches the
 * devices in one call (iommufd_test_mock_domain), standing in for
 * iommufd_device_open() + iommufd_device_bind() + iommufd_device_attach().
 */
#include <string.h>
#include <unistd.h>

#include "vmm.h"

static int attach(struct vmm *vmm, const char *name, struct vmm_device *d)
{
	int rc = iommufd_test_mock_domain(vmm->ctx, vmm->gpa_ioas, 0, &d->stdev_id,
					  &d->hwpt_id, &d->dev_id);

	if (rc)
		return failed_call(vmm, "iommufd_test_mock_domain", rc);
	say("device %-5s: iommufd device %u attached to IOAS %u (its HWPT %u)", name,
	    d->dev_id, vmm->gpa_ioas, d->hwpt_id);
	/* The mock shows its page table: every GPA page maps guest RAM. */
	rc = iommufd_test_check_map(vmm->ctx, d->hwpt_id, GUEST_RAM_GPA, GUEST_RAM_SIZE,
				    vmm->ram);
	check(vmm, rc == 0, "%s's IOMMU domain maps all %u KiB of guest RAM at GPA = IOVA",
	      name, GUEST_RAM_SIZE >> 10);
	return 0;
}

/* A "device" reads and writes guest RAM at a GPA through an in-kernel
 * access to the IOAS (as an emulated device's driver does), and the guest
 * sees the same bytes through its HVA. */
static void dma_round_trip(struct vmm *vmm)
{
	static const char to_device[] = "guest -> device: descriptor ring at GPA 0x1001000";
	static const char to_guest[] = "device -> guest: RX buffer filled";
	const uint64_t off = 0x1000;
	char got[sizeof(to_device)] = "";
	int access_fd = -1;
	int rc;

	rc = iommufd_test_create_access(vmm->ctx, vmm->gpa_ioas, 0, &access_fd);
	if (rc) {
		failed_call(vmm, "iommufd_test_create_access", rc);
		return;
	}
	memcpy((char *)vmm->ram + off, to_device, sizeof(to_device));
	rc = iommufd_test_access_rw(vmm->ctx, access_fd, GUEST_RAM_GPA + off, got,
				    sizeof(got), 0);
	if (rc)
		failed_call(vmm, "iommufd_test_access_rw (read)", rc);
	else
		check(vmm, memcmp(got, to_device, sizeof(got)) == 0,
		      "DMA read at GPA 0x%llx sees what the guest wrote at its HVA",
		      (unsigned long long)(GUEST_RAM_GPA + off));
	rc = iommufd_test_access_rw(vmm->ctx, access_fd, GUEST_RAM_GPA + 2 * off,
				    (void *)to_guest, sizeof(to_guest), IOMMUFD_TEST_RW_WRITE);
	if (rc)
		failed_call(vmm, "iommufd_test_access_rw (write)", rc);
	else
		check(vmm, memcmp((char *)vmm->ram + 2 * off, to_guest, sizeof(to_guest)) == 0,
		      "DMA write at GPA 0x%llx shows up in guest RAM",
		      (unsigned long long)(GUEST_RAM_GPA + 2 * off));
	close(access_fd);
}

int devices_attach(struct vmm *vmm)
{
	step("Devices attached to the guest's IOAS",
	     "bind each passthrough device, attach it to the guest's IOASID");
	say("(no assigned device on this machine: the iommufd selftest mock's devices stand in)");
	if (attach(vmm, "nic", &vmm->nic) || attach(vmm, "accel", &vmm->accel))
		return -1;
	dma_round_trip(vmm);
	return 0;
}
