/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals shared by the library's source files; never installed. */
#ifndef LIBIOMMUFD_PRIVATE_H
#define LIBIOMMUFD_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <libiommufd/libiommufd.h>

#include "uapi/iommufd_abi.h"

#define IFD_HIDDEN __attribute__((visibility("hidden")))
#define IFD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define IFD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define IFD_STR2(x) #x
#define IFD_STR(x) IFD_STR2(x)
#define LIBIOMMUFD_VERSION                                                  \
	IFD_STR(LIBIOMMUFD_VERSION_MAJOR) "." IFD_STR(LIBIOMMUFD_VERSION_MINOR) \
	"." IFD_STR(LIBIOMMUFD_VERSION_PATCH)

/* What the probe learned about one command; 0 means "not probed yet". */
struct ifd_cmd_probe {
	_Atomic int8_t known;        /* 0 unknown yet, 1 yes, -1 no */
	_Atomic uint16_t kernel_size; /* 0 until learned */
};

struct ifd_align_cache;
struct ifd_dev_cache;

struct iommufd_ctx {
	int fd;
	uint64_t serial; /* keys the per-thread error records */
	iommufd_log_fn log_fn;
	void *log_user_data;
	int log_level;
	struct ifd_cmd_probe probe[UAPI_IOMMUFD_NR_CMDS];
	struct ifd_align_cache *align;
	struct ifd_dev_cache *_Atomic dev_cache; /* made on first use */
	_Atomic int kernel_release; /* uname's, as IOMMUFD_KVER; 0 not asked, -1 unknown */
};

/* ---- errors and log (error.c, log.c) ---------------------------------- */

/* Record a failure sentence for @ctx (may be NULL) and log it at debug
 * level; returns -@err so callers can `return ifd_fail(...)`. */
IFD_HIDDEN int ifd_fail(const struct iommufd_ctx *ctx, int err, const char *fmt, ...)
	IFD_PRINTF(3, 4);
IFD_HIDDEN void ifd_log(const struct iommufd_ctx *ctx, int level, const char *fmt, ...)
	IFD_PRINTF(3, 4);
IFD_HIDDEN int ifd_log_level_from_env(void);
IFD_HIDDEN void ifd_log_stderr(void *user_data, int level, const char *message);

/* ---- argument checks (check.c) ------------------------------------------ */

IFD_HIDDEN int ifd_check_ctx(const struct iommufd_ctx *ctx, const char *fn);
IFD_HIDDEN int ifd_check_out(const struct iommufd_ctx *ctx, const void *p,
			     const char *fn, const char *what);
IFD_HIDDEN int ifd_check_range(const struct iommufd_ctx *ctx, const char *fn,
			       const char *what, uint64_t start, uint64_t length);
IFD_HIDDEN int ifd_check_flags(const struct iommufd_ctx *ctx, const char *fn,
			       uint32_t flags, uint32_t known);

/* ---- options structs (opts.c) -------------------------------------------- */

/* Copy the caller's options (NULL allowed) into @dst, a zeroed struct of
 * @known bytes, applying the sz rules. */
IFD_HIDDEN int ifd_opts_load(const struct iommufd_ctx *ctx, const char *fn,
			     void *dst, size_t known, const void *user_opts);

/* ---- the command table and negotiation (cmd_table.c, negotiate.c) ------ */

struct ifd_field {
	const char *name;
	uint16_t offset;
	uint16_t size;
	uint16_t release;
	uint8_t dir;
	uint8_t carved;
};

struct ifd_cmd {
	uint32_t nr;
	const char *name;
	uint16_t release;
	uint16_t first_size;
	uint16_t size;
	/* The probe poisons this field so the command fails before it could
	 * act; poison_size 0 means the zeroed IDs already guarantee that. */
	uint16_t poison_offset;
	uint16_t poison_size;
	const struct ifd_field *fields;
	uint32_t nr_fields;
};

IFD_HIDDEN const struct ifd_cmd *ifd_cmd_lookup(uint32_t nr);
IFD_HIDDEN const char *ifd_release_str(uint16_t release, char buf[16]);

/* Send command @nr with @arg (its struct, size field left to us): the
 * size is negotiated, EINTR retried, ENOTTY/E2BIG explained.  Returns 0 or
 * -errno with a sentence recorded. */
IFD_HIDDEN int ifd_cmd(struct iommufd_ctx *ctx, uint32_t nr, void *arg);
/* As ifd_cmd, but an -@expected answer, which the caller handles itself
 * (EMSGSIZE...), is returned without recording a failure. */
IFD_HIDDEN int ifd_cmd_expect(struct iommufd_ctx *ctx, uint32_t nr, void *arg, int expected);
/* The kernel's own answer to the command: 0 or -errno, nothing recorded,
 * *@ran true.  When the kernel could not run it (the command or a field
 * set in @arg is unknown to it), -EOPNOTSUPP with the sentence recorded
 * and *@ran false: the caller explains only what the command said. */
IFD_HIDDEN int ifd_cmd_ran(struct iommufd_ctx *ctx, uint32_t nr, void *arg, bool *ran);
IFD_HIDDEN uint32_t ifd_cmd_size_for(const struct ifd_cmd *cmd, const void *arg);

/* ---- the ABI probe (probe_abi.c) ----------------------------------------- */

IFD_HIDDEN int ifd_probe_kernel_size(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd);
/* The running kernel's release from uname (IOMMUFD_KVER, 0 unknown), asked
 * once per context: calls that consult it must not cost a syscall each. */
IFD_HIDDEN int ifd_kernel_release(struct iommufd_ctx *ctx);
IFD_HIDDEN void ifd_probe_note_unknown(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd);
/* 1: the kernel knows @cmd, 0: it does not (both cached), or -errno. */
IFD_HIDDEN int ifd_probe_cmd_known(struct iommufd_ctx *ctx, const struct ifd_cmd *cmd);

/* ---- IOAS alignment cache (ioas_align.c) --------------------------------- */

IFD_HIDDEN int ifd_align_cache_new(struct iommufd_ctx *ctx);
IFD_HIDDEN void ifd_align_cache_free(struct iommufd_ctx *ctx);
IFD_HIDDEN void ifd_align_note(struct iommufd_ctx *ctx, uint32_t ioas_id, uint64_t alignment);
IFD_HIDDEN void ifd_align_forget(struct iommufd_ctx *ctx, uint32_t ioas_id);
IFD_HIDDEN uint64_t ifd_align_get(struct iommufd_ctx *ctx, uint32_t ioas_id);

/* ---- device feature answers (probe_device_cache.c) ----------------------- */

/* No unbind hook is needed: every probe first checks, with GET_HW_INFO,
 * that the dev_id still names a device with the same HW description. */
IFD_HIDDEN void ifd_dev_cache_free(struct iommufd_ctx *ctx);

#endif
