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

#if defined(SWIGPYTHON)
/* help() shows each method's parameters and types */
%feature("autodoc", "2");
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
/* a GArray of gint64 (parameter and report property keys), released by the out typemap */
typedef GArray SuitInt64List;

/* the value of a getter such as Parameters.get_uint(), or nothing (None / nil) */
typedef struct {
	gboolean found;
	guint64 value;
} SuitOptionalUint;
typedef struct {
	gboolean found;
	gint64 value;
} SuitOptionalInt;
typedef struct {
	gboolean found;
	gboolean value;
} SuitOptionalBool;

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

/* a long call into libsuit (a fetch, a Firmware Consumer procedure) runs
 * without Python's GIL, so that other Python threads (an HTTP server of a
 * test rig, a UI) go on meanwhile; every callback into the script takes
 * the GIL again with PyGILState_Ensure() */
#if defined(SWIGPYTHON)
#define SUIT_BINDING_BLOCKING(call) \
	do { \
		Py_BEGIN_ALLOW_THREADS call; \
		Py_END_ALLOW_THREADS \
	} while (0)
#else
#define SUIT_BINDING_BLOCKING(call) \
	do { \
		call; \
	} while (0)
#endif

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
		/* a suit.Error's own message: str() would repeat its id */
		PyObject *msg = suit_py_error_base != NULL && PyObject_IsInstance(value, suit_py_error_base) == 1
				    ? PyObject_GetAttrString(value, "message")
				    : NULL;
		PyObject *str;
		if (msg != NULL && PyUnicode_Check(msg)) {
			str = msg;
		} else {
			Py_XDECREF(msg);
			PyErr_Clear();
			str = PyObject_Str(value);
		}
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

#if defined(SWIGPYTHON)
/* what help() calls these parameters */
%typemap(doc) GBytes * "$1_name: bytes";
%typemap(doc) SuitUuid * "$1_name: UUID str or 16 bytes";
%typemap(doc) const char * "$1_name: str";
%typemap(doc) gboolean "$1_name: bool";
%typemap(doc) int, unsigned int, long long, unsigned long long, long, unsigned long "$1_name: int";
%typemap(doc) SuitKey * "$1_name: Key";
%typemap(doc) SuitKeyring * "$1_name: Keyring";
%typemap(doc) SuitEnvelope * "$1_name: Envelope";
%typemap(doc) SuitManifest * "$1_name: Manifest";
%typemap(doc) SuitDigest * "$1_name: Digest";
%typemap(doc) SuitComponentId * "$1_name: ComponentId";
%typemap(doc) SuitReport * "$1_name: Report";
%typemap(doc) SuitReportRecord * "$1_name: ReportRecord";
%typemap(doc) SuitReportProperties * "$1_name: ReportProperties";
%typemap(doc) SuitStoreWriter * "$1_name: StoreWriter";
%typemap(doc) SuitProgress * "$1_name: Progress, or a callable(percentage, status), or None";
%typemap(doc) SuitStore * "$1_name: Store, or an object with write(component, data) and read(component)";
%typemap(doc) SuitFetcher * "$1_name: Fetcher, an object with fetch(uri) -> bytes, or None";
#endif

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

/* GArray of gint64 out, and the optional values (None / nil when not found) */
#if defined(SWIGPYTHON)
%typemap(out) SuitInt64List * {
	$result = PyList_New($1 != NULL ? (Py_ssize_t)$1->len : 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++)
		PyList_SET_ITEM($result, (Py_ssize_t)i, PyLong_FromLongLong(g_array_index($1, gint64, i)));
	if ($1 != NULL)
		g_array_unref($1);
}
%typemap(out) SuitOptionalUint {
	if ($1.found) {
		$result = PyLong_FromUnsignedLongLong($1.value);
	} else {
		Py_INCREF(Py_None);
		$result = Py_None;
	}
}
%typemap(out) SuitOptionalInt {
	if ($1.found) {
		$result = PyLong_FromLongLong($1.value);
	} else {
		Py_INCREF(Py_None);
		$result = Py_None;
	}
}
%typemap(out) SuitOptionalBool {
	if ($1.found) {
		$result = PyBool_FromLong($1.value);
	} else {
		Py_INCREF(Py_None);
		$result = Py_None;
	}
}
#elif defined(SWIGLUA)
%typemap(out) SuitInt64List * {
	lua_createtable(L, $1 != NULL ? (int)$1->len : 0, 0);
	for (guint i = 0; $1 != NULL && i < $1->len; i++) {
		lua_pushinteger(L, (lua_Integer)g_array_index($1, gint64, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if ($1 != NULL)
		g_array_unref($1);
	SWIG_arg++;
}
%typemap(out) SuitOptionalUint {
	if ($1.found)
		lua_pushinteger(L, (lua_Integer)$1.value);
	else
		lua_pushnil(L);
	SWIG_arg++;
}
%typemap(out) SuitOptionalInt {
	if ($1.found)
		lua_pushinteger(L, (lua_Integer)$1.value);
	else
		lua_pushnil(L);
	SWIG_arg++;
}
%typemap(out) SuitOptionalBool {
	if ($1.found)
		lua_pushboolean(L, $1.value);
	else
		lua_pushnil(L);
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

/* the sections below name their own non-null parameters */
%clear GBytes *value, GBytes *data, GBytes *part, GBytes *signature, GBytes *blob, GBytes *pem,
	GBytes *secret, GBytes *cbor,
	const char *filename, const char *url, const char *json, const char *name, const char *id,
	SuitKey *key, SuitKeyring *keyring, SuitManifest *manifest, SuitDigest *other, SuitComponentId *other;

/** ** API: manifests, commands and parameters **/
/* Manifests (suit-manifest.h) and their command sequences, commands and
 * parameters (suit-command.h). Every object here is immutable: the
 * wrappers only read. */

%{
/* the lists of this section (see SuitKeyList in suit.i) */
typedef GPtrArray SuitCommandList;
typedef GPtrArray SuitCommandSequenceList;

/* the name functions reject NULL with a critical: None is "unknown" */
static gint64
suit_binding_parameter_from_string(const gchar *name)
{
	return name != NULL ? suit_parameter_from_string(name) : 0;
}
static gint64
suit_binding_command_code_from_string(const gchar *name)
{
	return name != NULL ? suit_command_code_from_string(name) : 0;
}
%}

SUIT_OWNED_RETURN(SuitParameters)
SUIT_OWNED_RETURN(SuitCommand)
SUIT_OWNED_RETURN(SuitCommandSequence)
SUIT_OBJECT_ITEM(SuitCommand, suit_command_ref)
SUIT_OBJECT_ITEM(SuitCommandSequence, suit_command_sequence_ref)
SUIT_LIST_OUT(SuitCommandList, SuitCommand)
SUIT_LIST_OUT(SuitCommandSequenceList, SuitCommandSequence)


/* Manifest.text(key, language=None, component=None) */
%feature("kwargs") SuitManifest::text;

%rename(Manifest) SuitManifest;
%rename(CommandSequence) SuitCommandSequence;
%rename(Command) SuitCommand;
%rename(Parameters) SuitParameters;
typedef struct {} SuitParameters;
typedef struct {} SuitCommand;
typedef struct {} SuitCommandSequence;
typedef struct {} SuitManifest;

%constant unsigned int COMMAND_INDEX_ALL = SUIT_COMMAND_INDEX_ALL;

/** ** Manifests **/

%extend SuitManifest {
	~SuitManifest() {
		g_object_unref($self);
	}
	/* Manifest.parse(data, flags=0): a bare SUIT_Manifest (the content of
	 * the envelope's byte string), not authenticated: use Envelope for
	 * anything that runs */
	static SuitManifest *parse(GBytes *cbor, int flags = 0, GError **error) {
		if (cbor == NULL) {
			suit_binding_set_invalid_argument(error, "a manifest needs its bytes");
			return NULL;
		}
		return suit_manifest_new_from_bytes(cbor, (SuitParseFlags)flags, error);
	}
	/* Manifest.from_json(text): the format of to_json() */
	static SuitManifest *from_json(const char *json, GError **error) {
		if (json == NULL) {
			suit_binding_set_invalid_argument(error, "a manifest needs its JSON");
			return NULL;
		}
		return suit_manifest_new_from_json(json, error);
	}
	GBytes *to_bytes() {
		return suit_manifest_to_bytes($self);
	}
	gchar *to_json(int flags = 0) {
		return suit_manifest_to_json($self, (SuitJsonFlags)flags);
	}
	gchar *__str__() {
		return suit_manifest_to_string($self);
	}
	const guint64 version;
	const guint64 sequence_number;
	/* the reference URI, or None */
	const char *const reference_uri;
	/* the manifest component identifier, or None */
	SuitComponentId *const manifest_component_id;
	/* the components of suit-common, in index order */
	SuitComponentIdList *const components;
	/* the component indices that are dependency manifests */
	SuitUintList *const dependency_indices;
	/* the manifest elements libsuit does not know, each the encoding of a
	 * map {key: value} */
	SuitBytesList *const unknown_elements;
	/* the dependency-prefix of the dependency at component @index, or None */
	SuitComponentId *dependency_prefix(guint index) {
		SuitComponentId *id = suit_manifest_get_dependency_prefix($self, index);
		return id != NULL ? suit_component_id_ref(id) : NULL;
	}
	/* the command sequence of a SECTION_*, or None if absent or severed */
	SuitCommandSequence *sequence(int section) {
		SuitCommandSequence *seq = suit_manifest_get_sequence($self, (SuitSection)section);
		return seq != NULL ? suit_command_sequence_ref(seq) : NULL;
	}
	/* the MEMBER_STATE_* of the manifest element @key */
	int member_state(gint64 key) {
		return suit_manifest_get_member_state($self, key);
	}
	/* the digest of the severable member @key, or None unless severed or
	 * attached */
	SuitDigest *member_digest(gint64 key) {
		SuitDigest *d = suit_manifest_get_member_digest($self, key);
		return d != NULL ? suit_digest_ref(d) : NULL;
	}
	/* a string of suit-text (inline or attached), or None: @key is a text
	 * key (1 manifest-description, or for a @component 3 vendor-domain);
	 * @language None is the first language */
	gchar *text(gint64 key, const char *language = NULL, SuitComponentId *component = NULL) {
		return suit_manifest_dup_text($self, language, component, key);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __bytes__(self):
	    return self.to_bytes()

	def __repr__(self):
	    return "<suit.Manifest sequence number %d, %d components>" % (self.sequence_number, len(self.components))
	%}
#endif
}
%{
static guint64
SuitManifest_version_get(SuitManifest *self)
{
	return suit_manifest_get_version(self);
}
static guint64
SuitManifest_sequence_number_get(SuitManifest *self)
{
	return suit_manifest_get_sequence_number(self);
}
static const char *
SuitManifest_reference_uri_get(SuitManifest *self)
{
	return suit_manifest_get_reference_uri(self);
}
static SuitComponentId *
SuitManifest_manifest_component_id_get(SuitManifest *self)
{
	SuitComponentId *id = suit_manifest_get_manifest_component_id(self);
	return id != NULL ? suit_component_id_ref(id) : NULL;
}
static SuitComponentIdList *
SuitManifest_components_get(SuitManifest *self)
{
	return g_ptr_array_ref(suit_manifest_get_components(self));
}
static SuitUintList *
SuitManifest_dependency_indices_get(SuitManifest *self)
{
	return g_array_ref(suit_manifest_get_dependency_indices(self));
}
static SuitBytesList *
SuitManifest_unknown_elements_get(SuitManifest *self)
{
	return g_ptr_array_ref(suit_manifest_get_unknown_elements(self));
}
%}
%rename(section_to_string) suit_section_to_string;
const char *suit_section_to_string(int section);

/** ** Command sequences **/

%extend SuitCommandSequence {
	~SuitCommandSequence() {
		suit_command_sequence_unref($self);
	}
	/* CommandSequence.from_cbor(cbor): a SUIT_Command_Sequence (the
	 * content of its byte string), parsed strictly */
	static SuitCommandSequence *from_cbor(GBytes *cbor, GError **error) {
		if (cbor == NULL) {
			suit_binding_set_invalid_argument(error, "a command sequence needs its bytes");
			return NULL;
		}
		return suit_command_sequence_new_from_cbor(cbor, error);
	}
	/* the encoding, byte for byte as parsed */
	GBytes *to_cbor() {
		return suit_command_sequence_to_cbor($self);
	}
	guint length() {
		return suit_command_sequence_get_length($self);
	}
	/* the command at @idx (0-based), or None */
	SuitCommand *command(guint idx) {
		SuitCommand *cmd = suit_command_sequence_get_command($self, idx);
		return cmd != NULL ? suit_command_ref(cmd) : NULL;
	}
	/* every command, in order */
	SuitCommandList *commands() {
		guint len = suit_command_sequence_get_length($self);
		GPtrArray *cmds = g_ptr_array_new_full(len, (GDestroyNotify)suit_command_unref);
		for (guint i = 0; i < len; i++)
			g_ptr_array_add(cmds, suit_command_ref(suit_command_sequence_get_command($self, i)));
		return cmds;
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __len__(self):
	    return self.length()

	def __getitem__(self, idx):
	    if isinstance(idx, slice):
	        return self.commands()[idx]
	    if not isinstance(idx, int):
	        raise TypeError("command sequence indices must be integers")
	    n = self.length()
	    if idx < 0:
	        idx += n
	    if idx < 0 or idx >= n:
	        raise IndexError("command sequence index out of range")
	    return self.command(idx)

	def __iter__(self):
	    return iter(self.commands())

	def __repr__(self):
	    return "<suit.CommandSequence [%s]>" % ", ".join(c.name or str(c.code) for c in self.commands())
	%}
#endif
}

/** ** Commands **/

%extend SuitCommand {
	~SuitCommand() {
		suit_command_unref($self);
	}
	const gint64 code;
	/* the command's name, or None for custom and unknown codes */
	const char *const name;
	/* a COMMAND_KIND_* */
	const int kind;
	/* an ARGUMENT_TYPE_* */
	const int argument_type;
	/* the offset of the command in its sequence's encoding */
	const gsize offset;
	/* the reporting policy bits (0 for other argument types) */
	const guint64 reporting_policy;
	/* the indices of set-component-index (COMMAND_INDEX_ALL for true),
	 * empty for other commands */
	SuitUintList *const component_indices;
	/* the parameters of override-parameters and set-parameters, or None */
	SuitParameters *const parameters;
	/* the sequences of try-each, without the empty fallback; empty for
	 * other commands */
	SuitCommandSequenceList *const sequences;
	/* whether try-each ends with an empty fallback (nil) */
	const gboolean has_empty_fallback;
	/* the sequence of run-sequence, or None */
	SuitCommandSequence *const sequence;
	/* the encoded argument, as in the sequence */
	GBytes *const argument_cbor;
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.Command %s (%d) at %d>" % (self.name or "?", self.code, self.offset)
	%}
#endif
}
%{
static gint64
SuitCommand_code_get(SuitCommand *self)
{
	return suit_command_get_code(self);
}
static const char *
SuitCommand_name_get(SuitCommand *self)
{
	return suit_command_get_name(self);
}
static int
SuitCommand_kind_get(SuitCommand *self)
{
	return suit_command_get_kind(self);
}
static int
SuitCommand_argument_type_get(SuitCommand *self)
{
	return suit_command_get_argument_type(self);
}
static gsize
SuitCommand_offset_get(SuitCommand *self)
{
	return suit_command_get_offset(self);
}
static guint64
SuitCommand_reporting_policy_get(SuitCommand *self)
{
	return suit_command_get_reporting_policy(self);
}
static SuitUintList *
SuitCommand_component_indices_get(SuitCommand *self)
{
	GArray *indices = suit_command_get_component_indices(self);
	return indices != NULL ? g_array_ref(indices) : NULL;
}
static SuitParameters *
SuitCommand_parameters_get(SuitCommand *self)
{
	SuitParameters *params = suit_command_get_parameters(self);
	return params != NULL ? suit_parameters_ref(params) : NULL;
}
static SuitCommandSequenceList *
SuitCommand_sequences_get(SuitCommand *self)
{
	GPtrArray *seqs = suit_command_get_sequences(self);
	return seqs != NULL ? g_ptr_array_ref(seqs) : NULL;
}
static gboolean
SuitCommand_has_empty_fallback_get(SuitCommand *self)
{
	return suit_command_get_has_empty_fallback(self);
}
static SuitCommandSequence *
SuitCommand_sequence_get(SuitCommand *self)
{
	SuitCommandSequence *seq = suit_command_get_sequence(self);
	return seq != NULL ? suit_command_sequence_ref(seq) : NULL;
}
static GBytes *
SuitCommand_argument_cbor_get(SuitCommand *self)
{
	return g_bytes_ref(suit_command_get_argument_cbor(self));
}
%}
%rename(command_code_to_string) suit_command_code_to_string;
%rename(command_code_from_string) suit_binding_command_code_from_string;
const char *suit_command_code_to_string(gint64 code);
gint64 suit_binding_command_code_from_string(const char *name);

/** ** Parameters **/

%extend SuitParameters {
	~SuitParameters() {
		suit_parameters_unref($self);
	}
	guint size() {
		return suit_parameters_get_size($self);
	}
	/* the key at @idx (0-based), or 0 */
	gint64 key(guint idx) {
		return suit_parameters_get_key($self, idx);
	}
	/* every key, in manifest order */
	SuitInt64List *keys() {
		guint size = suit_parameters_get_size($self);
		GArray *keys = g_array_sized_new(FALSE, FALSE, sizeof(gint64), size);
		for (guint i = 0; i < size; i++) {
			gint64 key = suit_parameters_get_key($self, i);
			g_array_append_val(keys, key);
		}
		return keys;
	}
	gboolean has(gint64 key) {
		return suit_parameters_has($self, key);
	}
	/* the unsigned integer at @key, or None (absent or another type) */
	SuitOptionalUint get_uint(gint64 key) {
		SuitOptionalUint r = {FALSE, 0};
		r.found = suit_parameters_get_uint($self, key, &r.value);
		return r;
	}
	/* the integer at @key, or None */
	SuitOptionalInt get_int(gint64 key) {
		SuitOptionalInt r = {FALSE, 0};
		r.found = suit_parameters_get_int($self, key, &r.value);
		return r;
	}
	/* the boolean at @key, or None */
	SuitOptionalBool get_bool(gint64 key) {
		SuitOptionalBool r = {FALSE, FALSE};
		r.found = suit_parameters_get_bool($self, key, &r.value);
		return r;
	}
	/* the byte string at @key, or None (for image-digest: the encoded
	 * SUIT_Digest, see digest()) */
	GBytes *get_bytes(gint64 key) {
		GBytes *b = suit_parameters_get_bytes($self, key);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	/* the text string at @key, or None */
	gchar *text(gint64 key) {
		return suit_parameters_dup_text($self, key);
	}
	/* the SUIT_Digest at @key (usually 3, image-digest); raises
	 * not-found or invalid-data */
	SuitDigest *digest(gint64 key, GError **error) {
		return suit_parameters_dup_digest($self, key, error);
	}
	/* the encoded value at @key, or None */
	GBytes *get_cbor(gint64 key) {
		GBytes *b = suit_parameters_get_cbor($self, key);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __len__(self):
	    return self.size()

	def __contains__(self, key):
	    return isinstance(key, int) and self.has(key)

	def __iter__(self):
	    return iter(self.keys())

	def __repr__(self):
	    return "<suit.Parameters {%s}>" % ", ".join(parameter_to_string(k) or str(k) for k in self.keys())
	%}
#endif
}
%rename(parameter_to_string) suit_parameter_to_string;
%rename(parameter_from_string) suit_binding_parameter_from_string;
const char *suit_parameter_to_string(gint64 key);
gint64 suit_binding_parameter_from_string(const char *name);

#if defined(SWIGLUA)
%{
/* #seq and #params (Lua passes the operand twice to __len) */
static int
suit_lua_command_sequence_len(lua_State *L)
{
	SuitCommandSequence *seq = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&seq, SWIGTYPE_p_SuitCommandSequence, 0)) || seq == NULL)
		return luaL_error(L, "CommandSequence expected");
	lua_pushinteger(L, suit_command_sequence_get_length(seq));
	return 1;
}
static int
suit_lua_parameters_len(lua_State *L)
{
	SuitParameters *params = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&params, SWIGTYPE_p_SuitParameters, 0)) || params == NULL)
		return luaL_error(L, "Parameters expected");
	lua_pushinteger(L, suit_parameters_get_size(params));
	return 1;
}
static void
suit_lua_set_metamethod(lua_State *L, const char *class_name, const char *name, lua_CFunction fn)
{
	SWIG_Lua_get_class_metatable(L, class_name);
	if (lua_istable(L, -1)) {
		lua_pushcfunction(L, fn);
		lua_setfield(L, -2, name);
	}
	lua_pop(L, 1);
}
%}
%init %{
	suit_lua_set_metamethod(L, "CommandSequence", "__len", suit_lua_command_sequence_len);
	suit_lua_set_metamethod(L, "Parameters", "__len", suit_lua_parameters_len);
%}
#endif

