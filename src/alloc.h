/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The allocation seam.  Every heap allocation the library makes goes
 * through these wrappers, so the failure-injection tests can fail the Nth
 * one and check that each caller answers -ENOMEM with a sentence and
 * leaves nothing behind.  With no hook installed they cost one load and
 * one branch over the libc call they wrap.  Memory is released with free().
 */
#ifndef LIBIOMMUFD_ALLOC_H
#define LIBIOMMUFD_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

__attribute__((visibility("hidden"))) void *ifd_malloc(size_t size);
__attribute__((visibility("hidden"))) void *ifd_calloc(size_t n, size_t size);
/* On failure @p is left allocated, as realloc() leaves it. */
__attribute__((visibility("hidden"))) void *ifd_realloc(void *p, size_t size);
__attribute__((visibility("hidden"))) void *ifd_aligned_alloc(size_t align, size_t size);
/* 0 or a positive errno, as posix_memalign(). */
__attribute__((visibility("hidden"))) int ifd_posix_memalign(void **p, size_t align, size_t size);

/*
 * Test-only: @fail(@priv, @size) is asked before each allocation; true makes
 * it fail as the allocator does when out of memory.  NULL: no hook.  Not
 * thread safe: install it while no other thread is in the library.
 */
__attribute__((visibility("hidden"))) void ifd_alloc_set_hook(bool (*fail)(void *priv, size_t size),
							      void *priv);

#endif
