/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "alloc.h"

static bool (*fail_hook)(void *priv, size_t size);
static void *fail_priv;

void ifd_alloc_set_hook(bool (*fail)(void *priv, size_t size), void *priv)
{
	fail_hook = fail;
	fail_priv = priv;
}

/* The hook says this allocation fails; errno is set as libc would. */
static bool injected(size_t size)
{
	if (__builtin_expect(!fail_hook, 1) || !fail_hook(fail_priv, size))
		return false;
	errno = ENOMEM;
	return true;
}

void *ifd_malloc(size_t size)
{
	return injected(size) ? NULL : malloc(size);
}

void *ifd_calloc(size_t n, size_t size)
{
	return injected(n * size) ? NULL : calloc(n, size);
}

void *ifd_realloc(void *p, size_t size)
{
	return injected(size) ? NULL : realloc(p, size);
}

void *ifd_aligned_alloc(size_t align, size_t size)
{
	return injected(size) ? NULL : aligned_alloc(align, size);
}

int ifd_posix_memalign(void **p, size_t align, size_t size)
{
	return injected(size) ? ENOMEM : posix_memalign(p, align, size);
}
