/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-store-private.h"

/**
 * SuitStore:
 *
 * Where a device keeps its components: the plug-in point between the
 * Firmware Consumer and the device's storage.
 *
 * A component, named by a #SuitComponentId, has up to two images: a
 * *confirmed* one and a *pending* one. New images are streamed in through a
 * [class@StoreWriter], which hashes and counts the bytes as they pass and
 * checks the expected digest and size on commit; nothing half-written or
 * mismatching ever becomes visible, and a failed commit leaves the component
 * as it was.
 *
 * A/B and fallback: a commit makes the new image *pending* (or, with
 * %SUIT_STORE_WRITE_FLAG_CONFIRM, for a component that is not A/B, the
 * confirmed and only image). The *active* image, which
 * suit_store_read_component(), suit_store_get_size() and
 * suit_store_get_digest() give, is the pending image while there is one, else
 * the confirmed one. suit_store_confirm() turns the pending image into the
 * confirmed one after a good boot. A boot loader helper calls
 * suit_store_begin_boot() once per boot: a pending image that was already
 * tried once and never confirmed is dropped, falling back to the confirmed
 * one; an untried one is marked as being tried. A component whose first image
 * is written A/B has nothing to fall back to and loses that image.
 *
 * The store also keeps small persistent records for the Firmware Consumer:
 * the sequence number of each manifest, see
 * suit_store_set_sequence_number().
 *
 * Implementations: [class@StoreDirectory] (the default, a directory with
 * crash-safe updates) and [class@StoreMemory] (tests and examples). A store
 * is used from one thread at a time.
 *
 * See also: [class@StoreWriter]
 */

G_DEFINE_INTERFACE(SuitStore, suit_store, G_TYPE_OBJECT)

static void
suit_store_default_init(SuitStoreInterface *iface)
{
}

/**
 * SuitStoreWriter:
 *
 * A new image of a component being written, from
 * suit_store_begin_write(). It is a #GOutputStream, so a #GInputStream can
 * be spliced into it, and it has suit_store_writer_write() for chunks of
 * bytes. Nothing is visible until suit_store_writer_commit() succeeds;
 * suit_store_writer_abort(), closing the stream, dropping the last reference,
 * or any failed write or commit discard the bytes written so far.
 *
 * Memory use does not depend on the size of the image: the store's sink
 * writes each chunk through.
 *
 * See also: [iface@Store]
 */

typedef enum {
	SUIT_STORE_WRITER_STATE_OPEN,
	SUIT_STORE_WRITER_STATE_COMMITTED,
	SUIT_STORE_WRITER_STATE_ABORTED,
} SuitStoreWriterState;

struct _SuitStoreWriter {
	GOutputStream parent_instance;
	SuitStore *store;
	SuitComponentId *component;
	GOutputStream *sink; /* from the store's begin_write */
	SuitStoreWriteFlags flags;
	SuitDigestAlgorithm algorithm;
	gnutls_hash_hd_t hash; /* nullable */
	guint64 size;
	SuitDigest *digest; /* set when committed */
	SuitStoreWriterState state;
};

G_DEFINE_TYPE(SuitStoreWriter, suit_store_writer, G_TYPE_OUTPUT_STREAM)

#define SUIT_STORE_CHUNK_SIZE (64 * 1024)

gboolean
suit_store_algorithm_to_gnutls(SuitDigestAlgorithm algorithm,
			       gnutls_digest_algorithm_t *out,
			       GError **error)
{
	switch (algorithm) {
	case SUIT_DIGEST_ALGORITHM_SHA256:
		*out = GNUTLS_DIG_SHA256;
		return TRUE;
	case SUIT_DIGEST_ALGORITHM_SHA384:
		*out = GNUTLS_DIG_SHA384;
		return TRUE;
	case SUIT_DIGEST_ALGORITHM_SHA512:
		*out = GNUTLS_DIG_SHA512;
		return TRUE;
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "digest algorithm %d is not supported",
			    (gint)algorithm);
		return FALSE;
	}
}

