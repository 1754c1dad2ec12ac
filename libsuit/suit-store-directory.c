/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-cbor-private.h"
#include "suit-error.h"
#include "suit-file-private.h"
#include "suit-model-private.h"
#include "suit-store-directory.h"
#include "suit-store-private.h"

/**
 * SuitStoreDirectory:
 *
 * The default [iface@Store]: a directory on the device, one file per image.
 *
 * A component is known by the SHA-256 of its CBOR encoding, so that no byte
 * of a component id ever picks a path: its images are
 * `<sha256-hex>.<token>.img` and its state (which image is confirmed, which
 * is pending, whether it was tried) is the small CBOR file
 * `<sha256-hex>.state`. Sequence numbers live in `<sha256-hex>.seq`, and
 * `root.seq` for the root manifest.
 *
 * Every change is atomic: an image is written to a temporary file in the
 * same directory, fsync'd, renamed to a new name and the directory fsync'd;
 * only then does the state file, written the same way, point at it. The
 * state file is the commit point, so a crash at any moment leaves each
 * component with either its old or its new images. Temporary files and
 * images that no state file refers to (what a crash leaves behind) are
 * removed when the store is opened. Mutations take an exclusive `flock()` on
 * the directory, so separate processes cannot corrupt it; a store directory
 * should still be owned by one process, since opening it removes temporary
 * files that another process may be writing.
 *
 * See also: [iface@Store], [class@StoreMemory]
 */

typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	gint64 mtime_ns;
	gint64 ctime_ns;
	SuitDigest *digest;
} SuitStoreDirectoryCached;

struct _SuitStoreDirectory {
	GObject parent_instance;
	gchar *path;
	gint dir_fd;
	GHashTable *digest_cache; /* image file name -> SuitStoreDirectoryCached */
};

enum { PROP_0, PROP_PATH, N_PROPS };
static GParamSpec *props[N_PROPS] = {NULL};

static void
suit_store_directory_iface_init(SuitStoreInterface *iface);
static void
suit_store_directory_initable_iface_init(GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitStoreDirectory,
			suit_store_directory,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_STORE, suit_store_directory_iface_init)
			    G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
						  suit_store_directory_initable_iface_init))

#define SUIT_STORE_DIRECTORY_TMP_PREFIX ".suit-tmp-"
#define SUIT_STORE_DIRECTORY_KEY_LEN	64 /* hex of SHA-256 */
#define SUIT_STORE_DIRECTORY_TOKEN_LEN	16 /* hex of 64 random bits */
#define SUIT_STORE_DIRECTORY_MAX_STATE	(64 * 1024)
#define SUIT_STORE_DIRECTORY_CHUNK_SIZE (64 * 1024)

/* state keys */
#define SUIT_STORE_DIRECTORY_STATE_ID	     1
#define SUIT_STORE_DIRECTORY_STATE_CONFIRMED 2
#define SUIT_STORE_DIRECTORY_STATE_PENDING   3
#define SUIT_STORE_DIRECTORY_STATE_TRIED     4

typedef struct {
	SuitComponentId *id;
	gchar *confirmed; /* token, nullable */
	gchar *pending;	  /* token, nullable */
	gboolean tried;
} SuitStoreDirectoryState;

