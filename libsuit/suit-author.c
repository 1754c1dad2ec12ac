/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Author role: compiles a high-level description (ARM suit-tool's input
 * format plus our extensions, see README.md "Describing an update") into the
 * JSON mirror of a manifest (suit-json.c), builds the manifest from that
 * mirror so that it gets exactly the checks a parsed manifest gets, severs
 * members, adds integrated payloads and signs.
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "suit-author.h"
#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/* bounds on what a description may make the author read or build */
#define SUIT_AUTHOR_MAX_DESCRIPTION (1024 * 1024)
#define SUIT_AUTHOR_MAX_INTEGRATED  (16 * 1024 * 1024)
#define SUIT_AUTHOR_MAX_JSON_DEPTH  32
#define SUIT_AUTHOR_MAX_COMPONENTS  64
#define SUIT_AUTHOR_MAX_ID_PARTS    16
#define SUIT_AUTHOR_READ_CHUNK	    (64 * 1024)

/* the language tag of the text the description gives */
#define SUIT_AUTHOR_TEXT_LANGUAGE "en-US"

/* reporting policies of the generated commands, as suit-tool uses them */
#define SUIT_AUTHOR_RP_CHECK  15 /* conditions: report everything */
#define SUIT_AUTHOR_RP_ACTION 2	 /* fetch, copy, invoke: a record on failure */

/**
 * SuitAuthor:
 *
 * Builds signed envelopes, either from a high-level description (ARM
 * suit-tool's input format with libsuit's extensions, documented in the
 * README) or from the exact JSON mirror of a manifest.
 *
 * A description names components with their vendor and class ids and a
 * payload file; the author computes sizes and digests, compiles the standard
 * command sequences (shared checks and parameters, payload fetch, install,
 * validate, load, invoke), severs the members it is asked to sever, carries
 * integrated payloads and signs with every key it was given.
 *
 * See also: [class@Envelope], [class@Key]
 */

typedef struct {
	SuitKey *key;
	SuitCoseAlgorithm algorithm;
	GBytes *key_id; /* (nullable) */
} SuitAuthorSigner;

struct _SuitAuthor {
	GObject parent_instance;
	GPtrArray *signers; /* (element-type SuitAuthorSigner) */
	gboolean has_sequence_number;
	guint64 sequence_number;
	gint64 unix_time; /* -1 for the real clock */
};

G_DEFINE_TYPE(SuitAuthor, suit_author, G_TYPE_OBJECT)

static void
suit_author_signer_free(SuitAuthorSigner *signer)
{
	g_object_unref(signer->key);
	if (signer->key_id != NULL)
		g_bytes_unref(signer->key_id);
	g_free(signer);
}

static void
suit_author_finalize(GObject *object)
{
	SuitAuthor *self = SUIT_AUTHOR(object);
	g_ptr_array_unref(self->signers);
	G_OBJECT_CLASS(suit_author_parent_class)->finalize(object);
}

static void
suit_author_class_init(SuitAuthorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_author_finalize;
}

static void
suit_author_init(SuitAuthor *self)
{
	self->signers = g_ptr_array_new_with_free_func((GDestroyNotify)suit_author_signer_free);
	self->unix_time = -1;
}

/**
 * suit_author_new:
 *
 * Creates an author with no signing key. Add keys with
 * suit_author_add_key(); without any, the envelopes it builds are unsigned.
 *
 * Returns: (transfer full): a new #SuitAuthor
 *
 * Since: 0.1
 */
SuitAuthor *
suit_author_new(void)
{
	return g_object_new(SUIT_TYPE_AUTHOR, NULL);
}

/**
 * suit_author_add_key:
 * @self: a #SuitAuthor
 * @key: a private #SuitKey, or a symmetric key for a COSE_Mac0
 * @algorithm: the COSE algorithm, or %SUIT_COSE_ALGORITHM_NONE for the key's default
 * @key_id: (nullable): a key id for the unprotected header, or %NULL for none
 * @error: return location for a #GError, or %NULL
 *
 * Adds a signing key. Every envelope built afterwards gets one
 * authentication block per key, in the order the keys were added.
 *
 * Returns: %TRUE on success; %FALSE with %SUIT_ERROR_INVALID_ARGUMENT when
 *   the key has no private part, or %SUIT_ERROR_UNSUPPORTED_ALGORITHM when it
 *   cannot be used with @algorithm
 *
 * Since: 0.1
 */
gboolean
suit_author_add_key(SuitAuthor *self,
		    SuitKey *key,
		    SuitCoseAlgorithm algorithm,
		    GBytes *key_id,
		    GError **error)
{
	SuitAuthorSigner *signer;

	g_return_val_if_fail(SUIT_IS_AUTHOR(self), FALSE);
	g_return_val_if_fail(SUIT_IS_KEY(key), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_key_has_private(key)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a signing key needs its private part");
		return FALSE;
	}
	if (algorithm == SUIT_COSE_ALGORITHM_NONE)
		algorithm = suit_key_get_default_algorithm(key);
	if (!suit_key_supports_algorithm(key, algorithm)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "the key cannot be used with %s",
			    suit_cose_algorithm_to_string(algorithm) != NULL
				? suit_cose_algorithm_to_string(algorithm)
				: "this algorithm");
		return FALSE;
	}
	signer = g_new0(SuitAuthorSigner, 1);
	signer->key = g_object_ref(key);
	signer->algorithm = algorithm;
	signer->key_id = key_id != NULL ? g_bytes_ref(key_id) : NULL;
	g_ptr_array_add(self->signers, signer);
	return TRUE;
}

/**
 * suit_author_get_n_keys:
 * @self: a #SuitAuthor
 *
 * Gets the number of signing keys.
 *
 * Returns: how many authentication blocks each envelope gets
 *
 * Since: 0.1
 */
guint
suit_author_get_n_keys(SuitAuthor *self)
{
	g_return_val_if_fail(SUIT_IS_AUTHOR(self), 0);
	return self->signers->len;
}

/**
 * suit_author_set_sequence_number:
 * @self: a #SuitAuthor
 * @sequence_number: the manifest sequence number
 *
 * Sets the sequence number of the manifests built from descriptions. It wins
 * over the description's `manifest-sequence-number`; without either, the
 * current UTC time in seconds is used.
 *
 * Since: 0.1
 */
void
suit_author_set_sequence_number(SuitAuthor *self, guint64 sequence_number)
{
	g_return_if_fail(SUIT_IS_AUTHOR(self));
	self->has_sequence_number = TRUE;
	self->sequence_number = sequence_number;
}

/**
 * suit_author_set_time:
 * @self: a #SuitAuthor
 * @unix_time: seconds since 1970-01-01 UTC, or -1 for the system clock
 *
 * Overrides the clock that gives the default sequence number, e.g. for
 * reproducible builds and tests.
 *
 * Since: 0.1
 */
void
suit_author_set_time(SuitAuthor *self, gint64 unix_time)
{
	g_return_if_fail(SUIT_IS_AUTHOR(self));
	self->unix_time = unix_time < 0 ? -1 : unix_time;
}

/* UUIDs -------------------------------------------------------------------- */

/* the DNS namespace of RFC 9562, 6ba7b810-9dad-11d1-80b4-00c04fd430c8 */
static const guint8 suit_author_uuid_ns_dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
						   0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

static GBytes *
suit_author_uuid5(const guint8 *ns, const gchar *name)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 hash[20];
	gsize hash_len = sizeof(hash);

	g_checksum_update(checksum, ns, 16);
	g_checksum_update(checksum, (const guchar *)name, strlen(name));
	g_checksum_get_digest(checksum, hash, &hash_len);
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	return g_bytes_new(hash, 16);
}

