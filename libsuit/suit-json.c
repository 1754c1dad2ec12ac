/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The JSON mirror of SUIT manifests.
 *
 * `suit inspect --json` prints it and `suit create --raw` reads it back, so
 * this is a user-facing contract. It is lossless: for a manifest whose CBOR
 * is in RFC 8949 deterministic encoding (as SUIT requires), JSON -> manifest
 * gives back byte-identical CBOR, and manifest -> JSON -> manifest -> JSON
 * gives the same JSON. Maps built from JSON are always written in
 * deterministic order, so the order of JSON members never matters.
 *
 * Values
 *   byte string            lower-case hex string: "fa6b4a53..." ("" when empty)
 *   integer                JSON integer; one outside the gint64 range is a
 *                          decimal string, e.g. "18446744073709551615"
 *   component identifier   array of hex strings: ["00"], ["544545502d446576696365", ...]
 *   SUIT_Digest            {"algorithm-id": -16, "digest-bytes": "<hex>"}
 *                          ({"cbor": "<hex>"} if it carries extensions)
 *   any other CBOR value   {"cbor": "<hex of its encoding>"}
 *   map keys that are integers are decimal strings: "17", "-257"
 *   unknown member names are rejected on input (invalid-data)
 *
 * Manifest object (members in manifest key order; absent elements are left out)
 *   {
 *     "manifest-tagged": true,            only when the manifest is in tag 1070
 *     "manifest-version": 1,                                            key 1
 *     "manifest-sequence-number": 0,                                    key 2
 *     "common": {                                                       key 3
 *       "dependencies": {"1": {"dependency-prefix": ["<hex>", ...],
 *                              "<key>": {"cbor": "<hex>"}}},           (extensions)
 *       "components": [["00"], ["01"]],
 *       "shared-sequence": <command array>,
 *       "unknown-elements": {"<key>": {"cbor": "<hex>"}}               (other keys)
 *     },
 *     "reference-uri": "https://git.io/JJYoj",                          key 4
 *     "manifest-component-id": ["<hex>", ...],                          key 5
 *     "set-version": [1, 0, 0],                                         key 6
 *     "validate" / "load" / "invoke" / "uninstall": <command array>,    keys 7, 8, 9, 24
 *     "dependency-resolution" / "payload-fetch" /
 *     "candidate-verification" / "install":                             keys 15, 16, 18, 20
 *         <command array> when inline, or {"severed": <digest>}
 *     "text": <text object> when inline, or {"severed": <digest>}       key 23
 *     "coswid": {"cbor": "<hex of the CoSWID>"} when inline,            key 14
 *         or {"severed": <digest>}
 *     "unknown-elements": {"17": {"cbor": "<hex of the value>"}}        other keys, never run
 *   }
 * A severed member that the envelope carries is still {"severed": <digest>}
 * here; the envelope's JSON holds its content (suit_manifest_member_to_json_node()).
 *
 * Command array: one object per command, in order
 *   {"command": "<name>" | null, "code": <int>, "argument": <argument>}
 * On input "code" wins over "command"; "command" alone must be a known name.
 * The argument depends on the command:
 *   conditions, fetch, copy, write, invoke, swap, wait, unlink,
 *   process-dependency (a reporting policy)   <int>, e.g. 15
 *   set-component-index                       <int> | true | [<int>, ...]
 *   override-parameters, set-parameters       <parameters object>
 *   try-each                                  [<command array>, ..., null]   (null = empty fallback)
 *   run-sequence                              <command array>
 *   override-multiple                         {"<component index>": <parameters object>}
 *   copy-params                               {"<component index>": [<parameter key>, ...]}
 *   custom (code <= -257) and unknown codes   {"cbor": "<hex>"}
 *
 * Parameters object: keyed by parameter name ("vendor-identifier", "uri", ...)
 * or, for unknown keys, by the decimal key. Values:
 *   vendor-identifier, class-identifier, content, encryption-info,
 *   invoke-args, device-identifier, fetch-arguments       hex string
 *   image-digest                                          <digest>
 *   use-before, component-slot, image-size, source-component,
 *   minimum-battery, update-priority                      <int>
 *   strict-order, soft-failure                            true | false
 *   uri                                                   string
 *   version, wait-info, component-metadata                {"cbor": "<hex>"}
 *   unknown keys: an integer, boolean or text string as such, anything else {"cbor": "<hex>"}
 * Any known parameter may also be given as {"cbor": "<hex>"} (this is how a
 * tag 112 vendor-identifier is shown).
 *
 * Text object (SUIT_Text_Map), keyed by language tag:
 *   {"en-US": {"manifest-description": "...", "<key>": "...",
 *              "components": [{"component-id": ["00"], "vendor-domain": "arm.com", ...}]}}
 * Manifest text keys: manifest-description (1), update-description (2),
 * manifest-json-source (3), manifest-yaml-source (4). Component text keys:
 * vendor-name (1), model-name (2), vendor-domain (3), model-info (4),
 * component-description (5), component-version (6), version-required (7),
 * current-version (8). Other keys are decimal strings. Values are strings.
 * The member name "severed" is reserved and cannot be a language tag.
 */

#include "config.h"

#include <string.h>

#include "suit-command.h"
#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/* the same bound as for parsed sequences */
#define SUIT_JSON_MAX_SEQUENCE_NESTING 8

/* scalars ------------------------------------------------------------------ */

/**
 * suit_json_from_bytes_hex: (skip)
 */
JsonNode *
suit_json_from_bytes_hex(GBytes *bytes)
{
	g_autofree gchar *hex = suit_hex_encode(bytes);
	return json_node_init_string(json_node_alloc(), hex);
}