static gboolean
suit_store_hash_init(gnutls_hash_hd_t *hash, SuitDigestAlgorithm algorithm, GError **error)
{
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_UNKNOWN;
	if (!suit_store_algorithm_to_gnutls(algorithm, &dig, error))
		return FALSE;
	if (gnutls_hash_init(hash, dig) < 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to initialize the hash");
		return FALSE;
	}
	return TRUE;
}

SuitDigest *
suit_store_hash_finish(gnutls_hash_hd_t hash, SuitDigestAlgorithm algorithm)
{
	guint8 out[64] = {0};
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_UNKNOWN;
	g_autoptr(GBytes) value = NULL;

	if (!suit_store_algorithm_to_gnutls(algorithm, &dig, NULL))
		return NULL;
	gnutls_hash_deinit(hash, out);
	value = g_bytes_new(out, gnutls_hash_get_len(dig));
	return suit_digest_new(algorithm, value);
}

/* hashes a stream in chunks; memory use does not depend on its size */
static SuitDigest *
suit_store_hash_stream(GInputStream *stream,
		       SuitDigestAlgorithm algorithm,
		       GCancellable *cancellable,
		       GError **error)
{
	gnutls_hash_hd_t hash = NULL;
	g_autofree guint8 *buf = g_malloc(SUIT_STORE_CHUNK_SIZE);

	if (!suit_store_hash_init(&hash, algorithm, error))
		return NULL;
	while (TRUE) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(stream,
					       buf,
					       SUIT_STORE_CHUNK_SIZE,
					       cancellable,
					       &error_local);
		if (n < 0) {
			gnutls_hash_deinit(hash, NULL);
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to read the image: %s",
				    error_local->message);
			return NULL;
		}
		if (n == 0)
			break;
		gnutls_hash(hash, buf, (gsize)n);
	}
	return suit_store_hash_finish(hash, algorithm);
}

static gboolean
suit_store_not_supported(SuitStore *self, const gchar *what, GError **error)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_SUPPORTED,
		    "%s does not support %s",
		    G_OBJECT_TYPE_NAME(self),
		    what);
	return FALSE;
}

SuitStoreImageState
suit_store_image_state(gboolean has_pending, gboolean tried)
{
	if (!has_pending)
		return SUIT_STORE_IMAGE_STATE_CONFIRMED;
	if (tried)
		return SUIT_STORE_IMAGE_STATE_TRYING;
	return SUIT_STORE_IMAGE_STATE_PENDING;
}

gboolean
suit_store_no_pending_image(SuitComponentId *component, GError **error)
{
	g_autofree gchar *id = suit_component_id_to_string(component);
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_CONFLICT,
		    "component %s has no pending image",
		    id);
	return FALSE;
}

/* the prelude of the interface wrappers: fails when @cancellable is
 * cancelled, then with %SUIT_ERROR_NOT_SUPPORTED when the backend does not
 * implement the call (@implemented is FALSE) */
static gboolean
suit_store_check_call(SuitStore *self,
		      gboolean implemented,
		      const gchar *what,
		      GCancellable *cancellable,
		      GError **error)
{
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	if (!implemented)
		return suit_store_not_supported(self, what, error);
	return TRUE;
}

static gboolean
suit_store_writer_check_open(SuitStoreWriter *self, GError **error)
{
	if (self->state == SUIT_STORE_WRITER_STATE_COMMITTED) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "the image was already committed");
		return FALSE;
	}
	if (self->state == SUIT_STORE_WRITER_STATE_ABORTED) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "the write was aborted");
		return FALSE;
	}
	return TRUE;
}

