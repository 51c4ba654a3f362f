/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The iommufd context: the /dev/iommu file, its errors and its log. */
#ifndef LIBIOMMUFD_CTX_H
#define LIBIOMMUFD_CTX_H

#include <libiommufd/common.h>

LIBIOMMUFD_BEGIN_DECLS

/*
 * struct iommufd_ctx - an open iommufd (one /dev/iommu file description).
 *
 * Owns the file descriptor and every kernel object created through it: the
 * kernel destroys them all when the context is closed.  A context may be
 * shared by several threads for map, unmap, copy and queries; open, adopt,
 * close and the set_log calls must not race with other calls on it.
 */
struct iommufd_ctx;

/*
 * Log levels, most severe first.  IOMMUFD_LOG_OFF silences the log;
 * IOMMUFD_LOG_DEFAULT (what a zeroed options struct holds) lets the
 * environment decide: LIBIOMMUFD_LOG=err|warn|info|debug, else off.
 */
enum iommufd_log_level {
	IOMMUFD_LOG_DEFAULT = 0,
	IOMMUFD_LOG_OFF = 1,
	IOMMUFD_LOG_ERR = 2,
	IOMMUFD_LOG_WARN = 3,
	IOMMUFD_LOG_INFO = 4,
	IOMMUFD_LOG_DEBUG = 5,
};

/* Receives one log line (no trailing newline). */
typedef void (*iommufd_log_fn)(void *user_data, int level, const char *message);

/*
 * struct iommufd_ctx_opts - how to open a context.
 * @sz:            sizeof(struct iommufd_ctx_opts), set by IOMMUFD_OPTS().
 * @path:          the iommufd device node; NULL means "/dev/iommu".
 * @log_fn:        log receiver; NULL means stderr.
 * @log_user_data: passed to @log_fn.
 * @log_level:     an enum iommufd_log_level; IOMMUFD_LOG_DEFAULT (0)
 *                 means "as the environment says".
 */
struct iommufd_ctx_opts {
	size_t sz;
	const char *path;
	iommufd_log_fn log_fn;
	void *log_user_data;
	int log_level;
};

/*
 * iommufd_ctx_open - open /dev/iommu (or opts->path) and make a context.
 * @opts: options, or NULL for the defaults.
 * @ctxp: receives the new context.
 *
 * The file is opened O_RDWR | O_CLOEXEC.  Nothing is sent to the kernel
 * until the first call that needs it.
 *
 * Return: 0, or a negative errno: -EINVAL (NULL @ctxp, bad @opts->sz),
 * -E2BIG (@opts sets fields this library does not know), -ENOMEM, or the
 * open(2) error (-ENOENT: no iommufd in this kernel, -EACCES...).  The
 * reason is in iommufd_ctx_last_error(NULL).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ctx_open(const struct iommufd_ctx_opts *opts,
				    struct iommufd_ctx **ctxp);

/*
 * iommufd_ctx_adopt_fd - make a context from an iommufd another party opened
 * (for instance one received over a unix socket).
 * @fd:   an open iommufd; on success the context owns it and closes it.
 * @opts: options (opts->path is ignored), or NULL.
 * @ctxp: receives the new context.
 *
 * One harmless ioctl checks that @fd really is an iommufd.
 *
 * Return: 0, or a negative errno: -EBADF (not an open fd), -ENOTTY (the fd
 * is not an iommufd), -EINVAL, -E2BIG, -ENOMEM.  On failure @fd stays open
 * and belongs to the caller.  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_ctx_adopt_fd(int fd,
					const struct iommufd_ctx_opts *opts,
					struct iommufd_ctx **ctxp);

/*
 * iommufd_ctx_close - close the context and its fd; the kernel destroys
 * every object created through it.  NULL is ignored.
 */
LIBIOMMUFD_API void iommufd_ctx_close(struct iommufd_ctx *ctx);

/* iommufd_ctx_fd - the context's file descriptor (owned by the context). */
LIBIOMMUFD_API int iommufd_ctx_fd(const struct iommufd_ctx *ctx);

/*
 * iommufd_ctx_last_error - a sentence describing the calling thread's most
 * recent failure on @ctx (or, for @ctx == NULL, on any context or in open).
 *
 * Each thread keeps the sentences of the last 8 contexts it saw fail; an
 * older context's sentence may read "".
 *
 * Return: the sentence, or "" if there was none.  Valid until the calling
 * thread's next libiommufd call.
 */
LIBIOMMUFD_API const char *iommufd_ctx_last_error(const struct iommufd_ctx *ctx);

/*
 * iommufd_ctx_set_log - route the context's log to @fn (NULL: stderr),
 * which receives @user_data with each line.
 * iommufd_ctx_set_log_level - set its @level (enum iommufd_log_level;
 * values outside OFF .. DEBUG are clamped to them).
 * iommufd_ctx_get_log_level - the level in force, or -EINVAL for a NULL
 * @ctx.
 */
LIBIOMMUFD_API void iommufd_ctx_set_log(struct iommufd_ctx *ctx,
					iommufd_log_fn fn, void *user_data);
LIBIOMMUFD_API void iommufd_ctx_set_log_level(struct iommufd_ctx *ctx, int level);
LIBIOMMUFD_API int iommufd_ctx_get_log_level(const struct iommufd_ctx *ctx);

/*
 * iommufd_destroy - destroy any kernel object by ID (IOMMU_DESTROY).
 * @object_id: an IOAS, HWPT, fault queue, vIOMMU, vDEVICE, vEVENTQ or HW
 *             queue.
 *
 * Return: 0, or a negative errno: -ENOENT (no such object), -EBUSY (the
 * object is still in use, e.g. an IOAS with an attached device).  Linux 6.2.
 */
LIBIOMMUFD_API int iommufd_destroy(struct iommufd_ctx *ctx, uint32_t object_id);

/* iommufd_version_string - the library's version, "MAJOR.MINOR.PATCH". */
LIBIOMMUFD_API const char *iommufd_version_string(void);

LIBIOMMUFD_END_DECLS

#endif