/** ** API: authors and reports **/
/* Authors (SuitAuthor) and SUIT reports (SuitReport, SuitReportRecord,
 * SuitReportClaims, SuitReportProperties) */

%{
/* lists of records and claims: each a GPtrArray returned with a new
 * reference (the getters are (transfer none)) */
typedef GPtrArray SuitReportRecordList;
typedef GPtrArray SuitReportClaimsList;

/* the canonical text form of 16 bytes, e.g. fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe */
static gchar *
suit_binding_uuid_to_string(GBytes *uuid)
{
	const guint8 *b;
	gsize len = 0;

	if (uuid == NULL)
		return NULL;
	b = g_bytes_get_data(uuid, &len);
	if (len != 16)
		return NULL;
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			       b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
			       b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* suit_report_reason_from_error() for an error given by its stable id (a
 * script holds a suit.Error, not a GError); NULL gives no error at all */
static int
suit_binding_report_reason_from_error_id(const char *id)
{
	g_autoptr(GError) error = NULL;

	if (id == NULL)
		return suit_report_reason_from_error(NULL);
	if (g_strcmp0(id, "cancelled") == 0)
		error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, id);
	else
		error = g_error_new_literal(SUIT_ERROR, suit_error_from_id(id), id);
	return suit_report_reason_from_error(error);
}
%}

/* pointers the C functions require: the core's NONNULL check; %clear'ed at
 * the end of this section */
%apply SWIGTYPE *NONNULL {
	SuitKey *key_nonnull, SuitEnvelope *envelope_nonnull, SuitKeyring *keyring_nonnull,
	SuitDigest *digest_nonnull, SuitReportRecord *record_nonnull, SuitComponentId *component_id_nonnull,
	SuitReportProperties *properties_nonnull, SuitReportProperties *properties,
	GBytes *data_nonnull, GBytes *value_nonnull,
	const char *string_nonnull, const char *text_nonnull, const char *json_nonnull
};

/* SWIG disowns the value of a pointer member's setter (ReportRecord.properties
 * = props): the wrapper would never unref it. The record takes its own
 * reference, so the script's wrapper keeps its one. */
#if defined(SWIGPYTHON)
%typemap(in) SuitReportProperties *properties (void *argp = 0, int res = 0) {
	res = SWIG_ConvertPtr($input, &argp, $descriptor, 0);
	if (!SWIG_IsOK(res))
		SWIG_exception_fail(SWIG_ArgError(res), "in method '$symname', argument $argnum of type '$type'");
	$1 = ($ltype)argp;
}
#elif defined(SWIGLUA)
%typemap(in, checkfn="SWIG_isptrtype") SuitReportProperties *properties {
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, $input, (void **)&$1, $descriptor, 0)))
		SWIG_fail_ptr("$symname", $argnum, $descriptor);
}
#endif


SUIT_OWNED_RETURN(SuitAuthor)
SUIT_OWNED_RETURN(SuitReport)
SUIT_OWNED_RETURN(SuitReportRecord)
SUIT_OWNED_RETURN(SuitReportClaims)
SUIT_OWNED_RETURN(SuitReportProperties)
SUIT_OBJECT_ITEM(SuitReportRecord, suit_report_record_ref)
SUIT_OBJECT_ITEM(SuitReportClaims, suit_report_claims_ref)
SUIT_LIST_OUT(SuitReportRecordList, SuitReportRecord)
SUIT_LIST_OUT(SuitReportClaimsList, SuitReportClaims)

%rename(Author) SuitAuthor;
%rename(Report) SuitReport;
%rename(ReportRecord) SuitReportRecord;
%rename(ReportClaims) SuitReportClaims;
%rename(ReportProperties) SuitReportProperties;
typedef struct {} SuitAuthor;
typedef struct {} SuitReportProperties;
typedef struct {} SuitReportRecord;
typedef struct {} SuitReportClaims;
typedef struct {} SuitReport;

/** ** UUIDs **/

/* uuid_to_string(uuid): the text form of a UUID given as 16 bytes (or as
 * text, which comes back in lower case) */
%rename(uuid_to_string) suit_binding_uuid_to_string;
gchar *suit_binding_uuid_to_string(SuitUuid *uuid);

/** ** Authors **/

%extend SuitAuthor {
	/* Author(): no signing key yet; envelopes are unsigned until add_key() */
	SuitAuthor() {
		return suit_author_new();
	}
	~SuitAuthor() {
		g_object_unref($self);
	}
	/* add_key(key, algorithm=0, key_id=None): every envelope built
	 * afterwards gets one authentication block per key; 0 is the key's
	 * default algorithm */
	void add_key(SuitKey *key_nonnull, int algorithm = 0, GBytes *key_id = NULL, GError **error) {
		suit_author_add_key($self, key_nonnull, (SuitCoseAlgorithm)algorithm, key_id, error);
	}
	const guint n_keys;
	/* wins over the description's manifest-sequence-number */
	void set_sequence_number(guint64 sequence_number) {
		suit_author_set_sequence_number($self, sequence_number);
	}
	/* the clock for the default sequence number; -1 for the system clock */
	void set_time(gint64 unix_time) {
		suit_author_set_time($self, unix_time);
	}
	/* a signed envelope from a description file; file names are relative
	 * to its directory */
	SuitEnvelope *build_from_description_file(const char *string_nonnull, GError **error) {
		return suit_author_build_from_description_file($self, string_nonnull, error);
	}
	/* a signed envelope from a description; file names are relative to
	 * @base_dir (None: the current directory) */
	SuitEnvelope *build_from_description_json(const char *json_nonnull, const char *base_dir = NULL, GError **error) {
		return suit_author_build_from_description_json($self, json_nonnull, base_dir, error);
	}
	/* a signed envelope from the JSON mirror of an envelope or manifest */
	SuitEnvelope *build_from_manifest_json(const char *json_nonnull, GError **error) {
		return suit_author_build_from_manifest_json($self, json_nonnull, error);
	}
	/* adds one authentication block per key to @envelope */
	void sign_envelope(SuitEnvelope *envelope_nonnull, GError **error) {
		suit_author_sign_envelope($self, envelope_nonnull, error);
	}
	/* Author.vendor_id_from_domain("arm.com"): the 16 bytes of UUID5(DNS, domain) */
	static GBytes *vendor_id_from_domain(const char *string_nonnull) {
		return suit_author_vendor_id_from_domain(string_nonnull);
	}
	/* Author.class_id_from_name(vendor_id, name): the 16 bytes of
	 * UUID5(vendor_id, name); vendor_id is 16 bytes or UUID text */
	static GBytes *class_id_from_name(SuitUuid *vendor_id, const char *string_nonnull) {
		return suit_author_class_id_from_name(vendor_id, string_nonnull);
	}
	/* the same, as UUID text: "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe" */
	static gchar *vendor_uuid_from_domain(const char *string_nonnull) {
		g_autoptr(GBytes) id = suit_author_vendor_id_from_domain(string_nonnull);
		return suit_binding_uuid_to_string(id);
	}
	static gchar *class_uuid_from_name(SuitUuid *vendor_id, const char *string_nonnull) {
		g_autoptr(GBytes) id = suit_author_class_id_from_name(vendor_id, string_nonnull);
		return suit_binding_uuid_to_string(id);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.Author with %d key%s>" % (self.n_keys, "" if self.n_keys == 1 else "s")
	%}
#endif
}
%{
static guint
SuitAuthor_n_keys_get(SuitAuthor *self)
{
	return suit_author_get_n_keys(self);
}
%}

/** ** Report properties **/

%extend SuitReportProperties {
	/* ReportProperties(): an empty ordered map of SUIT parameters */
	SuitReportProperties() {
		return suit_report_properties_new();
	}
	~SuitReportProperties() {
		suit_report_properties_unref($self);
	}
	/* add_*(key, value): sets @key (a SUIT parameter codepoint, e.g. 14
	 * for image-size); a key set again keeps its position */
	void add_uint(gint64 key, guint64 value) {
		suit_report_properties_add_uint($self, key, value);
	}
	void add_int(gint64 key, gint64 value) {
		suit_report_properties_add_int($self, key, value);
	}
	void add_bytes(gint64 key, GBytes *value_nonnull) {
		suit_report_properties_add_bytes($self, key, value_nonnull);
	}
	/* raises UsageError (invalid-argument) for text that is not UTF-8 */
	void add_text(gint64 key, const char *text_nonnull, GError **error) {
		if (!g_utf8_validate(text_nonnull, -1, NULL)) {
			suit_binding_set_invalid_argument(error, "the text is not valid UTF-8");
			return;
		}
		suit_report_properties_add_text($self, key, text_nonnull);
	}
	void add_bool(gint64 key, gboolean value) {
		suit_report_properties_add_bool($self, key, value);
	}
	/* as image-digest (3) is encoded: a byte string holding a SUIT_Digest */
	void add_digest(gint64 key, SuitDigest *digest_nonnull) {
		suit_report_properties_add_digest($self, key, digest_nonnull);
	}
	/* any value as one encoded CBOR item; raises ParseError if it is not */
	void add_cbor(gint64 key, GBytes *value_nonnull, GError **error) {
		suit_report_properties_add_cbor($self, key, value_nonnull, error);
	}
	guint size() {
		return suit_report_properties_get_size($self);
	}
	/* the keys in insertion order */
	SuitInt64List *keys() {
		guint n = suit_report_properties_get_size($self);
		GArray *keys = g_array_sized_new(FALSE, FALSE, sizeof(gint64), n);
		for (guint i = 0; i < n; i++) {
			gint64 key = suit_report_properties_get_key($self, i);
			g_array_append_val(keys, key);
		}
		return keys;
	}
	gboolean has(gint64 key) {
		return suit_report_properties_has($self, key);
	}
	/* get_uint/get_int/get_bool(key): the value, or None (nil) when @key
	 * is not set to a value of that type */
	SuitOptionalUint get_uint(gint64 key) {
		SuitOptionalUint v = {FALSE, 0};
		v.found = suit_report_properties_get_uint($self, key, &v.value);
		return v;
	}
	SuitOptionalInt get_int(gint64 key) {
		SuitOptionalInt v = {FALSE, 0};
		v.found = suit_report_properties_get_int($self, key, &v.value);
		return v;
	}
	SuitOptionalBool get_bool(gint64 key) {
		SuitOptionalBool v = {FALSE, FALSE};
		v.found = suit_report_properties_get_bool($self, key, &v.value);
		return v;
	}
	/* the byte string, or None */
	GBytes *get_bytes(gint64 key) {
		GBytes *b = suit_report_properties_get_bytes($self, key);
		return b != NULL ? g_bytes_ref(b) : NULL;
	}
	/* the text string, or None */
	gchar *get_text(gint64 key) {
		return suit_report_properties_dup_text($self, key);
	}
	/* the digest; raises StateError (not-found) when @key is not set,
	 * ParseError when it is not a digest */
	SuitDigest *get_digest(gint64 key, GError **error) {
		return suit_report_properties_dup_digest($self, key, error);
	}
	/* the encoding of any value, or None */
	GBytes *get_cbor(gint64 key) {
		return suit_report_properties_get_cbor($self, key);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __len__(self):
	    return self.size()

	def __contains__(self, key):
	    return isinstance(key, int) and self.has(key)

	def __iter__(self):
	    return iter(self.keys())

	def __repr__(self):
	    return "<suit.ReportProperties keys %r>" % (self.keys(),)
	%}
#endif
}

/** ** Report records **/

%extend SuitReportRecord {
	/* ReportRecord(section, section_offset, component_index): where in the
	 * root manifest something happened */
	SuitReportRecord(gint64 section, guint64 section_offset, guint64 component_index) {
		return suit_report_record_new(section, section_offset, component_index);
	}
	~SuitReportRecord() {
		suit_report_record_unref($self);
	}
	/* the path of the manifest in the dependency tree, [] for the root */
	SuitUintList *const manifest_id;
	void append_manifest_id(guint index) {
		suit_report_record_append_manifest_id($self, index);
	}
	const gint64 section;
	const guint64 section_offset;
	const guint64 component_index;
	/* the parameters in force, changed in place; assigning replaces them */
	SuitReportProperties *properties;
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.ReportRecord manifest-id %r section %d offset %d component %d, %d properties>" % (
	        self.manifest_id, self.section, self.section_offset, self.component_index, len(self.properties))
	%}
#endif
}
%{
static GArray *
SuitReportRecord_manifest_id_get(SuitReportRecord *self)
{
	return g_array_ref(suit_report_record_get_manifest_id(self));
}
static gint64
SuitReportRecord_section_get(SuitReportRecord *self)
{
	return suit_report_record_get_section(self);
}
static guint64
SuitReportRecord_section_offset_get(SuitReportRecord *self)
{
	return suit_report_record_get_section_offset(self);
}
static guint64
SuitReportRecord_component_index_get(SuitReportRecord *self)
{
	return suit_report_record_get_component_index(self);
}
static SuitReportProperties *
SuitReportRecord_properties_get(SuitReportRecord *self)
{
	return suit_report_properties_ref(suit_report_record_get_properties(self));
}
static void
SuitReportRecord_properties_set(SuitReportRecord *self, SuitReportProperties *properties)
{
	suit_report_record_set_properties(self, properties);
}
%}

/** ** Report claims **/

%extend SuitReportClaims {
	~SuitReportClaims() {
		suit_report_claims_unref($self);
	}
	/* the component the claims are about */
	SuitComponentId *const component_id;
	/* the claimed properties (vendor-identifier, image-size, ...) */
	SuitReportProperties *const properties;
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.ReportClaims %s keys %r>" % (self.component_id, self.properties.keys())
	%}
#endif
}
%{
static SuitComponentId *
SuitReportClaims_component_id_get(SuitReportClaims *self)
{
	return suit_component_id_ref(suit_report_claims_get_component_id(self));
}
static SuitReportProperties *
SuitReportClaims_properties_get(SuitReportClaims *self)
{
	return suit_report_properties_ref(suit_report_claims_get_properties(self));
}
%}

/** ** Reports **/

%extend SuitReport {
	/* Report(): an empty report; set_reference() and a result make it
	 * encodable */
	SuitReport() {
		return suit_report_new();
	}
	~SuitReport() {
		g_object_unref($self);
	}
	/* Report.parse(data, flags=0): a bare SUIT_Report, not verified */
	static SuitReport *parse(GBytes *data_nonnull, int flags = 0, GError **error) {
		return suit_report_new_from_bytes(data_nonnull, (SuitParseFlags)flags, error);
	}
	/* Report.from_cose(cose, keyring): verifies the COSE_Sign1/COSE_Mac0
	 * with a key of @keyring, then parses the report; raises
	 * SignatureError (signature-invalid) for a wrong key or a change */
	static SuitReport *from_cose(GBytes *data_nonnull, SuitKeyring *keyring_nonnull, GError **error) {
		return suit_report_new_from_cose(data_nonnull, keyring_nonnull, error);
	}
	/* set_reference(uri, digest): the manifest the report is about; uri
	 * may be None (the empty URI) */
	void set_reference(const char *uri, SuitDigest *digest_nonnull, GError **error) {
		if (uri != NULL && !g_utf8_validate(uri, -1, NULL)) {
			suit_binding_set_invalid_argument(error, "the URI is not valid UTF-8");
			return;
		}
		suit_report_set_reference($self, uri, digest_nonnull);
	}
	/* "" when the manifest has no reference URI */
	const char *const reference_uri;
	/* None until set_reference() */
	SuitDigest *const reference_digest;
	/* the nonce from the Status Tracker, or None */
	GBytes *nonce;
	void add_record(SuitReportRecord *record_nonnull) {
		suit_report_add_record($self, record_nonnull);
	}
	/* the properties are copied (key 0 is left out) */
	void add_system_property_claims(SuitComponentId *component_id_nonnull, SuitReportProperties *properties_nonnull) {
		suit_report_add_system_property_claims($self, component_id_nonnull, properties_nonnull);
	}
	/* the records, without the claims */
	SuitReportRecordList *records() {
		return g_ptr_array_ref(suit_report_get_records($self));
	}
	SuitReportClaimsList *claims() {
		return g_ptr_array_ref(suit_report_get_claims($self));
	}
	/* what parsing tolerated (repeated keys) */
	SuitStringList *warnings() {
		return g_ptr_array_ref(suit_report_get_warnings($self));
	}
	void set_result_success() {
		suit_report_set_result_success($self);
	}
	/* set_result_failure(code, record, reason): record may be None */
	void set_result_failure(gint64 result_code, SuitReportRecord *record, int reason) {
		suit_report_set_result_failure($self, result_code, record, (SuitReportReason)reason);
	}
	const gboolean has_result;
	/* True if the result is success */
	const gboolean success;
	/* the code of a failure, 0 for success */
	const gint64 result_code;
	/* a REPORT_REASON_* value, REPORT_REASON_OK for success */
	const int result_reason;
	/* where processing stopped, or None */
	SuitReportRecord *const result_record;
	/* the bare SUIT_Report; raises ParseError (invalid-data) without a
	 * reference or a result */
	GBytes *to_bytes(GError **error) {
		return suit_report_to_bytes($self, error);
	}
	/* sign(key, algorithm=0, key_id=None): the tagged COSE_Sign1 (COSE_Mac0
	 * for a symmetric key) with the report attached */
	GBytes *sign(SuitKey *key_nonnull, int algorithm = 0, GBytes *key_id = NULL, GError **error) {
		return suit_report_sign($self, key_nonnull, (SuitCoseAlgorithm)algorithm, key_id, error);
	}
	gchar *to_json(int flags = 0) {
		return suit_report_to_json($self, (SuitJsonFlags)flags);
	}
	gchar *__str__() {
		return suit_report_to_string($self);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __bytes__(self):
	    return self.to_bytes()

	def __repr__(self):
	    digest = self.reference_digest
	    if not self.has_result:
	        result = "no result"
	    elif self.success:
	        result = "success"
	    else:
	        result = "failure %s" % (report_reason_to_string(self.result_reason) or self.result_reason)
	    return "<suit.Report manifest %s, %s>" % (digest.hex if digest is not None else "?", result)
	%}
#endif
}
%{
static const char *
SuitReport_reference_uri_get(SuitReport *self)
{
	return suit_report_get_reference_uri(self);
}
static SuitDigest *
SuitReport_reference_digest_get(SuitReport *self)
{
	SuitDigest *d = suit_report_get_reference_digest(self);
	return d != NULL ? suit_digest_ref(d) : NULL;
}
static GBytes *
SuitReport_nonce_get(SuitReport *self)
{
	GBytes *b = suit_report_get_nonce(self);
	return b != NULL ? g_bytes_ref(b) : NULL;
}
static void
SuitReport_nonce_set(SuitReport *self, GBytes *nonce)
{
	suit_report_set_nonce(self, nonce);
}
static gboolean
SuitReport_has_result_get(SuitReport *self)
{
	return suit_report_has_result(self);
}
static gboolean
SuitReport_success_get(SuitReport *self)
{
	return suit_report_is_success(self);
}
static gint64
SuitReport_result_code_get(SuitReport *self)
{
	return suit_report_get_result_code(self);
}
static int
SuitReport_result_reason_get(SuitReport *self)
{
	return (int)suit_report_get_result_reason(self);
}
static SuitReportRecord *
SuitReport_result_record_get(SuitReport *self)
{
	SuitReportRecord *r = suit_report_get_result_record(self);
	return r != NULL ? suit_report_record_ref(r) : NULL;
}
%}