/**
 * suit_json_to_bytes_hex: (skip)
 */
GBytes *
suit_json_to_bytes_hex(JsonNode *node, const gchar *what, GError **error)
{
	GBytes *bytes;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be a hex string", what);
		return NULL;
	}
	bytes = suit_hex_decode(json_node_get_string(node), error);
	if (bytes == NULL) {
		g_prefix_error(error, "%s: ", what);
		return NULL;
	}
	return bytes;
}

static gboolean
suit_json_node_is_type(JsonNode *node, GType type)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

static JsonNode *
suit_json_uint_to_node(guint64 value)
{
	if (value > (guint64)G_MAXINT64) {
		g_autofree gchar *str = g_strdup_printf("%" G_GUINT64_FORMAT, value);
		return json_node_init_string(json_node_alloc(), str);
	}
	return json_node_init_int(json_node_alloc(), (gint64)value);
}

/**
 * suit_json_int_to_node: (skip)
 */
JsonNode *
suit_json_int_to_node(const SuitCborItem *item)
{
	gint64 value = 0;
	g_autofree gchar *str = NULL;
	if (suit_cbor_item_get_int(item, &value))
		return json_node_init_int(json_node_alloc(), value);
	str = suit_cbor_item_to_diag(item);
	return json_node_init_string(json_node_alloc(), str);
}

/**
 * suit_json_int_from_node: (skip)
 */
SuitCborItem *
suit_json_int_from_node(JsonNode *node, const gchar *what, GError **error)
{
	const gchar *str;
	gboolean negative;
	guint64 value = 0;

	if (suit_json_node_is_type(node, G_TYPE_INT64))
		return suit_cbor_item_new_int(json_node_get_int(node));
	if (!suit_json_node_is_type(node, G_TYPE_STRING)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be an integer", what);
		return NULL;
	}
	str = json_node_get_string(node);
	negative = str[0] == '-';
	if (negative && g_strcmp0(str, "-18446744073709551616") == 0)
		return suit_cbor_item_new_negint_raw(G_MAXUINT64);
	/* a negative value is -1-n in CBOR, so its magnitude starts at 1 */
	if (!g_ascii_string_to_unsigned(negative ? str + 1 : str, 10, negative ? 1 : 0, G_MAXUINT64, &value, NULL)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be an integer, got \"%s\"",
			    what,
			    str);
		return NULL;
	}
	return negative ? suit_cbor_item_new_negint_raw(value - 1) : suit_cbor_item_new_uint(value);
}

/* a decimal member name such as "17" or "-257" */
static gboolean
suit_json_parse_key(const gchar *name, gint64 *key)
{
	return g_ascii_string_to_signed(name, 10, G_MININT64, G_MAXINT64, key, NULL);
}

static gchar *
suit_json_key_to_string(gint64 key)
{
	return g_strdup_printf("%" G_GINT64_FORMAT, key);
}

/* a component index member name such as "1" */
static SuitCborItem *
suit_json_index_from_name(const gchar *name, const gchar *what, GError **error)
{
	guint64 value = 0;
	if (!g_ascii_string_to_unsigned(name, 10, 0, G_MAXUINT64, &value, NULL)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be keyed by component index, got \"%s\"",
			    what,
			    name);
		return NULL;
	}
	return suit_cbor_item_new_uint(value);
}

/* generic CBOR ------------------------------------------------------------- */

/**
 * suit_json_cbor_to_node: (skip)
 */
JsonNode *
suit_json_cbor_to_node(SuitCborItem *item)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(GBytes) encoded = suit_cbor_item_get_encoded(item);
	json_object_set_member(obj, "cbor", suit_json_from_bytes_hex(encoded));
	return json_node_init_object(json_node_alloc(), obj);
}

static gboolean
suit_json_node_is_cbor(JsonNode *node)
{
	JsonObject *obj;
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return FALSE;
	obj = json_node_get_object(node);
	return json_object_get_size(obj) == 1 && json_object_has_member(obj, "cbor");
}

/**
 * suit_json_cbor_from_node: (skip)
 */
SuitCborItem *
suit_json_cbor_from_node(JsonNode *node, GError **error)
{
	g_autoptr(GBytes) bytes = NULL;
	SuitCborItem *item;

	if (!suit_json_node_is_cbor(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "expected an object {\"cbor\": \"<hex>\"}");
		return NULL;
	}
	bytes = suit_json_to_bytes_hex(json_object_get_member(json_node_get_object(node), "cbor"), "cbor", error);
	if (bytes == NULL)
		return NULL;
	item = suit_cbor_decode(bytes, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL) {
		g_prefix_error(error, "invalid cbor value: ");
		return NULL;
	}
	return item;
}

/* digests and component ids ------------------------------------------------ */

/**
 * suit_json_digest_item_to_node: (skip)
 */
JsonNode *
suit_json_digest_item_to_node(SuitCborItem *item)
{
	g_autoptr(JsonObject) obj = NULL;
	SuitCborItem *alg = suit_cbor_array_get(item, 0);
	SuitCborItem *value = suit_cbor_array_get(item, 1);

	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(item) != 2 ||
	    !suit_cbor_item_get_int(alg, NULL) || suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES)
		return suit_json_cbor_to_node(item);
	obj = json_object_new();
	json_object_set_member(obj, "algorithm-id", suit_json_int_to_node(alg));
	json_object_set_member(obj, "digest-bytes", suit_json_from_bytes_hex(suit_cbor_item_get_bytes(value)));
	return json_node_init_object(json_node_alloc(), obj);
}

/**
 * suit_json_digest_item_from_node: (skip)
 */
