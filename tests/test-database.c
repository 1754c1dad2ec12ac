/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suit-test-common.h"

/* the same behaviour tests run on every backend through SuitDatabase */
typedef enum {
	BACKEND_MEMORY,
	BACKEND_SQLITE,
} Backend;

typedef struct {
	Backend backend;
	gchar *tmpdir;
	gchar *path; /* sqlite: tmpdir/suit.db */
	SuitDatabase *db;
} Fixture;

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *fn;
	if (dir != NULL) {
		while ((fn = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, fn, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				rm_rf(child);
			else
				g_unlink(child);
		}
	}
	g_rmdir(path);
}

static SuitDatabase *
open_sqlite(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	SuitDatabaseSqlite *db = suit_database_sqlite_new(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(db);
	return SUIT_DATABASE(db);
}

static void
fixture_setup(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fixture->backend = GPOINTER_TO_INT(user_data);
	fixture->tmpdir = g_dir_make_tmp("suit-database-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->path = g_build_filename(fixture->tmpdir, "suit.db", NULL);
	if (fixture->backend == BACKEND_MEMORY)
		fixture->db = SUIT_DATABASE(suit_database_memory_new());
	else
		fixture->db = open_sqlite(fixture->path);
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->db);
	rm_rf(fixture->tmpdir);
	g_free(fixture->tmpdir);
	g_free(fixture->path);
}

static void
put(SuitDatabase *db,
    const gchar *collection,
    const gchar *id,
    const gchar *body,
    const gchar *const *keys)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(suit_database_put(db, collection, id, body, keys, &error));
	g_assert_no_error(error);
}

/* the document of @id, or NULL when it is not found */
static gchar *
get_or_null(SuitDatabase *db, const gchar *collection, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	gchar *body = suit_database_get(db, collection, id, &error);
	if (body == NULL) {
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		return NULL;
	}
	g_assert_no_error(error);
	return body;
}

static guint64
count(SuitDatabase *db, const gchar *collection, const gchar *key)
{
	g_autoptr(GError) error = NULL;
	guint64 n = G_MAXUINT64;
	g_assert_true(suit_database_count(db, collection, key, &n, &error));
	g_assert_no_error(error);
	return n;
}

/* the query result joined with "," */
static gchar *
query(SuitDatabase *db, const gchar *collection, const gchar *key, const gchar *after, guint limit)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) docs = suit_database_query(db, collection, key, after, limit, &error);
	g_assert_no_error(error);
	g_assert_nonnull(docs);
	g_ptr_array_add(docs, NULL);
	return g_strjoinv(",", (gchar **)docs->pdata);
}

static void
test_put_get(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"tag:lab", NULL};
	g_autofree gchar *body1 = NULL;
	g_autofree gchar *body2 = NULL;
	g_autofree gchar *other = NULL;
	g_autofree gchar *unicode = NULL;

	put(fixture->db, "devices", "d1", "{\"v\":1}", keys);
	body1 = get_or_null(fixture->db, "devices", "d1");
	g_assert_cmpstr(body1, ==, "{\"v\":1}");

	/* replace */
	put(fixture->db, "devices", "d1", "{\"v\":2}", NULL);
	body2 = get_or_null(fixture->db, "devices", "d1");
	g_assert_cmpstr(body2, ==, "{\"v\":2}");
	g_assert_cmpuint(count(fixture->db, "devices", NULL), ==, 1);

	/* collections are separate */
	put(fixture->db, "campaigns", "d1", "{\"campaign\":true}", NULL);
	other = get_or_null(fixture->db, "campaigns", "d1");
	g_assert_cmpstr(other, ==, "{\"campaign\":true}");
	g_assert_cmpuint(count(fixture->db, "devices", NULL), ==, 1);

	/* text is kept byte for byte, an empty document too */
	put(fixture->db, "devices", "d\xc3\xa4", "\xe2\x9c\x93 \t\n", NULL);
	unicode = get_or_null(fixture->db, "devices", "d\xc3\xa4");
	g_assert_cmpstr(unicode, ==, "\xe2\x9c\x93 \t\n");
	put(fixture->db, "devices", "empty", "", NULL);
	g_free(unicode);
	unicode = get_or_null(fixture->db, "devices", "empty");
	g_assert_cmpstr(unicode, ==, "");
}

