/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hostile kernel behind the library's syscall seam (ifd_sys_set()), for
 * the fuzzers that go through the public API.  It keeps iommufd's size
 * rules (ENOTTY for a command it lacks, EINVAL below the first size, E2BIG
 * for non-zero bytes past its own size, replies of min(user, kernel) size)
 * so the library's negotiation runs as on a real kernel, and refuses the
 * ABI probe's poisoned fields as every kernel does; what a command
 * answers past that is up to each fuzzer's handler, usually the fuzz input.
 * It hands out fd numbers and counts them, so a fuzzer can check that the
 * library closes every fd it was given.
 */
#ifndef LIBIOMMUFD_FUZZ_KERNEL_H
#define LIBIOMMUFD_FUZZ_KERNEL_H

#include <sys/types.h>

#include "fuzz.h"
#include "private.h"

#define FK_FIRST_FD 1000
#define FK_MAX_FDS 32

enum fk_fd_kind { FK_FD_FREE, FK_FD_IOMMUFD, FK_FD_DEVICE, FK_FD_QUEUE };

struct fk {
	struct fz *in; /* what handlers answer from */
	/* The struct size this kernel knows per command; 0: it lacks it. */
	uint16_t ksize[UAPI_IOMMUFD_NR_CMDS];
	int release;                          /* what uname() says: IOMMUFD_KVER() */
	unsigned int ran[UAPI_IOMMUFD_NR_CMDS]; /* commands past the size rules */
	unsigned int ioctls;                  /* every ioctl, whatever its fate */
	uint8_t fds[FK_MAX_FDS];              /* enum fk_fd_kind of fd FK_FIRST_FD + i */
	char last_open[64];                   /* the path of the last open() */
	/* An iommufd command past the size rules, on the kernel's copy of the
	 * struct (ksize bytes, zero-filled): 0 (copied back) or -errno.  NULL:
	 * fk_answer(). */
	int (*cmd)(struct fk *k, uint32_t nr, void *arg);
	/* An ioctl on a device fd; NULL: ENOTTY. */
	int (*vfio)(struct fk *k, unsigned long request, void *arg);
	/* read() and write() of a queue fd; NULL: EINVAL. */
	ssize_t (*read)(struct fk *k, int fd, void *buf, size_t len);
	ssize_t (*write)(struct fk *k, int fd, const void *buf, size_t len);
	void *priv;
};

/* Every command at its newest size, uname 7.2, answers from @in. */
void fk_init(struct fk *k, struct fz *in);
/* The kernel of release @kver as the library's command table describes
 * it: the commands and grown fields of that release or older. */
void fk_set_release(struct fk *k, int kver);
/* Per command a size from @in: unknown, any size a release had, or one
 * newer than the library knows. */
void fk_sizes_from_input(struct fk *k);

void fk_install(struct fk *k);
void fk_uninstall(void);

/* A new fd of @kind, or -EMFILE. */
int fk_new_fd(struct fk *k, enum fk_fd_kind kind);
unsigned int fk_open_fds(const struct fk *k);
/* An answer from the input: 0 or one of the errnos commands give. */
int fk_answer(struct fk *k);

#endif