SuitCborItem *
suit_json_digest_item_from_node(JsonNode *node, GError **error)
{
	JsonObject *obj;
	g_autoptr(SuitCborItem) alg = NULL;
	g_autoptr(GBytes) value = NULL;
	SuitCborItem *array;

	if (suit_json_node_is_cbor(node))
		return suit_json_cbor_from_node(node, error);
	obj = node != NULL && JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
	if (obj == NULL || json_object_get_size(obj) != 2 || !json_object_has_member(obj, "algorithm-id") ||
	    !json_object_has_member(obj, "digest-bytes")) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a digest must be an object with algorithm-id and digest-bytes");
		return NULL;
	}
	alg = suit_json_int_from_node(json_object_get_member(obj, "algorithm-id"), "algorithm-id", error);
	if (alg == NULL)
		return NULL;
	value = suit_json_to_bytes_hex(json_object_get_member(obj, "digest-bytes"), "digest-bytes", error);
	if (value == NULL)
		return NULL;
	array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, g_steal_pointer(&alg));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(value));
	return array;
}

/**
 * suit_json_digest_to_node: (skip)
 */
JsonNode *
suit_json_digest_to_node(const SuitDigest *digest)
{
	g_autoptr(SuitCborItem) item = suit_digest_to_item(digest);
	return suit_json_digest_item_to_node(item);
}

/**
 * suit_json_digest_from_node: (skip)
 */
SuitDigest *
suit_json_digest_from_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) item = suit_json_digest_item_from_node(node, error);
	if (item == NULL)
		return NULL;
	return suit_digest_new_from_item(item, error);
}

/**
 * suit_json_component_id_to_node: (skip)
 */
JsonNode *
suit_json_component_id_to_node(SuitCborItem *item)
{
	g_autoptr(JsonArray) array = json_array_new();
	for (guint i = 0; i < suit_cbor_item_get_length(item); i++) {
		SuitCborItem *part = suit_cbor_array_get(item, i);
		if (suit_cbor_item_get_type(part) == SUIT_CBOR_TYPE_BYTES)
			json_array_add_element(array, suit_json_from_bytes_hex(suit_cbor_item_get_bytes(part)));
		else
			json_array_add_element(array, suit_json_cbor_to_node(part));
	}
	return json_node_init_array(json_node_alloc(), array);
}

/**
 * suit_json_component_id_from_node: (skip)
 */
SuitCborItem *
suit_json_component_id_from_node(JsonNode *node, const gchar *what, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be an array of hex strings",
			    what);
		return NULL;
	}
	array = json_node_get_array(node);
	item = suit_cbor_item_new_array();
	for (guint i = 0; i < json_array_get_length(array); i++) {
		g_autoptr(GBytes) part = suit_json_to_bytes_hex(json_array_get_element(array, i), what, error);
		if (part == NULL)
			return NULL;
		suit_cbor_array_append(item, suit_cbor_item_new_bytes(part));
	}
	return g_steal_pointer(&item);
}

/* parameters --------------------------------------------------------------- */

gchar *
suit_json_parameter_name(gint64 key)
{
	const gchar *name = suit_parameter_to_string(key);
	if (name != NULL)
		return g_strdup(name);
	return suit_json_key_to_string(key);
}

static JsonNode *
suit_json_parameter_digest_to_node(SuitCborItem *value)
{
	g_autoptr(SuitCborItem) inner = NULL;
	g_autoptr(SuitCborItem) rebuilt = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GBytes) encoded = NULL;

	/* only when the digest object gives back the same bytes */
	inner = suit_cbor_item_decode_wrapped(value, NULL, SUIT_PARSE_FLAG_NONE, NULL);
	if (inner == NULL)
		return suit_json_cbor_to_node(value);
	node = suit_json_digest_item_to_node(inner);
	if (suit_json_node_is_cbor(node))
		return suit_json_cbor_to_node(value);
	rebuilt = suit_json_digest_item_from_node(node, NULL);
	if (rebuilt == NULL)
		return suit_json_cbor_to_node(value);
	encoded = suit_cbor_encode(rebuilt);
	if (!g_bytes_equal(encoded, suit_cbor_item_get_bytes(value)))
		return suit_json_cbor_to_node(value);
	return g_steal_pointer(&node);
}

JsonNode *
suit_json_parameter_to_node(gint64 key, SuitCborItem *value)
{
	SuitCborType type = suit_cbor_item_get_type(value);
	gboolean bool_value = FALSE;

	switch (suit_parameter_get_value_type(key)) {
	case SUIT_PARAMETER_TYPE_BYTES:
	case SUIT_PARAMETER_TYPE_VENDOR_ID:
		if (type == SUIT_CBOR_TYPE_BYTES)
			return suit_json_from_bytes_hex(suit_cbor_item_get_bytes(value));
		break;
	case SUIT_PARAMETER_TYPE_DIGEST:
		if (type == SUIT_CBOR_TYPE_BYTES)
			return suit_json_parameter_digest_to_node(value);
		break;
	case SUIT_PARAMETER_TYPE_UINT:
	case SUIT_PARAMETER_TYPE_INT:
		if (suit_cbor_item_is_int(value))
			return suit_json_int_to_node(value);
		break;
	case SUIT_PARAMETER_TYPE_BOOL:
		if (suit_cbor_item_get_bool(value, &bool_value))
			return json_node_init_boolean(json_node_alloc(), bool_value);
		break;
	case SUIT_PARAMETER_TYPE_TEXT:
		if (type == SUIT_CBOR_TYPE_TEXT) {
			g_autofree gchar *text = suit_cbor_item_dup_text(value);
			return json_node_init_string(json_node_alloc(), text);
		}
		break;
	case SUIT_PARAMETER_TYPE_ANY:
	default:
		/* keep the known structured ones as CBOR */
		if (suit_parameter_to_string(key) != NULL)
			break;
		if (suit_cbor_item_get_int(value, NULL))
			return suit_json_int_to_node(value);
		if (suit_cbor_item_get_bool(value, &bool_value))
			return json_node_init_boolean(json_node_alloc(), bool_value);
		if (type == SUIT_CBOR_TYPE_TEXT) {
			g_autofree gchar *text = suit_cbor_item_dup_text(value);
			return json_node_init_string(json_node_alloc(), text);
		}
		break;
	}
	return suit_json_cbor_to_node(value);
}

