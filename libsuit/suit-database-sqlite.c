/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "suit-database-sqlite.h"
#include "suit-error.h"

/**
 * SuitDatabaseSqlite:
 *
 * The default [iface@Database]: one SQLite file in write-ahead-log mode.
 *
 * Documents live in a table keyed by (collection, id) and their index keys
 * in a second table keyed by (collection, key, id), both without rowids, so
 * a get is one primary key lookup and a query by key is one index range scan
 * joined to the documents. The schema carries a version (`PRAGMA
 * user_version`); opening an older file upgrades it in one transaction, and
 * a file written by a newer libsuit is refused with
 * %SUIT_ERROR_NOT_SUPPORTED. A file that is not a SQLite database, or not
 * one of libsuit, is refused with %SUIT_ERROR_INVALID_DATA.
 *
 * Durability: every commit is synced to disk (`synchronous=FULL`) before it
 * returns. A process that dies with a transaction open leaves nothing of it
 * behind, and several processes may open the same file.
 *
 * Threads: writes go through one connection behind a mutex, which a
 * transaction holds from suit_database_begin() until it ends. Reads use one
 * connection per thread, so readers run in parallel and see the last
 * committed state without waiting for a writer; only the thread that owns a
 * transaction reads through the writer connection, seeing its own writes.
 *
 * See also: [iface@Database], [class@DatabaseMemory]
 *
 * Since: 0.1
 */

/* written into the header of every file ("SUIT") */
#define SUIT_DATABASE_SQLITE_APPLICATION_ID 0x53554954
/* how long to wait for another process that holds the write lock */
#define SUIT_DATABASE_SQLITE_BUSY_TIMEOUT_MS 30000
/* page caches, as SQLite's negative cache_size (KiB; the default is 2 MiB):
 * the writer reads back the documents of every check-in record it writes,
 * and with 100,000 devices a small cache made that a pread() per page */
#define SUIT_SQLITE_WRITER_CACHE_KIB -65536
#define SUIT_SQLITE_READER_CACHE_KIB -16384

/* the schema, one step per version: step i upgrades version i to i + 1 */
static const gchar *const suit_database_sqlite_migrations[] = {
    /* version 1 */
    "CREATE TABLE documents ("
    "  collection TEXT NOT NULL,"
    "  id TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  PRIMARY KEY (collection, id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE document_keys ("
    "  collection TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  id TEXT NOT NULL,"
    "  PRIMARY KEY (collection, key, id),"
    "  FOREIGN KEY (collection, id) REFERENCES documents (collection, id) ON DELETE CASCADE"
    ") WITHOUT ROWID;"
    "CREATE INDEX document_keys_by_document ON document_keys (collection, id);"
    "PRAGMA application_id = 1398098260;",
};

typedef enum {
	SUIT_SQL_GET,
	SUIT_SQL_PUT,
	SUIT_SQL_KEYS_OF,
	SUIT_SQL_DELETE_KEY,
	SUIT_SQL_INSERT_KEY,
	SUIT_SQL_REMOVE,
	SUIT_SQL_QUERY,
	SUIT_SQL_QUERY_KEY,
	SUIT_SQL_COUNT,
	SUIT_SQL_COUNT_KEY,
	SUIT_SQL_BEGIN,
	SUIT_SQL_COMMIT,
	SUIT_SQL_ROLLBACK,
	SUIT_SQL_SAVEPOINT,
	SUIT_SQL_RELEASE,
	SUIT_SQL_ROLLBACK_TO,
	SUIT_SQL_LAST
} SuitSql;

static const gchar *const suit_database_sqlite_sql[SUIT_SQL_LAST] = {
    [SUIT_SQL_GET] = "SELECT body FROM documents WHERE collection = ?1 AND id = ?2",
    [SUIT_SQL_PUT] = "INSERT INTO documents (collection, id, body) VALUES (?1, ?2, ?3) "
		     "ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body",
    [SUIT_SQL_KEYS_OF] = "SELECT key FROM document_keys WHERE collection = ?1 AND id = ?2",
    [SUIT_SQL_DELETE_KEY] = "DELETE FROM document_keys WHERE collection = ?1 AND key = ?2 AND id = ?3",
    [SUIT_SQL_INSERT_KEY] = "INSERT OR IGNORE INTO document_keys (collection, key, id) "
			    "VALUES (?1, ?2, ?3)",
    [SUIT_SQL_REMOVE] = "DELETE FROM documents WHERE collection = ?1 AND id = ?2",
    [SUIT_SQL_QUERY] = "SELECT body FROM documents WHERE collection = ?1 AND id > ?2 "
		       "ORDER BY id LIMIT ?3",
    [SUIT_SQL_QUERY_KEY] = "SELECT d.body FROM document_keys AS k "
			   "JOIN documents AS d ON d.collection = k.collection AND d.id = k.id "
			   "WHERE k.collection = ?1 AND k.key = ?2 AND k.id > ?3 "
			   "ORDER BY k.id LIMIT ?4",
    [SUIT_SQL_COUNT] = "SELECT count(*) FROM documents WHERE collection = ?1",
    [SUIT_SQL_COUNT_KEY] = "SELECT count(*) FROM document_keys WHERE collection = ?1 AND key = ?2",
    [SUIT_SQL_BEGIN] = "BEGIN IMMEDIATE",
    [SUIT_SQL_COMMIT] = "COMMIT",
    [SUIT_SQL_ROLLBACK] = "ROLLBACK",
    [SUIT_SQL_SAVEPOINT] = "SAVEPOINT suit_write",
    [SUIT_SQL_RELEASE] = "RELEASE suit_write",
    [SUIT_SQL_ROLLBACK_TO] = "ROLLBACK TO suit_write",
};

