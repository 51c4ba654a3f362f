/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * VFIO's argsz-sized queries: one "query, grow, re-query" helper, and the
 * device and IRQ info calls built on it (region info: device_region.c).
 *
 * Kernel fact: when the capability chain does not fit, GET_INFO and
 * GET_REGION_INFO succeed, raise argsz to the size needed and leave
 * cap_offset 0.  The chain can change between two calls (a driver adding a
 * capability), hence a loop, bounded so a confused kernel cannot keep us.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "device_private.h"

/* The public flag names are the kernel's values. */
_Static_assert(IOMMUFD_DEVICE_FLAG_RESET == UAPI_VFIO_DEVICE_FLAGS_RESET, "flag");
_Static_assert(IOMMUFD_DEVICE_FLAG_PCI == UAPI_VFIO_DEVICE_FLAGS_PCI, "flag");
_Static_assert(IOMMUFD_DEVICE_FLAG_PLATFORM == UAPI_VFIO_DEVICE_FLAGS_PLATFORM, "flag");
_Static_assert(IOMMUFD_DEVICE_FLAG_CAPS == UAPI_VFIO_DEVICE_FLAGS_CAPS, "flag");
_Static_assert(IOMMUFD_IRQ_EVENTFD == UAPI_VFIO_IRQ_INFO_EVENTFD, "flag");
_Static_assert(IOMMUFD_IRQ_MASKABLE == UAPI_VFIO_IRQ_INFO_MASKABLE, "flag");
_Static_assert(IOMMUFD_IRQ_AUTOMASKED == UAPI_VFIO_IRQ_INFO_AUTOMASKED, "flag");
_Static_assert(IOMMUFD_IRQ_NORESIZE == UAPI_VFIO_IRQ_INFO_NORESIZE, "flag");
_Static_assert(IOMMUFD_PCI_INTX_IRQ == UAPI_VFIO_PCI_INTX_IRQ_INDEX, "index");
_Static_assert(IOMMUFD_PCI_MSI_IRQ == UAPI_VFIO_PCI_MSI_IRQ_INDEX, "index");
_Static_assert(IOMMUFD_PCI_MSIX_IRQ == UAPI_VFIO_PCI_MSIX_IRQ_INDEX, "index");
_Static_assert(IOMMUFD_PCI_ERR_IRQ == UAPI_VFIO_PCI_ERR_IRQ_INDEX, "index");
_Static_assert(IOMMUFD_PCI_REQ_IRQ == UAPI_VFIO_PCI_REQ_IRQ_INDEX, "index");

/* Room for the capabilities most devices have, so one ioctl usually does. */
#define QUERY_FIRST_EXTRA 256
#define QUERY_MAX_TRIES 4
/* No info reply is anywhere near this; a larger argsz is garbage. */
#define QUERY_MAX_SIZE (1u << 20)

static int query_once(struct iommufd_device *dev, const struct ifd_vfio_query *q,
		      const void *in, unsigned char *buf, uint32_t size, uint32_t *wanted)
{
	int rc;

	memset(buf, 0, size);
	memcpy(buf, in, q->base_size);
	memcpy(buf, &size, sizeof(size)); /* argsz is every info struct's first member */
	rc = ifd_dev_ioctl(dev, q->request, buf);
	if (rc < 0)
		return ifd_dev_explain(dev, q->name, rc);
	memcpy(wanted, buf, sizeof(*wanted));
	return 0;
}

