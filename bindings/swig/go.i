/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Go part of libiommufd.i (included under SWIGGO, before the scalar
 * out-parameters and the headers, so that the %apply lines there copy the
 * OUTPUT / INOUT typemaps defined here).  The package it makes,
 * bindings/go/internal/cgen, is the Go binding's private low level; only
 * the idiomatic package (bindings/go/iommufd) and its testing subpackage
 * call it.
 *
 *  - C integers keep their width: uint32_t is uint32, not Go's uint.
 *  - Out-parameters are Go pointers (*uint32, *uint64, *int32), not the
 *    stock one-element slices, whose 8-byte elements a 4-byte C pointer
 *    would write half of.
 *  - Opaque handles (struct iommufd_ctx * ...) are uintptr: Go never looks
 *    inside them.  T ** out-parameters are *uintptr.
 *  - Memory is unsafe.Pointer (void *, record arrays, vendor data), so cgo
 *    sees a pointer: Go memory stays put for the call and vet has nothing
 *    to say.  The package passes mmap'ed buffers, Go arrays of record types
 *    laid out as the C ones (checked against the sizes below), or memory it
 *    pinned with runtime.Pinner when a SWIG struct points to it.
 *  - Output structs stay SWIG structs in C memory (NewIommufd_hw_info()...)
 *    read through their getters.
 *  - The C return value comes back as is: the package reads the sentence
 *    (iommufd_ctx_last_error()) on the same OS thread and builds the error.
 */

/* ---- exact-width integers ------------------------------------------------ */

%typemap(gotype) uint8_t, const uint8_t & "uint8"
%typemap(gotype) uint32_t, const uint32_t & "uint32"
%typemap(gotype) int32_t, const int32_t & "int32"
%typemap(gotype) uint64_t, const uint64_t & "uint64"

/* ---- out-parameters as Go pointers --------------------------------------- */

%define IFD_GO_OUT_PTR(TYPE, GOTYPE)
%typemap(gotype) TYPE *OUTPUT, TYPE *INOUT "*GOTYPE"
%typemap(in) TYPE *OUTPUT, TYPE *INOUT %{ $1 = ($1_ltype)$input; %}
%typemap(argout) TYPE *OUTPUT, TYPE *INOUT ""
%typemap(freearg) TYPE *OUTPUT, TYPE *INOUT ""
%enddef
IFD_GO_OUT_PTR(uint32_t, uint32)
IFD_GO_OUT_PTR(uint64_t, uint64)
IFD_GO_OUT_PTR(int, int32)
IFD_GO_OUT_PTR(size_t, uint64)

/* ---- opaque handles -------------------------------------------------------- */

%define IFD_GO_HANDLE(NAME)
%typemap(gotype) struct NAME *, const struct NAME * "uintptr"
%typemap(in) struct NAME *, const struct NAME * %{ $1 = ($1_ltype)$input; %}
%typemap(gotype) struct NAME ** "*uintptr"
%typemap(in) struct NAME ** %{ $1 = ($1_ltype)$input; %}
%typemap(argout) struct NAME ** ""
%enddef
IFD_GO_HANDLE(iommufd_ctx)
IFD_GO_HANDLE(iommufd_device)
IFD_GO_HANDLE(iommufd_fault_queue)
IFD_GO_HANDLE(iommufd_veventq)
IFD_GO_HANDLE(iommufd_fault_ring)
IFD_GO_HANDLE(iommufd_vevent_ring)
IFD_GO_HANDLE(iommufd_dmatest)

/* ---- memory ---------------------------------------------------------------- */

%define IFD_GO_MEMORY(TYPE)
%typemap(gotype) TYPE "unsafe.Pointer"
%typemap(in) TYPE %{ $1 = ($1_ltype)$input; %}
%typemap(out) TYPE %{ $result = (void *)$1; %}
%typemap(goout) TYPE ""
%enddef
IFD_GO_MEMORY(void *)
IFD_GO_MEMORY(const void *)
IFD_GO_MEMORY(const uint8_t *)
IFD_GO_MEMORY(const int32_t *)
/* A buffer the call writes a path into (iommufd_dmatest_path): Go's
 * memory, so not the stock char * freearg, which frees its own copy. */
IFD_GO_MEMORY(char *buf)
%typemap(freearg) char *buf ""
/* Record arrays, read into or sent from Go arrays of the same layout (by
 * parameter name: the SWIG structs' own methods keep their pointers). */