/* the read connections of one database; shared with the threads that hold
 * them, so a connection can be closed by whichever goes first: the thread
 * (when it exits) or the database (when it is finalized) */
typedef struct {
	GMutex lock;
	GPtrArray *readers; /* (element-type SuitDatabaseSqliteConnection) noref, open ones */
	gboolean closed;    /* the database was finalized */
} SuitDatabaseSqliteRegistry;

typedef struct {
	sqlite3 *handle; /* nullable: NULL once closed */
	sqlite3_stmt *statements[SUIT_SQL_LAST]; /* prepared on first use */
	SuitDatabaseSqliteRegistry *registry;	 /* ref; NULL for the writer */
} SuitDatabaseSqliteConnection;

struct _SuitDatabaseSqlite {
	GObject parent_instance;
	gchar *path;
	guint serial; /* names this database in the per-thread connection tables */
	/* held from begin to commit or rollback, and briefly by a write outside
	 * a transaction; guards @writer */
	GMutex write_lock;
	SuitDatabaseSqliteConnection *writer;
	GThread *owner; /* atomic; the thread that owns the transaction, noref */
	SuitDatabaseSqliteRegistry *registry;
};

enum { PROP_0, PROP_PATH, N_PROPS };
static GParamSpec *props[N_PROPS] = {NULL};

static void
suit_database_sqlite_iface_init(SuitDatabaseInterface *iface);
static void
suit_database_sqlite_initable_iface_init(GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitDatabaseSqlite,
			suit_database_sqlite,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_DATABASE, suit_database_sqlite_iface_init)
			    G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
						  suit_database_sqlite_initable_iface_init))

/* per thread: database serial -> SuitDatabaseSqliteConnection */
static void
suit_database_sqlite_thread_table_free(gpointer data);
static GPrivate suit_database_sqlite_thread_readers =
    G_PRIVATE_INIT(suit_database_sqlite_thread_table_free);
static guint suit_database_sqlite_next_serial = 1; /* atomic */

/* a cached statement: releasing it resets it for the next use */
typedef sqlite3_stmt SuitDatabaseSqliteCursor;

static void
suit_database_sqlite_cursor_release(SuitDatabaseSqliteCursor *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitDatabaseSqliteCursor, suit_database_sqlite_cursor_release)

static void
suit_database_sqlite_registry_clear(SuitDatabaseSqliteRegistry *registry)
{
	g_mutex_clear(&registry->lock);
	g_ptr_array_unref(registry->readers);
}

static void
suit_database_sqlite_registry_unref(SuitDatabaseSqliteRegistry *registry)
{
	g_atomic_rc_box_release_full(registry,
				     (GDestroyNotify)suit_database_sqlite_registry_clear);
}

/* maps a failed SQLite call to a SuitError: @writing tells whether the
 * storage was being changed */
static void
suit_database_sqlite_set_error(sqlite3 *handle,
			       int rc,
			       gboolean writing,
			       const gchar *what,
			       GError **error)
{
	SuitError code = SUIT_ERROR_INTERNAL;
	const gchar *message = handle != NULL ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_FORMAT:
		code = SUIT_ERROR_INVALID_DATA;
		break;
	case SQLITE_TOOBIG:
		code = SUIT_ERROR_LIMIT_EXCEEDED;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_PROTOCOL:
		code = writing ? SUIT_ERROR_WRITE_FAILED : SUIT_ERROR_INTERNAL;
		break;
	default:
		break;
	}
	g_set_error(error, SUIT_ERROR, code, "failed to %s: %s", what, message);
}

static void
suit_database_sqlite_connection_close(SuitDatabaseSqliteConnection *connection)
{
	if (connection->handle == NULL)
		return;
	for (guint i = 0; i < SUIT_SQL_LAST; i++)
		g_clear_pointer(&connection->statements[i], sqlite3_finalize);
	if (sqlite3_close(connection->handle) != SQLITE_OK)
		g_warning("failed to close the database: %s", sqlite3_errmsg(connection->handle));
	connection->handle = NULL;
}

