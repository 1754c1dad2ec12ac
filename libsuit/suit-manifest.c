/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/**
 * SuitManifest:
 *
 * A decoded SUIT_Manifest (SUIT-SPEC §3): its version, sequence number,
 * components, command sequences and severable members.
 *
 * A manifest keeps every element it was decoded from, in order, so that
 * suit_manifest_to_bytes() gives back the same bytes. Elements with unknown
 * integer keys are kept as they are and never run.
 *
 * See also: [class@Envelope]
 *
 * Since: 0.1
 */

/* the severable members, in the order of their keys */
static const gint64 suit_manifest_member_keys[] = {
    SUIT_MANIFEST_KEY_COSWID,
    SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION,
    SUIT_MANIFEST_KEY_PAYLOAD_FETCH,
    SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION,
    SUIT_MANIFEST_KEY_INSTALL,
    SUIT_MANIFEST_KEY_TEXT,
};
#define SUIT_MANIFEST_N_MEMBERS G_N_ELEMENTS(suit_manifest_member_keys)

typedef struct {
	gint64 key;
	SuitCborItem *key_item; /* (owned) */
	SuitCborItem *value;	/* (owned): what the manifest holds, a digest once severed */
} SuitManifestElement;

typedef struct {
	SuitMemberState state;
	SuitDigest *digest;	       /* (nullable): SEVERED and ATTACHED */
	SuitCborItem *bstr;	       /* (nullable): the byte string, INLINE and ATTACHED */
	SuitCommandSequence *sequence; /* (nullable): sequences, INLINE and ATTACHED */
	SuitCborItem *content;	       /* (nullable): the decoded text map or CoSWID */
} SuitManifestMember;

struct _SuitManifest {
	GObject parent_instance;
	SuitParseFlags flags;
	gboolean tagged;
	GPtrArray *elements; /* (element-type SuitManifestElement) in map order */
	guint64 version;
	guint64 sequence_number;
	gchar *reference_uri;
	SuitComponentId *component_id;	/* (nullable) */
	SuitCborItem *common;		/* (owned): the decoded SUIT_Common map */
	GPtrArray *components;		/* (element-type SuitComponentId) */
	GArray *dependency_indices;	/* (element-type guint) */
	GPtrArray *dependency_prefixes; /* (element-type SuitComponentId) (nullable items), as indices */
	SuitCommandSequence *shared;
	SuitCborItem *set_version; /* (nullable): the decoded [+int] */
	SuitCommandSequence *validate;
	SuitCommandSequence *load;
	SuitCommandSequence *invoke;
	SuitCommandSequence *uninstall;
	SuitManifestMember members[SUIT_MANIFEST_N_MEMBERS];
	GPtrArray *unknown_elements; /* (element-type GBytes): encoded {key: value} */
};

G_DEFINE_TYPE(SuitManifest, suit_manifest, G_TYPE_OBJECT)

static void
suit_manifest_element_free(SuitManifestElement *element)
{
	suit_cbor_item_unref(element->key_item);
	suit_cbor_item_unref(element->value);
	g_free(element);
}

static void
suit_manifest_member_clear_content(SuitManifestMember *member)
{
	g_clear_pointer(&member->bstr, suit_cbor_item_unref);
	g_clear_pointer(&member->sequence, suit_command_sequence_unref);
	g_clear_pointer(&member->content, suit_cbor_item_unref);
}

static void
suit_manifest_finalize(GObject *object)
{
	SuitManifest *self = SUIT_MANIFEST(object);

	g_ptr_array_unref(self->elements);
	g_free(self->reference_uri);
	g_clear_pointer(&self->component_id, suit_component_id_unref);
	g_clear_pointer(&self->common, suit_cbor_item_unref);
	g_ptr_array_unref(self->components);
	g_array_unref(self->dependency_indices);
	g_ptr_array_unref(self->dependency_prefixes);
	g_clear_pointer(&self->shared, suit_command_sequence_unref);
	g_clear_pointer(&self->set_version, suit_cbor_item_unref);
	g_clear_pointer(&self->validate, suit_command_sequence_unref);
	g_clear_pointer(&self->load, suit_command_sequence_unref);
	g_clear_pointer(&self->invoke, suit_command_sequence_unref);
	g_clear_pointer(&self->uninstall, suit_command_sequence_unref);
	for (guint i = 0; i < SUIT_MANIFEST_N_MEMBERS; i++) {
		suit_manifest_member_clear_content(&self->members[i]);
		g_clear_pointer(&self->members[i].digest, suit_digest_unref);
	}
	g_ptr_array_unref(self->unknown_elements);

	G_OBJECT_CLASS(suit_manifest_parent_class)->finalize(object);
}

static void
suit_manifest_class_init(SuitManifestClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_manifest_finalize;
}

static void
suit_manifest_init(SuitManifest *self)
{
	self->elements = g_ptr_array_new_with_free_func((GDestroyNotify)suit_manifest_element_free);
	self->components = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	self->dependency_indices = g_array_new(FALSE, FALSE, sizeof(guint));
	self->dependency_prefixes = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	self->unknown_elements = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

/* names -------------------------------------------------------------------- */

static SuitManifestMember *
suit_manifest_get_member(SuitManifest *self, gint64 key)
{
	for (guint i = 0; i < SUIT_MANIFEST_N_MEMBERS; i++) {
		if (suit_manifest_member_keys[i] == key)
			return &self->members[i];
	}
	return NULL;
}

/**
 * suit_manifest_key_is_severable: (skip)
 */
gboolean
suit_manifest_key_is_severable(gint64 key)
{
	for (guint i = 0; i < SUIT_MANIFEST_N_MEMBERS; i++) {
		if (suit_manifest_member_keys[i] == key)
			return TRUE;
	}
	return FALSE;
}

/**
 * suit_manifest_member_to_string: (skip)
 */
const gchar *
suit_manifest_member_to_string(gint64 key)
{
	switch (key) {
	case SUIT_MANIFEST_KEY_COSWID:
		return "coswid";
	case SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION:
		return "dependency-resolution";
	case SUIT_MANIFEST_KEY_PAYLOAD_FETCH:
		return "payload-fetch";
	case SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION:
		return "candidate-verification";
	case SUIT_MANIFEST_KEY_INSTALL:
		return "install";
	case SUIT_MANIFEST_KEY_TEXT:
		return "text";
	default:
		return NULL;
	}
}

/**
 * suit_manifest_member_from_string: (skip)
 */
gint64
suit_manifest_member_from_string(const gchar *name)
{
	for (guint i = 0; i < SUIT_MANIFEST_N_MEMBERS; i++) {
		if (g_strcmp0(suit_manifest_member_to_string(suit_manifest_member_keys[i]), name) == 0)
			return suit_manifest_member_keys[i];
	}
	return 0;
}

/* the JSON and diagnostic names of the other manifest elements */
static const gchar *
suit_manifest_element_to_string(gint64 key)
{
	switch (key) {
	case SUIT_MANIFEST_KEY_VERSION:
		return "manifest-version";
	case SUIT_MANIFEST_KEY_SEQUENCE_NUMBER:
		return "manifest-sequence-number";
	case SUIT_MANIFEST_KEY_COMMON:
		return "common";
	case SUIT_MANIFEST_KEY_REFERENCE_URI:
		return "reference-uri";
	case SUIT_MANIFEST_KEY_COMPONENT_ID:
		return "manifest-component-id";
	case SUIT_MANIFEST_KEY_SET_VERSION:
		return "set-version";
	case SUIT_MANIFEST_KEY_VALIDATE:
		return "validate";
	case SUIT_MANIFEST_KEY_LOAD:
		return "load";
	case SUIT_MANIFEST_KEY_INVOKE:
		return "invoke";
	case SUIT_MANIFEST_KEY_UNINSTALL:
		return "uninstall";
	default:
		return suit_manifest_member_to_string(key);
	}
}

static gint64
suit_manifest_element_from_string(const gchar *name)
{
	static const gint64 keys[] = {
	    SUIT_MANIFEST_KEY_VERSION,
	    SUIT_MANIFEST_KEY_SEQUENCE_NUMBER,
	    SUIT_MANIFEST_KEY_COMMON,
	    SUIT_MANIFEST_KEY_REFERENCE_URI,
	    SUIT_MANIFEST_KEY_COMPONENT_ID,
	    SUIT_MANIFEST_KEY_SET_VERSION,
	    SUIT_MANIFEST_KEY_VALIDATE,
	    SUIT_MANIFEST_KEY_LOAD,
	    SUIT_MANIFEST_KEY_INVOKE,
	    SUIT_MANIFEST_KEY_COSWID,
	    SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION,
	    SUIT_MANIFEST_KEY_PAYLOAD_FETCH,
	    SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION,
	    SUIT_MANIFEST_KEY_INSTALL,
	    SUIT_MANIFEST_KEY_TEXT,
	    SUIT_MANIFEST_KEY_UNINSTALL,
	};
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (g_strcmp0(suit_manifest_element_to_string(keys[i]), name) == 0)
			return keys[i];
	}
	return 0;
}

/**
 * suit_section_to_string:
 * @section: a #SuitSection
 *
 * Names a command sequence of a manifest, e.g. `install` or `shared-sequence`.
 *
 * Returns: (nullable): a static string, or %NULL for %SUIT_SECTION_NONE and
 *   unknown values
 *
 * Since: 0.1
 */