static JsonNode *
suit_json_parameters_to_node(SuitCborItem *map)
{
	g_autoptr(JsonObject) obj = json_object_new();
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		gint64 key = 0;
		g_autofree gchar *name = NULL;
		if (!suit_cbor_item_get_int(suit_cbor_map_get_key(map, i), &key))
			continue;
		name = suit_json_parameter_name(key);
		json_object_set_member(obj,
				       name,
				       suit_json_parameter_to_node(key, suit_cbor_map_get_value(map, i)));
	}
	return json_node_init_object(json_node_alloc(), obj);
}

/* an integer, boolean or string node as CBOR, or NULL for other nodes */
static SuitCborItem *
suit_json_scalar_from_node(JsonNode *node)
{
	if (suit_json_node_is_type(node, G_TYPE_INT64))
		return suit_cbor_item_new_int(json_node_get_int(node));
	if (suit_json_node_is_type(node, G_TYPE_BOOLEAN))
		return suit_cbor_item_new_bool(json_node_get_boolean(node));
	if (suit_json_node_is_type(node, G_TYPE_STRING))
		return suit_cbor_item_new_text(json_node_get_string(node));
	return NULL;
}

static SuitCborItem *
suit_json_parameter_from_node(gint64 key, const gchar *name, JsonNode *node, GError **error)
{
	SuitParameterType type = suit_parameter_get_value_type(key);
	g_autoptr(GBytes) bytes = NULL;
	SuitCborItem *item;

	if (suit_json_node_is_cbor(node))
		return suit_json_cbor_from_node(node, error);
	switch (type) {
	case SUIT_PARAMETER_TYPE_BYTES:
	case SUIT_PARAMETER_TYPE_VENDOR_ID:
		bytes = suit_json_to_bytes_hex(node, name, error);
		if (bytes == NULL)
			return NULL;
		return suit_cbor_item_new_bytes(bytes);
	case SUIT_PARAMETER_TYPE_DIGEST: {
		g_autoptr(SuitCborItem) digest = suit_json_digest_item_from_node(node, error);
		if (digest == NULL) {
			g_prefix_error(error, "invalid %s: ", name);
			return NULL;
		}
		return suit_cbor_item_new_wrapped(digest);
	}
	case SUIT_PARAMETER_TYPE_UINT:
	case SUIT_PARAMETER_TYPE_INT:
		return suit_json_int_from_node(node, name, error);
	case SUIT_PARAMETER_TYPE_BOOL:
		if (!suit_json_node_is_type(node, G_TYPE_BOOLEAN)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be a boolean", name);
			return NULL;
		}
		return suit_cbor_item_new_bool(json_node_get_boolean(node));
	case SUIT_PARAMETER_TYPE_TEXT:
		if (!suit_json_node_is_type(node, G_TYPE_STRING)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s must be a string", name);
			return NULL;
		}
		return suit_cbor_item_new_text(json_node_get_string(node));
	case SUIT_PARAMETER_TYPE_ANY:
	default:
		item = suit_json_scalar_from_node(node);
		if (item != NULL)
			return item;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be an integer, a boolean, a string or {\"cbor\": \"<hex>\"}",
			    name);
		return NULL;
	}
}

static SuitCborItem *
suit_json_parameters_from_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) map = NULL;
	g_autoptr(GList) members = NULL;
	JsonObject *obj;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "parameters must be an object");
		return NULL;
	}
	obj = json_node_get_object(node);
	map = suit_cbor_item_new_map();
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		gint64 key = suit_parameter_from_string(name);
		SuitCborItem *value;
		if (key == 0 && !suit_json_parse_key(name, &key)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "unknown parameter %s", name);
			return NULL;
		}
		value = suit_json_parameter_from_node(key, name, json_object_get_member(obj, name), error);
		if (value == NULL)
			return NULL;
		suit_cbor_map_append(map, suit_cbor_item_new_int(key), value);
	}
	suit_cbor_map_sort(map);
	return g_steal_pointer(&map);
}

/* command sequences -------------------------------------------------------- */