/** ** Report reasons **/

%rename(report_reason_to_string) suit_report_reason_to_string;
%rename(report_reason_from_string) suit_report_reason_from_string;
%rename(_report_reason_from_error_id) suit_binding_report_reason_from_error_id;
const char *suit_report_reason_to_string(int reason);
int suit_report_reason_from_string(const char *string_nonnull);
int suit_binding_report_reason_from_error_id(const char *id);

#if defined(SWIGPYTHON)
%pythoncode %{
def report_reason_from_error(error):
    """The REPORT_REASON_* for an error a manifest processor stopped with: a
    suit.Error (or its id, e.g. "rollback"); None gives REPORT_REASON_OK and
    any other exception REPORT_REASON_OPERATION_FAILED."""
    if error is None:
        return _report_reason_from_error_id(None)
    if isinstance(error, str):
        return _report_reason_from_error_id(error)
    if isinstance(error, Error):
        return _report_reason_from_error_id(getattr(error, "id", "internal"))
    return _report_reason_from_error_id("internal")
%}
#elif defined(SWIGLUA)
%{
static const char suit_lua_prelude_report[] =
	"local suit = ...\n"
	/* suit.report_reason_from_error(err): a suit.Error value or its id;
	 * nil gives REPORT_REASON_OK, anything else OPERATION_FAILED */
	"function suit.report_reason_from_error(err)\n"
	"  if err == nil then return suit._report_reason_from_error_id(nil) end\n"
	"  if type(err) == 'string' then return suit._report_reason_from_error_id(err) end\n"
	"  if getmetatable(err) == suit.Error and type(err.id) == 'string' then\n"
	"    return suit._report_reason_from_error_id(err.id)\n"
	"  end\n"
	"  return suit._report_reason_from_error_id('internal')\n"
	"end\n";
%}
%init %{
	suit_lua_run_prelude(L, suit_lua_prelude_report);
%}
#endif

%clear SuitKey *key_nonnull, SuitEnvelope *envelope_nonnull, SuitKeyring *keyring_nonnull,
	SuitDigest *digest_nonnull, SuitReportRecord *record_nonnull, SuitComponentId *component_id_nonnull,
	SuitReportProperties *properties_nonnull, SuitReportProperties *properties,
	GBytes *data_nonnull, GBytes *value_nonnull,
	const char *string_nonnull, const char *text_nonnull, const char *json_nonnull;

/** ** API: stores **/
/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Stores: suit.Store over any SuitStore (directory, memory, or a store
 * written in the script), and suit.StoreWriter.
 *
 * SWIG cannot express GObject inheritance for opaque C structs, so there is
 * one wrapper class, Store, for every object that implements the SuitStore
 * interface; Store.directory(), Store.memory() and Store.from_script() make
 * one (and suit.DirectoryStore(path), suit.MemoryStore() are shortcuts).
 *
 * A store in the script (Store.from_script(obj), or any such object given
 * where a C function takes `SuitStore *store`) is an object (Python) or a
 * table (Lua) with these methods; ids are suit.ComponentId wrappers, images
 * are bytes (Python) or strings (Lua):
 *
 *   write(component, data[, flags])  required. Called once per commit, with
 *       the whole image, after its digest and size were checked. Only a
 *       script that implements confirm() (one that keeps a pending image)
 *       gets the third argument, the write flags (0 or WRITE_FLAG_CONFIRM).
 *   read(component) -> bytes | None  required. The active image, or None.
 *   has_component(component) -> bool optional; default: read() is not None.
 *   remove(component)                optional; absent: remove_component()
 *       fails with not-supported. Not called for a component without image
 *       (that is not-found).
 *   confirm(component), image_state(component) -> int, begin_boot() -> list
 *       of ComponentId   optional: without them the store is not A/B, every
 *       image is confirmed (image_state() is STORE_IMAGE_STATE_CONFIRMED or
 *       _NONE), confirm() is a conflict (nothing pending) and begin_boot()
 *       lets nothing fall back.
 *   list_components() -> list of ComponentId  optional; default: the
 *       components written through this Store (since it was made) that
 *       still have an image.
 *   get_sequence_number(manifest_id) -> int | None,
 *   set_sequence_number(manifest_id, value)  optional, both or neither;
 *       manifest_id is None for the root manifest. Without them the numbers
 *       are kept in memory, in the Store object.
 *
 * A script raises suit.Error (Python: suit.error_for_id("write-failed",
 * "flash full"); Lua: suit.error("write-failed", "flash full")) to choose
 * the error; anything else becomes write-failed for write(), remove(),
 * confirm(), begin_boot() and set_sequence_number(), not-found for read(),
 * and internal for the other methods (a has_component() that raises means
 * "no image"). A method that returns the wrong type is an internal error.
 * In Python a KeyError from read(), remove(), confirm() or
 * get_sequence_number() is not-found, so a dict-backed store can simply
 * index its dict.
 *
 * Images are buffered in memory until the commit, up to max_image_size
 * bytes (64 MiB unless given to from_script()); a larger image fails to
 * write with write-failed.
 */

%{
/* the largest image a script store buffers, and read_bytes()'s default */
#define SUIT_BINDING_SCRIPT_STORE_MAX_IMAGE ((gsize)64 * 1024 * 1024)
#define SUIT_BINDING_READ_MAX ((gsize)64 * 1024 * 1024)

/* the sink of a script store: buffers the image until the commit */
typedef struct {
	GOutputStream parent_instance;
	GByteArray *buf; /* NULL once closed or stolen */
	gsize max_size;
	gpointer owner; /* the store that made it, not a reference */
} SuitBindingScriptSink;

typedef struct {
	GOutputStreamClass parent_class;
} SuitBindingScriptSinkClass;

static GType
suit_binding_script_sink_get_type(void);
G_DEFINE_TYPE(SuitBindingScriptSink, suit_binding_script_sink, G_TYPE_OUTPUT_STREAM)

static gssize
suit_binding_script_sink_write_fn(GOutputStream *stream,
				  const void *buffer,
				  gsize count,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitBindingScriptSink *self = (SuitBindingScriptSink *)stream;

	if (self->buf == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CLOSED, "the image was discarded");
		return -1;
	}
	if (count > self->max_size - self->buf->len) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "the image is larger than the %" G_GSIZE_FORMAT " bytes this script store takes",
			    self->max_size);
		return -1;
	}
	g_byte_array_append(self->buf, buffer, (guint)count);
	return (gssize)count;
}

static gboolean
suit_binding_script_sink_close_fn(GOutputStream *stream, GCancellable *cancellable, GError **error)
{
	SuitBindingScriptSink *self = (SuitBindingScriptSink *)stream;
	g_clear_pointer(&self->buf, g_byte_array_unref);
	return TRUE;
}

static void
suit_binding_script_sink_finalize(GObject *object)
{
	SuitBindingScriptSink *self = (SuitBindingScriptSink *)object;
	g_clear_pointer(&self->buf, g_byte_array_unref);
	G_OBJECT_CLASS(suit_binding_script_sink_parent_class)->finalize(object);
}

static void
suit_binding_script_sink_class_init(SuitBindingScriptSinkClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS(klass);
	object_class->finalize = suit_binding_script_sink_finalize;
	stream_class->write_fn = suit_binding_script_sink_write_fn;
	stream_class->close_fn = suit_binding_script_sink_close_fn;
}

static void
suit_binding_script_sink_init(SuitBindingScriptSink *self)
{
	self->buf = g_byte_array_new();
}

/* the store: a GObject implementing SuitStore by calling the script */
typedef struct {
	GObject parent_instance;
#if defined(SWIGPYTHON)
	PyObject *script;
#else
	lua_State *L; /* the main thread: never collected */
	int ref;      /* the table, in the registry */
#endif
	gsize max_image_size;
	GHashTable *written;	      /* SuitComponentId set: written through the store */
	GHashTable *sequence_numbers; /* SuitComponentId -> guint64, without the script's */
	gboolean has_root_sequence_number;
	guint64 root_sequence_number;
} SuitBindingScriptStore;

typedef struct {
	GObjectClass parent_class;
} SuitBindingScriptStoreClass;

static void
suit_binding_script_store_iface_init(SuitStoreInterface *iface);
static GType
suit_binding_script_store_get_type(void);
G_DEFINE_TYPE_WITH_CODE(SuitBindingScriptStore,
			suit_binding_script_store,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_STORE, suit_binding_script_store_iface_init))

#define SUIT_BINDING_IS_SCRIPT_STORE(obj) \
	(G_TYPE_CHECK_INSTANCE_TYPE((obj), suit_binding_script_store_get_type()))

/* the arguments and results of a call into the script */
typedef enum {
	SUIT_BINDING_ARG_COMPONENT, /* SuitComponentId *, nullable (None / nil) */
	SUIT_BINDING_ARG_BYTES,	    /* GBytes * */
	SUIT_BINDING_ARG_UINT,	    /* guint64 */
} SuitBindingArgKind;

typedef struct {
	SuitBindingArgKind kind;
	gpointer ptr;
	guint64 n;
} SuitBindingArg;

typedef enum {
	SUIT_BINDING_RET_IGNORE,
	SUIT_BINDING_RET_BYTES, /* bytes or None */
	SUIT_BINDING_RET_UINT,	/* an integer or None */
	SUIT_BINDING_RET_BOOL,
	SUIT_BINDING_RET_IDS, /* a list of ComponentId */
} SuitBindingRetKind;

typedef struct {
	gboolean is_none;
	GBytes *bytes;
	guint64 n;
	gboolean b;
	GPtrArray *ids;
} SuitBindingRet;

typedef enum {
	SUIT_BINDING_CALL_FAILED,
	SUIT_BINDING_CALL_OK,
	SUIT_BINDING_CALL_ABSENT, /* an optional method the script does not have */
} SuitBindingCall;

/* the text for errors: "script store write([h'00'])" */
static gchar *
suit_binding_script_call_name(const gchar *method, const SuitBindingArg *args, guint n_args)
{
	if (n_args > 0 && args[0].kind == SUIT_BINDING_ARG_COMPONENT && args[0].ptr != NULL) {
		g_autofree gchar *id = suit_component_id_to_string(args[0].ptr);
		return g_strdup_printf("script store %s(%s)", method, id);
	}
	return g_strdup_printf("script store %s()", method);
}

static gboolean
suit_binding_script_bad_return(GError **error, const gchar *method, const gchar *want)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_INTERNAL,
		    "the script store's %s() must return %s",
		    method,
		    want);
	return FALSE;
}

static const gchar *
suit_binding_ret_description(SuitBindingRetKind want)
{
	switch (want) {
	case SUIT_BINDING_RET_BYTES:
		return "the image or None (nil)";
	case SUIT_BINDING_RET_UINT:
		return "an integer or None (nil)";
	case SUIT_BINDING_RET_IDS:
		return "a list of suit.ComponentId";
	default:
		return "a value";
	}
}
%}

#if defined(SWIGPYTHON)
%{
static gboolean
suit_py_script_has_method(PyObject *script, const gchar *name)
{
	PyObject *fn = PyObject_GetAttrString(script, name);
	gboolean ok = fn != NULL && fn != Py_None && PyCallable_Check(fn);
	if (fn == NULL)
		PyErr_Clear();
	Py_XDECREF(fn);
	return ok;
}

static SuitBindingScriptStore *
suit_binding_script_store_new(PyObject *script, GError **error)
{
	SuitBindingScriptStore *self;
	const gchar *required[] = {"write", "read"};

	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		if (!suit_py_script_has_method(script, required[i])) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a store must be a suit.Store or an object with write() and read() methods; "
				    "%s has no %s()",
				    Py_TYPE(script)->tp_name,
				    required[i]);
			return NULL;
		}
	}
	if (suit_py_script_has_method(script, "get_sequence_number") !=
	    suit_py_script_has_method(script, "set_sequence_number")) {
		suit_binding_set_invalid_argument(
		    error,
		    "a script store has both get_sequence_number() and set_sequence_number(), or neither");
		return NULL;
	}
	self = g_object_new(suit_binding_script_store_get_type(), NULL);
	Py_INCREF(script);
	self->script = script;
	return self;
}

static gboolean
suit_binding_script_store_has_method(SuitBindingScriptStore *self, const gchar *name)
{
	PyGILState_STATE gil = PyGILState_Ensure();
	gboolean ok = suit_py_script_has_method(self->script, name);
	PyGILState_Release(gil);
	return ok;
}

static void
suit_binding_script_store_release(SuitBindingScriptStore *self)
{
	PyGILState_STATE gil;

	if (self->script == NULL || !Py_IsInitialized())
		return;
	gil = PyGILState_Ensure();
	Py_CLEAR(self->script);
	PyGILState_Release(gil);
}

static PyObject *
suit_py_script_arg(const SuitBindingArg *arg)
{
	switch (arg->kind) {
	case SUIT_BINDING_ARG_COMPONENT:
		if (arg->ptr == NULL)
			Py_RETURN_NONE;
		return SWIG_NewPointerObj(suit_component_id_ref(arg->ptr),
					  SWIGTYPE_p_SuitComponentId,
					  SWIG_POINTER_OWN);
	case SUIT_BINDING_ARG_BYTES: {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(arg->ptr, &len);
		return PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
	}
	case SUIT_BINDING_ARG_UINT:
	default:
		return PyLong_FromUnsignedLongLong(arg->n);
	}
}

/* converts the result @res of @method to @ret */
static gboolean
suit_py_script_ret(PyObject *res, const gchar *method, SuitBindingRetKind want, SuitBindingRet *ret, GError **error)
{
	switch (want) {
	case SUIT_BINDING_RET_IGNORE:
		return TRUE;
	case SUIT_BINDING_RET_BOOL: {
		int truth = PyObject_IsTrue(res);
		if (truth < 0) {
			PyErr_Clear();
			return suit_binding_script_bad_return(error, method, "a boolean");
		}
		ret->b = truth ? TRUE : FALSE;
		return TRUE;
	}
	case SUIT_BINDING_RET_BYTES: {
		Py_buffer view;
		if (res == Py_None) {
			ret->is_none = TRUE;
			return TRUE;
		}
		if (PyUnicode_Check(res) || PyObject_GetBuffer(res, &view, PyBUF_SIMPLE) != 0) {
			PyErr_Clear();
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		}
		ret->bytes = g_bytes_new(view.buf, (gsize)view.len);
		PyBuffer_Release(&view);
		return TRUE;
	}
	case SUIT_BINDING_RET_UINT: {
		unsigned long long v;
		if (res == Py_None) {
			ret->is_none = TRUE;
			return TRUE;
		}
		if (!PyLong_Check(res))
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		v = PyLong_AsUnsignedLongLong(res);
		if (PyErr_Occurred()) {
			PyErr_Clear();
			return suit_binding_script_bad_return(error, method, "an integer from 0 to 2**64-1, or None");
		}
		ret->n = (guint64)v;
		return TRUE;
	}
	case SUIT_BINDING_RET_IDS: {
		PyObject *seq = PySequence_Fast(res, "not a sequence");
		g_autoptr(GPtrArray) ids = NULL;
		if (seq == NULL) {
			PyErr_Clear();
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		}
		ids = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
		for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
			void *p = NULL;
			PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
			if (!SWIG_IsOK(SWIG_ConvertPtr(item, &p, SWIGTYPE_p_SuitComponentId, 0)) || p == NULL) {
				Py_DECREF(seq);
				return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
			}
			g_ptr_array_add(ids, suit_component_id_ref(p));
		}
		Py_DECREF(seq);
		ret->ids = g_steal_pointer(&ids);
		return TRUE;
	}
	default:
		return TRUE;
	}
}

/* calls @method of the script (@optional: report it absent, not an error);
 * @fallback is the error of an exception that is not a suit.Error;
 * @lookup: a KeyError means not-found */
static SuitBindingCall
suit_binding_script_store_call(SuitBindingScriptStore *self,
			       const gchar *method,
			       gboolean optional,
			       const SuitBindingArg *args,
			       guint n_args,
			       SuitBindingRetKind want,
			       SuitBindingRet *ret,
			       SuitError fallback,
			       gboolean lookup,
			       GError **error)
{
	PyGILState_STATE gil = PyGILState_Ensure();
	SuitBindingCall rc = SUIT_BINDING_CALL_FAILED;
	g_autofree gchar *what = suit_binding_script_call_name(method, args, n_args);
	PyObject *fn = NULL;
	PyObject *argv = NULL;
	PyObject *res = NULL;

	fn = PyObject_GetAttrString(self->script, method);
	if (fn == NULL && !PyErr_ExceptionMatches(PyExc_AttributeError)) {
		suit_py_exception_to_gerror(error, SUIT_ERROR_INTERNAL, what);
		goto out;
	}
	PyErr_Clear();
	if (fn == NULL || fn == Py_None) {
		if (optional) {
			rc = SUIT_BINDING_CALL_ABSENT;
			goto out;
		}
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "%s: the script has no %s()", what, method);
		goto out;
	}
	argv = PyTuple_New((Py_ssize_t)n_args);
	if (argv == NULL) {
		suit_py_exception_to_gerror(error, SUIT_ERROR_INTERNAL, what);
		goto out;
	}
	for (guint i = 0; i < n_args; i++) {
		PyObject *arg = suit_py_script_arg(&args[i]);
		if (arg == NULL) {
			suit_py_exception_to_gerror(error, SUIT_ERROR_INTERNAL, what);
			goto out;
		}
		PyTuple_SET_ITEM(argv, (Py_ssize_t)i, arg);
	}
	res = PyObject_CallObject(fn, argv);
	if (res == NULL) {
		SuitError code = fallback;
		if (lookup && PyErr_ExceptionMatches(PyExc_KeyError))
			code = SUIT_ERROR_NOT_FOUND;
		suit_py_exception_to_gerror(error, code, what);
		goto out;
	}
	if (!suit_py_script_ret(res, method, want, ret, error))
		goto out;
	rc = SUIT_BINDING_CALL_OK;
out:
	Py_XDECREF(res);
	Py_XDECREF(argv);
	Py_XDECREF(fn);
	PyGILState_Release(gil);
	return rc;
}
%}
#elif defined(SWIGLUA)
%{
static gboolean
suit_lua_is_callable(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TFUNCTION)
		return TRUE;
	if (luaL_getmetafield(L, idx, "__call") != LUA_TNIL) {
		lua_pop(L, 1);
		return TRUE;
	}
	return FALSE;
}