const gchar *
suit_section_to_string(SuitSection section)
{
	switch (section) {
	case SUIT_SECTION_SHARED:
		return "shared-sequence";
	case SUIT_SECTION_VALIDATE:
		return "validate";
	case SUIT_SECTION_LOAD:
		return "load";
	case SUIT_SECTION_INVOKE:
		return "invoke";
	case SUIT_SECTION_DEPENDENCY_RESOLUTION:
		return "dependency-resolution";
	case SUIT_SECTION_PAYLOAD_FETCH:
		return "payload-fetch";
	case SUIT_SECTION_CANDIDATE_VERIFICATION:
		return "candidate-verification";
	case SUIT_SECTION_INSTALL:
		return "install";
	case SUIT_SECTION_UNINSTALL:
		return "uninstall";
	case SUIT_SECTION_NONE:
	default:
		return NULL;
	}
}

/* parsing ------------------------------------------------------------------ */

static SuitCommandSequence *
suit_manifest_parse_sequence(SuitManifest *self, SuitCborItem *value, const gchar *name, GError **error)
{
	SuitCommandSequence *seq;
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error, value, "%s must be a byte string holding a command sequence", name);
		return NULL;
	}
	seq = suit_command_sequence_new_from_bytes_full(suit_cbor_item_get_bytes(value), self->flags, error);
	if (seq == NULL) {
		g_prefix_error(error, "invalid %s: ", name);
		return NULL;
	}
	return seq;
}

static gboolean
suit_manifest_parse_dependencies(SuitManifest *self, SuitCborItem *deps, GError **error)
{
	if (suit_cbor_item_get_type(deps) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, deps, "dependencies must be a map");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(deps); i++) {
		SuitCborItem *metadata = suit_cbor_map_get_value(deps, i);
		SuitCborItem *prefix_item;
		SuitComponentId *prefix = NULL;
		guint64 idx = 0;
		guint idx32;

		if (!suit_cbor_item_get_uint(suit_cbor_map_get_key(deps, i), &idx) || idx >= G_MAXUINT) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "dependencies must be keyed by component index");
			return FALSE;
		}
		idx32 = (guint)idx;
		if (suit_cbor_item_get_type(metadata) != SUIT_CBOR_TYPE_MAP) {
			suit_cbor_set_type_error(error, metadata, "dependency %u must be a map", idx32);
			return FALSE;
		}
		for (guint j = 0; j < suit_cbor_item_get_length(metadata); j++) {
			if (!suit_cbor_item_get_int(suit_cbor_map_get_key(metadata, j), NULL)) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "dependency %u must have integer keys",
					    idx32);
				return FALSE;
			}
		}
		prefix_item = suit_cbor_map_lookup_int(metadata, 1);
		if (prefix_item != NULL) {
			prefix = suit_component_id_new_from_item(prefix_item, error);
			if (prefix == NULL) {
				g_prefix_error(error, "invalid dependency-prefix of dependency %u: ", idx32);
				return FALSE;
			}
		}
		g_array_append_val(self->dependency_indices, idx32);
		g_ptr_array_add(self->dependency_prefixes, prefix);
	}
	return TRUE;
}

static gboolean
suit_manifest_parse_components(SuitManifest *self, SuitCborItem *components, GError **error)
{
	if (suit_cbor_item_get_type(components) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(components) == 0) {
		suit_cbor_set_type_error(error, components, "components must be a non-empty array");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(components); i++) {
		SuitComponentId *id = suit_component_id_new_from_item(suit_cbor_array_get(components, i), error);
		if (id == NULL) {
			g_prefix_error(error, "invalid component %u: ", i);
			return FALSE;
		}
		g_ptr_array_add(self->components, id);
	}
	return TRUE;
}

static gboolean
suit_manifest_parse_common(SuitManifest *self, SuitCborItem *value, GError **error)
{
	g_autoptr(SuitCborItem) common = NULL;

	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error, value, "common must be a byte string holding a map");
		return FALSE;
	}
	common = suit_cbor_item_decode_wrapped(value, NULL, self->flags, error);
	if (common == NULL) {
		g_prefix_error(error, "invalid common: ");
		return FALSE;
	}
	if (suit_cbor_item_get_type(common) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, common, "common must be a map");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(common); i++) {
		SuitCborItem *entry = suit_cbor_map_get_value(common, i);
		gint64 key = 0;
		if (!suit_cbor_item_get_int(suit_cbor_map_get_key(common, i), &key)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "common must have integer keys");
			return FALSE;
		}
		if (key == 1) {
			if (self->dependency_indices->len > 0)
				continue;
			if (!suit_manifest_parse_dependencies(self, entry, error)) {
				g_prefix_error(error, "invalid common: ");
				return FALSE;
			}
		} else if (key == 2) {
			if (self->components->len > 0)
				continue;
			if (!suit_manifest_parse_components(self, entry, error)) {
				g_prefix_error(error, "invalid common: ");
				return FALSE;
			}
		} else if (key == 4) {
			if (self->shared != NULL)
				continue;
			self->shared = suit_manifest_parse_sequence(self, entry, "shared-sequence", error);
			if (self->shared == NULL) {
				g_prefix_error(error, "invalid common: ");
				return FALSE;
			}
		}
	}
	self->common = g_steal_pointer(&common);
	return TRUE;
}

static gboolean
suit_manifest_check_text_entries(SuitCborItem *map, GError **error)
{
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		SuitCborItem *key = suit_cbor_map_get_key(map, i);
		SuitCborItem *value = suit_cbor_map_get_value(map, i);
		if (!suit_cbor_item_get_int(key, NULL)) {
			suit_cbor_set_type_error(error, key, "text keys must be integers");
			return FALSE;
		}
		if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_TEXT) {
			suit_cbor_set_type_error(error, value, "text values must be text strings");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_manifest_check_text(SuitCborItem *text, GError **error)
{
	if (suit_cbor_item_get_type(text) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, text, "text must be a map");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(text); i++) {
		SuitCborItem *lang_map = suit_cbor_map_get_value(text, i);
		if (suit_cbor_item_get_type(suit_cbor_map_get_key(text, i)) != SUIT_CBOR_TYPE_TEXT) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "text must be keyed by language tag strings");
			return FALSE;
		}
		if (suit_cbor_item_get_type(lang_map) != SUIT_CBOR_TYPE_MAP) {
			suit_cbor_set_type_error(error, lang_map, "the text of a language must be a map");
			return FALSE;
		}
		for (guint j = 0; j < suit_cbor_item_get_length(lang_map); j++) {
			SuitCborItem *key = suit_cbor_map_get_key(lang_map, j);
			SuitCborItem *value = suit_cbor_map_get_value(lang_map, j);
			if (suit_cbor_item_get_type(key) == SUIT_CBOR_TYPE_ARRAY) {
				g_autoptr(SuitComponentId) id = suit_component_id_new_from_item(key, error);
				if (id == NULL)
					return FALSE;
				if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_MAP) {
					suit_cbor_set_type_error(error, value, "the text of a component must be a map");
					return FALSE;
				}
				if (!suit_manifest_check_text_entries(value, error))
					return FALSE;
				continue;
			}
			if (!suit_cbor_item_get_int(key, NULL)) {
				suit_cbor_set_type_error(error,
							 key,
							 "text keys must be integers or component identifiers");
				return FALSE;
			}
			if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_TEXT) {
				suit_cbor_set_type_error(error, value, "text values must be text strings");
				return FALSE;
			}
		}
	}
	return TRUE;
}

/* parses the byte string of a severable member into @member (content only) */
static gboolean
suit_manifest_member_parse_content(SuitManifest *self,
				   gint64 key,
				   SuitCborItem *bstr,
				   SuitManifestMember *member,
				   GError **error)
{
	const gchar *name = suit_manifest_member_to_string(key);

	if (suit_cbor_item_get_type(bstr) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error, bstr, "%s must be a byte string", name);
		return FALSE;
	}
	if (key == SUIT_MANIFEST_KEY_TEXT || key == SUIT_MANIFEST_KEY_COSWID) {
		g_autoptr(SuitCborItem) content = suit_cbor_item_decode_wrapped(bstr, NULL, self->flags, error);
		if (content == NULL) {
			g_prefix_error(error, "invalid %s: ", name);
			return FALSE;
		}
		if (key == SUIT_MANIFEST_KEY_TEXT && !suit_manifest_check_text(content, error)) {
			g_prefix_error(error, "invalid %s: ", name);
			return FALSE;
		}
		member->content = g_steal_pointer(&content);
	} else {
		member->sequence = suit_manifest_parse_sequence(self, bstr, name, error);
		if (member->sequence == NULL)
			return FALSE;
	}
	member->bstr = suit_cbor_item_ref(bstr);
	return TRUE;
}

static gboolean
suit_manifest_parse_member(SuitManifest *self, gint64 key, SuitCborItem *value, GError **error)
{
	SuitManifestMember *member = suit_manifest_get_member(self, key);
	const gchar *name = suit_manifest_member_to_string(key);
	SuitCborType type = suit_cbor_item_get_type(value);

	if (member->state != SUIT_MEMBER_STATE_ABSENT)
		return TRUE;
	if (type == SUIT_CBOR_TYPE_BYTES) {
		if (!suit_manifest_member_parse_content(self, key, value, member, error))
			return FALSE;
		member->state = SUIT_MEMBER_STATE_INLINE;
		return TRUE;
	}
	if (type == SUIT_CBOR_TYPE_ARRAY) {
		member->digest = suit_digest_new_from_item(value, error);
		if (member->digest == NULL) {
			g_prefix_error(error, "invalid severed %s: ", name);
			return FALSE;
		}
		member->state = SUIT_MEMBER_STATE_SEVERED;
		return TRUE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_DATA,
		    "%s must be a byte string or a SUIT_Digest, got %s",
		    name,
		    suit_cbor_type_to_string(type));
	return FALSE;
}

