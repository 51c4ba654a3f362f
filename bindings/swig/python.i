/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Python part of libiommufd.i (included under SWIGPYTHON).  The module
 * it makes, libiommufd._libiommufd_c, is the package's private low level:
 *
 *  - a negative errno raises at once, in C, with errno and the SDK's
 *    sentence (iommufd_ctx_last_error() of this thread): the exception
 *    comes from a factory the package registers (_set_error_factory), so
 *    it is the package's own OSError subclass;
 *  - calls that only report success return None, or their out-parameters;
 *    calls that return a count, a value or an fd return it;
 *  - handles returned through T ** come back as opaque objects;
 *  - pointer + length (and record arrays) take any object with the buffer
 *    protocol, writable where the C side writes; the buffer is held only
 *    for the call: the package keeps what must live longer;
 *  - output structs come back as SWIG objects the package turns into its
 *    own types.
 */

%{
#include <errno.h>
#include <string.h>

static PyObject *ifd_py_error_factory;

/* Raise the error of a call that returned @rc < 0, from this thread's
 * sentence. */
static void ifd_py_raise(long rc, const char *fn)
{
	const char *msg = iommufd_ctx_last_error(NULL);
	int err = (int)-rc;

	if (!msg || !*msg)
		msg = strerror(err);
	if (ifd_py_error_factory) {
		PyObject *exc = PyObject_CallFunction(ifd_py_error_factory, "iss", err, msg, fn);

		if (exc) {
			PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
			Py_DECREF(exc);
		}
		return;
	}
	PyObject *args = Py_BuildValue("(is)", err, msg);

	if (args) {
		PyErr_SetObject(PyExc_OSError, args);
		Py_DECREF(args);
	}
}

/* Borrow the memory of @o for one call; @elem > 1 asks for whole records. */
static int ifd_py_get_buffer(PyObject *o, Py_buffer *view, int writable, size_t elem,
			     const char *what)
{
	if (PyObject_GetBuffer(o, view, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) < 0)
		return -1;
	if (elem > 1 && (size_t)view->len % elem) {
		PyErr_Format(PyExc_ValueError,
			     "%s: a buffer of %zd bytes is not a whole number of %zu-byte records",
			     what, view->len, elem);
		PyBuffer_Release(view);
		view->obj = NULL;
		return -1;
	}
	return 0;
}
%}

/* The package registers the callable that makes its exceptions:
 * factory(errno, sentence, function) -> exception instance. */
%inline %{
static void _set_error_factory(PyObject *factory)
{
	Py_XINCREF(factory);
	Py_XDECREF(ifd_py_error_factory);
	ifd_py_error_factory = factory == Py_None ? NULL : factory;
	if (factory == Py_None)
		Py_DECREF(factory);
}
%}

/* ---- returns -------------------------------------------------------------- */

/* Status only: None, or raise. */
%typemap(out) int {
	if ($1 < 0) {
		ifd_py_raise($1, "$symname");
		SWIG_fail;
	}
	$result = SWIG_Py_Void();
}
/* A count, a value or an fd: the number, or raise. */
%typemap(out) ssize_t {
	if ($1 < 0) {
		ifd_py_raise($1, "$symname");
		SWIG_fail;
	}
	$result = PyLong_FromSsize_t($1);
}
%define IFD_PY_VALUE(NAME)
%typemap(out) int NAME {
	if ($1 < 0) {
		ifd_py_raise($1, "$symname");
		SWIG_fail;
	}
	$result = PyLong_FromLong($1);
}
%enddef
IFD_PY_VALUE(iommufd_ctx_fd)
IFD_PY_VALUE(iommufd_ctx_get_log_level)
IFD_PY_VALUE(iommufd_cmd_find_field)
IFD_PY_VALUE(iommufd_probe_cmd)
IFD_PY_VALUE(iommufd_probe_field)
IFD_PY_VALUE(iommufd_probe_kernel_size)
IFD_PY_VALUE(iommufd_probe_release)
IFD_PY_VALUE(iommufd_ioas_iova_ranges)
IFD_PY_VALUE(iommufd_device_fd)
IFD_PY_VALUE(iommufd_fault_queue_fd)
IFD_PY_VALUE(iommufd_veventq_fd)
IFD_PY_VALUE(iommufd_fault_next_group)
IFD_PY_VALUE(iommufd_test_op_supported)
IFD_PY_VALUE(iommufd_fault_ring_eventfd)
IFD_PY_VALUE(iommufd_fault_ring_pump_fd)
IFD_PY_VALUE(iommufd_vevent_ring_eventfd)
IFD_PY_VALUE(iommufd_vevent_ring_pump_fd)
/* A struct member, not a call. */
%typemap(out) int log_level { $result = PyLong_FromLong($1); }

