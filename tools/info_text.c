/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iommufd-info's text output: aligned tables for a person to read. */
#include <inttypes.h>
#include <string.h>

#include "info.h"

#define NAME_COL 34 /* command names are at most 29 characters, fields indented 2 */

static const char *rel(uint32_t release, char *buf, size_t len)
{
	const char *s = info_release(release, buf, len);

	return s ? s : "-";
}

static void print_cmd(FILE *out, const struct info_cmd *c)
{
	char r[16], kernel[48];

	if (c->status == INFO_SUPPORTED && c->kernel_size >= 0)
		snprintf(kernel, sizeof(kernel), "supported, %d bytes", c->kernel_size);
	else
		snprintf(kernel, sizeof(kernel), "%s", info_status_name(c->status));
	fprintf(out, "%-*s 0x%02" PRIx32 "  %5" PRIu32 "  %-6s %s\n", NAME_COL, c->desc.name,
		c->desc.nr, c->desc.size, rel(c->desc.release, r, sizeof(r)), kernel);
	for (uint32_t i = 0; i < c->nr_fields; i++) {
		const struct iommufd_field_desc *f = &c->fields[i].desc;

		fprintf(out, "  %-*s @%-3" PRIu32 " %5" PRIu32 "  %-6s %s%s\n", NAME_COL - 2,
			f->name, f->offset, f->size, rel(f->release, r, sizeof(r)),
			info_status_name(c->fields[i].status),
			f->carved ? " (carved field: inferred)" : "");
	}
}

static void print_features(FILE *out, const char *indent, const char *title,
			   const struct info_feature *fs)
{
	char r[16];

	fprintf(out, "%s%-18s %-6s %-10s %s\n", indent, title, "NEEDS", "SUPPORTED", "REASON");
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++) {
		const struct info_feature *feat = &fs[f];

		if (!feat->probed) {
			fprintf(out, "%s%-18s %-6s %-10s %s\n", indent, iommufd_feature_name(f), "-",
				"unknown", feat->error);
			continue;
		}
		fprintf(out, "%s%-18s %-6s %-10s %s\n", indent, iommufd_feature_name(f),
			rel(feat->status.release, r, sizeof(r)),
			feat->status.supported ? "yes" : "no", feat->status.reason);
	}
}

static void print_host(FILE *out, const struct info_host *h)
{
	char r[16];

	fprintf(out, "iommufd-info %s (libiommufd %s)\n", IOMMUFD_INFO_VERSION,
		iommufd_version_string());
	fprintf(out, "kernel   %s\n", h->kernel_release);
	if (h->ctx)
		fprintf(out, "iommufd  %s: open; the kernel's ABI is that of Linux %s or newer\n",
			h->iommu_path, rel((uint32_t)h->abi_release, r, sizeof(r)));
	else
		fprintf(out, "iommufd  %s: not usable: %s\n"
			"         (below: what the library knows; the kernel's answers are unknown)\n",
			h->iommu_path, h->open_error);
	fprintf(out, "\n%-*s %-4s  %5s  %-6s %s\n", NAME_COL, "COMMAND / field", "NR", "SIZE",
		"NEEDS", "KERNEL");
	for (uint32_t i = 0; i < INFO_NR_CMDS; i++)
		print_cmd(out, &h->cmds[i]);
	fputc('\n', out);
	if (h->ctx)
		print_features(out, "", "HOST FEATURE", h->features);
	else
		fprintf(out, "host features: not probed (no iommufd)\n");
}

static void print_caps(FILE *out, const struct iommufd_hw_info *hw)
{
	const char *sep = "";

	if (!hw->capabilities_known) {
		fprintf(out, "unknown (the kernel predates the field)\n");
		return;
	}
	fprintf(out, "0x%" PRIx64 " (", hw->capabilities);
	for (unsigned b = 0; b < 64; b++) {
		const char *name = info_hw_cap_name(1ull << b);

		if (hw->capabilities & (1ull << b)) {
			fprintf(out, "%s%s", sep, name ? name : "?");
			sep = ", ";
		}
	}
	fprintf(out, "%s)\n", *sep ? "" : "none");
}

static void print_hw_info(FILE *out, const struct iommufd_hw_info *hw)
{
	struct info_vendor_reg regs[INFO_MAX_VENDOR_REGS];
	size_t n = info_vendor_regs(hw, regs, INFO_MAX_VENDOR_REGS);

	fprintf(out, "  HW info       %s (0x%" PRIx32 "), %" PRIu32 " bytes of vendor data\n",
		info_hw_info_type_name(hw->type), hw->type, hw->data_len);
	if (n) {
		fprintf(out, "  vendor data  ");
		for (size_t i = 0; i < n; i++)
			fprintf(out, " %s 0x%" PRIx64, regs[i].name, regs[i].value);
		fputc('\n', out);
	}
	fprintf(out, "  capabilities  ");
	print_caps(out, hw);
	if (hw->max_pasid_log2_known)
		fprintf(out, "  PASID width   %" PRIu32 "%s\n", hw->max_pasid_log2,
			hw->max_pasid_log2 ? " bits" : " (no PASID)");
	else
		fprintf(out, "  PASID width   unknown (the kernel predates the field)\n");
}

static void print_device(FILE *out, const struct info_device *d)
{
	fprintf(out, "\nDEVICE %s (%s)", d->path[0] ? d->path : d->name, info_source_name(d->source));
	if (d->pci_address[0])
		fprintf(out, ", PCI %s", d->pci_address);
	if (d->dev_id)
		fprintf(out, ", dev_id %" PRIu32, d->dev_id);
	fputc('\n', out);
	if (d->error.stage)
		fprintf(out, "  error (%s)   %s\n", d->error.stage, d->error.message);
	if (d->has_hw_info)
		print_hw_info(out, &d->hw_info);
	if (d->features_probed)
		print_features(out, "  ", "FEATURE", d->features);
}

int info_print_text(FILE *out, const struct info_host *h, const struct info_devices *ds)
{
	print_host(out, h);
	if (!ds->nr)
		fprintf(out, "\nno devices (none named, none under /dev/vfio/devices, no --mock)\n");
	for (size_t i = 0; i < ds->nr; i++)
		print_device(out, &ds->list[i]);
	return fflush(out) || ferror(out) ? -1 : 0;
}
