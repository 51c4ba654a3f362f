/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The device's two interrupts (completion, error) on eventfds.  The
 * eventfds are the library's own, non-blocking: a count left from an
 * earlier transfer (one the caller saw end through the registers) is
 * possible at any time, so a readable eventfd is only a reason to look at
 * STATUS again, never an answer by itself.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "dmatest_private.h"

static const char *const irq_names[VFIO_DMATEST_NUM_IRQS] = { "completion", "error" };

int ifd_dt_irqs_setup(struct iommufd_dmatest *dt)
{
	for (uint32_t i = 0; i < VFIO_DMATEST_NUM_IRQS; i++) {
		int32_t fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		int rc;

		if (fd < 0) {
			int err = errno;

			return ifd_dt_fail(dt, err, "iommufd_dmatest_open: eventfd for the %s "
					   "interrupt of %s: %s", irq_names[i], dt->name,
					   strerror(err));
		}
		dt->irq_fd[i] = fd;
		rc = iommufd_device_set_irq_eventfds(dt->dev, i, 0, &fd, 1);
		if (rc)
			return rc;
	}
	return 0;
}

void ifd_dt_irqs_close(struct iommufd_dmatest *dt)
{
	for (uint32_t i = 0; i < VFIO_DMATEST_NUM_IRQS; i++) {
		if (dt->irq_fd[i] >= 0)
			close(dt->irq_fd[i]);
		dt->irq_fd[i] = -1;
	}
}

/* A non-blocking eventfd read fails only with EAGAIN (count 0). */
static void drain(int fd)
{
	uint64_t count;

	while (read(fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
}

void ifd_dt_irqs_drain(struct iommufd_dmatest *dt)
{
	for (uint32_t i = 0; i < VFIO_DMATEST_NUM_IRQS; i++)
		drain(dt->irq_fd[i]);
}

int ifd_dt_irqs_poll(struct iommufd_dmatest *dt, int timeout_ms)
{
	struct pollfd p[VFIO_DMATEST_NUM_IRQS];
	int n;

	for (uint32_t i = 0; i < VFIO_DMATEST_NUM_IRQS; i++)
		p[i] = (struct pollfd){ .fd = dt->irq_fd[i], .events = POLLIN };
	n = poll(p, VFIO_DMATEST_NUM_IRQS, timeout_ms);
	if (n < 0) {
		int err = errno;

		return ifd_dt_fail(dt, err, "iommufd_dmatest_wait: poll of the interrupt "
				   "eventfds of %s: %s", dt->name, strerror(err));
	}
	for (uint32_t i = 0; i < VFIO_DMATEST_NUM_IRQS; i++)
		if (p[i].revents & POLLIN)
			drain(p[i].fd);
	return 0;
}