static gboolean
suit_manifest_parse_set_version(SuitManifest *self, SuitCborItem *value, GError **error)
{
	g_autoptr(SuitCborItem) versions = NULL;

	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error,
					 value,
					 "set-version must be a byte string holding an array of integers");
		return FALSE;
	}
	versions = suit_cbor_item_decode_wrapped(value, NULL, self->flags, error);
	if (versions == NULL) {
		g_prefix_error(error, "invalid set-version: ");
		return FALSE;
	}
	if (suit_cbor_item_get_type(versions) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(versions) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "set-version must be a non-empty array of integers");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(versions); i++) {
		if (!suit_cbor_item_is_int(suit_cbor_array_get(versions, i))) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "set-version must be a non-empty array of integers");
			return FALSE;
		}
	}
	self->set_version = g_steal_pointer(&versions);
	return TRUE;
}

static gboolean
suit_manifest_parse_element(SuitManifest *self, gint64 key, SuitCborItem *value, GError **error)
{
	SuitCommandSequence **seq = NULL;

	switch (key) {
	case SUIT_MANIFEST_KEY_VERSION:
	case SUIT_MANIFEST_KEY_SEQUENCE_NUMBER:
	case SUIT_MANIFEST_KEY_COMMON:
		/* checked first */
		return TRUE;
	case SUIT_MANIFEST_KEY_REFERENCE_URI:
		if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_TEXT) {
			suit_cbor_set_type_error(error, value, "reference-uri must be a text string");
			return FALSE;
		}
		if (self->reference_uri == NULL)
			self->reference_uri = suit_cbor_item_dup_text(value);
		return TRUE;
	case SUIT_MANIFEST_KEY_COMPONENT_ID:
		if (self->component_id != NULL)
			return TRUE;
		self->component_id = suit_component_id_new_from_item(value, error);
		if (self->component_id == NULL) {
			g_prefix_error(error, "invalid manifest-component-id: ");
			return FALSE;
		}
		return TRUE;
	case SUIT_MANIFEST_KEY_SET_VERSION:
		if (self->set_version != NULL)
			return TRUE;
		return suit_manifest_parse_set_version(self, value, error);
	case SUIT_MANIFEST_KEY_VALIDATE:
		seq = &self->validate;
		break;
	case SUIT_MANIFEST_KEY_LOAD:
		seq = &self->load;
		break;
	case SUIT_MANIFEST_KEY_INVOKE:
		seq = &self->invoke;
		break;
	case SUIT_MANIFEST_KEY_UNINSTALL:
		seq = &self->uninstall;
		break;
	case SUIT_MANIFEST_KEY_COSWID:
	case SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION:
	case SUIT_MANIFEST_KEY_PAYLOAD_FETCH:
	case SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION:
	case SUIT_MANIFEST_KEY_INSTALL:
	case SUIT_MANIFEST_KEY_TEXT:
		return suit_manifest_parse_member(self, key, value, error);
	default: {
		/* kept as it is, never run */
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		suit_cbor_map_append(map, suit_cbor_item_new_int(key), suit_cbor_item_ref(value));
		g_ptr_array_add(self->unknown_elements, suit_cbor_encode(map));
		return TRUE;
	}
	}
	if (*seq != NULL)
		return TRUE;
	*seq = suit_manifest_parse_sequence(self, value, suit_manifest_element_to_string(key), error);
	return *seq != NULL;
}

/**
 * suit_manifest_new_from_item: (skip)
 */
SuitManifest *
suit_manifest_new_from_item(SuitCborItem *item, SuitParseFlags flags, GError **error)
{
	g_autoptr(SuitManifest) self = NULL;
	SuitCborItem *map = item;
	SuitCborItem *version;
	SuitCborItem *sequence_number;
	SuitCborItem *common;
	gboolean tagged = FALSE;

	g_return_val_if_fail(item != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (suit_cbor_item_get_type(item) == SUIT_CBOR_TYPE_TAG) {
		if (suit_cbor_item_get_u64(item) != SUIT_MANIFEST_TAG) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a manifest must be a map or tag %u, got tag %" G_GUINT64_FORMAT,
				    (guint)SUIT_MANIFEST_TAG,
				    suit_cbor_item_get_u64(item));
			return NULL;
		}
		map = suit_cbor_tag_get_content(item);
		tagged = TRUE;
	}
	if (suit_cbor_item_get_type(map) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, map, "a manifest must be a map");
		return NULL;
	}

	/* the version before anything else */
	version = suit_cbor_map_lookup_int(map, SUIT_MANIFEST_KEY_VERSION);
	if (version == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_VERSION,
				    "the manifest has no manifest-version");
		return NULL;
	}
	if (suit_cbor_item_get_type(version) != SUIT_CBOR_TYPE_UINT || suit_cbor_item_get_u64(version) != 1) {
		g_autofree gchar *diag = suit_cbor_item_to_diag(version);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_VERSION,
			    "manifest-version %s is not supported",
			    diag);
		return NULL;
	}

	self = g_object_new(SUIT_TYPE_MANIFEST, NULL);
	self->flags = flags;
	self->tagged = tagged;
	self->version = 1;

	sequence_number = suit_cbor_map_lookup_int(map, SUIT_MANIFEST_KEY_SEQUENCE_NUMBER);
	if (sequence_number == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the manifest has no manifest-sequence-number");
		return NULL;
	}
	if (!suit_cbor_item_get_uint(sequence_number, &self->sequence_number)) {
		suit_cbor_set_type_error(error,
					 sequence_number,
					 "manifest-sequence-number must be an unsigned integer");
		return NULL;
	}
	common = suit_cbor_map_lookup_int(map, SUIT_MANIFEST_KEY_COMMON);
	if (common == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the manifest has no common");
		return NULL;
	}
	if (!suit_manifest_parse_common(self, common, error))
		return NULL;

	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		SuitCborItem *key_item = suit_cbor_map_get_key(map, i);
		SuitCborItem *value = suit_cbor_map_get_value(map, i);
		SuitManifestElement *element;
		gint64 key = 0;

		if (!suit_cbor_item_get_int(key_item, &key)) {
			suit_cbor_set_type_error(error, key_item, "manifest keys must be integers");
			return NULL;
		}
		if (!suit_manifest_parse_element(self, key, value, error))
			return NULL;
		element = g_new0(SuitManifestElement, 1);
		element->key = key;
		element->key_item = suit_cbor_item_ref(key_item);
		element->value = suit_cbor_item_ref(value);
		g_ptr_array_add(self->elements, element);
	}
	return g_steal_pointer(&self);
}

/**
 * suit_manifest_new_from_bytes:
 * @cbor: an encoded SUIT_Manifest (the content of the envelope's byte string)
 * @flags: #SuitParseFlags
 * @error: return location for a #GError, or %NULL
 *
 * Parses a manifest strictly and within the default CBOR limits. The
 * manifest-version is checked before anything else.
 *
 * This does not authenticate anything: use [method@Envelope.verify] for
 * manifests from untrusted sources.
 *
 * Returns: (transfer full): a new #SuitManifest, or %NULL with
 *   %SUIT_ERROR_INVALID_CBOR, %SUIT_ERROR_LIMIT_EXCEEDED,
 *   %SUIT_ERROR_UNSUPPORTED_VERSION or %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitManifest *
suit_manifest_new_from_bytes(GBytes *cbor, SuitParseFlags flags, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;

	g_return_val_if_fail(cbor != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	item = suit_cbor_decode(cbor, NULL, flags, error);
	if (item == NULL)
		return NULL;
	return suit_manifest_new_from_item(item, flags, error);
}

/* encoding ----------------------------------------------------------------- */

/**
 * suit_manifest_to_item: (skip)
 */
SuitCborItem *
suit_manifest_to_item(SuitManifest *self)
{
	SuitCborItem *map;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);

	map = suit_cbor_item_new_map();
	for (guint i = 0; i < self->elements->len; i++) {
		SuitManifestElement *element = g_ptr_array_index(self->elements, i);
		suit_cbor_map_append(map,
				     suit_cbor_item_ref(element->key_item),
				     suit_cbor_item_ref(element->value));
	}
	if (self->tagged)
		return suit_cbor_item_new_tag(SUIT_MANIFEST_TAG, map);
	return map;
}

/**
 * suit_manifest_to_bytes:
 * @self: a #SuitManifest
 *
 * Encodes the manifest. Elements keep the order they were decoded in, so a
 * manifest in deterministic encoding (as SUIT requires) gives back the same
 * bytes; a severed member appears as its digest.
 *
 * Returns: (transfer full): the encoded SUIT_Manifest
 *
 * Since: 0.1
 */
GBytes *
suit_manifest_to_bytes(SuitManifest *self)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	item = suit_manifest_to_item(self);
	return suit_cbor_encode(item);
}

/* accessors ---------------------------------------------------------------- */