static gssize
suit_store_writer_write_fn(GOutputStream *stream,
			   const void *buffer,
			   gsize count,
			   GCancellable *cancellable,
			   GError **error)
{
	SuitStoreWriter *self = SUIT_STORE_WRITER(stream);
	g_autoptr(GError) error_local = NULL;

	if (!suit_store_writer_check_open(self, error))
		return -1;
	if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
		suit_store_writer_abort(self);
		return -1;
	}
	if (count == 0)
		return 0;
	if (!g_output_stream_write_all(self->sink,
				       buffer,
				       count,
				       NULL,
				       cancellable,
				       &error_local)) {
		g_autofree gchar *name = suit_component_id_to_string(self->component);
		suit_store_writer_abort(self);
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
		    error_local->domain == SUIT_ERROR) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return -1;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to write %s: %s",
			    name,
			    error_local->message);
		return -1;
	}
	if (gnutls_hash(self->hash, buffer, count) < 0) {
		suit_store_writer_abort(self);
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "hashing failed");
		return -1;
	}
	self->size += count;
	return (gssize)count;
}

static gboolean
suit_store_writer_close_fn(GOutputStream *stream, GCancellable *cancellable, GError **error)
{
	/* closing without a commit discards the image */
	suit_store_writer_abort(SUIT_STORE_WRITER(stream));
	return TRUE;
}

static void
suit_store_writer_dispose(GObject *object)
{
	SuitStoreWriter *self = SUIT_STORE_WRITER(object);
	suit_store_writer_abort(self);
	g_clear_object(&self->sink);
	g_clear_object(&self->store);
	G_OBJECT_CLASS(suit_store_writer_parent_class)->dispose(object);
}

static void
suit_store_writer_finalize(GObject *object)
{
	SuitStoreWriter *self = SUIT_STORE_WRITER(object);
	if (self->hash != NULL)
		gnutls_hash_deinit(self->hash, NULL);
	g_clear_pointer(&self->component, suit_component_id_unref);
	g_clear_pointer(&self->digest, suit_digest_unref);
	G_OBJECT_CLASS(suit_store_writer_parent_class)->finalize(object);
}

static void
suit_store_writer_class_init(SuitStoreWriterClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS(klass);
	object_class->dispose = suit_store_writer_dispose;
	object_class->finalize = suit_store_writer_finalize;
	stream_class->write_fn = suit_store_writer_write_fn;
	stream_class->close_fn = suit_store_writer_close_fn;
}

static void
suit_store_writer_init(SuitStoreWriter *self)
{
	self->algorithm = SUIT_DIGEST_ALGORITHM_SHA256;
}

/**
 * suit_store_writer_get_component:
 * @self: a #SuitStoreWriter
 *
 * Gets the component being written.
 *
 * Returns: (transfer none): the component
 *
 * Since: 0.1
 */
SuitComponentId *
suit_store_writer_get_component(SuitStoreWriter *self)
{
	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), NULL);
	return self->component;
}

/**
 * suit_store_writer_set_digest_algorithm:
 * @self: a #SuitStoreWriter
 * @algorithm: a #SuitDigestAlgorithm
 *
 * Chooses the algorithm the writer hashes with; the default is SHA-256. It
 * must be called before the first byte is written, and must match the
 * algorithm of the digest given to suit_store_writer_commit().
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_UNSUPPORTED_ALGORITHM,
 *   or %SUIT_ERROR_CONFLICT when bytes were already written
 *
 * Since: 0.1
 */
gboolean
suit_store_writer_set_digest_algorithm(SuitStoreWriter *self,
				       SuitDigestAlgorithm algorithm,
				       GError **error)
{
	gnutls_hash_hd_t hash = NULL;

	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_store_writer_check_open(self, error))
		return FALSE;
	if (self->size > 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "the digest algorithm must be set before writing");
		return FALSE;
	}
	if (!suit_store_hash_init(&hash, algorithm, error))
		return FALSE;
	if (self->hash != NULL)
		gnutls_hash_deinit(self->hash, NULL);
	self->hash = hash;
	self->algorithm = algorithm;
	return TRUE;
}

