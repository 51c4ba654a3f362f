/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ABI proof: libiommufd's own definitions (src/uapi, src/cmd_table.c)
 * against one kernel's installed uapi headers.  Prints the number of
 * sizes, offsets and constants checked and exits non-zero on any mismatch.
 */
#include <stdio.h>

#include "abi_check.h"

static unsigned int passed, failed;

void check_pass(void)
{
	passed++;
}

void check_fail(const char *what)
{
	failed++;
	printf("FAIL: %s\n", what);
}

void check_eq(uint64_t a, uint64_t b, const char *expr_a, const char *expr_b, int line)
{
	if (a == b) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s = %llu, expected %s = %llu\n", line, expr_a,
	       (unsigned long long)a, expr_b, (unsigned long long)b);
}

void check_le(uint64_t a, uint64_t b, const char *expr_a, const char *expr_b, int line)
{
	if (a <= b) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL line %d: %s = %llu exceeds %s = %llu\n", line, expr_a,
	       (unsigned long long)a, expr_b, (unsigned long long)b);
}

int main(void)
{
	check_command_table();
	check_structs();
	check_mock();
	printf("ABI proof against Linux %d.%d headers: %u checks, %u passed, %u failed\n",
	       LINUX_VERSION_CODE >> 16, (LINUX_VERSION_CODE >> 8) & 0xff, passed + failed,
	       passed, failed);
	return failed || !passed;
}
