// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the mini-VMM prints: one heading per step, then its self-checks. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmm.h"

void step(const char *title, const char *scenario)
{
	printf("\n== %s\n   /dev/ioasid scenario: %s\n", title, scenario);
}

void say(const char *fmt, ...)
{
	va_list ap;

	fputs("   ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int check(struct vmm *vmm, int ok, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "   ok   " : "   FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		vmm->passed++;
	else
		vmm->failed++;
	return ok;
}

int failed_call(struct vmm *vmm, const char *call, int rc)
{
	printf("   FAIL %s: %s (%s)\n", call, iommufd_ctx_last_error(vmm->ctx), strerror(-rc));
	vmm->failed++;
	return -1;
}

void skip(struct vmm *vmm, const char *why)
{
	printf("   skip %s\n", why);
	vmm->skipped++;
}
