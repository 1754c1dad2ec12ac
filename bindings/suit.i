/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One SWIG interface for the Python and the Lua bindings of libsuit.
 *
 * The API below is curated: SWIG cannot parse G_DECLARE_*, so every class
 * is an opaque struct with an %extend block that calls the C functions.
 *
 * Ownership rules, which every section keeps:
 *  - a wrapper owns exactly one reference to its object (or boxed value);
 *  - every method of an %extend block that returns an object, a boxed
 *    value, GBytes or a non-const gchar* returns a NEW reference, which the
 *    out typemaps hand to the wrapper (or free after converting);
 *  - const gchar* returns are static or owned by the object and copied.
 */

/** ** Module **/

#if defined(SWIGPYTHON)
%module(docstring="libsuit: secure firmware updates with IETF SUIT manifests") suit
#else
%module suit
#endif

%begin %{
#if defined(SWIGPYTHON)
/* bytes stay bytes: no implicit str <-> char* conversions of binary data */
#define SWIG_PYTHON_STRICT_BYTE_CHAR
#define PY_SSIZE_T_CLEAN
#endif
%}

%{
#include <libsuit/suit.h>
#include <string.h>
%}

/* the names scripts see: no Suit prefix on classes, no SUIT_ on constants;
 * __str__ is Lua's __tostring */
#if defined(SWIGLUA)
%rename(__tostring) __str__;
#endif
%rename("%(strip:[SUIT_])s", %$isenumitem) "";
%rename("%(strip:[SUIT_])s", %$isconstant) "";

/** ** Runtime helpers **/

%{
/* C-level list types, so that the typemaps know what a GPtrArray holds.
 * Each is a GPtrArray that the %extend method returns with transfer full
 * (a new reference to the array; the array's free function, if any,
 * releases the elements). */
typedef GPtrArray SuitKeyList;
typedef GPtrArray SuitStringList;
typedef GPtrArray SuitComponentIdList;
typedef GPtrArray SuitBytesList;
typedef GArray SuitUintList;

/* input: a UUID given as 16 raw bytes or as its text form */
typedef GBytes SuitUuid;

static GBytes *
suit_binding_uuid_from_text(const gchar *text, gsize len)
{
	guint8 raw[16];
	gsize n = 0;

	if (len != 36 || !g_uuid_string_is_valid(text))
		return NULL;
	for (gsize i = 0; i < len && n < 16; i++) {
		gint hi, lo;
		if (text[i] == '-')
			continue;
		hi = g_ascii_xdigit_value(text[i]);
		lo = g_ascii_xdigit_value(text[i + 1]);
		raw[n++] = (guint8)((hi << 4) | lo);
		i++;
	}
	return g_bytes_new(raw, sizeof(raw));
}

/* a GError for an object of the wrong kind given where a store or a
 * fetcher is expected */
static void
suit_binding_set_invalid_argument(GError **error, const gchar *what)
{
	g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "%s", what);
}
%}