/* the destroy notify of a thread's table: the thread exits */
static void
suit_database_sqlite_connection_free_reader(SuitDatabaseSqliteConnection *connection)
{
	SuitDatabaseSqliteRegistry *registry = connection->registry;

	g_mutex_lock(&registry->lock);
	if (!registry->closed && connection->handle != NULL) {
		g_ptr_array_remove_fast(registry->readers, connection);
		suit_database_sqlite_connection_close(connection);
	}
	g_mutex_unlock(&registry->lock);
	suit_database_sqlite_registry_unref(registry);
	g_free(connection);
}

static void
suit_database_sqlite_thread_table_free(gpointer data)
{
	g_hash_table_unref(data);
}

/* opens a connection with the settings every connection needs */
static sqlite3 *
suit_database_sqlite_open_handle(const gchar *path, int flags, GError **error)
{
	sqlite3 *handle = NULL;
	int rc = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		g_autofree gchar *what = g_strdup_printf("open %s", path);
		suit_database_sqlite_set_error(handle, rc, TRUE, what, error);
		sqlite3_close(handle);
		return NULL;
	}
	sqlite3_extended_result_codes(handle, 1);
	sqlite3_busy_timeout(handle, SUIT_DATABASE_SQLITE_BUSY_TIMEOUT_MS);
	return handle;
}

static sqlite3_stmt *
suit_database_sqlite_statement(SuitDatabaseSqliteConnection *connection,
			       SuitSql which,
			       GError **error)
{
	int rc;

	if (connection->statements[which] != NULL)
		return connection->statements[which];
	rc = sqlite3_prepare_v3(connection->handle,
				suit_database_sqlite_sql[which],
				-1,
				SQLITE_PREPARE_PERSISTENT,
				&connection->statements[which],
				NULL);
	if (rc != SQLITE_OK) {
		suit_database_sqlite_set_error(connection->handle,
					       rc,
					       FALSE,
					       "prepare a statement",
					       error);
		return NULL;
	}
	return connection->statements[which];
}

/* runs a statement that returns no rows */
static gboolean
suit_database_sqlite_run(SuitDatabaseSqliteConnection *connection,
			 SuitSql which,
			 const gchar *what,
			 GError **error)
{
	g_autoptr(SuitDatabaseSqliteCursor) stmt =
	    suit_database_sqlite_statement(connection, which, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		suit_database_sqlite_set_error(connection->handle, rc, TRUE, what, error);
		return FALSE;
	}
	return TRUE;
}

static void
suit_database_sqlite_bind_text(sqlite3_stmt *stmt, int index, const gchar *value)
{
	/* only fails for an index out of range or out of memory, which a step
	 * then reports */
	sqlite3_bind_text(stmt, index, value, -1, SQLITE_STATIC);
}

static gboolean
suit_database_sqlite_is_owner(SuitDatabaseSqlite *self)
{
	return g_atomic_pointer_get(&self->owner) == (gpointer)g_thread_self();
}

/* closes the connections in this thread's table of databases that were
 * finalized meanwhile */
static void
suit_database_sqlite_prune_thread_table(GHashTable *table)
{
	GHashTableIter iter;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, table);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		SuitDatabaseSqliteConnection *connection = value;
		gboolean closed;
		g_mutex_lock(&connection->registry->lock);
		closed = connection->registry->closed;
		g_mutex_unlock(&connection->registry->lock);
		if (closed)
			g_hash_table_iter_remove(&iter);
	}
}

/* the connection the calling thread reads through: the writer for the owner
 * of the transaction, else the thread's own read connection */
static SuitDatabaseSqliteConnection *
suit_database_sqlite_reader(SuitDatabaseSqlite *self, GError **error)
{
	GHashTable *table;
	SuitDatabaseSqliteConnection *connection;
	sqlite3 *handle;

	if (suit_database_sqlite_is_owner(self))
		return self->writer;

	table = g_private_get(&suit_database_sqlite_thread_readers);
	if (table == NULL) {
		table = g_hash_table_new_full(
		    g_direct_hash,
		    g_direct_equal,
		    NULL,
		    (GDestroyNotify)suit_database_sqlite_connection_free_reader);
		g_private_set(&suit_database_sqlite_thread_readers, table);
	}
	connection = g_hash_table_lookup(table, GUINT_TO_POINTER(self->serial));
	if (connection != NULL)
		return connection;

	suit_database_sqlite_prune_thread_table(table);
	handle = suit_database_sqlite_open_handle(self->path, SQLITE_OPEN_READWRITE, error);
	if (handle == NULL)
		return NULL;
	if (sqlite3_exec(handle,
			 "PRAGMA query_only = ON; PRAGMA cache_size = " G_STRINGIFY(SUIT_SQLITE_READER_CACHE_KIB),
			 NULL,
			 NULL,
			 NULL) != SQLITE_OK) {
		suit_database_sqlite_set_error(handle,
					       sqlite3_errcode(handle),
					       FALSE,
					       "open a read connection",
					       error);
		sqlite3_close(handle);
		return NULL;
	}
	connection = g_new0(SuitDatabaseSqliteConnection, 1);
	connection->handle = handle;
	connection->registry = g_atomic_rc_box_acquire(self->registry);
	g_mutex_lock(&self->registry->lock);
	g_ptr_array_add(self->registry->readers, connection);
	g_mutex_unlock(&self->registry->lock);
	g_hash_table_insert(table, GUINT_TO_POINTER(self->serial), connection);
	return connection;
}

