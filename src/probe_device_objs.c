/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The objects a device probe allocates to find out, each step reusing what
 * the earlier ones made, and their destruction.  A step tells a refusal
 * (the kernel or the IOMMU said no: EOPNOTSUPP, EINVAL -- an answer) from
 * a failure (ENOMEM, EFAULT, a vanished device...: no answer at all).
 * Everything is destroyed newest first, an object's fd closed before it
 * (the fd holds a reference that would make IOMMU_DESTROY answer EBUSY).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libiommufd/hwpt.h>
#include <libiommufd/ioas.h>
#include <libiommufd/viommu.h>

#include "alloc.h"
#include "probe_device.h"
#include "sys.h"

#define DESTROY_TRIES 3
#define VEVENTQ_DEPTH 1

/* A failure: keep its sentence (the first one) for the final report. */
static int failed(struct pd_session *s, int rc)
{
	if (!s->err[0])
		snprintf(s->err, sizeof(s->err), "%s", iommufd_ctx_last_error(s->ctx));
	return rc;
}

static int refused(struct pd_session *s, const char *what, int rc)
{
	snprintf(s->why, sizeof(s->why), "%s refused: %s", what, strerror(-rc));
	return 0;
}

/* 1, 0 (refused) or the failure, for a call that recorded its sentence. */
static int outcome(struct pd_session *s, int rc, const char *what)
{
	if (!rc)
		return 1;
	if (rc == -EOPNOTSUPP || rc == -EINVAL)
		return refused(s, what, rc);
	return failed(s, rc);
}

/* The same for a command sent as is (@ran: whether the kernel ran it): a
 * command or field the kernel does not know is a refusal too (its sentence
 * names the release). */
static int classify(struct pd_session *s, uint32_t nr, int rc, bool ran, const char *what)
{
	if (!rc)
		return 1;
	if (!ran) {
		snprintf(s->why, sizeof(s->why), "%s", iommufd_ctx_last_error(s->ctx));
		return rc == -EOPNOTSUPP ? 0 : failed(s, rc);
	}
	if (rc == -EOPNOTSUPP || rc == -EINVAL)
		return refused(s, what, rc);
	ifd_fail(s->ctx, -rc, "%s failed: %s", ifd_cmd_lookup(nr)->name, strerror(-rc));
	return failed(s, rc);
}

/* outcome() of a public call that sends command @nr: a command the kernel
 * does not know is a refusal whose sentence names the release, as in
 * classify(). */
static int outcome_of(struct pd_session *s, uint32_t nr, int rc, const char *what)
{
	const struct ifd_cmd_probe *p = &s->ctx->probe[nr - UAPI_IOMMUFD_CMD_FIRST];

	if (rc == -EOPNOTSUPP && atomic_load(&p->known) < 0) {
		snprintf(s->why, sizeof(s->why), "%s", iommufd_ctx_last_error(s->ctx));
		return 0;
	}
	return outcome(s, rc, what);
}

static int raw_cmd(struct pd_session *s, uint32_t nr, void *arg, const char *what)
{
	bool ran = false;
	int rc = ifd_cmd_ran(s->ctx, nr, arg, &ran);

	return classify(s, nr, rc, ran, what);
}

static int destroy(struct pd_session *s, uint32_t id)
{
	int rc = 0;

	for (int i = 0; i < DESTROY_TRIES; i++) {
		rc = iommufd_destroy(s->ctx, id);
		if (!rc || rc == -ENOENT)
			return 0;
	}
	return failed(s, rc);
}

/* Keep @id (and its @fd) for the cleanup. */
static int track(struct pd_session *s, uint32_t id, int fd)
{
	if (s->nr_objs == PD_MAX_OBJS) {
		if (fd >= 0)
			ifd_sys_close(fd);
		destroy(s, id);
		ifd_fail(s->ctx, ENOSPC, "device probe: more than %d objects", PD_MAX_OBJS);
		return failed(s, -ENOSPC);
	}
	s->objs[s->nr_objs++] = (struct pd_obj){ id, fd };
	return 1;
}