/**
 * suit_store_writer_write:
 * @self: a #SuitStoreWriter
 * @data: the next bytes of the image
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Appends @data to the image. A failure discards the image: the writer can
 * only be dropped afterwards.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_WRITE_FAILED (the
 *   message says why, e.g. the disk is full), %SUIT_ERROR_CONFLICT when the
 *   writer is finished, or %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
gboolean
suit_store_writer_write(SuitStoreWriter *self,
			GBytes *data,
			GCancellable *cancellable,
			GError **error)
{
	gsize len = 0;
	const guint8 *buf;

	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_store_writer_check_open(self, error))
		return FALSE;
	buf = g_bytes_get_data(data, &len);
	if (len == 0)
		return TRUE;
	if (!g_output_stream_write_all(G_OUTPUT_STREAM(self), buf, len, NULL, cancellable, error)) {
		/* also when cancelled before anything was written */
		suit_store_writer_abort(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_store_writer_write_stream:
 * @self: a #SuitStoreWriter
 * @input: a #GInputStream, read to its end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Appends everything @input gives, in chunks of 64 KiB. A read failure is
 * %SUIT_ERROR_FETCH_FAILED; any failure discards the image.
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 */
gboolean
suit_store_writer_write_stream(SuitStoreWriter *self,
			       GInputStream *input,
			       GCancellable *cancellable,
			       GError **error)
{
	g_autofree guint8 *buf = NULL;

	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), FALSE);
	g_return_val_if_fail(G_IS_INPUT_STREAM(input), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_store_writer_check_open(self, error))
		return FALSE;
	buf = g_malloc(SUIT_STORE_CHUNK_SIZE);
	while (TRUE) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(input,
					       buf,
					       SUIT_STORE_CHUNK_SIZE,
					       cancellable,
					       &error_local);
		if (n < 0) {
			suit_store_writer_abort(self);
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
			    error_local->domain == SUIT_ERROR) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to read the input: %s",
				    error_local->message);
			return FALSE;
		}
		if (n == 0)
			return TRUE;
		if (!g_output_stream_write_all(G_OUTPUT_STREAM(self),
					       buf,
					       (gsize)n,
					       NULL,
					       cancellable,
					       error)) {
			suit_store_writer_abort(self);
			return FALSE;
		}
	}
}

/**
 * suit_store_writer_get_size:
 * @self: a #SuitStoreWriter
 *
 * Gets the number of bytes written so far.
 *
 * Returns: a size in bytes
 *
 * Since: 0.1
 */
guint64
suit_store_writer_get_size(SuitStoreWriter *self)
{
	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), 0);
	return self->size;
}

/**
 * suit_store_writer_get_digest:
 * @self: a #SuitStoreWriter
 *
 * Gets the digest of the committed image, computed while it was written.
 *
 * Returns: (transfer none) (nullable): the digest, or %NULL before a
 *   successful suit_store_writer_commit()
 *
 * Since: 0.1
 */
SuitDigest *
suit_store_writer_get_digest(SuitStoreWriter *self)
{
	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), NULL);
	return self->digest;
}