/* fails when SQLite rolled back the open transaction after an error (such as
 * a full disk): nothing more may be written in it */
static gboolean
suit_database_sqlite_check_open(SuitDatabaseSqlite *self, GError **error)
{
	if (!sqlite3_get_autocommit(self->writer->handle))
		return TRUE;
	g_set_error_literal(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "the transaction was rolled back after an earlier error");
	return FALSE;
}

/* starts a write: its own transaction outside a transaction, else a
 * savepoint, so a failed write leaves no half of itself behind */
static gboolean
suit_database_sqlite_write_begin(SuitDatabaseSqlite *self, gboolean *outside, GError **error)
{
	*outside = !suit_database_sqlite_is_owner(self);
	if (!*outside) {
		if (!suit_database_sqlite_check_open(self, error))
			return FALSE;
		return suit_database_sqlite_run(self->writer,
						SUIT_SQL_SAVEPOINT,
						"start a write",
						error);
	}
	g_mutex_lock(&self->write_lock);
	if (!suit_database_sqlite_run(self->writer,
				      SUIT_SQL_BEGIN,
				      "start a transaction",
				      error)) {
		g_mutex_unlock(&self->write_lock);
		return FALSE;
	}
	return TRUE;
}

/* rolls back what is open on the writer: the whole transaction or the
 * savepoint */
static void
suit_database_sqlite_write_undo(SuitDatabaseSqlite *self, gboolean whole)
{
	/* after some errors SQLite has rolled back the transaction already */
	if (sqlite3_get_autocommit(self->writer->handle))
		return;
	if (whole) {
		if (!suit_database_sqlite_run(self->writer, SUIT_SQL_ROLLBACK, "roll back", NULL))
			g_warning("failed to roll back: %s", sqlite3_errmsg(self->writer->handle));
		return;
	}
	if (!suit_database_sqlite_run(self->writer, SUIT_SQL_ROLLBACK_TO, "roll back", NULL) ||
	    !suit_database_sqlite_run(self->writer, SUIT_SQL_RELEASE, "roll back", NULL))
		g_warning("failed to roll back a write: %s", sqlite3_errmsg(self->writer->handle));
}

/* ends a write started with write_begin(): commits it (or releases the
 * savepoint) when @ok, else undoes it */
static gboolean
suit_database_sqlite_write_end(SuitDatabaseSqlite *self,
			       gboolean outside,
			       gboolean ok,
			       GError **error)
{
	if (ok) {
		ok = suit_database_sqlite_run(self->writer,
					      outside ? SUIT_SQL_COMMIT : SUIT_SQL_RELEASE,
					      outside ? "commit" : "write",
					      error);
	}
	if (!ok)
		suit_database_sqlite_write_undo(self, outside);
	if (outside)
		g_mutex_unlock(&self->write_lock);
	return ok;
}

static gchar *
suit_database_sqlite_get(SuitDatabase *database,
			 const gchar *collection,
			 const gchar *id,
			 GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	SuitDatabaseSqliteConnection *connection = suit_database_sqlite_reader(self, error);
	g_autoptr(SuitDatabaseSqliteCursor) stmt = NULL;
	int rc;

	if (connection == NULL)
		return NULL;
	stmt = suit_database_sqlite_statement(connection, SUIT_SQL_GET, error);
	if (stmt == NULL)
		return NULL;
	suit_database_sqlite_bind_text(stmt, 1, collection);
	suit_database_sqlite_bind_text(stmt, 2, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "no document %s in collection %s",
			    id,
			    collection);
		return NULL;
	}
	if (rc != SQLITE_ROW) {
		suit_database_sqlite_set_error(connection->handle,
					       rc,
					       FALSE,
					       "read a document",
					       error);
		return NULL;
	}
	return g_strndup((const gchar *)sqlite3_column_text(stmt, 0),
			 (gsize)sqlite3_column_bytes(stmt, 0));
}

/* runs one write statement of the writer with up to three text parameters
 * (NULL: not bound); an error names @what */