/* ---- handles through T ** ------------------------------------------------- */

%define IFD_PY_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) struct TYPE ** (struct TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) struct TYPE ** {
	$result = SWIG_Python_AppendOutput($result,
		SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $*1_descriptor, 0));
}
%enddef
IFD_PY_HANDLE_OUT(iommufd_ctx)
IFD_PY_HANDLE_OUT(iommufd_device)
IFD_PY_HANDLE_OUT(iommufd_fault_queue)
IFD_PY_HANDLE_OUT(iommufd_veventq)
IFD_PY_HANDLE_OUT(iommufd_fault_ring)
IFD_PY_HANDLE_OUT(iommufd_vevent_ring)

/* Addresses of mmap()ed ranges, as ints (the package wraps them). */
%typemap(in, numinputs=0) void **addr (void *tmp = NULL) { $1 = &tmp; }
%typemap(argout) void **addr {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromVoidPtr(tmp$argnum));
}
%typemap(in) void *addr {
	$1 = PyLong_AsVoidPtr($input);
	if (PyErr_Occurred())
		SWIG_fail;
}

/* ---- output structs ------------------------------------------------------ */

%define IFD_PY_STRUCT_OUT(TYPE, NAME, INIT)
%typemap(in, numinputs=0) struct TYPE *NAME (struct TYPE *tmp = NULL) {
	tmp = calloc(1, sizeof(*tmp));
	if (!tmp) {
		PyErr_NoMemory();
		SWIG_fail;
	}
	INIT;
	$1 = tmp;
}
%typemap(argout) struct TYPE *NAME {
	$result = SWIG_Python_AppendOutput($result,
		SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $1_descriptor, SWIG_POINTER_OWN));
	tmp$argnum = NULL;
}
%typemap(freearg) struct TYPE *NAME { free(tmp$argnum); }
%enddef
IFD_PY_STRUCT_OUT(iommufd_device_info, info, (void)0)
IFD_PY_STRUCT_OUT(iommufd_region_info, info, (void)0)
IFD_PY_STRUCT_OUT(iommufd_irq_info, info, (void)0)
IFD_PY_STRUCT_OUT(iommufd_hw_info, info, (void)0)
IFD_PY_STRUCT_OUT(iommufd_cmd_desc, desc, (void)0)
IFD_PY_STRUCT_OUT(iommufd_field_desc, desc, (void)0)
IFD_PY_STRUCT_OUT(iommufd_feature_status, status, (void)0)
IFD_PY_STRUCT_OUT(iommufd_ring_stats, stats, tmp->sz = sizeof(*tmp))

/* A fault group: (records, cookie); the package knows where it started. */
%typemap(in, numinputs=0) struct iommufd_fault_group *group (struct iommufd_fault_group tmp) {
	memset(&tmp, 0, sizeof(tmp));
	$1 = &tmp;
}
%typemap(argout) struct iommufd_fault_group *group {
	$result = SWIG_Python_AppendOutput($result,
		Py_BuildValue("(II)", tmp$argnum.count, tmp$argnum.cookie));
}

/* ---- buffers ------------------------------------------------------------- */