/**
 * suit_store_writer_commit:
 * @self: a #SuitStoreWriter
 * @expected_digest: (nullable): the digest the image must have, or %NULL
 * @expected_size: the size the image must have, or -1
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Checks the digest and size computed while writing against the expected
 * ones, then makes the image the component's new image: pending, or
 * confirmed with %SUIT_STORE_WRITE_FLAG_CONFIRM. On any failure the image is
 * discarded and the component keeps its previous images and state.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_DIGEST_MISMATCH (the
 *   digest or the size differ), %SUIT_ERROR_INVALID_ARGUMENT (the expected
 *   digest uses another algorithm than the writer, see
 *   suit_store_writer_set_digest_algorithm()), %SUIT_ERROR_WRITE_FAILED,
 *   %SUIT_ERROR_CONFLICT (the writer is finished) or %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
gboolean
suit_store_writer_commit(SuitStoreWriter *self,
			 const SuitDigest *expected_digest,
			 gint64 expected_size,
			 GCancellable *cancellable,
			 GError **error)
{
	SuitStoreInterface *iface;
	gnutls_hash_hd_t hash;
	g_autoptr(SuitDigest) digest = NULL;
	g_autofree gchar *name = NULL;

	g_return_val_if_fail(SUIT_IS_STORE_WRITER(self), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_store_writer_check_open(self, error))
		return FALSE;
	name = suit_component_id_to_string(self->component);
	if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
		suit_store_writer_abort(self);
		return FALSE;
	}
	if (expected_size >= 0 && (guint64)expected_size != self->size) {
		suit_store_writer_abort(self);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_DIGEST_MISMATCH,
			    "size mismatch for %s: expected %" G_GINT64_FORMAT
			    " bytes, got %" G_GUINT64_FORMAT,
			    name,
			    expected_size,
			    self->size);
		return FALSE;
	}
	if (expected_digest != NULL &&
	    suit_digest_get_algorithm(expected_digest) != (gint)self->algorithm) {
		suit_store_writer_abort(self);
		g_set_error(
		    error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_ARGUMENT,
		    "the expected digest of %s uses algorithm %d, but the writer hashed with %d",
		    name,
		    suit_digest_get_algorithm(expected_digest),
		    (gint)self->algorithm);
		return FALSE;
	}

	/* the hash handle is consumed even if the rest fails */
	hash = g_steal_pointer(&self->hash);
	digest = suit_store_hash_finish(hash, self->algorithm);
	if (expected_digest != NULL && !suit_digest_equal(expected_digest, digest)) {
		g_autofree gchar *want = suit_digest_to_hex(expected_digest);
		g_autofree gchar *got = suit_digest_to_hex(digest);
		suit_store_writer_abort(self);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_DIGEST_MISMATCH,
			    "digest mismatch for %s: expected %s, got %s",
			    name,
			    want,
			    got);
		return FALSE;
	}

	iface = SUIT_STORE_GET_IFACE(self->store);
	if (iface->commit_write == NULL) {
		suit_store_writer_abort(self);
		return suit_store_not_supported(self->store, "writing", error);
	}
	if (!iface->commit_write(self->store,
				 self->component,
				 self->sink,
				 self->flags,
				 digest,
				 self->size,
				 cancellable,
				 error)) {
		/* the store has discarded the sink already */
		self->state = SUIT_STORE_WRITER_STATE_ABORTED;
		return FALSE;
	}
	self->state = SUIT_STORE_WRITER_STATE_COMMITTED;
	self->digest = g_steal_pointer(&digest);
	if (!g_output_stream_has_pending(G_OUTPUT_STREAM(self)))
		g_output_stream_close(G_OUTPUT_STREAM(self), NULL, NULL);
	return TRUE;
}

/**
 * suit_store_writer_abort:
 * @self: a #SuitStoreWriter
 *
 * Discards the image being written; the component keeps its previous images.
 * Does nothing when the writer is already committed or aborted.
 *
 * Since: 0.1
 */
void
suit_store_writer_abort(SuitStoreWriter *self)
{
	SuitStoreInterface *iface;

	g_return_if_fail(SUIT_IS_STORE_WRITER(self));

	if (self->state != SUIT_STORE_WRITER_STATE_OPEN)
		return;
	self->state = SUIT_STORE_WRITER_STATE_ABORTED;
	if (self->store == NULL || self->sink == NULL)
		return;
	iface = SUIT_STORE_GET_IFACE(self->store);
	if (iface->abort_write != NULL)
		iface->abort_write(self->store, self->component, self->sink);
	else
		g_output_stream_close(self->sink, NULL, NULL);
}