#if defined(SWIGPYTHON)
%{
/* the exception classes: suit.Error and one subclass per family, created
 * once in %init; suit_py_error_class[code] is the class of each code */
static PyObject *suit_py_error_base = NULL;
static PyObject *suit_py_error_class[SUIT_ERROR_LAST];

/* sets an attribute to a new reference, which it releases */
static void
suit_py_set_attr_steal(PyObject *obj, const char *name, PyObject *value)
{
	if (value == NULL)
		return;
	PyObject_SetAttrString(obj, name, value);
	Py_DECREF(value);
}

/* raises the Python exception for @error; never replaces an exception that
 * is already set (a callback of the script raised it, and it says more) */
static void
suit_py_raise_gerror(const GError *error)
{
	PyObject *cls = suit_py_error_base;
	PyObject *exc;
	const gchar *id = suit_error_get_id(error);
	gint code = (gint)suit_error_from_id(id);

	if (PyErr_Occurred())
		return;
	if (error->domain == SUIT_ERROR && error->code >= 0 && error->code < SUIT_ERROR_LAST)
		code = error->code;
	if (code >= 0 && code < SUIT_ERROR_LAST && suit_py_error_class[code] != NULL)
		cls = suit_py_error_class[code];
	exc = PyObject_CallFunction(cls, "s", error->message);
	if (exc == NULL)
		return;
	/* errors outside the SUIT domain (cancelled, internal) keep code -1 */
	suit_py_set_attr_steal(exc, "code", PyLong_FromLong(error->domain == SUIT_ERROR ? error->code : -1));
	suit_py_set_attr_steal(exc, "id", PyUnicode_FromString(id));
	suit_py_set_attr_steal(exc, "message", PyUnicode_FromString(error->message));
	PyErr_SetObject(cls, exc);
	Py_DECREF(exc);
}

/* the GError for the Python exception that is set, which it clears:
 * a suit.Error keeps its id, anything else becomes @fallback_code with
 * "TypeName: text" as its message */
static void
suit_py_exception_to_gerror(GError **error, SuitError fallback_code, const gchar *what)
{
	PyObject *type = NULL, *value = NULL, *tb = NULL;
	g_autofree gchar *text = NULL;
	SuitError code = fallback_code;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL) {
		PyObject *str = PyObject_Str(value);
		if (str != NULL) {
			const char *s = PyUnicode_AsUTF8(str);
			if (s != NULL)
				text = g_strdup(s);
			Py_DECREF(str);
		}
		if (suit_py_error_base != NULL && PyObject_IsInstance(value, suit_py_error_base) == 1) {
			PyObject *idobj = PyObject_GetAttrString(value, "id");
			if (idobj != NULL && PyUnicode_Check(idobj)) {
				SuitError c = suit_error_from_id(PyUnicode_AsUTF8(idobj));
				if ((gint)c >= 0 && c < SUIT_ERROR_LAST)
					code = c;
			}
			Py_XDECREF(idobj);
		} else if (type != NULL) {
			g_autofree gchar *tmp = text;
			text = g_strdup_printf("%s: %s", ((PyTypeObject *)type)->tp_name, tmp != NULL ? tmp : "");
		}
	}
	PyErr_Clear();
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	g_set_error(error, SUIT_ERROR, code, "%s: %s", what, text != NULL ? text : "the script failed");
}
%}
#elif defined(SWIGLUA)
%{
/* the metatable of the error values, kept in the registry under this key;
 * the module exposes it as suit.Error */
#define SUIT_LUA_ERROR_MT "suit.Error"

static int
suit_lua_error_tostring(lua_State *L)
{
	const char *id, *message;

	lua_getfield(L, 1, "id");
	lua_getfield(L, 1, "message");
	id = lua_tostring(L, -2);
	message = lua_tostring(L, -1);
	lua_pushfstring(L, "suit.Error: %s: %s", id != NULL ? id : "internal",
			message != NULL ? message : "");
	return 1;
}

static void
suit_lua_push_error_metatable(lua_State *L)
{
	if (luaL_newmetatable(L, SUIT_LUA_ERROR_MT)) {
		lua_pushcfunction(L, suit_lua_error_tostring);
		lua_setfield(L, -2, "__tostring");
		lua_pushvalue(L, -1);
		lua_setfield(L, -2, "__index");
	}
}

/* runs a chunk of Lua with the module table (on top of the stack, in
 * %init) as its argument; a section adds Lua-side helpers this way */
static void
suit_lua_run_prelude(lua_State *L, const char *code)
{
	if (luaL_loadstring(L, code) != LUA_OK)
		lua_error(L);
	lua_pushvalue(L, -2);
	lua_call(L, 1, 0);
}

/* pushes the error value for @error: a table {code=, id=, message=,
 * domain=} with the suit.Error metatable */
static void
suit_lua_push_gerror(lua_State *L, const GError *error)
{
	lua_createtable(L, 0, 4);
	lua_pushinteger(L, error->domain == SUIT_ERROR ? error->code : -1);
	lua_setfield(L, -2, "code");
	lua_pushstring(L, suit_error_get_id(error));
	lua_setfield(L, -2, "id");
	lua_pushstring(L, error->message);
	lua_setfield(L, -2, "message");
	lua_pushstring(L, g_quark_to_string(error->domain));
	lua_setfield(L, -2, "domain");
	suit_lua_push_error_metatable(L);
	lua_setmetatable(L, -2);
}

/* the GError for the Lua error value on top of the stack, which it pops:
 * a suit.Error table keeps its id, anything else becomes @fallback_code */
static void
suit_lua_value_to_gerror(lua_State *L, GError **error, SuitError fallback_code, const gchar *what)
{
	SuitError code = fallback_code;
	g_autofree gchar *text = NULL;

	if (lua_istable(L, -1)) {
		lua_getfield(L, -1, "id");
		if (lua_type(L, -1) == LUA_TSTRING) {
			SuitError c = suit_error_from_id(lua_tostring(L, -1));
			if ((gint)c >= 0 && c < SUIT_ERROR_LAST)
				code = c;
		}
		lua_pop(L, 1);
		lua_getfield(L, -1, "message");
		if (lua_type(L, -1) == LUA_TSTRING)
			text = g_strdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	} else {
		const char *s = luaL_tolstring(L, -1, NULL);
		text = g_strdup(s);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	g_set_error(error, SUIT_ERROR, code, "%s: %s", what, text != NULL ? text : "the script failed");
}
%}
#endif

/** ** Typemaps **/

/* GError **: raised as suit.Error (Python) or as an error value (Lua) */
%typemap(in, numinputs=0) GError **error (GError *tmp = NULL) {
	$1 = &tmp;
}
%typemap(freearg) GError **error {
	g_clear_error($1);
}
#if defined(SWIGPYTHON)
%typemap(argout) GError **error {
	if (*$1 != NULL) {
		Py_XDECREF($result);
		$result = NULL;
		suit_py_raise_gerror(*$1);
		SWIG_fail;
	}
}
#elif defined(SWIGLUA)
%typemap(argout) GError **error {
	if (*$1 != NULL) {
		suit_lua_push_gerror(L, *$1);
		SWIG_fail;
	}
}
#endif

/* pointers a C function requires (it would emit a critical, fatal under
 * G_DEBUG=fatal-criticals): None (nil) is refused before the call.
 * %apply SWIGTYPE *NONNULL { T *name } to the parameters that need it. */
#if defined(SWIGPYTHON)
%typemap(check) SWIGTYPE *NONNULL {
	if ($1 == NULL)
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must not be None");
}
#elif defined(SWIGLUA)
%typemap(check) SWIGTYPE *NONNULL {
	if ($1 == NULL) {
		lua_pushfstring(L, "in method '$symname', argument $argnum must not be nil");
		SWIG_fail;
	}
}
#endif

/* bindings are synchronous and not cancellable (yet) */
%typemap(in, numinputs=0) GCancellable *cancellable {
	$1 = NULL;
}

/* GBytes in: bytes, bytearray, memoryview or any buffer (Python), a string
 * (Lua); always copied, so the script may change its buffer afterwards */
#if defined(SWIGPYTHON)
%typemap(in) GBytes * (Py_buffer view) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) != 0) {
			PyErr_Clear();
			SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be bytes-like");
		}
		$1 = g_bytes_new(view.buf, (gsize)view.len);
		PyBuffer_Release(&view);
	}
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) GBytes * {
	$1 = ($input == Py_None || PyObject_CheckBuffer($input)) ? 1 : 0;
}
%typemap(out) GBytes * {
	if ($1 == NULL) {
		Py_INCREF(Py_None);
		$result = Py_None;
	} else {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data($1, &len);
		$result = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
		g_bytes_unref($1);
	}
}
#elif defined(SWIGLUA)
%typemap(in) GBytes * {
	if (lua_isnoneornil(L, $input)) {
		$1 = NULL;
	} else {
		size_t len = 0;
		const char *data;
		if (lua_type(L, $input) != LUA_TSTRING)
			SWIG_fail_arg("$symname", $argnum, "string");
		data = lua_tolstring(L, $input, &len);
		$1 = g_bytes_new(data, len);
	}
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_STRING) GBytes * {
	$1 = lua_isnoneornil(L, $input) || lua_type(L, $input) == LUA_TSTRING;
}
%typemap(out) GBytes * {
	if ($1 == NULL) {
		lua_pushnil(L);
	} else {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data($1, &len);
		lua_pushlstring(L, data, len);
		g_bytes_unref($1);
	}
	SWIG_arg++;
}
#endif
%typemap(freearg) GBytes * {
	if ($1 != NULL)
		g_bytes_unref($1);
}