static void
suit_store_directory_state_free(SuitStoreDirectoryState *state)
{
	g_clear_pointer(&state->id, suit_component_id_unref);
	g_free(state->confirmed);
	g_free(state->pending);
	g_free(state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitStoreDirectoryState, suit_store_directory_state_free)

/* the sink of a write: a temporary file in the directory */
#define SUIT_TYPE_STORE_DIRECTORY_SINK (suit_store_directory_sink_get_type())
G_DECLARE_FINAL_TYPE(SuitStoreDirectorySink,
		     suit_store_directory_sink,
		     SUIT,
		     STORE_DIRECTORY_SINK,
		     GOutputStream)

struct _SuitStoreDirectorySink {
	GOutputStream parent_instance;
	SuitStoreDirectory *owner; /* noref */
	gint fd;
	gchar *tmp_path; /* nullable once renamed or deleted */
};

G_DEFINE_TYPE(SuitStoreDirectorySink, suit_store_directory_sink, G_TYPE_OUTPUT_STREAM)

static gssize
suit_store_directory_sink_write_fn(GOutputStream *stream,
				   const void *buffer,
				   gsize count,
				   GCancellable *cancellable,
				   GError **error)
{
	SuitStoreDirectorySink *self = SUIT_STORE_DIRECTORY_SINK(stream);
	gssize n;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	do {
		n = write(self->fd, buffer, count);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		gint errsv = errno;
		g_set_error_literal(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    g_strerror(errsv));
		return -1;
	}
	return n;
}

static gboolean
suit_store_directory_sink_close_fn(GOutputStream *stream, GCancellable *cancellable, GError **error)
{
	SuitStoreDirectorySink *self = SUIT_STORE_DIRECTORY_SINK(stream);
	gint fd = self->fd;

	self->fd = -1;
	if (fd >= 0 && close(fd) != 0) {
		gint errsv = errno;
		g_set_error_literal(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static void
suit_store_directory_sink_finalize(GObject *object)
{
	SuitStoreDirectorySink *self = SUIT_STORE_DIRECTORY_SINK(object);
	if (self->fd >= 0)
		close(self->fd);
	g_free(self->tmp_path);
	G_OBJECT_CLASS(suit_store_directory_sink_parent_class)->finalize(object);
}

static void
suit_store_directory_sink_class_init(SuitStoreDirectorySinkClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS(klass);
	object_class->finalize = suit_store_directory_sink_finalize;
	stream_class->write_fn = suit_store_directory_sink_write_fn;
	stream_class->close_fn = suit_store_directory_sink_close_fn;
}

static void
suit_store_directory_sink_init(SuitStoreDirectorySink *self)
{
	self->fd = -1;
}

/* an exclusive flock() of the directory, released when it goes out of scope */
typedef struct {
	gint fd;
} SuitStoreDirectoryLock;

static void
suit_store_directory_lock_clear(SuitStoreDirectoryLock *lock)
{
	if (lock->fd >= 0)
		flock(lock->fd, LOCK_UN);
	lock->fd = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitStoreDirectoryLock, suit_store_directory_lock_clear)

static void
suit_store_directory_cached_free(SuitStoreDirectoryCached *cached)
{
	suit_digest_unref(cached->digest);
	g_free(cached);
}

static gboolean
suit_store_directory_lock(SuitStoreDirectory *self, SuitStoreDirectoryLock *lock, GError **error)
{
	while (flock(self->dir_fd, LOCK_EX) != 0) {
		gint errsv = errno;
		if (errsv == EINTR)
			continue;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to lock %s: %s",
			    self->path,
			    g_strerror(errsv));
		return FALSE;
	}
	lock->fd = self->dir_fd;
	return TRUE;
}

static gboolean
suit_store_directory_fsync_dir(SuitStoreDirectory *self, GError **error)
{
	if (fsync(self->dir_fd) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to sync %s: %s",
			    self->path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* the file name stem of a component: never derived from its bytes directly */
static gchar *
suit_store_directory_key(SuitComponentId *component)
{
	guint8 out[32] = {0};
	gsize len = 0;
	g_autoptr(GBytes) cbor = suit_component_id_to_cbor(component);
	const guint8 *data = g_bytes_get_data(cbor, &len);
	g_autoptr(GBytes) value = NULL;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, data != NULL ? data : (const guint8 *)"", len, out);
	value = g_bytes_new(out, sizeof(out));
	return suit_hex_encode(value);
}

static gboolean
suit_store_directory_is_hex(const gchar *str, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(str[i]) || g_ascii_isupper(str[i]))
			return FALSE;
	}
	return str[len] == '\0' || str[len] == '.';
}

static gchar *
suit_store_directory_image_path(SuitStoreDirectory *self, const gchar *key, const gchar *token)
{
	g_autofree gchar *name = g_strdup_printf("%s.%s.img", key, token);
	return g_build_filename(self->path, name, NULL);
}

static gchar *
suit_store_directory_new_token(void)
{
	return g_strdup_printf("%08x%08x", g_random_int(), g_random_int());
}

/* writes @contents to @name in the directory: temporary file, fsync, rename, fsync */
static gboolean
suit_store_directory_write_file(SuitStoreDirectory *self,
				const gchar *name,
				GBytes *contents,
				GError **error)
{
	return suit_file_replace(self->path, name, SUIT_STORE_DIRECTORY_TMP_PREFIX, contents, error);
}

/* reads a small file; %SUIT_ERROR_NOT_FOUND when it does not exist */
static GBytes *
suit_store_directory_read_file(SuitStoreDirectory *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->path, name, NULL);
	return suit_file_read_small(path, SUIT_STORE_DIRECTORY_MAX_STATE, error);
}

static gboolean
suit_store_directory_unlink(SuitStoreDirectory *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->path, name, NULL);
	if (g_unlink(path) != 0 && errno != ENOENT) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to delete %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* deletes an image no state refers to any more; a failure only leaves an orphan */
static void
suit_store_directory_discard_image(SuitStoreDirectory *self, const gchar *key, const gchar *token)
{
	g_autofree gchar *name = NULL;
	g_autoptr(GError) error_local = NULL;

	if (token == NULL)
		return;
	name = g_strdup_printf("%s.%s.img", key, token);
	g_hash_table_remove(self->digest_cache, name);
	if (!suit_store_directory_unlink(self, name, &error_local))
		g_debug("ignoring: %s", error_local->message);
}

static gboolean
suit_store_directory_parse_token(SuitCborItem *map, gint64 key, gchar **token, GError **error)
{
	SuitCborItem *item = suit_cbor_map_lookup_int(map, key);
	g_autofree gchar *text = NULL;

	if (item == NULL)
		return TRUE;
	text = suit_cbor_item_dup_text(item);
	if (text == NULL || strlen(text) != SUIT_STORE_DIRECTORY_TOKEN_LEN ||
	    !suit_store_directory_is_hex(text, SUIT_STORE_DIRECTORY_TOKEN_LEN)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "invalid image name in the state");
		return FALSE;
	}
	*token = g_steal_pointer(&text);
	return TRUE;
}