/**
 * suit_store_begin_write:
 * @self: a #SuitStore
 * @component: the component to write
 * @flags: #SuitStoreWriteFlags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Starts a new image of @component. Write it with
 * suit_store_writer_write() (or as a #GOutputStream), then call
 * suit_store_writer_commit() with the expected digest and size.
 *
 * Returns: (transfer full): a new #SuitStoreWriter, or %NULL with
 *   %SUIT_ERROR_WRITE_FAILED, %SUIT_ERROR_NOT_SUPPORTED or
 *   %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
SuitStoreWriter *
suit_store_begin_write(SuitStore *self,
		       SuitComponentId *component,
		       SuitStoreWriteFlags flags,
		       GCancellable *cancellable,
		       GError **error)
{
	SuitStoreInterface *iface;
	g_autoptr(GOutputStream) sink = NULL;
	g_autoptr(SuitStoreWriter) writer = NULL;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(component != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->begin_write != NULL && iface->commit_write != NULL,
				   "writing",
				   cancellable,
				   error))
		return NULL;
	writer = g_object_new(SUIT_TYPE_STORE_WRITER, NULL);
	if (!suit_store_hash_init(&writer->hash, writer->algorithm, error))
		return NULL;
	sink = iface->begin_write(self, component, flags, cancellable, error);
	if (sink == NULL)
		return NULL;
	writer->store = g_object_ref(self);
	writer->component = suit_component_id_ref(component);
	writer->sink = g_steal_pointer(&sink);
	writer->flags = flags;
	return g_steal_pointer(&writer);
}

/**
 * suit_store_write_bytes:
 * @self: a #SuitStore
 * @component: the component to write
 * @data: the whole image
 * @expected_digest: (nullable): the digest @data must have, or %NULL
 * @flags: #SuitStoreWriteFlags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Writes a small image in one call, for integrated payloads, tests and
 * bindings: suit_store_begin_write(), suit_store_writer_write() and
 * suit_store_writer_commit() with the algorithm of @expected_digest.
 *
 * Returns: %TRUE for success; errors as suit_store_writer_commit()
 *
 * Since: 0.1
 */
gboolean
suit_store_write_bytes(SuitStore *self,
		       SuitComponentId *component,
		       GBytes *data,
		       const SuitDigest *expected_digest,
		       SuitStoreWriteFlags flags,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(SuitStoreWriter) writer = NULL;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	writer = suit_store_begin_write(self, component, flags, cancellable, error);
	if (writer == NULL)
		return FALSE;
	if (expected_digest != NULL &&
	    !suit_store_writer_set_digest_algorithm(
		writer,
		(SuitDigestAlgorithm)suit_digest_get_algorithm(expected_digest),
		error))
		return FALSE;
	if (!suit_store_writer_write(writer, data, cancellable, error))
		return FALSE;
	return suit_store_writer_commit(writer,
					expected_digest,
					(gint64)g_bytes_get_size(data),
					cancellable,
					error);
}

/**
 * suit_store_has_component:
 * @self: a #SuitStore
 * @component: a component
 *
 * Finds out whether @component has an active image.
 *
 * Returns: %TRUE if it has one
 *
 * Since: 0.1
 */
gboolean
suit_store_has_component(SuitStore *self, SuitComponentId *component)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (iface->has_component == NULL)
		return FALSE;
	return iface->has_component(self, component);
}

/**
 * suit_store_read_component:
 * @self: a #SuitStore
 * @component: a component
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Opens the active image of @component. The stream keeps reading the image
 * it opened even if a later commit replaces it.
 *
 * Returns: (transfer full): a #GInputStream, or %NULL with
 *   %SUIT_ERROR_NOT_FOUND when the component has no image
 *
 * Since: 0.1
 */
GInputStream *
suit_store_read_component(SuitStore *self,
			  SuitComponentId *component,
			  GCancellable *cancellable,
			  GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(component != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->read_component != NULL,
				   "reading",
				   cancellable,
				   error))
		return NULL;
	return iface->read_component(self, component, cancellable, error);
}

/**
 * suit_store_read_bytes:
 * @self: a #SuitStore
 * @component: a component
 * @max_size: the largest image accepted, in bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Reads the whole active image of a small component into memory.
 *
 * Returns: (transfer full): the image, or %NULL with %SUIT_ERROR_NOT_FOUND,
 *   or %SUIT_ERROR_LIMIT_EXCEEDED when it is larger than @max_size
 *
 * Since: 0.1
 */