/* SuitUuid in: 16 raw bytes or the text form of a UUID */
#if defined(SWIGPYTHON)
%typemap(in) SuitUuid * (Py_buffer view) {
	if (PyUnicode_Check($input)) {
		Py_ssize_t len = 0;
		const char *text = PyUnicode_AsUTF8AndSize($input, &len);
		$1 = text != NULL ? suit_binding_uuid_from_text(text, (gsize)len) : NULL;
		if ($1 == NULL)
			SWIG_exception_fail(SWIG_ValueError, "in method '$symname', argument $argnum is not a UUID");
	} else if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) == 0) {
		if (view.len != 16) {
			PyBuffer_Release(&view);
			SWIG_exception_fail(SWIG_ValueError, "in method '$symname', argument $argnum: a UUID has 16 bytes");
		}
		$1 = g_bytes_new(view.buf, 16);
		PyBuffer_Release(&view);
	} else {
		PyErr_Clear();
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be a UUID string or 16 bytes");
	}
}
#elif defined(SWIGLUA)
%typemap(in, checkfn="lua_isstring") SuitUuid * {
	size_t len = 0;
	const char *data = lua_tolstring(L, $input, &len);
	if (len == 16)
		$1 = g_bytes_new(data, 16);
	else
		$1 = suit_binding_uuid_from_text(data, len);
	if ($1 == NULL) {
		lua_pushfstring(L, "in method '$symname', argument $argnum is not a UUID");
		SWIG_fail;
	}
}
#endif
%typemap(freearg) SuitUuid * {
	if ($1 != NULL)
		g_bytes_unref($1);
}

/* non-const gchar * out: a new string, freed after the copy */
#if defined(SWIGPYTHON)
%typemap(out) gchar * {
	if ($1 == NULL) {
		Py_INCREF(Py_None);
		$result = Py_None;
	} else {
		$result = PyUnicode_FromString($1);
		g_free($1);
	}
}
#elif defined(SWIGLUA)
%typemap(out) gchar * {
	if ($1 == NULL)
		lua_pushnil(L);
	else
		lua_pushstring(L, $1);
	g_free($1);
	SWIG_arg++;
}
#endif

/* gboolean is an int in C; scripts see booleans */
typedef int gboolean;
#if defined(SWIGPYTHON)
%typemap(out) gboolean {
	$result = PyBool_FromLong($1);
}
%typemap(in) gboolean {
	int truth = PyObject_IsTrue($input);
	if (truth < 0)
		SWIG_fail;
	$1 = truth ? TRUE : FALSE;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_BOOL) gboolean {
	$1 = 1;
}
#elif defined(SWIGLUA)
%typemap(out) gboolean {
	lua_pushboolean(L, $1);
	SWIG_arg++;
}
%typemap(in) gboolean {
	$1 = lua_toboolean(L, $input) ? TRUE : FALSE;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_BOOL) gboolean {
	$1 = 1;
}
#endif

/* the GLib integer types are plain C integers */
typedef signed char gint8;
typedef unsigned char guint8;
typedef int gint;
typedef unsigned int guint;
typedef long long gint64;
typedef unsigned long long guint64;
typedef unsigned long gsize;
typedef long gssize;
typedef double gdouble;
typedef char gchar;

/* Lua: integers are Lua integers (SWIG's default makes them floats) and
 * only integral numbers are accepted for them */
#if defined(SWIGLUA)
%{
static gboolean
suit_lua_get_integer(lua_State *L, int idx, lua_Integer *out)
{
	int isnum = 0;
	lua_Integer v = lua_tointegerx(L, idx, &isnum);
	if (!isnum)
		return FALSE;
	*out = v;
	return TRUE;
}
%}
%typemap(in) int, unsigned int, long, unsigned long, long long, unsigned long long,
	     signed char, unsigned char, short, unsigned short {
	lua_Integer v = 0;
	if (!suit_lua_get_integer(L, $input, &v))
		SWIG_fail_arg("$symname", $argnum, "integer");
	$1 = ($1_ltype)v;
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_INTEGER)
	int, unsigned int, long, unsigned long, long long, unsigned long long,
	signed char, unsigned char, short, unsigned short {
	$1 = lua_isinteger(L, $input) || (lua_isnumber(L, $input) && lua_tointegerx(L, $input, NULL) == lua_tonumber(L, $input));
}
%typemap(out) int, unsigned int, long, unsigned long, long long, unsigned long long,
	      signed char, unsigned char, short, unsigned short {
	lua_pushinteger(L, (lua_Integer)$1);
	SWIG_arg++;
}
#endif

/* lists out: Python lists and Lua sequences (1-based). The function
 * suit_binding_item_ITEM converts one element: PyObject *f(gpointer) in
 * Python, void f(lua_State *, gpointer) pushing one value in Lua. The array
 * itself is released. */