/* Pointer + length: the bytes of any buffer (writable where C writes). */
%define IFD_PY_BYTES(PTRTYPE, PTR, LENTYPE, LEN, WRITABLE)
%typemap(in) (PTRTYPE PTR, LENTYPE LEN) (Py_buffer view = {0}) {
	if (ifd_py_get_buffer($input, &view, WRITABLE, 1, "$symname") < 0)
		SWIG_fail;
	$1 = ($1_ltype)view.buf;
	$2 = ($2_ltype)view.len;
}
%typemap(freearg) (PTRTYPE PTR, LENTYPE LEN) {
	if (view$argnum.obj)
		PyBuffer_Release(&view$argnum);
}
%enddef
IFD_PY_BYTES(void *, buf, uint64_t, length, 0) /* map: the package checks WRITEABLE */
IFD_PY_BYTES(const void *, buf, uint64_t, length, 0)
IFD_PY_BYTES(void *, buf, size_t, len, 1)
IFD_PY_BYTES(const void *, buf, size_t, len, 0)
IFD_PY_BYTES(void *, bitmap, size_t, bitmap_len, 1)

/* A pointer whose length the call knows from other arguments: the package
 * checks the size before calling. */
%define IFD_PY_POINTER(PTRTYPE, PTR, WRITABLE)
%typemap(in) PTRTYPE PTR (Py_buffer view = {0}) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (ifd_py_get_buffer($input, &view, WRITABLE, 1, "$symname") < 0)
			SWIG_fail;
		$1 = ($1_ltype)view.buf;
	}
}
%typemap(freearg) PTRTYPE PTR {
	if (view$argnum.obj)
		PyBuffer_Release(&view$argnum);
}
%enddef
IFD_PY_POINTER(const void *, buf, 0)
IFD_PY_POINTER(const void *, bitmap, 0)
IFD_PY_POINTER(const void *, entries, 0)

/* Options members pointing at caller memory: the package keeps the object
 * alive until the call that reads the options has returned. */
%define IFD_PY_MEMBER_POINTER(PTRTYPE, PTR, WRITABLE)
%typemap(in) PTRTYPE PTR (Py_buffer view) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (ifd_py_get_buffer($input, &view, WRITABLE, 1, "$symname") < 0)
			SWIG_fail;
		$1 = ($1_ltype)view.buf;
		PyBuffer_Release(&view);
	}
}
%enddef
IFD_PY_MEMBER_POINTER(const uint8_t *, vf_token, 0)
IFD_PY_MEMBER_POINTER(const void *, data, 0)
IFD_PY_MEMBER_POINTER(void *, data, 1)

/* Record arrays: the count is the buffer's length in records. */
%define IFD_PY_RECORDS(TYPE, PTR, COUNTTYPE, COUNT, WRITABLE)
%typemap(in) (TYPE *PTR, COUNTTYPE COUNT) (Py_buffer view = {0}) {
	if (ifd_py_get_buffer($input, &view, WRITABLE, sizeof(*$1), "$symname") < 0)
		SWIG_fail;
	$1 = ($1_ltype)view.buf;
	$2 = ($2_ltype)(view.len / sizeof(*$1));
}
%typemap(freearg) (TYPE *PTR, COUNTTYPE COUNT) {
	if (view$argnum.obj)
		PyBuffer_Release(&view$argnum);
}
%enddef
IFD_PY_RECORDS(struct iommufd_iova_range, ranges, size_t, max_ranges, 1)
IFD_PY_RECORDS(const struct iommufd_iova_range, ranges, size_t, count, 0)
IFD_PY_RECORDS(struct iommufd_fault, faults, size_t, max, 1)
IFD_PY_RECORDS(const struct iommufd_fault, faults, size_t, count, 0)
IFD_PY_RECORDS(const struct iommufd_fault_response, responses, size_t, count, 0)
IFD_PY_RECORDS(struct iommufd_vevent, events, size_t, max, 1)
IFD_PY_RECORDS(const int32_t, fds, uint32_t, count, 0)

/* ---- opening a context ---------------------------------------------------- */

/* The path lives in a Python object only for this call, so the package
 * opens through this rather than through a struct holding the pointer. */
%ignore iommufd_ctx_opts::path;
%inline %{
static int _ctx_open(const char *path, int log_level, struct iommufd_ctx **ctxp)
{
	IOMMUFD_OPTS(iommufd_ctx_opts, opts, .path = path, .log_level = log_level);

	return iommufd_ctx_open(&opts, ctxp);
}
%}