/**
 * suit_author_vendor_id_from_domain:
 * @domain: a DNS domain name, e.g. `arm.com`
 *
 * Computes the vendor id that SUIT derives from a domain name: the name-based
 * UUID (version 5) of @domain in the DNS namespace. `arm.com` gives
 * `fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe`.
 *
 * Returns: (transfer full): the 16 bytes of the UUID
 *
 * Since: 0.1
 */
GBytes *
suit_author_vendor_id_from_domain(const gchar *domain)
{
	g_return_val_if_fail(domain != NULL, NULL);
	return suit_author_uuid5(suit_author_uuid_ns_dns, domain);
}

/**
 * suit_author_class_id_from_name:
 * @vendor_id: the 16-byte vendor id
 * @class_name: the class name, e.g. a model name
 *
 * Computes the class id that SUIT derives from a class name: the name-based
 * UUID (version 5) of @class_name in the namespace of @vendor_id.
 *
 * Returns: (transfer full) (nullable): the 16 bytes of the UUID, or %NULL
 *   when @vendor_id is not 16 bytes long
 *
 * Since: 0.1
 */
GBytes *
suit_author_class_id_from_name(GBytes *vendor_id, const gchar *class_name)
{
	g_return_val_if_fail(vendor_id != NULL, NULL);
	g_return_val_if_fail(class_name != NULL, NULL);
	if (g_bytes_get_size(vendor_id) != 16)
		return NULL;
	return suit_author_uuid5(g_bytes_get_data(vendor_id, NULL), class_name);
}

/* parses 8-4-4-4-12 or 32 hex digits */
static GBytes *
suit_author_parse_uuid(const gchar *str, const gchar *where, GError **error)
{
	guint8 buf[16];
	gsize len = strlen(str);
	guint n = 0;

	if (len == 36 && str[8] == '-' && str[13] == '-' && str[18] == '-' && str[23] == '-') {
		/* dashes in place */
	} else if (len != 32) {
		len = 0;
	}
	for (gsize i = 0; len > 0 && i < len; i++) {
		gint hi, lo;
		if (len == 36 && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		hi = g_ascii_xdigit_value(str[i]);
		lo = i + 1 < len ? g_ascii_xdigit_value(str[i + 1]) : -1;
		if (hi < 0 || lo < 0 || n >= sizeof(buf)) {
			n = 0;
			break;
		}
		buf[n++] = (guint8)((hi << 4) | lo);
		i++;
	}
	if (n != sizeof(buf)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: \"%s\" is not a UUID",
			    where,
			    str);
		return NULL;
	}
	return g_bytes_new(buf, sizeof(buf));
}

/* component ids -------------------------------------------------------------- */

static gboolean
suit_author_is_hex(const gchar *str)
{
	gsize len = strlen(str);
	if (len % 2 != 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(str[i]))
			return FALSE;
	}
	return TRUE;
}

/* canonical standard base64: the alphabet, padded to a multiple of 4, and
 * re-encoding gives the same text (so no stray bits in the padding) */
static GBytes *
suit_author_try_base64(const gchar *str)
{
	gsize len = strlen(str);
	gsize out_len = 0;
	g_autofree guchar *out = NULL;
	g_autofree gchar *again = NULL;

	if (len == 0 || len % 4 != 0)
		return NULL;
	for (gsize i = 0; i < len; i++) {
		gchar c = str[i];
		if (g_ascii_isalnum(c) || c == '+' || c == '/')
			continue;
		if (c == '=' && i >= len - 2 && (i == len - 1 || str[len - 1] == '='))
			continue;
		return NULL;
	}
	out = g_base64_decode(str, &out_len);
	again = g_base64_encode(out, out_len);
	if (g_strcmp0(again, str) != 0)
		return NULL;
	return g_bytes_new(out, out_len);
}

/* one element of install-id & co: hex if it is valid even-length hex, else
 * base64 if it is valid canonical base64, else its UTF-8 bytes */
static GBytes *
suit_author_decode_id_part(const gchar *str)
{
	GBytes *bytes;
	if (suit_author_is_hex(str))
		return suit_hex_decode(str, NULL);
	bytes = suit_author_try_base64(str);
	if (bytes != NULL)
		return bytes;
	return g_bytes_new(str, strlen(str));
}

static SuitComponentId *
suit_author_parse_component_id(JsonNode *node, const gchar *where, GError **error)
{
	g_autoptr(SuitComponentId) id = suit_component_id_new();
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be a list of strings",
			    where);
		return NULL;
	}
	array = json_node_get_array(node);
	if (json_array_get_length(array) > SUIT_AUTHOR_MAX_ID_PARTS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "%s has more than %u elements",
			    where,
			    (guint)SUIT_AUTHOR_MAX_ID_PARTS);
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *part = json_array_get_element(array, i);
		g_autoptr(GBytes) bytes = NULL;
		if (!JSON_NODE_HOLDS_VALUE(part) || json_node_get_value_type(part) != G_TYPE_STRING) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s[%u] must be a string",
				    where,
				    i);
			return NULL;
		}
		bytes = suit_author_decode_id_part(json_node_get_string(part));
		suit_component_id_append(id, bytes);
	}
	return g_steal_pointer(&id);
}

static JsonNode *
suit_author_component_id_to_node(SuitComponentId *id)
{
	g_autoptr(JsonArray) array = json_array_new();
	for (guint i = 0; i < suit_component_id_get_length(id); i++) {
		GBytes *part = suit_component_id_get_part(id, i);
		g_autofree gchar *hex = suit_hex_encode(part);
		json_array_add_string_element(array, hex);
	}
	return json_node_init_array(json_node_alloc(), array);
}

/* files ---------------------------------------------------------------------- */

/* a GIO or file error as a SUIT_ERROR naming @path */
static void
suit_author_set_io_error(GError **error, const GError *error_local, const gchar *path)
{
	SuitError code = SUIT_ERROR_INVALID_ARGUMENT;
	if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		code = SUIT_ERROR_NOT_FOUND;
	else if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
		code = SUIT_ERROR_PERMISSION_DENIED;
	g_set_error(error, SUIT_ERROR, code, "%s: %s", path, error_local->message);
}

static GInputStream *
suit_author_open(const gchar *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GError) error_local = NULL;
	GFileInputStream *stream = g_file_read(file, NULL, &error_local);
	if (stream == NULL) {
		suit_author_set_io_error(error, error_local, path);
		return NULL;
	}
	return G_INPUT_STREAM(stream);
}

/* reads a whole file of at most @max bytes */
static GBytes *
suit_author_read_bounded(const gchar *path, gsize max, GError **error)
{
	g_autoptr(GInputStream) stream = suit_author_open(path, error);
	g_autoptr(GByteArray) buf = g_byte_array_new();

	if (stream == NULL)
		return NULL;
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		guint8 chunk[SUIT_AUTHOR_READ_CHUNK];
		gssize n = g_input_stream_read(stream, chunk, sizeof(chunk), NULL, &error_local);
		if (n < 0) {
			suit_author_set_io_error(error, error_local, path);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > max) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "%s: larger than %" G_GSIZE_FORMAT " bytes",
				    path,
				    max);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* the SHA-256 digest and the size of a file, read in chunks */
