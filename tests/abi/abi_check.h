/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Counting checks for the ABI proof: every failure is printed, all counted. */
#ifndef ABI_CHECK_H
#define ABI_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <linux/version.h>

#define KERNEL_AT_LEAST(maj, min) (LINUX_VERSION_CODE >= KERNEL_VERSION(maj, min, 0))
#define offsetofend(S, m) (offsetof(S, m) + sizeof(((S *)0)->m))

void check_pass(void);
void check_fail(const char *what);
void check_eq(uint64_t a, uint64_t b, const char *expr_a, const char *expr_b, int line);
void check_le(uint64_t a, uint64_t b, const char *expr_a, const char *expr_b, int line);

#define CHECK_EQ(a, b) check_eq((uint64_t)(a), (uint64_t)(b), #a, #b, __LINE__)
#define CHECK_LE(a, b) check_le((uint64_t)(a), (uint64_t)(b), #a, #b, __LINE__)

void check_command_table(void);
void check_structs(void);
void check_mock(void);

#endif
