/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The IOVA alignment of the IOASes this context has queried, so fixed-IOVA
 * calls can be checked before the kernel sees them.  The alignment can
 * change when devices attach or detach, so a failed check is confirmed
 * against the kernel before it is reported (see ioas.c): a stale entry can
 * cost one query, never a wrong refusal.
 */
#include <errno.h>
#include <stdlib.h>

#include "alloc.h"
#include "private.h"

#define ALIGN_SLOTS 32

struct ifd_align_cache {
	pthread_mutex_t lock;
	struct {
		uint32_t ioas_id; /* 0: free */
		uint64_t alignment;
	} slot[ALIGN_SLOTS];
	unsigned int next_victim;
};

int ifd_align_cache_new(struct iommufd_ctx *ctx)
{
	ctx->align = ifd_calloc(1, sizeof(*ctx->align));
	if (!ctx->align)
		return -ENOMEM;
	pthread_mutex_init(&ctx->align->lock, NULL);
	return 0;
}

void ifd_align_cache_free(struct iommufd_ctx *ctx)
{
	if (!ctx->align)
		return;
	pthread_mutex_destroy(&ctx->align->lock);
	free(ctx->align);
	ctx->align = NULL;
}

static int find_slot(struct ifd_align_cache *c, uint32_t ioas_id)
{
	for (int i = 0; i < ALIGN_SLOTS; i++)
		if (c->slot[i].ioas_id == ioas_id)
			return i;
	return -1;
}

void ifd_align_note(struct iommufd_ctx *ctx, uint32_t ioas_id, uint64_t alignment)
{
	struct ifd_align_cache *c = ctx->align;
	int i;

	pthread_mutex_lock(&c->lock);
	i = find_slot(c, ioas_id);
	if (i < 0)
		i = (int)(c->next_victim++ % ALIGN_SLOTS);
	c->slot[i].ioas_id = ioas_id;
	c->slot[i].alignment = alignment;
	pthread_mutex_unlock(&c->lock);
}

void ifd_align_forget(struct iommufd_ctx *ctx, uint32_t ioas_id)
{
	struct ifd_align_cache *c = ctx->align;
	int i;

	pthread_mutex_lock(&c->lock);
	i = find_slot(c, ioas_id);
	if (i >= 0)
		c->slot[i].ioas_id = 0;
	pthread_mutex_unlock(&c->lock);
}

/* 0 when unknown. */
uint64_t ifd_align_get(struct iommufd_ctx *ctx, uint32_t ioas_id)
{
	struct ifd_align_cache *c = ctx->align;
	uint64_t alignment = 0;
	int i;

	pthread_mutex_lock(&c->lock);
	i = find_slot(c, ioas_id);
	if (i >= 0)
		alignment = c->slot[i].alignment;
	pthread_mutex_unlock(&c->lock);
	return alignment;
}