static gboolean
suit_database_sqlite_write_step(SuitDatabaseSqliteConnection *writer,
				SuitSql which,
				const gchar *first,
				const gchar *second,
				const gchar *third,
				const gchar *what,
				GError **error)
{
	g_autoptr(SuitDatabaseSqliteCursor) stmt = suit_database_sqlite_statement(writer, which, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	suit_database_sqlite_bind_text(stmt, 1, first);
	suit_database_sqlite_bind_text(stmt, 2, second);
	if (third != NULL)
		suit_database_sqlite_bind_text(stmt, 3, third);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE) {
		suit_database_sqlite_set_error(writer->handle, rc, TRUE, what, error);
		return FALSE;
	}
	return TRUE;
}

/* the keys document @id has now: those in @wanted are removed from it (they
 * stay as they are), the others are added to @stale */
static gboolean
suit_database_sqlite_sort_keys(SuitDatabaseSqliteConnection *writer,
			       const gchar *collection,
			       const gchar *id,
			       GHashTable *wanted,
			       GPtrArray *stale,
			       GError **error)
{
	g_autoptr(SuitDatabaseSqliteCursor) stmt =
	    suit_database_sqlite_statement(writer, SUIT_SQL_KEYS_OF, error);
	int rc;

	if (stmt == NULL)
		return FALSE;
	suit_database_sqlite_bind_text(stmt, 1, collection);
	suit_database_sqlite_bind_text(stmt, 2, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const gchar *key = (const gchar *)sqlite3_column_text(stmt, 0);
		if (key != NULL && !g_hash_table_remove(wanted, key))
			g_ptr_array_add(stale, g_strdup(key));
	}
	if (rc != SQLITE_DONE) {
		suit_database_sqlite_set_error(writer->handle, rc, TRUE, "read the index keys", error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_database_sqlite_put_locked(SuitDatabaseSqlite *self,
				const gchar *collection,
				const gchar *id,
				const gchar *document,
				const gchar *const *keys,
				GError **error)
{
	SuitDatabaseSqliteConnection *writer = self->writer;
	g_autoptr(GHashTable) wanted = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);

	if (!suit_database_sqlite_write_step(writer, SUIT_SQL_PUT, collection, id, document,
					     "write a document", error))
		return FALSE;

	/* only the keys that change are written: most updates (a device seen
	 * again, an offer made) keep every key, and each key rewritten would
	 * dirty pages of two B-trees, at random places for random ids */
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
		g_hash_table_add(wanted, (gpointer)keys[i]);
	if (!suit_database_sqlite_sort_keys(writer, collection, id, wanted, stale, error))
		return FALSE;
	for (guint i = 0; i < stale->len; i++) {
		if (!suit_database_sqlite_write_step(writer, SUIT_SQL_DELETE_KEY, collection,
						     g_ptr_array_index(stale, i), id,
						     "remove an index key", error))
			return FALSE;
	}
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		/* once, also when @keys repeats one */
		if (!g_hash_table_remove(wanted, keys[i]))
			continue;
		if (!suit_database_sqlite_write_step(writer, SUIT_SQL_INSERT_KEY, collection, keys[i], id,
						     "write an index key", error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
suit_database_sqlite_put(SuitDatabase *database,
			 const gchar *collection,
			 const gchar *id,
			 const gchar *document,
			 const gchar *const *keys,
			 GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	gboolean outside = FALSE;
	gboolean ok;

	if (!suit_database_sqlite_write_begin(self, &outside, error))
		return FALSE;
	ok = suit_database_sqlite_put_locked(self, collection, id, document, keys, error);
	return suit_database_sqlite_write_end(self, outside, ok, ok ? error : NULL);
}

static gboolean
suit_database_sqlite_remove_locked(SuitDatabaseSqlite *self,
				   const gchar *collection,
				   const gchar *id,
				   GError **error)
{
	if (!suit_database_sqlite_write_step(self->writer, SUIT_SQL_REMOVE, collection, id, NULL,
					     "remove a document", error))
		return FALSE;
	/* the index keys go with it (ON DELETE CASCADE) */
	if (sqlite3_changes(self->writer->handle) == 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "no document %s in collection %s",
			    id,
			    collection);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_database_sqlite_remove(SuitDatabase *database,
			    const gchar *collection,
			    const gchar *id,
			    GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	gboolean outside = FALSE;
	gboolean ok;

	if (!suit_database_sqlite_write_begin(self, &outside, error))
		return FALSE;
	ok = suit_database_sqlite_remove_locked(self, collection, id, error);
	return suit_database_sqlite_write_end(self, outside, ok, ok ? error : NULL);
}

static GPtrArray *
suit_database_sqlite_query(SuitDatabase *database,
			   const gchar *collection,
			   const gchar *key,
			   const gchar *after,
			   guint limit,
			   GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	SuitDatabaseSqliteConnection *connection = suit_database_sqlite_reader(self, error);
	g_autoptr(SuitDatabaseSqliteCursor) stmt = NULL;
	g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func(g_free);
	int index = 1;
	int rc;

	if (connection == NULL)
		return NULL;
	stmt = suit_database_sqlite_statement(connection,
					      key != NULL ? SUIT_SQL_QUERY_KEY : SUIT_SQL_QUERY,
					      error);
	if (stmt == NULL)
		return NULL;
	suit_database_sqlite_bind_text(stmt, index++, collection);
	if (key != NULL)
		suit_database_sqlite_bind_text(stmt, index++, key);
	/* ids are never empty, so every id sorts after "" */
	suit_database_sqlite_bind_text(stmt, index++, after != NULL ? after : "");
	sqlite3_bind_int64(stmt, index, limit > 0 ? (sqlite3_int64)limit : -1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		g_ptr_array_add(result,
				g_strndup((const gchar *)sqlite3_column_text(stmt, 0),
					  (gsize)sqlite3_column_bytes(stmt, 0)));
	}
	if (rc != SQLITE_DONE) {
		suit_database_sqlite_set_error(connection->handle,
					       rc,
					       FALSE,
					       "query documents",
					       error);
		return NULL;
	}
	return g_steal_pointer(&result);
}

static gboolean
suit_database_sqlite_count(SuitDatabase *database,
			   const gchar *collection,
			   const gchar *key,
			   guint64 *count,
			   GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	SuitDatabaseSqliteConnection *connection = suit_database_sqlite_reader(self, error);
	g_autoptr(SuitDatabaseSqliteCursor) stmt = NULL;
	int rc;

	if (connection == NULL)
		return FALSE;
	stmt = suit_database_sqlite_statement(connection,
					      key != NULL ? SUIT_SQL_COUNT_KEY : SUIT_SQL_COUNT,
					      error);
	if (stmt == NULL)
		return FALSE;
	suit_database_sqlite_bind_text(stmt, 1, collection);
	if (key != NULL)
		suit_database_sqlite_bind_text(stmt, 2, key);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		suit_database_sqlite_set_error(connection->handle,
					       rc,
					       FALSE,
					       "count documents",
					       error);
		return FALSE;
	}
	*count = (guint64)sqlite3_column_int64(stmt, 0);
	return TRUE;
}

static gboolean
suit_database_sqlite_begin(SuitDatabase *database, GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);

	if (suit_database_sqlite_is_owner(self)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "this thread has a transaction open already");
		return FALSE;
	}
	g_mutex_lock(&self->write_lock);
	if (!suit_database_sqlite_run(self->writer,
				      SUIT_SQL_BEGIN,
				      "start a transaction",
				      error)) {
		g_mutex_unlock(&self->write_lock);
		return FALSE;
	}
	g_atomic_pointer_set(&self->owner, g_thread_self());
	return TRUE;
}

static void
suit_database_sqlite_end(SuitDatabaseSqlite *self)
{
	g_atomic_pointer_set(&self->owner, NULL);
	g_mutex_unlock(&self->write_lock);
}

static gboolean
suit_database_sqlite_commit(SuitDatabase *database, GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);
	gboolean ok;

	g_return_val_if_fail(suit_database_sqlite_is_owner(self), FALSE);

	ok = suit_database_sqlite_check_open(self, error) &&
	     suit_database_sqlite_run(self->writer, SUIT_SQL_COMMIT, "commit", error);
	if (!ok)
		suit_database_sqlite_write_undo(self, TRUE);
	suit_database_sqlite_end(self);
	return ok;
}

static void
suit_database_sqlite_rollback(SuitDatabase *database)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(database);

	g_return_if_fail(suit_database_sqlite_is_owner(self));

	suit_database_sqlite_write_undo(self, TRUE);
	suit_database_sqlite_end(self);
}

static void
suit_database_sqlite_iface_init(SuitDatabaseInterface *iface)
{
	iface->get = suit_database_sqlite_get;
	iface->put = suit_database_sqlite_put;
	iface->remove = suit_database_sqlite_remove;
	iface->query = suit_database_sqlite_query;
	iface->count = suit_database_sqlite_count;
	iface->begin = suit_database_sqlite_begin;
	iface->commit = suit_database_sqlite_commit;
	iface->rollback = suit_database_sqlite_rollback;
}

/* runs a statement of the setup that gives one integer (a PRAGMA) */
static gboolean
suit_database_sqlite_exec_int(sqlite3 *handle,
			      const gchar *sql,
			      gint64 *value,
			      const gchar *what,
			      GError **error)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			*value = sqlite3_column_int64(stmt, 0);
	}
	if (rc != SQLITE_ROW) {
		suit_database_sqlite_set_error(handle, rc, TRUE, what, error);
		sqlite3_finalize(stmt);
		return FALSE;
	}
	sqlite3_finalize(stmt);
	return TRUE;
}