static JsonNode *
suit_json_argument_to_node(SuitCommand *cmd)
{
	g_autoptr(SuitCborItem) arg = NULL;
	SuitArgumentType type = suit_command_get_argument_type(cmd);

	if (type == SUIT_ARGUMENT_TYPE_SEQUENCES) {
		g_autoptr(JsonArray) array = json_array_new();
		GPtrArray *seqs = suit_command_get_sequences(cmd);
		for (guint i = 0; seqs != NULL && i < seqs->len; i++)
			json_array_add_element(array, suit_json_sequence_to_node(g_ptr_array_index(seqs, i)));
		if (suit_command_get_has_empty_fallback(cmd))
			json_array_add_null_element(array);
		return json_node_init_array(json_node_alloc(), array);
	}
	if (type == SUIT_ARGUMENT_TYPE_SEQUENCE)
		return suit_json_sequence_to_node(suit_command_get_sequence(cmd));
	if (type == SUIT_ARGUMENT_TYPE_REPORTING_POLICY)
		return suit_json_uint_to_node(suit_command_get_reporting_policy(cmd));

	/* the rest work on the argument itself, which was checked when parsing */
	arg = suit_cbor_decode(suit_command_get_argument_cbor(cmd),
			       NULL,
			       SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS,
			       NULL);
	if (arg == NULL)
		return json_node_init_null(json_node_alloc());
	switch (type) {
	case SUIT_ARGUMENT_TYPE_COMPONENT_INDEX:
		if (suit_cbor_item_get_type(arg) == SUIT_CBOR_TYPE_TRUE)
			return json_node_init_boolean(json_node_alloc(), TRUE);
		if (suit_cbor_item_get_type(arg) == SUIT_CBOR_TYPE_ARRAY) {
			g_autoptr(JsonArray) array = json_array_new();
			for (guint i = 0; i < suit_cbor_item_get_length(arg); i++)
				json_array_add_element(array, suit_json_int_to_node(suit_cbor_array_get(arg, i)));
			return json_node_init_array(json_node_alloc(), array);
		}
		return suit_json_int_to_node(arg);
	case SUIT_ARGUMENT_TYPE_PARAMETERS:
		return suit_json_parameters_to_node(arg);
	case SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS: {
		g_autoptr(JsonObject) obj = json_object_new();
		for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
			g_autofree gchar *name = suit_cbor_item_to_diag(suit_cbor_map_get_key(arg, i));
			json_object_set_member(obj,
					       name,
					       suit_json_parameters_to_node(suit_cbor_map_get_value(arg, i)));
		}
		return json_node_init_object(json_node_alloc(), obj);
	}
	case SUIT_ARGUMENT_TYPE_COPY_PARAMETERS: {
		g_autoptr(JsonObject) obj = json_object_new();
		for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
			g_autofree gchar *name = suit_cbor_item_to_diag(suit_cbor_map_get_key(arg, i));
			SuitCborItem *keys = suit_cbor_map_get_value(arg, i);
			g_autoptr(JsonArray) array = json_array_new();
			for (guint j = 0; j < suit_cbor_item_get_length(keys); j++)
				json_array_add_element(array, suit_json_int_to_node(suit_cbor_array_get(keys, j)));
			json_object_set_member(obj, name, json_node_init_array(json_node_alloc(), array));
		}
		return json_node_init_object(json_node_alloc(), obj);
	}
	case SUIT_ARGUMENT_TYPE_OTHER:
	default:
		return suit_json_cbor_to_node(arg);
	}
}

/**
 * suit_json_sequence_to_node: (skip)
 */
JsonNode *
suit_json_sequence_to_node(SuitCommandSequence *sequence)
{
	g_autoptr(JsonArray) array = json_array_new();
	for (guint i = 0; i < suit_command_sequence_get_length(sequence); i++) {
		SuitCommand *cmd = suit_command_sequence_get_command(sequence, i);
		const gchar *name = suit_command_get_name(cmd);
		g_autoptr(JsonObject) obj = json_object_new();
		if (name != NULL)
			json_object_set_string_member(obj, "command", name);
		else
			json_object_set_null_member(obj, "command");
		json_object_set_int_member(obj, "code", suit_command_get_code(cmd));
		json_object_set_member(obj, "argument", suit_json_argument_to_node(cmd));
		json_array_add_element(array, json_node_init_object(json_node_alloc(), obj));
	}
	return json_node_init_array(json_node_alloc(), array);
}

static SuitCborItem *
suit_json_sequence_from_node_depth(JsonNode *node, guint depth, GError **error);

static SuitCborItem *
suit_json_wrapped_sequence_from_node(JsonNode *node, guint depth, GError **error)
{
	g_autoptr(SuitCborItem) seq = suit_json_sequence_from_node_depth(node, depth, error);
	if (seq == NULL)
		return NULL;
	return suit_cbor_item_new_wrapped(seq);
}

/* a JSON array of integers as a CBOR array */
static SuitCborItem *
suit_json_int_array_from_array(JsonArray *json_array, const gchar *what, GError **error)
{
	g_autoptr(SuitCborItem) array = suit_cbor_item_new_array();
	for (guint i = 0; i < json_array_get_length(json_array); i++) {
		SuitCborItem *value = suit_json_int_from_node(json_array_get_element(json_array, i), what, error);
		if (value == NULL)
			return NULL;
		suit_cbor_array_append(array, value);
	}
	return g_steal_pointer(&array);
}

static SuitCborItem *
suit_json_component_index_from_node(JsonNode *node, GError **error)
{
	if (suit_json_node_is_type(node, G_TYPE_BOOLEAN))
		return suit_cbor_item_new_bool(json_node_get_boolean(node));
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return suit_json_int_from_node(node, "set-component-index", error);
	return suit_json_int_array_from_array(json_node_get_array(node), "set-component-index", error);
}

static SuitCborItem *
suit_json_sequences_from_node(JsonNode *node, guint depth, GError **error)
{
	g_autoptr(SuitCborItem) array = NULL;
	JsonArray *json_array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the argument of try-each must be an array of command arrays");
		return NULL;
	}
	json_array = json_node_get_array(node);
	array = suit_cbor_item_new_array();
	for (guint i = 0; i < json_array_get_length(json_array); i++) {
		JsonNode *elem = json_array_get_element(json_array, i);
		SuitCborItem *seq;
		if (JSON_NODE_HOLDS_NULL(elem)) {
			suit_cbor_array_append(array, suit_cbor_item_new_null());
			continue;
		}
		seq = suit_json_wrapped_sequence_from_node(elem, depth + 1, error);
		if (seq == NULL) {
			g_prefix_error(error, "invalid try-each item %u: ", i);
			return NULL;
		}
		suit_cbor_array_append(array, seq);
	}
	return g_steal_pointer(&array);
}