static SuitStoreDirectoryState *
suit_store_directory_parse_state(GBytes *blob, const gchar *key, GError **error)
{
	SuitCborItem *item;
	gboolean tried = FALSE;
	g_autofree gchar *check = NULL;
	g_autoptr(SuitCborItem) map = NULL;
	g_autoptr(SuitStoreDirectoryState) state = g_new0(SuitStoreDirectoryState, 1);

	map = suit_cbor_decode(blob, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (map == NULL)
		return NULL;
	if (suit_cbor_item_get_type(map) != SUIT_CBOR_TYPE_MAP) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the state is not a map");
		return NULL;
	}
	item = suit_cbor_map_lookup_int(map, SUIT_STORE_DIRECTORY_STATE_ID);
	if (item == NULL || suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the state has no component id");
		return NULL;
	}
	state->id = suit_component_id_new_from_cbor(suit_cbor_item_get_bytes(item), error);
	if (state->id == NULL)
		return NULL;
	/* the file must belong to the component it names */
	check = suit_store_directory_key(state->id);
	if (g_strcmp0(check, key) != 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the state belongs to another component");
		return NULL;
	}
	if (!suit_store_directory_parse_token(map,
					      SUIT_STORE_DIRECTORY_STATE_CONFIRMED,
					      &state->confirmed,
					      error))
		return NULL;
	if (!suit_store_directory_parse_token(map,
					      SUIT_STORE_DIRECTORY_STATE_PENDING,
					      &state->pending,
					      error))
		return NULL;
	item = suit_cbor_map_lookup_int(map, SUIT_STORE_DIRECTORY_STATE_TRIED);
	if (item != NULL && !suit_cbor_item_get_bool(item, &tried)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the tried flag of the state is not a boolean");
		return NULL;
	}
	state->tried = tried;
	return g_steal_pointer(&state);
}

/* the state of a component; %SUIT_ERROR_NOT_FOUND when it has none */
static SuitStoreDirectoryState *
suit_store_directory_load_state(SuitStoreDirectory *self, const gchar *key, GError **error)
{
	g_autofree gchar *name = g_strdup_printf("%s.state", key);
	g_autoptr(GBytes) blob = NULL;
	SuitStoreDirectoryState *state;

	blob = suit_store_directory_read_file(self, name, error);
	if (blob == NULL)
		return NULL;
	state = suit_store_directory_parse_state(blob, key, error);
	if (state == NULL) {
		g_prefix_error(error, "corrupt state %s/%s: ", self->path, name);
		return NULL;
	}
	return state;
}

static SuitStoreDirectoryState *
suit_store_directory_load_state_for(SuitStoreDirectory *self,
				    SuitComponentId *component,
				    gchar **key_out,
				    GError **error)
{
	g_autofree gchar *key = suit_store_directory_key(component);
	g_autoptr(GError) error_local = NULL;
	SuitStoreDirectoryState *state;

	state = suit_store_directory_load_state(self, key, &error_local);
	if (state == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_autofree gchar *id = suit_component_id_to_string(component);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "component %s has no image",
				    id);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (key_out != NULL)
		*key_out = g_steal_pointer(&key);
	return state;
}

/* writes the state atomically; a state without images deletes the file */
static gboolean
suit_store_directory_save_state(SuitStoreDirectory *self,
				const gchar *key,
				SuitStoreDirectoryState *state,
				GError **error)
{
	g_autofree gchar *name = g_strdup_printf("%s.state", key);
	g_autoptr(GBytes) id = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitCborItem) map = NULL;

	if (state->confirmed == NULL && state->pending == NULL) {
		if (!suit_store_directory_unlink(self, name, error))
			return FALSE;
		return suit_store_directory_fsync_dir(self, error);
	}
	id = suit_component_id_to_cbor(state->id);
	map = suit_cbor_item_new_map();
	suit_cbor_map_append(map,
			     suit_cbor_item_new_uint(SUIT_STORE_DIRECTORY_STATE_ID),
			     suit_cbor_item_new_bytes(id));
	if (state->confirmed != NULL)
		suit_cbor_map_append(map,
				     suit_cbor_item_new_uint(SUIT_STORE_DIRECTORY_STATE_CONFIRMED),
				     suit_cbor_item_new_text(state->confirmed));
	if (state->pending != NULL)
		suit_cbor_map_append(map,
				     suit_cbor_item_new_uint(SUIT_STORE_DIRECTORY_STATE_PENDING),
				     suit_cbor_item_new_text(state->pending));
	suit_cbor_map_append(map,
			     suit_cbor_item_new_uint(SUIT_STORE_DIRECTORY_STATE_TRIED),
			     suit_cbor_item_new_bool(state->tried));
	blob = suit_cbor_encode(map);
	return suit_store_directory_write_file(self, name, blob, error);
}

static GOutputStream *
suit_store_directory_begin_write(SuitStore *store,
				 SuitComponentId *component,
				 SuitStoreWriteFlags flags,
				 GCancellable *cancellable,
				 GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	SuitStoreDirectorySink *sink;
	g_autofree gchar *tmp =
	    g_build_filename(self->path, SUIT_STORE_DIRECTORY_TMP_PREFIX "XXXXXX", NULL);
	gint fd;

	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create a file in %s: %s",
			    self->path,
			    g_strerror(errsv));
		return NULL;
	}
	sink = g_object_new(SUIT_TYPE_STORE_DIRECTORY_SINK, NULL);
	sink->owner = self;
	sink->fd = fd;
	sink->tmp_path = g_steal_pointer(&tmp);
	return G_OUTPUT_STREAM(sink);
}

static void
suit_store_directory_abort_write(SuitStore *store,
				 SuitComponentId *component,
				 GOutputStream *stream)
{
	SuitStoreDirectorySink *sink = SUIT_STORE_DIRECTORY_SINK(stream);
	g_output_stream_close(stream, NULL, NULL);
	if (sink->tmp_path != NULL) {
		g_unlink(sink->tmp_path);
		g_clear_pointer(&sink->tmp_path, g_free);
	}
}

