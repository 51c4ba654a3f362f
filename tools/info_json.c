/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iommufd-info --json: the model as one JSON document.  The keys and their
 * meaning are the contract described by iommufd-info.schema.json and
 * tools/README.md (schema_version 1): add keys freely, never rename,
 * remove or change the meaning of one without bumping the version.
 */
#include <inttypes.h>

#include "info.h"
#include "json_writer.h"

static void release(struct json_writer *w, const char *key, uint32_t rel)
{
	char buf[16];

	json_string(w, key, info_release(rel, buf, sizeof(buf)));
}

static void error_object(struct json_writer *w, const char *key, const char *stage, int err,
			 const char *message)
{
	json_begin_object(w, key);
	if (stage)
		json_string(w, "stage", stage);
	json_string(w, "errno", info_errno_name(err));
	json_string(w, "message", message);
	json_end_object(w);
}

static void feature(struct json_writer *w, const struct info_feature *f)
{
	json_begin_object(w, NULL);
	json_string(w, "name", iommufd_feature_name(f->feature));
	if (f->probed) {
		json_bool(w, "supported", f->status.supported);
		release(w, "release", f->status.release);
		json_string(w, "reason", f->status.reason);
		json_null(w, "error");
	} else {
		json_null(w, "supported");
		json_null(w, "release");
		json_null(w, "reason");
		json_string(w, "error", f->error);
	}
	json_end_object(w);
}

static void features(struct json_writer *w, const struct info_feature *fs)
{
	json_begin_array(w, "features");
	for (uint32_t f = 0; f < IOMMUFD_FEATURE_COUNT; f++)
		feature(w, &fs[f]);
	json_end_array(w);
}

static void field(struct json_writer *w, const struct info_field *f)
{
	json_begin_object(w, NULL);
	json_string(w, "name", f->desc.name);
	json_uint(w, "offset", f->desc.offset);
	json_uint(w, "size", f->desc.size);
	release(w, "release", f->desc.release);
	json_string(w, "direction", info_field_dir_name(f->desc.dir));
	json_bool(w, "carved", f->desc.carved);
	json_string(w, "status", info_status_name(f->status));
	json_end_object(w);
}

static void command(struct json_writer *w, const struct info_cmd *c)
{
	json_begin_object(w, NULL);
	json_uint(w, "nr", c->desc.nr);
	json_string(w, "name", c->desc.name);
	release(w, "release", c->desc.release);
	json_uint(w, "first_size", c->desc.first_size);
	json_uint(w, "size", c->desc.size);
	json_string(w, "status", info_status_name(c->status));
	if (c->kernel_size >= 0)
		json_uint(w, "kernel_size", (uint64_t)c->kernel_size);
	else
		json_null(w, "kernel_size");
	json_begin_array(w, "fields");
	for (uint32_t i = 0; i < c->nr_fields; i++)
		field(w, &c->fields[i]);
	json_end_array(w);
	json_end_object(w);
}

static void host(struct json_writer *w, const struct info_host *h)
{
	json_begin_object(w, "host");
	json_string(w, "kernel_release", h->kernel_release);
	json_begin_object(w, "iommufd");
	json_string(w, "path", h->iommu_path);
	json_bool(w, "available", h->ctx != NULL);
	if (h->ctx)
		json_null(w, "error");
	else
		error_object(w, "error", NULL, h->open_errno, h->open_error);
	release(w, "abi_release", (uint32_t)h->abi_release);
	json_end_object(w);
	json_begin_array(w, "commands");
	for (uint32_t i = 0; i < INFO_NR_CMDS; i++)
		command(w, &h->cmds[i]);
	json_end_array(w);
	features(w, h->features);
	json_end_object(w);
}

static void register_hex(struct json_writer *w, const struct info_vendor_reg *r)
{
	char buf[24];

	if (r->bits == 64)
		snprintf(buf, sizeof(buf), "0x%016" PRIx64, r->value);
	else
		snprintf(buf, sizeof(buf), "0x%08" PRIx64, r->value);
	json_string(w, r->name, buf);
}

static void capabilities(struct json_writer *w, const struct iommufd_hw_info *hw)
{
	if (!hw->capabilities_known) {
		json_null(w, "capabilities");
		json_null(w, "capability_names");
		return;
	}
	json_uint(w, "capabilities", hw->capabilities);
	json_begin_array(w, "capability_names");
	for (unsigned b = 0; b < 64; b++) {
		const char *name = info_hw_cap_name(1ull << b);

		if ((hw->capabilities & (1ull << b)) && name)
			json_string(w, NULL, name);
	}
	json_end_array(w);
}

static void hw_info(struct json_writer *w, const struct iommufd_hw_info *hw)
{
	struct info_vendor_reg regs[INFO_MAX_VENDOR_REGS];
	size_t n = info_vendor_regs(hw, regs, INFO_MAX_VENDOR_REGS);
	char raw[INFO_RAW_HEX_LEN];

	json_begin_object(w, "hw_info");
	json_string(w, "type", info_hw_info_type_name(hw->type));
	json_uint(w, "type_value", hw->type);
	json_uint(w, "data_len", hw->data_len);
	capabilities(w, hw);
	if (hw->max_pasid_log2_known)
		json_uint(w, "max_pasid_log2", hw->max_pasid_log2);
	else
		json_null(w, "max_pasid_log2");
	json_begin_object(w, "vendor");
	for (size_t i = 0; i < n; i++)
		register_hex(w, &regs[i]);
	json_end_object(w);
	info_vendor_raw_hex(hw, raw, sizeof(raw));
	json_string(w, "raw", raw);
	json_end_object(w);
}

static void optional_string(struct json_writer *w, const char *key, const char *s)
{
	json_string(w, key, s[0] ? s : NULL);
}

static void device(struct json_writer *w, const struct info_device *d)
{
	json_begin_object(w, NULL);
	json_string(w, "source", info_source_name(d->source));
	json_string(w, "name", d->name);
	optional_string(w, "path", d->path);
	optional_string(w, "pci_address", d->pci_address);
	if (d->dev_id)
		json_uint(w, "dev_id", d->dev_id);
	else
		json_null(w, "dev_id");
	if (d->error.stage)
		error_object(w, "error", d->error.stage, d->error.err, d->error.message);
	else
		json_null(w, "error");
	if (d->has_hw_info)
		hw_info(w, &d->hw_info);
	else
		json_null(w, "hw_info");
	if (d->features_probed)
		features(w, d->features);
	else
		json_null(w, "features");
	json_end_object(w);
}

int info_print_json(FILE *out, const struct info_host *h, const struct info_devices *ds,
		    int exit_code)
{
	struct json_writer w;

	json_writer_init(&w, out);
	json_begin_object(&w, NULL);
	json_uint(&w, "schema_version", INFO_SCHEMA_VERSION);
	json_begin_object(&w, "tool");
	json_string(&w, "name", "iommufd-info");
	json_string(&w, "version", IOMMUFD_INFO_VERSION);
	json_string(&w, "library_version", iommufd_version_string());
	json_end_object(&w);
	json_int(&w, "exit_code", exit_code);
	host(&w, h);
	json_begin_array(&w, "devices");
	for (size_t i = 0; i < ds->nr; i++)
		device(&w, &ds->list[i]);
	json_end_array(&w);
	json_end_object(&w);
	return json_writer_finish(&w);
}