int pd_ioas(struct pd_session *s)
{
	uint32_t id;
	int rc;

	if (s->ioas)
		return 1;
	rc = iommufd_ioas_alloc(s->ctx, &id);
	if (rc)
		return failed(s, rc);
	rc = track(s, id, -1);
	if (rc > 0)
		s->ioas = id;
	return rc;
}

static int hwpt(struct pd_session *s, uint32_t pt_id, const struct iommufd_hwpt_alloc_opts *o,
		const char *what, uint32_t *id)
{
	int rc = outcome(s, iommufd_hwpt_alloc(s->ctx, s->dev_id, pt_id, o, id), what);

	return rc > 0 ? track(s, *id, -1) : rc;
}

int pd_paging(struct pd_session *s, uint32_t flags, uint32_t fault_id)
{
	struct iommufd_hwpt_alloc_opts o = { .sz = sizeof(o), .flags = flags, .fault_id = fault_id };
	char what[64];
	uint32_t id;
	int rc = pd_ioas(s);

	if (rc <= 0)
		return rc;
	snprintf(what, sizeof(what), "paging HWPT%s%s%s",
		 flags & IOMMUFD_HWPT_NEST_PARENT ? " NEST_PARENT" : "",
		 flags & IOMMUFD_HWPT_DIRTY_TRACKING ? " DIRTY_TRACKING" : "",
		 fault_id ? " with fault_id" : "");
	return hwpt(s, s->ioas, &o, what, &id);
}

int pd_nest_parent(struct pd_session *s)
{
	struct iommufd_hwpt_alloc_opts o = { .sz = sizeof(o), .flags = IOMMUFD_HWPT_NEST_PARENT };
	uint32_t id;
	int rc;

	if (s->parent)
		return 1;
	rc = pd_ioas(s);
	if (rc > 0)
		rc = hwpt(s, s->ioas, &o, "NEST_PARENT", &id);
	if (rc > 0)
		s->parent = id;
	s->nest_refused = !rc;
	return rc;
}

int pd_viommu(struct pd_session *s)
{
	const uint32_t type = s->vendor->viommu_type;
	uint32_t id;
	int rc;

	if (s->viommu)
		return 1;
	if (!type) {
		snprintf(s->why, sizeof(s->why), "%s",
			 s->vendor->unprobed ? s->vendor->unprobed
					     : "the kernel has no vIOMMU type for this IOMMU");
		return 0;
	}
	rc = pd_nest_parent(s);
	if (rc <= 0)
		return rc;
	rc = iommufd_viommu_alloc(s->ctx, s->dev_id, s->parent, type, NULL, &id);
	rc = outcome_of(s, UAPI_CMD_VIOMMU_ALLOC, rc, "vIOMMU");
	if (rc > 0)
		rc = track(s, id, -1);
	if (rc > 0)
		s->viommu = id;
	return rc;
}

int pd_vdevice(struct pd_session *s, bool *existed)
{
	uint32_t id;
	int rc = pd_viommu(s);

	*existed = false;
	if (rc <= 0 || s->vdevice)
		return rc;
	rc = iommufd_vdevice_alloc(s->ctx, s->viommu, s->dev_id, 0, &id);
	/* A device has one vDEVICE at a time: the caller made one already
	 * (the vIOMMU is the probe's own, so virt_id 0 is free on it). */
	if (rc == -EEXIST) {
		*existed = true;
		return 1;
	}
	rc = outcome_of(s, UAPI_CMD_VDEVICE_ALLOC, rc, "vDEVICE");
	if (rc > 0)
		rc = track(s, id, -1);
	if (rc > 0)
		s->vdevice = id;
	return rc;
}

int pd_nested(struct pd_session *s, uint32_t fault_id, bool via_viommu)
{
	const struct pd_vendor *v = s->vendor;
	struct iommufd_hwpt_alloc_opts o = {
		.sz = sizeof(o),
		.fault_id = fault_id,
		.data_type = v->nested_type,
		.data_len = v->nested_len,
		.data = v->nested_data,
	};
	uint32_t id;
	int rc;

	if (!v->nested_type) {
		snprintf(s->why, sizeof(s->why), "%s",
			 v->unprobed ? v->unprobed : "no nested HWPT data type known for this IOMMU");
		return 0;
	}
	via_viommu = via_viommu || v->nested_via_viommu;
	rc = via_viommu ? pd_viommu(s) : pd_nest_parent(s);
	if (rc <= 0)
		return rc;
	rc = hwpt(s, via_viommu ? s->viommu : s->parent, &o,
		  fault_id ? "nested HWPT with fault_id" : "nested HWPT", &id);
	if (rc > 0)
		s->nested = id;
	return rc;
}