static gboolean
suit_author_hash_file(const gchar *path, SuitDigest **digest, guint64 *size, GError **error)
{
	g_autoptr(GInputStream) stream = suit_author_open(path, error);
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autofree guint8 *chunk = NULL;
	guint8 hash[32];
	gsize hash_len = sizeof(hash);
	guint64 total = 0;
	g_autoptr(GBytes) value = NULL;

	if (stream == NULL)
		return FALSE;
	chunk = g_malloc(SUIT_AUTHOR_READ_CHUNK);
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(stream, chunk, SUIT_AUTHOR_READ_CHUNK, NULL, &error_local);
		if (n < 0) {
			suit_author_set_io_error(error, error_local, path);
			return FALSE;
		}
		if (n == 0)
			break;
		g_checksum_update(checksum, chunk, n);
		total += (guint64)n;
	}
	g_checksum_get_digest(checksum, hash, &hash_len);
	value = g_bytes_new(hash, hash_len);
	*digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value);
	*size = total;
	return TRUE;
}

/* description parsing ---------------------------------------------------------- */

typedef struct {
	guint install_idx;
	guint download_idx; /* G_MAXUINT: none */
	guint load_idx;	    /* G_MAXUINT: none */
	GBytes *vendor_id;  /* (nullable) */
	GBytes *class_id;   /* (nullable) */
	SuitDigest *digest;
	guint64 size;
	gchar *uri; /* (nullable): the payload's URI, "#name" when integrated */
	gboolean bootable;
	gboolean install_on_download;
	gboolean has_slot;
	guint64 slot;
	JsonObject *text; /* (nullable) */
} SuitAuthorComponent;

typedef struct {
	guint idx;
	SuitDigest *digest;
	guint64 size;
	gchar *uri;
	SuitComponentId *prefix; /* (nullable) */
} SuitAuthorDependency;

typedef struct {
	gchar *base_dir;
	GPtrArray *ids;		 /* (element-type SuitComponentId) */
	GPtrArray *components;	 /* (element-type SuitAuthorComponent) */
	GPtrArray *dependencies; /* (element-type SuitAuthorDependency) */
	GPtrArray *integrated_names; /* (element-type utf8) */
	GPtrArray *integrated_data;  /* (element-type GBytes) */
	gsize integrated_total;
} SuitAuthorContext;

static void
suit_author_component_free(SuitAuthorComponent *c)
{
	if (c->vendor_id != NULL)
		g_bytes_unref(c->vendor_id);
	if (c->class_id != NULL)
		g_bytes_unref(c->class_id);
	if (c->digest != NULL)
		suit_digest_unref(c->digest);
	if (c->text != NULL)
		json_object_unref(c->text);
	g_free(c->uri);
	g_free(c);
}

static void
suit_author_dependency_free(SuitAuthorDependency *d)
{
	if (d->digest != NULL)
		suit_digest_unref(d->digest);
	if (d->prefix != NULL)
		suit_component_id_unref(d->prefix);
	g_free(d->uri);
	g_free(d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitAuthorComponent, suit_author_component_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitAuthorDependency, suit_author_dependency_free)

static void
suit_author_context_free(SuitAuthorContext *ctx)
{
	g_free(ctx->base_dir);
	g_ptr_array_unref(ctx->ids);
	g_ptr_array_unref(ctx->components);
	g_ptr_array_unref(ctx->dependencies);
	g_ptr_array_unref(ctx->integrated_names);
	g_ptr_array_unref(ctx->integrated_data);
	g_free(ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitAuthorContext, suit_author_context_free)

static SuitAuthorContext *
suit_author_context_new(const gchar *base_dir)
{
	SuitAuthorContext *ctx = g_new0(SuitAuthorContext, 1);
	ctx->base_dir = g_strdup(base_dir != NULL ? base_dir : ".");
	ctx->ids = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	ctx->components = g_ptr_array_new_with_free_func((GDestroyNotify)suit_author_component_free);
	ctx->dependencies = g_ptr_array_new_with_free_func((GDestroyNotify)suit_author_dependency_free);
	ctx->integrated_names = g_ptr_array_new_with_free_func(g_free);
	ctx->integrated_data = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	return ctx;
}

static gchar *
suit_author_resolve_path(SuitAuthorContext *ctx, const gchar *path)
{
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(ctx->base_dir, path, NULL);
}

/* adds a component id, refusing one that is already listed */
static gboolean
suit_author_add_id(SuitAuthorContext *ctx, SuitComponentId *id, const gchar *where, guint *idx, GError **error)
{
	for (guint i = 0; i < ctx->ids->len; i++) {
		if (suit_component_id_equal(g_ptr_array_index(ctx->ids, i), id)) {
			g_autofree gchar *str = suit_component_id_to_string(id);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: component %s is listed twice",
				    where,
				    str);
			return FALSE;
		}
	}
	if (ctx->ids->len >= SUIT_AUTHOR_MAX_COMPONENTS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "more than %u components",
			    (guint)SUIT_AUTHOR_MAX_COMPONENTS);
		return FALSE;
	}
	*idx = ctx->ids->len;
	g_ptr_array_add(ctx->ids, suit_component_id_ref(id));
	return TRUE;
}

/* carries @data in the envelope under "#name"; returns the URI */
static gchar *
suit_author_add_integrated(SuitAuthorContext *ctx, const gchar *name, GBytes *data, const gchar *where, GError **error)
{
	g_autofree gchar *key = g_str_has_prefix(name, "#") ? g_strdup(name) : g_strdup_printf("#%s", name);

	if (strlen(key) < 2) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: empty integrated payload name", where);
		return NULL;
	}
	for (guint i = 0; i < ctx->integrated_names->len; i++) {
		if (g_strcmp0(g_ptr_array_index(ctx->integrated_names, i), key) == 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: integrated payload %s is used twice",
				    where,
				    key);
			return NULL;
		}
	}
	if (g_bytes_get_size(data) > SUIT_AUTHOR_MAX_INTEGRATED - ctx->integrated_total) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "%s: integrated payloads larger than %u bytes in total",
			    where,
			    (guint)SUIT_AUTHOR_MAX_INTEGRATED);
		return NULL;
	}
	ctx->integrated_total += g_bytes_get_size(data);
	g_ptr_array_add(ctx->integrated_names, g_strdup(key));
	g_ptr_array_add(ctx->integrated_data, g_bytes_ref(data));
	return g_steal_pointer(&key);
}

static gboolean
suit_author_check_members(JsonObject *obj, const gchar *const *known, const gchar *where, GError **error)
{
	g_autoptr(GList) members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		if (!g_strv_contains(known, l->data)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: unknown key \"%s\"",
				    where,
				    (const gchar *)l->data);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_author_get_string(JsonObject *obj, const gchar *name, const gchar *where, const gchar **value, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	*value = NULL;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: %s must be a string", where, name);
		return FALSE;
	}
	*value = json_node_get_string(node);
	return TRUE;
}

static gboolean
suit_author_get_bool(JsonObject *obj, const gchar *name, const gchar *where, gboolean *value, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	*value = FALSE;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: %s must be true or false", where, name);
		return FALSE;
	}
	*value = json_node_get_boolean(node);
	return TRUE;
}

/* a non-negative integer; @present tells whether it was given */
static gboolean
suit_author_get_uint(JsonObject *obj,
		     const gchar *name,
		     const gchar *where,
		     guint64 *value,
		     gboolean *present,
		     GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	*value = 0;
	*present = node != NULL;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64 ||
	    json_node_get_int(node) < 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: %s must be a non-negative integer",
			    where,
			    name);
		return FALSE;
	}
	*value = (guint64)json_node_get_int(node);
	return TRUE;
}