/**
 * suit_manifest_get_version:
 * @self: a #SuitManifest
 *
 * Gets the manifest-version, which is always 1 for a parsed manifest.
 *
 * Returns: the version
 *
 * Since: 0.1
 */
guint64
suit_manifest_get_version(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), 0);
	return self->version;
}

/**
 * suit_manifest_get_sequence_number:
 * @self: a #SuitManifest
 *
 * Gets the manifest-sequence-number, which must grow with every update.
 *
 * Returns: the sequence number
 *
 * Since: 0.1
 */
guint64
suit_manifest_get_sequence_number(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), 0);
	return self->sequence_number;
}

/**
 * suit_manifest_get_reference_uri:
 * @self: a #SuitManifest
 *
 * Gets the reference-uri, where the full envelope can be found.
 *
 * Returns: (nullable): the URI, or %NULL if not set
 *
 * Since: 0.1
 */
const gchar *
suit_manifest_get_reference_uri(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	return self->reference_uri;
}

/**
 * suit_manifest_get_manifest_component_id:
 * @self: a #SuitManifest
 *
 * Gets the manifest-component-id (trust domains), the identifier under which
 * the manifest itself is stored.
 *
 * Returns: (transfer none) (nullable): the identifier, or %NULL if not set
 *
 * Since: 0.1
 */
SuitComponentId *
suit_manifest_get_manifest_component_id(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	return self->component_id;
}

/**
 * suit_manifest_get_components:
 * @self: a #SuitManifest
 *
 * Gets the components of suit-common, indexed as set-component-index uses them.
 *
 * Returns: (transfer none) (element-type SuitComponentId): the components,
 *   possibly empty
 *
 * Since: 0.1
 */
GPtrArray *
suit_manifest_get_components(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	return self->components;
}

/**
 * suit_manifest_get_dependency_indices:
 * @self: a #SuitManifest
 *
 * Gets the component indices that are dependency manifests (trust domains),
 * in the order of suit-dependencies. They may lie beyond the components list.
 *
 * Returns: (transfer none) (element-type guint): the indices, possibly empty
 *
 * Since: 0.1
 */
GArray *
suit_manifest_get_dependency_indices(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	return self->dependency_indices;
}

/**
 * suit_manifest_get_dependency_prefix:
 * @self: a #SuitManifest
 * @index: a component index listed by suit_manifest_get_dependency_indices()
 *
 * Gets the dependency-prefix of a dependency.
 *
 * Returns: (transfer none) (nullable): the prefix, or %NULL if @index is not a
 *   dependency or has no prefix
 *
 * Since: 0.1
 */
SuitComponentId *
suit_manifest_get_dependency_prefix(SuitManifest *self, guint index)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	for (guint i = 0; i < self->dependency_indices->len; i++) {
		if (g_array_index(self->dependency_indices, guint, i) == index)
			return g_ptr_array_index(self->dependency_prefixes, i);
	}
	return NULL;
}

/**
 * suit_manifest_get_sequence:
 * @self: a #SuitManifest
 * @section: a #SuitSection
 *
 * Gets a command sequence. A severable one is available when it is inline or
 * attached from the envelope.
 *
 * Returns: (transfer none) (nullable): the sequence, or %NULL if absent or severed
 *
 * Since: 0.1
 */
SuitCommandSequence *
suit_manifest_get_sequence(SuitManifest *self, SuitSection section)
{
	SuitManifestMember *member;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);

	switch (section) {
	case SUIT_SECTION_SHARED:
		return self->shared;
	case SUIT_SECTION_VALIDATE:
		return self->validate;
	case SUIT_SECTION_LOAD:
		return self->load;
	case SUIT_SECTION_INVOKE:
		return self->invoke;
	case SUIT_SECTION_UNINSTALL:
		return self->uninstall;
	case SUIT_SECTION_DEPENDENCY_RESOLUTION:
	case SUIT_SECTION_PAYLOAD_FETCH:
	case SUIT_SECTION_CANDIDATE_VERIFICATION:
	case SUIT_SECTION_INSTALL:
		member = suit_manifest_get_member(self, section);
		return member != NULL ? member->sequence : NULL;
	case SUIT_SECTION_NONE:
	default:
		return NULL;
	}
}

static SuitManifestElement *
suit_manifest_find_element(SuitManifest *self, gint64 key)
{
	for (guint i = 0; i < self->elements->len; i++) {
		SuitManifestElement *element = g_ptr_array_index(self->elements, i);
		if (element->key == key)
			return element;
	}
	return NULL;
}

/**
 * suit_manifest_get_member_state:
 * @self: a #SuitManifest
 * @key: a manifest key, usually a severable one such as 20 (install)
 *
 * Gets where a manifest element is. Elements that cannot be severed are
 * either %SUIT_MEMBER_STATE_INLINE or %SUIT_MEMBER_STATE_ABSENT.
 *
 * Returns: a #SuitMemberState
 *
 * Since: 0.1
 */
SuitMemberState
suit_manifest_get_member_state(SuitManifest *self, gint64 key)
{
	SuitManifestMember *member;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), SUIT_MEMBER_STATE_ABSENT);

	member = suit_manifest_get_member(self, key);
	if (member != NULL)
		return member->state;
	return suit_manifest_find_element(self, key) != NULL ? SUIT_MEMBER_STATE_INLINE : SUIT_MEMBER_STATE_ABSENT;
}

/**
 * suit_manifest_get_member_digest:
 * @self: a #SuitManifest
 * @key: a severable manifest key, e.g. 23 (text)
 *
 * Gets the digest the manifest holds for a severed member; the envelope's
 * byte string for @key must match it.
 *
 * Returns: (transfer none) (nullable): the digest, or %NULL unless the member
 *   is severed or attached
 *
 * Since: 0.1
 */
SuitDigest *
suit_manifest_get_member_digest(SuitManifest *self, gint64 key)
{
	SuitManifestMember *member;
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	member = suit_manifest_get_member(self, key);
	if (member == NULL)
		return NULL;
	return member->digest;
}

static SuitCborItem *
suit_manifest_text_lookup_language(SuitCborItem *text, const gchar *language)
{
	if (suit_cbor_item_get_length(text) == 0)
		return NULL;
	if (language == NULL)
		return suit_cbor_map_get_value(text, 0);
	return suit_cbor_map_lookup_text(text, language);
}

/**
 * suit_manifest_dup_text:
 * @self: a #SuitManifest
 * @language: (nullable): a language tag such as `en-US`, or %NULL for the first one
 * @component: (nullable): a component, or %NULL for the text about the manifest
 * @key: a text key, e.g. 1 (manifest-description) or, for a component,
 *   3 (vendor-domain)
 *
 * Looks up a string of suit-text, which must be inline or attached.
 *
 * Returns: (transfer full) (nullable): a new string, or %NULL if not found
 *
 * Since: 0.1
 */
gchar *
suit_manifest_dup_text(SuitManifest *self, const gchar *language, SuitComponentId *component, gint64 key)
{
	SuitManifestMember *member;
	SuitCborItem *lang_map;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);

	member = suit_manifest_get_member(self, SUIT_MANIFEST_KEY_TEXT);
	if (member->content == NULL)
		return NULL;
	lang_map = suit_manifest_text_lookup_language(member->content, language);
	if (lang_map == NULL)
		return NULL;
	if (component == NULL)
		return suit_cbor_item_dup_text(suit_cbor_map_lookup_int(lang_map, key));
	for (guint i = 0; i < suit_cbor_item_get_length(lang_map); i++) {
		SuitCborItem *id_item = suit_cbor_map_get_key(lang_map, i);
		g_autoptr(SuitComponentId) id = NULL;
		if (suit_cbor_item_get_type(id_item) != SUIT_CBOR_TYPE_ARRAY)
			continue;
		id = suit_component_id_new_from_item(id_item, NULL);
		if (id == NULL || !suit_component_id_equal(id, component))
			continue;
		return suit_cbor_item_dup_text(
		    suit_cbor_map_lookup_int(suit_cbor_map_get_value(lang_map, i), key));
	}
	return NULL;
}

/**
 * suit_manifest_get_unknown_elements:
 * @self: a #SuitManifest
 *
 * Gets the manifest elements with integer keys libsuit does not know (such as
 * 17, the install key of drafts before 2024), in manifest order. Each one is
 * the encoding of a CBOR map with that single entry, `{key: value}`. They are
 * kept for re-encoding and never run.
 *
 * Returns: (transfer none) (element-type GBytes): the elements, possibly empty
 *
 * Since: 0.1
 */
GPtrArray *
suit_manifest_get_unknown_elements(SuitManifest *self)
{
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	return self->unknown_elements;
}

/* severable members -------------------------------------------------------- */

/**
 * suit_manifest_attach_member: (skip)
 */
gboolean
suit_manifest_attach_member(SuitManifest *self, gint64 key, SuitCborItem *bstr, GError **error)
{
	SuitManifestMember *member;
	SuitManifestMember parsed = {0};

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), FALSE);
	g_return_val_if_fail(bstr != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	member = suit_manifest_get_member(self, key);
	if (member == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "manifest key %" G_GINT64_FORMAT " is not severable",
			    key);
		return FALSE;
	}
	if (member->state != SUIT_MEMBER_STATE_SEVERED && member->state != SUIT_MEMBER_STATE_ATTACHED) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "%s is not severed in the manifest",
			    suit_manifest_member_to_string(key));
		return FALSE;
	}
	if (!suit_manifest_member_parse_content(self, key, bstr, &parsed, error)) {
		suit_manifest_member_clear_content(&parsed);
		return FALSE;
	}
	suit_manifest_member_clear_content(member);
	member->bstr = parsed.bstr;
	member->sequence = parsed.sequence;
	member->content = parsed.content;
	member->state = SUIT_MEMBER_STATE_ATTACHED;
	return TRUE;
}