GBytes *
suit_store_read_bytes(SuitStore *self,
		      SuitComponentId *component,
		      gsize max_size,
		      GCancellable *cancellable,
		      GError **error)
{
	guint64 size = 0;
	gsize done = 0;
	g_autofree guint8 *buf = NULL;
	g_autoptr(GInputStream) stream = NULL;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(component != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_store_get_size(self, component, &size, cancellable, error))
		return NULL;
	if (size > max_size || size >= G_MAXSIZE) {
		g_autofree gchar *name = suit_component_id_to_string(component);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "%s has %" G_GUINT64_FORMAT
			    " bytes, more than the limit of %" G_GSIZE_FORMAT,
			    name,
			    size,
			    max_size);
		return NULL;
	}
	stream = suit_store_read_component(self, component, cancellable, error);
	if (stream == NULL)
		return NULL;
	/* one byte more than announced, to see an image that grew */
	buf = g_malloc((gsize)size + 1);
	while (TRUE) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(stream,
					       buf + done,
					       (gsize)size + 1 - done,
					       cancellable,
					       &error_local);
		if (n < 0) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to read the image: %s",
				    error_local->message);
			return NULL;
		}
		if (n == 0)
			break;
		done += (gsize)n;
		if (done > size)
			break;
	}
	if (done != size) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the image changed while it was read");
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&buf), done);
}

/**
 * suit_store_get_size:
 * @self: a #SuitStore
 * @component: a component
 * @size: (out): the size of the active image in bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Gets the size of the active image of @component.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_NOT_FOUND when the
 *   component has no image
 *
 * Since: 0.1
 */
gboolean
suit_store_get_size(SuitStore *self,
		    SuitComponentId *component,
		    guint64 *size,
		    GCancellable *cancellable,
		    GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	g_return_val_if_fail(size != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self, iface->get_size != NULL, "sizes", cancellable, error))
		return FALSE;
	return iface->get_size(self, component, size, cancellable, error);
}

/**
 * suit_store_get_digest:
 * @self: a #SuitStore
 * @component: a component
 * @algorithm: a #SuitDigestAlgorithm
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Gets the digest of the active image of @component. Stores may answer from
 * a cache that they keep correct; otherwise the image is hashed as a stream.
 *
 * Returns: (transfer full): the digest, or %NULL with %SUIT_ERROR_NOT_FOUND or
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM
 *
 * Since: 0.1
 */
SuitDigest *
suit_store_get_digest(SuitStore *self,
		      SuitComponentId *component,
		      SuitDigestAlgorithm algorithm,
		      GCancellable *cancellable,
		      GError **error)
{
	SuitStoreInterface *iface;
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_UNKNOWN;
	g_autoptr(GInputStream) stream = NULL;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(component != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return NULL;
	if (!suit_store_algorithm_to_gnutls(algorithm, &dig, error))
		return NULL;
	iface = SUIT_STORE_GET_IFACE(self);
	if (iface->get_digest != NULL)
		return iface->get_digest(self, component, algorithm, cancellable, error);
	stream = suit_store_read_component(self, component, cancellable, error);
	if (stream == NULL)
		return NULL;
	return suit_store_hash_stream(stream, algorithm, cancellable, error);
}

/**
 * suit_store_remove_component:
 * @self: a #SuitStore
 * @component: a component
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Deletes every image of @component, pending and confirmed (the unlink
 * directive). Sequence numbers are kept.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_NOT_FOUND when there
 *   is nothing to remove, or %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
gboolean
suit_store_remove_component(SuitStore *self,
			    SuitComponentId *component,
			    GCancellable *cancellable,
			    GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->remove_component != NULL,
				   "removing components",
				   cancellable,
				   error))
		return FALSE;
	return iface->remove_component(self, component, cancellable, error);
}

/**
 * suit_store_get_image_state:
 * @self: a #SuitStore
 * @component: a component
 * @state: (out): the #SuitStoreImageState of @component
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Gets the A/B state of @component; a component without images is
 * %SUIT_STORE_IMAGE_STATE_NONE, not an error.
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 */
gboolean
suit_store_get_image_state(SuitStore *self,
			   SuitComponentId *component,
			   SuitStoreImageState *state,
			   GCancellable *cancellable,
			   GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	g_return_val_if_fail(state != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->get_image_state != NULL,
				   "image states",
				   cancellable,
				   error))
		return FALSE;
	return iface->get_image_state(self, component, state, cancellable, error);
}