/* {"algorithm-id": -16 | "sha256" | "sha-256", "digest-bytes": "<hex>"}, or
 * a SHA-256 digest as a plain hex string */
static SuitDigest *
suit_author_parse_digest(JsonNode *node, const gchar *where, GError **error)
{
	static const gchar *const known[] = {"algorithm-id", "digest-bytes", NULL};
	JsonObject *obj;
	JsonNode *alg_node;
	gint64 alg = SUIT_DIGEST_ALGORITHM_SHA256;
	gsize expected;
	g_autoptr(GBytes) value = NULL;

	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING) {
		value = suit_json_to_bytes_hex(node, where, error);
		if (value == NULL)
			return NULL;
	} else if (JSON_NODE_HOLDS_OBJECT(node)) {
		obj = json_node_get_object(node);
		if (!suit_author_check_members(obj, known, where, error))
			return NULL;
		alg_node = json_object_get_member(obj, "algorithm-id");
		if (alg_node != NULL && JSON_NODE_HOLDS_VALUE(alg_node) &&
		    json_node_get_value_type(alg_node) == G_TYPE_STRING) {
			alg = suit_digest_algorithm_from_string(json_node_get_string(alg_node));
		} else if (alg_node != NULL && JSON_NODE_HOLDS_VALUE(alg_node) &&
			   json_node_get_value_type(alg_node) == G_TYPE_INT64) {
			alg = json_node_get_int(alg_node);
		} else if (alg_node != NULL) {
			alg = 0;
		}
		value = suit_json_to_bytes_hex(json_object_get_member(obj, "digest-bytes"), where, error);
		if (value == NULL)
			return NULL;
	} else {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be {\"algorithm-id\", \"digest-bytes\"}",
			    where);
		return NULL;
	}
	switch (alg) {
	case SUIT_DIGEST_ALGORITHM_SHA256:
		expected = 32;
		break;
	case SUIT_DIGEST_ALGORITHM_SHA384:
		expected = 48;
		break;
	case SUIT_DIGEST_ALGORITHM_SHA512:
		expected = 64;
		break;
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "%s: unknown algorithm-id, expected sha-256 (-16), sha-384 (-43) or sha-512 (-44)",
			    where);
		return NULL;
	}
	if (g_bytes_get_size(value) != expected) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: expected %" G_GSIZE_FORMAT " digest bytes, got %" G_GSIZE_FORMAT,
			    where,
			    expected,
			    g_bytes_get_size(value));
		return NULL;
	}
	return suit_digest_new((gint)alg, value);
}

/* vendor-id or vendor-domain, class-id or class-name */
static gboolean
suit_author_parse_identity(JsonObject *obj, SuitAuthorComponent *c, const gchar *where, GError **error)
{
	const gchar *vendor_id = NULL;
	const gchar *vendor_domain = NULL;
	const gchar *class_id = NULL;
	const gchar *class_name = NULL;
	g_autofree gchar *what = NULL;

	if (!suit_author_get_string(obj, "vendor-id", where, &vendor_id, error) ||
	    !suit_author_get_string(obj, "vendor-domain", where, &vendor_domain, error) ||
	    !suit_author_get_string(obj, "class-id", where, &class_id, error) ||
	    !suit_author_get_string(obj, "class-name", where, &class_name, error))
		return FALSE;
	if (vendor_id != NULL && vendor_domain != NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: give vendor-id or vendor-domain, not both",
			    where);
		return FALSE;
	}
	if (class_id != NULL && class_name != NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: give class-id or class-name, not both",
			    where);
		return FALSE;
	}
	if (vendor_id == NULL && vendor_domain == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: missing vendor-id (or vendor-domain)",
			    where);
		return FALSE;
	}
	if (class_id == NULL && class_name == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: missing class-id (or class-name)",
			    where);
		return FALSE;
	}
	if (vendor_id != NULL) {
		what = g_strdup_printf("%s: vendor-id", where);
		c->vendor_id = suit_author_parse_uuid(vendor_id, what, error);
		if (c->vendor_id == NULL)
			return FALSE;
	} else {
		c->vendor_id = suit_author_vendor_id_from_domain(vendor_domain);
	}
	if (class_id != NULL) {
		g_free(what);
		what = g_strdup_printf("%s: class-id", where);
		c->class_id = suit_author_parse_uuid(class_id, what, error);
		if (c->class_id == NULL)
			return FALSE;
	} else {
		c->class_id = suit_author_class_id_from_name(c->vendor_id, class_name);
	}
	return TRUE;
}

/* an optional list of strings naming another component (download-id, load-id) */
static gboolean
suit_author_parse_extra_id(SuitAuthorContext *ctx,
			   JsonObject *obj,
			   const gchar *name,
			   const gchar *where,
			   guint *idx,
			   GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	g_autofree gchar *what = NULL;
	g_autoptr(SuitComponentId) id = NULL;

	*idx = G_MAXUINT;
	if (node == NULL)
		return TRUE;
	what = g_strdup_printf("%s: %s", where, name);
	id = suit_author_parse_component_id(node, what, error);
	if (id == NULL)
		return FALSE;
	return suit_author_add_id(ctx, id, what, idx, error);
}

