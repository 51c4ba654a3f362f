/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libiommufd - a C SDK over the Linux iommufd user API (/dev/iommu).
 *
 * Conventions: functions return 0 (or a count) on success and a negative
 * errno on failure, with a sentence in iommufd_ctx_last_error(); kernel
 * object IDs are plain uint32_t; options structs start with size_t sz and
 * are filled with IOMMUFD_OPTS().
 */
#ifndef LIBIOMMUFD_H
#define LIBIOMMUFD_H

#include <libiommufd/common.h>
#include <libiommufd/ctx.h>
#include <libiommufd/ioas.h>
#include <libiommufd/device.h>
#include <libiommufd/hwpt.h>
#include <libiommufd/hw_info.h>
#include <libiommufd/abi.h>
#include <libiommufd/probe.h>
#include <libiommufd/viommu.h>
#include <libiommufd/fault.h>
#include <libiommufd/veventq.h>
#include <libiommufd/ring.h>
#include <libiommufd/dmatest.h>

#endif