/**
 * suit_store_confirm:
 * @self: a #SuitStore
 * @component: a component
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Turns the pending image of @component into its confirmed image, after a
 * good boot; the previously confirmed image is discarded.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_NOT_FOUND when the
 *   component has no image, %SUIT_ERROR_CONFLICT when nothing is pending
 *   (for example because the image fell back), or %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
gboolean
suit_store_confirm(SuitStore *self,
		   SuitComponentId *component,
		   GCancellable *cancellable,
		   GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->confirm != NULL,
				   "confirming images",
				   cancellable,
				   error))
		return FALSE;
	return iface->confirm(self, component, cancellable, error);
}

/**
 * suit_store_begin_boot:
 * @self: a #SuitStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs the boot-attempt protocol; call it once per boot, before the images
 * are used. For each component with a pending image: if the image was already
 * tried and never confirmed, it is dropped and the component falls back to
 * its confirmed image; otherwise it is marked as being tried
 * (%SUIT_STORE_IMAGE_STATE_TRYING).
 *
 * Returns: (transfer container) (element-type SuitComponentId): the
 *   components that fell back (possibly none), or %NULL with
 *   %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
GPtrArray *
suit_store_begin_boot(SuitStore *self, GCancellable *cancellable, GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->begin_boot != NULL,
				   "boot attempts",
				   cancellable,
				   error))
		return NULL;
	return iface->begin_boot(self, cancellable, error);
}

/**
 * suit_store_list_components:
 * @self: a #SuitStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Lists the components that have an image, in no particular order.
 *
 * Returns: (transfer container) (element-type SuitComponentId): the
 *   components, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
suit_store_list_components(SuitStore *self, GCancellable *cancellable, GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->list_components != NULL,
				   "listing components",
				   cancellable,
				   error))
		return NULL;
	return iface->list_components(self, cancellable, error);
}

/**
 * suit_store_get_sequence_number:
 * @self: a #SuitStore
 * @manifest: (nullable): the component id of a dependency manifest, or %NULL
 *   for the root manifest
 * @value: (out): the sequence number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Reads the sequence number last stored for a manifest.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_NOT_FOUND when none
 *   was stored
 *
 * Since: 0.1
 */
gboolean
suit_store_get_sequence_number(SuitStore *self,
			       SuitComponentId *manifest,
			       guint64 *value,
			       GCancellable *cancellable,
			       GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->get_sequence_number != NULL,
				   "sequence numbers",
				   cancellable,
				   error))
		return FALSE;
	return iface->get_sequence_number(self, manifest, value, cancellable, error);
}

/**
 * suit_store_set_sequence_number:
 * @self: a #SuitStore
 * @manifest: (nullable): the component id of a dependency manifest, or %NULL
 *   for the root manifest
 * @value: the sequence number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Stores the sequence number of a manifest, atomically and durably. The
 * store does not compare it with the previous one: rollback checks are the
 * caller's.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
gboolean
suit_store_set_sequence_number(SuitStore *self,
			       SuitComponentId *manifest,
			       guint64 value,
			       GCancellable *cancellable,
			       GError **error)
{
	SuitStoreInterface *iface;

	g_return_val_if_fail(SUIT_IS_STORE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_STORE_GET_IFACE(self);
	if (!suit_store_check_call(self,
				   iface->set_sequence_number != NULL,
				   "sequence numbers",
				   cancellable,
				   error))
		return FALSE;
	return iface->set_sequence_number(self, manifest, value, cancellable, error);
}
