/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fuzz_kernel.h"
#include "sys.h"

/* Larger than any iommufd command struct, and than a probe's buffer. */
#define KBUF 512

static bool is_growth(const struct ifd_cmd *cmd, const struct ifd_field *f)
{
	return !f->carved && f->offset >= cmd->first_size;
}

void fk_set_release(struct fk *k, int kver)
{
	for (uint32_t nr = UAPI_IOMMUFD_CMD_FIRST; nr <= UAPI_IOMMUFD_CMD_LAST; nr++) {
		const struct ifd_cmd *cmd = ifd_cmd_lookup(nr);
		uint16_t size = cmd->release <= kver ? cmd->first_size : 0;

		for (uint32_t i = 0; size && i < cmd->nr_fields; i++) {
			const struct ifd_field *f = &cmd->fields[i];

			if (is_growth(cmd, f) && f->release <= kver && f->offset + f->size > size)
				size = f->offset + f->size;
		}
		k->ksize[nr - UAPI_IOMMUFD_CMD_FIRST] = size;
	}
	k->release = kver;
}

void fk_init(struct fk *k, struct fz *in)
{
	memset(k, 0, sizeof(*k));
	k->in = in;
	fk_set_release(k, IOMMUFD_KVER(7, 2));
}

/* Size choice @sel of @cmd: 0 (no such command), the first size, the end of
 * each grown field, or 8 bytes more than the library knows. */
static uint16_t size_choice(const struct ifd_cmd *cmd, uint8_t sel)
{
	uint16_t sizes[2 + 32];
	unsigned int n = 0;

	sizes[n++] = 0;
	sizes[n++] = cmd->first_size;
	for (uint32_t i = 0; i < cmd->nr_fields && n < 33; i++)
		if (is_growth(cmd, &cmd->fields[i]))
			sizes[n++] = cmd->fields[i].offset + cmd->fields[i].size;
	sizes[n++] = cmd->size + 8;
	return sizes[sel % n];
}

void fk_sizes_from_input(struct fk *k)
{
	for (uint32_t nr = UAPI_IOMMUFD_CMD_FIRST; nr <= UAPI_IOMMUFD_CMD_LAST; nr++)
		k->ksize[nr - UAPI_IOMMUFD_CMD_FIRST] = size_choice(ifd_cmd_lookup(nr), fz_u8(k->in));
}

int fk_answer(struct fk *k)
{
	static const int errnos[] = { 0, ENOENT, EINVAL, EOPNOTSUPP, EBUSY, ENOMEM, EFAULT,
				      EOVERFLOW, ENODEV, EEXIST, EPERM, E2BIG, ENOSPC };

	return -errnos[fz_u8(k->in) % (sizeof(errnos) / sizeof(errnos[0]))];
}

int fk_new_fd(struct fk *k, enum fk_fd_kind kind)
{
	for (int i = 0; i < FK_MAX_FDS; i++)
		if (k->fds[i] == FK_FD_FREE) {
			k->fds[i] = (uint8_t)kind;
			return FK_FIRST_FD + i;
		}
	return -EMFILE;
}

unsigned int fk_open_fds(const struct fk *k)
{
	unsigned int n = 0;

	for (int i = 0; i < FK_MAX_FDS; i++)
		n += k->fds[i] != FK_FD_FREE;
	return n;
}

static enum fk_fd_kind fd_kind(const struct fk *k, int fd)
{
	if (fd < FK_FIRST_FD || fd >= FK_FIRST_FD + FK_MAX_FDS)
		return FK_FD_FREE;
	return k->fds[fd - FK_FIRST_FD];
}

static int fk_open(void *priv, const char *path, int flags)
{
	struct fk *k = priv;

	(void)flags;
	snprintf(k->last_open, sizeof(k->last_open), "%s", path);
	if (!strcmp(path, "/dev/iommu"))
		return fk_new_fd(k, FK_FD_IOMMUFD);
	if (!strncmp(path, "/dev/vfio/devices/", 18))
		return fk_new_fd(k, FK_FD_DEVICE);
	return -ENOENT;
}

static int fk_close(void *priv, int fd)
{
	struct fk *k = priv;

	if (fd_kind(k, fd) == FK_FD_FREE)
		return -EBADF;
	k->fds[fd - FK_FIRST_FD] = FK_FD_FREE;
	return 0;
}