static SuitCborItem *
suit_json_multiple_from_node(JsonNode *node, gboolean copy_params, GError **error)
{
	const gchar *what = copy_params ? "copy-params" : "override-multiple";
	g_autoptr(SuitCborItem) map = NULL;
	g_autoptr(GList) members = NULL;
	JsonObject *obj;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the argument of %s must be an object keyed by component index",
			    what);
		return NULL;
	}
	obj = json_node_get_object(node);
	map = suit_cbor_item_new_map();
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *value_node = json_object_get_member(obj, name);
		g_autoptr(SuitCborItem) key = suit_json_index_from_name(name, what, error);
		g_autoptr(SuitCborItem) value = NULL;
		if (key == NULL)
			return NULL;
		if (!copy_params) {
			value = suit_json_parameters_from_node(value_node, error);
		} else if (JSON_NODE_HOLDS_ARRAY(value_node)) {
			value = suit_json_int_array_from_array(json_node_get_array(value_node), what, error);
			if (value == NULL)
				return NULL;
		} else {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "copy-params must map component indices to arrays of parameter keys");
		}
		if (value == NULL) {
			g_prefix_error(error, "invalid %s: ", what);
			return NULL;
		}
		suit_cbor_map_append(map, g_steal_pointer(&key), g_steal_pointer(&value));
	}
	suit_cbor_map_sort(map);
	return g_steal_pointer(&map);
}

static SuitCborItem *
suit_json_other_from_node(JsonNode *node, GError **error)
{
	SuitCborItem *item;

	if (suit_json_node_is_cbor(node))
		return suit_json_cbor_from_node(node, error);
	if (node != NULL && JSON_NODE_HOLDS_NULL(node))
		return suit_cbor_item_new_null();
	item = suit_json_scalar_from_node(node);
	if (item != NULL)
		return item;
	g_set_error_literal(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the argument must be {\"cbor\": \"<hex>\"}, an integer, a boolean, a string or null");
	return NULL;
}

static SuitCborItem *
suit_json_command_from_node(JsonNode *node, SuitCborItem **argument, guint depth, GError **error)
{
	JsonObject *obj;
	JsonNode *code_node;
	JsonNode *name_node;
	JsonNode *arg_node;
	g_autoptr(GList) members = NULL;
	g_autoptr(SuitCborItem) code_item = NULL;
	gint64 code = 0;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "a command must be an object");
		return NULL;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *member = l->data;
		if (g_strcmp0(member, "command") != 0 && g_strcmp0(member, "code") != 0 &&
		    g_strcmp0(member, "argument") != 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "unknown command member %s",
				    member);
			return NULL;
		}
	}
	code_node = json_object_get_member(obj, "code");
	name_node = json_object_get_member(obj, "command");
	arg_node = json_object_get_member(obj, "argument");
	if (code_node != NULL && !JSON_NODE_HOLDS_NULL(code_node)) {
		if (!suit_json_node_is_type(code_node, G_TYPE_INT64)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "a command code must be an integer");
			return NULL;
		}
		code = json_node_get_int(code_node);
	} else if (suit_json_node_is_type(name_node, G_TYPE_STRING)) {
		code = suit_command_code_from_string(json_node_get_string(name_node));
		if (code == 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "unknown command %s",
				    json_node_get_string(name_node));
			return NULL;
		}
	} else {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a command needs a code or a known command name");
		return NULL;
	}
	if (arg_node == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "command %" G_GINT64_FORMAT " has no argument",
			    code);
		return NULL;
	}
	code_item = suit_cbor_item_new_int(code);
	switch (suit_command_code_get_argument_type(code)) {
	case SUIT_ARGUMENT_TYPE_REPORTING_POLICY:
		*argument = suit_json_int_from_node(arg_node, "reporting policy", error);
		break;
	case SUIT_ARGUMENT_TYPE_COMPONENT_INDEX:
		*argument = suit_json_component_index_from_node(arg_node, error);
		break;
	case SUIT_ARGUMENT_TYPE_PARAMETERS:
		*argument = suit_json_parameters_from_node(arg_node, error);
		break;
	case SUIT_ARGUMENT_TYPE_SEQUENCES:
		*argument = suit_json_sequences_from_node(arg_node, depth, error);
		break;
	case SUIT_ARGUMENT_TYPE_SEQUENCE:
		*argument = suit_json_wrapped_sequence_from_node(arg_node, depth + 1, error);
		break;
	case SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS:
		*argument = suit_json_multiple_from_node(arg_node, FALSE, error);
		break;
	case SUIT_ARGUMENT_TYPE_COPY_PARAMETERS:
		*argument = suit_json_multiple_from_node(arg_node, TRUE, error);
		break;
	case SUIT_ARGUMENT_TYPE_OTHER:
	default:
		*argument = suit_json_other_from_node(arg_node, error);
		break;
	}
	if (*argument == NULL) {
		const gchar *name = suit_command_code_to_string(code);
		if (name != NULL)
			g_prefix_error(error, "invalid %s: ", name);
		else
			g_prefix_error(error, "invalid command %" G_GINT64_FORMAT ": ", code);
		return NULL;
	}
	return g_steal_pointer(&code_item);
}