/* a table at @idx; called from a wrapper, so Lua errors may be raised */
static SuitBindingScriptStore *
suit_binding_script_store_new(lua_State *L, int idx, GError **error)
{
	SuitBindingScriptStore *self;
	const gchar *required[] = {"write", "read"};
	gboolean has_get, has_set;

	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a store must be a suit.Store or a table with write() and read() functions, not a %s",
			    luaL_typename(L, idx));
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		gboolean ok;
		lua_getfield(L, idx, required[i]);
		ok = suit_lua_is_callable(L, -1);
		lua_pop(L, 1);
		if (!ok) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a store must be a suit.Store or a table with write() and read() functions; "
				    "this table has no %s()",
				    required[i]);
			return NULL;
		}
	}
	lua_getfield(L, idx, "get_sequence_number");
	has_get = !lua_isnil(L, -1);
	lua_getfield(L, idx, "set_sequence_number");
	has_set = !lua_isnil(L, -1);
	lua_pop(L, 2);
	if (has_get != has_set) {
		suit_binding_set_invalid_argument(
		    error,
		    "a script store has both get_sequence_number() and set_sequence_number(), or neither");
		return NULL;
	}
	self = g_object_new(suit_binding_script_store_get_type(), NULL);
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	self->L = lua_tothread(L, -1);
	lua_pop(L, 1);
	lua_pushvalue(L, idx);
	self->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return self;
}

static void
suit_binding_script_store_release(SuitBindingScriptStore *self)
{
	if (self->L == NULL)
		return;
	luaL_unref(self->L, LUA_REGISTRYINDEX, self->ref);
	self->L = NULL;
	self->ref = LUA_NOREF;
}

typedef struct {
	SuitBindingScriptStore *self;
	const gchar *method;
	const SuitBindingArg *args;
	guint n_args;
	gboolean probe; /* only look the method up */
	gboolean absent;
} SuitLuaScriptCall;

/* runs protected: looks the method up and calls it, leaving one result */
static int
suit_lua_script_store_trampoline(lua_State *L)
{
	SuitLuaScriptCall *call = lua_touserdata(L, 1);

	lua_settop(L, 0);
	luaL_checkstack(L, (int)call->n_args + 4, "script store call");
	lua_rawgeti(L, LUA_REGISTRYINDEX, call->self->ref);
	lua_getfield(L, 1, call->method);
	if (lua_isnil(L, 2)) {
		call->absent = TRUE;
		return 0;
	}
	if (call->probe)
		return 0;
	lua_pushvalue(L, 1);
	for (guint i = 0; i < call->n_args; i++) {
		const SuitBindingArg *arg = &call->args[i];
		switch (arg->kind) {
		case SUIT_BINDING_ARG_COMPONENT:
			if (arg->ptr == NULL)
				lua_pushnil(L);
			else
				SWIG_NewPointerObj(L, suit_component_id_ref(arg->ptr), SWIGTYPE_p_SuitComponentId, 1);
			break;
		case SUIT_BINDING_ARG_BYTES: {
			gsize len = 0;
			gconstpointer data = g_bytes_get_data(arg->ptr, &len);
			lua_pushlstring(L, data, len);
			break;
		}
		case SUIT_BINDING_ARG_UINT:
		default:
			lua_pushinteger(L, (lua_Integer)arg->n);
			break;
		}
	}
	lua_call(L, (int)call->n_args + 1, 1);
	return 1;
}

typedef struct {
	GError **error;
	SuitError fallback;
	const gchar *what;
} SuitLuaScriptError;

/* runs protected: an error value's metamethods may raise */
static int
suit_lua_script_error_trampoline(lua_State *L)
{
	SuitLuaScriptError *conv = lua_touserdata(L, 1);
	lua_remove(L, 1);
	suit_lua_value_to_gerror(L, conv->error, conv->fallback, conv->what);
	return 0;
}

/* the GError for the error value on top of the stack, which it pops */
static void
suit_lua_script_error(lua_State *L, GError **error, SuitError fallback, const gchar *what)
{
	SuitLuaScriptError conv = {error, fallback, what};
	GError *error_local = NULL;

	conv.error = &error_local;
	lua_pushcfunction(L, suit_lua_script_error_trampoline);
	lua_insert(L, -2);
	lua_pushlightuserdata(L, &conv);
	lua_insert(L, -2);
	if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
		lua_pop(L, 1);
		g_clear_error(&error_local);
		g_set_error(&error_local, SUIT_ERROR, fallback, "%s: the script failed", what);
	}
	g_propagate_error(error, error_local);
}

/* converts the value on top of the stack; never raises */
static gboolean
suit_lua_script_ret(lua_State *L, const gchar *method, SuitBindingRetKind want, SuitBindingRet *ret, GError **error)
{
	switch (want) {
	case SUIT_BINDING_RET_IGNORE:
		return TRUE;
	case SUIT_BINDING_RET_BOOL:
		ret->b = lua_toboolean(L, -1) ? TRUE : FALSE;
		return TRUE;
	case SUIT_BINDING_RET_BYTES: {
		size_t len = 0;
		const char *data;
		if (lua_isnil(L, -1)) {
			ret->is_none = TRUE;
			return TRUE;
		}
		if (lua_type(L, -1) != LUA_TSTRING)
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		data = lua_tolstring(L, -1, &len);
		ret->bytes = g_bytes_new(data, len);
		return TRUE;
	}
	case SUIT_BINDING_RET_UINT: {
		int isnum = 0;
		lua_Integer v;
		if (lua_isnil(L, -1)) {
			ret->is_none = TRUE;
			return TRUE;
		}
		if (lua_type(L, -1) != LUA_TNUMBER)
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		v = lua_tointegerx(L, -1, &isnum);
		if (!isnum)
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		/* the binding gives 64-bit unsigned values as Lua integers */
		ret->n = (guint64)v;
		return TRUE;
	}
	case SUIT_BINDING_RET_IDS: {
		g_autoptr(GPtrArray) ids = NULL;
		lua_Unsigned n;
		if (!lua_istable(L, -1))
			return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
		ids = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
		n = lua_rawlen(L, -1);
		for (lua_Unsigned i = 1; i <= n; i++) {
			void *p = NULL;
			gboolean ok;
			lua_rawgeti(L, -1, (lua_Integer)i);
			ok = lua_isuserdata(L, -1) &&
			     SWIG_IsOK(SWIG_ConvertPtr(L, -1, &p, SWIGTYPE_p_SuitComponentId, 0)) && p != NULL;
			lua_pop(L, 1);
			if (!ok)
				return suit_binding_script_bad_return(error, method, suit_binding_ret_description(want));
			g_ptr_array_add(ids, suit_component_id_ref(p));
		}
		ret->ids = g_steal_pointer(&ids);
		return TRUE;
	}
	default:
		return TRUE;
	}
}

/* whether the table has @name (metamethods included); FALSE when that
 * raises */
static gboolean
suit_binding_script_store_has_method(SuitBindingScriptStore *self, const gchar *name)
{
	lua_State *L = self->L;
	SuitLuaScriptCall call = {self, name, NULL, 0, TRUE, FALSE};
	int top;
	gboolean ok;

	if (L == NULL || !lua_checkstack(L, 4))
		return FALSE;
	top = lua_gettop(L);
	lua_pushcfunction(L, suit_lua_script_store_trampoline);
	lua_pushlightuserdata(L, &call);
	ok = lua_pcall(L, 1, 0, 0) == LUA_OK && !call.absent;
	lua_settop(L, top);
	return ok;
}

/* as in Python; @lookup has no meaning in Lua (no KeyError) */
static SuitBindingCall
suit_binding_script_store_call(SuitBindingScriptStore *self,
			       const gchar *method,
			       gboolean optional,
			       const SuitBindingArg *args,
			       guint n_args,
			       SuitBindingRetKind want,
			       SuitBindingRet *ret,
			       SuitError fallback,
			       gboolean lookup,
			       GError **error)
{
	lua_State *L = self->L;
	SuitLuaScriptCall call = {self, method, args, n_args, FALSE, FALSE};
	g_autofree gchar *what = suit_binding_script_call_name(method, args, n_args);
	SuitBindingCall rc = SUIT_BINDING_CALL_FAILED;
	int top;

	if (L == NULL || !lua_checkstack(L, 4)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "%s: the Lua state is gone", what);
		return SUIT_BINDING_CALL_FAILED;
	}
	top = lua_gettop(L);
	lua_pushcfunction(L, suit_lua_script_store_trampoline);
	lua_pushlightuserdata(L, &call);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		suit_lua_script_error(L, error, fallback, what);
		lua_settop(L, top);
		return SUIT_BINDING_CALL_FAILED;
	}
	if (call.absent) {
		if (optional)
			rc = SUIT_BINDING_CALL_ABSENT;
		else
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "%s: the script has no %s()", what, method);
	} else if (suit_lua_script_ret(L, method, want, ret, error)) {
		rc = SUIT_BINDING_CALL_OK;
	}
	lua_settop(L, top);
	return rc;
}
%}
#endif

%{
/* the SuitStore interface over the script */

static gboolean
suit_binding_script_store_not_found(SuitComponentId *component, GError **error)
{
	g_autofree gchar *name = suit_component_id_to_string(component);
	g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "component %s has no image", name);
	return FALSE;
}

/* the active image from read(): NULL with no error when there is none */
static GBytes *
suit_binding_script_store_read(SuitBindingScriptStore *self, SuitComponentId *component, GError **error)
{
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, component, 0}};
	SuitBindingRet ret = {0};

	if (suit_binding_script_store_call(self,
					   "read",
					   FALSE,
					   args,
					   G_N_ELEMENTS(args),
					   SUIT_BINDING_RET_BYTES,
					   &ret,
					   SUIT_ERROR_NOT_FOUND,
					   TRUE,
					   error) != SUIT_BINDING_CALL_OK)
		return NULL;
	return ret.bytes;
}

/* the active image, or NULL with SUIT_ERROR_NOT_FOUND */
static GBytes *
suit_binding_script_store_get_active(SuitBindingScriptStore *self,
				     SuitComponentId *component,
				     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GBytes *data = suit_binding_script_store_read(self, component, &error_local);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (data == NULL)
		suit_binding_script_store_not_found(component, error);
	return data;
}

static gboolean
suit_binding_script_store_has(SuitBindingScriptStore *self, SuitComponentId *component)
{
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, component, 0}};
	SuitBindingRet ret = {0};
	g_autoptr(GBytes) data = NULL;

	switch (suit_binding_script_store_call(self,
					       "has_component",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_BOOL,
					       &ret,
					       SUIT_ERROR_INTERNAL,
					       FALSE,
					       NULL)) {
	case SUIT_BINDING_CALL_OK:
		return ret.b;
	case SUIT_BINDING_CALL_FAILED:
		return FALSE;
	default:
		break;
	}
	data = suit_binding_script_store_read(self, component, NULL);
	return data != NULL;
}

static GOutputStream *
suit_binding_script_store_begin_write(SuitStore *store,
				      SuitComponentId *component,
				      SuitStoreWriteFlags flags,
				      GCancellable *cancellable,
				      GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingScriptSink *sink = g_object_new(suit_binding_script_sink_get_type(), NULL);
	sink->max_size = self->max_image_size;
	sink->owner = self;
	return G_OUTPUT_STREAM(sink);
}

static gboolean
suit_binding_script_store_commit_write(SuitStore *store,
				       SuitComponentId *component,
				       GOutputStream *sink,
				       SuitStoreWriteFlags flags,
				       SuitDigest *digest,
				       guint64 size,
				       GCancellable *cancellable,
				       GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingScriptSink *ssink = (SuitBindingScriptSink *)sink;
	g_autoptr(GBytes) data = NULL;
	SuitBindingRet ret = {0};
	SuitBindingArg args[3];
	guint n_args = 2;

	if (!G_TYPE_CHECK_INSTANCE_TYPE(sink, suit_binding_script_sink_get_type()) ||
	    ssink->owner != self || ssink->buf == NULL) {
		g_output_stream_close(sink, NULL, NULL);
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the sink does not belong to this store");
		return FALSE;
	}
	data = g_byte_array_free_to_bytes(g_steal_pointer(&ssink->buf));
	g_output_stream_close(sink, NULL, NULL);
	if (g_bytes_get_size(data) != size) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "the sink lost bytes");
		return FALSE;
	}
	args[0] = (SuitBindingArg){SUIT_BINDING_ARG_COMPONENT, component, 0};
	args[1] = (SuitBindingArg){SUIT_BINDING_ARG_BYTES, data, 0};
	/* only a script with a pending image cares about the flags */
	args[2] = (SuitBindingArg){SUIT_BINDING_ARG_UINT, NULL, (guint64)flags};
	if (suit_binding_script_store_has_method(self, "confirm"))
		n_args = 3;
	if (suit_binding_script_store_call(self,
					   "write",
					   FALSE,
					   args,
					   n_args,
					   SUIT_BINDING_RET_IGNORE,
					   &ret,
					   SUIT_ERROR_WRITE_FAILED,
					   FALSE,
					   error) != SUIT_BINDING_CALL_OK)
		return FALSE;
	g_hash_table_add(self->written, suit_component_id_ref(component));
	return TRUE;
}

static void
suit_binding_script_store_abort_write(SuitStore *store, SuitComponentId *component, GOutputStream *sink)
{
	g_output_stream_close(sink, NULL, NULL);
}

static gboolean
suit_binding_script_store_has_component(SuitStore *store, SuitComponentId *component)
{
	return suit_binding_script_store_has((SuitBindingScriptStore *)store, component);
}

static GInputStream *
suit_binding_script_store_read_component(SuitStore *store,
					 SuitComponentId *component,
					 GCancellable *cancellable,
					 GError **error)
{
	g_autoptr(GBytes) data =
	    suit_binding_script_store_get_active((SuitBindingScriptStore *)store, component, error);
	if (data == NULL)
		return NULL;
	return g_memory_input_stream_new_from_bytes(data);
}

static gboolean
suit_binding_script_store_get_size(SuitStore *store,
				   SuitComponentId *component,
				   guint64 *size,
				   GCancellable *cancellable,
				   GError **error)
{
	g_autoptr(GBytes) data =
	    suit_binding_script_store_get_active((SuitBindingScriptStore *)store, component, error);
	if (data == NULL)
		return FALSE;
	*size = g_bytes_get_size(data);
	return TRUE;
}

static gboolean
suit_binding_script_store_remove_component(SuitStore *store,
					   SuitComponentId *component,
					   GCancellable *cancellable,
					   GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, component, 0}};
	SuitBindingRet ret = {0};

	if (!suit_binding_script_store_has(self, component))
		return suit_binding_script_store_not_found(component, error);
	switch (suit_binding_script_store_call(self,
					       "remove",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_IGNORE,
					       &ret,
					       SUIT_ERROR_WRITE_FAILED,
					       TRUE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		g_hash_table_remove(self->written, component);
		return TRUE;
	case SUIT_BINDING_CALL_ABSENT:
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_SUPPORTED,
				    "the script store has no remove()");
		return FALSE;
	default:
		return FALSE;
	}
}

static gboolean
suit_binding_script_store_get_image_state(SuitStore *store,
					  SuitComponentId *component,
					  SuitStoreImageState *state,
					  GCancellable *cancellable,
					  GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, component, 0}};
	SuitBindingRet ret = {0};

	switch (suit_binding_script_store_call(self,
					       "image_state",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_UINT,
					       &ret,
					       SUIT_ERROR_INTERNAL,
					       FALSE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		if (ret.is_none || ret.n > SUIT_STORE_IMAGE_STATE_TRYING)
			return suit_binding_script_bad_return(error, "image_state", "a STORE_IMAGE_STATE_* constant");
		*state = (SuitStoreImageState)ret.n;
		return TRUE;
	case SUIT_BINDING_CALL_ABSENT:
		*state = suit_binding_script_store_has(self, component) ? SUIT_STORE_IMAGE_STATE_CONFIRMED
								       : SUIT_STORE_IMAGE_STATE_NONE;
		return TRUE;
	default:
		return FALSE;
	}
}

static gboolean
suit_binding_script_store_confirm(SuitStore *store,
				  SuitComponentId *component,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, component, 0}};
	SuitBindingRet ret = {0};

	if (!suit_binding_script_store_has(self, component))
		return suit_binding_script_store_not_found(component, error);
	switch (suit_binding_script_store_call(self,
					       "confirm",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_IGNORE,
					       &ret,
					       SUIT_ERROR_WRITE_FAILED,
					       TRUE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		return TRUE;
	case SUIT_BINDING_CALL_ABSENT: {
		/* not A/B: every image is confirmed, nothing is pending */
		g_autofree gchar *name = suit_component_id_to_string(component);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "component %s has no pending image",
			    name);
		return FALSE;
	}
	default:
		return FALSE;
	}
}

static GPtrArray *
suit_binding_script_store_begin_boot(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitBindingRet ret = {0};

	switch (suit_binding_script_store_call((SuitBindingScriptStore *)store,
					       "begin_boot",
					       TRUE,
					       NULL,
					       0,
					       SUIT_BINDING_RET_IDS,
					       &ret,
					       SUIT_ERROR_WRITE_FAILED,
					       FALSE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		return ret.ids;
	case SUIT_BINDING_CALL_ABSENT:
		return g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	default:
		return NULL;
	}
}

static GPtrArray *
suit_binding_script_store_list_components(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingRet ret = {0};
	g_autoptr(GPtrArray) ids = NULL;
	GHashTableIter iter;
	SuitComponentId *id;

	switch (suit_binding_script_store_call(self,
					       "list_components",
					       TRUE,
					       NULL,
					       0,
					       SUIT_BINDING_RET_IDS,
					       &ret,
					       SUIT_ERROR_INTERNAL,
					       FALSE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		return ret.ids;
	case SUIT_BINDING_CALL_ABSENT:
		break;
	default:
		return NULL;
	}
	/* what was written through this store and still has an image */
	ids = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	g_hash_table_iter_init(&iter, self->written);
	while (g_hash_table_iter_next(&iter, (gpointer *)&id, NULL)) {
		if (suit_binding_script_store_has(self, id))
			g_ptr_array_add(ids, suit_component_id_ref(id));
	}
	return g_steal_pointer(&ids);
}

static gboolean
suit_binding_script_store_no_sequence_number(SuitComponentId *manifest, GError **error)
{
	g_autofree gchar *name = manifest != NULL ? suit_component_id_to_string(manifest) : NULL;
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_FOUND,
		    "no sequence number is stored for %s%s",
		    name != NULL ? "manifest " : "the root manifest",
		    name != NULL ? name : "");
	return FALSE;
}

static gboolean
suit_binding_script_store_get_sequence_number(SuitStore *store,
					      SuitComponentId *manifest,
					      guint64 *value,
					      GCancellable *cancellable,
					      GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, manifest, 0}};
	SuitBindingRet ret = {0};
	guint64 *stored;

	switch (suit_binding_script_store_call(self,
					       "get_sequence_number",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_UINT,
					       &ret,
					       SUIT_ERROR_INTERNAL,
					       TRUE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		if (ret.is_none)
			return suit_binding_script_store_no_sequence_number(manifest, error);
		*value = ret.n;
		return TRUE;
	case SUIT_BINDING_CALL_ABSENT:
		break;
	default:
		return FALSE;
	}
	if (manifest == NULL) {
		if (!self->has_root_sequence_number)
			return suit_binding_script_store_no_sequence_number(NULL, error);
		*value = self->root_sequence_number;
		return TRUE;
	}
	stored = g_hash_table_lookup(self->sequence_numbers, manifest);
	if (stored == NULL)
		return suit_binding_script_store_no_sequence_number(manifest, error);
	*value = *stored;
	return TRUE;
}

static gboolean
suit_binding_script_store_set_sequence_number(SuitStore *store,
					      SuitComponentId *manifest,
					      guint64 value,
					      GCancellable *cancellable,
					      GError **error)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)store;
	SuitBindingArg args[] = {{SUIT_BINDING_ARG_COMPONENT, manifest, 0},
				 {SUIT_BINDING_ARG_UINT, NULL, value}};
	SuitBindingRet ret = {0};

	switch (suit_binding_script_store_call(self,
					       "set_sequence_number",
					       TRUE,
					       args,
					       G_N_ELEMENTS(args),
					       SUIT_BINDING_RET_IGNORE,
					       &ret,
					       SUIT_ERROR_WRITE_FAILED,
					       FALSE,
					       error)) {
	case SUIT_BINDING_CALL_OK:
		return TRUE;
	case SUIT_BINDING_CALL_ABSENT:
		break;
	default:
		return FALSE;
	}
	if (manifest == NULL) {
		self->has_root_sequence_number = TRUE;
		self->root_sequence_number = value;
		return TRUE;
	}
	g_hash_table_replace(self->sequence_numbers,
			     suit_component_id_ref(manifest),
			     g_memdup2(&value, sizeof(value)));
	return TRUE;
}