/* The ABI probe poisons a field (flags, usually) so the command fails
 * before it acts; every kernel checks those first.  Acting on a probe
 * (making a queue and its fd, say) would be a kernel bug, not the
 * library's, so this kernel refuses them as a real one does. */
static bool poisoned(const struct ifd_cmd *cmd, const unsigned char *arg, uint32_t usize)
{
	if (!cmd->poison_size || cmd->poison_offset + cmd->poison_size > usize)
		return false;
	for (uint32_t i = 0; i < cmd->poison_size; i++)
		if (arg[cmd->poison_offset + i] != 0xff)
			return false;
	return true;
}

/* iommufd_fops_ioctl(): the size rules, then the command on a kernel copy. */
static int iommufd_ioctl(struct fk *k, uint32_t nr, void *arg)
{
	const struct ifd_cmd *cmd;
	unsigned char kbuf[KBUF] = { 0 };
	uint32_t usize, ksize, copy;
	int rc;

	if (nr < UAPI_IOMMUFD_CMD_FIRST || nr > UAPI_IOMMUFD_CMD_LAST)
		return -ENOTTY;
	cmd = ifd_cmd_lookup(nr);
	ksize = k->ksize[nr - UAPI_IOMMUFD_CMD_FIRST];
	if (!ksize)
		return -ENOTTY;
	if (ksize > KBUF)
		abort();
	memcpy(&usize, arg, sizeof(usize));
	if (usize < cmd->first_size)
		return -EINVAL;
	for (uint32_t i = ksize; i < usize; i++)
		if (((const unsigned char *)arg)[i])
			return -E2BIG;
	if (poisoned(cmd, arg, usize))
		return -EOPNOTSUPP;
	copy = usize < ksize ? usize : ksize;
	memcpy(kbuf, arg, copy);
	k->ran[nr - UAPI_IOMMUFD_CMD_FIRST]++;
	rc = k->cmd ? k->cmd(k, nr, kbuf) : fk_answer(k);
	if (!rc)
		memcpy(arg, kbuf, copy);
	return rc;
}

static int fk_ioctl(void *priv, int fd, unsigned long request, void *arg)
{
	struct fk *k = priv;

	k->ioctls++;
	switch (fd_kind(k, fd)) {
	case FK_FD_IOMMUFD:
		if (_IOC_TYPE(request) != UAPI_IOMMUFD_TYPE)
			return -ENOTTY;
		return iommufd_ioctl(k, _IOC_NR(request), arg);
	case FK_FD_DEVICE:
		return k->vfio ? k->vfio(k, request, arg) : -ENOTTY;
	case FK_FD_QUEUE:
		return -ENOTTY;
	default:
		return -EBADF;
	}
}

static ssize_t fk_read(void *priv, int fd, void *buf, size_t len)
{
	struct fk *k = priv;

	if (fd_kind(k, fd) == FK_FD_FREE)
		return -EBADF;
	return k->read ? k->read(k, fd, buf, len) : -EINVAL;
}

static ssize_t fk_write(void *priv, int fd, const void *buf, size_t len)
{
	struct fk *k = priv;

	if (fd_kind(k, fd) == FK_FD_FREE)
		return -EBADF;
	return k->write ? k->write(k, fd, buf, len) : -EINVAL;
}

static int fk_kernel_release(void *priv)
{
	return ((struct fk *)priv)->release;
}

/* The address handed out for mmap: never touched, only compared. */
static int fk_mmap(void *priv, size_t len, int prot, int flags, int fd, uint64_t offset,
		   void **addr)
{
	struct fk *k = priv;

	(void)len, (void)prot, (void)flags, (void)offset;
	if (fd_kind(k, fd) == FK_FD_FREE)
		return -EBADF;
	*addr = (void *)(uintptr_t)0x7f0000000000ull;
	return 0;
}

static int fk_munmap(void *priv, void *addr, size_t len)
{
	(void)priv, (void)len;
	return addr == (void *)(uintptr_t)0x7f0000000000ull ? 0 : -EINVAL;
}

static struct ifd_sys_ops ops = {
	.open = fk_open,
	.close = fk_close,
	.ioctl = fk_ioctl,
	.read = fk_read,
	.write = fk_write,
	.kernel_release = fk_kernel_release,
	.mmap = fk_mmap,
	.munmap = fk_munmap,
};

void fk_install(struct fk *k)
{
	ops.priv = k;
	ifd_sys_set(&ops);
}

void fk_uninstall(void)
{
	ifd_sys_set(NULL);
}