static gboolean
suit_database_sqlite_exec(sqlite3 *handle, const gchar *sql, const gchar *what, GError **error)
{
	int rc = sqlite3_exec(handle, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		suit_database_sqlite_set_error(handle, rc, TRUE, what, error);
		return FALSE;
	}
	return TRUE;
}

/* checks the file is ours and reads its schema version; in a transaction */
static gboolean
suit_database_sqlite_check_schema(SuitDatabaseSqlite *self, gint64 *version, GError **error)
{
	sqlite3 *handle = self->writer->handle;
	const gint64 latest = G_N_ELEMENTS(suit_database_sqlite_migrations);
	gint64 application_id = 0;
	gint64 n_objects = 0;

	if (!suit_database_sqlite_exec_int(handle,
					   "PRAGMA user_version",
					   version,
					   "read the schema version",
					   error))
		return FALSE;
	if (!suit_database_sqlite_exec_int(handle,
					   "PRAGMA application_id",
					   &application_id,
					   "read the application id",
					   error))
		return FALSE;
	if (!suit_database_sqlite_exec_int(handle,
					   "SELECT count(*) FROM sqlite_master",
					   &n_objects,
					   "read the schema",
					   error))
		return FALSE;
	if (*version > latest) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_SUPPORTED,
			    "%s has schema version %" G_GINT64_FORMAT
			    ", newer than version %" G_GINT64_FORMAT " which this libsuit knows",
			    self->path,
			    *version,
			    latest);
		return FALSE;
	}
	if ((*version == 0 && n_objects > 0) ||
	    (*version > 0 && application_id != SUIT_DATABASE_SQLITE_APPLICATION_ID)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s is not a libsuit database",
			    self->path);
		return FALSE;
	}
	return TRUE;
}

