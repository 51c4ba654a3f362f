/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd-info's model: what was found about the host and each device,
 * gathered once (info_host.c, info_device.c) and then rendered as text
 * (info_text.c) or JSON (info_json.c).  The exit codes are part of the
 * tool's documented interface (tools/README.md).
 */
#ifndef IOMMUFD_TOOLS_INFO_H
#define IOMMUFD_TOOLS_INFO_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/testing.h>

/* Bumped only when a key is renamed, removed or changes meaning. */
#define INFO_SCHEMA_VERSION 1

enum info_exit {
	INFO_EXIT_OK = 0,
	INFO_EXIT_USAGE = 1,
	INFO_EXIT_NO_IOMMUFD = 2, /* /dev/iommu absent or not openable */
	INFO_EXIT_DEVICE = 3,     /* a device could not be opened, bound or probed */
	INFO_EXIT_MOCK = 4,       /* --mock: no selftest mock, or no mock device made */
	INFO_EXIT_INTERNAL = 5,   /* out of memory, output not written */
};

/* What the kernel says of a command or field. */
enum info_status {
	INFO_UNKNOWN = 0, /* no iommufd to ask, or the probe failed */
	INFO_SUPPORTED,
	INFO_ABSENT,
};

struct info_field {
	struct iommufd_field_desc desc;
	enum info_status status;
};

struct info_cmd {
	struct iommufd_cmd_desc desc;
	enum info_status status;
	int kernel_size;            /* the kernel's struct size; -1: unknown */
	uint32_t nr_fields;         /* reserved fields left out */
	struct info_field *fields;
};

/* One answer of the feature probe; when the probe itself failed, @error. */
struct info_feature {
	uint32_t feature;
	bool probed;
	struct iommufd_feature_status status;
	char error[256];
};

#define INFO_NR_CMDS (IOMMUFD_CMD_ID_LAST - IOMMUFD_CMD_ID_FIRST + 1)

struct info_host {
	char kernel_release[65];
	const char *iommu_path;
	struct iommufd_ctx *ctx;    /* NULL: /dev/iommu could not be opened */
	int open_errno;
	char open_error[256];
	int abi_release;            /* IOMMUFD_KVER(); 0: unknown */
	struct info_cmd cmds[INFO_NR_CMDS];
	struct info_feature features[IOMMUFD_FEATURE_COUNT];
};

enum info_source {
	INFO_FROM_ARGUMENT, /* named on the command line */
	INFO_FROM_SCAN,     /* found under /dev/vfio/devices */
	INFO_FROM_MOCK,     /* --mock */
};

/* Where a device's inspection stopped, and why. */
struct info_error {
	const char *stage;  /* NULL: no error; else "iommufd", "open", "bind", ... */
	int err;            /* positive errno */
	char message[256];
};

struct info_device {
	enum info_source source;
	char name[PATH_MAX];        /* as given, or the path found, or "mock..." */
	char path[PATH_MAX];        /* the cdev, "" when none */
	char pci_address[NAME_MAX + 1]; /* "" when not a PCI device or unknown */
	dev_t rdev;                 /* of the cdev, to show each device once */
	uint32_t dev_id;            /* 0: not bound */
	struct info_error error;
	bool has_hw_info;
	struct iommufd_hw_info hw_info;
	bool features_probed;
	struct info_feature features[IOMMUFD_FEATURE_COUNT];
};

struct info_devices {
	size_t nr, cap;
	struct info_device *list;
};

/* What the command line asked for (info_args.c). */
struct info_args {
	bool json;
	bool all_devices;
	const char *mock;       /* NULL: no mock device; else its kind's name */
	uint32_t mock_flags;
	const char *iommu_path; /* NULL: /dev/iommu */
	int nr_devices;
	char **devices;         /* cdev paths or PCI addresses */
};

/* info_args.c */
enum info_args_result { INFO_ARGS_RUN, INFO_ARGS_DONE, INFO_ARGS_BAD };
enum info_args_result info_parse_args(int argc, char **argv, struct info_args *a);

/* info_host.c: 0, or -ENOMEM.  Without /dev/iommu the table is still
 * filled, every status unknown. */
int info_host_collect(struct info_host *h, const char *iommu_path);
void info_host_release(struct info_host *h);

/* info_device.c: each returns 0, or -ENOMEM; a device that could not be
 * inspected is recorded with its error. */
int info_add_named_device(struct info_devices *ds, struct info_host *h, const char *name);
int info_add_scanned_devices(struct info_devices *ds, struct info_host *h);
int info_add_mock_device(struct info_devices *ds, struct info_host *h, const char *kind,
			 uint32_t flags);
void info_devices_release(struct info_devices *ds);

/* info_cdev.c: the cdev path and PCI address of an open VFIO cdev. */
void info_cdev_describe(int fd, struct info_device *d);

/* info_names.c */
const char *info_status_name(enum info_status s);
const char *info_release(uint32_t release, char *buf, size_t len); /* "6.11"; 0: NULL */
const char *info_hw_info_type_name(uint32_t type);
const char *info_field_dir_name(uint32_t dir);
const char *info_source_name(enum info_source s);
/* The name of capability bit @bit (a single bit), or NULL. */
const char *info_hw_cap_name(uint64_t bit);
const char *info_errno_name(int err);

/* info_vendor.c: the vendor data as the library decodes it. */
#define INFO_MAX_VENDOR_REGS 9
struct info_vendor_reg {
	const char *name;  /* "cap_reg", "idr0", "test_reg"... */
	uint64_t value;
	unsigned bits;     /* 32 or 64 */
};
size_t info_vendor_regs(const struct iommufd_hw_info *hw, struct info_vendor_reg *regs,
			size_t max);
/* The vendor bytes the library holds (at most IOMMUFD_HW_INFO_MAX_DATA),
 * as lower-case hex in @buf; -1 when @len is too small. */
#define INFO_RAW_HEX_LEN (2 * IOMMUFD_HW_INFO_MAX_DATA + 1)
int info_vendor_raw_hex(const struct iommufd_hw_info *hw, char *buf, size_t len);

/* info_text.c / info_json.c: 0, or -1 when the output could not be written. */
int info_print_text(FILE *out, const struct info_host *h, const struct info_devices *ds);
int info_print_json(FILE *out, const struct info_host *h, const struct info_devices *ds,
		    int exit_code);

#endif