%define SUIT_LIST_OUT(LISTTYPE, ITEM)
#if defined(SWIGPYTHON)
%typemap(out) LISTTYPE * {
	$result = PyList_New($1 != NULL ? (Py_ssize_t)$1->len : 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++)
		PyList_SET_ITEM($result, (Py_ssize_t)i, suit_binding_item_ ## ITEM(g_ptr_array_index($1, i)));
	if ($1 != NULL)
		g_ptr_array_unref($1);
}
#elif defined(SWIGLUA)
%typemap(out) LISTTYPE * {
	lua_createtable(L, $1 != NULL ? (int)$1->len : 0, 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++) {
		suit_binding_item_ ## ITEM(L, g_ptr_array_index($1, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if ($1 != NULL)
		g_ptr_array_unref($1);
	SWIG_arg++;
}
#endif
%enddef

/* the item function of a list of wrappers of a GObject or boxed type: each
 * item gets a new reference, owned by its wrapper; use with SUIT_LIST_OUT
 * (at the top level: SWIG does not expand #if in nested macros) */
%define SUIT_OBJECT_ITEM(CTYPE, REF)
%{
#if defined(SWIGPYTHON)
static PyObject *
suit_binding_item_ ## CTYPE(gpointer item)
{
	return SWIG_NewPointerObj(REF(item), SWIGTYPE_p_ ## CTYPE, SWIG_POINTER_OWN);
}
#else
static void
suit_binding_item_ ## CTYPE(lua_State *L, gpointer item)
{
	SWIG_NewPointerObj(L, REF(item), SWIGTYPE_p_ ## CTYPE, 1);
}
#endif
%}
%enddef

%{
#if defined(SWIGPYTHON)
static PyObject *
suit_binding_item_string(gpointer item)
{
	return PyUnicode_FromString((const gchar *)item);
}
static PyObject *
suit_binding_item_bytes(gpointer item)
{
	gsize len = 0;
	gconstpointer data = g_bytes_get_data((GBytes *)item, &len);
	return PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
}
#else
static void
suit_binding_item_string(lua_State *L, gpointer item)
{
	lua_pushstring(L, (const gchar *)item);
}
static void
suit_binding_item_bytes(lua_State *L, gpointer item)
{
	gsize len = 0;
	gconstpointer data = g_bytes_get_data((GBytes *)item, &len);
	lua_pushlstring(L, data, len);
}
#endif
%}
SUIT_LIST_OUT(SuitStringList, string)
SUIT_LIST_OUT(SuitBytesList, bytes)
SUIT_LIST_OUT(SuitKeyList, SuitKey)
SUIT_LIST_OUT(SuitComponentIdList, SuitComponentId)

/* GArray of guint out */
#if defined(SWIGPYTHON)
%typemap(out) SuitUintList * {
	$result = PyList_New($1 != NULL ? (Py_ssize_t)$1->len : 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++)
		PyList_SET_ITEM($result, (Py_ssize_t)i, PyLong_FromUnsignedLong(g_array_index($1, guint, i)));
	if ($1 != NULL)
		g_array_unref($1);
}
#elif defined(SWIGLUA)
%typemap(out) SuitUintList * {
	lua_createtable(L, $1 != NULL ? (int)$1->len : 0, 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++) {
		lua_pushinteger(L, (lua_Integer)g_array_index($1, guint, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if ($1 != NULL)
		g_array_unref($1);
	SWIG_arg++;
}
#endif

/* every object or boxed pointer that an %extend method returns is a new
 * reference: the wrapper owns it */
#if defined(SWIGPYTHON)
%define SUIT_OWNED_RETURN(CTYPE)
%typemap(out) CTYPE * {
	$result = SWIG_NewPointerObj($1, $descriptor(CTYPE *), SWIG_POINTER_OWN);
}
%enddef
#elif defined(SWIGLUA)
%define SUIT_OWNED_RETURN(CTYPE)
%typemap(out) CTYPE * {
	if ($1 == NULL)
		lua_pushnil(L);
	else
		SWIG_NewPointerObj(L, $1, $descriptor(CTYPE *), 1);
	SWIG_arg++;
}
%enddef
#endif

/** ** Enumerations and constants **/

#define G_BEGIN_DECLS
#define G_END_DECLS
#define G_GNUC_CONST
#define G_GNUC_WARN_UNUSED_RESULT
#define SUIT_AVAILABLE_IN_0_1
#define __LIBSUIT_INSIDE__
%ignore suit_digest_algorithm_get_type;
%include "../libsuit/suit-enums.h"
%include "../libsuit/suit-extra-enums.h"

%constant int ERROR_INTERNAL = SUIT_ERROR_INTERNAL;
%constant int ERROR_INVALID_CBOR = SUIT_ERROR_INVALID_CBOR;
%constant int ERROR_LIMIT_EXCEEDED = SUIT_ERROR_LIMIT_EXCEEDED;
%constant int ERROR_UNSUPPORTED_VERSION = SUIT_ERROR_UNSUPPORTED_VERSION;
%constant int ERROR_UNSUPPORTED_ALGORITHM = SUIT_ERROR_UNSUPPORTED_ALGORITHM;
%constant int ERROR_NO_AUTHENTICATION = SUIT_ERROR_NO_AUTHENTICATION;
%constant int ERROR_SIGNATURE_INVALID = SUIT_ERROR_SIGNATURE_INVALID;
%constant int ERROR_DIGEST_MISMATCH = SUIT_ERROR_DIGEST_MISMATCH;
%constant int ERROR_UNSUPPORTED_COMMAND = SUIT_ERROR_UNSUPPORTED_COMMAND;
%constant int ERROR_UNSUPPORTED_PARAMETER = SUIT_ERROR_UNSUPPORTED_PARAMETER;
%constant int ERROR_CONDITION_FAILED = SUIT_ERROR_CONDITION_FAILED;
%constant int ERROR_ROLLBACK = SUIT_ERROR_ROLLBACK;
%constant int ERROR_COMPONENT_UNSUPPORTED = SUIT_ERROR_COMPONENT_UNSUPPORTED;
%constant int ERROR_FETCH_FAILED = SUIT_ERROR_FETCH_FAILED;
%constant int ERROR_WRITE_FAILED = SUIT_ERROR_WRITE_FAILED;
%constant int ERROR_NOT_FOUND = SUIT_ERROR_NOT_FOUND;
%constant int ERROR_PERMISSION_DENIED = SUIT_ERROR_PERMISSION_DENIED;
%constant int ERROR_CONFLICT = SUIT_ERROR_CONFLICT;
%constant int ERROR_INVALID_DATA = SUIT_ERROR_INVALID_DATA;
%constant int ERROR_UNSUPPORTED_ELEMENT = SUIT_ERROR_UNSUPPORTED_ELEMENT;
%constant int ERROR_INVALID_ARGUMENT = SUIT_ERROR_INVALID_ARGUMENT;
%constant int ERROR_NOT_SUPPORTED = SUIT_ERROR_NOT_SUPPORTED;

/** ** Errors **/

%apply SWIGTYPE *NONNULL {
	GBytes *value, GBytes *data, GBytes *part, GBytes *signature, GBytes *blob, GBytes *pem,
	GBytes *secret, GBytes *cbor,
	const char *filename, const char *url, const char *json, const char *name, const char *id,
	SuitKey *key, SuitKeyring *keyring, SuitManifest *manifest, SuitDigest *other, SuitComponentId *other
};

%rename(error_to_id) suit_error_to_id;
%rename(error_from_id) suit_error_from_id;
const char *suit_error_to_id(int code);
int suit_error_from_id(const char *id);

#if defined(SWIGPYTHON)
%init %{
	{
		/* family of each code; the base class gets the rest */
		static const struct {
			const char *name;
			const char *doc;
			SuitError codes[6];
			guint n_codes;
		} families[] = {
			{"ParseError", "The input is not well-formed SUIT, CBOR or COSE.",
			 {SUIT_ERROR_INVALID_CBOR, SUIT_ERROR_LIMIT_EXCEEDED, SUIT_ERROR_UNSUPPORTED_VERSION,
			  SUIT_ERROR_INVALID_DATA, SUIT_ERROR_UNSUPPORTED_ELEMENT}, 5},
			{"SignatureError", "Authentication failed: missing, wrong or unsupported signature.",
			 {SUIT_ERROR_NO_AUTHENTICATION, SUIT_ERROR_SIGNATURE_INVALID, SUIT_ERROR_UNSUPPORTED_ALGORITHM}, 3},
			{"DigestError", "A digest does not match.", {SUIT_ERROR_DIGEST_MISMATCH}, 1},
			{"ProcessingError", "The manifest cannot be applied to this device.",
			 {SUIT_ERROR_UNSUPPORTED_COMMAND, SUIT_ERROR_UNSUPPORTED_PARAMETER, SUIT_ERROR_CONDITION_FAILED,
			  SUIT_ERROR_ROLLBACK, SUIT_ERROR_COMPONENT_UNSUPPORTED}, 5},
			{"TransferError", "Fetching or writing an image failed.",
			 {SUIT_ERROR_FETCH_FAILED, SUIT_ERROR_WRITE_FAILED}, 2},
			{"StateError", "Something is missing, refused or in conflict.",
			 {SUIT_ERROR_NOT_FOUND, SUIT_ERROR_PERMISSION_DENIED, SUIT_ERROR_CONFLICT}, 3},
			{"UsageError", "The call was not valid, or asks for something not supported.",
			 {SUIT_ERROR_INVALID_ARGUMENT, SUIT_ERROR_NOT_SUPPORTED}, 2},
		};
		suit_py_error_base = PyErr_NewExceptionWithDoc("suit.Error",
							       "A libsuit failure, with .code, .id and .message.",
							       NULL, NULL);
		if (suit_py_error_base == NULL)
			return NULL;
		PyModule_AddObject(m, "Error", suit_py_error_base);
		Py_INCREF(suit_py_error_base);
		for (guint c = 0; c < SUIT_ERROR_LAST; c++)
			suit_py_error_class[c] = suit_py_error_base;
		for (guint f = 0; f < G_N_ELEMENTS(families); f++) {
			g_autofree gchar *qualified = g_strdup_printf("suit.%s", families[f].name);
			PyObject *cls = PyErr_NewExceptionWithDoc(qualified, families[f].doc, suit_py_error_base, NULL);
			if (cls == NULL)
				return NULL;
			for (guint c = 0; c < families[f].n_codes; c++)
				suit_py_error_class[families[f].codes[c]] = cls;
			PyModule_AddObject(m, families[f].name, cls);
		}
	}
%}
%pythoncode %{
Error = _suit.Error
ParseError = _suit.ParseError
SignatureError = _suit.SignatureError
DigestError = _suit.DigestError
ProcessingError = _suit.ProcessingError
TransferError = _suit.TransferError
StateError = _suit.StateError
UsageError = _suit.UsageError

_ERROR_FAMILIES = {}


def _error_init(self, message="", id=None):
    """Error(message, id=None): a libsuit error; `id` is a stable error id
    such as "write-failed" (a script store or fetcher raises it to choose
    the error the library reports)."""
    BaseException.__init__(self, message)
    if id is None:
        id = "internal"
    code = error_from_id(id)
    if error_to_id(code) != id:
        id, code = "internal", ERROR_INTERNAL
    self.id = id
    self.code = code
    self.message = message


def _error_str(self):
    return "%s: %s" % (getattr(self, "id", "internal"), getattr(self, "message", ""))


def _error_repr(self):
    return "%s(%r, id=%r)" % (type(self).__name__, getattr(self, "message", ""), getattr(self, "id", "internal"))


Error.__init__ = _error_init
Error.__str__ = _error_str
Error.__repr__ = _error_repr


def error_for_id(id, message=""):
    """The exception of the right family for the error id `id`."""
    return _error_class(id)(message, id=id)


def _error_class(id):
    return _suit._error_class_for_code(error_from_id(id))
%}
%{
static PyObject *
suit_py_error_class_for_code(int code)
{
	PyObject *cls = suit_py_error_base;
	if (code >= 0 && code < SUIT_ERROR_LAST)
		cls = suit_py_error_class[code];
	Py_INCREF(cls);
	return cls;
}
%}
%rename(_error_class_for_code) suit_py_error_class_for_code;
PyObject *suit_py_error_class_for_code(int code);
#elif defined(SWIGLUA)
%{
/* Lua-side helpers of the module, run once with the module table as its
 * argument (-nomoduleglobal: %luacode cannot see the module) */
static const char suit_lua_prelude[] =
	"local suit = ...\n"
	/* suit.error_value(id, message): an error value for the id */
	"function suit.error_value(id, message)\n"
	"  local code = suit.error_from_id(id)\n"
	"  if suit.error_to_id(code) ~= id then id = 'internal'; code = suit.ERROR_INTERNAL end\n"
	"  return setmetatable({ code = code, id = id, message = message or '',\n"
	"                        domain = 'suit-error-quark' }, suit.Error)\n"
	"end\n"
	/* suit.error(id, message): raises it, as a script store or fetcher
	 * does to choose the error that the library reports */
	"function suit.error(id, message)\n"
	"  error(suit.error_value(id, message), 2)\n"
	"end\n"
	"function suit.is_error(value)\n"
	"  return getmetatable(value) == suit.Error\n"
	"end\n";
%}
%init %{
	/* suit.Error: the metatable of the error values */
	suit_lua_push_error_metatable(L);
	lua_setfield(L, -2, "Error");
	suit_lua_run_prelude(L, suit_lua_prelude);
%}
#endif

/** ** API **/

/* The opaque types. Each appears to SWIG as an empty struct; a class has
 * only the constructors its %extend block gives.
 *
 * Mind the order: SWIG applies a class's %extend block where the class is
 * declared (the typedef), so every typemap a class uses must be defined
 * before its typedef. */
SUIT_OWNED_RETURN(SuitKey)
SUIT_OWNED_RETURN(SuitKeyring)
SUIT_OWNED_RETURN(SuitEnvelope)
SUIT_OWNED_RETURN(SuitManifest)
SUIT_OWNED_RETURN(SuitDigest)
SUIT_OWNED_RETURN(SuitComponentId)
%nodefaultctor;
%rename(Digest) SuitDigest;
%rename(ComponentId) SuitComponentId;
%rename(Key) SuitKey;
%rename(Keyring) SuitKeyring;
%rename(Envelope) SuitEnvelope;
typedef struct {} SuitKey;
typedef struct {} SuitKeyring;
typedef struct {} SuitEnvelope;
typedef struct {} SuitDigest;
typedef struct {} SuitComponentId;

SUIT_OBJECT_ITEM(SuitKey, g_object_ref)
SUIT_OBJECT_ITEM(SuitComponentId, suit_component_id_ref)

/** ** Digest **/

%extend SuitDigest {
	/* Digest(algorithm, value): a digest of a known value */
	SuitDigest(int algorithm, GBytes *value) {
		return suit_digest_new(algorithm, value);
	}
	~SuitDigest() {
		suit_digest_unref($self);
	}
	/* Digest.compute(algorithm, data) */
	static SuitDigest *compute(int algorithm, GBytes *data, GError **error) {
		return suit_digest_compute((SuitDigestAlgorithm)algorithm, data, error);
	}
	/* Digest.from_cbor(cbor): a SUIT_Digest */
	static SuitDigest *from_cbor(GBytes *cbor, GError **error) {
		return suit_digest_new_from_cbor(cbor, error);
	}
	GBytes *to_cbor() {
		return suit_digest_to_cbor($self);
	}
	const int algorithm;
	GBytes *const value;
	gchar *const hex;
	gboolean equals(SuitDigest *other) {
		return suit_digest_equal($self, other);
	}
	/* raises DigestError unless @data has this digest */
	void check(GBytes *data, GError **error) {
		suit_digest_check($self, data, error);
	}
	gchar *__str__() {
		return suit_digest_to_hex($self);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __eq__(self, other):
	    return isinstance(other, Digest) and self.equals(other)

	def __hash__(self):
	    return hash((self.algorithm, self.value))

	def __repr__(self):
	    return "Digest(%s, %r)" % (digest_algorithm_to_string(self.algorithm), self.hex)
	%}
#endif
}
%{
static int
SuitDigest_algorithm_get(SuitDigest *self)
{
	return suit_digest_get_algorithm(self);
}
static GBytes *
SuitDigest_value_get(SuitDigest *self)
{
	return g_bytes_ref(suit_digest_get_value(self));
}
static gchar *
SuitDigest_hex_get(SuitDigest *self)
{
	return suit_digest_to_hex(self);
}
%}
%rename(digest_algorithm_to_string) suit_digest_algorithm_to_string;
%rename(digest_algorithm_from_string) suit_digest_algorithm_from_string;
const char *suit_digest_algorithm_to_string(int algorithm);
int suit_digest_algorithm_from_string(const char *name);

/** ** Component identifiers **/

%extend SuitComponentId {
	/* ComponentId(): an empty identifier; append() its byte strings */
	SuitComponentId() {
		return suit_component_id_new();
	}
	~SuitComponentId() {
		suit_component_id_unref($self);
	}
	static SuitComponentId *from_cbor(GBytes *cbor, GError **error) {
		return suit_component_id_new_from_cbor(cbor, error);
	}
	GBytes *to_cbor() {
		return suit_component_id_to_cbor($self);
	}
	void append(GBytes *part) {
		suit_component_id_append($self, part);
	}
	guint length() {
		return suit_component_id_get_length($self);
	}
	/* the byte string at @idx (0-based), or None */
	GBytes *part(guint idx) {
		GBytes *b = suit_component_id_get_part($self, idx);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	SuitBytesList *parts() {
		GPtrArray *parts = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
		for (guint i = 0; i < suit_component_id_get_length($self); i++)
			g_ptr_array_add(parts, g_bytes_ref(suit_component_id_get_part($self, i)));
		return parts;
	}
	gboolean equals(SuitComponentId *other) {
		return suit_component_id_equal($self, other);
	}
	guint hash_value() {
		return suit_component_id_hash($self);
	}
	gchar *__str__() {
		return suit_component_id_to_string($self);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	@classmethod
	def from_parts(cls, parts):
	    """ComponentId.from_parts([b"00"]): an identifier from its byte strings"""
	    cid = cls()
	    for part in parts:
	        cid.append(part)
	    return cid

	def __len__(self):
	    return self.length()

	def __eq__(self, other):
	    return isinstance(other, ComponentId) and self.equals(other)

	def __hash__(self):
	    return self.hash_value()

	def __repr__(self):
	    return "ComponentId(%s)" % str(self)
	%}
#endif
}

/** ** Keys **/

%extend SuitKey {
	~SuitKey() {
		g_object_unref($self);
	}
	/* Key.generate(KEY_TYPE_P256): a new private key */
	static SuitKey *generate(int key_type, GError **error) {
		return suit_key_generate((SuitKeyType)key_type, error);
	}
	/* Key.from_pem(pem): a public or private key in PEM (SPKI, PKCS#8, SEC1) */
	static SuitKey *from_pem(GBytes *pem, GError **error) {
		return suit_key_new_from_pem(pem, error);
	}
	static SuitKey *from_file(const char *filename, GError **error) {
		return suit_key_new_from_file(filename, error);
	}
	/* Key.symmetric(secret): a COSE symmetric key (AES key wrap, HMAC) */
	static SuitKey *symmetric(GBytes *secret, GError **error) {
		return suit_key_new_symmetric(secret, error);
	}
	static SuitKey *from_pkcs11(const char *url, GError **error) {
		return suit_key_new_from_pkcs11_url(url, error);
	}
	const int key_type;
	const gboolean has_private;
	const int default_algorithm;
	/* the COSE kid, or None */
	GBytes *key_id;
	gboolean supports_algorithm(int algorithm) {
		return suit_key_supports_algorithm($self, (SuitCoseAlgorithm)algorithm);
	}
	/* the RFC 9679 thumbprint (32 bytes) */
	GBytes *thumbprint(GError **error) {
		return suit_key_compute_thumbprint($self, error);
	}
	GBytes *export_public_pem(GError **error) {
		return suit_key_export_public_pem($self, error);
	}
	GBytes *export_private_pem(GError **error) {
		return suit_key_export_private_pem($self, error);
	}
	/* the public half as a new key */
	SuitKey *public_key(GError **error) {
		return suit_key_dup_public($self, error);
	}
	GBytes *sign(int algorithm, GBytes *data, GError **error) {
		return suit_key_sign($self, (SuitCoseAlgorithm)algorithm, data, error);
	}
	/* raises SignatureError unless @signature is valid for @data */
	void verify(int algorithm, GBytes *data, GBytes *signature, GError **error) {
		suit_key_verify($self, (SuitCoseAlgorithm)algorithm, data, signature, error);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.Key %s%s>" % ({KEY_TYPE_P256: "P-256", KEY_TYPE_ED25519: "Ed25519", KEY_TYPE_SYMMETRIC: "symmetric"}.get(self.key_type, self.key_type),
	                               " private" if self.has_private else "")
	%}
#endif
}
%{
static int
SuitKey_key_type_get(SuitKey *self)
{
	return suit_key_get_key_type(self);
}
static gboolean
SuitKey_has_private_get(SuitKey *self)
{
	return suit_key_has_private(self);
}
static int
SuitKey_default_algorithm_get(SuitKey *self)
{
	return suit_key_get_default_algorithm(self);
}
static GBytes *
SuitKey_key_id_get(SuitKey *self)
{
	GBytes *kid = suit_key_get_key_id(self);
	return kid != NULL ? g_bytes_ref(kid) : NULL;
}
static void
SuitKey_key_id_set(SuitKey *self, GBytes *kid)
{
	suit_key_set_key_id(self, kid);
}
%}
%rename(cose_algorithm_to_string) suit_cose_algorithm_to_string;
%rename(cose_algorithm_from_string) suit_cose_algorithm_from_string;
const char *suit_cose_algorithm_to_string(int algorithm);
int suit_cose_algorithm_from_string(const char *name);

/** ** Keyrings **/

%extend SuitKeyring {
	SuitKeyring() {
		return suit_keyring_new();
	}
	~SuitKeyring() {
		g_object_unref($self);
	}
	void add(SuitKey *key) {
		suit_keyring_add($self, key);
	}
	/* adds the key of a PEM file */
	void add_from_file(const char *filename, GError **error) {
		suit_keyring_add_from_file($self, filename, error);
	}
	guint size() {
		return suit_keyring_get_size($self);
	}
	SuitKeyList *keys() {
		return g_ptr_array_ref(suit_keyring_get_keys($self));
	}
	/* the keys that can verify a block made with @algorithm and @key_id */
	SuitKeyList *find(int algorithm, GBytes *key_id = NULL) {
		return suit_keyring_find($self, (SuitCoseAlgorithm)algorithm, key_id);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __len__(self):
	    return self.size()

	def __iter__(self):
	    return iter(self.keys())

	def __repr__(self):
	    return "<suit.Keyring with %d keys>" % self.size()
	%}
#endif
}

/** ** Envelopes **/

%extend SuitEnvelope {
	~SuitEnvelope() {
		g_object_unref($self);
	}
	/* Envelope.parse(data, flags=0): decodes the envelope's outer
	 * structure; nothing that depends on the signature is parsed until
	 * verify() */
	static SuitEnvelope *parse(GBytes *blob, int flags = 0, GError **error) {
		return suit_envelope_new_from_bytes(blob, (SuitParseFlags)flags, error);
	}
	/* Envelope.from_json(text): the JSON mirror of `suit inspect --json` */
	static SuitEnvelope *from_json(const char *json, GError **error) {
		return suit_envelope_new_from_json(json, error);
	}
	/* an unsigned envelope for @manifest; sign() it */
	static SuitEnvelope *for_manifest(SuitManifest *manifest, GError **error) {
		return suit_envelope_new_for_manifest(manifest, error);
	}
	/* raises SignatureError (and others) unless a key of @keyring verifies
	 * the envelope */
	void verify(SuitKeyring *keyring, int flags = 0, GError **error) {
		suit_envelope_verify($self, keyring, (SuitVerifyFlags)flags, error);
	}
	const gboolean verified;
	/* the manifest, after verify() */
	SuitManifest *manifest(GError **error) {
		SuitManifest *m = suit_envelope_get_manifest($self, error);
		return m != NULL ? g_object_ref(m) : NULL;
	}
	/* the manifest without verification, for inspection only */
	SuitManifest *peek_manifest(GError **error) {
		SuitManifest *m = suit_envelope_peek_manifest($self, error);
		return m != NULL ? g_object_ref(m) : NULL;
	}
	SuitDigest *const manifest_digest;
	GBytes *const manifest_bytes;
	const guint n_authentication_blocks;
	GBytes *authentication_block(guint idx) {
		GBytes *b = suit_envelope_get_authentication_block($self, idx);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	/* whether the envelope has the SUIT CBOR tag 107 */
	gboolean tagged;
	/* the encoded member @key of the envelope, or None */
	GBytes *member(gint64 key) {
		GBytes *b = suit_envelope_get_member($self, key);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	SuitStringList *integrated_names() {
		return suit_envelope_get_integrated_names($self);
	}
	GBytes *integrated(const char *name) {
		GBytes *b = suit_envelope_get_integrated($self, name);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	void set_integrated(const char *name, GBytes *data) {
		suit_envelope_set_integrated($self, name, data);
	}
	/* adds a COSE_Sign1 authentication block */
	void sign(SuitKey *key, int algorithm = 0, GBytes *key_id = NULL, GError **error) {
		suit_envelope_sign($self, key, (SuitCoseAlgorithm)algorithm, key_id, error);
	}
	void clear_authentication() {
		suit_envelope_clear_authentication($self);
	}
	/* moves the severable member @key out of the envelope */
	void sever(gint64 key, GError **error) {
		suit_envelope_sever($self, key, error);
	}
	GBytes *to_bytes(GError **error) {
		return suit_envelope_to_bytes($self, error);
	}
	gchar *to_json(int flags = 0, GError **error) {
		return suit_envelope_to_json($self, (SuitJsonFlags)flags, error);
	}
	gchar *__str__() {
		return suit_envelope_to_string($self);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __bytes__(self):
	    return self.to_bytes()

	def __repr__(self):
	    digest = self.manifest_digest
	    return "<suit.Envelope manifest %s%s>" % (digest.hex if digest is not None else "?",
	                                             " verified" if self.verified else "")
	%}
#endif
}
%{
static gboolean
SuitEnvelope_verified_get(SuitEnvelope *self)
{
	return suit_envelope_is_verified(self);
}
static SuitDigest *
SuitEnvelope_manifest_digest_get(SuitEnvelope *self)
{
	SuitDigest *d = suit_envelope_get_manifest_digest(self);
	return d != NULL ? suit_digest_ref(d) : NULL;
}
static GBytes *
SuitEnvelope_manifest_bytes_get(SuitEnvelope *self)
{
	GBytes *b = suit_envelope_get_manifest_bytes(self);
	return b != NULL ? g_bytes_ref(b) : NULL;
}
static guint
SuitEnvelope_n_authentication_blocks_get(SuitEnvelope *self)
{
	return suit_envelope_get_n_authentication_blocks(self);
}
static gboolean
SuitEnvelope_tagged_get(SuitEnvelope *self)
{
	return suit_envelope_get_tagged(self);
}
static void
SuitEnvelope_tagged_set(SuitEnvelope *self, gboolean tagged)
{
	suit_envelope_set_tagged(self, tagged);
}
%}

/* the parts below name their own non-null parameters */
%clear GBytes *value, GBytes *data, GBytes *part, GBytes *signature, GBytes *blob, GBytes *pem,
	GBytes *secret, GBytes *cbor,
	const char *filename, const char *url, const char *json, const char *name, const char *id,
	SuitKey *key, SuitKeyring *keyring, SuitManifest *manifest, SuitDigest *other, SuitComponentId *other;

/** ** API: manifests, commands and parameters **/
%include "parts/manifest.i"

/** ** API: authors and reports **/
%include "parts/report.i"

/** ** API: stores **/
%include "parts/store.i"

/** ** API: progress, fetchers and the Firmware Consumer **/
%include "parts/device.i"
