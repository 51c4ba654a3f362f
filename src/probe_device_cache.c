/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The device feature answers of a context, per device ID.
 *
 * What can make an answer stale: the device behind a dev_id.  A device is
 * never destroyed through IOMMU_DESTROY; it goes away when its VFIO cdev is
 * closed (or a mock device's selftest object destroyed), and the kernel
 * hands the freed ID to the next object, possibly another device.  So each
 * entry keeps the device's GET_HW_INFO answer, and a lookup with a
 * different one (another IOMMU, other capabilities, another PASID width)
 * drops the entry.  Two devices with equal HW descriptions sit behind
 * IOMMUs of the same kind and capabilities, and get the same answers.
 * Nothing else changes an answer while a device stays bound: the kernel's
 * commands, the IOMMU's registers and the device's PASID/ATS setup are
 * fixed by then.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "probe_device.h"

#define DEV_CACHE_SLOTS 8

struct dev_slot {
	uint32_t dev_id; /* 0: free */
	int info_rc;
	struct iommufd_hw_info info;
	uint32_t known;  /* bit per feature */
	struct iommufd_feature_status st[IOMMUFD_FEATURE_COUNT];
};

struct ifd_dev_cache {
	pthread_mutex_t lock;
	struct dev_slot slot[DEV_CACHE_SLOTS];
	unsigned int next_victim;
};

_Static_assert(IOMMUFD_FEATURE_COUNT <= 32, "one bit per feature");

/* The context's cache, made on first use (NULL without memory: then
 * nothing is cached). */
static struct ifd_dev_cache *cache_of(struct iommufd_ctx *ctx, bool create)
{
	struct ifd_dev_cache *c = atomic_load(&ctx->dev_cache), *expected = NULL;

	if (c || !create)
		return c;
	c = ifd_calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	if (atomic_compare_exchange_strong(&ctx->dev_cache, &expected, c))
		return c;
	pthread_mutex_destroy(&c->lock);
	free(c);
	return expected;
}

void ifd_dev_cache_free(struct iommufd_ctx *ctx)
{
	struct ifd_dev_cache *c = atomic_exchange(&ctx->dev_cache, NULL);

	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static bool same_device(const struct dev_slot *s, int info_rc,
			const struct iommufd_hw_info *info)
{
	return s->info_rc == info_rc && !memcmp(&s->info, info, sizeof(*info));
}

/* The slot of @dev_id, emptied when the device changed; or NULL. */
static struct dev_slot *find(struct ifd_dev_cache *c, uint32_t dev_id, int info_rc,
			     const struct iommufd_hw_info *info)
{
	for (unsigned int i = 0; i < DEV_CACHE_SLOTS; i++) {
		struct dev_slot *s = &c->slot[i];

		if (s->dev_id != dev_id)
			continue;
		if (!same_device(s, info_rc, info))
			s->dev_id = 0;
		return s->dev_id ? s : NULL;
	}
	return NULL;
}

int ifd_dev_cache_get(struct iommufd_ctx *ctx, uint32_t dev_id, int info_rc,
		      const struct iommufd_hw_info *info, uint32_t feature,
		      struct iommufd_feature_status *st)
{
	struct ifd_dev_cache *c = cache_of(ctx, false);
	struct dev_slot *s;
	int hit = 0;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	s = find(c, dev_id, info_rc, info);
	if (s && (s->known & (1u << feature))) {
		*st = s->st[feature];
		hit = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

static struct dev_slot *new_slot(struct ifd_dev_cache *c, uint32_t dev_id, int info_rc,
				 const struct iommufd_hw_info *info)
{
	struct dev_slot *s = NULL;

	for (unsigned int i = 0; i < DEV_CACHE_SLOTS && !s; i++)
		if (!c->slot[i].dev_id)
			s = &c->slot[i];
	if (!s)
		s = &c->slot[c->next_victim++ % DEV_CACHE_SLOTS];
	memset(s, 0, sizeof(*s));
	s->dev_id = dev_id;
	s->info_rc = info_rc;
	s->info = *info;
	return s;
}

void ifd_dev_cache_put(struct iommufd_ctx *ctx, uint32_t dev_id, int info_rc,
		       const struct iommufd_hw_info *info, uint32_t feature,
		       const struct iommufd_feature_status *st)
{
	struct ifd_dev_cache *c = cache_of(ctx, true);
	struct dev_slot *s;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	s = find(c, dev_id, info_rc, info);
	if (!s)
		s = new_slot(c, dev_id, info_rc, info);
	s->st[feature] = *st;
	s->known |= 1u << feature;
	pthread_mutex_unlock(&c->lock);
}