static void
suit_binding_script_store_iface_init(SuitStoreInterface *iface)
{
	iface->begin_write = suit_binding_script_store_begin_write;
	iface->commit_write = suit_binding_script_store_commit_write;
	iface->abort_write = suit_binding_script_store_abort_write;
	iface->has_component = suit_binding_script_store_has_component;
	iface->read_component = suit_binding_script_store_read_component;
	iface->get_size = suit_binding_script_store_get_size;
	/* no get_digest: the library hashes what read() gives */
	iface->remove_component = suit_binding_script_store_remove_component;
	iface->get_image_state = suit_binding_script_store_get_image_state;
	iface->confirm = suit_binding_script_store_confirm;
	iface->begin_boot = suit_binding_script_store_begin_boot;
	iface->list_components = suit_binding_script_store_list_components;
	iface->get_sequence_number = suit_binding_script_store_get_sequence_number;
	iface->set_sequence_number = suit_binding_script_store_set_sequence_number;
}

static void
suit_binding_script_store_finalize(GObject *object)
{
	SuitBindingScriptStore *self = (SuitBindingScriptStore *)object;
	suit_binding_script_store_release(self);
	g_hash_table_unref(self->written);
	g_hash_table_unref(self->sequence_numbers);
	G_OBJECT_CLASS(suit_binding_script_store_parent_class)->finalize(object);
}

static void
suit_binding_script_store_class_init(SuitBindingScriptStoreClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_binding_script_store_finalize;
}

static void
suit_binding_script_store_init(SuitBindingScriptStore *self)
{
	self->max_image_size = SUIT_BINDING_SCRIPT_STORE_MAX_IMAGE;
	self->written = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					      (GEqualFunc)suit_component_id_equal,
					      (GDestroyNotify)suit_component_id_unref,
					      NULL);
	self->sequence_numbers = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
						       (GEqualFunc)suit_component_id_equal,
						       (GDestroyNotify)suit_component_id_unref,
						       g_free);
#if defined(SWIGLUA)
	self->ref = LUA_NOREF;
#endif
}

%}

/* SuitStore *store: a suit.Store, or any script object (wrapped in a script
 * store for the call; the callee keeps its own reference if it needs one).
 * device.i's FirmwareConsumer(keyring, store, fetcher) takes it this way.
 * SuitBindingScriptStore *script: always wraps (Store.from_script). */
#if defined(SWIGPYTHON)
%typemap(in) SuitStore *store (gboolean own_store = FALSE) {
	void *argp = NULL;
	if (SWIG_IsOK(SWIG_ConvertPtr($input, &argp, $descriptor(SuitStore *), 0)) && argp != NULL) {
		$1 = (SuitStore *)argp;
	} else {
		GError *error_store = NULL;
		$1 = (SuitStore *)suit_binding_script_store_new($input, &error_store);
		if ($1 == NULL) {
			suit_py_raise_gerror(error_store);
			g_error_free(error_store);
			SWIG_fail;
		}
		own_store = TRUE;
	}
}
%typemap(in) SuitBindingScriptStore *script {
	GError *error_script = NULL;
	$1 = suit_binding_script_store_new($input, &error_script);
	if ($1 == NULL) {
		suit_py_raise_gerror(error_script);
		g_error_free(error_script);
		SWIG_fail;
	}
}
#elif defined(SWIGLUA)
%typemap(in) SuitStore *store (gboolean own_store = FALSE) {
	void *argp = NULL;
	if (lua_isuserdata(L, $input) &&
	    SWIG_IsOK(SWIG_ConvertPtr(L, $input, &argp, $descriptor(SuitStore *), 0)) && argp != NULL) {
		$1 = (SuitStore *)argp;
	} else {
		GError *error_store = NULL;
		$1 = (SuitStore *)suit_binding_script_store_new(L, $input, &error_store);
		if ($1 == NULL) {
			suit_lua_push_gerror(L, error_store);
			g_error_free(error_store);
			SWIG_fail;
		}
		own_store = TRUE;
	}
}
%typemap(in) SuitBindingScriptStore *script {
	GError *error_script = NULL;
	$1 = suit_binding_script_store_new(L, $input, &error_script);
	if ($1 == NULL) {
		suit_lua_push_gerror(L, error_script);
		g_error_free(error_script);
		SWIG_fail;
	}
}
#endif
%typemap(freearg) SuitStore *store {
	if (own_store$argnum && $1 != NULL)
		g_object_unref($1);
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_POINTER) SuitStore *store {
	$1 = 1;
}
%typemap(freearg) SuitBindingScriptStore *script {
	if ($1 != NULL)
		g_object_unref($1);
}

/* None (nil) is refused before the C functions see it */
%apply SWIGTYPE *NONNULL {
	SuitComponentId *component, GBytes *data, const char *path, const char *filename
};

SUIT_OWNED_RETURN(SuitStore)
SUIT_OWNED_RETURN(SuitStoreWriter)

%rename(Store) SuitStore;
%rename(StoreWriter) SuitStoreWriter;
typedef struct {} SuitStore;
typedef struct {} SuitStoreWriter;

/** ** Stores **/

%extend SuitStore {
	~SuitStore() {
		g_object_unref($self);
	}
	/* Store.directory(path): the crash-safe store in a directory, created
	 * if needed (also suit.DirectoryStore(path)) */
	static SuitStore *directory(const char *path, GError **error) {
		return (SuitStore *)suit_store_directory_new(path, error);
	}
	/* Store.memory(): an empty store in memory (also suit.MemoryStore()) */
	static SuitStore *memory() {
		return SUIT_STORE(suit_store_memory_new());
	}
	/* Store.from_script(obj): a store whose images live in the script,
	 * see the top of this file for the methods obj has */
	static SuitStore *from_script(SuitBindingScriptStore *script,
				      gsize max_image_size = SUIT_BINDING_SCRIPT_STORE_MAX_IMAGE) {
		script->max_image_size = MIN(max_image_size, (gsize)G_MAXUINT);
		return g_object_ref(SUIT_STORE(script));
	}
	/* the directory of a directory store, else None */
	const char *const path;
	/* a new image of @component; nothing is visible before its commit() */
	SuitStoreWriter *begin_write(SuitComponentId *component, int flags = 0, GError **error) {
		return suit_store_begin_write($self, component, (SuitStoreWriteFlags)flags, NULL, error);
	}
	/* writes a whole image; raises DigestError (store unchanged) unless it
	 * has @expected_digest */
	void write_bytes(SuitComponentId *component, GBytes *data, SuitDigest *expected_digest = NULL,
			 int flags = 0, GError **error) {
		suit_store_write_bytes($self, component, data, expected_digest, (SuitStoreWriteFlags)flags, NULL, error);
	}
	gboolean has_component(SuitComponentId *component) {
		return suit_store_has_component($self, component);
	}
	/* the active image; LIMIT_EXCEEDED when larger than @max_size */
	GBytes *read_bytes(SuitComponentId *component, gsize max_size = SUIT_BINDING_READ_MAX, GError **error) {
		return suit_store_read_bytes($self, component, max_size, NULL, error);
	}
	/* the size of the active image */
	guint64 size(SuitComponentId *component, GError **error) {
		guint64 size = 0;
		suit_store_get_size($self, component, &size, NULL, error);
		return size;
	}
	SuitDigest *digest(SuitComponentId *component, int algorithm = SUIT_DIGEST_ALGORITHM_SHA256, GError **error) {
		return suit_store_get_digest($self, component, (SuitDigestAlgorithm)algorithm, NULL, error);
	}
	/* deletes every image of @component; sequence numbers stay */
	void remove_component(SuitComponentId *component, GError **error) {
		suit_store_remove_component($self, component, NULL, error);
	}
	/* a STORE_IMAGE_STATE_* constant (NONE for an unknown component) */
	int image_state(SuitComponentId *component, GError **error) {
		SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
		suit_store_get_image_state($self, component, &state, NULL, error);
		return (int)state;
	}
	/* turns the pending image into the confirmed one; StateError
	 * ("conflict") when nothing is pending */
	void confirm(SuitComponentId *component, GError **error) {
		suit_store_confirm($self, component, NULL, error);
	}
	/* the boot-attempt protocol: returns the components that fell back */
	SuitComponentIdList *begin_boot(GError **error) {
		return suit_store_begin_boot($self, NULL, error);
	}
	SuitComponentIdList *list_components(GError **error) {
		return suit_store_list_components($self, NULL, error);
	}
	/* the sequence number stored for a manifest (None for the root
	 * manifest), or None when none is stored */
	SuitOptionalUint sequence_number(SuitComponentId *manifest_id = NULL, GError **error) {
		SuitOptionalUint out = {FALSE, 0};
		g_autoptr(GError) error_local = NULL;
		if (suit_store_get_sequence_number($self, manifest_id, &out.value, NULL, &error_local)) {
			out.found = TRUE;
			return out;
		}
		out.value = 0;
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
			g_propagate_error(error, g_steal_pointer(&error_local));
		return out;
	}
	void set_sequence_number(SuitComponentId *manifest_id, guint64 value, GError **error) {
		suit_store_set_sequence_number($self, manifest_id, value, NULL, error);
	}
	gchar *__str__() {
		if (SUIT_IS_STORE_DIRECTORY($self))
			return g_strdup_printf("directory store %s",
					       suit_store_directory_get_path(SUIT_STORE_DIRECTORY($self)));
		if (SUIT_IS_STORE_MEMORY($self))
			return g_strdup("memory store");
		if (SUIT_BINDING_IS_SCRIPT_STORE($self))
			return g_strdup("script store");
		return g_strdup_printf("%s store", G_OBJECT_TYPE_NAME($self));
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.Store: %s>" % str(self)
	%}
#endif
}
%{
static const char *
SuitStore_path_get(SuitStore *self)
{
	if (!SUIT_IS_STORE_DIRECTORY(self))
		return NULL;
	return suit_store_directory_get_path(SUIT_STORE_DIRECTORY(self));
}
%}

/** ** Store writers **/

%extend SuitStoreWriter {
	~SuitStoreWriter() {
		g_object_unref($self);
	}
	/* appends bytes; a failure discards the image */
	void write(GBytes *data, GError **error) {
		suit_store_writer_write($self, data, NULL, error);
	}
	/* appends the contents of a file (a stream, in chunks); NotFound when
	 * it cannot be opened, FETCH_FAILED when it cannot be read; a failure
	 * discards the image */
	void write_file(const char *filename, GError **error) {
		g_autoptr(GFile) file = g_file_new_for_path(filename);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GFileInputStream) input = g_file_read(file, NULL, &error_local);
		if (input == NULL) {
			suit_store_writer_abort($self);
			g_set_error(error,
				    SUIT_ERROR,
				    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
					? SUIT_ERROR_NOT_FOUND
					: SUIT_ERROR_FETCH_FAILED,
				    "cannot open %s: %s",
				    filename,
				    error_local->message);
			return;
		}
		suit_store_writer_write_stream($self, G_INPUT_STREAM(input), NULL, error);
	}
	/* must come before the first byte; the default is SHA-256 */
	void set_digest_algorithm(int algorithm, GError **error) {
		suit_store_writer_set_digest_algorithm($self, (SuitDigestAlgorithm)algorithm, error);
	}
	/* checks the digest and size (-1: any) and makes the image the
	 * component's new image; any failure discards it */
	void commit(SuitDigest *expected_digest = NULL, gint64 expected_size = -1, GError **error) {
		suit_store_writer_commit($self, expected_digest, expected_size, NULL, error);
	}
	/* discards the image; nothing after a commit */
	void abort() {
		suit_store_writer_abort($self);
	}
	SuitComponentId *const component;
	/* the digest of the committed image, None before the commit */
	SuitDigest *const digest;
	/* the bytes written so far */
	const guint64 size;
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __enter__(self):
	    return self

	def __exit__(self, exc_type, exc, tb):
	    # a no-op after a successful commit
	    self.abort()
	    return False

	def __repr__(self):
	    return "<suit.StoreWriter %s, %d bytes%s>" % (self.component, self.size,
	                                                  " committed" if self.digest is not None else "")
	%}
#endif
}
%{
static SuitComponentId *
SuitStoreWriter_component_get(SuitStoreWriter *self)
{
	return suit_component_id_ref(suit_store_writer_get_component(self));
}
static SuitDigest *
SuitStoreWriter_digest_get(SuitStoreWriter *self)
{
	SuitDigest *d = suit_store_writer_get_digest(self);
	return d != NULL ? suit_digest_ref(d) : NULL;
}
static guint64
SuitStoreWriter_size_get(SuitStoreWriter *self)
{
	return suit_store_writer_get_size(self);
}
%}

#if defined(SWIGPYTHON)
%pythoncode %{
def DirectoryStore(path):
    """The crash-safe store in the directory `path`: Store.directory(path)."""
    return Store.directory(path)


def MemoryStore():
    """An empty store in memory: Store.memory()."""
    return Store.memory()
%}
#elif defined(SWIGLUA)
%{
static const char suit_lua_prelude_store[] =
	"local suit = ...\n"
	"function suit.DirectoryStore(path)\n"
	"  return suit.Store.directory(path)\n"
	"end\n"
	"function suit.MemoryStore()\n"
	"  return suit.Store.memory()\n"
	"end\n";
%}
%init %{
	suit_lua_run_prelude(L, suit_lua_prelude_store);
%}
#endif

/* the sections below name their own non-null parameters */
%clear SuitComponentId *component, GBytes *data, const char *path, const char *filename;

/** ** API: progress, fetchers and the Firmware Consumer **/
/*
 * Progress, fetchers and the Firmware Consumer: suit.Progress,
 * suit.Fetcher and suit.FirmwareConsumer.
 *
 * Callbacks of the script (progress callbacks, invoke callbacks, a fetcher
 * written in the script) run inside a C call. They cannot raise through
 * the C frames, so:
 *  - an exception (Python) or error (Lua) raised by a progress or invoke
 *    callback, or by a script fetcher's supports_uri(), is kept and raised
 *    again, as it is, when the C call returns: by every method that takes a
 *    progress (GError **error_cb), by the Progress methods that emit, and by
 *    Fetcher.supports_uri(). The C call runs to its end (a callback cannot
 *    stop it), and no further callback is called once an error is kept. If
 *    the call failed as well, the callback's error still wins; the library's
 *    error becomes its __context__ (Python), or is appended to it when it is
 *    a string (Lua; other values: printed on stderr);
 *  - an error raised by a script fetcher's fetch() fails that fetch: it
 *    becomes the GError the library sees ('fetch-failed', or the id of a
 *    suit.Error the script raised), and so the error of the call.
 * Callbacks are only called from the synchronous calls of the bindings, in
 * the calling thread (Python, which takes the GIL) or on the main state
 * (Lua). A callback is held (Py_INCREF, a registry reference) until its
 * object is finalized: one that refers back to that object makes a cycle
 * the garbage collector cannot see.
 */

/** ** Progress, fetchers: runtime helpers **/

%{
/* a callable of the script as the in typemaps hand it to a method: a
 * borrowed PyObject * (Python), a new SuitLuaRef (Lua) */
typedef struct _SuitScriptCallable SuitScriptCallable;

/* the index of the current step, which the bindings keep to refuse
 * step_done() and child() without one (the C functions would log a
 * critical). The bindings' methods move it; no library function adds or
 * completes steps, but one may finish() a progress it is given, which the
 * SuitProgress *progress typemap notices (100%: no current step left) */
static GQuark
suit_binding_step_quark(void)
{
	return g_quark_from_static_string("suit-binding-step");
}

static guint
suit_binding_progress_step(SuitProgress *progress)
{
	return GPOINTER_TO_UINT(g_object_get_qdata(G_OBJECT(progress), suit_binding_step_quark()));
}

static void
suit_binding_progress_set_step(SuitProgress *progress, guint step)
{
	g_object_set_qdata(G_OBJECT(progress), suit_binding_step_quark(), GUINT_TO_POINTER(step));
}

static gboolean
suit_binding_progress_has_step(SuitProgress *progress, GError **error)
{
	if (suit_binding_progress_step(progress) >= suit_progress_get_steps(progress)) {
		suit_binding_set_invalid_argument(error, "the progress has no current step");
		return FALSE;
	}
	return TRUE;
}

/* writes @data, which a script fetcher returned for @uri, into @sink as a
 * fetcher does: in chunks, within @max_size, reporting to @progress */
static gboolean
suit_binding_fetcher_deliver(const gchar *uri,
			     GBytes *data,
			     GOutputStream *sink,
			     guint64 max_size,
			     SuitProgress *progress,
			     GCancellable *cancellable,
			     GError **error)
{
	gsize size = 0;
	const guint8 *buf = g_bytes_get_data(data, &size);

	if (max_size > 0 && (guint64)size > max_size) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "%s is larger than the %" G_GUINT64_FORMAT " bytes expected (at least %" G_GSIZE_FORMAT
			    " bytes)",
			    uri,
			    max_size,
			    size);
		return FALSE;
	}
	if (progress != NULL) {
		suit_progress_set_total(progress, size);
		suit_progress_set_status(progress, SUIT_PROGRESS_STATUS_FETCHING);
	}
	for (gsize off = 0; off < size;) {
		gsize n = MIN(size - off, (gsize)SUIT_FETCHER_CHUNK_SIZE);
		g_autoptr(GError) error_local = NULL;
		if (!g_output_stream_write_all(sink, buf + off, n, NULL, cancellable, &error_local)) {
			if (error_local->domain == SUIT_ERROR ||
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_WRITE_FAILED,
				    "failed to write payload: %s",
				    error_local->message);
			return FALSE;
		}
		off += n;
		if (progress != NULL)
			suit_progress_add_done(progress, n);
	}
	if (progress != NULL)
		suit_progress_finished(progress);
	return TRUE;
}

/* UsageError unless @fetcher is an HTTP fetcher */
static gboolean
suit_binding_check_soup(SuitFetcher *fetcher, GError **error)
{
	if (SUIT_IS_FETCHER_SOUP(fetcher))
		return TRUE;
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_ARGUMENT,
		    "%s is not an HTTP fetcher (Fetcher.soup())",
		    G_OBJECT_TYPE_NAME(fetcher));
	return FALSE;
}

/* SuitBindingScriptFetcher: a SuitFetcher whose fetch() and supports_uri()
 * are methods of an object of the script */
#define SUIT_BINDING_TYPE_SCRIPT_FETCHER (suit_binding_script_fetcher_get_type())
G_DECLARE_FINAL_TYPE(SuitBindingScriptFetcher, suit_binding_script_fetcher, SUIT_BINDING, SCRIPT_FETCHER, GObject)

struct _SuitBindingScriptFetcher {
	GObject parent_instance;
#if defined(SWIGPYTHON)
	PyObject *script; /* owned */
#else
	lua_State *L; /* the main state */
	int ref;      /* the script object, in the registry */
#endif
};

static gboolean
suit_binding_script_fetcher_fetch(SuitFetcher *fetcher,
				  const gchar *uri,
				  GOutputStream *sink,
				  guint64 max_size,
				  SuitFetchFlags flags,
				  SuitProgress *progress,
				  GCancellable *cancellable,
				  GError **error);
static gboolean
suit_binding_script_fetcher_supports_uri(SuitFetcher *fetcher, const gchar *uri);
static void
suit_binding_script_fetcher_release(SuitBindingScriptFetcher *self);