/**
 * suit_manifest_detach_member: (skip)
 */
void
suit_manifest_detach_member(SuitManifest *self, gint64 key)
{
	SuitManifestMember *member;
	g_return_if_fail(SUIT_IS_MANIFEST(self));
	member = suit_manifest_get_member(self, key);
	if (member == NULL || member->state != SUIT_MEMBER_STATE_ATTACHED)
		return;
	suit_manifest_member_clear_content(member);
	member->state = SUIT_MEMBER_STATE_SEVERED;
}

/**
 * suit_manifest_sever_member: (skip)
 */
SuitCborItem *
suit_manifest_sever_member(SuitManifest *self, gint64 key, GError **error)
{
	SuitManifestMember *member;
	SuitManifestElement *element;
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(SuitDigest) digest = NULL;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	member = suit_manifest_get_member(self, key);
	if (member == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "manifest key %" G_GINT64_FORMAT " is not severable",
			    key);
		return NULL;
	}
	if (member->state == SUIT_MEMBER_STATE_ATTACHED)
		return suit_cbor_item_ref(member->bstr);
	if (member->state == SUIT_MEMBER_STATE_ABSENT) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "the manifest has no %s",
			    suit_manifest_member_to_string(key));
		return NULL;
	}
	if (member->state != SUIT_MEMBER_STATE_INLINE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "%s is severed and not attached",
			    suit_manifest_member_to_string(key));
		return NULL;
	}
	element = suit_manifest_find_element(self, key);
	if (element == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "severable element not found");
		return NULL;
	}
	/* the digest covers the encoded byte string, header included */
	encoded = suit_cbor_item_get_encoded(member->bstr);
	digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, error);
	if (digest == NULL)
		return NULL;
	suit_cbor_item_unref(element->value);
	element->value = suit_digest_to_item(digest);
	member->digest = g_steal_pointer(&digest);
	member->state = SUIT_MEMBER_STATE_ATTACHED;
	return suit_cbor_item_ref(member->bstr);
}

/**
 * suit_manifest_dup_member_bstr: (skip)
 */
SuitCborItem *
suit_manifest_dup_member_bstr(SuitManifest *self, gint64 key)
{
	SuitManifestMember *member;
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	member = suit_manifest_get_member(self, key);
	if (member == NULL || member->state != SUIT_MEMBER_STATE_ATTACHED)
		return NULL;
	return suit_cbor_item_ref(member->bstr);
}

/* JSON --------------------------------------------------------------------- */

static JsonNode *
suit_manifest_common_to_json_node(SuitManifest *self)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonObject) unknown = json_object_new();
	SuitCborItem *common = self->common;

	for (guint i = 0; i < suit_cbor_item_get_length(common); i++) {
		SuitCborItem *value = suit_cbor_map_get_value(common, i);
		gint64 key = 0;
		if (!suit_cbor_item_get_int(suit_cbor_map_get_key(common, i), &key))
			continue;
		if (key == 1) {
			g_autoptr(JsonObject) deps = json_object_new();
			for (guint j = 0; j < suit_cbor_item_get_length(value); j++) {
				SuitCborItem *metadata = suit_cbor_map_get_value(value, j);
				g_autofree gchar *idx = suit_cbor_item_to_diag(suit_cbor_map_get_key(value, j));
				g_autoptr(JsonObject) dep = json_object_new();
				for (guint k = 0; k < suit_cbor_item_get_length(metadata); k++) {
					SuitCborItem *dep_value = suit_cbor_map_get_value(metadata, k);
					g_autofree gchar *dep_key =
					    suit_cbor_item_to_diag(suit_cbor_map_get_key(metadata, k));
					if (g_strcmp0(dep_key, "1") == 0)
						json_object_set_member(dep,
								       "dependency-prefix",
								       suit_json_component_id_to_node(dep_value));
					else
						json_object_set_member(dep,
								       dep_key,
								       suit_json_cbor_to_node(dep_value));
				}
				json_object_set_object_member(deps, idx, g_steal_pointer(&dep));
			}
			json_object_set_object_member(obj, "dependencies", g_steal_pointer(&deps));
		} else if (key == 2) {
			g_autoptr(JsonArray) components = json_array_new();
			for (guint j = 0; j < suit_cbor_item_get_length(value); j++)
				json_array_add_element(
				    components,
				    suit_json_component_id_to_node(suit_cbor_array_get(value, j)));
			json_object_set_array_member(obj, "components", g_steal_pointer(&components));
		} else if (key == 4 && self->shared != NULL) {
			json_object_set_member(obj, "shared-sequence", suit_json_sequence_to_node(self->shared));
		} else {
			g_autofree gchar *name = g_strdup_printf("%" G_GINT64_FORMAT, key);
			json_object_set_member(unknown, name, suit_json_cbor_to_node(value));
		}
	}
	if (json_object_get_size(unknown) > 0)
		json_object_set_object_member(obj, "unknown-elements", g_steal_pointer(&unknown));
	return json_node_init_object(json_node_alloc(), obj);
}

static JsonNode *
suit_manifest_member_content_to_json_node(SuitManifestMember *member, gint64 key)
{
	if (key == SUIT_MANIFEST_KEY_TEXT)
		return suit_json_text_to_node(member->content);
	if (key == SUIT_MANIFEST_KEY_COSWID) {
		g_autoptr(JsonObject) obj = json_object_new();
		json_object_set_member(obj,
				       "cbor",
				       suit_json_from_bytes_hex(suit_cbor_item_get_bytes(member->bstr)));
		return json_node_init_object(json_node_alloc(), obj);
	}
	return suit_json_sequence_to_node(member->sequence);
}

/**
 * suit_manifest_to_json_node: (skip)
 */
JsonNode *
suit_manifest_to_json_node(SuitManifest *self)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonObject) unknown = json_object_new();

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);

	if (self->tagged)
		json_object_set_boolean_member(obj, "manifest-tagged", TRUE);
	for (guint i = 0; i < self->elements->len; i++) {
		SuitManifestElement *element = g_ptr_array_index(self->elements, i);
		const gchar *name = suit_manifest_element_to_string(element->key);
		SuitManifestMember *member = suit_manifest_get_member(self, element->key);
		SuitCborItem *value = element->value;

		if (name != NULL && json_object_has_member(obj, name))
			continue;
		switch (element->key) {
		case SUIT_MANIFEST_KEY_VERSION:
		case SUIT_MANIFEST_KEY_SEQUENCE_NUMBER:
			json_object_set_member(obj, name, suit_json_int_to_node(value));
			break;
		case SUIT_MANIFEST_KEY_COMMON:
			json_object_set_member(obj, name, suit_manifest_common_to_json_node(self));
			break;
		case SUIT_MANIFEST_KEY_REFERENCE_URI:
			json_object_set_string_member(obj, name, self->reference_uri);
			break;
		case SUIT_MANIFEST_KEY_COMPONENT_ID:
			json_object_set_member(obj, name, suit_json_component_id_to_node(value));
			break;
		case SUIT_MANIFEST_KEY_SET_VERSION: {
			g_autoptr(JsonArray) array = json_array_new();
			for (guint j = 0; j < suit_cbor_item_get_length(self->set_version); j++)
				json_array_add_element(
				    array,
				    suit_json_int_to_node(suit_cbor_array_get(self->set_version, j)));
			json_object_set_array_member(obj, name, g_steal_pointer(&array));
			break;
		}
		case SUIT_MANIFEST_KEY_VALIDATE:
		case SUIT_MANIFEST_KEY_LOAD:
		case SUIT_MANIFEST_KEY_INVOKE:
		case SUIT_MANIFEST_KEY_UNINSTALL:
			json_object_set_member(
			    obj,
			    name,
			    suit_json_sequence_to_node(suit_manifest_get_sequence(self, element->key)));
			break;
		case SUIT_MANIFEST_KEY_COSWID:
		case SUIT_MANIFEST_KEY_DEPENDENCY_RESOLUTION:
		case SUIT_MANIFEST_KEY_PAYLOAD_FETCH:
		case SUIT_MANIFEST_KEY_CANDIDATE_VERIFICATION:
		case SUIT_MANIFEST_KEY_INSTALL:
		case SUIT_MANIFEST_KEY_TEXT:
			if (member->state == SUIT_MEMBER_STATE_INLINE) {
				json_object_set_member(
				    obj,
				    name,
				    suit_manifest_member_content_to_json_node(member, element->key));
			} else {
				g_autoptr(JsonObject) severed = json_object_new();
				json_object_set_member(severed, "severed", suit_json_digest_item_to_node(value));
				json_object_set_object_member(obj, name, g_steal_pointer(&severed));
			}
			break;
		default: {
			g_autofree gchar *key = g_strdup_printf("%" G_GINT64_FORMAT, element->key);
			json_object_set_member(unknown, key, suit_json_cbor_to_node(value));
			break;
		}
		}
	}
	if (json_object_get_size(unknown) > 0)
		json_object_set_object_member(obj, "unknown-elements", g_steal_pointer(&unknown));
	return json_node_init_object(json_node_alloc(), obj);
}