int ifd_vfio_query(struct iommufd_device *dev, const struct ifd_vfio_query *q, const void *in,
		   void **bufp, uint32_t *lenp)
{
	uint32_t size = q->base_size + (q->cap_offset_at ? QUERY_FIRST_EXTRA : 0);

	for (int tries = 0; tries < QUERY_MAX_TRIES; tries++) {
		unsigned char *buf = ifd_malloc(size);
		uint32_t wanted = 0;
		int rc;

		if (!buf)
			return ifd_dev_fail(dev, ENOMEM, "%s: out of memory for %u bytes", q->name,
					    size);
		rc = query_once(dev, q, in, buf, size, &wanted);
		if (rc || wanted <= size) {
			if (rc)
				free(buf);
			else
				*bufp = buf, *lenp = size;
			return rc;
		}
		free(buf);
		if (wanted > QUERY_MAX_SIZE)
			return ifd_dev_fail(dev, EPROTO,
					    "%s on %s: the kernel asks for %u bytes (more than %u)",
					    q->name, dev->name, wanted, QUERY_MAX_SIZE);
		size = wanted;
	}
	return ifd_dev_fail(dev, EPROTO, "%s on %s: the reply still did not fit after %d tries",
			    q->name, dev->name, QUERY_MAX_TRIES);
}

/* GET_INFO's capabilities (zPCI, PCI atomic ops) are not decoded, only
 * checked, so a malformed chain is reported rather than ignored. */
static int skip_cap(void *arg, const struct ifd_vfio_cap *cap, struct ifd_vfio_chain *chain)
{
	(void)arg;
	(void)cap;
	(void)chain;
	return 0;
}

static int check_chain(struct iommufd_device *dev, const char *name, const unsigned char *buf,
		       uint32_t len, uint32_t base_size, uint32_t first)
{
	struct ifd_vfio_chain chain = {
		.buf = buf, .len = len, .min_offset = base_size, .first = first,
	};
	int rc = ifd_vfio_caps_walk(&chain, skip_cap, NULL);

	if (rc == -EPROTO)
		return ifd_dev_fail(dev, EPROTO, "%s on %s: malformed capability chain: %s", name,
				    dev->name, chain.why);
	return rc;
}

static const struct ifd_vfio_query device_info_query = {
	.name = "VFIO_DEVICE_GET_INFO",
	.request = UAPI_VFIO_DEVICE_GET_INFO,
	.base_size = sizeof(struct uapi_vfio_device_info),
	.cap_offset_at = offsetof(struct uapi_vfio_device_info, cap_offset),
};

int iommufd_device_get_info(struct iommufd_device *dev, struct iommufd_device_info *info)
{
	static const char fn[] = "iommufd_device_get_info";
	struct uapi_vfio_device_info in = { 0 }, out;
	void *buf;
	uint32_t len;
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_out(dev->ctx, info, fn, "info");
	if (!rc)
		rc = ifd_vfio_query(dev, &device_info_query, &in, &buf, &len);
	if (rc)
		return rc;
	memcpy(&out, buf, sizeof(out));
	rc = check_chain(dev, device_info_query.name, buf, len, sizeof(out),
			 out.flags & UAPI_VFIO_DEVICE_FLAGS_CAPS ? out.cap_offset : 0);
	free(buf);
	if (rc)
		return rc;
	info->flags = out.flags;
	info->num_regions = out.num_regions;
	info->num_irqs = out.num_irqs;
	return 0;
}

static const struct ifd_vfio_query irq_info_query = {
	.name = "VFIO_DEVICE_GET_IRQ_INFO",
	.request = UAPI_VFIO_DEVICE_GET_IRQ_INFO,
	.base_size = sizeof(struct uapi_vfio_irq_info),
	.cap_offset_at = 0,
};

int iommufd_device_irq_info(struct iommufd_device *dev, uint32_t index,
			    struct iommufd_irq_info *info)
{
	static const char fn[] = "iommufd_device_irq_info";
	struct uapi_vfio_irq_info in = { .index = index }, out;
	void *buf;
	uint32_t len;
	int rc = ifd_check_dev(dev, fn);

	if (!rc)
		rc = ifd_check_out(dev->ctx, info, fn, "info");
	if (rc)
		return rc;
	rc = ifd_vfio_query(dev, &irq_info_query, &in, &buf, &len);
	if (rc == -EINVAL && dev->bound)
		return ifd_dev_fail(dev, EINVAL, "%s: %s has no IRQ index %u", fn, dev->name,
				    index);
	if (rc)
		return rc;
	memcpy(&out, buf, sizeof(out));
	free(buf);
	info->index = index;
	info->flags = out.flags;
	info->count = out.count;
	return 0;
}