static void
suit_store_directory_cache_digest(SuitStoreDirectory *self,
				  const gchar *name,
				  const struct stat *st,
				  SuitDigest *digest)
{
	SuitStoreDirectoryCached *cached = g_new0(SuitStoreDirectoryCached, 1);
	cached->dev = st->st_dev;
	cached->ino = st->st_ino;
	cached->size = st->st_size;
	cached->mtime_ns =
	    (gint64)st->st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st->st_mtim.tv_nsec;
	cached->ctime_ns =
	    (gint64)st->st_ctim.tv_sec * G_GINT64_CONSTANT(1000000000) + st->st_ctim.tv_nsec;
	cached->digest = suit_digest_ref(digest);
	g_hash_table_replace(self->digest_cache, g_strdup(name), cached);
}

static SuitDigest *
suit_store_directory_lookup_digest(SuitStoreDirectory *self,
				   const gchar *name,
				   const struct stat *st,
				   SuitDigestAlgorithm algorithm)
{
	SuitStoreDirectoryCached *cached = g_hash_table_lookup(self->digest_cache, name);
	if (cached == NULL)
		return NULL;
	if (cached->dev != st->st_dev || cached->ino != st->st_ino || cached->size != st->st_size ||
	    cached->mtime_ns !=
		(gint64)st->st_mtim.tv_sec * G_GINT64_CONSTANT(1000000000) + st->st_mtim.tv_nsec ||
	    cached->ctime_ns !=
		(gint64)st->st_ctim.tv_sec * G_GINT64_CONSTANT(1000000000) + st->st_ctim.tv_nsec) {
		g_hash_table_remove(self->digest_cache, name);
		return NULL;
	}
	if (suit_digest_get_algorithm(cached->digest) != (gint)algorithm)
		return NULL;
	return suit_digest_ref(cached->digest);
}

static gboolean
suit_store_directory_commit_write(SuitStore *store,
				  SuitComponentId *component,
				  GOutputStream *stream,
				  SuitStoreWriteFlags flags,
				  SuitDigest *digest,
				  guint64 size,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	SuitStoreDirectorySink *data = NULL;
	GOutputStream *sink = stream;
	struct stat st = {0};
	gint fd;
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *key = suit_store_directory_key(component);
	g_autofree gchar *token = NULL;
	g_autofree gchar *final = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *old_confirmed = NULL;
	g_autofree gchar *old_pending = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SuitStoreDirectoryState) state = NULL;

	if (SUIT_IS_STORE_DIRECTORY_SINK(stream))
		data = SUIT_STORE_DIRECTORY_SINK(stream);
	if (data == NULL || data->owner != self || data->tmp_path == NULL || data->fd < 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the sink does not belong to this store");
		return FALSE;
	}

	/* the data must be on disk before any name points at it */
	fd = data->fd;
	if (fsync(fd) != 0 || fstat(fd, &st) != 0) {
		gint errsv = errno;
		suit_store_directory_abort_write(store, component, sink);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to sync the image in %s: %s",
			    self->path,
			    g_strerror(errsv));
		return FALSE;
	}
	if ((guint64)st.st_size != size) {
		suit_store_directory_abort_write(store, component, sink);
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the temporary file does not have the size written");
		return FALSE;
	}
	if (!g_output_stream_close(sink, cancellable, &error_local)) {
		suit_store_directory_abort_write(store, component, sink);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to close the image: %s",
			    error_local->message);
		return FALSE;
	}

	if (!suit_store_directory_lock(self, &lock, error)) {
		suit_store_directory_abort_write(store, component, sink);
		return FALSE;
	}
	state = suit_store_directory_load_state(self, key, &error_local);
	if (state == NULL) {
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			suit_store_directory_abort_write(store, component, sink);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_clear_error(&error_local);
		state = g_new0(SuitStoreDirectoryState, 1);
		state->id = suit_component_id_ref(component);
	}

	/* a fresh name that the state does not use; stale orphans may be replaced */
	do {
		g_free(token);
		token = suit_store_directory_new_token();
	} while (g_strcmp0(token, state->confirmed) == 0 || g_strcmp0(token, state->pending) == 0);
	final = suit_store_directory_image_path(self, key, token);
	if (g_rename(data->tmp_path, final) != 0) {
		gint errsv = errno;
		suit_store_directory_abort_write(store, component, sink);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to rename the image to %s: %s",
			    final,
			    g_strerror(errsv));
		return FALSE;
	}
	g_clear_pointer(&data->tmp_path, g_free);
	if (!suit_store_directory_fsync_dir(self, error)) {
		g_unlink(final);
		return FALSE;
	}

	/* the commit point: the state file */
	old_pending = g_steal_pointer(&state->pending);
	if (flags & SUIT_STORE_WRITE_FLAG_CONFIRM) {
		old_confirmed = g_steal_pointer(&state->confirmed);
		state->confirmed = g_strdup(token);
	} else {
		state->pending = g_strdup(token);
	}
	state->tried = FALSE;
	if (!suit_store_directory_save_state(self, key, state, error)) {
		g_unlink(final);
		return FALSE;
	}

	/* st was taken before the rename, which changes the ctime on some filesystems */
	name = g_strdup_printf("%s.%s.img", key, token);
	if (g_stat(final, &st) == 0)
		suit_store_directory_cache_digest(self, name, &st, digest);
	suit_store_directory_discard_image(self, key, old_pending);
	suit_store_directory_discard_image(self, key, old_confirmed);
	return TRUE;
}