/* brings the schema up to date; in a write transaction, so that two
 * processes opening the file at once cannot both upgrade it */
static gboolean
suit_database_sqlite_migrate(SuitDatabaseSqlite *self, GError **error)
{
	sqlite3 *handle = self->writer->handle;
	const gint64 latest = G_N_ELEMENTS(suit_database_sqlite_migrations);
	gint64 version = 0;

	if (!suit_database_sqlite_check_schema(self, &version, error))
		return FALSE;
	for (gint64 i = version; i < latest; i++) {
		g_autofree gchar *set_version = NULL;
		g_autofree gchar *what =
		    g_strdup_printf("upgrade the schema to version %" G_GINT64_FORMAT, i + 1);
		if (!suit_database_sqlite_exec(handle,
					       suit_database_sqlite_migrations[i],
					       what,
					       error))
			return FALSE;
		set_version = g_strdup_printf("PRAGMA user_version = %" G_GINT64_FORMAT, i + 1);
		if (!suit_database_sqlite_exec(handle, set_version, what, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
suit_database_sqlite_open_writer(SuitDatabaseSqlite *self, GError **error)
{
	sqlite3 *handle;
	sqlite3_stmt *stmt = NULL;
	gint64 version = 0;
	gboolean wal;
	int rc;

	handle = suit_database_sqlite_open_handle(self->path,
						  SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
						  error);
	if (handle == NULL)
		return FALSE;
	self->writer = g_new0(SuitDatabaseSqliteConnection, 1);
	self->writer->handle = handle;

	/* the first statement reads the header: a file of something else fails here */
	rc = sqlite3_prepare_v2(handle, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		g_autofree gchar *what = g_strdup_printf("open %s", self->path);
		suit_database_sqlite_set_error(handle, rc, TRUE, what, error);
		sqlite3_finalize(stmt);
		return FALSE;
	}
	wal = g_ascii_strcasecmp((const gchar *)sqlite3_column_text(stmt, 0), "wal") == 0;
	sqlite3_finalize(stmt);
	if (!wal) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_SUPPORTED,
			    "failed to open %s: write-ahead logging is not available",
			    self->path);
		return FALSE;
	}
	if (!suit_database_sqlite_exec(handle,
				       "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
				       "PRAGMA cache_size = " G_STRINGIFY(SUIT_SQLITE_WRITER_CACHE_KIB),
				       "configure the database",
				       error))
		return FALSE;

	/* usually the schema is current: a read transaction, which does not
	 * wait for a writer in another process, tells */
	if (!suit_database_sqlite_exec(handle, "BEGIN", "start a transaction", error))
		return FALSE;
	if (!suit_database_sqlite_check_schema(self, &version, error)) {
		suit_database_sqlite_write_undo(self, TRUE);
		return FALSE;
	}
	if (!suit_database_sqlite_run(self->writer, SUIT_SQL_COMMIT, "commit", error))
		return FALSE;
	if (version == G_N_ELEMENTS(suit_database_sqlite_migrations))
		return TRUE;

	if (!suit_database_sqlite_run(self->writer, SUIT_SQL_BEGIN, "start a transaction", error))
		return FALSE;
	if (!suit_database_sqlite_migrate(self, error)) {
		suit_database_sqlite_write_undo(self, TRUE);
		return FALSE;
	}
	return suit_database_sqlite_run(self->writer, SUIT_SQL_COMMIT, "commit", error);
}

static gboolean
suit_database_sqlite_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(initable);
	g_autofree gchar *dirname = NULL;

	if (self->path == NULL || self->path[0] == '\0') {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "no database path given");
		return FALSE;
	}
	if (sqlite3_threadsafe() == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_SUPPORTED,
				    "the SQLite library was built without thread support");
		return FALSE;
	}
	dirname = g_path_get_dirname(self->path);
	if (!g_file_test(dirname, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "failed to open %s: directory %s does not exist",
			    self->path,
			    dirname);
		return FALSE;
	}
	if (g_file_test(self->path, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "failed to open %s: it is a directory",
			    self->path);
		return FALSE;
	}
	return suit_database_sqlite_open_writer(self, error);
}