static gboolean
suit_author_parse_component(SuitAuthorContext *ctx, JsonNode *node, guint n, GError **error)
{
	static const gchar *const known[] = {"install-id",
					     "vendor-id",
					     "class-id",
					     "vendor-domain",
					     "class-name",
					     "file",
					     "install-digest",
					     "install-size",
					     "uri",
					     "bootable",
					     "loadable",
					     "load-id",
					     "download-id",
					     "install-on-download",
					     "slot",
					     "integrated",
					     "text",
					     NULL};
	g_autofree gchar *where = g_strdup_printf("components[%u]", n);
	g_autofree gchar *what = NULL;
	g_autoptr(SuitAuthorComponent) c = g_new0(SuitAuthorComponent, 1);
	g_autoptr(SuitComponentId) install_id = NULL;
	JsonObject *obj;
	JsonNode *digest_node;
	JsonNode *text_node;
	const gchar *file = NULL;
	const gchar *uri = NULL;
	gboolean integrated = FALSE;
	gboolean loadable = FALSE;
	gboolean has_size = FALSE;
	guint64 size = 0;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be an object", where);
		return FALSE;
	}
	obj = json_node_get_object(node);
	if (!suit_author_check_members(obj, known, where, error))
		return FALSE;

	/* the component ids, in the order install, download, load */
	what = g_strdup_printf("%s: install-id", where);
	if (!json_object_has_member(obj, "install-id")) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: missing install-id", where);
		return FALSE;
	}
	install_id = suit_author_parse_component_id(json_object_get_member(obj, "install-id"), what, error);
	if (install_id == NULL)
		return FALSE;
	if (!suit_author_add_id(ctx, install_id, what, &c->install_idx, error))
		return FALSE;
	if (!suit_author_parse_extra_id(ctx, obj, "download-id", where, &c->download_idx, error))
		return FALSE;
	if (!suit_author_parse_extra_id(ctx, obj, "load-id", where, &c->load_idx, error))
		return FALSE;

	if (!suit_author_parse_identity(obj, c, where, error))
		return FALSE;
	if (!suit_author_get_string(obj, "file", where, &file, error) ||
	    !suit_author_get_string(obj, "uri", where, &uri, error) ||
	    !suit_author_get_bool(obj, "integrated", where, &integrated, error) ||
	    !suit_author_get_bool(obj, "bootable", where, &c->bootable, error) ||
	    !suit_author_get_bool(obj, "loadable", where, &loadable, error) ||
	    !suit_author_get_bool(obj, "install-on-download", where, &c->install_on_download, error) ||
	    !suit_author_get_uint(obj, "install-size", where, &size, &has_size, error) ||
	    !suit_author_get_uint(obj, "slot", where, &c->slot, &c->has_slot, error))
		return FALSE;
	if (loadable && c->load_idx == G_MAXUINT) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: loadable needs a load-id", where);
		return FALSE;
	}
	if (!loadable && c->load_idx != G_MAXUINT) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: load-id is only used with \"loadable\": true",
			    where);
		return FALSE;
	}

	/* the payload: a file (digest and size computed) or a given digest */
	digest_node = json_object_get_member(obj, "install-digest");
	if (file == NULL && digest_node == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: needs a file, or install-digest and install-size",
			    where);
		return FALSE;
	}
	if (integrated && file == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: an integrated payload needs a file", where);
		return FALSE;
	}
	if (integrated && uri != NULL && !g_str_has_prefix(uri, "#")) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: the uri of an integrated payload must be \"#name\"",
			    where);
		return FALSE;
	}
	if (!integrated && uri != NULL && g_str_has_prefix(uri, "#")) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: uri \"%s\" names an integrated payload, add \"integrated\": true",
			    where,
			    uri);
		return FALSE;
	}
	if (file != NULL) {
		g_autofree gchar *path = suit_author_resolve_path(ctx, file);
		if (integrated) {
			g_autoptr(GBytes) data = suit_author_read_bounded(path, SUIT_AUTHOR_MAX_INTEGRATED, error);
			g_autofree gchar *basename = NULL;
			if (data == NULL)
				return FALSE;
			c->digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, data, error);
			if (c->digest == NULL)
				return FALSE;
			c->size = g_bytes_get_size(data);
			basename = g_path_get_basename(file);
			c->uri = suit_author_add_integrated(ctx, uri != NULL ? uri : basename, data, where, error);
			if (c->uri == NULL)
				return FALSE;
		} else if (!suit_author_hash_file(path, &c->digest, &c->size, error)) {
			return FALSE;
		}
	}
	if (digest_node != NULL) {
		g_autofree gchar *what_digest = g_strdup_printf("%s: install-digest", where);
		g_autoptr(SuitDigest) digest = suit_author_parse_digest(digest_node, what_digest, error);
		if (digest == NULL)
			return FALSE;
		if (c->digest != NULL) {
			/* both: the file must be the one the digest names */
			if (!suit_digest_equal(c->digest, digest)) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_DIGEST_MISMATCH,
					    "%s: the file does not match install-digest",
					    where);
				return FALSE;
			}
		} else {
			if (!has_size) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "%s: install-digest needs install-size",
					    where);
				return FALSE;
			}
			c->digest = g_steal_pointer(&digest);
			c->size = size;
		}
	}
	if (has_size && size != c->size) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_DIGEST_MISMATCH,
			    "%s: the file has %" G_GUINT64_FORMAT " bytes, install-size says %" G_GUINT64_FORMAT,
			    where,
			    c->size,
			    size);
		return FALSE;
	}
	if (c->uri == NULL && uri != NULL)
		c->uri = g_strdup(uri);
	if (c->download_idx != G_MAXUINT && c->uri == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: download-id needs a uri", where);
		return FALSE;
	}

	text_node = json_object_get_member(obj, "text");
	if (text_node != NULL) {
		if (!JSON_NODE_HOLDS_OBJECT(text_node)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: text must be an object", where);
			return FALSE;
		}
		if (json_object_has_member(json_node_get_object(text_node), "component-id")) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: text: unknown key \"component-id\"",
				    where);
			return FALSE;
		}
		c->text = json_object_ref(json_node_get_object(text_node));
	}
	g_ptr_array_add(ctx->components, g_steal_pointer(&c));
	return TRUE;
}

static gboolean
suit_author_parse_dependency(SuitAuthorContext *ctx, JsonNode *node, guint n, GError **error)
{
	static const gchar *const known[] = {"file", "digest", "size", "uri", NULL};
	g_autofree gchar *where = g_strdup_printf("dependencies[%u]", n);
	g_autoptr(SuitAuthorDependency) d = g_new0(SuitAuthorDependency, 1);
	g_autoptr(SuitComponentId) id = suit_component_id_new();
	g_autofree gchar *name = NULL;
	JsonObject *obj;
	JsonNode *digest_node;
	const gchar *file = NULL;
	const gchar *uri = NULL;
	gboolean has_size = FALSE;
	guint64 size = 0;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be an object", where);
		return FALSE;
	}
	obj = json_node_get_object(node);
	if (!suit_author_check_members(obj, known, where, error))
		return FALSE;
	if (!suit_author_get_string(obj, "file", where, &file, error) ||
	    !suit_author_get_string(obj, "uri", where, &uri, error) ||
	    !suit_author_get_uint(obj, "size", where, &size, &has_size, error))
		return FALSE;
	digest_node = json_object_get_member(obj, "digest");

	if (file != NULL) {
		/* the dependency's envelope: its manifest digest, its size, and
		 * its manifest component id as the dependency prefix */
		g_autofree gchar *path = suit_author_resolve_path(ctx, file);
		g_autoptr(GBytes) blob = suit_author_read_bounded(path, SUIT_AUTHOR_MAX_INTEGRATED, error);
		g_autoptr(SuitEnvelope) envelope = NULL;
		SuitManifest *manifest;
		SuitComponentId *manifest_id;

		if (digest_node != NULL || has_size) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: give a file, or digest and size, not both",
				    where);
			return FALSE;
		}
		if (blob == NULL)
			return FALSE;
		envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
		if (envelope == NULL) {
			g_prefix_error(error, "%s: ", where);
			return FALSE;
		}
		manifest = suit_envelope_peek_manifest(envelope, error);
		if (manifest == NULL) {
			g_prefix_error(error, "%s: ", where);
			return FALSE;
		}
		d->digest = suit_digest_ref(suit_envelope_get_manifest_digest(envelope));
		d->size = g_bytes_get_size(blob);
		manifest_id = suit_manifest_get_manifest_component_id(manifest);
		if (manifest_id != NULL)
			d->prefix = suit_component_id_ref(manifest_id);
		name = g_path_get_basename(file);
		if (uri == NULL) {
			d->uri = suit_author_add_integrated(ctx, name, blob, where, error);
			if (d->uri == NULL)
				return FALSE;
		}
	} else {
		g_autofree gchar *what = g_strdup_printf("%s: digest", where);
		if (digest_node == NULL || !has_size || uri == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: needs a file, or digest, size and uri",
				    where);
			return FALSE;
		}
		d->digest = suit_author_parse_digest(digest_node, what, error);
		if (d->digest == NULL)
			return FALSE;
		d->size = size;
		name = g_path_get_basename(uri);
	}
	if (uri != NULL) {
		if (g_str_has_prefix(uri, "#")) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s: leave out the uri to integrate the dependency",
				    where);
			return FALSE;
		}
		d->uri = g_strdup(uri);
	}

	/* the dependency's component: its prefix, else its file name */
	if (d->prefix != NULL) {
		g_clear_pointer(&id, suit_component_id_unref);
		id = suit_component_id_ref(d->prefix);
	} else {
		g_autoptr(GBytes) part = g_bytes_new(name, strlen(name));
		suit_component_id_append(id, part);
	}
	if (!suit_author_add_id(ctx, id, where, &d->idx, error))
		return FALSE;
	g_ptr_array_add(ctx->dependencies, g_steal_pointer(&d));
	return TRUE;
}

