/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the rings (ring*.c) need of the queues (fault_queue.c, veventq.c)
 * beyond the public API. */
#ifndef LIBIOMMUFD_EVENTQ_PRIVATE_H
#define LIBIOMMUFD_EVENTQ_PRIVATE_H

#include <libiommufd/fault.h>
#include <libiommufd/veventq.h>

#include "private.h"

/* The context a queue records its failures in. */
IFD_HIDDEN struct iommufd_ctx *ifd_fault_queue_ctx(const struct iommufd_fault_queue *queue);
IFD_HIDDEN struct iommufd_ctx *ifd_veventq_ctx(const struct iommufd_veventq *queue);

#endif