static void
suit_binding_script_fetcher_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = suit_binding_script_fetcher_fetch;
	iface->supports_uri = suit_binding_script_fetcher_supports_uri;
}

G_DEFINE_TYPE_WITH_CODE(SuitBindingScriptFetcher,
			suit_binding_script_fetcher,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, suit_binding_script_fetcher_iface_init))

static void
suit_binding_script_fetcher_finalize(GObject *object)
{
	suit_binding_script_fetcher_release(SUIT_BINDING_SCRIPT_FETCHER(object));
	G_OBJECT_CLASS(suit_binding_script_fetcher_parent_class)->finalize(object);
}

static void
suit_binding_script_fetcher_class_init(SuitBindingScriptFetcherClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = suit_binding_script_fetcher_finalize;
}

static void
suit_binding_script_fetcher_init(SuitBindingScriptFetcher *self)
{
#if defined(SWIGLUA)
	self->ref = LUA_NOREF;
#endif
}
%}

#if defined(SWIGPYTHON)
%{
/* the exception a callback raised, until the C call returns (under the GIL) */
/* per thread: the GIL is released while libsuit runs a long call, so two
 * threads may each keep a callback error */
static _Thread_local PyObject *suit_py_callback_exc[3] = {NULL, NULL, NULL};

/* keeps the exception that is set, and clears it; one is kept at a time,
 * any other is reported with sys.unraisablehook */
static void
suit_py_keep_callback_error(PyObject *where)
{
	if (suit_py_callback_exc[0] != NULL) {
		PyErr_WriteUnraisable(where);
		return;
	}
	PyErr_Fetch(&suit_py_callback_exc[0], &suit_py_callback_exc[1], &suit_py_callback_exc[2]);
}

/* raises the kept exception, if any; an exception already set (the
 * library's error) becomes its __context__ */
static gboolean
suit_py_raise_callback_error(void)
{
	PyObject *type, *value, *tb;
	PyObject *ctx_type = NULL, *ctx_value = NULL, *ctx_tb = NULL;

	if (suit_py_callback_exc[0] == NULL)
		return FALSE;
	type = suit_py_callback_exc[0];
	value = suit_py_callback_exc[1];
	tb = suit_py_callback_exc[2];
	suit_py_callback_exc[0] = suit_py_callback_exc[1] = suit_py_callback_exc[2] = NULL;
	if (PyErr_Occurred()) {
		PyErr_Fetch(&ctx_type, &ctx_value, &ctx_tb);
		PyErr_NormalizeException(&ctx_type, &ctx_value, &ctx_tb);
		if (ctx_value != NULL && ctx_tb != NULL)
			PyException_SetTraceback(ctx_value, ctx_tb);
	}
	PyErr_NormalizeException(&type, &value, &tb);
	if (value != NULL && ctx_value != NULL) {
		/* steals the reference */
		PyException_SetContext(value, ctx_value);
		ctx_value = NULL;
	}
	Py_XDECREF(ctx_type);
	Py_XDECREF(ctx_value);
	Py_XDECREF(ctx_tb);
	PyErr_Restore(type, value, tb);
	return TRUE;
}

/* drops a reference to an object of the script from any thread */
static void
suit_py_release(gpointer data, GClosure *closure)
{
	PyGILState_STATE state;
	if (!Py_IsInitialized())
		return;
	state = PyGILState_Ensure();
	Py_DECREF((PyObject *)data);
	PyGILState_Release(state);
}

static void
suit_py_progress_call(PyObject *fn, gdouble percentage, guint status)
{
	PyGILState_STATE state = PyGILState_Ensure();
	if (suit_py_callback_exc[0] == NULL) {
		PyObject *res = PyObject_CallFunction(fn, "di", percentage, (int)status);
		if (res == NULL)
			suit_py_keep_callback_error(fn);
		Py_XDECREF(res);
	}
	PyGILState_Release(state);
}

static void
suit_py_progress_percentage_cb(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	suit_py_progress_call(user_data, percentage, suit_progress_get_status(progress));
}

static void
suit_py_progress_status_cb(SuitProgress *progress, guint status, gpointer user_data)
{
	suit_py_progress_call(user_data, suit_progress_get_percentage(progress), status);
}

/* calls @fn(percentage, status) on each change of @progress, until it is
 * finalized; returns the handler id of percentage-changed */
static gulong
suit_binding_progress_connect(SuitProgress *progress, SuitScriptCallable *callable)
{
	PyObject *fn = (PyObject *)callable;
	gulong id;
	Py_INCREF(fn);
	id = g_signal_connect_data(progress,
				   "percentage-changed",
				   G_CALLBACK(suit_py_progress_percentage_cb),
				   fn,
				   suit_py_release,
				   0);
	Py_INCREF(fn);
	g_signal_connect_data(progress,
			      "status-changed",
			      G_CALLBACK(suit_py_progress_status_cb),
			      fn,
			      suit_py_release,
			      0);
	return id;
}

/* the script fetcher */
static void
suit_binding_script_fetcher_release(SuitBindingScriptFetcher *self)
{
	if (self->script != NULL)
		suit_py_release(self->script, NULL);
	self->script = NULL;
}

static SuitFetcher *
suit_py_script_fetcher_new(PyObject *script)
{
	SuitBindingScriptFetcher *self = g_object_new(SUIT_BINDING_TYPE_SCRIPT_FETCHER, NULL);
	Py_INCREF(script);
	self->script = script;
	return SUIT_FETCHER(self);
}

static gboolean
suit_py_is_script_fetcher(PyObject *obj)
{
	PyObject *fetch = PyObject_GetAttrString(obj, "fetch");
	gboolean ok = fetch != NULL && PyCallable_Check(fetch);
	if (fetch == NULL)
		PyErr_Clear();
	Py_XDECREF(fetch);
	return ok;
}

static gboolean
suit_binding_script_fetcher_fetch(SuitFetcher *fetcher,
				  const gchar *uri,
				  GOutputStream *sink,
				  guint64 max_size,
				  SuitFetchFlags flags,
				  SuitProgress *progress,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitBindingScriptFetcher *self = SUIT_BINDING_SCRIPT_FETCHER(fetcher);
	g_autoptr(GBytes) data = NULL;
	PyGILState_STATE state = PyGILState_Ensure();
	PyObject *res = PyObject_CallMethod(self->script, "fetch", "s", uri);
	Py_buffer view;

	if (res == NULL) {
		g_autofree gchar *what = g_strdup_printf("failed to fetch %s", uri);
		suit_py_exception_to_gerror(error, SUIT_ERROR_FETCH_FAILED, what);
		PyGILState_Release(state);
		return FALSE;
	}
	if (PyObject_GetBuffer(res, &view, PyBUF_SIMPLE) != 0) {
		PyErr_Clear();
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to fetch %s: fetch() returned %s, not bytes",
			    uri,
			    Py_TYPE(res)->tp_name);
		Py_DECREF(res);
		PyGILState_Release(state);
		return FALSE;
	}
	data = g_bytes_new(view.buf, (gsize)view.len);
	PyBuffer_Release(&view);
	Py_DECREF(res);
	PyGILState_Release(state);
	return suit_binding_fetcher_deliver(uri, data, sink, max_size, progress, cancellable, error);
}

static gboolean
suit_binding_script_fetcher_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	SuitBindingScriptFetcher *self = SUIT_BINDING_SCRIPT_FETCHER(fetcher);
	gboolean ok = TRUE;
	PyGILState_STATE state = PyGILState_Ensure();
	PyObject *method = PyObject_GetAttrString(self->script, "supports_uri");

	if (method == NULL) {
		/* optional: without it, every URI is tried */
		PyErr_Clear();
	} else {
		PyObject *res = PyObject_CallFunction(method, "s", uri);
		int truth = res != NULL ? PyObject_IsTrue(res) : -1;
		if (truth < 0) {
			suit_py_keep_callback_error(method);
			ok = FALSE;
		} else {
			ok = truth ? TRUE : FALSE;
		}
		Py_XDECREF(res);
		Py_DECREF(method);
	}
	PyGILState_Release(state);
	return ok;
}
%}
#elif defined(SWIGLUA)
%{
/* the error a callback raised, until the C call returns: kept in the
 * registry under the address of this key */
static const char suit_lua_callback_error_key = 'e';

static gboolean
suit_lua_has_callback_error(lua_State *L)
{
	gboolean set;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &suit_lua_callback_error_key);
	set = !lua_isnil(L, -1);
	lua_pop(L, 1);
	return set;
}

/* keeps the error value on top of the stack, which it pops; one is kept at
 * a time, any other is printed on stderr */
static void
suit_lua_keep_callback_error(lua_State *L)
{
	if (suit_lua_has_callback_error(L)) {
		const char *text = luaL_tolstring(L, -1, NULL);
		g_printerr("suit: error in a callback, while another is pending: %s\n", text);
		lua_pop(L, 2);
		return;
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &suit_lua_callback_error_key);
}

/* pushes the kept error, if any, and forgets it */
static gboolean
suit_lua_push_callback_error(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &suit_lua_callback_error_key);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return FALSE;
	}
	lua_pushnil(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &suit_lua_callback_error_key);
	return TRUE;
}

/* the library's @error, when a callback's error (on top of the stack) wins
 * over it: appended to a string error, else printed */
static void
suit_lua_add_gerror_to_callback_error(lua_State *L, const GError *error)
{
	if (lua_type(L, -1) == LUA_TSTRING) {
		lua_pushfstring(L, "\n(and the call failed: suit.Error: %s: %s)", suit_error_get_id(error), error->message);
		lua_concat(L, 2);
		return;
	}
	g_printerr("suit: the call failed too: %s: %s\n", suit_error_get_id(error), error->message);
}

/* a value of the script, held in the registry; callbacks are called on the
 * main state, as coroutines may be gone by then */
typedef struct {
	lua_State *L;
	int ref;
} SuitLuaRef;

static lua_State *
suit_lua_main_state(lua_State *L)
{
	lua_State *main_state;
	lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
	main_state = lua_tothread(L, -1);
	lua_pop(L, 1);
	return main_state;
}

static SuitLuaRef *
suit_lua_ref_new(lua_State *L, int idx)
{
	SuitLuaRef *ref = g_new0(SuitLuaRef, 1);
	lua_pushvalue(L, idx);
	ref->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	ref->L = suit_lua_main_state(L);
	return ref;
}

static void
suit_lua_ref_free(gpointer data, GClosure *closure)
{
	SuitLuaRef *ref = data;
	luaL_unref(ref->L, LUA_REGISTRYINDEX, ref->ref);
	g_free(ref);
}

static void
suit_lua_progress_call(SuitLuaRef *fn, gdouble percentage, guint status)
{
	lua_State *L = fn->L;
	int top = lua_gettop(L);
	if (suit_lua_has_callback_error(L))
		return;
	luaL_checkstack(L, 3, NULL);
	lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
	lua_pushnumber(L, percentage);
	lua_pushinteger(L, status);
	if (lua_pcall(L, 2, 0, 0) != LUA_OK)
		suit_lua_keep_callback_error(L);
	lua_settop(L, top);
}

static void
suit_lua_progress_percentage_cb(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	suit_lua_progress_call(user_data, percentage, suit_progress_get_status(progress));
}

static void
suit_lua_progress_status_cb(SuitProgress *progress, guint status, gpointer user_data)
{
	suit_lua_progress_call(user_data, suit_progress_get_percentage(progress), status);
}

/* calls the function @callable (a SuitLuaRef, which it takes) with
 * (percentage, status) on each change of @progress, until it is finalized */
static gulong
suit_binding_progress_connect(SuitProgress *progress, SuitScriptCallable *callable)
{
	SuitLuaRef *fn = (SuitLuaRef *)callable;
	SuitLuaRef *fn2 = g_new0(SuitLuaRef, 1);
	gulong id;

	/* a second registry reference, as each handler releases its own */
	fn2->L = fn->L;
	lua_rawgeti(fn->L, LUA_REGISTRYINDEX, fn->ref);
	fn2->ref = luaL_ref(fn->L, LUA_REGISTRYINDEX);
	id = g_signal_connect_data(progress,
				   "percentage-changed",
				   G_CALLBACK(suit_lua_progress_percentage_cb),
				   fn,
				   suit_lua_ref_free,
				   0);
	g_signal_connect_data(progress,
			      "status-changed",
			      G_CALLBACK(suit_lua_progress_status_cb),
			      fn2,
			      suit_lua_ref_free,
			      0);
	return id;
}

/* the script fetcher */
static void
suit_binding_script_fetcher_release(SuitBindingScriptFetcher *self)
{
	if (self->L != NULL)
		luaL_unref(self->L, LUA_REGISTRYINDEX, self->ref);
	self->L = NULL;
}

static SuitFetcher *
suit_lua_script_fetcher_new(lua_State *L, int idx)
{
	SuitBindingScriptFetcher *self = g_object_new(SUIT_BINDING_TYPE_SCRIPT_FETCHER, NULL);
	lua_pushvalue(L, idx);
	self->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	self->L = suit_lua_main_state(L);
	return SUIT_FETCHER(self);
}

/* whether the value at @idx has a function @name (a table, or a userdata
 * with an __index) */
static gboolean
suit_lua_has_method(lua_State *L, int idx, const char *name)
{
	gboolean ok;
	if (!lua_istable(L, idx) && !lua_isuserdata(L, idx))
		return FALSE;
	lua_getfield(L, idx, name);
	ok = lua_isfunction(L, -1);
	lua_pop(L, 1);
	return ok;
}

/* pcall(script[method], script, uri): leaves the result or the error on
 * top; TRUE for success */
static gboolean
suit_lua_call_method(lua_State *L, int script_ref, const char *method, const char *uri)
{
	luaL_checkstack(L, 4, NULL);
	lua_rawgeti(L, LUA_REGISTRYINDEX, script_ref);
	lua_getfield(L, -1, method);
	lua_insert(L, -2);
	lua_pushstring(L, uri);
	return lua_pcall(L, 2, 1, 0) == LUA_OK;
}

static gboolean
suit_binding_script_fetcher_fetch(SuitFetcher *fetcher,
				  const gchar *uri,
				  GOutputStream *sink,
				  guint64 max_size,
				  SuitFetchFlags flags,
				  SuitProgress *progress,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitBindingScriptFetcher *self = SUIT_BINDING_SCRIPT_FETCHER(fetcher);
	lua_State *L = self->L;
	int top = lua_gettop(L);
	g_autoptr(GBytes) data = NULL;
	size_t len = 0;
	const char *buf;

	if (!suit_lua_call_method(L, self->ref, "fetch", uri)) {
		g_autofree gchar *what = g_strdup_printf("failed to fetch %s", uri);
		suit_lua_value_to_gerror(L, error, SUIT_ERROR_FETCH_FAILED, what);
		lua_settop(L, top);
		return FALSE;
	}
	if (lua_type(L, -1) != LUA_TSTRING) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to fetch %s: fetch() returned a %s, not a string",
			    uri,
			    luaL_typename(L, -1));
		lua_settop(L, top);
		return FALSE;
	}
	buf = lua_tolstring(L, -1, &len);
	data = g_bytes_new(buf, len);
	lua_settop(L, top);
	return suit_binding_fetcher_deliver(uri, data, sink, max_size, progress, cancellable, error);
}

static gboolean
suit_binding_script_fetcher_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	SuitBindingScriptFetcher *self = SUIT_BINDING_SCRIPT_FETCHER(fetcher);
	lua_State *L = self->L;
	int top = lua_gettop(L);
	gboolean ok = TRUE;

	lua_rawgeti(L, LUA_REGISTRYINDEX, self->ref);
	if (suit_lua_has_method(L, -1, "supports_uri")) {
		if (suit_lua_call_method(L, self->ref, "supports_uri", uri)) {
			ok = lua_toboolean(L, -1) ? TRUE : FALSE;
		} else {
			suit_lua_keep_callback_error(L);
			ok = FALSE;
		}
	}
	lua_settop(L, top);
	return ok;
}
%}
#endif

/** ** Progress, fetchers: typemaps **/

/* a callable of the script, for Progress.connect() and the like */
#if defined(SWIGPYTHON)
%typemap(in) SuitScriptCallable *callback {
	if (!PyCallable_Check($input))
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be callable");
	$1 = (SuitScriptCallable *)$input;
}
#elif defined(SWIGLUA)
%typemap(in, checkfn="lua_isfunction") SuitScriptCallable *callback {
	$1 = (SuitScriptCallable *)suit_lua_ref_new(L, $input);
}
#endif

/* the errors callbacks raised: raised again when the call returns */
#if defined(SWIGPYTHON)
%define SUIT_CALLBACK_CHECK(NAME)
%exception NAME {
	$action
	if (suit_py_raise_callback_error())
		SWIG_fail;
}
%enddef
#elif defined(SWIGLUA)
%define SUIT_CALLBACK_CHECK(NAME)
%exception NAME {
	$action
	if (suit_lua_push_callback_error(L))
		SWIG_fail;
}
%enddef
#endif

/* GError **error_cb: the GError of a call that runs callbacks of the script
 * (a progress, an invoke callback, a script fetcher's supports_uri). An
 * error a callback raised wins: it is raised as it is. In Python the
 * library's error, if the call failed too, becomes its __context__; in Lua
 * it is appended to a string error value, or else printed on stderr */
%apply GError **error { GError **error_cb };
#if defined(SWIGPYTHON)
%typemap(argout) GError **error_cb {
	if (*$1 != NULL || suit_py_callback_exc[0] != NULL) {
		Py_XDECREF($result);
		$result = NULL;
		if (*$1 != NULL)
			suit_py_raise_gerror(*$1);
		suit_py_raise_callback_error();
		SWIG_fail;
	}
}
#elif defined(SWIGLUA)
%typemap(argout) GError **error_cb {
	if (suit_lua_push_callback_error(L)) {
		if (*$1 != NULL)
			suit_lua_add_gerror_to_callback_error(L, *$1);
		SWIG_fail;
	}
	if (*$1 != NULL) {
		suit_lua_push_gerror(L, *$1);
		SWIG_fail;
	}
}
#endif

/* SuitProgress *progress in: None/nil, a suit.Progress, or a callable
 * (function) of the script, called as fn(percentage, status) through a
 * temporary Progress */
#if defined(SWIGPYTHON)
%typemap(in) SuitProgress *progress (SuitProgress *owned = NULL, void *argp = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else if (SWIG_IsOK(SWIG_ConvertPtr($input, &argp, $descriptor(SuitProgress *), 0))) {
		$1 = (SuitProgress *)argp;
	} else if (PyCallable_Check($input)) {
		owned = suit_progress_new();
		suit_binding_progress_connect(owned, (SuitScriptCallable *)$input);
		$1 = owned;
	} else {
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be a suit.Progress, a callable or None");
	}
}
#elif defined(SWIGLUA)
%typemap(in) SuitProgress *progress (SuitProgress *owned = NULL, void *argp = NULL) {
	if (lua_isnoneornil(L, $input)) {
		$1 = NULL;
	} else if (lua_isfunction(L, $input)) {
		owned = suit_progress_new();
		suit_binding_progress_connect(owned, (SuitScriptCallable *)suit_lua_ref_new(L, $input));
		$1 = owned;
	} else if (SWIG_IsOK(SWIG_ConvertPtr(L, $input, &argp, $descriptor(SuitProgress *), 0))) {
		$1 = (SuitProgress *)argp;
	} else {
		SWIG_fail_arg("$symname", $argnum, "suit.Progress, function or nil");
	}
}
#endif
%typemap(freearg) SuitProgress *progress {
	/* a fetcher that succeeds finishes the progress, and its steps */
	if ($1 != NULL && $1 != owned$argnum && suit_progress_get_percentage($1) >= 100.0)
		suit_binding_progress_set_step($1, suit_progress_get_steps($1));
	g_clear_object(&owned$argnum);
}