/* compilation ------------------------------------------------------------------ */

static void
suit_author_seq_add(JsonArray *seq, const gchar *command, JsonNode *argument)
{
	JsonObject *obj = json_object_new();
	json_object_set_string_member(obj, "command", command);
	json_object_set_member(obj, "argument", argument);
	json_array_add_object_element(seq, obj);
}

static void
suit_author_seq_add_int(JsonArray *seq, const gchar *command, gint64 value)
{
	suit_author_seq_add(seq, command, json_node_init_int(json_node_alloc(), value));
}

/* takes ownership of @params */
static void
suit_author_seq_add_params(JsonArray *seq, JsonObject *params)
{
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(node, params);
	suit_author_seq_add(seq, "override-parameters", node);
}

/* set-component-index, needed only when there is more than one component */
static void
suit_author_seq_add_index(SuitAuthorContext *ctx, JsonArray *seq, guint idx)
{
	if (ctx->ids->len > 1)
		suit_author_seq_add_int(seq, "set-component-index", idx);
}

static void
suit_author_params_set_bytes(JsonObject *params, const gchar *name, GBytes *bytes)
{
	json_object_set_member(params, name, suit_json_from_bytes_hex(bytes));
}

static void
suit_author_params_set_image(JsonObject *params, SuitDigest *digest, guint64 size)
{
	json_object_set_member(params, "image-digest", suit_json_digest_to_node(digest));
	json_object_set_int_member(params, "image-size", (gint64)size);
}

/* fetch @uri into @idx and check it */
static void
suit_author_seq_add_fetch(SuitAuthorContext *ctx, JsonArray *seq, guint idx, const gchar *uri)
{
	JsonObject *params = json_object_new();
	suit_author_seq_add_index(ctx, seq, idx);
	json_object_set_string_member(params, "uri", uri);
	suit_author_seq_add_params(seq, params);
	suit_author_seq_add_int(seq, "fetch", SUIT_AUTHOR_RP_ACTION);
	suit_author_seq_add_int(seq, "image-match", SUIT_AUTHOR_RP_CHECK);
}

/* copy @src into @dst and check it */
static void
suit_author_seq_add_copy(SuitAuthorContext *ctx, JsonArray *seq, guint dst, guint src)
{
	JsonObject *params = json_object_new();
	suit_author_seq_add_index(ctx, seq, dst);
	json_object_set_int_member(params, "source-component", src);
	suit_author_seq_add_params(seq, params);
	suit_author_seq_add_int(seq, "copy", SUIT_AUTHOR_RP_ACTION);
	suit_author_seq_add_int(seq, "image-match", SUIT_AUTHOR_RP_CHECK);
}

/* takes ownership of @array */
static JsonNode *
suit_author_array_node(JsonArray *array)
{
	JsonNode *node = json_node_new(JSON_NODE_ARRAY);
	json_node_take_array(node, array);
	return node;
}

static gboolean
suit_author_compile(SuitAuthorContext *ctx, JsonObject *manifest, JsonObject *text, GError **error)
{
	g_autoptr(JsonObject) common = json_object_new();
	g_autoptr(JsonArray) components = json_array_new();
	g_autoptr(JsonArray) shared = json_array_new();
	g_autoptr(JsonArray) dependency_resolution = json_array_new();
	g_autoptr(JsonArray) payload_fetch = json_array_new();
	g_autoptr(JsonArray) install = json_array_new();
	g_autoptr(JsonArray) validate = json_array_new();
	g_autoptr(JsonArray) load = json_array_new();
	g_autoptr(JsonArray) invoke = json_array_new();
	g_autoptr(JsonArray) text_components = json_array_new();
	g_autoptr(GPtrArray) checked = g_ptr_array_new(); /* (element-type SuitAuthorComponent) */

	for (guint i = 0; i < ctx->ids->len; i++)
		json_array_add_element(components, suit_author_component_id_to_node(g_ptr_array_index(ctx->ids, i)));
	json_object_set_member(common, "components", suit_author_array_node(g_steal_pointer(&components)));

	for (guint i = 0; i < ctx->components->len; i++) {
		SuitAuthorComponent *c = g_ptr_array_index(ctx->components, i);
		JsonObject *params = json_object_new();
		gboolean check_identity = TRUE;

		/* shared: identity checks (once per vendor/class pair, as
		 * suit-tool does) and the image parameters */
		for (guint j = 0; j < checked->len; j++) {
			SuitAuthorComponent *other = g_ptr_array_index(checked, j);
			if (g_bytes_equal(other->vendor_id, c->vendor_id) &&
			    g_bytes_equal(other->class_id, c->class_id))
				check_identity = FALSE;
		}
		suit_author_seq_add_index(ctx, shared, c->install_idx);
		if (check_identity) {
			suit_author_params_set_bytes(params, "vendor-identifier", c->vendor_id);
			suit_author_params_set_bytes(params, "class-identifier", c->class_id);
			g_ptr_array_add(checked, c);
		}
		suit_author_params_set_image(params, c->digest, c->size);
		if (c->has_slot)
			json_object_set_int_member(params, "component-slot", (gint64)c->slot);
		suit_author_seq_add_params(shared, params);
		if (check_identity) {
			suit_author_seq_add_int(shared, "vendor-identifier", SUIT_AUTHOR_RP_CHECK);
			suit_author_seq_add_int(shared, "class-identifier", SUIT_AUTHOR_RP_CHECK);
		}
		if (c->has_slot)
			suit_author_seq_add_int(shared, "component-slot", SUIT_AUTHOR_RP_CHECK);
		if (c->download_idx != G_MAXUINT) {
			params = json_object_new();
			suit_author_seq_add_index(ctx, shared, c->download_idx);
			suit_author_params_set_image(params, c->digest, c->size);
			suit_author_seq_add_params(shared, params);
		}
		if (c->load_idx != G_MAXUINT) {
			params = json_object_new();
			suit_author_seq_add_index(ctx, shared, c->load_idx);
			suit_author_params_set_image(params, c->digest, c->size);
			suit_author_seq_add_params(shared, params);
		}

		/* payload-fetch and install */
		if (c->download_idx != G_MAXUINT) {
			JsonArray *fetch_seq = c->install_on_download ? install : payload_fetch;
			suit_author_seq_add_fetch(ctx, fetch_seq, c->download_idx, c->uri);
			suit_author_seq_add_copy(ctx, install, c->install_idx, c->download_idx);
		} else if (c->uri != NULL) {
			suit_author_seq_add_fetch(ctx, install, c->install_idx, c->uri);
		}

		/* validate, load, invoke */
		suit_author_seq_add_index(ctx, validate, c->install_idx);
		suit_author_seq_add_int(validate, "image-match", SUIT_AUTHOR_RP_CHECK);
		if (c->load_idx != G_MAXUINT)
			suit_author_seq_add_copy(ctx, load, c->load_idx, c->install_idx);
		if (c->bootable) {
			suit_author_seq_add_index(ctx,
						  invoke,
						  c->load_idx != G_MAXUINT ? c->load_idx : c->install_idx);
			suit_author_seq_add_int(invoke, "invoke", SUIT_AUTHOR_RP_ACTION);
		}

		/* the component's text */
		if (c->text != NULL) {
			JsonObject *entry = json_object_new();
			g_autoptr(GList) members = json_object_get_members(c->text);
			json_object_set_member(entry,
					       "component-id",
					       suit_author_component_id_to_node(g_ptr_array_index(ctx->ids, c->install_idx)));
			for (GList *l = members; l != NULL; l = l->next) {
				json_object_set_member(entry,
						       l->data,
						       json_node_copy(json_object_get_member(c->text, l->data)));
			}
			json_array_add_object_element(text_components, entry);
		}
	}

	/* dependencies (trust domains): fetch and check the dependency
	 * manifest, then process it at install time */
	if (ctx->dependencies->len > 0) {
		g_autoptr(JsonObject) deps = json_object_new();
		for (guint i = 0; i < ctx->dependencies->len; i++) {
			SuitAuthorDependency *d = g_ptr_array_index(ctx->dependencies, i);
			JsonObject *meta = json_object_new();
			JsonObject *params = json_object_new();
			g_autofree gchar *key = g_strdup_printf("%u", d->idx);

			if (d->prefix != NULL)
				json_object_set_member(meta, "dependency-prefix", suit_author_component_id_to_node(d->prefix));
			json_object_set_object_member(deps, key, meta);

			suit_author_seq_add_index(ctx, shared, d->idx);
			suit_author_params_set_image(params, d->digest, d->size);
			suit_author_seq_add_params(shared, params);

			suit_author_seq_add_fetch(ctx, dependency_resolution, d->idx, d->uri);

			suit_author_seq_add_index(ctx, install, d->idx);
			suit_author_seq_add_int(install, "dependency-integrity", SUIT_AUTHOR_RP_CHECK);
			suit_author_seq_add_int(install, "process-dependency", SUIT_AUTHOR_RP_CHECK);
		}
		json_object_set_object_member(common, "dependencies", g_steal_pointer(&deps));
	}

	json_object_set_member(common, "shared-sequence", suit_author_array_node(g_steal_pointer(&shared)));
	json_object_set_object_member(manifest, "common", g_steal_pointer(&common));
	json_object_set_member(manifest, "validate", suit_author_array_node(g_steal_pointer(&validate)));
	if (json_array_get_length(load) > 0)
		json_object_set_member(manifest, "load", suit_author_array_node(g_steal_pointer(&load)));
	if (json_array_get_length(invoke) > 0)
		json_object_set_member(manifest, "invoke", suit_author_array_node(g_steal_pointer(&invoke)));
	if (json_array_get_length(dependency_resolution) > 0) {
		json_object_set_member(manifest,
				       "dependency-resolution",
				       suit_author_array_node(g_steal_pointer(&dependency_resolution)));
	}
	if (json_array_get_length(payload_fetch) > 0)
		json_object_set_member(manifest, "payload-fetch", suit_author_array_node(g_steal_pointer(&payload_fetch)));
	if (json_array_get_length(install) > 0)
		json_object_set_member(manifest, "install", suit_author_array_node(g_steal_pointer(&install)));

	/* text, in one language */
	if (text != NULL || json_array_get_length(text_components) > 0) {
		g_autoptr(JsonObject) lang = json_object_new();
		g_autoptr(JsonObject) text_map = json_object_new();
		if (text != NULL) {
			g_autoptr(GList) members = json_object_get_members(text);
			for (GList *l = members; l != NULL; l = l->next) {
				if (g_strcmp0(l->data, "components") == 0) {
					g_set_error_literal(error,
							    SUIT_ERROR,
							    SUIT_ERROR_INVALID_DATA,
							    "text: unknown key \"components\", component text "
							    "goes into each component's \"text\"");
					return FALSE;
				}
				json_object_set_member(lang, l->data, json_node_copy(json_object_get_member(text, l->data)));
			}
		}
		if (json_array_get_length(text_components) > 0)
			json_object_set_member(lang, "components", suit_author_array_node(g_steal_pointer(&text_components)));
		json_object_set_object_member(text_map, SUIT_AUTHOR_TEXT_LANGUAGE, g_steal_pointer(&lang));
		json_object_set_object_member(manifest, "text", g_steal_pointer(&text_map));
	}
	return TRUE;
}

