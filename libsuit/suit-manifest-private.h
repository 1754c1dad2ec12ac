/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "suit-cbor-private.h"
#include "suit-manifest.h"

G_BEGIN_DECLS

/* SUIT_Manifest map keys */
#define SUIT_MANIFEST_KEY_VERSION		  1
#define SUIT_MANIFEST_KEY_SEQUENCE_NUMBER	  2
#define SUIT_MANIFEST_KEY_COMMON		  3
#define SUIT_MANIFEST_KEY_REFERENCE_URI		  4
#define SUIT_MANIFEST_KEY_COMPONENT_ID		  5
#define SUIT_MANIFEST_KEY_SET_VERSION		  6
#define SUIT_MANIFEST_KEY_VALIDATE		  7
#define SUIT_MANIFEST_KEY_LOAD			  8
#define SUIT_MANIFEST_KEY_INVOKE		  9
#define SUIT_MANIFEST_KEY_COSWID		  14
#define SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION	  15
#define SUIT_MANIFEST_KEY_PAYLOAD_FETCH		  16
#define SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION 18
#define SUIT_MANIFEST_KEY_INSTALL		  20
#define SUIT_MANIFEST_KEY_TEXT			  23
#define SUIT_MANIFEST_KEY_UNINSTALL		  24

/* SUIT_Envelope keys */
#define SUIT_ENVELOPE_TAG	      107
#define SUIT_MANIFEST_TAG	      1070
#define SUIT_ENVELOPE_KEY_DELEGATION 1
#define SUIT_ENVELOPE_KEY_AUTH	      2
#define SUIT_ENVELOPE_KEY_MANIFEST    3

/* TRUE for the severable member keys 14, 15, 16, 18, 20, 23 */
gboolean
suit_manifest_key_is_severable(gint64 key);
/* short names: "install", "text", "payload-fetch", "coswid", ... ; NULL if not severable */
const gchar *
suit_manifest_member_to_string(gint64 key);
gint64
suit_manifest_member_from_string(const gchar *name);

/*
 * Builds a manifest from the decoded SUIT_Manifest (map, optionally in tag
 * 1070). Checks the version first (unsupported-version), then the structure
 * (invalid-data). Unknown integer keys are kept, in order, as unknown
 * elements (suit_manifest_get_unknown_elements()), never run.
 */