/* SuitFetcher *fetcher in: None/nil, a suit.Fetcher, or an object of the
 * script with a fetch(uri) method (see Fetcher.from_script) */
#if defined(SWIGPYTHON)
%typemap(in) SuitFetcher *fetcher (SuitFetcher *owned = NULL, void *argp = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else if (SWIG_IsOK(SWIG_ConvertPtr($input, &argp, $descriptor(SuitFetcher *), 0))) {
		$1 = (SuitFetcher *)argp;
	} else if (suit_py_is_script_fetcher($input)) {
		owned = suit_py_script_fetcher_new($input);
		$1 = owned;
	} else {
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be a suit.Fetcher, an object with a fetch() method or None");
	}
}
/* an object of the script only */
%typemap(in) SuitFetcher *script (SuitFetcher *owned = NULL) {
	if (!suit_py_is_script_fetcher($input))
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must have a fetch() method");
	owned = suit_py_script_fetcher_new($input);
	$1 = owned;
}
#elif defined(SWIGLUA)
%typemap(in) SuitFetcher *fetcher (SuitFetcher *owned = NULL, void *argp = NULL) {
	if (lua_isnoneornil(L, $input)) {
		$1 = NULL;
	} else if (lua_isuserdata(L, $input) && SWIG_IsOK(SWIG_ConvertPtr(L, $input, &argp, $descriptor(SuitFetcher *), 0))) {
		$1 = (SuitFetcher *)argp;
	} else if (suit_lua_has_method(L, $input, "fetch")) {
		owned = suit_lua_script_fetcher_new(L, $input);
		$1 = owned;
	} else {
		SWIG_fail_arg("$symname", $argnum, "suit.Fetcher, table with a fetch function or nil");
	}
}
%typemap(in) SuitFetcher *script (SuitFetcher *owned = NULL) {
	if (!suit_lua_has_method(L, $input, "fetch"))
		SWIG_fail_arg("$symname", $argnum, "table with a fetch function");
	owned = suit_lua_script_fetcher_new(L, $input);
	$1 = owned;
}
#endif
%typemap(freearg) SuitFetcher *fetcher, SuitFetcher *script {
	g_clear_object(&owned$argnum);
}

SUIT_OWNED_RETURN(SuitProgress)
SUIT_OWNED_RETURN(SuitFetcher)
SUIT_OWNED_RETURN(SuitFirmwareConsumer)

/* the Progress methods that emit, and so call the script */
SUIT_CALLBACK_CHECK(SuitProgress::percentage)
SUIT_CALLBACK_CHECK(SuitProgress::status)
SUIT_CALLBACK_CHECK(SuitProgress::total)
SUIT_CALLBACK_CHECK(SuitProgress::add_done)
SUIT_CALLBACK_CHECK(SuitProgress::add_step)
SUIT_CALLBACK_CHECK(SuitProgress::step_done)
SUIT_CALLBACK_CHECK(SuitProgress::finished)
SUIT_CALLBACK_CHECK(SuitProgress::reset)
SUIT_CALLBACK_CHECK(SuitFetcher::supports_uri)

/** ** Progress **/

%rename(Progress) SuitProgress;
typedef struct {} SuitProgress;

%extend SuitProgress {
	/* Progress(): a progress to pass to update(), fetch() and the like;
	 * connect() a callback to follow it */
	SuitProgress() {
		return suit_progress_new();
	}
	~SuitProgress() {
		g_object_unref($self);
	}
	/* from 0 to 100; only goes up until reset() */
	gdouble percentage;
	/* a PROGRESS_STATUS_* value */
	int status;
	/* the size of a byte-based operation, or 0 */
	guint64 total;
	const guint64 done;
	/* the number of steps added */
	const guint steps;
	/* the name of this step, or None */
	const char *const name;
	/* calls callback(percentage, status) when the percentage or the status
	 * changes, until the progress is gone; returns the handler id */
	unsigned long connect(SuitScriptCallable *callback) {
		return suit_binding_progress_connect($self, callback);
	}
	void add_done(guint64 done) {
		suit_progress_add_done($self, done);
	}
	/* adds a step of relative cost @weight, run with @status */
	void add_step(int status, guint weight, const char *name = NULL) {
		suit_progress_add_step($self, (SuitProgressStatus)status, weight, name);
	}
	/* finishes the current step; UsageError without one */
	void step_done(GError **error) {
		if (!suit_binding_progress_has_step($self, error))
			return;
		suit_binding_progress_set_step($self, suit_binding_progress_step($self) + 1);
		suit_progress_step_done($self);
	}
	/* the progress of the current step; UsageError without one */
	SuitProgress *child(GError **error) {
		if (!suit_binding_progress_has_step($self, error))
			return NULL;
		return g_object_ref(suit_progress_get_child($self));
	}
	/* 100%, and every step left done */
	void finished() {
		suit_binding_progress_set_step($self, suit_progress_get_steps($self));
		suit_progress_finished($self);
	}
	/* a new run: no steps, 0% */
	void reset() {
		suit_binding_progress_set_step($self, 0);
		suit_progress_reset($self);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	def __repr__(self):
	    return "<suit.Progress %.1f%% %s>" % (self.percentage, progress_status_to_string(self.status))
	%}
#endif
}
%{
static gdouble
SuitProgress_percentage_get(SuitProgress *self)
{
	return suit_progress_get_percentage(self);
}
static void
SuitProgress_percentage_set(SuitProgress *self, gdouble percentage)
{
	suit_progress_set_percentage(self, percentage);
}
static int
SuitProgress_status_get(SuitProgress *self)
{
	return suit_progress_get_status(self);
}
static void
SuitProgress_status_set(SuitProgress *self, int status)
{
	suit_progress_set_status(self, (SuitProgressStatus)status);
}
static guint64
SuitProgress_total_get(SuitProgress *self)
{
	return suit_progress_get_total(self);
}
static void
SuitProgress_total_set(SuitProgress *self, guint64 total)
{
	suit_progress_set_total(self, total);
}
static guint64
SuitProgress_done_get(SuitProgress *self)
{
	return suit_progress_get_done(self);
}
static guint
SuitProgress_steps_get(SuitProgress *self)
{
	return suit_progress_get_steps(self);
}
static const char *
SuitProgress_name_get(SuitProgress *self)
{
	return suit_progress_get_name(self);
}
%}
%rename(progress_status_to_string) suit_progress_status_to_string;
%rename(progress_status_from_string) suit_progress_status_from_string;
const char *suit_progress_status_to_string(int status);
int suit_progress_status_from_string(const char *status);

/** ** Fetchers **/

%rename(Fetcher) SuitFetcher;
%rename(default) SuitFetcher::new_default;
typedef struct {} SuitFetcher;

%extend SuitFetcher {
	~SuitFetcher() {
		g_object_unref($self);
	}
	/* Fetcher.default(): file:// and http(s):// */
	static SuitFetcher *new_default() {
		return suit_fetcher_new_default();
	}
	/* Fetcher.file(): file:// only */
	static SuitFetcher *file() {
		return SUIT_FETCHER(suit_fetcher_file_new());
	}
	/* Fetcher.soup(): http:// and https://, with retries */
	static SuitFetcher *soup() {
		return SUIT_FETCHER(suit_fetcher_soup_new());
	}
	/* Fetcher.from_script(obj): a fetcher calling obj.fetch(uri), which
	 * returns the bytes, and obj.supports_uri(uri) if it has one */
	static SuitFetcher *from_script(SuitFetcher *script) {
		return g_object_ref(script);
	}
	gboolean supports_uri(const char *uri) {
		return uri != NULL && suit_fetcher_supports_uri($self, uri);
	}
	/* the resource at @uri, at most @max_size bytes (not 0) */
	GBytes *fetch_bytes(const char *uri, guint64 max_size, int flags = 0, SuitProgress *progress = NULL, GError **error_cb) {
		if (uri == NULL) {
			suit_binding_set_invalid_argument(error_cb, "a URI is required");
			return NULL;
		}
		GBytes *body = NULL;
		SUIT_BINDING_BLOCKING(body = suit_fetcher_fetch_bytes($self, uri, max_size, (SuitFetchFlags)flags, progress, NULL, error_cb));
		return body;
	}
	/* streams the resource at @uri into @writer (from Store.begin_write()),
	 * at most @max_size bytes (0: no limit); commit() the writer afterwards.
	 * On failure the writer may hold part of the body: abort() it */
	void fetch(const char *uri, SuitStoreWriter *writer, guint64 max_size, int flags = 0, SuitProgress *progress = NULL, GError **error_cb) {
		if (uri == NULL || writer == NULL) {
			suit_binding_set_invalid_argument(error_cb, "a URI and a writer are required");
			return;
		}
		SUIT_BINDING_BLOCKING(suit_fetcher_fetch($self, uri, G_OUTPUT_STREAM(writer), max_size, (SuitFetchFlags)flags, progress, NULL, error_cb));
	}
	/* the settings of an HTTP fetcher (Fetcher.soup()); UsageError
	 * 'invalid-argument' on any other */
	guint get_timeout(GError **error) {
		if (!suit_binding_check_soup($self, error))
			return 0;
		return suit_fetcher_soup_get_timeout(SUIT_FETCHER_SOUP($self));
	}
	/* seconds, 0 for none */
	void set_timeout(guint timeout, GError **error) {
		if (suit_binding_check_soup($self, error))
			suit_fetcher_soup_set_timeout(SUIT_FETCHER_SOUP($self), timeout);
	}
	guint get_max_retries(GError **error) {
		if (!suit_binding_check_soup($self, error))
			return 0;
		return suit_fetcher_soup_get_max_retries(SUIT_FETCHER_SOUP($self));
	}
	void set_max_retries(guint max_retries, GError **error) {
		if (suit_binding_check_soup($self, error))
			suit_fetcher_soup_set_max_retries(SUIT_FETCHER_SOUP($self), max_retries);
	}
	/* milliseconds before the first retry */
	guint get_retry_delay(GError **error) {
		if (!suit_binding_check_soup($self, error))
			return 0;
		return suit_fetcher_soup_get_retry_delay(SUIT_FETCHER_SOUP($self));
	}
	void set_retry_delay(guint retry_delay, GError **error) {
		if (suit_binding_check_soup($self, error))
			suit_fetcher_soup_set_retry_delay(SUIT_FETCHER_SOUP($self), retry_delay);
	}
	/* the CA certificates (a PEM file) https:// servers are verified
	 * against; None for the system's */
	void set_tls_ca_file(const char *path = NULL, GError **error) {
		g_autoptr(GTlsDatabase) database = NULL;
		g_autoptr(GError) error_local = NULL;
		if (!suit_binding_check_soup($self, error))
			return;
		if (path != NULL) {
			database = g_tls_file_database_new(path, &error_local);
			if (database == NULL) {
				g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT,
					    "cannot use %s as CA file: %s", path, error_local->message);
				return;
			}
		}
		suit_fetcher_soup_set_tls_database(SUIT_FETCHER_SOUP($self), database);
	}
#if defined(SWIGPYTHON)
	%pythoncode %{
	timeout = property(get_timeout, set_timeout)
	max_retries = property(get_max_retries, set_max_retries)
	retry_delay = property(get_retry_delay, set_retry_delay)
	%}
#endif
}

/** ** The Firmware Consumer **/

#if defined(SWIGPYTHON)
%{
static gboolean
suit_py_invoke_cb(SuitFirmwareConsumer *consumer, SuitComponentId *component, GBytes *args, gpointer user_data)
{
	PyObject *fn = user_data;
	gboolean started = FALSE;
	PyGILState_STATE state = PyGILState_Ensure();

	if (suit_py_callback_exc[0] == NULL) {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(args, &len);
		PyObject *id = SWIG_NewPointerObj(suit_component_id_ref(component), SWIGTYPE_p_SuitComponentId, SWIG_POINTER_OWN);
		PyObject *bytes = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
		PyObject *res = id != NULL && bytes != NULL ? PyObject_CallFunctionObjArgs(fn, id, bytes, NULL) : NULL;
		if (res == NULL)
			suit_py_keep_callback_error(fn);
		else
			started = res == Py_None || PyObject_IsTrue(res) == 1;
		if (PyErr_Occurred())
			suit_py_keep_callback_error(fn);
		Py_XDECREF(res);
		Py_XDECREF(id);
		Py_XDECREF(bytes);
	}
	PyGILState_Release(state);
	return started;
}

static gulong
suit_binding_consumer_connect_invoke(SuitFirmwareConsumer *consumer, SuitScriptCallable *callable)
{
	PyObject *fn = (PyObject *)callable;
	Py_INCREF(fn);
	return g_signal_connect_data(consumer, "invoke", G_CALLBACK(suit_py_invoke_cb), fn, suit_py_release, 0);
}
%}
#elif defined(SWIGLUA)
%{
static gboolean
suit_lua_invoke_cb(SuitFirmwareConsumer *consumer, SuitComponentId *component, GBytes *args, gpointer user_data)
{
	SuitLuaRef *fn = user_data;
	lua_State *L = fn->L;
	int top = lua_gettop(L);
	gboolean started = FALSE;
	gsize len = 0;
	gconstpointer data;

	if (suit_lua_has_callback_error(L))
		return FALSE;
	data = g_bytes_get_data(args, &len);
	luaL_checkstack(L, 3, NULL);
	lua_rawgeti(L, LUA_REGISTRYINDEX, fn->ref);
	SWIG_NewPointerObj(L, suit_component_id_ref(component), SWIGTYPE_p_SuitComponentId, 1);
	lua_pushlstring(L, data, len);
	if (lua_pcall(L, 2, 1, 0) != LUA_OK)
		suit_lua_keep_callback_error(L);
	else
		started = lua_isnil(L, -1) || lua_toboolean(L, -1);
	lua_settop(L, top);
	return started;
}

static gulong
suit_binding_consumer_connect_invoke(SuitFirmwareConsumer *consumer, SuitScriptCallable *callable)
{
	return g_signal_connect_data(consumer,
				     "invoke",
				     G_CALLBACK(suit_lua_invoke_cb),
				     callable,
				     suit_lua_ref_free,
				     0);
}
%}
#endif

/* for set_vendor_id() and the like: a UUID (16 bytes or text), or None */
#if defined(SWIGPYTHON)
%typemap(in) SuitUuid *uuid_or_none {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		$typemap(in, SuitUuid *)
	}
}
#elif defined(SWIGLUA)
%typemap(in) SuitUuid *uuid_or_none {
	if (lua_isnoneornil(L, $input)) {
		$1 = NULL;
	} else if (!lua_isstring(L, $input)) {
		SWIG_fail_arg("$symname", $argnum, "UUID string or nil");
	} else {
		$typemap(in, SuitUuid *)
	}
}
#endif
%typemap(freearg) SuitUuid *uuid_or_none {
	if ($1 != NULL)
		g_bytes_unref($1);
}

%rename(FirmwareConsumer) SuitFirmwareConsumer;
typedef struct {} SuitFirmwareConsumer;

%extend SuitFirmwareConsumer {
	/* FirmwareConsumer(keyring, store, fetcher=None): a manifest
	 * processor; without a fetcher, only integrated payloads can be
	 * installed. @store is a suit.Store or a script store, @fetcher a
	 * suit.Fetcher or a script fetcher */
	SuitFirmwareConsumer(SuitKeyring *keyring, SuitStore *store, SuitFetcher *fetcher = NULL, GError **error) {
		if (keyring == NULL || store == NULL) {
			suit_binding_set_invalid_argument(error, "a keyring and a store are required");
			return NULL;
		}
		return suit_firmware_consumer_new(keyring, store, fetcher);
	}
	~SuitFirmwareConsumer() {
		g_object_unref($self);
	}
	/* the device's vendor UUID, class UUID and own UUID (16 bytes or UUID
	 * text; None to unset), which the identifier conditions check */
	void set_vendor_id(SuitUuid *uuid_or_none) {
		suit_firmware_consumer_set_vendor_id($self, uuid_or_none);
	}
	void set_class_id(SuitUuid *uuid_or_none) {
		suit_firmware_consumer_set_class_id($self, uuid_or_none);
	}
	void set_device_id(SuitUuid *uuid_or_none) {
		suit_firmware_consumer_set_device_id($self, uuid_or_none);
	}
	/* the slot @component occupies, for the component-slot condition */
	void set_component_slot(SuitComponentId *component, guint64 slot, GError **error) {
		if (component == NULL) {
			suit_binding_set_invalid_argument(error, "a component is required");
			return;
		}
		suit_firmware_consumer_set_component_slot($self, component, slot);
	}
	/* the version ("1.0.2") the device runs of @component, or None to
	 * forget it; UsageError if it is not dotted integers */
	void set_component_version(SuitComponentId *component, const char *version, GError **error) {
		if (component == NULL) {
			suit_binding_set_invalid_argument(error, "a component is required");
			return;
		}
		suit_firmware_consumer_set_component_version($self, component, version, error);
	}
	/* percent, or -1 when unknown (the minimum-battery condition fails) */
	void set_battery_level(int level) {
		suit_firmware_consumer_set_battery_level($self, level);
	}
	/* what the update-authorized condition answers (default True) */
	void set_update_authorized(gboolean authorized) {
		suit_firmware_consumer_set_update_authorized($self, authorized);
	}
	/* a key for encrypted payloads */
	void add_decryption_key(SuitKey *key, GError **error) {
		if (key == NULL) {
			suit_binding_set_invalid_argument(error, "a key is required");
			return;
		}
		suit_firmware_consumer_add_decryption_key($self, key);
	}
	/* the time for use-before, 0 for the real clock */
	void set_time(gint64 unix_seconds) {
		suit_firmware_consumer_set_time($self, unix_seconds);
	}
	/* calls callback(component_id, args) for each invoke directive: the
	 * device starts the component there; returns the handler id */
	unsigned long connect_invoke(SuitScriptCallable *callback) {
		return suit_binding_consumer_connect_invoke($self, callback);
	}
	/* the Update procedure: raises unless the update was installed and
	 * validated; @progress is a suit.Progress or a callable */
	void update(SuitEnvelope *envelope, SuitProgress *progress = NULL, GError **error_cb) {
		if (envelope == NULL) {
			suit_binding_set_invalid_argument(error_cb, "an envelope is required");
			return;
		}
		SUIT_BINDING_BLOCKING(suit_firmware_consumer_update($self, envelope, progress, NULL, error_cb));
	}
	/* the Invocation procedure: validate, load, invoke */
	void invoke(SuitEnvelope *envelope, SuitProgress *progress = NULL, GError **error_cb) {
		if (envelope == NULL) {
			suit_binding_set_invalid_argument(error_cb, "an envelope is required");
			return;
		}
		SUIT_BINDING_BLOCKING(suit_firmware_consumer_invoke($self, envelope, progress, NULL, error_cb));
	}
	/* the uninstall sequence */
	void uninstall(SuitEnvelope *envelope, SuitProgress *progress = NULL, GError **error_cb) {
		if (envelope == NULL) {
			suit_binding_set_invalid_argument(error_cb, "an envelope is required");
			return;
		}
		SUIT_BINDING_BLOCKING(suit_firmware_consumer_uninstall($self, envelope, progress, NULL, error_cb));
	}
	/* the report of the last run (success or failure), or None */
	SuitReport *const report;
	/* the directives the last run executed, one string each */
	SuitStringList *const trace;
}
%{
static SuitReport *
SuitFirmwareConsumer_report_get(SuitFirmwareConsumer *self)
{
	SuitReport *report = suit_firmware_consumer_get_report(self);
	return report != NULL ? g_object_ref(report) : NULL;
}
static SuitStringList *
SuitFirmwareConsumer_trace_get(SuitFirmwareConsumer *self)
{
	return g_ptr_array_ref(suit_firmware_consumer_get_trace(self));
}
%}

/** ** API: the fleet (databases, Firmware Server, Status Tracker, Communicator) **/

