/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names iommufd-info prints: the same words in text and JSON. */
#include <string.h>

#include "info.h"

const char *info_status_name(enum info_status s)
{
	switch (s) {
	case INFO_SUPPORTED:
		return "supported";
	case INFO_ABSENT:
		return "absent";
	case INFO_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *info_release(uint32_t release, char *buf, size_t len)
{
	if (!release)
		return NULL;
	snprintf(buf, len, "%u.%u", IOMMUFD_KVER_MAJOR(release), IOMMUFD_KVER_MINOR(release));
	return buf;
}

const char *info_hw_info_type_name(uint32_t type)
{
	switch (type) {
	case IOMMUFD_HW_INFO_NONE:
		return "NONE";
	case IOMMUFD_HW_INFO_INTEL_VTD:
		return "INTEL_VTD";
	case IOMMUFD_HW_INFO_ARM_SMMUV3:
		return "ARM_SMMUV3";
	case IOMMUFD_HW_INFO_TEGRA241_CMDQV:
		return "TEGRA241_CMDQV";
	case IOMMUFD_HW_INFO_AMD:
		return "AMD";
	case IOMMUFD_HW_INFO_SELFTEST:
		return "SELFTEST";
	}
	return "UNKNOWN"; /* a type newer than this library */
}

const char *info_field_dir_name(uint32_t dir)
{
	switch (dir) {
	case IOMMUFD_FIELD_IN:
		return "in";
	case IOMMUFD_FIELD_OUT:
		return "out";
	case IOMMUFD_FIELD_INOUT:
		return "inout";
	}
	return "reserved";
}

const char *info_source_name(enum info_source s)
{
	switch (s) {
	case INFO_FROM_ARGUMENT:
		return "argument";
	case INFO_FROM_SCAN:
		return "scan";
	case INFO_FROM_MOCK:
		break;
	}
	return "mock";
}

const char *info_hw_cap_name(uint64_t bit)
{
	switch (bit) {
	case IOMMUFD_HW_CAP_DIRTY_TRACKING:
		return "DIRTY_TRACKING";
	case IOMMUFD_HW_CAP_PCI_PASID_EXEC:
		return "PCI_PASID_EXEC";
	case IOMMUFD_HW_CAP_PCI_PASID_PRIV:
		return "PCI_PASID_PRIV";
	case IOMMUFD_HW_CAP_PCI_ATS_NOT_SUPPORTED:
		return "PCI_ATS_NOT_SUPPORTED";
	}
	return NULL;
}

const char *info_errno_name(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EUNKNOWN";
}