static SuitCborItem *
suit_json_sequence_from_node_depth(JsonNode *node, guint depth, GError **error)
{
	g_autoptr(SuitCborItem) seq = NULL;
	JsonArray *array;

	if (depth > SUIT_JSON_MAX_SEQUENCE_NESTING) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "command sequences are nested deeper than %u levels",
			    (guint)SUIT_JSON_MAX_SEQUENCE_NESTING);
		return NULL;
	}
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a command sequence must be an array of commands");
		return NULL;
	}
	array = json_node_get_array(node);
	seq = suit_cbor_item_new_array();
	for (guint i = 0; i < json_array_get_length(array); i++) {
		SuitCborItem *argument = NULL;
		SuitCborItem *code =
		    suit_json_command_from_node(json_array_get_element(array, i), &argument, depth, error);
		if (code == NULL) {
			g_prefix_error(error, "command %u: ", i);
			return NULL;
		}
		suit_cbor_array_append(seq, code);
		suit_cbor_array_append(seq, argument);
	}
	return g_steal_pointer(&seq);
}

/**
 * suit_json_sequence_from_node: (skip)
 */
SuitCborItem *
suit_json_sequence_from_node(JsonNode *node, GError **error)
{
	return suit_json_sequence_from_node_depth(node, 0, error);
}

/* text --------------------------------------------------------------------- */

typedef struct {
	gint64 key;
	const gchar *name;
} SuitJsonTextKey;

static const SuitJsonTextKey suit_json_text_manifest_keys[] = {
    {1, "manifest-description"},
    {2, "update-description"},
    {3, "manifest-json-source"},
    {4, "manifest-yaml-source"},
};

static const SuitJsonTextKey suit_json_text_component_keys[] = {
    {1, "vendor-name"},
    {2, "model-name"},
    {3, "vendor-domain"},
    {4, "model-info"},
    {5, "component-description"},
    {6, "component-version"},
    {7, "version-required"},
    {8, "current-version"},
};

static gchar *
suit_json_text_key_to_name(const SuitJsonTextKey *keys, guint n_keys, gint64 key)
{
	for (guint i = 0; i < n_keys; i++) {
		if (keys[i].key == key)
			return g_strdup(keys[i].name);
	}
	return suit_json_key_to_string(key);
}

static gboolean
suit_json_text_key_from_name(const SuitJsonTextKey *keys, guint n_keys, const gchar *name, gint64 *key)
{
	for (guint i = 0; i < n_keys; i++) {
		if (g_strcmp0(keys[i].name, name) == 0) {
			*key = keys[i].key;
			return TRUE;
		}
	}
	return suit_json_parse_key(name, key);
}

static JsonNode *
suit_json_text_value_to_node(SuitCborItem *value)
{
	g_autofree gchar *text = NULL;
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_TEXT)
		return suit_json_cbor_to_node(value);
	text = suit_cbor_item_dup_text(value);
	return json_node_init_string(json_node_alloc(), text);
}

static SuitCborItem *
suit_json_text_value_from_node(JsonNode *node, const gchar *name, GError **error)
{
	if (suit_json_node_is_cbor(node))
		return suit_json_cbor_from_node(node, error);
	if (!suit_json_node_is_type(node, G_TYPE_STRING)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "text %s must be a string", name);
		return NULL;
	}
	return suit_cbor_item_new_text(json_node_get_string(node));
}

static JsonNode *
suit_json_text_component_to_node(SuitCborItem *id, SuitCborItem *map)
{
	g_autoptr(JsonObject) obj = json_object_new();
	json_object_set_member(obj, "component-id", suit_json_component_id_to_node(id));
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		gint64 key = 0;
		g_autofree gchar *name = NULL;
		if (!suit_cbor_item_get_int(suit_cbor_map_get_key(map, i), &key))
			continue;
		name = suit_json_text_key_to_name(suit_json_text_component_keys,
						  G_N_ELEMENTS(suit_json_text_component_keys),
						  key);
		json_object_set_member(obj, name, suit_json_text_value_to_node(suit_cbor_map_get_value(map, i)));
	}
	return json_node_init_object(json_node_alloc(), obj);
}

/**
 * suit_json_text_to_node: (skip)
 */
JsonNode *
suit_json_text_to_node(SuitCborItem *text)
{
	g_autoptr(JsonObject) root = json_object_new();
	for (guint i = 0; i < suit_cbor_item_get_length(text); i++) {
		SuitCborItem *lang_map = suit_cbor_map_get_value(text, i);
		g_autofree gchar *lang = suit_cbor_item_dup_text(suit_cbor_map_get_key(text, i));
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonArray) components = json_array_new();
		if (lang == NULL)
			continue;
		for (guint j = 0; j < suit_cbor_item_get_length(lang_map); j++) {
			SuitCborItem *key_item = suit_cbor_map_get_key(lang_map, j);
			SuitCborItem *value = suit_cbor_map_get_value(lang_map, j);
			gint64 key = 0;
			if (suit_cbor_item_get_int(key_item, &key)) {
				g_autofree gchar *name =
				    suit_json_text_key_to_name(suit_json_text_manifest_keys,
							       G_N_ELEMENTS(suit_json_text_manifest_keys),
							       key);
				json_object_set_member(obj, name, suit_json_text_value_to_node(value));
			} else if (suit_cbor_item_get_type(key_item) == SUIT_CBOR_TYPE_ARRAY) {
				json_array_add_element(components,
						       suit_json_text_component_to_node(key_item, value));
			}
		}
		if (json_array_get_length(components) > 0)
			json_object_set_array_member(obj, "components", g_steal_pointer(&components));
		json_object_set_object_member(root, lang, g_steal_pointer(&obj));
	}
	return json_node_init_object(json_node_alloc(), root);
}