SuitManifest *
suit_manifest_new_from_item(SuitCborItem *item, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
/* the SUIT_Manifest map, re-encoded in its original order, in tag 1070 if it was
 * decoded in it (transfer full) */
SuitCborItem *
suit_manifest_to_item(SuitManifest *self);

/*
 * Gives the manifest the content of a severed member: @bstr is the envelope's
 * byte string for @key, whose digest the caller has already checked against
 * suit_manifest_get_member_digest(). The state becomes ATTACHED and the
 * sequence/text becomes available. Fails with invalid-cbor/invalid-data.
 */
gboolean
suit_manifest_attach_member(SuitManifest *self, gint64 key, SuitCborItem *bstr, GError **error);
/* drops attached content again (state back to SEVERED) */
void
suit_manifest_detach_member(SuitManifest *self, gint64 key);
/*
 * For authoring: turns an INLINE member into a severed one. Returns the byte
 * string the envelope must carry (transfer full); the manifest then holds its
 * SHA-256 digest and the state is ATTACHED.
 */
SuitCborItem *
suit_manifest_sever_member(SuitManifest *self, gint64 key, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* the envelope byte string of an ATTACHED member (transfer full), NULL otherwise */
SuitCborItem *
suit_manifest_dup_member_bstr(SuitManifest *self, gint64 key);

/*
 * Command sequences (suit-command.c): like suit_command_sequence_new_from_cbor()
 * but decoding the sequence and every nested one with @flags.
 */
SuitCommandSequence *
suit_command_sequence_new_from_bytes_full(GBytes *cbor, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
/* the argument shape of a command code, SUIT_ARGUMENT_TYPE_OTHER for custom and unknown codes */
SuitArgumentType
suit_command_code_get_argument_type(gint64 code);

/* the CBOR value type of a parameter (SUIT-SPEC §5), for checking and for the JSON mirror */
typedef enum {
	SUIT_PARAMETER_TYPE_ANY,       /* unknown or kept as CBOR (28, 29, 30, custom) */
	SUIT_PARAMETER_TYPE_BYTES,     /* bstr */
	SUIT_PARAMETER_TYPE_VENDOR_ID, /* bstr, or tag 112 over a bstr */
	SUIT_PARAMETER_TYPE_DIGEST,    /* bstr .cbor SUIT_Digest */
	SUIT_PARAMETER_TYPE_UINT,      /* uint */
	SUIT_PARAMETER_TYPE_INT,       /* int */
	SUIT_PARAMETER_TYPE_BOOL,      /* bool */
	SUIT_PARAMETER_TYPE_TEXT,      /* tstr */
} SuitParameterType;
SuitParameterType
suit_parameter_get_value_type(gint64 key);
/* the SUIT_Digest in the byte string @value, the value of @what @key (e.g.
 * "parameter" 3); a %NULL @value is SUIT_ERROR_NOT_FOUND, any other item
 * SUIT_ERROR_INVALID_DATA; shared by SuitParameters and SuitReportProperties */
SuitDigest *
suit_parameter_value_dup_digest(SuitCborItem *value, const gchar *what, gint64 key, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

/* JSON mirror */
JsonNode *
suit_manifest_to_json_node(SuitManifest *self);
SuitManifest *
suit_manifest_new_from_json_node(JsonNode *node, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* the JSON of the content of an ATTACHED member (what "severable" holds in an envelope's JSON);
 * also works for an INLINE member, NULL when the content is not available */
JsonNode *
suit_manifest_member_to_json_node(SuitManifest *self, gint64 key);
/* the envelope byte string for a member given as JSON content (transfer full) */
SuitCborItem *
suit_manifest_member_from_json_node(gint64 key, JsonNode *node, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

/* shared JSON helpers (suit-json.c) */
JsonNode *
suit_json_from_bytes_hex(GBytes *bytes);
GBytes *
suit_json_to_bytes_hex(JsonNode *node, const gchar *what, GError **error);
JsonNode *
suit_json_digest_to_node(const SuitDigest *digest);
SuitDigest *
suit_json_digest_from_node(JsonNode *node, GError **error);
/* generic CBOR value <-> JSON {"cbor": "<hex of encoding>"} */
JsonNode *
suit_json_cbor_to_node(SuitCborItem *item);
SuitCborItem *
suit_json_cbor_from_node(JsonNode *node, GError **error);
/* any CBOR integer <-> JSON integer (a decimal string beyond the gint64 range) */
JsonNode *
suit_json_int_to_node(const SuitCborItem *item);
SuitCborItem *
suit_json_int_from_node(JsonNode *node, const gchar *what, GError **error);
/* a SUIT_Digest item <-> digest object ({"cbor": hex} when it has extensions) */
JsonNode *
suit_json_digest_item_to_node(SuitCborItem *item);
SuitCborItem *
suit_json_digest_item_from_node(JsonNode *node, GError **error);
/* a SUIT_Component_Identifier item <-> array of hex strings */
JsonNode *
suit_json_component_id_to_node(SuitCborItem *item);
SuitCborItem *
suit_json_component_id_from_node(JsonNode *node, const gchar *what, GError **error);
/* a command sequence <-> array of command objects; from_node gives the (unwrapped) array */
JsonNode *
suit_json_sequence_to_node(SuitCommandSequence *sequence);
SuitCborItem *
suit_json_sequence_from_node(JsonNode *node, GError **error);
/* a parameter's member name ("image-digest", or the key as a decimal) and its
 * value as JSON; also used for the properties of SUIT report records */
gchar *
suit_json_parameter_name(gint64 key);
JsonNode *
suit_json_parameter_to_node(gint64 key, SuitCborItem *value);
/* the SUIT_Text_Map item <-> text object */
JsonNode *
suit_json_text_to_node(SuitCborItem *text);
SuitCborItem *
suit_json_text_from_node(JsonNode *node, GError **error);
gchar *
suit_json_node_to_string(JsonNode *node, SuitJsonFlags flags);
JsonNode *
suit_json_node_from_string(const gchar *json, GError **error);
/* how deep JSON text from outside may nest (descriptions, manifests, requests) */
#define SUIT_JSON_MAX_DEPTH 64
gboolean
suit_json_check_text(const gchar *text, gssize len, guint max_depth, GError **error);

G_END_DECLS