/**
 * suit_manifest_to_json:
 * @self: a #SuitManifest
 * @flags: #SuitJsonFlags
 *
 * Converts the manifest to its JSON mirror, the format that `suit inspect
 * --json` prints and suit_manifest_new_from_json() reads back. Byte strings
 * are lower-case hex, commands are objects with a name, a code and a typed
 * argument; a severed member shows only its digest.
 *
 * Returns: (transfer full): a JSON document
 *
 * Since: 0.1
 */
gchar *
suit_manifest_to_json(SuitManifest *self, SuitJsonFlags flags)
{
	g_autoptr(JsonNode) node = NULL;
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	node = suit_manifest_to_json_node(self);
	return suit_json_node_to_string(node, flags);
}

static gboolean
suit_json_node_is_severed(JsonNode *node)
{
	JsonObject *obj;
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return FALSE;
	obj = json_node_get_object(node);
	return json_object_get_size(obj) == 1 && json_object_has_member(obj, "severed");
}

static SuitCborItem *
suit_manifest_dependencies_from_json_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) deps = suit_cbor_item_new_map();
	g_autoptr(GList) members = NULL;
	JsonObject *obj;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "dependencies must be an object keyed by component index");
		return NULL;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *dep_node = json_object_get_member(obj, name);
		g_autoptr(SuitCborItem) metadata = suit_cbor_item_new_map();
		g_autoptr(GList) dep_members = NULL;
		guint64 idx = 0;
		JsonObject *dep;

		if (!g_ascii_string_to_unsigned(name, 10, 0, G_MAXUINT64, &idx, NULL)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "dependencies must be keyed by component index, got \"%s\"",
				    name);
			return NULL;
		}
		if (!JSON_NODE_HOLDS_OBJECT(dep_node)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "dependency %s must be an object",
				    name);
			return NULL;
		}
		dep = json_node_get_object(dep_node);
		dep_members = json_object_get_members(dep);
		for (GList *m = dep_members; m != NULL; m = m->next) {
			const gchar *dep_name = m->data;
			JsonNode *value_node = json_object_get_member(dep, dep_name);
			SuitCborItem *value;
			gint64 key = 0;
			if (g_strcmp0(dep_name, "dependency-prefix") == 0) {
				key = 1;
				value = suit_json_component_id_from_node(value_node, "dependency-prefix", error);
			} else if (g_ascii_string_to_signed(dep_name, 10, G_MININT64, G_MAXINT64, &key, NULL)) {
				value = suit_json_cbor_from_node(value_node, error);
			} else {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "unknown dependency member %s",
					    dep_name);
				return NULL;
			}
			if (value == NULL) {
				g_prefix_error(error, "invalid dependency %s: ", name);
				return NULL;
			}
			suit_cbor_map_append(metadata, suit_cbor_item_new_int(key), value);
		}
		suit_cbor_map_sort(metadata);
		suit_cbor_map_append(deps, suit_cbor_item_new_uint(idx), g_steal_pointer(&metadata));
	}
	suit_cbor_map_sort(deps);
	return g_steal_pointer(&deps);
}

static gboolean
suit_manifest_unknown_from_json_node(JsonNode *node,
				     SuitCborItem *map,
				     gboolean (*is_known)(gint64 key),
				     GError **error)
{
	g_autoptr(GList) members = NULL;
	JsonObject *obj;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "unknown-elements must be an object keyed by integer");
		return FALSE;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		SuitCborItem *value;
		gint64 key = 0;
		if (!g_ascii_string_to_signed(name, 10, G_MININT64, G_MAXINT64, &key, NULL) || is_known(key)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "unknown-elements cannot hold key \"%s\"",
				    name);
			return FALSE;
		}
		value = suit_json_cbor_from_node(json_object_get_member(obj, name), error);
		if (value == NULL) {
			g_prefix_error(error, "invalid unknown element %s: ", name);
			return FALSE;
		}
		suit_cbor_map_append(map, suit_cbor_item_new_int(key), value);
	}
	return TRUE;
}

static gboolean
suit_manifest_common_key_is_known(gint64 key)
{
	return key == 1 || key == 2 || key == 4;
}

static gboolean
suit_manifest_key_is_known(gint64 key)
{
	return suit_manifest_element_to_string(key) != NULL;
}

static SuitCborItem *
suit_manifest_common_from_json_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) common = suit_cbor_item_new_map();
	g_autoptr(GList) members = NULL;
	JsonObject *obj;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "common must be an object");
		return NULL;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *value_node = json_object_get_member(obj, name);
		if (g_strcmp0(name, "dependencies") == 0) {
			SuitCborItem *deps = suit_manifest_dependencies_from_json_node(value_node, error);
			if (deps == NULL)
				return NULL;
			suit_cbor_map_append(common, suit_cbor_item_new_uint(1), deps);
		} else if (g_strcmp0(name, "components") == 0) {
			g_autoptr(SuitCborItem) components = suit_cbor_item_new_array();
			JsonArray *array;
			if (!JSON_NODE_HOLDS_ARRAY(value_node)) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_DATA,
						    "components must be an array of component identifiers");
				return NULL;
			}
			array = json_node_get_array(value_node);
			for (guint i = 0; i < json_array_get_length(array); i++) {
				SuitCborItem *id =
				    suit_json_component_id_from_node(json_array_get_element(array, i),
								     "a component identifier",
								     error);
				if (id == NULL)
					return NULL;
				suit_cbor_array_append(components, id);
			}
			suit_cbor_map_append(common, suit_cbor_item_new_uint(2), g_steal_pointer(&components));
		} else if (g_strcmp0(name, "shared-sequence") == 0) {
			g_autoptr(SuitCborItem) seq = suit_json_sequence_from_node(value_node, error);
			if (seq == NULL) {
				g_prefix_error(error, "invalid shared-sequence: ");
				return NULL;
			}
			suit_cbor_map_append(common, suit_cbor_item_new_uint(4), suit_cbor_item_new_wrapped(seq));
		} else if (g_strcmp0(name, "unknown-elements") == 0) {
			if (!suit_manifest_unknown_from_json_node(value_node,
								  common,
								  suit_manifest_common_key_is_known,
								  error))
				return NULL;
		} else {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "unknown common member %s", name);
			return NULL;
		}
	}
	suit_cbor_map_sort(common);
	return g_steal_pointer(&common);
}

/* the byte string of {"cbor": "<hex>"} content, kept byte for byte */
static SuitCborItem *
suit_manifest_coswid_from_json_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) check = NULL;
	g_autoptr(GBytes) bytes = NULL;
	JsonObject *obj;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node) ||
	    json_object_get_size(json_node_get_object(node)) != 1 ||
	    !json_object_has_member(json_node_get_object(node), "cbor")) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "coswid must be {\"cbor\": \"<hex>\"} or {\"severed\": <digest>}");
		return NULL;
	}
	obj = json_node_get_object(node);
	bytes = suit_json_to_bytes_hex(json_object_get_member(obj, "cbor"), "coswid", error);
	if (bytes == NULL)
		return NULL;
	check = suit_cbor_decode(bytes, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (check == NULL) {
		g_prefix_error(error, "invalid coswid: ");
		return NULL;
	}
	return suit_cbor_item_new_bytes(bytes);
}

/**
 * suit_manifest_member_from_json_node: (skip)
 */
SuitCborItem *
suit_manifest_member_from_json_node(gint64 key, JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) content = NULL;
	g_autoptr(SuitCborItem) bstr = NULL;
	const gchar *name = suit_manifest_member_to_string(key);

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (name == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "manifest key %" G_GINT64_FORMAT " is not severable",
			    key);
		return NULL;
	}
	if (key == SUIT_MANIFEST_KEY_COSWID)
		return suit_manifest_coswid_from_json_node(node, error);
	if (key == SUIT_MANIFEST_KEY_TEXT) {
		content = suit_json_text_from_node(node, error);
		if (content == NULL)
			return NULL;
		if (!suit_manifest_check_text(content, error)) {
			g_prefix_error(error, "invalid text: ");
			return NULL;
		}
		return suit_cbor_item_new_wrapped(content);
	}
	content = suit_json_sequence_from_node(node, error);
	if (content == NULL) {
		g_prefix_error(error, "invalid %s: ", name);
		return NULL;
	}
	bstr = suit_cbor_item_new_wrapped(content);
	{
		/* check it the way a parser will */
		g_autoptr(SuitCommandSequence) seq =
		    suit_command_sequence_new_from_bytes_full(suit_cbor_item_get_bytes(bstr),
							      SUIT_PARSE_FLAG_NONE,
							      error);
		if (seq == NULL) {
			g_prefix_error(error, "invalid %s: ", name);
			return NULL;
		}
	}
	return g_steal_pointer(&bstr);
}

/**
 * suit_manifest_member_to_json_node: (skip)
 */
JsonNode *
suit_manifest_member_to_json_node(SuitManifest *self, gint64 key)
{
	SuitManifestMember *member;
	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);
	member = suit_manifest_get_member(self, key);
	if (member == NULL || member->bstr == NULL)
		return NULL;
	return suit_manifest_member_content_to_json_node(member, key);
}