static gboolean
suit_store_directory_has_component(SuitStore *store, SuitComponentId *component)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_autoptr(SuitStoreDirectoryState) state = NULL;
	state = suit_store_directory_load_state_for(self, component, NULL, NULL);
	return state != NULL;
}

/* the file name of the active image */
static gchar *
suit_store_directory_active_name(SuitStoreDirectory *self,
				 SuitComponentId *component,
				 GError **error)
{
	g_autofree gchar *key = NULL;
	g_autoptr(SuitStoreDirectoryState) state = NULL;

	state = suit_store_directory_load_state_for(self, component, &key, error);
	if (state == NULL)
		return NULL;
	return g_strdup_printf("%s.%s.img",
			       key,
			       state->pending != NULL ? state->pending : state->confirmed);
}

static gboolean
suit_store_directory_fstat(gint fd, struct stat *st, GError **error)
{
	if (fstat(fd, st) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to stat the image: %s",
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* opens the active image; the lock keeps a commit from deleting it in between */
static gint
suit_store_directory_open_active(SuitStoreDirectory *self,
				 SuitComponentId *component,
				 gchar **name_out,
				 GError **error)
{
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;
	gint fd;

	if (!suit_store_directory_lock(self, &lock, error))
		return -1;
	name = suit_store_directory_active_name(self, component, error);
	if (name == NULL)
		return -1;
	path = g_build_filename(self->path, name, NULL);
	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == ENOENT ? SUIT_ERROR_NOT_FOUND : SUIT_ERROR_INTERNAL,
			    "failed to open %s: %s",
			    path,
			    g_strerror(errsv));
		return -1;
	}
	if (name_out != NULL)
		*name_out = g_steal_pointer(&name);
	return fd;
}

static GInputStream *
suit_store_directory_read_component(SuitStore *store,
				    SuitComponentId *component,
				    GCancellable *cancellable,
				    GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	GFileInputStream *stream;
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GError) error_local = NULL;

	/* the lock keeps a commit from deleting the image before it is open */
	if (!suit_store_directory_lock(self, &lock, error))
		return NULL;
	name = suit_store_directory_active_name(self, component, error);
	if (name == NULL)
		return NULL;
	path = g_build_filename(self->path, name, NULL);
	file = g_file_new_for_path(path);
	stream = g_file_read(file, cancellable, &error_local);
	if (stream == NULL) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
				? SUIT_ERROR_NOT_FOUND
				: SUIT_ERROR_INTERNAL,
			    "failed to open %s: %s",
			    path,
			    error_local->message);
		return NULL;
	}
	return G_INPUT_STREAM(stream);
}

static gboolean
suit_store_directory_get_size(SuitStore *store,
			      SuitComponentId *component,
			      guint64 *size,
			      GCancellable *cancellable,
			      GError **error)
{
	struct stat st = {0};
	gint fd =
	    suit_store_directory_open_active(SUIT_STORE_DIRECTORY(store), component, NULL, error);
	if (fd < 0)
		return FALSE;
	if (!suit_store_directory_fstat(fd, &st, error)) {
		close(fd);
		return FALSE;
	}
	close(fd);
	*size = (guint64)st.st_size;
	return TRUE;
}

static SuitDigest *
suit_store_directory_get_digest(SuitStore *store,
				SuitComponentId *component,
				SuitDigestAlgorithm algorithm,
				GCancellable *cancellable,
				GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	struct stat st = {0};
	gint fd;
	gnutls_digest_algorithm_t dig = GNUTLS_DIG_UNKNOWN;
	gnutls_hash_hd_t hash = NULL;
	g_autofree gchar *name = NULL;
	g_autofree guint8 *buf = NULL;
	g_autoptr(SuitDigest) digest = NULL;

	if (!suit_store_algorithm_to_gnutls(algorithm, &dig, error))
		return NULL;
	fd = suit_store_directory_open_active(self, component, &name, error);
	if (fd < 0)
		return NULL;
	/* the identity is taken before reading: a change while hashing makes it stale */
	if (!suit_store_directory_fstat(fd, &st, error)) {
		close(fd);
		return NULL;
	}
	digest = suit_store_directory_lookup_digest(self, name, &st, algorithm);
	if (digest != NULL) {
		close(fd);
		return g_steal_pointer(&digest);
	}

	if (gnutls_hash_init(&hash, dig) < 0) {
		close(fd);
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to initialize the hash");
		return NULL;
	}
	buf = g_malloc(SUIT_STORE_DIRECTORY_CHUNK_SIZE);
	while (TRUE) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error)) {
			gnutls_hash_deinit(hash, NULL);
			close(fd);
			return NULL;
		}
		n = read(fd, buf, SUIT_STORE_DIRECTORY_CHUNK_SIZE);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			gnutls_hash_deinit(hash, NULL);
			close(fd);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to read the image: %s",
				    g_strerror(errsv));
			return NULL;
		}
		if (n == 0)
			break;
		gnutls_hash(hash, buf, (gsize)n);
	}
	close(fd);
	digest = suit_store_hash_finish(hash, algorithm);
	suit_store_directory_cache_digest(self, name, &st, digest);
	return g_steal_pointer(&digest);
}