static void
suit_database_sqlite_initable_iface_init(GInitableIface *iface)
{
	iface->init = suit_database_sqlite_initable_init;
}

static void
suit_database_sqlite_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(object);
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
suit_database_sqlite_set_property(GObject *object,
				  guint prop_id,
				  const GValue *value,
				  GParamSpec *pspec)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(object);
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
suit_database_sqlite_finalize(GObject *object)
{
	SuitDatabaseSqlite *self = SUIT_DATABASE_SQLITE(object);
	GHashTable *table = g_private_get(&suit_database_sqlite_thread_readers);

	/* the read connection of this thread, if any */
	if (table != NULL)
		g_hash_table_remove(table, GUINT_TO_POINTER(self->serial));

	/* those of the other threads: they drop theirs later */
	g_mutex_lock(&self->registry->lock);
	self->registry->closed = TRUE;
	for (guint i = 0; i < self->registry->readers->len; i++)
		suit_database_sqlite_connection_close(g_ptr_array_index(self->registry->readers, i));
	g_ptr_array_set_size(self->registry->readers, 0);
	g_mutex_unlock(&self->registry->lock);
	suit_database_sqlite_registry_unref(self->registry);

	if (self->writer != NULL) {
		/* a transaction left open by a caller bug */
		if (g_atomic_pointer_get(&self->owner) != NULL) {
			g_warning("database finalized with a transaction open, rolling it back");
			suit_database_sqlite_write_undo(self, TRUE);
			suit_database_sqlite_end(self);
		}
		suit_database_sqlite_connection_close(self->writer);
		g_free(self->writer);
	}
	g_mutex_clear(&self->write_lock);
	g_free(self->path);
	G_OBJECT_CLASS(suit_database_sqlite_parent_class)->finalize(object);
}

static void
suit_database_sqlite_class_init(SuitDatabaseSqliteClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->get_property = suit_database_sqlite_get_property;
	object_class->set_property = suit_database_sqlite_set_property;
	object_class->finalize = suit_database_sqlite_finalize;

	/**
	 * SuitDatabaseSqlite:path:
	 *
	 * The database file.
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
suit_database_sqlite_init(SuitDatabaseSqlite *self)
{
	g_mutex_init(&self->write_lock);
	self->serial = (guint)g_atomic_int_add(&suit_database_sqlite_next_serial, 1);
	self->registry = g_atomic_rc_box_new0(SuitDatabaseSqliteRegistry);
	g_mutex_init(&self->registry->lock);
	self->registry->readers = g_ptr_array_new();
}

/**
 * suit_database_sqlite_new:
 * @path: the database file
 * @error: return location for a #GError, or %NULL
 *
 * Opens the database in @path, creating the file when it does not exist
 * (its directory must exist) and upgrading its schema when it was written
 * by an older libsuit.
 *
 * Returns: (transfer full): a new #SuitDatabaseSqlite, or %NULL with
 *   %SUIT_ERROR_NOT_FOUND when the directory does not exist,
 *   %SUIT_ERROR_INVALID_ARGUMENT when @path is a directory,
 *   %SUIT_ERROR_INVALID_DATA when the file is not a libsuit database,
 *   %SUIT_ERROR_NOT_SUPPORTED when a newer libsuit wrote it, or
 *   %SUIT_ERROR_WRITE_FAILED when it cannot be opened for writing
 *
 * Since: 0.1
 **/
SuitDatabaseSqlite *
suit_database_sqlite_new(const gchar *path, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return g_initable_new(SUIT_TYPE_DATABASE_SQLITE, NULL, error, "path", path, NULL);
}

/**
 * suit_database_sqlite_get_path:
 * @self: a #SuitDatabaseSqlite
 *
 * Gets the database file.
 *
 * Returns: (transfer none): a path
 *
 * Since: 0.1
 **/
const gchar *
suit_database_sqlite_get_path(SuitDatabaseSqlite *self)
{
	g_return_val_if_fail(SUIT_IS_DATABASE_SQLITE(self), NULL);
	return self->path;
}
