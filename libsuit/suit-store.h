/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <gio/gio.h>

#include "suit-component-id.h"
#include "suit-digest.h"
#include "suit-enums.h"
#include "suit-extra-enums.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_STORE (suit_store_get_type())
SUIT_AVAILABLE_IN_0_1
GType
suit_store_get_type(void) G_GNUC_CONST;
G_DECLARE_INTERFACE(SuitStore, suit_store, SUIT, STORE, GObject)

#define SUIT_TYPE_STORE_WRITER (suit_store_writer_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitStoreWriter, suit_store_writer, SUIT, STORE_WRITER, GOutputStream)

/**
 * SuitStoreInterface:
 * @parent_iface: the parent interface
 * @begin_write: starts a new image of a component: returns the sink that
 *   receives its bytes (the caller hashes and counts them)
 * @commit_write: makes the bytes written to the sink the component's new image
 *   (pending, or confirmed with %SUIT_STORE_WRITE_FLAG_CONFIRM); @digest and
 *   @size were computed while writing. On failure the previous images and
 *   state must be untouched and the sink discarded
 * @abort_write: discards the sink; nothing becomes visible
 * @has_component: whether the component has an active image
 * @read_component: opens the active image
 * @get_size: the size of the active image
 * @get_digest: the digest of the active image (optional: without it the
 *   image is read and hashed)
 * @remove_component: deletes every image of the component
 * @get_image_state: the pending/confirmed state of the component
 * @confirm: turns the pending image into the confirmed one
 * @begin_boot: runs the boot-attempt protocol over every component
 * @list_components: every component that has an image
 * @get_sequence_number: reads a persistent sequence number
 * @set_sequence_number: writes a persistent sequence number
 *
 * The virtual methods of a component store. Implementations must make each
 * mutation atomic: after a crash at any point, every component has either
 * its images and state from before the call or from after it.
 *
 * Since: 0.1
 */
struct _SuitStoreInterface {
	GTypeInterface parent_iface;

	GOutputStream *(*begin_write)(SuitStore *self,
				      SuitComponentId *component,
				      SuitStoreWriteFlags flags,
				      GCancellable *cancellable,
				      GError **error);
	gboolean (*commit_write)(SuitStore *self,
				 SuitComponentId *component,
				 GOutputStream *sink,
				 SuitStoreWriteFlags flags,
				 SuitDigest *digest,
				 guint64 size,
				 GCancellable *cancellable,
				 GError **error);
	void (*abort_write)(SuitStore *self, SuitComponentId *component, GOutputStream *sink);
	gboolean (*has_component)(SuitStore *self, SuitComponentId *component);
	GInputStream *(*read_component)(SuitStore *self,
					SuitComponentId *component,
					GCancellable *cancellable,
					GError **error);
	gboolean (*get_size)(SuitStore *self,
			     SuitComponentId *component,
			     guint64 *size,
			     GCancellable *cancellable,
			     GError **error);
	SuitDigest *(*get_digest)(SuitStore *self,
				  SuitComponentId *component,
				  SuitDigestAlgorithm algorithm,
				  GCancellable *cancellable,
				  GError **error);
	gboolean (*remove_component)(SuitStore *self,
				     SuitComponentId *component,
				     GCancellable *cancellable,
				     GError **error);
	gboolean (*get_image_state)(SuitStore *self,
				    SuitComponentId *component,
				    SuitStoreImageState *state,
				    GCancellable *cancellable,
				    GError **error);
	gboolean (*confirm)(SuitStore *self,
			    SuitComponentId *component,
			    GCancellable *cancellable,
			    GError **error);
	GPtrArray *(*begin_boot)(SuitStore *self, GCancellable *cancellable, GError **error);
	GPtrArray *(*list_components)(SuitStore *self, GCancellable *cancellable, GError **error);
	gboolean (*get_sequence_number)(SuitStore *self,
					SuitComponentId *manifest,
					guint64 *value,
					GCancellable *cancellable,
					GError **error);
	gboolean (*set_sequence_number)(SuitStore *self,
					SuitComponentId *manifest,
					guint64 value,
					GCancellable *cancellable,
					GError **error);

	/*< private >*/
	gpointer padding[8];
};

SUIT_AVAILABLE_IN_0_1
SuitStoreWriter *
suit_store_begin_write(SuitStore *self,
		       SuitComponentId *component,
		       SuitStoreWriteFlags flags,
		       GCancellable *cancellable,
		       GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_write_bytes(SuitStore *self,
		       SuitComponentId *component,
		       GBytes *data,
		       const SuitDigest *expected_digest,
		       SuitStoreWriteFlags flags,
		       GCancellable *cancellable,
		       GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_has_component(SuitStore *self, SuitComponentId *component);
SUIT_AVAILABLE_IN_0_1
GInputStream *
suit_store_read_component(SuitStore *self,
			  SuitComponentId *component,
			  GCancellable *cancellable,
			  GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_store_read_bytes(SuitStore *self,
		      SuitComponentId *component,
		      gsize max_size,
		      GCancellable *cancellable,
		      GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_get_size(SuitStore *self,
		    SuitComponentId *component,
		    guint64 *size,
		    GCancellable *cancellable,
		    GError **error);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_store_get_digest(SuitStore *self,
		      SuitComponentId *component,
		      SuitDigestAlgorithm algorithm,
		      GCancellable *cancellable,
		      GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_remove_component(SuitStore *self,
			    SuitComponentId *component,
			    GCancellable *cancellable,
			    GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_get_image_state(SuitStore *self,
			   SuitComponentId *component,
			   SuitStoreImageState *state,
			   GCancellable *cancellable,
			   GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_confirm(SuitStore *self,
		   SuitComponentId *component,
		   GCancellable *cancellable,
		   GError **error);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_store_begin_boot(SuitStore *self,
		      GCancellable *cancellable,
		      GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_store_list_components(SuitStore *self,
			   GCancellable *cancellable,
			   GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_get_sequence_number(SuitStore *self,
			       SuitComponentId *manifest,
			       guint64 *value,
			       GCancellable *cancellable,
			       GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_set_sequence_number(SuitStore *self,
			       SuitComponentId *manifest,
			       guint64 value,
			       GCancellable *cancellable,
			       GError **error);

SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_store_writer_get_component(SuitStoreWriter *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_writer_set_digest_algorithm(SuitStoreWriter *self,
				       SuitDigestAlgorithm algorithm,
				       GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_writer_write(SuitStoreWriter *self,
			GBytes *data,
			GCancellable *cancellable,
			GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_writer_write_stream(SuitStoreWriter *self,
			       GInputStream *input,
			       GCancellable *cancellable,
			       GError **error);
SUIT_AVAILABLE_IN_0_1
guint64
suit_store_writer_get_size(SuitStoreWriter *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_store_writer_commit(SuitStoreWriter *self,
			 const SuitDigest *expected_digest,
			 gint64 expected_size,
			 GCancellable *cancellable,
			 GError **error);
SUIT_AVAILABLE_IN_0_1
void
suit_store_writer_abort(SuitStoreWriter *self);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_store_writer_get_digest(SuitStoreWriter *self);

G_END_DECLS