static gboolean
suit_store_directory_remove_component(SuitStore *store,
				      SuitComponentId *component,
				      GCancellable *cancellable,
				      GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *key = NULL;
	g_autofree gchar *confirmed = NULL;
	g_autofree gchar *pending = NULL;
	g_autoptr(SuitStoreDirectoryState) state = NULL;

	if (!suit_store_directory_lock(self, &lock, error))
		return FALSE;
	state = suit_store_directory_load_state_for(self, component, &key, error);
	if (state == NULL)
		return FALSE;
	confirmed = g_steal_pointer(&state->confirmed);
	pending = g_steal_pointer(&state->pending);
	if (!suit_store_directory_save_state(self, key, state, error))
		return FALSE;
	suit_store_directory_discard_image(self, key, confirmed);
	suit_store_directory_discard_image(self, key, pending);
	return TRUE;
}

static gboolean
suit_store_directory_get_image_state(SuitStore *store,
				     SuitComponentId *component,
				     SuitStoreImageState *image_state,
				     GCancellable *cancellable,
				     GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SuitStoreDirectoryState) state = NULL;

	state = suit_store_directory_load_state_for(self, component, NULL, &error_local);
	if (state == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			*image_state = SUIT_STORE_IMAGE_STATE_NONE;
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*image_state = suit_store_image_state(state->pending != NULL, state->tried);
	return TRUE;
}

static gboolean
suit_store_directory_confirm(SuitStore *store,
			     SuitComponentId *component,
			     GCancellable *cancellable,
			     GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *key = NULL;
	g_autofree gchar *old_confirmed = NULL;
	g_autoptr(SuitStoreDirectoryState) state = NULL;

	if (!suit_store_directory_lock(self, &lock, error))
		return FALSE;
	state = suit_store_directory_load_state_for(self, component, &key, error);
	if (state == NULL)
		return FALSE;
	if (state->pending == NULL)
		return suit_store_no_pending_image(component, error);
	old_confirmed = g_steal_pointer(&state->confirmed);
	state->confirmed = g_steal_pointer(&state->pending);
	state->tried = FALSE;
	if (!suit_store_directory_save_state(self, key, state, error))
		return FALSE;
	suit_store_directory_discard_image(self, key, old_confirmed);
	return TRUE;
}

/* takes @lock, then lists the keys of every state file, sorted */
static GPtrArray *
suit_store_directory_lock_and_list_keys(SuitStoreDirectory *self,
					SuitStoreDirectoryLock *lock,
					GError **error)
{
	const gchar *fn;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);

	if (!suit_store_directory_lock(self, lock, error))
		return NULL;
	dir = g_dir_open(self->path, 0, error);
	if (dir == NULL) {
		g_prefix_error(error, "failed to list %s: ", self->path);
		if (error != NULL && (*error)->domain != SUIT_ERROR) {
			(*error)->domain = SUIT_ERROR;
			(*error)->code = SUIT_ERROR_INTERNAL;
		}
		return NULL;
	}
	while ((fn = g_dir_read_name(dir)) != NULL) {
		if (strlen(fn) != SUIT_STORE_DIRECTORY_KEY_LEN + strlen(".state") ||
		    !g_str_has_suffix(fn, ".state") ||
		    !suit_store_directory_is_hex(fn, SUIT_STORE_DIRECTORY_KEY_LEN))
			continue;
		g_ptr_array_add(keys, g_strndup(fn, SUIT_STORE_DIRECTORY_KEY_LEN));
	}
	g_ptr_array_sort(keys, (GCompareFunc)g_strcmp0);
	return g_steal_pointer(&keys);
}

static GPtrArray *
suit_store_directory_begin_boot(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(GPtrArray) fallen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);

	keys = suit_store_directory_lock_and_list_keys(self, &lock, error);
	if (keys == NULL)
		return NULL;
	for (guint i = 0; i < keys->len; i++) {
		const gchar *key = g_ptr_array_index(keys, i);
		g_autofree gchar *dropped = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(SuitStoreDirectoryState) state = NULL;

		state = suit_store_directory_load_state(self, key, &error_local);
		if (state == NULL) {
			/* one broken component must not stop the others from falling back */
			g_warning("skipping: %s", error_local->message);
			continue;
		}
		if (state->pending == NULL)
			continue;
		if (!state->tried) {
			state->tried = TRUE;
			if (!suit_store_directory_save_state(self, key, state, error))
				return NULL;
			continue;
		}
		dropped = g_steal_pointer(&state->pending);
		state->tried = FALSE;
		if (!suit_store_directory_save_state(self, key, state, error))
			return NULL;
		suit_store_directory_discard_image(self, key, dropped);
		g_ptr_array_add(fallen, suit_component_id_ref(state->id));
	}
	return g_steal_pointer(&fallen);
}

static GPtrArray *
suit_store_directory_list_components(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(GPtrArray) ids =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);

	keys = suit_store_directory_lock_and_list_keys(self, &lock, error);
	if (keys == NULL)
		return NULL;
	for (guint i = 0; i < keys->len; i++) {
		g_autoptr(SuitStoreDirectoryState) state = NULL;
		state = suit_store_directory_load_state(self, g_ptr_array_index(keys, i), error);
		if (state == NULL)
			return NULL;
		g_ptr_array_add(ids, suit_component_id_ref(state->id));
	}
	return g_steal_pointer(&ids);
}