IFD_GO_MEMORY(struct iommufd_fault *faults)
IFD_GO_MEMORY(const struct iommufd_fault *faults)
IFD_GO_MEMORY(const struct iommufd_fault_response *responses)
IFD_GO_MEMORY(struct iommufd_vevent *events)
IFD_GO_MEMORY(struct iommufd_iova_range *ranges)
IFD_GO_MEMORY(const struct iommufd_iova_range *ranges)

/* void **addr (mmap results): the address comes back in a Go variable. */
%typemap(gotype) void ** "*unsafe.Pointer"
%typemap(in) void ** %{ $1 = ($1_ltype)$input; %}
%typemap(argout) void ** ""

/* ---- strings ---------------------------------------------------------------- */

/* A returned string (char *, char[N]) reaches Go as SWIG's malloc'ed
 * copy; the stock conversion turns a uintptr back into a pointer, which vet
 * reports.  This one copies the string into Go memory and frees the C
 * copy, whose address it reads from the string header. */
%go_import("strings")
%typemap(goout) char *, const char *, char[ANY], char[] %{
	{
		p := (*[2]uintptr)(unsafe.Pointer(&$1))[0]
		$result = strings.Clone($1)
		Swig_free(p)
	}
%}

/* ---- what the Go record types must match ---------------------------------- */

%inline %{
/* ifd_go_layout - sizeof (@what 0) or offsetof a field (@what 1..) of the
 * record types the Go package declares itself; -1 for an unknown pair. */
static long ifd_go_layout(const char *type, int what)
{
#define IFD_GO_FIELD(T, N, F) if (!strcmp(type, #T) && what == (N)) return (long)offsetof(struct T, F)
#define IFD_GO_SIZE(T) if (!strcmp(type, #T) && what == 0) return (long)sizeof(struct T)
	IFD_GO_SIZE(iommufd_fault);
	IFD_GO_FIELD(iommufd_fault, 1, dev_id);
	IFD_GO_FIELD(iommufd_fault, 2, pasid);
	IFD_GO_FIELD(iommufd_fault, 3, grpid);
	IFD_GO_FIELD(iommufd_fault, 4, perm);
	IFD_GO_FIELD(iommufd_fault, 5, addr);
	IFD_GO_FIELD(iommufd_fault, 6, length);
	IFD_GO_FIELD(iommufd_fault, 7, cookie);
	IFD_GO_SIZE(iommufd_fault_response);
	IFD_GO_FIELD(iommufd_fault_response, 1, code);
	IFD_GO_SIZE(iommufd_vevent);
	IFD_GO_FIELD(iommufd_vevent, 1, sequence);
	IFD_GO_FIELD(iommufd_vevent, 2, lost);
	IFD_GO_FIELD(iommufd_vevent, 3, data_len);
	IFD_GO_FIELD(iommufd_vevent, 4, data);
	IFD_GO_SIZE(iommufd_iova_range);
	IFD_GO_FIELD(iommufd_iova_range, 1, last);
	IFD_GO_SIZE(iommufd_selftest_invalidate);
	IFD_GO_FIELD(iommufd_selftest_invalidate, 1, iotlb_id);
	IFD_GO_SIZE(iommufd_viommu_selftest_invalidate);
	IFD_GO_FIELD(iommufd_viommu_selftest_invalidate, 1, vdev_id);
	IFD_GO_FIELD(iommufd_viommu_selftest_invalidate, 2, cache_id);
	IFD_GO_SIZE(iommufd_vtd_s1_invalidate);
	IFD_GO_SIZE(iommufd_hwpt_selftest);
	IFD_GO_SIZE(iommufd_hwpt_vtd_s1);
	IFD_GO_SIZE(iommufd_viommu_selftest);
	IFD_GO_FIELD(iommufd_viommu_selftest, 1, out_data);
	IFD_GO_FIELD(iommufd_viommu_selftest, 2, out_mmap_offset);
	IFD_GO_FIELD(iommufd_viommu_selftest, 3, out_mmap_length);
	IFD_GO_SIZE(iommufd_ring_stats); /* its sz, which the caller sets */
#undef IFD_GO_FIELD
#undef IFD_GO_SIZE
	return -1;
}
%}

/* `type` is a Go keyword: the fields of that name read as GetType(). */
%rename(Type) type;

/* A path for iommufd_ctx_opts that the caller owns: the stock char *
 * setter copies into memory nobody frees.  Go passes a pinned,
 * NUL-terminated byte slice; the library reads it during the call only. */
%ignore iommufd_ctx_opts::path;
%extend iommufd_ctx_opts {
	void set_path_ptr(const void *p) { $self->path = p; }
}
