/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib-object.h>

#include "suit-component-id.h"
#include "suit-digest.h"
#include "suit-enums.h"
#include "suit-extra-enums.h"
#include "suit-key.h"
#include "suit-keyring.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_REPORT_PROPERTIES (suit_report_properties_get_type())
#define SUIT_TYPE_REPORT_RECORD	    (suit_report_record_get_type())
#define SUIT_TYPE_REPORT_CLAIMS	    (suit_report_claims_get_type())
#define SUIT_TYPE_REPORT	    (suit_report_get_type())

typedef struct _SuitReportProperties SuitReportProperties;

typedef struct _SuitReportRecord SuitReportRecord;

typedef struct _SuitReportClaims SuitReportClaims;

SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitReport, suit_report, SUIT, REPORT, GObject)

/* reasons */
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_report_reason_to_string(SuitReportReason reason);
SUIT_AVAILABLE_IN_0_1
gint
suit_report_reason_from_string(const gchar *name);
SUIT_AVAILABLE_IN_0_1
SuitReportReason
suit_report_reason_from_error(const GError *error);

/* properties: an ordered map of SUIT parameters */
SUIT_AVAILABLE_IN_0_1
GType
suit_report_properties_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitReportProperties *
suit_report_properties_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitReportProperties *
suit_report_properties_ref(SuitReportProperties *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_unref(SuitReportProperties *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_uint(SuitReportProperties *self, gint64 key, guint64 value);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_int(SuitReportProperties *self, gint64 key, gint64 value);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_bytes(SuitReportProperties *self, gint64 key, GBytes *value);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_text(SuitReportProperties *self, gint64 key, const gchar *value);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_bool(SuitReportProperties *self, gint64 key, gboolean value);
SUIT_AVAILABLE_IN_0_1
void
suit_report_properties_add_digest(SuitReportProperties *self, gint64 key, SuitDigest *value);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_properties_add_cbor(SuitReportProperties *self, gint64 key, GBytes *cbor, GError **error);
SUIT_AVAILABLE_IN_0_1
guint
suit_report_properties_get_size(const SuitReportProperties *self);
SUIT_AVAILABLE_IN_0_1
gint64
suit_report_properties_get_key(const SuitReportProperties *self, guint idx);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_properties_has(const SuitReportProperties *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_properties_get_uint(const SuitReportProperties *self, gint64 key, guint64 *value);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_properties_get_int(const SuitReportProperties *self, gint64 key, gint64 *value);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_properties_get_bool(const SuitReportProperties *self, gint64 key, gboolean *value);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_report_properties_get_bytes(const SuitReportProperties *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_report_properties_dup_text(const SuitReportProperties *self, gint64 key) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_report_properties_dup_digest(const SuitReportProperties *self, gint64 key, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_report_properties_get_cbor(const SuitReportProperties *self, gint64 key) G_GNUC_WARN_UNUSED_RESULT;

/* records */
SUIT_AVAILABLE_IN_0_1
GType
suit_report_record_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitReportRecord *
suit_report_record_new(gint64 section, guint64 section_offset, guint64 component_index)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitReportRecord *
suit_report_record_ref(SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_record_unref(SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
GArray *
suit_report_record_get_manifest_id(const SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_record_append_manifest_id(SuitReportRecord *self, guint index);
SUIT_AVAILABLE_IN_0_1
gint64
suit_report_record_get_section(const SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
guint64
suit_report_record_get_section_offset(const SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
guint64
suit_report_record_get_component_index(const SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
SuitReportProperties *
suit_report_record_get_properties(const SuitReportRecord *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_record_set_properties(SuitReportRecord *self, SuitReportProperties *properties);

/* system property claims */
SUIT_AVAILABLE_IN_0_1
GType
suit_report_claims_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitReportClaims *
suit_report_claims_ref(SuitReportClaims *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_claims_unref(SuitReportClaims *self);
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_report_claims_get_component_id(const SuitReportClaims *self);
SUIT_AVAILABLE_IN_0_1
SuitReportProperties *
suit_report_claims_get_properties(const SuitReportClaims *self);

/* report: building */
SUIT_AVAILABLE_IN_0_1
SuitReport *
suit_report_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
void
suit_report_set_reference(SuitReport *self, const gchar *uri, SuitDigest *manifest_digest);
SUIT_AVAILABLE_IN_0_1
void
suit_report_set_nonce(SuitReport *self, GBytes *nonce);
SUIT_AVAILABLE_IN_0_1
void
suit_report_add_record(SuitReport *self, SuitReportRecord *record);
SUIT_AVAILABLE_IN_0_1
void
suit_report_add_system_property_claims(SuitReport *self,
				       SuitComponentId *component_id,
				       SuitReportProperties *properties);
SUIT_AVAILABLE_IN_0_1
void
suit_report_set_result_success(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
void
suit_report_set_result_failure(SuitReport *self,
			       gint64 result_code,
			       SuitReportRecord *record,
			       SuitReportReason reason);

/* report: encoding */
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_report_to_bytes(SuitReport *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_report_sign(SuitReport *self,
		 SuitKey *device_key,
		 SuitCoseAlgorithm algorithm,
		 GBytes *key_id,
		 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* report: parsing */
SUIT_AVAILABLE_IN_0_1
SuitReport *
suit_report_new_from_bytes(GBytes *payload, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitReport *
suit_report_new_from_cose(GBytes *cose, SuitKeyring *keyring, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_report_get_warnings(SuitReport *self);

/* report: inspection */
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_report_get_reference_uri(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_report_get_reference_digest(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_report_get_nonce(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_report_get_records(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_report_get_claims(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_has_result(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_report_is_success(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
gint64
suit_report_get_result_code(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
SuitReportReason
suit_report_get_result_reason(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
SuitReportRecord *
suit_report_get_result_record(SuitReport *self);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_report_to_json(SuitReport *self, SuitJsonFlags flags) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_report_to_string(SuitReport *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitReportProperties, suit_report_properties_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitReportRecord, suit_report_record_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitReportClaims, suit_report_claims_unref)

G_END_DECLS