static gchar *
suit_store_directory_sequence_name(SuitComponentId *manifest)
{
	g_autofree gchar *key = NULL;
	if (manifest == NULL)
		return g_strdup("root.seq");
	key = suit_store_directory_key(manifest);
	return g_strdup_printf("%s.seq", key);
}

static gboolean
suit_store_directory_get_sequence_number(SuitStore *store,
					 SuitComponentId *manifest,
					 guint64 *value,
					 GCancellable *cancellable,
					 GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	SuitCborItem *id_item;
	gboolean matches = FALSE;
	g_autofree gchar *name = suit_store_directory_sequence_name(manifest);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SuitCborItem) item = NULL;

	blob = suit_store_directory_read_file(self, name, &error_local);
	if (blob == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_autofree gchar *id = manifest != NULL
						   ? suit_component_id_to_string(manifest)
						   : g_strdup("the root manifest");
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "no sequence number is stored for %s",
				    id);
			return FALSE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	item = suit_cbor_decode(blob, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL) {
		g_prefix_error(error, "corrupt sequence number %s/%s: ", self->path, name);
		return FALSE;
	}
	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(item) != 2 ||
	    !suit_cbor_item_get_uint(suit_cbor_array_get(item, 1), value)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "corrupt sequence number %s/%s",
			    self->path,
			    name);
		return FALSE;
	}
	/* the record must be for this manifest */
	id_item = suit_cbor_array_get(item, 0);
	if (manifest == NULL) {
		matches = suit_cbor_item_get_type(id_item) == SUIT_CBOR_TYPE_NULL;
	} else if (suit_cbor_item_get_type(id_item) == SUIT_CBOR_TYPE_BYTES) {
		g_autoptr(GBytes) want = suit_component_id_to_cbor(manifest);
		matches = g_bytes_equal(suit_cbor_item_get_bytes(id_item), want);
	}
	if (!matches) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "sequence number %s/%s belongs to another manifest",
			    self->path,
			    name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_store_directory_set_sequence_number(SuitStore *store,
					 SuitComponentId *manifest,
					 guint64 value,
					 GCancellable *cancellable,
					 GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(store);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	g_autofree gchar *name = suit_store_directory_sequence_name(manifest);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitCborItem) item = suit_cbor_item_new_array();

	if (manifest != NULL) {
		g_autoptr(GBytes) id = suit_component_id_to_cbor(manifest);
		suit_cbor_array_append(item, suit_cbor_item_new_bytes(id));
	} else {
		suit_cbor_array_append(item, suit_cbor_item_new_null());
	}
	suit_cbor_array_append(item, suit_cbor_item_new_uint(value));
	blob = suit_cbor_encode(item);
	if (!suit_store_directory_lock(self, &lock, error))
		return FALSE;
	return suit_store_directory_write_file(self, name, blob, error);
}

/* removes what a crash leaves behind: temporary files and unreferenced images */
static gboolean
suit_store_directory_clean(SuitStoreDirectory *self, GError **error)
{
	const gchar *fn;
	gboolean changed = FALSE;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GHashTable) states =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  g_free,
				  (GDestroyNotify)suit_store_directory_state_free);
	g_autoptr(GHashTable) broken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	dir = g_dir_open(self->path, 0, NULL);
	if (dir == NULL) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to list %s: %s",
			    self->path,
			    g_strerror(errsv));
		return FALSE;
	}
	while ((fn = g_dir_read_name(dir)) != NULL) {
		gsize len = strlen(fn);
		g_autofree gchar *key = NULL;
		const gchar *token;
		SuitStoreDirectoryState *state;

		if (g_str_has_prefix(fn, SUIT_STORE_DIRECTORY_TMP_PREFIX)) {
			if (!suit_store_directory_unlink(self, fn, error))
				return FALSE;
			changed = TRUE;
			continue;
		}

		/* <key>.<token>.img */
		if (len != SUIT_STORE_DIRECTORY_KEY_LEN + 1 + SUIT_STORE_DIRECTORY_TOKEN_LEN + 4 ||
		    !g_str_has_suffix(fn, ".img") || fn[SUIT_STORE_DIRECTORY_KEY_LEN] != '.' ||
		    !suit_store_directory_is_hex(fn, SUIT_STORE_DIRECTORY_KEY_LEN) ||
		    !suit_store_directory_is_hex(fn + SUIT_STORE_DIRECTORY_KEY_LEN + 1,
						 SUIT_STORE_DIRECTORY_TOKEN_LEN))
			continue;
		key = g_strndup(fn, SUIT_STORE_DIRECTORY_KEY_LEN);
		token = fn + SUIT_STORE_DIRECTORY_KEY_LEN + 1;
		if (g_hash_table_contains(broken, key))
			continue;
		state = g_hash_table_lookup(states, key);
		if (state == NULL) {
			g_autoptr(GError) error_local = NULL;
			state = suit_store_directory_load_state(self, key, &error_local);
			if (state == NULL &&
			    !g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
				/* never delete images whose state cannot be read */
				g_warning("keeping the images of %s: %s",
					  key,
					  error_local->message);
				g_hash_table_add(broken, g_strdup(key));
				continue;
			}
			if (state == NULL)
				state = g_new0(SuitStoreDirectoryState, 1);
			g_hash_table_insert(states, g_strdup(key), state);
		}
		if ((state->confirmed != NULL &&
		     strncmp(token, state->confirmed, SUIT_STORE_DIRECTORY_TOKEN_LEN) == 0) ||
		    (state->pending != NULL &&
		     strncmp(token, state->pending, SUIT_STORE_DIRECTORY_TOKEN_LEN) == 0))
			continue;
		g_debug("removing orphan image %s", fn);
		if (!suit_store_directory_unlink(self, fn, error))
			return FALSE;
		changed = TRUE;
	}
	if (changed)
		return suit_store_directory_fsync_dir(self, error);
	return TRUE;
}