int pd_fault_queue(struct pd_session *s, uint32_t *fault_id)
{
	struct uapi_fault_alloc cmd = { .flags = 0 };
	int rc = raw_cmd(s, UAPI_CMD_FAULT_QUEUE_ALLOC, &cmd, "fault queue");

	if (rc <= 0)
		return rc;
	*fault_id = cmd.out_fault_id;
	return track(s, cmd.out_fault_id, (int)cmd.out_fault_fd);
}

int pd_veventq(struct pd_session *s)
{
	struct uapi_veventq_alloc cmd = {
		.type = s->vendor->veventq_type,
		.veventq_depth = VEVENTQ_DEPTH,
	};
	int rc = pd_viommu(s);

	if (rc <= 0)
		return rc;
	cmd.viommu_id = s->viommu;
	rc = raw_cmd(s, UAPI_CMD_VEVENTQ_ALLOC, &cmd, "vEVENTQ");
	return rc > 0 ? track(s, cmd.out_veventq_id, (int)cmd.out_veventq_fd) : rc;
}

/* One page of memory in the temporary IOAS: the queue's guest memory. */
static int queue_memory(struct pd_session *s, uint64_t *iova)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = page > 0 ? (size_t)page : 4096;
	int rc;

	if (ifd_posix_memalign(&s->queue_mem, len, len)) {
		s->queue_mem = NULL;
		ifd_fail(s->ctx, ENOMEM, "device probe: no memory for a HW queue");
		return failed(s, -ENOMEM);
	}
	memset(s->queue_mem, 0, len);
	s->queue_len = len;
	rc = iommufd_ioas_map(s->ctx, s->ioas, s->queue_mem, len,
			      IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE, iova);
	return rc ? failed(s, rc) : 1;
}

int pd_hw_queue(struct pd_session *s)
{
	uint64_t iova = 0;
	uint32_t id;
	int rc = pd_viommu(s);

	if (rc > 0)
		rc = queue_memory(s, &iova);
	if (rc <= 0)
		return rc;
	rc = iommufd_hw_queue_alloc(s->ctx, s->viommu, s->vendor->hw_queue_type, 0, iova,
				    s->queue_len, &id);
	rc = outcome_of(s, UAPI_CMD_HW_QUEUE_ALLOC, rc, "HW queue");
	return rc > 0 ? track(s, id, -1) : rc;
}

int pd_invalidate(struct pd_session *s, uint32_t *handled, uint32_t *sent)
{
	const struct pd_vendor *v = s->vendor;
	uint32_t id = v->inv_entry ? s->nested : s->viommu;
	int rc;

	*sent = v->inv_entry ? 1 : 0;
	*handled = *sent;
	rc = iommufd_hwpt_invalidate(s->ctx, id, v->inv_type, v->inv_entry, v->inv_len, handled);
	return outcome(s, rc, "invalidation");
}

int pd_hw_info_of_type(struct pd_session *s, uint32_t type)
{
	struct uapi_hw_info cmd = {
		.flags = UAPI_HW_INFO_FLAG_INPUT_TYPE,
		.dev_id = s->dev_id,
		.data_type = type,
	};

	return raw_cmd(s, UAPI_CMD_GET_HW_INFO, &cmd, "GET_HW_INFO of that type");
}

int pd_cleanup(struct pd_session *s)
{
	int first = 0;
	bool ioas_left = false;

	while (s->nr_objs) {
		const struct pd_obj *o = &s->objs[--s->nr_objs];
		int rc;

		if (o->fd >= 0)
			ifd_sys_close(o->fd);
		rc = destroy(s, o->id);
		if (rc && !first)
			first = rc;
		if (rc && o->id == s->ioas)
			ioas_left = true;
	}
	/* Memory still mapped in a surviving IOAS stays allocated. */
	if (!ioas_left)
		free(s->queue_mem);
	s->queue_mem = NULL;
	return first;
}