static void
test_not_found(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;

	body = suit_database_get(fixture->db, "devices", "missing", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(body);
	g_clear_error(&error);
	g_assert_false(suit_database_remove(fixture->db, "devices", "missing", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	put(fixture->db, "devices", "d1", "{}", NULL);
	body = suit_database_get(fixture->db, "other", "d1", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(body);
	g_clear_error(&error);

	/* empty results are not errors */
	g_assert_cmpuint(count(fixture->db, "other", NULL), ==, 0);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:none"), ==, 0);
	body = query(fixture->db, "other", NULL, NULL, 0);
	g_assert_cmpstr(body, ==, "");
}

/* the documents of @collection with @key, as query() gives them */
static void
assert_query(SuitDatabase *db, const gchar *collection, const gchar *key, const gchar *expected)
{
	g_autofree gchar *result = query(db, collection, key, NULL, 0);
	g_assert_cmpstr(result, ==, expected);
}

static void
test_keys(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys_ab[] = {"tag:a", "tag:b", NULL};
	const gchar *keys_c[] = {"tag:c", NULL};
	const gchar *keys_dup[] = {"tag:c", "tag:c", "tag:a", NULL};
	const gchar *keys_bc[] = {"tag:b", "tag:c", NULL};
	const gchar *keys_cbb[] = {"tag:c", "tag:b", "tag:b", NULL};

	put(fixture->db, "devices", "d1", "1", keys_ab);
	put(fixture->db, "devices", "d2", "2", keys_c);
	assert_query(fixture->db, "devices", "tag:a", "1");
	assert_query(fixture->db, "devices", "tag:c", "2");

	/* a put replaces all keys */
	put(fixture->db, "devices", "d1", "1b", keys_c);
	assert_query(fixture->db, "devices", "tag:a", "");
	g_assert_cmpuint(count(fixture->db, "devices", "tag:a"), ==, 0);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:b"), ==, 0);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 2);
	assert_query(fixture->db, "devices", "tag:c", "1b,2");

	/* duplicate keys count once */
	put(fixture->db, "devices", "d3", "3", keys_dup);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 3);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:a"), ==, 1);
	assert_query(fixture->db, "devices", "tag:c", "1b,2,3");

	/* keys belong to one collection */
	put(fixture->db, "campaigns", "x", "x", keys_c);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 3);
	g_assert_cmpuint(count(fixture->db, "campaigns", "tag:c"), ==, 1);

	/* no keys at all */
	put(fixture->db, "devices", "d3", "3b", NULL);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 2);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:a"), ==, 0);

	/* keys that overlap: the common one stays, the others come and go */
	put(fixture->db, "devices", "d4", "4", keys_ab);
	put(fixture->db, "devices", "d4", "4b", keys_bc);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:a"), ==, 0);
	assert_query(fixture->db, "devices", "tag:b", "4b");
	assert_query(fixture->db, "devices", "tag:c", "1b,2,4b");

	/* the same keys again: the body changes, the keys stay */
	put(fixture->db, "devices", "d4", "4c", keys_bc);
	assert_query(fixture->db, "devices", "tag:b", "4c");
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 3);

	/* the same keys in another order, with a repeat */
	put(fixture->db, "devices", "d4", "4d", keys_cbb);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:b"), ==, 1);
	g_assert_cmpuint(count(fixture->db, "devices", "tag:c"), ==, 3);
}

static void
test_query_order(Fixture *fixture, gconstpointer user_data)
{
	/* in insertion order; bytewise: "B" < "Z" < "a" < "a1" < "a10" < "a2" < "z" < "ä" */
	const gchar *ids[] = {"a2", "\xc3\xa4", "a10", "Z", "a", "z", "B", "a1", NULL};
	const gchar *even[] = {"even", NULL};
	const gchar *odd[] = {"odd", NULL};
	g_autoptr(GString) paged = g_string_new(NULL);
	g_autofree gchar *last = NULL;
	g_autofree gchar *result = NULL;

	for (guint i = 0; ids[i] != NULL; i++)
		put(fixture->db, "c", ids[i], ids[i], i % 2 == 0 ? even : odd);
	put(fixture->db, "b", "0", "other collection", NULL);
	put(fixture->db, "d", "0", "other collection", NULL);

	result = query(fixture->db, "c", NULL, NULL, 0);
	g_assert_cmpstr(result, ==, "B,Z,a,a1,a10,a2,z,\xc3\xa4");
	g_free(result);
	result = query(fixture->db, "c", "even", NULL, 0);
	g_assert_cmpstr(result, ==, "B,a,a10,a2");
	g_free(result);
	result = query(fixture->db, "c", "odd", NULL, 0);
	g_assert_cmpstr(result, ==, "Z,a1,z,\xc3\xa4");

	/* after: strictly greater, need not exist */
	g_free(result);
	result = query(fixture->db, "c", NULL, "a1", 0);
	g_assert_cmpstr(result, ==, "a10,a2,z,\xc3\xa4");
	g_free(result);
	result = query(fixture->db, "c", NULL, "a0", 0);
	g_assert_cmpstr(result, ==, "a1,a10,a2,z,\xc3\xa4");
	g_free(result);
	result = query(fixture->db, "c", NULL, "", 0);
	g_assert_cmpstr(result, ==, "B,Z,a,a1,a10,a2,z,\xc3\xa4");
	g_free(result);
	result = query(fixture->db, "c", NULL, "\xc3\xa4", 0);
	g_assert_cmpstr(result, ==, "");
	g_free(result);
	result = query(fixture->db, "c", "even", "a", 0);
	g_assert_cmpstr(result, ==, "a10,a2");

	/* limit */
	g_free(result);
	result = query(fixture->db, "c", NULL, NULL, 3);
	g_assert_cmpstr(result, ==, "B,Z,a");
	g_free(result);
	result = query(fixture->db, "c", "odd", "B", 2);
	g_assert_cmpstr(result, ==, "Z,a1");
	g_free(result);
	result = query(fixture->db, "c", "odd", NULL, 100);
	g_assert_cmpstr(result, ==, "Z,a1,z,\xc3\xa4");

	/* paging through everything, three at a time */
	while (TRUE) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) page =
		    suit_database_query(fixture->db, "c", NULL, last, 3, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(page->len, <=, 3);
		if (page->len == 0)
			break;
		for (guint i = 0; i < page->len; i++) {
			if (paged->len > 0)
				g_string_append_c(paged, ',');
			g_string_append(paged, g_ptr_array_index(page, i));
		}
		g_free(last);
		last = g_strdup(g_ptr_array_index(page, page->len - 1)); /* body == id here */
	}
	g_assert_cmpstr(paged->str, ==, "B,Z,a,a1,a10,a2,z,\xc3\xa4");
}