static gboolean
suit_store_directory_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(initable);
	g_auto(SuitStoreDirectoryLock) lock = {-1};
	struct stat st = {0};

	if (self->path == NULL || self->path[0] == '\0') {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a store directory needs a path");
		return FALSE;
	}
	if (g_stat(self->path, &st) != 0) {
		gint errsv = errno;
		if (errsv != ENOENT) {
			g_set_error(error,
				    SUIT_ERROR,
				    errsv == EACCES ? SUIT_ERROR_PERMISSION_DENIED
						    : SUIT_ERROR_INTERNAL,
				    "failed to open %s: %s",
				    self->path,
				    g_strerror(errsv));
			return FALSE;
		}
		if (g_mkdir_with_parents(self->path, 0700) != 0) {
			errsv = errno;
			g_set_error(error,
				    SUIT_ERROR,
				    errsv == EACCES ? SUIT_ERROR_PERMISSION_DENIED
						    : SUIT_ERROR_WRITE_FAILED,
				    "failed to create %s: %s",
				    self->path,
				    g_strerror(errsv));
			return FALSE;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "%s is not a directory",
			    self->path);
		return FALSE;
	}
	self->dir_fd = g_open(self->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (self->dir_fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == EACCES ? SUIT_ERROR_PERMISSION_DENIED : SUIT_ERROR_INTERNAL,
			    "failed to open %s: %s",
			    self->path,
			    g_strerror(errsv));
		return FALSE;
	}
	if (!suit_store_directory_lock(self, &lock, error))
		return FALSE;
	return suit_store_directory_clean(self, error);
}

static void
suit_store_directory_initable_iface_init(GInitableIface *iface)
{
	iface->init = suit_store_directory_initable_init;
}

static void
suit_store_directory_iface_init(SuitStoreInterface *iface)
{
	iface->begin_write = suit_store_directory_begin_write;
	iface->commit_write = suit_store_directory_commit_write;
	iface->abort_write = suit_store_directory_abort_write;
	iface->has_component = suit_store_directory_has_component;
	iface->read_component = suit_store_directory_read_component;
	iface->get_size = suit_store_directory_get_size;
	iface->get_digest = suit_store_directory_get_digest;
	iface->remove_component = suit_store_directory_remove_component;
	iface->get_image_state = suit_store_directory_get_image_state;
	iface->confirm = suit_store_directory_confirm;
	iface->begin_boot = suit_store_directory_begin_boot;
	iface->list_components = suit_store_directory_list_components;
	iface->get_sequence_number = suit_store_directory_get_sequence_number;
	iface->set_sequence_number = suit_store_directory_set_sequence_number;
}

static void
suit_store_directory_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(object);
	switch (prop_id) {
	case PROP_PATH:
		g_value_set_string(value, self->path);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_store_directory_set_property(GObject *object,
				  guint prop_id,
				  const GValue *value,
				  GParamSpec *pspec)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(object);
	switch (prop_id) {
	case PROP_PATH:
		g_free(self->path);
		self->path = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_store_directory_finalize(GObject *object)
{
	SuitStoreDirectory *self = SUIT_STORE_DIRECTORY(object);
	if (self->dir_fd >= 0)
		close(self->dir_fd);
	g_hash_table_unref(self->digest_cache);
	g_free(self->path);
	G_OBJECT_CLASS(suit_store_directory_parent_class)->finalize(object);
}

static void
suit_store_directory_class_init(SuitStoreDirectoryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->get_property = suit_store_directory_get_property;
	object_class->set_property = suit_store_directory_set_property;
	object_class->finalize = suit_store_directory_finalize;

	/**
	 * SuitStoreDirectory:path:
	 *
	 * The directory that holds the store.
	 *
	 * Since: 0.1
	 */
	props[PROP_PATH] = g_param_spec_string("path",
					       NULL,
					       NULL,
					       NULL,
					       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
						   G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
suit_store_directory_init(SuitStoreDirectory *self)
{
	self->dir_fd = -1;
	self->digest_cache =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  g_free,
				  (GDestroyNotify)suit_store_directory_cached_free);
}

/**
 * suit_store_directory_new:
 * @path: a directory
 * @error: return location for a #GError, or %NULL
 *
 * Opens the store in @path, creating the directory (mode 0700) when it does
 * not exist, and removes what an interrupted write left behind.
 *
 * Returns: (transfer full): a new #SuitStoreDirectory, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @path is not a directory,
 *   %SUIT_ERROR_PERMISSION_DENIED or %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
SuitStoreDirectory *
suit_store_directory_new(const gchar *path, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return g_initable_new(SUIT_TYPE_STORE_DIRECTORY, NULL, error, "path", path, NULL);
}

/**
 * suit_store_directory_get_path:
 * @self: a #SuitStoreDirectory
 *
 * Gets the directory of the store.
 *
 * Returns: (transfer none): a path
 *
 * Since: 0.1
 */
const gchar *
suit_store_directory_get_path(SuitStoreDirectory *self)
{
	g_return_val_if_fail(SUIT_IS_STORE_DIRECTORY(self), NULL);
	return self->path;
}