static gboolean
suit_json_text_entries_from_object(JsonObject *obj,
				   const SuitJsonTextKey *keys,
				   guint n_keys,
				   const gchar *skip,
				   SuitCborItem *map,
				   GError **error)
{
	g_autoptr(GList) members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		gint64 key = 0;
		SuitCborItem *value;
		if (g_strcmp0(name, skip) == 0)
			continue;
		if (!suit_json_text_key_from_name(keys, n_keys, name, &key)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "unknown text key %s", name);
			return FALSE;
		}
		value = suit_json_text_value_from_node(json_object_get_member(obj, name), name, error);
		if (value == NULL)
			return FALSE;
		suit_cbor_map_append(map, suit_cbor_item_new_int(key), value);
	}
	return TRUE;
}

static gboolean
suit_json_text_components_from_node(JsonNode *node, SuitCborItem *lang_map, GError **error)
{
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "text components must be an array of objects");
		return FALSE;
	}
	array = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *elem = json_array_get_element(array, i);
		g_autoptr(SuitCborItem) id = NULL;
		g_autoptr(SuitCborItem) map = NULL;
		JsonObject *obj;
		if (!JSON_NODE_HOLDS_OBJECT(elem)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "text components must be an array of objects");
			return FALSE;
		}
		obj = json_node_get_object(elem);
		id = suit_json_component_id_from_node(json_object_get_member(obj, "component-id"),
						      "text component-id",
						      error);
		if (id == NULL)
			return FALSE;
		map = suit_cbor_item_new_map();
		if (!suit_json_text_entries_from_object(obj,
							suit_json_text_component_keys,
							G_N_ELEMENTS(suit_json_text_component_keys),
							"component-id",
							map,
							error))
			return FALSE;
		suit_cbor_map_sort(map);
		suit_cbor_map_append(lang_map, g_steal_pointer(&id), g_steal_pointer(&map));
	}
	return TRUE;
}

/**
 * suit_json_text_from_node: (skip)
 */
SuitCborItem *
suit_json_text_from_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) text = NULL;
	g_autoptr(GList) members = NULL;
	JsonObject *root;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "text must be an object keyed by language tag");
		return NULL;
	}
	root = json_node_get_object(node);
	text = suit_cbor_item_new_map();
	members = json_object_get_members(root);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *lang = l->data;
		JsonNode *lang_node = json_object_get_member(root, lang);
		g_autoptr(SuitCborItem) lang_map = NULL;
		JsonObject *obj;
		JsonNode *components;
		if (!JSON_NODE_HOLDS_OBJECT(lang_node)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "text for language %s must be an object",
				    lang);
			return NULL;
		}
		obj = json_node_get_object(lang_node);
		lang_map = suit_cbor_item_new_map();
		if (!suit_json_text_entries_from_object(obj,
							suit_json_text_manifest_keys,
							G_N_ELEMENTS(suit_json_text_manifest_keys),
							"components",
							lang_map,
							error)) {
			g_prefix_error(error, "invalid text for language %s: ", lang);
			return NULL;
		}
		components = json_object_get_member(obj, "components");
		if (components != NULL && !suit_json_text_components_from_node(components, lang_map, error)) {
			g_prefix_error(error, "invalid text for language %s: ", lang);
			return NULL;
		}
		suit_cbor_map_sort(lang_map);
		suit_cbor_map_append(text, suit_cbor_item_new_text(lang), g_steal_pointer(&lang_map));
	}
	suit_cbor_map_sort(text);
	return g_steal_pointer(&text);
}

/* strings ------------------------------------------------------------------ */

/**
 * suit_json_node_to_string: (skip)
 */
gchar *
suit_json_node_to_string(JsonNode *node, SuitJsonFlags flags)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	if (flags & SUIT_JSON_FLAG_PRETTY) {
		json_generator_set_pretty(generator, TRUE);
		json_generator_set_indent(generator, 2);
	}
	json_generator_set_root(generator, node);
	return json_generator_to_data(generator, NULL);
}

/*
 * suit_json_check_text:
 * @text: JSON text from outside (a request, a file, a server's answer)
 * @len: its length, or -1 when it is NUL-terminated
 * @max_depth: how deep arrays and objects may nest
 * @error: return location for a #GError, or %NULL
 *
 * Checks what json-glib 1.6 does not, before it parses: it recurses without
 * a depth limit, and given two top-level containers ("{} {}") it keeps the
 * second and leaks the first. Strings are skipped, so brackets inside them
 * do not count.
 *
 * Returns: %TRUE, or %FALSE with %SUIT_ERROR_LIMIT_EXCEEDED (too deep) or
 *   %SUIT_ERROR_INVALID_DATA (more than one top-level value)
 */
gboolean
suit_json_check_text(const gchar *text, gssize len, guint max_depth, GError **error)
{
	gsize size = len < 0 ? strlen(text) : (gsize)len;
	guint depth = 0;
	gboolean in_string = FALSE;
	gboolean closed = FALSE;

	for (gsize i = 0; i < size; i++) {
		gchar c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (closed && !g_ascii_isspace(c)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "invalid json: more than one top-level value");
			return FALSE;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_LIMIT_EXCEEDED,
					    "invalid json: nested deeper than %u levels",
					    max_depth);
				return FALSE;
			}
		} else if ((c == ']' || c == '}') && depth > 0) {
			if (--depth == 0)
				closed = TRUE;
		}
	}
	return TRUE;
}

/**
 * suit_json_node_from_string: (skip)
 */
JsonNode *
suit_json_node_from_string(const gchar *json, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;

	g_return_val_if_fail(json != NULL, NULL);
	if (!suit_json_check_text(json, -1, SUIT_JSON_MAX_DEPTH, error))
		return NULL;
	if (!json_parser_load_from_data(parser, json, -1, &error_local)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "invalid json: %s", error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "invalid json: empty document");
		return NULL;
	}
	return json_node_copy(root);
}
