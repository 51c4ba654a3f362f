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

/* Attach a call's partial progress to the exception being raised. */
static void ifd_py_note_progress(const char *name, unsigned long long done)
{
	PyObject *type, *value, *tb, *n;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	n = PyLong_FromUnsignedLongLong(done);
	if (value && n)
		PyObject_SetAttrString(value, name, n);
	Py_XDECREF(n);
	PyErr_Restore(type, value, tb);
}

/* Add an out-parameter to what a call returns: None (a status) gives way
 * to the first value; more values make a tuple.  (SWIG's own helper
 * changed between 4.1 and 4.3, so the binding keeps one rule of its own.) */
static PyObject *ifd_py_append(PyObject *result, PyObject *obj)
{
	if (!obj) {
		Py_XDECREF(result);
		return NULL;
	}
	if (!result || result == Py_None) {
		Py_XDECREF(result);
		return obj;
	}
	if (!PyTuple_Check(result)) {
		PyObject *t = PyTuple_Pack(2, result, obj);

		Py_DECREF(result);
		Py_DECREF(obj);
		return t;
	}
	Py_ssize_t n = PyTuple_GET_SIZE(result);
	PyObject *t = PyTuple_New(n + 1);

	if (t) {
		for (Py_ssize_t i = 0; i < n; i++) {
			Py_INCREF(PyTuple_GET_ITEM(result, i));
			PyTuple_SET_ITEM(t, i, PyTuple_GET_ITEM(result, i));
		}
		PyTuple_SET_ITEM(t, n, obj);
	} else {
		Py_DECREF(obj);
	}
	Py_DECREF(result);
	return t;
}

/* An integer argument that must fit @max (an unsigned C type). */
static int ifd_py_unsigned(PyObject *o, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;

	if (!PyLong_Check(o)) {
		PyErr_Format(PyExc_TypeError, "expected an int, not %.100s", Py_TYPE(o)->tp_name);
		return -1;
	}
	v = PyLong_AsUnsignedLongLong(o);
	if (v == (unsigned long long)-1 && PyErr_Occurred())
		return -1;
	if (v > max) {
		PyErr_Format(PyExc_OverflowError, "%llu does not fit the argument", v);
		return -1;
	}
	*out = v;
	return 0;
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
IFD_PY_VALUE(iommufd_dmatest_count)
IFD_PY_VALUE(iommufd_dmatest_completion_fd)
IFD_PY_VALUE(iommufd_dmatest_error_fd)
/* Invalidations say how far they got also when they fail: the exception
 * carries it as .handled (the entry at that index is the one refused). */
%define IFD_PY_PROGRESS(NAME, ARG)
%typemap(out) int NAME {
	if ($1 < 0) {
		ifd_py_raise($1, "$symname");
		ifd_py_note_progress("handled", *ARG);
		SWIG_fail;
	}
	$result = SWIG_Py_Void();
}
%enddef
IFD_PY_PROGRESS(iommufd_hwpt_invalidate, arg6)
IFD_PY_PROGRESS(iommufd_viommu_invalidate, arg6)
/* The package opens contexts through _ctx_open (below): name the C call. */
%typemap(out) int _ctx_open {
	if ($1 < 0) {
		ifd_py_raise($1, "iommufd_ctx_open");
		SWIG_fail;
	}
	$result = SWIG_Py_Void();
}
/* A struct member, not a call. */
%typemap(out) int log_level { $result = PyLong_FromLong($1); }

/* ---- out-parameters ---------------------------------------------------------- */

/* The names libiommufd.i gives OUTPUT / INOUT, typed here with
 * ifd_py_append() (see above). */
%define IFD_PY_OUT(CTYPE, NAME, TOPY)
%typemap(in, numinputs=0) CTYPE *NAME (CTYPE tmp = 0) { $1 = &tmp; }
%typemap(argout) CTYPE *NAME {
	$result = ifd_py_append($result, TOPY(tmp$argnum));
	if (!$result)
		SWIG_fail;
}
%enddef
%define IFD_PY_INOUT(CTYPE, NAME, MAX, TOPY)
%typemap(in) CTYPE *NAME (CTYPE tmp = 0) {
	unsigned long long v;

	if (ifd_py_unsigned($input, MAX, &v) < 0)
		SWIG_fail;
	tmp = (CTYPE)v;
	$1 = &tmp;
}
%typemap(argout) CTYPE *NAME {
	$result = ifd_py_append($result, TOPY(tmp$argnum));
	if (!$result)
		SWIG_fail;
}
%enddef
IFD_PY_OUT(uint32_t, ioas_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, hwpt_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, dev_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, stdev_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, viommu_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, vdevice_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, hw_queue_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint32_t, access_pages_id, PyLong_FromUnsignedLong)
IFD_PY_OUT(uint64_t, unmapped, PyLong_FromUnsignedLongLong)
IFD_PY_OUT(uint64_t, alignment, PyLong_FromUnsignedLongLong)
IFD_PY_OUT(uint64_t, value, PyLong_FromUnsignedLongLong)
IFD_PY_OUT(uint64_t, nr_dirty, PyLong_FromUnsignedLongLong)
IFD_PY_OUT(int, access_fd, PyLong_FromLong)
IFD_PY_INOUT(uint64_t, iova, UINT64_MAX, PyLong_FromUnsignedLongLong)
IFD_PY_INOUT(uint64_t, dst_iova, UINT64_MAX, PyLong_FromUnsignedLongLong)
IFD_PY_INOUT(uint32_t, entry_num, UINT32_MAX, PyLong_FromUnsignedLong)
IFD_PY_INOUT(size_t, pos, SIZE_MAX, PyLong_FromSize_t)

/* ---- handles through T ** ------------------------------------------------- */

%define IFD_PY_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) struct TYPE ** (struct TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) struct TYPE ** {
	$result = ifd_py_append($result,
		SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $*1_descriptor, 0));
	if (!$result)
		SWIG_fail;
}
%enddef
IFD_PY_HANDLE_OUT(iommufd_ctx)
IFD_PY_HANDLE_OUT(iommufd_device)
IFD_PY_HANDLE_OUT(iommufd_fault_queue)
IFD_PY_HANDLE_OUT(iommufd_veventq)
IFD_PY_HANDLE_OUT(iommufd_fault_ring)
IFD_PY_HANDLE_OUT(iommufd_vevent_ring)
IFD_PY_HANDLE_OUT(iommufd_dmatest)