/* signing ---------------------------------------------------------------------- */

static gboolean
suit_author_sign(SuitAuthor *self, SuitEnvelope *envelope, GError **error)
{
	for (guint i = 0; i < self->signers->len; i++) {
		SuitAuthorSigner *signer = g_ptr_array_index(self->signers, i);
		if (!suit_envelope_sign(envelope, signer->key, signer->algorithm, signer->key_id, error)) {
			g_prefix_error(error, "signing with key %u: ", i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * suit_author_sign_envelope:
 * @self: a #SuitAuthor
 * @envelope: a #SuitEnvelope
 * @error: return location for a #GError, or %NULL
 *
 * Adds one authentication block per key of @self to @envelope, e.g. to
 * countersign an envelope built elsewhere. Existing blocks are kept; an
 * existing digest is checked against the manifest first.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
suit_author_sign_envelope(SuitAuthor *self, SuitEnvelope *envelope, GError **error)
{
	g_return_val_if_fail(SUIT_IS_AUTHOR(self), FALSE);
	g_return_val_if_fail(SUIT_IS_ENVELOPE(envelope), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return suit_author_sign(self, envelope, error);
}

static guint64
suit_author_default_sequence_number(SuitAuthor *self)
{
	if (self->unix_time >= 0)
		return (guint64)self->unix_time;
	return (guint64)(g_get_real_time() / G_USEC_PER_SEC);
}

/**
 * suit_author_build_from_description_json:
 * @self: a #SuitAuthor
 * @json: the description, a JSON document
 * @base_dir: (nullable): the directory that relative file names are
 *   resolved against, or %NULL for the current directory
 * @error: return location for a #GError, or %NULL
 *
 * Compiles a description (ARM suit-tool's input format with libsuit's
 * extensions, see the README) into a manifest, wraps it in an envelope with
 * its severed members and integrated payloads, and signs it with every key
 * of @self. Payload files are hashed in chunks, never read whole, except
 * integrated ones, which the envelope carries (at most 16 MiB in total).
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA (unknown keys, bad values, a manifest the
 *   model refuses), %SUIT_ERROR_UNSUPPORTED_VERSION, %SUIT_ERROR_NOT_FOUND
 *   or %SUIT_ERROR_PERMISSION_DENIED (files), %SUIT_ERROR_DIGEST_MISMATCH
 *   (a file that does not match its install-digest),
 *   %SUIT_ERROR_LIMIT_EXCEEDED, or a signing error
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_author_build_from_description_json(SuitAuthor *self,
					const gchar *json,
					const gchar *base_dir,
					GError **error)
{
	static const gchar *const known[] = {"manifest-version",
					     "manifest-sequence-number",
					     "components",
					     "dependencies",
					     "text",
					     "severable",
					     "reference-uri",
					     "manifest-component-id",
					     NULL};
	g_autoptr(SuitAuthorContext) ctx = suit_author_context_new(base_dir);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonObject) manifest_obj = json_object_new();
	g_autoptr(JsonNode) manifest_node = NULL;
	g_autoptr(SuitManifest) manifest = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	JsonObject *obj;
	JsonNode *node;
	JsonObject *text = NULL;
	const gchar *reference_uri = NULL;
	guint64 version = 1;
	guint64 sequence_number = 0;
	gboolean present = FALSE;

	g_return_val_if_fail(SUIT_IS_AUTHOR(self), NULL);
	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (strlen(json) > SUIT_AUTHOR_MAX_DESCRIPTION) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "the description is larger than %u bytes",
			    (guint)SUIT_AUTHOR_MAX_DESCRIPTION);
		return NULL;
	}
	if (!suit_json_check_text(json, -1, SUIT_AUTHOR_MAX_JSON_DEPTH, error))
		return NULL;
	root = suit_json_node_from_string(json, error);
	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "a description must be a JSON object");
		return NULL;
	}
	obj = json_node_get_object(root);
	if (!suit_author_check_members(obj, known, "description", error))
		return NULL;

	if (!suit_author_get_uint(obj, "manifest-version", "description", &version, &present, error))
		return NULL;
	if (present && version != 1) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_VERSION,
			    "manifest-version %" G_GUINT64_FORMAT " is not supported, only 1",
			    version);
		return NULL;
	}
	if (!suit_author_get_uint(obj, "manifest-sequence-number", "description", &sequence_number, &present, error))
		return NULL;
	if (self->has_sequence_number)
		sequence_number = self->sequence_number;
	else if (!present)
		sequence_number = suit_author_default_sequence_number(self);
	if (!suit_author_get_string(obj, "reference-uri", "description", &reference_uri, error))
		return NULL;

	/* components, then dependencies: the order of the component list */
	node = json_object_get_member(obj, "components");
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node) || json_array_get_length(json_node_get_array(node)) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "description: components must be a non-empty list");
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
		if (!suit_author_parse_component(ctx, json_array_get_element(json_node_get_array(node), i), i, error))
			return NULL;
	}
	node = json_object_get_member(obj, "dependencies");
	if (node != NULL) {
		if (!JSON_NODE_HOLDS_ARRAY(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "description: dependencies must be a list");
			return NULL;
		}
		for (guint i = 0; i < json_array_get_length(json_node_get_array(node)); i++) {
			if (!suit_author_parse_dependency(ctx, json_array_get_element(json_node_get_array(node), i), i, error))
				return NULL;
		}
	}
	node = json_object_get_member(obj, "text");
	if (node != NULL) {
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "description: text must be an object");
			return NULL;
		}
		text = json_node_get_object(node);
	}

	/* the manifest, through the JSON mirror */
	json_object_set_int_member(manifest_obj, "manifest-version", 1);
	json_object_set_int_member(manifest_obj, "manifest-sequence-number", (gint64)sequence_number);
	if (sequence_number > G_MAXINT64) {
		g_autofree gchar *str = g_strdup_printf("%" G_GUINT64_FORMAT, sequence_number);
		json_object_set_string_member(manifest_obj, "manifest-sequence-number", str);
	}
	if (reference_uri != NULL)
		json_object_set_string_member(manifest_obj, "reference-uri", reference_uri);
	node = json_object_get_member(obj, "manifest-component-id");
	if (node != NULL) {
		g_autoptr(SuitComponentId) id =
		    suit_author_parse_component_id(node, "description: manifest-component-id", error);
		if (id == NULL)
			return NULL;
		json_object_set_member(manifest_obj, "manifest-component-id", suit_author_component_id_to_node(id));
	}
	if (!suit_author_compile(ctx, manifest_obj, text, error))
		return NULL;
	manifest_node = json_node_init_object(json_node_alloc(), manifest_obj);
	manifest = suit_manifest_new_from_json_node(manifest_node, error);
	if (manifest == NULL) {
		g_prefix_error(error, "compiled manifest: ");
		return NULL;
	}

	/* severed members */
	node = json_object_get_member(obj, "severable");
	if (node != NULL) {
		JsonArray *array;
		if (!JSON_NODE_HOLDS_ARRAY(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "description: severable must be a list of member names");
			return NULL;
		}
		array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *member = json_array_get_element(array, i);
			g_autoptr(SuitCborItem) bstr = NULL;
			const gchar *name;
			gint64 key;

			if (!JSON_NODE_HOLDS_VALUE(member) || json_node_get_value_type(member) != G_TYPE_STRING) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "description: severable[%u] must be a string",
					    i);
				return NULL;
			}
			name = json_node_get_string(member);
			key = suit_manifest_member_from_string(name);
			if (key == 0) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "description: severable[%u]: \"%s\" is not a severable member",
					    i,
					    name);
				return NULL;
			}
			if (suit_manifest_get_member_state(manifest, key) == SUIT_MEMBER_STATE_ABSENT) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "description: severable[%u]: the manifest has no %s",
					    i,
					    name);
				return NULL;
			}
			bstr = suit_manifest_sever_member(manifest, key, error);
			if (bstr == NULL)
				return NULL;
		}
	}

	/* the envelope */
	envelope = suit_envelope_new_for_manifest(manifest, error);
	if (envelope == NULL)
		return NULL;
	for (guint i = 0; i < ctx->integrated_names->len; i++) {
		suit_envelope_set_integrated(envelope,
					     g_ptr_array_index(ctx->integrated_names, i),
					     g_ptr_array_index(ctx->integrated_data, i));
	}
	if (!suit_author_sign(self, envelope, error))
		return NULL;
	return g_steal_pointer(&envelope);
}