static SuitCborItem *
suit_manifest_element_from_json_node(gint64 key, const gchar *name, JsonNode *node, GError **error)
{
	switch (key) {
	case SUIT_MANIFEST_KEY_VERSION:
	case SUIT_MANIFEST_KEY_SEQUENCE_NUMBER:
		return suit_json_int_from_node(node, name, error);
	case SUIT_MANIFEST_KEY_COMMON: {
		g_autoptr(SuitCborItem) common = suit_manifest_common_from_json_node(node, error);
		if (common == NULL)
			return NULL;
		return suit_cbor_item_new_wrapped(common);
	}
	case SUIT_MANIFEST_KEY_REFERENCE_URI:
		if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "reference-uri must be a string");
			return NULL;
		}
		return suit_cbor_item_new_text(json_node_get_string(node));
	case SUIT_MANIFEST_KEY_COMPONENT_ID:
		return suit_json_component_id_from_node(node, name, error);
	case SUIT_MANIFEST_KEY_SET_VERSION: {
		g_autoptr(SuitCborItem) versions = suit_cbor_item_new_array();
		JsonArray *array;
		if (!JSON_NODE_HOLDS_ARRAY(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "set-version must be an array of integers");
			return NULL;
		}
		array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			SuitCborItem *v = suit_json_int_from_node(json_array_get_element(array, i), name, error);
			if (v == NULL)
				return NULL;
			suit_cbor_array_append(versions, v);
		}
		return suit_cbor_item_new_wrapped(versions);
	}
	case SUIT_MANIFEST_KEY_VALIDATE:
	case SUIT_MANIFEST_KEY_LOAD:
	case SUIT_MANIFEST_KEY_INVOKE:
	case SUIT_MANIFEST_KEY_UNINSTALL: {
		g_autoptr(SuitCborItem) seq = suit_json_sequence_from_node(node, error);
		if (seq == NULL) {
			g_prefix_error(error, "invalid %s: ", name);
			return NULL;
		}
		return suit_cbor_item_new_wrapped(seq);
	}
	default:
		/* severable */
		if (suit_json_node_is_severed(node)) {
			SuitCborItem *digest = suit_json_digest_item_from_node(
			    json_object_get_member(json_node_get_object(node), "severed"),
			    error);
			if (digest == NULL)
				g_prefix_error(error, "invalid severed %s: ", name);
			return digest;
		}
		return suit_manifest_member_from_json_node(key, node, error);
	}
}

/**
 * suit_manifest_new_from_json_node: (skip)
 */
SuitManifest *
suit_manifest_new_from_json_node(JsonNode *node, GError **error)
{
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) item = NULL;
	g_autoptr(GBytes) cbor = NULL;
	g_autoptr(GList) members = NULL;
	gboolean tagged = FALSE;
	JsonObject *obj;

	g_return_val_if_fail(node != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a manifest must be a json object");
		return NULL;
	}
	obj = json_node_get_object(node);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *value_node = json_object_get_member(obj, name);
		SuitCborItem *value;
		gint64 key;

		if (g_strcmp0(name, "manifest-tagged") == 0) {
			if (!JSON_NODE_HOLDS_VALUE(value_node) ||
			    json_node_get_value_type(value_node) != G_TYPE_BOOLEAN) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_DATA,
						    "manifest-tagged must be a boolean");
				return NULL;
			}
			tagged = json_node_get_boolean(value_node);
			continue;
		}
		if (g_strcmp0(name, "unknown-elements") == 0) {
			if (!suit_manifest_unknown_from_json_node(value_node,
								  map,
								  suit_manifest_key_is_known,
								  error))
				return NULL;
			continue;
		}
		key = suit_manifest_element_from_string(name);
		if (key == 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "unknown manifest member %s",
				    name);
			return NULL;
		}
		value = suit_manifest_element_from_json_node(key, name, value_node, error);
		if (value == NULL)
			return NULL;
		suit_cbor_map_append(map, suit_cbor_item_new_int(key), value);
	}
	suit_cbor_map_sort(map);
	if (tagged)
		item = suit_cbor_item_new_tag(SUIT_MANIFEST_TAG, g_steal_pointer(&map));
	else
		item = g_steal_pointer(&map);

	/* parse the encoding, so that JSON gets exactly the checks CBOR gets */
	cbor = suit_cbor_encode(item);
	return suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, error);
}

/**
 * suit_manifest_new_from_json:
 * @json: a JSON document in the format of suit_manifest_to_json()
 * @error: return location for a #GError, or %NULL
 *
 * Builds a manifest from its JSON mirror. Maps are encoded in deterministic
 * order, and the result is checked exactly like a decoded manifest.
 *
 * Returns: (transfer full): a new #SuitManifest, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA, %SUIT_ERROR_LIMIT_EXCEEDED or
 *   %SUIT_ERROR_UNSUPPORTED_VERSION
 *
 * Since: 0.1
 */
SuitManifest *
suit_manifest_new_from_json(const gchar *json, GError **error)
{
	g_autoptr(JsonNode) node = NULL;

	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	node = suit_json_node_from_string(json, error);
	if (node == NULL)
		return NULL;
	return suit_manifest_new_from_json_node(node, error);
}

/* to_string ---------------------------------------------------------------- */

static void
suit_manifest_indent(GString *str, guint indent)
{
	for (guint i = 0; i < indent; i++)
		g_string_append(str, "  ");
}

static void
suit_manifest_append_value(GString *str, gint64 key, SuitCborItem *value)
{
	g_autofree gchar *diag = NULL;

	if (suit_parameter_get_value_type(key) == SUIT_PARAMETER_TYPE_DIGEST &&
	    suit_cbor_item_get_type(value) == SUIT_CBOR_TYPE_BYTES) {
		g_autoptr(SuitCborItem) inner =
		    suit_cbor_item_decode_wrapped(value, NULL, SUIT_PARSE_FLAG_NONE, NULL);
		g_autoptr(SuitDigest) digest = inner != NULL ? suit_digest_new_from_item(inner, NULL) : NULL;
		if (digest != NULL) {
			const gchar *alg = suit_digest_algorithm_to_string(suit_digest_get_algorithm(digest));
			g_autofree gchar *hex = suit_digest_to_hex(digest);
			if (alg != NULL)
				g_string_append_printf(str, "%s:%s", alg, hex);
			else
				g_string_append_printf(str, "%d:%s", suit_digest_get_algorithm(digest), hex);
			return;
		}
	}
	diag = suit_cbor_item_to_diag(value);
	g_string_append(str, diag);
}

static void
suit_manifest_append_parameters(GString *str, SuitCborItem *map, guint indent)
{
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		gint64 key = 0;
		const gchar *name;
		if (!suit_cbor_item_get_int(suit_cbor_map_get_key(map, i), &key))
			continue;
		name = suit_parameter_to_string(key);
		suit_manifest_indent(str, indent);
		if (name != NULL)
			g_string_append_printf(str, "%s: ", name);
		else
			g_string_append_printf(str, "parameter %" G_GINT64_FORMAT ": ", key);
		suit_manifest_append_value(str, key, suit_cbor_map_get_value(map, i));
		g_string_append_c(str, '\n');
	}
}

static void
suit_manifest_append_sequence(GString *str, SuitCommandSequence *seq, guint indent);