/*
 * The server-side roles speak JSON text, as the REST API does: a tracker
 * method returns the document a REST route would answer (parse it with
 * json.loads in Python). Python callers may also pass a dict or a list
 * where a method takes JSON (the parameter is named json_in); it is
 * serialized with json.dumps.
 *
 *   db = suit.Database.sqlite("var/tracker.db")      # or suit.Database.memory()
 *   server = suit.FirmwareServer("var/files", db, keyring)
 *   tracker = suit.StatusTracker(db, server)
 *   device = json.loads(tracker.add_device({"id": "d1", ...}))
 *
 * Communicator is the device side: Communicator(consumer, store, url, token)
 * and run_once() per poll.
 */

/* a list of strings, or None (nil): NULL-terminated and owned by the call */
#if defined(SWIGPYTHON)
%typemap(in) gchar **keys_or_none {
	$1 = NULL;
	if ($input != Py_None) {
		PyObject *seq_keys = NULL;
		Py_ssize_t n_keys;
		if (PyUnicode_Check($input) || PyBytes_Check($input))
			SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be a list of strings");
		seq_keys = PySequence_Fast($input, "a list of strings is expected");
		if (seq_keys == NULL)
			SWIG_fail;
		n_keys = PySequence_Fast_GET_SIZE(seq_keys);
		$1 = g_new0(gchar *, n_keys + 1);
		for (Py_ssize_t i = 0; i < n_keys; i++) {
			PyObject *item = PySequence_Fast_GET_ITEM(seq_keys, i);
			const char *text = PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
			if (text == NULL) {
				Py_DECREF(seq_keys);
				PyErr_Clear();
				SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must be a list of strings");
			}
			$1[i] = g_strdup(text);
		}
		Py_DECREF(seq_keys);
	}
}
#elif defined(SWIGLUA)
%typemap(in) gchar **keys_or_none {
	$1 = NULL;
	if (!lua_isnoneornil(L, $input)) {
		lua_Integer n_keys;
		if (!lua_istable(L, $input)) {
			lua_pushfstring(L, "in method '$symname', argument $argnum must be a table of strings");
			SWIG_fail;
		}
		n_keys = luaL_len(L, $input);
		$1 = g_new0(gchar *, (gsize)n_keys + 1);
		for (lua_Integer i = 1; i <= n_keys; i++) {
			lua_geti(L, $input, i);
			if (lua_type(L, -1) != LUA_TSTRING) {
				lua_pop(L, 1);
				lua_pushfstring(L, "in method '$symname', argument $argnum must be a table of strings");
				SWIG_fail;
			}
			$1[i - 1] = g_strdup(lua_tostring(L, -1));
			lua_pop(L, 1);
		}
	}
}
#endif
%typemap(freearg) gchar **keys_or_none {
	g_strfreev($1);
}
%typemap(typecheck, precedence=SWIG_TYPECHECK_POINTER) gchar **keys_or_none {
	$1 = 1;
}

/* JSON in: text, or (Python) any value json.dumps() takes */
#if defined(SWIGPYTHON)
%typemap(in) const char *json_in (PyObject *text_obj = NULL) {
	if (PyUnicode_Check($input)) {
		$1 = (char *)PyUnicode_AsUTF8($input);
	} else if ($input == Py_None) {
		SWIG_exception_fail(SWIG_TypeError, "in method '$symname', argument $argnum must not be None");
	} else {
		PyObject *json_module = PyImport_ImportModule("json");
		if (json_module == NULL)
			SWIG_fail;
		text_obj = PyObject_CallMethod(json_module, "dumps", "O", $input);
		Py_DECREF(json_module);
		if (text_obj == NULL)
			SWIG_fail;
		$1 = (char *)PyUnicode_AsUTF8(text_obj);
	}
	if ($1 == NULL)
		SWIG_fail;
}
%typemap(freearg) const char *json_in {
	Py_XDECREF(text_obj$argnum);
}
%typemap(doc) const char *json_in "$1_name: JSON text, or a dict/list";
#elif defined(SWIGLUA)
%typemap(in, checkfn="lua_isstring") const char *json_in {
	$1 = (char *)lua_tostring(L, $input);
}
#endif

%apply SWIGTYPE *NONNULL {
	const char *collection, const char *id, const char *document, const char *digest,
	const char *device_id, const char *token, const char *role, const char *name,
	const char *directory, const char *server_uri, const char *path, GBytes *payload, GBytes *envelope_bytes,
	GBytes *report_bytes, SuitDatabase *database, SuitKeyring *trusted,
	SuitFirmwareServer *firmware_server, SuitFirmwareConsumer *consumer
};

SUIT_OWNED_RETURN(SuitDatabase)
SUIT_OWNED_RETURN(SuitFirmwareServer)
SUIT_OWNED_RETURN(SuitStatusTracker)
SUIT_OWNED_RETURN(SuitCommunicator)

%rename(Database) SuitDatabase;
%rename(FirmwareServer) SuitFirmwareServer;
%rename(StatusTracker) SuitStatusTracker;
%rename(Communicator) SuitCommunicator;
typedef struct {} SuitDatabase;
typedef struct {} SuitFirmwareServer;
typedef struct {} SuitStatusTracker;
typedef struct {} SuitCommunicator;

/** ** Databases **/

%nodefaultctor SuitDatabase;
%extend SuitDatabase {
	~SuitDatabase() {
		g_object_unref($self);
	}
	/* Database.sqlite(path): the embedded default, one SQLite file
	 * (created if needed; WAL, every commit durable) */
	static SuitDatabase *sqlite(const char *path, GError **error) {
		return (SuitDatabase *)suit_database_sqlite_new(path, error);
	}
	/* Database.memory(): an empty database in memory (tests, scripts) */
	static SuitDatabase *memory() {
		return SUIT_DATABASE(suit_database_memory_new());
	}
	/* the JSON document stored under collection/id; NotFound otherwise */
	gchar *get(const char *collection, const char *id, GError **error) {
		return suit_database_get($self, collection, id, error);
	}
	/* stores a JSON document with its index keys (a list of strings) */
	void put(const char *collection, const char *id, const char *document, gchar **keys_or_none = NULL, GError **error) {
		suit_database_put($self, collection, id, document, (const gchar *const *)keys_or_none, error);
	}
	void remove(const char *collection, const char *id, GError **error) {
		suit_database_remove($self, collection, id, error);
	}
	/* the documents of a collection in id order: only those with index key
	 * @key, only ids after @after, at most @limit (0: all) */
	SuitStringList *query(const char *collection, const char *key = NULL, const char *after = NULL, unsigned int limit = 0, GError **error) {
		return suit_database_query($self, collection, key, after, limit, error);
	}
	/* how many documents of a collection (with index key @key) there are */
	guint64 count(const char *collection, const char *key = NULL, GError **error) {
		guint64 n = 0;
		suit_database_count($self, collection, key, &n, error);
		return n;
	}
	/* a write transaction of the calling thread: begin(), then commit() or
	 * rollback() */
	void begin(GError **error) {
		SUIT_BINDING_BLOCKING(suit_database_begin($self, error));
	}
	void commit(GError **error) {
		suit_database_commit($self, error);
	}
	void rollback() {
		suit_database_rollback($self);
	}
	/* the file of a SQLite database, None for others */
	const char *const path;
}
%{
static const char *
SuitDatabase_path_get(SuitDatabase *self)
{
	if (SUIT_IS_DATABASE_SQLITE(self))
		return suit_database_sqlite_get_path(SUIT_DATABASE_SQLITE(self));
	return NULL;
}
%}

/** ** The Firmware Server **/

%extend SuitFirmwareServer {
	/* FirmwareServer(directory, database, trusted): payloads and envelopes
	 * under @directory, the manifest index in @database; envelopes must
	 * verify against the keyring @trusted */
	SuitFirmwareServer(const char *directory, SuitDatabase *database, SuitKeyring *trusted, GError **error) {
		return suit_firmware_server_new(directory, database, trusted, error);
	}
	~SuitFirmwareServer() {
		g_object_unref($self);
	}
	const char *const directory;
	SuitKeyring *const keyring;
	/* stores a payload given as bytes; returns its SHA-256 (hex) */
	gchar *add_payload(GBytes *payload, GError **error) {
		return suit_firmware_server_add_payload_bytes($self, payload, error);
	}
	/* streams the file at @path into the store (at most @max_size bytes, 0:
	 * no limit); the file stays; returns the SHA-256 (hex) */
	gchar *add_payload_file(const char *path, guint64 max_size = 0, GError **error) {
		g_autoptr(GFile) file = NULL;
		g_autoptr(GFileInputStream) stream = NULL;
		guint64 size = 0;
		gchar *digest = NULL;
		file = g_file_new_for_path(path);
		stream = g_file_read(file, NULL, error);
		if (stream == NULL)
			return NULL;
		SUIT_BINDING_BLOCKING(digest = suit_firmware_server_add_payload($self, G_INPUT_STREAM(stream), max_size, &size, NULL, error));
		return digest;
	}
	/* moves the file at @path (same file system) into the store; returns
	 * the SHA-256 (hex) */
	gchar *import_payload(const char *path, GError **error) {
		guint64 size = 0;
		gchar *digest = NULL;
		SUIT_BINDING_BLOCKING(digest = suit_firmware_server_import_payload($self, path, &size, NULL, error));
		return digest;
	}
	gboolean has_payload(const char *digest) {
		return suit_firmware_server_has_payload($self, digest);
	}
	/* the file that holds a payload */
	gchar *payload_path(const char *digest, GError **error) {
		guint64 size = 0;
		return suit_firmware_server_get_payload_path($self, digest, &size, error);
	}
	/* the size of a payload in bytes */
	guint64 payload_size(const char *digest, GError **error) {
		guint64 size = 0;
		g_autofree gchar *path = suit_firmware_server_get_payload_path($self, digest, &size, error);
		return size;
	}
	/* bytes of a payload: from @offset, @length bytes (-1: to the end) */
	GBytes *read_payload(const char *digest, guint64 offset = 0, gint64 length = -1, GError **error) {
		return suit_firmware_server_read_payload_bytes($self, digest, offset, length < 0 ? G_MAXUINT64 : (guint64)length, error);
	}
	/* writes a byte range of a payload to the file @path, streamed;
	 * returns the number of bytes written */
	guint64 copy_payload(const char *digest, const char *path, guint64 offset = 0, gint64 length = -1, GError **error) {
		g_autoptr(GInputStream) stream = NULL;
		g_autoptr(GFile) file = NULL;
		g_autoptr(GFileOutputStream) out = NULL;
		gssize copied = -1;
		stream = suit_firmware_server_read_payload($self, digest, offset, length < 0 ? G_MAXUINT64 : (guint64)length, NULL, error);
		if (stream == NULL)
			return 0;
		file = g_file_new_for_path(path);
		out = g_file_replace(file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
		if (out == NULL)
			return 0;
		SUIT_BINDING_BLOCKING(copied = g_output_stream_splice(G_OUTPUT_STREAM(out), stream,
			G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error));
		if (copied < 0)
			return 0;
		return (guint64)copied;
	}
	/* accepts an envelope that verifies against the trusted keys; returns
	 * the manifest summary (JSON) */
	gchar *add_envelope(GBytes *envelope_bytes, GError **error) {
		return suit_firmware_server_add_envelope($self, envelope_bytes, error);
	}
	/* the envelope of a manifest id, as bytes */
	GBytes *get_envelope(const char *id, GError **error) {
		return suit_firmware_server_get_envelope($self, id, error);
	}
	/* the manifest summary (JSON) */
	gchar *get_manifest(const char *id, GError **error) {
		return suit_firmware_server_get_manifest($self, id, error);
	}
	/* every manifest summary (JSON array), newest sequence number first,
	 * optionally only those of a vendor and/or class UUID (text) */
	gchar *list_manifests(const char *vendor_id = NULL, const char *class_id = NULL, GError **error) {
		return suit_firmware_server_list_manifests($self, vendor_id, class_id, error);
	}
}
%{
static const char *
SuitFirmwareServer_directory_get(SuitFirmwareServer *self)
{
	return suit_firmware_server_get_directory(self);
}
static SuitKeyring *
SuitFirmwareServer_keyring_get(SuitFirmwareServer *self)
{
	return g_object_ref(suit_firmware_server_get_keyring(self));
}
%}

/** ** The Status Tracker **/

%extend SuitStatusTracker {
	/* StatusTracker(database, firmware_server): the fleet's state lives
	 * in @database, manifests come from @firmware_server */
	SuitStatusTracker(SuitDatabase *database, SuitFirmwareServer *firmware_server) {
		return suit_status_tracker_new(database, firmware_server);
	}
	~SuitStatusTracker() {
		g_object_unref($self);
	}
	SuitDatabase *const database;
	SuitFirmwareServer *const firmware_server;
	/* an operator token for @role (admin, operator, viewer): JSON with the
	 * token, shown only here */
	gchar *create_token(const char *role, const char *name, GError **error) {
		return suit_status_tracker_create_token($self, role, name, error);
	}
	/* the role of an operator token; PermissionDenied otherwise */
	gchar *authenticate_operator(const char *token, GError **error) {
		return suit_status_tracker_authenticate_operator($self, token, error);
	}
	gchar *list_tokens(GError **error) {
		return suit_status_tracker_list_tokens($self, error);
	}
	void revoke_token(const char *id, GError **error) {
		suit_status_tracker_revoke_token($self, id, error);
	}
	/* registers a device: {"id","vendor_id","class_id","tags","public_key"};
	 * the answer holds its token (shown only here) */
	gchar *add_device(const char *json_in, GError **error) {
		return suit_status_tracker_add_device($self, json_in, error);
	}
	gchar *get_device(const char *id, GError **error) {
		return suit_status_tracker_get_device($self, id, error);
	}
	gchar *list_devices(const char *tag = NULL, const char *state = NULL, GError **error) {
		return suit_status_tracker_list_devices($self, tag, state, error);
	}
	/* the device id of a device token; PermissionDenied otherwise */
	gchar *authenticate_device(const char *token, GError **error) {
		return suit_status_tracker_authenticate_device($self, token, error);
	}
	/* a device checks in with {"sequence_number","manifest"}: the offer
	 * (JSON) or None when there is nothing to do */
	gchar *check_in(const char *device_id, const char *json_in, GError **error) {
		gchar *offer = NULL;
		if (!suit_status_tracker_check_in($self, device_id, json_in, &offer, error))
			return NULL;
		return offer;
	}
	/* a COSE_Sign1 SUIT report of a device: verified with its key, then
	 * applied; returns {"state","nonce"} */
	gchar *submit_report(const char *device_id, GBytes *report_bytes, GError **error) {
		return suit_status_tracker_submit_report($self, device_id, report_bytes, error);
	}
	/* {"manifest","tags"|"devices","waves","max_failure_ratio"} */
	gchar *create_campaign(const char *json_in, GError **error) {
		return suit_status_tracker_create_campaign($self, json_in, error);
	}
	gchar *get_campaign(const char *id, GError **error) {
		return suit_status_tracker_get_campaign($self, id, error);
	}
	gchar *list_campaigns(GError **error) {
		return suit_status_tracker_list_campaigns($self, error);
	}
	gchar *pause_campaign(const char *id, GError **error) {
		return suit_status_tracker_pause_campaign($self, id, error);
	}
	gchar *resume_campaign(const char *id, GError **error) {
		return suit_status_tracker_resume_campaign($self, id, error);
	}
	gchar *cancel_campaign(const char *id, GError **error) {
		return suit_status_tracker_cancel_campaign($self, id, error);
	}
	/* the audit log (JSON array): events after sequence number @since, of
	 * a device and/or a campaign, at most @limit (0: 1000) */
	gchar *list_events(const char *device = NULL, const char *campaign = NULL, guint64 since = 0, unsigned int limit = 0, GError **error) {
		return suit_status_tracker_list_events($self, device, campaign, since, limit, error);
	}
	gchar *get_statistics(GError **error) {
		return suit_status_tracker_get_statistics($self, error);
	}
}
%{
static SuitDatabase *
SuitStatusTracker_database_get(SuitStatusTracker *self)
{
	return g_object_ref(suit_status_tracker_get_database(self));
}
static SuitFirmwareServer *
SuitStatusTracker_firmware_server_get(SuitStatusTracker *self)
{
	return g_object_ref(suit_status_tracker_get_firmware_server(self));
}
%}

/** ** The Communicator **/

%extend SuitCommunicator {
	/* Communicator(consumer, store, server_uri, token): the device side of
	 * the Status Tracker, for the suit-server at @server_uri */
	SuitCommunicator(SuitFirmwareConsumer *consumer, SuitStore *store, const char *server_uri, const char *token, GError **error) {
		if (store == NULL) {
			suit_binding_set_invalid_argument(error, "a store is required");
			return NULL;
		}
		return suit_communicator_new(consumer, store, server_uri, token, error);
	}
	~SuitCommunicator() {
		g_object_unref($self);
	}
	/* Communicator.payload_fetcher(server_uri, fetcher=None): the fetcher
	 * for the FirmwareConsumer of a communicator: "/payloads/<sha256>"
	 * resolves against the server; None uses the default fetcher */
	static SuitFetcher *payload_fetcher(const char *server_uri, SuitFetcher *fetcher = NULL, GError **error) {
		g_autoptr(SuitFetcher) fallback = NULL;
		if (fetcher == NULL) {
			fallback = suit_fetcher_new_default();
			fetcher = fallback;
		}
		return suit_communicator_new_fetcher(server_uri, fetcher, error);
	}
	/* the manifest id the last run_once() was about, or None */
	const char *const manifest;
	/* the key that signs the device's reports */
	void set_device_key(SuitKey *key, GError **error) {
		if (key == NULL) {
			suit_binding_set_invalid_argument(error, "a key is required");
			return;
		}
		suit_communicator_set_device_key($self, key);
	}
	/* where the communicator keeps its state (required before run_once) */
	void set_state_directory(const char *directory, GError **error) {
		suit_communicator_set_state_directory($self, directory, error);
	}
	/* the CA certificates that HTTPS servers must chain to */
	void set_ca_file(const char *path, GError **error) {
		suit_communicator_set_ca_file($self, path, error);
	}
	/* seconds between check-ins, and the random part of it (0..1) */
	unsigned int poll_interval;
	void set_jitter(double fraction) {
		suit_communicator_set_jitter($self, fraction);
	}
	void set_max_retries(unsigned int retries) {
		suit_communicator_set_max_retries($self, retries);
	}
	/* a shell command run after a simulated boot; exit 0 = healthy */
	void set_health_command(const char *command) {
		suit_communicator_set_health_command($self, command);
	}
	/* one round: a pending boot, else a check-in and what it offers;
	 * returns a COMMUNICATOR_OUTCOME_* value */
	int run_once(GError **error) {
		SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
		gboolean ok = FALSE;
		SUIT_BINDING_BLOCKING(ok = suit_communicator_run_once($self, &outcome, NULL, error));
		return ok ? (int)outcome : -1;
	}
}
%{
static const char *
SuitCommunicator_manifest_get(SuitCommunicator *self)
{
	return suit_communicator_get_manifest(self);
}
static unsigned int
SuitCommunicator_poll_interval_get(SuitCommunicator *self)
{
	return suit_communicator_get_poll_interval(self);
}
static void
SuitCommunicator_poll_interval_set(SuitCommunicator *self, unsigned int seconds)
{
	suit_communicator_set_poll_interval(self, seconds);
}
%}

%clear const char *collection, const char *id, const char *document, const char *digest,
	const char *device_id, const char *token, const char *role, const char *name,
	const char *directory, const char *server_uri, const char *path, GBytes *payload, GBytes *envelope_bytes,
	GBytes *report_bytes, SuitDatabase *database, SuitKeyring *trusted,
	SuitFirmwareServer *firmware_server, SuitFirmwareConsumer *consumer;