/* Addresses of mmap()ed ranges, as ints (the package wraps them). */
%typemap(in, numinputs=0) void **addr (void *tmp = NULL) { $1 = &tmp; }
%typemap(argout) void **addr {
	$result = ifd_py_append($result, PyLong_FromVoidPtr(tmp$argnum));
	if (!$result)
		SWIG_fail;
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
	PyObject *o = SWIG_NewPointerObj(SWIG_as_voidptr(tmp$argnum), $1_descriptor,
					 SWIG_POINTER_OWN);

	if (o)
		tmp$argnum = NULL; /* the object owns it now */
	$result = ifd_py_append($result, o);
	if (!$result)
		SWIG_fail;
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
IFD_PY_STRUCT_OUT(iommufd_dmatest_result, res, tmp->sz = sizeof(*tmp))

/* A fault group: (records, cookie); the package knows where it started. */
%typemap(in, numinputs=0) struct iommufd_fault_group *group (struct iommufd_fault_group tmp) {
	memset(&tmp, 0, sizeof(tmp));
	$1 = &tmp;
}
%typemap(argout) struct iommufd_fault_group *group {
	$result = ifd_py_append($result,
		Py_BuildValue("(II)", tmp$argnum.count, tmp$argnum.cookie));
	if (!$result)
		SWIG_fail;
}

/* A path the call writes into the caller's buffer: returned as a str. */
%typemap(in, numinputs=0) (char *buf, size_t len) (char tmp[4096]) {
	tmp[0] = 0;
	$1 = tmp;
	$2 = sizeof(tmp);
}
%typemap(argout) (char *buf, size_t len) {
	$result = ifd_py_append($result, PyUnicode_DecodeFSDefault(tmp$argnum));
	if (!$result)
		SWIG_fail;
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

/* Record sizes, checked against the package's struct formats at import. */
%constant size_t SIZEOF_IOVA_RANGE = sizeof(struct iommufd_iova_range);
%constant size_t SIZEOF_FAULT = sizeof(struct iommufd_fault);
%constant size_t SIZEOF_FAULT_RESPONSE = sizeof(struct iommufd_fault_response);
%constant size_t SIZEOF_VEVENT = sizeof(struct iommufd_vevent);

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

/* The vendor data of GET_HW_INFO as bytes (as much as the kernel sent). */
%extend iommufd_hw_info {
	PyObject *raw_bytes()
	{
		uint32_t n = $self->data_len < IOMMUFD_HW_INFO_MAX_DATA ? $self->data_len
									  : IOMMUFD_HW_INFO_MAX_DATA;

		return PyBytes_FromStringAndSize((const char *)$self->raw, n);
	}
}