static void
suit_manifest_append_command(GString *str, SuitCommand *cmd, guint indent)
{
	const gchar *name = suit_command_get_name(cmd);
	g_autoptr(SuitCborItem) arg = NULL;

	suit_manifest_indent(str, indent);
	if (name != NULL)
		g_string_append(str, name);
	else if (suit_command_get_kind(cmd) == SUIT_COMMAND_KIND_CUSTOM)
		g_string_append_printf(str, "custom command %" G_GINT64_FORMAT, suit_command_get_code(cmd));
	else
		g_string_append_printf(str, "unknown command %" G_GINT64_FORMAT, suit_command_get_code(cmd));

	switch (suit_command_get_argument_type(cmd)) {
	case SUIT_ARGUMENT_TYPE_REPORTING_POLICY:
		g_string_append_printf(str,
				       " (reporting policy %" G_GUINT64_FORMAT ")\n",
				       suit_command_get_reporting_policy(cmd));
		return;
	case SUIT_ARGUMENT_TYPE_SEQUENCES: {
		GPtrArray *seqs = suit_command_get_sequences(cmd);
		g_string_append_c(str, '\n');
		for (guint i = 0; i < seqs->len; i++) {
			suit_manifest_indent(str, indent + 1);
			g_string_append_printf(str, "sequence %u:\n", i);
			suit_manifest_append_sequence(str, g_ptr_array_index(seqs, i), indent + 2);
		}
		if (suit_command_get_has_empty_fallback(cmd)) {
			suit_manifest_indent(str, indent + 1);
			g_string_append(str, "empty fallback\n");
		}
		return;
	}
	case SUIT_ARGUMENT_TYPE_SEQUENCE:
		g_string_append_c(str, '\n');
		suit_manifest_append_sequence(str, suit_command_get_sequence(cmd), indent + 1);
		return;
	case SUIT_ARGUMENT_TYPE_COMPONENT_INDEX:
	case SUIT_ARGUMENT_TYPE_PARAMETERS:
	case SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS:
	case SUIT_ARGUMENT_TYPE_COPY_PARAMETERS:
	case SUIT_ARGUMENT_TYPE_OTHER:
	default:
		break;
	}

	arg = suit_cbor_decode(suit_command_get_argument_cbor(cmd),
			       NULL,
			       SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS,
			       NULL);
	if (arg == NULL) {
		g_string_append_c(str, '\n');
		return;
	}
	switch (suit_command_get_argument_type(cmd)) {
	case SUIT_ARGUMENT_TYPE_PARAMETERS:
		g_string_append_c(str, '\n');
		suit_manifest_append_parameters(str, arg, indent + 1);
		break;
	case SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS:
		g_string_append_c(str, '\n');
		for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
			g_autofree gchar *idx = suit_cbor_item_to_diag(suit_cbor_map_get_key(arg, i));
			suit_manifest_indent(str, indent + 1);
			g_string_append_printf(str, "component %s:\n", idx);
			suit_manifest_append_parameters(str, suit_cbor_map_get_value(arg, i), indent + 2);
		}
		break;
	case SUIT_ARGUMENT_TYPE_COPY_PARAMETERS:
		g_string_append_c(str, '\n');
		for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
			g_autofree gchar *idx = suit_cbor_item_to_diag(suit_cbor_map_get_key(arg, i));
			SuitCborItem *keys = suit_cbor_map_get_value(arg, i);
			suit_manifest_indent(str, indent + 1);
			g_string_append_printf(str, "from component %s:", idx);
			for (guint j = 0; j < suit_cbor_item_get_length(keys); j++) {
				gint64 key = 0;
				const gchar *param = NULL;
				if (suit_cbor_item_get_int(suit_cbor_array_get(keys, j), &key))
					param = suit_parameter_to_string(key);
				if (param != NULL)
					g_string_append_printf(str, " %s", param);
				else
					g_string_append_printf(str, " %" G_GINT64_FORMAT, key);
			}
			g_string_append_c(str, '\n');
		}
		break;
	case SUIT_ARGUMENT_TYPE_COMPONENT_INDEX:
		if (suit_cbor_item_get_type(arg) == SUIT_CBOR_TYPE_TRUE) {
			g_string_append(str, " all\n");
			break;
		}
		/* fall through */
	case SUIT_ARGUMENT_TYPE_OTHER:
	default: {
		g_autofree gchar *diag = suit_cbor_item_to_diag(arg);
		g_string_append_printf(str, " %s\n", diag);
		break;
	}
	}
}

static void
suit_manifest_append_sequence(GString *str, SuitCommandSequence *seq, guint indent)
{
	for (guint i = 0; i < suit_command_sequence_get_length(seq); i++)
		suit_manifest_append_command(str, suit_command_sequence_get_command(seq, i), indent);
}

static void
suit_manifest_append_text(GString *str, SuitCborItem *text, guint indent)
{
	for (guint i = 0; i < suit_cbor_item_get_length(text); i++) {
		g_autofree gchar *lang = suit_cbor_item_dup_text(suit_cbor_map_get_key(text, i));
		SuitCborItem *lang_map = suit_cbor_map_get_value(text, i);
		suit_manifest_indent(str, indent);
		g_string_append_printf(str, "%s:\n", lang);
		for (guint j = 0; j < suit_cbor_item_get_length(lang_map); j++) {
			SuitCborItem *key = suit_cbor_map_get_key(lang_map, j);
			SuitCborItem *value = suit_cbor_map_get_value(lang_map, j);
			g_autofree gchar *key_str = NULL;
			if (suit_cbor_item_get_type(key) == SUIT_CBOR_TYPE_ARRAY) {
				g_autoptr(SuitComponentId) id = suit_component_id_new_from_item(key, NULL);
				key_str = id != NULL ? suit_component_id_to_string(id)
						     : suit_cbor_item_to_diag(key);
				suit_manifest_indent(str, indent + 1);
				g_string_append_printf(str, "%s:\n", key_str);
				for (guint k = 0; k < suit_cbor_item_get_length(value); k++) {
					g_autofree gchar *k_str =
					    suit_cbor_item_to_diag(suit_cbor_map_get_key(value, k));
					g_autofree gchar *v_str =
					    suit_cbor_item_to_diag(suit_cbor_map_get_value(value, k));
					suit_manifest_indent(str, indent + 2);
					g_string_append_printf(str, "%s: %s\n", k_str, v_str);
				}
			} else {
				g_autofree gchar *v_str = suit_cbor_item_to_diag(value);
				key_str = suit_cbor_item_to_diag(key);
				suit_manifest_indent(str, indent + 1);
				g_string_append_printf(str, "%s: %s\n", key_str, v_str);
			}
		}
	}
}

/**
 * suit_manifest_to_string:
 * @self: a #SuitManifest
 *
 * Describes the manifest for people, one element per line and one command
 * per line, with nested sequences indented. The format may change; use
 * suit_manifest_to_json() for machines.
 *
 * Returns: (transfer full): a multi-line string
 *
 * Since: 0.1
 */
gchar *
suit_manifest_to_string(SuitManifest *self)
{
	GString *str;

	g_return_val_if_fail(SUIT_IS_MANIFEST(self), NULL);

	str = g_string_new("SuitManifest:\n");
	g_string_append_printf(str, "  manifest-version: %" G_GUINT64_FORMAT "\n", self->version);
	g_string_append_printf(str, "  manifest-sequence-number: %" G_GUINT64_FORMAT "\n", self->sequence_number);
	if (self->reference_uri != NULL)
		g_string_append_printf(str, "  reference-uri: %s\n", self->reference_uri);
	if (self->component_id != NULL) {
		g_autofree gchar *id = suit_component_id_to_string(self->component_id);
		g_string_append_printf(str, "  manifest-component-id: %s\n", id);
	}
	if (self->set_version != NULL) {
		g_autofree gchar *diag = suit_cbor_item_to_diag(self->set_version);
		g_string_append_printf(str, "  set-version: %s\n", diag);
	}
	if (self->components->len > 0) {
		g_string_append(str, "  components:\n");
		for (guint i = 0; i < self->components->len; i++) {
			g_autofree gchar *id = suit_component_id_to_string(g_ptr_array_index(self->components, i));
			g_string_append_printf(str, "    %u: %s\n", i, id);
		}
	}
	if (self->dependency_indices->len > 0) {
		g_string_append(str, "  dependencies:\n");
		for (guint i = 0; i < self->dependency_indices->len; i++) {
			SuitComponentId *prefix = g_ptr_array_index(self->dependency_prefixes, i);
			g_autofree gchar *id = prefix != NULL ? suit_component_id_to_string(prefix) : NULL;
			g_string_append_printf(str,
					       "    %u: %s\n",
					       g_array_index(self->dependency_indices, guint, i),
					       id != NULL ? id : "(no prefix)");
		}
	}
	if (self->shared != NULL) {
		g_string_append(str, "  shared-sequence:\n");
		suit_manifest_append_sequence(str, self->shared, 2);
	}
	for (guint i = 0; i < self->elements->len; i++) {
		SuitManifestElement *element = g_ptr_array_index(self->elements, i);
		SuitManifestMember *member = suit_manifest_get_member(self, element->key);
		const gchar *name = suit_manifest_element_to_string(element->key);

		if (member != NULL) {
			g_autofree gchar *hex = NULL;
			if (member->state == SUIT_MEMBER_STATE_SEVERED ||
			    member->state == SUIT_MEMBER_STATE_ATTACHED) {
				const gchar *alg =
				    suit_digest_algorithm_to_string(suit_digest_get_algorithm(member->digest));
				hex = suit_digest_to_hex(member->digest);
				g_string_append_printf(str,
						       "  %s: %s (%s:%s)\n",
						       name,
						       member->state == SUIT_MEMBER_STATE_SEVERED ? "severed"
												  : "attached",
						       alg != NULL ? alg : "unknown",
						       hex);
			} else {
				g_string_append_printf(str, "  %s:\n", name);
			}
			if (member->sequence != NULL)
				suit_manifest_append_sequence(str, member->sequence, 2);
			else if (element->key == SUIT_MANIFEST_KEY_TEXT && member->content != NULL)
				suit_manifest_append_text(str, member->content, 2);
			else if (member->content != NULL) {
				g_autofree gchar *diag = suit_cbor_item_to_diag(member->content);
				g_string_append_printf(str, "    %s\n", diag);
			}
			continue;
		}
		switch (element->key) {
		case SUIT_MANIFEST_KEY_VALIDATE:
		case SUIT_MANIFEST_KEY_LOAD:
		case SUIT_MANIFEST_KEY_INVOKE:
		case SUIT_MANIFEST_KEY_UNINSTALL:
			g_string_append_printf(str, "  %s:\n", name);
			suit_manifest_append_sequence(str, suit_manifest_get_sequence(self, element->key), 2);
			break;
		case SUIT_MANIFEST_KEY_VERSION:
		case SUIT_MANIFEST_KEY_SEQUENCE_NUMBER:
		case SUIT_MANIFEST_KEY_COMMON:
		case SUIT_MANIFEST_KEY_REFERENCE_URI:
		case SUIT_MANIFEST_KEY_COMPONENT_ID:
		case SUIT_MANIFEST_KEY_SET_VERSION:
			break;
		default: {
			g_autofree gchar *diag = suit_cbor_item_to_diag(element->value);
			g_string_append_printf(str,
					       "  unknown element %" G_GINT64_FORMAT " (not run): %s\n",
					       element->key,
					       diag);
			break;
		}
		}
	}
	return g_string_free(str, FALSE);
}
