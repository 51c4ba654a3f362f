/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one SWIG interface of libiommufd, shared by the Python and the Go
 * binding.  It wraps the public C API as it is; each language turns the
 * result into something idiomatic in a hand-written layer on top, so users
 * never see these raw types.
 *
 * What lives here is language neutral: which headers are wrapped, what is
 * left out, the scalar out-parameters (typemaps.i OUTPUT / INOUT), and
 * constructors that fill the options structs' sz.  What each language
 * needs beyond that -- errors, handles returned through T **, buffers as
 * pointer + length, output structs -- is in python.i (SWIGPYTHON) and
 * go.i (SWIGGO), included below before the headers so their typemaps
 * apply.  Each language picks its module name on the swig command line
 * (-module) when it wants another one than this.
 */
%module libiommufd_c

%{
#include <stdlib.h>
#include <libiommufd/libiommufd.h>
#include <libiommufd/ring.h>
#include <libiommufd/testing.h>
%}

%include <stdint.i>
%include <typemaps.i>

/* Go's typemaps first: go.i redefines the OUTPUT / INOUT typemaps the
 * %apply lines below copy (as exact-width Go pointers). */
#ifdef SWIGGO
%include "go.i"
#endif

/* <sys/types.h> is not parsed: the read/take/batch calls return ssize_t. */
typedef long ssize_t;

/* ---- left out ------------------------------------------------------------ */

/* A C callback; bindings set the level and keep the default (stderr) sink. */
%ignore iommufd_ctx_set_log;
%ignore iommufd_ctx_opts::log_fn;
%ignore iommufd_ctx_opts::log_user_data;
/* The group record points into the caller's array: languages get the
 * group's length and cookie (python.i / go.i), not the pointer. */
%ignore iommufd_fault_group::faults;
/* Macros for C callers only (statement expressions). */
%ignore IOMMUFD_OPTS;
/* Names in the library's command table: read-only. */
%immutable iommufd_cmd_desc::name;
%immutable iommufd_field_desc::name;

/* ---- names ----------------------------------------------------------------- */

/* enum iommufd_dmatest_status shares its name with the function that reads
 * the device's status; SWIG would drop the function for the enum's tag.
 * The tag is renamed (its constants keep their names). */
%rename(iommufd_dmatest_status_e, %$isenum) iommufd_dmatest_status;

/* ---- scalar out-parameters ---------------------------------------------- */

/* Object IDs and counts the C API hands back through a pointer. */
%apply uint32_t *OUTPUT {
	uint32_t *ioas_id, uint32_t *hwpt_id, uint32_t *dev_id, uint32_t *stdev_id,
	uint32_t *viommu_id, uint32_t *vdevice_id, uint32_t *hw_queue_id,
	uint32_t *access_pages_id
};
%apply uint64_t *OUTPUT { uint64_t *unmapped, uint64_t *alignment, uint64_t *value,
			  uint64_t *nr_dirty };
%apply int *OUTPUT { int *access_fd };
/* In and out: an IOVA used as given with FIXED_IOVA, else chosen by the
 * kernel; the invalidation entry count (in: to send, out: handled). */
%apply uint64_t *INOUT { uint64_t *iova, uint64_t *dst_iova };
%apply uint32_t *INOUT { uint32_t *entry_num };
%apply size_t *INOUT { size_t *pos };

/* ---- options structs: born with their sz --------------------------------- */

/* A binding cannot use IOMMUFD_OPTS(); a constructed options struct is
 * zeroed with sz set, which is what the macro does. */
%define IFD_OPTS_CTOR(NAME)
%extend NAME {
	NAME() {
		struct NAME *o = calloc(1, sizeof(*o));
		if (o)
			o->sz = sizeof(*o);
		return o;
	}
	~NAME() { free($self); }
}
%enddef
IFD_OPTS_CTOR(iommufd_ctx_opts)
IFD_OPTS_CTOR(iommufd_bind_opts)
IFD_OPTS_CTOR(iommufd_hwpt_alloc_opts)
IFD_OPTS_CTOR(iommufd_fault_queue_opts)
IFD_OPTS_CTOR(iommufd_veventq_opts)
IFD_OPTS_CTOR(iommufd_viommu_alloc_opts)
IFD_OPTS_CTOR(iommufd_ring_opts)
IFD_OPTS_CTOR(iommufd_dmatest_open_opts)
IFD_OPTS_CTOR(iommufd_dmatest_xfer)
/* An output struct, but its sz is the caller's to set all the same. */
IFD_OPTS_CTOR(iommufd_dmatest_result)

/* Arrays inside output structs, element by element. */
%extend iommufd_region_info {
	uint64_t area_offset(uint32_t i) { return i < IOMMUFD_REGION_MAX_SPARSE ? $self->areas[i].offset : 0; }
	uint64_t area_size(uint32_t i) { return i < IOMMUFD_REGION_MAX_SPARSE ? $self->areas[i].size : 0; }
}
%extend iommufd_hw_info {
	uint8_t raw_byte(uint32_t i) { return i < IOMMUFD_HW_INFO_MAX_DATA ? $self->raw[i] : 0; }
}

/* ---- language parts ------------------------------------------------------ */

#ifdef SWIGPYTHON
%include "python.i"
#endif

/* ---- the API -------------------------------------------------------------- */

/* common.h is not parsed (#include is not followed): its macros, empty. */
#define LIBIOMMUFD_API
#define LIBIOMMUFD_BEGIN_DECLS
#define LIBIOMMUFD_END_DECLS
%include <libiommufd/ctx.h>
%include <libiommufd/ioas.h>
%include <libiommufd/device.h>
%include <libiommufd/hwpt.h>
%include <libiommufd/hw_info.h>
%include <libiommufd/abi.h>
%include <libiommufd/probe.h>
%include <libiommufd/viommu.h>
%include <libiommufd/fault.h>
%include <libiommufd/veventq.h>
%include <libiommufd/ring.h>
%include <libiommufd/dmatest.h>
%include <libiommufd/testing.h>