static void
test_count_remove(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"k", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *result = NULL;
	g_autofree gchar *body = NULL;

	for (guint i = 0; i < 10; i++) {
		g_autofree gchar *id = g_strdup_printf("id%02u", i);
		put(fixture->db, "c", id, id, i < 4 ? keys : NULL);
	}
	g_assert_cmpuint(count(fixture->db, "c", NULL), ==, 10);
	g_assert_cmpuint(count(fixture->db, "c", "k"), ==, 4);

	g_assert_true(suit_database_remove(fixture->db, "c", "id01", &error));
	g_assert_no_error(error);
	g_assert_true(suit_database_remove(fixture->db, "c", "id09", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(count(fixture->db, "c", NULL), ==, 8);
	g_assert_cmpuint(count(fixture->db, "c", "k"), ==, 3);
	result = query(fixture->db, "c", "k", NULL, 0);
	g_assert_cmpstr(result, ==, "id00,id02,id03");
	body = get_or_null(fixture->db, "c", "id01");
	g_assert_null(body);

	/* a removed document is gone, a second remove fails */
	g_assert_false(suit_database_remove(fixture->db, "c", "id01", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* put again after remove */
	put(fixture->db, "c", "id01", "back", keys);
	g_assert_cmpuint(count(fixture->db, "c", "k"), ==, 4);
}

static void
test_invalid_arguments(Fixture *fixture, gconstpointer user_data)
{
	const gchar *empty_key[] = {"ok", "", NULL};
	const gchar *bad_key[] = {"\xff", NULL};
	g_autofree gchar *long_id = g_strnfill(513, 'x');
	g_autofree gchar *max_id = g_strnfill(512, 'x');
	g_autofree gchar *long_key = g_strnfill(1025, 'k');
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	guint64 n = 0;
	struct {
		const gchar *collection;
		const gchar *id;
		const gchar *document;
		const gchar *const *keys;
	} bad[] = {
	    {"", "id", "{}", NULL},
	    {"c", "", "{}", NULL},
	    {"c", long_id, "{}", NULL},
	    {"c", "id", "{\"a\":\"\xc3\x28\"}", NULL},
	    {"c", "\xc3\x28", "{}", NULL},
	    {"\xff", "id", "{}", NULL},
	    {"c", "id", "{}", empty_key},
	    {"c", "id", "{}", bad_key},
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		const gchar *const long_keys[] = {long_key, NULL};
		g_assert_false(suit_database_put(fixture->db,
						 bad[i].collection,
						 bad[i].id,
						 bad[i].document,
						 bad[i].keys,
						 &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
		g_assert_false(
		    suit_database_put(fixture->db, "c", "id", "{}", long_keys, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_assert_cmpuint(count(fixture->db, "c", NULL), ==, 0);

	/* the longest id is fine */
	put(fixture->db, "c", max_id, "{}", NULL);
	body = get_or_null(fixture->db, "c", max_id);
	g_assert_cmpstr(body, ==, "{}");
	g_clear_pointer(&body, g_free);

	body = suit_database_get(fixture->db, "c", long_id, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(body);
	g_clear_error(&error);
	body = suit_database_get(fixture->db, "", "id", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_database_remove(fixture->db, "c", "", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	docs = suit_database_query(fixture->db, "c", "", NULL, 0, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(docs);
	g_clear_error(&error);
	docs = suit_database_query(fixture->db, "", NULL, NULL, 0, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	docs = suit_database_query(fixture->db, "c", NULL, "\xfe", 0, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_database_count(fixture->db, "c", "\xfe", &n, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_database_count(fixture->db, "", NULL, &n, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
}

typedef struct {
	SuitDatabase *db;
	gchar *x;    /* what "x" reads as */
	gchar *y;    /* what "y" reads as */
	gchar *list; /* the query of "t" */
	guint64 n;   /* count of "t" with key "k" */
} Snapshot;

static gpointer
snapshot_thread(gpointer user_data)
{
	Snapshot *snap = user_data;
	snap->x = get_or_null(snap->db, "t", "x");
	snap->y = get_or_null(snap->db, "t", "y");
	snap->list = query(snap->db, "t", NULL, NULL, 0);
	snap->n = count(snap->db, "t", "k");
	return NULL;
}

/* reads x, y, the list and the count in another thread (which must not block) */
static void
snapshot_other_thread(SuitDatabase *db, Snapshot *snap)
{
	GThread *thread;
	memset(snap, 0, sizeof(*snap));
	snap->db = db;
	thread = g_thread_new("reader", snapshot_thread, snap);
	g_thread_join(thread);
}

static void
snapshot_clear(Snapshot *snap)
{
	g_free(snap->x);
	g_free(snap->y);
	g_free(snap->list);
}

static void
test_transaction(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"k", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *x = NULL;
	g_autofree gchar *y = NULL;
	g_autofree gchar *list = NULL;
	Snapshot snap;

	put(fixture->db, "t", "w", "w", keys);
	put(fixture->db, "t", "y", "y", keys);

	/* the owner sees its writes; another thread sees the committed state */
	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	put(fixture->db, "t", "x", "x", keys);
	put(fixture->db, "t", "a", "a", NULL);
	g_assert_true(suit_database_remove(fixture->db, "t", "y", &error));
	g_assert_no_error(error);
	put(fixture->db, "t", "w", "w2", NULL); /* loses its key */
	/* removing what this transaction removed already */
	g_assert_false(suit_database_remove(fixture->db, "t", "y", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	x = get_or_null(fixture->db, "t", "x");
	g_assert_cmpstr(x, ==, "x");
	y = get_or_null(fixture->db, "t", "y");
	g_assert_null(y);
	list = query(fixture->db, "t", NULL, NULL, 0);
	g_assert_cmpstr(list, ==, "a,w2,x");
	g_clear_pointer(&list, g_free);
	list = query(fixture->db, "t", "k", NULL, 0);
	g_assert_cmpstr(list, ==, "x");
	g_clear_pointer(&list, g_free);
	list = query(fixture->db, "t", NULL, "a", 2);
	g_assert_cmpstr(list, ==, "w2,x");
	g_clear_pointer(&list, g_free);
	g_assert_cmpuint(count(fixture->db, "t", "k"), ==, 1);
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 3);

	snapshot_other_thread(fixture->db, &snap);
	g_assert_null(snap.x);
	g_assert_cmpstr(snap.y, ==, "y");
	g_assert_cmpstr(snap.list, ==, "w,y");
	g_assert_cmpuint(snap.n, ==, 2);
	snapshot_clear(&snap);

	g_assert_true(suit_database_commit(fixture->db, &error));
	g_assert_no_error(error);

	snapshot_other_thread(fixture->db, &snap);
	g_assert_cmpstr(snap.x, ==, "x");
	g_assert_null(snap.y);
	g_assert_cmpstr(snap.list, ==, "a,w2,x");
	g_assert_cmpuint(snap.n, ==, 1);
	snapshot_clear(&snap);

	/* rollback discards everything */
	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	put(fixture->db, "t", "y", "y3", keys);
	put(fixture->db, "t", "x", "x3", NULL);
	g_assert_true(suit_database_remove(fixture->db, "t", "a", &error));
	g_assert_no_error(error);
	list = query(fixture->db, "t", NULL, NULL, 0);
	g_assert_cmpstr(list, ==, "w2,x3,y3");
	g_clear_pointer(&list, g_free);
	suit_database_rollback(fixture->db);

	list = query(fixture->db, "t", NULL, NULL, 0);
	g_assert_cmpstr(list, ==, "a,w2,x");
	g_clear_pointer(&list, g_free);
	g_assert_cmpuint(count(fixture->db, "t", "k"), ==, 1);
	snapshot_other_thread(fixture->db, &snap);
	g_assert_cmpstr(snap.list, ==, "a,w2,x");
	snapshot_clear(&snap);

	/* an empty transaction */
	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	g_assert_true(suit_database_commit(fixture->db, &error));
	g_assert_no_error(error);
}

static void
test_nested_begin(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;

	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	put(fixture->db, "t", "x", "x", NULL);
	g_assert_false(suit_database_begin(fixture->db, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	/* the outer transaction is still open and intact */
	body = get_or_null(fixture->db, "t", "x");
	g_assert_cmpstr(body, ==, "x");
	g_assert_true(suit_database_commit(fixture->db, &error));
	g_assert_no_error(error);
	g_clear_pointer(&body, g_free);
	body = get_or_null(fixture->db, "t", "x");
	g_assert_cmpstr(body, ==, "x");

	/* and a new one can start */
	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	suit_database_rollback(fixture->db);
}

typedef struct {
	SuitDatabase *db;
	gint done; /* atomic */
} Waiter;

static gpointer
waiting_writer_thread(gpointer user_data)
{
	Waiter *waiter = user_data;
	put(waiter->db, "t", "late", "late", NULL);
	g_atomic_int_set(&waiter->done, 1);
	return NULL;
}

static gpointer
waiting_begin_thread(gpointer user_data)
{
	Waiter *waiter = user_data;
	g_autoptr(GError) error = NULL;
	g_assert_true(suit_database_begin(waiter->db, &error));
	g_assert_no_error(error);
	g_atomic_int_set(&waiter->done, 1);
	put(waiter->db, "t", "second", "second", NULL);
	g_assert_true(suit_database_commit(waiter->db, &error));
	g_assert_no_error(error);
	return NULL;
}

/* writes of other threads wait for the open transaction */
static void
test_writer_waits(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;
	Waiter waiter = {fixture->db, 0};
	Waiter beginner = {fixture->db, 0};
	GThread *thread;
	GThread *thread2;

	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	put(fixture->db, "t", "first", "first", NULL);
	thread = g_thread_new("writer", waiting_writer_thread, &waiter);
	thread2 = g_thread_new("beginner", waiting_begin_thread, &beginner);
	g_usleep(100 * 1000);
	g_assert_cmpint(g_atomic_int_get(&waiter.done), ==, 0);
	g_assert_cmpint(g_atomic_int_get(&beginner.done), ==, 0);
	body = get_or_null(fixture->db, "t", "late");
	g_assert_null(body);
	g_assert_true(suit_database_commit(fixture->db, &error));
	g_assert_no_error(error);
	g_thread_join(thread);
	g_thread_join(thread2);
	g_assert_cmpint(g_atomic_int_get(&waiter.done), ==, 1);
	g_assert_cmpint(g_atomic_int_get(&beginner.done), ==, 1);
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 3);
}

#define CONCURRENT_READERS	4
#define CONCURRENT_TRANSACTIONS 40

typedef struct {
	SuitDatabase *db;
	gint stop; /* atomic */
	gint reads; /* atomic */
} Concurrent;

/* every transaction writes two documents with key "pair": a reader must
 * never see an odd number */
static gpointer
concurrent_reader_thread(gpointer user_data)
{
	Concurrent *shared = user_data;
	guint64 last = 0;
	do {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) docs = NULL;
		guint64 n = count(shared->db, "c", "pair");
		g_assert_cmpuint(n % 2, ==, 0);
		g_assert_cmpuint(n, >=, last);
		last = n;
		docs = suit_database_query(shared->db, "c", "pair", NULL, 0, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(docs->len % 2, ==, 0);
		g_assert_cmpuint(docs->len, >=, n);
		g_atomic_int_inc(&shared->reads);
	} while (!g_atomic_int_get(&shared->stop));
	return NULL;
}

static gpointer
concurrent_writer_thread(gpointer user_data)
{
	Concurrent *shared = user_data;
	const gchar *keys[] = {"pair", NULL};

	/* start once the readers are reading */
	while (g_atomic_int_get(&shared->reads) == 0)
		g_usleep(1000);
	for (guint i = 0; i < CONCURRENT_TRANSACTIONS; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *a = g_strdup_printf("%04u-a", i);
		g_autofree gchar *b = g_strdup_printf("%04u-b", i);
		g_assert_true(suit_database_begin(shared->db, &error));
		g_assert_no_error(error);
		put(shared->db, "c", a, a, keys);
		if (i % 5 == 4) {
			/* some get rolled back */
			suit_database_rollback(shared->db);
			continue;
		}
		put(shared->db, "c", b, b, keys);
		g_assert_true(suit_database_commit(shared->db, &error));
		g_assert_no_error(error);
	}
	return NULL;
}

static void
test_concurrent(Fixture *fixture, gconstpointer user_data)
{
	Concurrent shared = {fixture->db, 0, 0};
	GThread *readers[CONCURRENT_READERS] = {NULL};
	GThread *writer;

	for (guint i = 0; i < CONCURRENT_READERS; i++)
		readers[i] = g_thread_new("reader", concurrent_reader_thread, &shared);
	writer = g_thread_new("writer", concurrent_writer_thread, &shared);
	g_thread_join(writer);
	g_atomic_int_set(&shared.stop, 1);
	for (guint i = 0; i < CONCURRENT_READERS; i++)
		g_thread_join(readers[i]);
	g_assert_cmpint(g_atomic_int_get(&shared.reads), >=, CONCURRENT_READERS);
	g_test_message("%d reads during %d transactions",
		       g_atomic_int_get(&shared.reads),
		       CONCURRENT_TRANSACTIONS);
	g_assert_cmpuint(count(fixture->db, "c", "pair"),
			 ==,
			 2 * (CONCURRENT_TRANSACTIONS - CONCURRENT_TRANSACTIONS / 5));
}

/* a backend that implements nothing */
#define TEST_TYPE_DATABASE_EMPTY (test_database_empty_get_type())
G_DECLARE_FINAL_TYPE(TestDatabaseEmpty, test_database_empty, TEST, DATABASE_EMPTY, GObject)
struct _TestDatabaseEmpty {
	GObject parent_instance;
};
static void
test_database_empty_iface_init(SuitDatabaseInterface *iface)
{
}
G_DEFINE_TYPE_WITH_CODE(TestDatabaseEmpty,
			test_database_empty,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_DATABASE, test_database_empty_iface_init))
static void
test_database_empty_class_init(TestDatabaseEmptyClass *klass)
{
}
static void
test_database_empty_init(TestDatabaseEmpty *self)
{
}

static void
test_not_supported(void)
{
	g_autoptr(SuitDatabase) db = g_object_new(TEST_TYPE_DATABASE_EMPTY, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	guint64 n = 0;

	body = suit_database_get(db, "c", "id", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(body);
	g_clear_error(&error);
	g_assert_false(suit_database_put(db, "c", "id", "{}", NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_database_remove(db, "c", "id", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	docs = suit_database_query(db, "c", NULL, NULL, 0, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(docs);
	g_clear_error(&error);
	g_assert_false(suit_database_count(db, "c", NULL, &n, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_database_begin(db, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_database_commit(db, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	suit_database_rollback(db);

	/* argument checks come first */
	g_assert_false(suit_database_put(db, "", "id", "{}", NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
}

/* SQLite only */

static void
test_sqlite_reopen(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"tag:a", "tag:b", NULL};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *list = NULL;

	g_assert_cmpstr(suit_database_sqlite_get_path(SUIT_DATABASE_SQLITE(fixture->db)),
			==,
			fixture->path);
	put(fixture->db, "devices", "d1", "{\"n\":1}", keys);
	put(fixture->db, "devices", "d2", "{\"n\":2}", NULL);
	put(fixture->db, "devices", "d3", "{\"n\":3}", keys);
	g_assert_true(suit_database_remove(fixture->db, "devices", "d3", &error));
	g_assert_no_error(error);
	g_assert_true(suit_database_begin(fixture->db, &error));
	g_assert_no_error(error);
	put(fixture->db, "campaigns", "c1", "{}", keys);
	g_assert_true(suit_database_commit(fixture->db, &error));
	g_assert_no_error(error);
	g_clear_object(&fixture->db);

	fixture->db = open_sqlite(fixture->path);
	body = get_or_null(fixture->db, "devices", "d1");
	g_assert_cmpstr(body, ==, "{\"n\":1}");
	list = query(fixture->db, "devices", NULL, NULL, 0);
	g_assert_cmpstr(list, ==, "{\"n\":1},{\"n\":2}");
	g_assert_cmpuint(count(fixture->db, "devices", "tag:b"), ==, 1);
	g_assert_cmpuint(count(fixture->db, "campaigns", "tag:a"), ==, 1);

	/* twice open at once: both work on the same file */
	{
		g_autoptr(SuitDatabase) second = open_sqlite(fixture->path);
		g_autofree gchar *seen = NULL;
		put(second, "devices", "d4", "{\"n\":4}", NULL);
		seen = get_or_null(fixture->db, "devices", "d4");
		g_assert_cmpstr(seen, ==, "{\"n\":4}");
	}
}

static void
test_sqlite_fork_commit(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"tag:child", NULL};
	g_autofree gchar *body = NULL;
	int status = 0;
	pid_t pid;

	put(fixture->db, "t", "parent", "parent", NULL);
	g_clear_object(&fixture->db);

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		/* the child commits, then dies without closing anything */
		g_autoptr(GError) error = NULL;
		SuitDatabaseSqlite *db = suit_database_sqlite_new(fixture->path, &error);
		if (db == NULL)
			_exit(2);
		if (!suit_database_begin(SUIT_DATABASE(db), &error))
			_exit(3);
		if (!suit_database_put(SUIT_DATABASE(db), "t", "child", "child", keys, &error))
			_exit(4);
		if (!suit_database_commit(SUIT_DATABASE(db), &error))
			_exit(5);
		if (!suit_database_put(SUIT_DATABASE(db), "t", "child2", "child2", NULL, &error))
			_exit(6);
		_exit(0);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);

	fixture->db = open_sqlite(fixture->path);
	body = get_or_null(fixture->db, "t", "child");
	g_assert_cmpstr(body, ==, "child");
	g_clear_pointer(&body, g_free);
	body = get_or_null(fixture->db, "t", "child2");
	g_assert_cmpstr(body, ==, "child2");
	g_assert_cmpuint(count(fixture->db, "t", "tag:child"), ==, 1);
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 3);
}

static void
test_sqlite_kill_in_transaction(Fixture *fixture, gconstpointer user_data)
{
	const gchar *keys[] = {"tag:killed", NULL};
	g_autofree gchar *body = NULL;
	int fds[2] = {-1, -1};
	int status = 0;
	char ready = 0;
	pid_t pid;

	/* SQLite connections must not cross a fork: open none while forking */
	put(fixture->db, "t", "before", "before", NULL);
	g_clear_object(&fixture->db);
	g_assert_cmpint(pipe(fds), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		/* the child writes a lot in a transaction and waits to be killed */
		g_autoptr(GError) error = NULL;
		g_autofree gchar *big = g_strnfill(64 * 1024, 'x');
		SuitDatabaseSqlite *db = NULL;
		close(fds[0]);
		/* never outlive a parent that failed before killing this child */
		alarm(60);
		db = suit_database_sqlite_new(fixture->path, &error);
		if (db == NULL)
			_exit(2);
		if (!suit_database_begin(SUIT_DATABASE(db), &error))
			_exit(3);
		for (guint i = 0; i < 200; i++) {
			g_autofree gchar *id = g_strdup_printf("killed%03u", i);
			if (!suit_database_put(SUIT_DATABASE(db), "t", id, big, keys, &error))
				_exit(4);
		}
		if (!suit_database_remove(SUIT_DATABASE(db), "t", "before", &error))
			_exit(5);
		if (write(fds[1], "r", 1) != 1)
			_exit(6);
		while (TRUE)
			pause();
	}
	close(fds[1]);
	g_assert_cmpint(read(fds[0], &ready, 1), ==, 1);
	close(fds[0]);
	g_assert_cmpint(ready, ==, 'r');

	/* while the child holds its transaction open, readers see none of it */
	fixture->db = open_sqlite(fixture->path);
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 1);
	g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFSIGNALED(status));

	/* the open connection and a new one see nothing of it, and can write */
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 1);
	g_clear_object(&fixture->db);
	fixture->db = open_sqlite(fixture->path);
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 1);
	g_assert_cmpuint(count(fixture->db, "t", "tag:killed"), ==, 0);
	body = get_or_null(fixture->db, "t", "before");
	g_assert_cmpstr(body, ==, "before");
	put(fixture->db, "t", "after", "after", keys);
	g_assert_cmpuint(count(fixture->db, "t", "tag:killed"), ==, 1);
}

/* a full disk (a file size limit here) fails a write with WRITE_FAILED and
 * leaves the database as it was and usable */
static void
test_sqlite_write_failed(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *body = NULL;
	int status = 0;
	pid_t pid;

	put(fixture->db, "t", "old", "old", NULL);
	g_clear_object(&fixture->db);

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		struct rlimit limit = {.rlim_cur = 1024 * 1024, .rlim_max = 1024 * 1024};
		g_autoptr(GError) error = NULL;
		g_autofree gchar *big = g_strnfill(4 * 1024 * 1024, 'b');
		SuitDatabase *db = NULL;

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
			_exit(10);
		db = SUIT_DATABASE(suit_database_sqlite_new(fixture->path, &error));
		if (db == NULL)
			_exit(11);
		/* on its own */
		if (suit_database_put(db, "t", "big", big, NULL, &error))
			_exit(12);
		if (!g_error_matches(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED))
			_exit(13);
		g_clear_error(&error);
		/* in a transaction: the put or the commit fails */
		if (!suit_database_begin(db, &error))
			_exit(14);
		if (suit_database_put(db, "t", "big", big, NULL, &error)) {
			if (suit_database_commit(db, &error))
				_exit(15);
		} else {
			suit_database_rollback(db);
		}
		if (!g_error_matches(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED))
			_exit(16);
		g_clear_error(&error);
		/* still usable */
		if (!suit_database_put(db, "t", "small", "small", NULL, &error))
			_exit(17);
		g_object_unref(db);
		_exit(0);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);

	fixture->db = open_sqlite(fixture->path);
	body = get_or_null(fixture->db, "t", "big");
	g_assert_null(body);
	body = get_or_null(fixture->db, "t", "small");
	g_assert_cmpstr(body, ==, "small");
	g_assert_cmpuint(count(fixture->db, "t", NULL), ==, 2);
}

static void
set_user_version(const gchar *path, gint version)
{
	sqlite3 *handle = NULL;
	g_autofree gchar *sql = g_strdup_printf("PRAGMA user_version = %d", version);
	g_assert_cmpint(sqlite3_open(path, &handle), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_close(handle), ==, SQLITE_OK);
}

static void
test_sqlite_newer_version(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDatabaseSqlite) db = NULL;

	put(fixture->db, "t", "x", "x", NULL);
	g_clear_object(&fixture->db);
	set_user_version(fixture->path, 9999);
	db = suit_database_sqlite_new(fixture->path, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(db);
	g_test_message("%s", error->message);
}

static void
test_sqlite_garbage(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDatabaseSqlite) db = NULL;
	g_autofree gchar *garbage = g_build_filename(fixture->tmpdir, "garbage.db", NULL);
	g_autofree gchar *junk = g_strnfill(8192, 'J');

	g_assert_true(g_file_set_contents(garbage, junk, -1, &error));
	g_assert_no_error(error);
	db = suit_database_sqlite_new(garbage, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(db);
	g_test_message("%s", error->message);
	g_clear_error(&error);

	/* a real database that is not ours (a table of the same name, other
	 * columns) is refused too */
	{
		g_autofree gchar *foreign = g_build_filename(fixture->tmpdir, "foreign.db", NULL);
		sqlite3 *handle = NULL;
		g_assert_cmpint(sqlite3_open(foreign, &handle), ==, SQLITE_OK);
		g_assert_cmpint(sqlite3_exec(handle,
					     "CREATE TABLE documents (x INTEGER)",
					     NULL,
					     NULL,
					     NULL),
				==,
				SQLITE_OK);
		g_assert_cmpint(sqlite3_close(handle), ==, SQLITE_OK);
		db = suit_database_sqlite_new(foreign, &error);
		g_assert_null(db);
		g_assert_nonnull(error);
		g_test_message("%s", error->message);
		g_clear_error(&error);
	}
}

/* a database whose pages were overwritten: reads and writes fail with
 * INVALID_DATA, nothing crashes */
static void
test_sqlite_corrupt(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *body = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	SuitDatabaseSqlite *db = NULL;
	gsize len = 0;

	for (guint i = 0; i < 200; i++) {
		g_autofree gchar *id = g_strdup_printf("d%03u", i);
		put(fixture->db, "t", id, "{\"some\":\"document text\"}", NULL);
	}
	g_clear_object(&fixture->db);
	g_assert_true(g_file_get_contents(fixture->path, &contents, &len, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(len, >, 3 * 4096);
	/* keep page 1 (the header and the schema), trash the rest */
	memset(contents + 4096, 0xa5, len - 4096);
	g_assert_true(g_file_set_contents(fixture->path, contents, (gssize)len, &error));
	g_assert_no_error(error);

	db = suit_database_sqlite_new(fixture->path, &error);
	if (db == NULL) {
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		return;
	}
	fixture->db = SUIT_DATABASE(db);
	body = suit_database_get(fixture->db, "t", "d001", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(body);
	g_test_message("%s", error->message);
	g_clear_error(&error);
	docs = suit_database_query(fixture->db, "t", NULL, NULL, 0, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(docs);
	g_clear_error(&error);
	g_assert_false(suit_database_put(fixture->db, "t", "d001", "{}", NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);
}

static void
test_sqlite_open_errors(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDatabaseSqlite) db = NULL;
	g_autofree gchar *missing = g_build_filename(fixture->tmpdir, "no", "such", "dir.db", NULL);

	db = suit_database_sqlite_new(missing, &error);
	g_assert_null(db);
	g_assert_true(g_error_matches(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND) ||
		      g_error_matches(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED));
	g_assert_nonnull(strstr(error->message, missing));
	g_test_message("%s", error->message);
	g_clear_error(&error);

	/* a directory is not a database */
	db = suit_database_sqlite_new(fixture->tmpdir, &error);
	g_assert_null(db);
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_clear_error(&error);

	/* an empty file is a new database */
	{
		g_autofree gchar *empty = g_build_filename(fixture->tmpdir, "empty.db", NULL);
		g_assert_true(g_file_set_contents(empty, "", 0, &error));
		g_assert_no_error(error);
		db = suit_database_sqlite_new(empty, &error);
		g_assert_no_error(error);
		g_assert_nonnull(db);
		put(SUIT_DATABASE(db), "c", "id", "{}", NULL);
	}
}

static void
add_test(const gchar *name, void (*func)(Fixture *, gconstpointer))
{
	g_autofree gchar *memory = g_strdup_printf("/suit/database/memory/%s", name);
	g_autofree gchar *sqlite = g_strdup_printf("/suit/database/sqlite/%s", name);
	g_test_add(memory,
		   Fixture,
		   GINT_TO_POINTER(BACKEND_MEMORY),
		   fixture_setup,
		   func,
		   fixture_teardown);
	g_test_add(sqlite,
		   Fixture,
		   GINT_TO_POINTER(BACKEND_SQLITE),
		   fixture_setup,
		   func,
		   fixture_teardown);
}

static void
add_sqlite_test(const gchar *name, void (*func)(Fixture *, gconstpointer))
{
	g_autofree gchar *sqlite = g_strdup_printf("/suit/database/sqlite/%s", name);
	g_test_add(sqlite,
		   Fixture,
		   GINT_TO_POINTER(BACKEND_SQLITE),
		   fixture_setup,
		   func,
		   fixture_teardown);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	add_test("put-get", test_put_get);
	add_test("not-found", test_not_found);
	add_test("keys", test_keys);
	add_test("query-order", test_query_order);
	add_test("count-remove", test_count_remove);
	add_test("invalid-arguments", test_invalid_arguments);
	add_test("transaction", test_transaction);
	add_test("nested-begin", test_nested_begin);
	add_test("writer-waits", test_writer_waits);
	add_test("concurrent", test_concurrent);
	g_test_add_func("/suit/database/not-supported", test_not_supported);
	add_sqlite_test("reopen", test_sqlite_reopen);
	add_sqlite_test("fork-commit", test_sqlite_fork_commit);
	add_sqlite_test("kill-in-transaction", test_sqlite_kill_in_transaction);
	add_sqlite_test("write-failed", test_sqlite_write_failed);
	add_sqlite_test("newer-version", test_sqlite_newer_version);
	add_sqlite_test("garbage", test_sqlite_garbage);
	add_sqlite_test("corrupt", test_sqlite_corrupt);
	add_sqlite_test("open-errors", test_sqlite_open_errors);
	return g_test_run();
}
