/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mini-vmm: the state a tiny VMM keeps for one guest, and the steps of its
 * flow.  Each step lives in its own file and maps onto one scenario of the
 * original /dev/ioasid proposal (see README.md beside this file).
 *
 * No host here has an assigned device, so the "devices" are the iommufd
 * selftest mock's (CONFIG_IOMMUFD_TEST): they attach, nest, take PASIDs and
 * raise page requests as a real device behind a real IOMMU would, and the
 * mock lets the VMM look inside (IOTLB entries, what an access reads) to
 * check its own work.  A real VMM would bind VFIO cdevs instead
 * (iommufd_device_open/bind, libiommufd/device.h) and use the same calls.
 */
#ifndef MINI_VMM_H
#define MINI_VMM_H

#include <stddef.h>
#include <stdint.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

/* Guest-physical layout: 1 MiB of guest RAM at GPA 16 MiB (the first
 * address the mock IOMMU translates). */
#define GUEST_RAM_GPA IOMMUFD_TEST_APERTURE_START
#define GUEST_RAM_SIZE (1u << 20)

/* A device the guest owns, as the VMM sees it. */
struct vmm_device {
	uint32_t stdev_id; /* the mock's handle (a VFIO cdev fd in a real VMM) */
	uint32_t dev_id;   /* iommufd's device ID */
	uint32_t hwpt_id;  /* what the device is attached to now */
};

struct vmm {
	struct iommufd_ctx *ctx;
	void *ram;           /* guest RAM: host virtual address (HVA) */
	uint32_t gpa_ioas;   /* step 1: GPA -> HVA */
	struct vmm_device nic, accel; /* "assigned" devices */
	uint32_t s2_parent;  /* step 2: the nesting parent (GPA -> HPA) */
	uint32_t guest_iova; /* step 2: nested HWPT (guest IOVA -> GPA) */
	/* results, counted by report.c */
	unsigned int passed, failed, skipped;
};

/* The steps, in order; each returns 0 when it may go on, -1 when not. */
int guest_memory_setup(struct vmm *vmm);    /* guest_memory.c */
int devices_attach(struct vmm *vmm);        /* devices.c */
int guest_iova_space(struct vmm *vmm);      /* guest_iova.c */
int guest_sva_space(struct vmm *vmm);       /* guest_sva.c */
int page_request_loop(struct vmm *vmm);     /* page_requests.c */
void vmm_teardown(struct vmm *vmm);         /* main.c */

/* features.c: 1 when the probe says host (@dev_id 0) or device @dev_id
 * can do @feat (enum iommufd_feature); otherwise says why and counts a
 * skip. */
int feature(struct vmm *vmm, uint32_t dev_id, uint32_t feat);

/* report.c: what the VMM says as it goes. */
void step(const char *title, const char *scenario);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records a self-check: @ok true passes it. Returns @ok. */
int check(struct vmm *vmm, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed library call: prints the library's sentence, counts a failure. */
int failed_call(struct vmm *vmm, const char *call, int rc);
/* A step the kernel cannot do: says why, counts a skip. */
void skip(struct vmm *vmm, const char *why);

#endif