/**
 * suit_author_build_from_description_file:
 * @self: a #SuitAuthor
 * @filename: the description file (JSON, at most 1 MiB)
 * @error: return location for a #GError, or %NULL
 *
 * Like suit_author_build_from_description_json(), with file names resolved
 * against the directory of @filename.
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL with an error as
 *   for suit_author_build_from_description_json()
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_author_build_from_description_file(SuitAuthor *self, const gchar *filename, GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *base_dir = NULL;

	g_return_val_if_fail(SUIT_IS_AUTHOR(self), NULL);
	g_return_val_if_fail(filename != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	blob = suit_author_read_bounded(filename, SUIT_AUTHOR_MAX_DESCRIPTION, error);
	if (blob == NULL)
		return NULL;
	if (memchr(g_bytes_get_data(blob, NULL), '\0', g_bytes_get_size(blob)) != NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s: not a JSON text file", filename);
		return NULL;
	}
	json = g_strndup(g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
	base_dir = g_path_get_dirname(filename);
	return suit_author_build_from_description_json(self, json, base_dir, error);
}

/**
 * suit_author_build_from_manifest_json:
 * @self: a #SuitAuthor
 * @json: the JSON mirror of an envelope (as `suit inspect --json` prints it)
 *   or of a bare manifest
 * @error: return location for a #GError, or %NULL
 *
 * Builds an envelope from an exact manifest, for full control over every
 * command. The manifest is rebuilt byte for byte from its JSON; any
 * authentication in the document is dropped and the envelope is signed with
 * the keys of @self.
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA, %SUIT_ERROR_UNSUPPORTED_VERSION,
 *   %SUIT_ERROR_LIMIT_EXCEEDED or a signing error
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_author_build_from_manifest_json(SuitAuthor *self, const gchar *json, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;

	g_return_val_if_fail(SUIT_IS_AUTHOR(self), NULL);
	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_json_check_text(json, -1, SUIT_AUTHOR_MAX_JSON_DEPTH, error))
		return NULL;
	root = suit_json_node_from_string(json, error);
	if (root == NULL)
		return NULL;
	if (JSON_NODE_HOLDS_OBJECT(root) && !json_object_has_member(json_node_get_object(root), "manifest")) {
		g_autoptr(SuitManifest) manifest = suit_manifest_new_from_json_node(root, error);
		if (manifest == NULL)
			return NULL;
		envelope = suit_envelope_new_for_manifest(manifest, error);
	} else {
		envelope = suit_envelope_new_from_json(json, error);
	}
	if (envelope == NULL)
		return NULL;
	suit_envelope_clear_authentication(envelope);
	if (!suit_author_sign(self, envelope, error))
		return NULL;
	return g_steal_pointer(&envelope);
}
