/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-test-common.h"

/* records every signal emission */
typedef struct {
	GArray *percentages; /* (element-type gdouble) */
	GArray *statuses;    /* (element-type guint) */
	GThread *thread;     /* the thread every emission must come from */
	guint wrong_thread;
} Recorder;

static void
recorder_percentage_cb(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	Recorder *rec = user_data;
	if (g_thread_self() != rec->thread)
		rec->wrong_thread++;
	g_array_append_val(rec->percentages, percentage);
}

static void
recorder_status_cb(SuitProgress *progress, guint status, gpointer user_data)
{
	Recorder *rec = user_data;
	if (g_thread_self() != rec->thread)
		rec->wrong_thread++;
	g_array_append_val(rec->statuses, status);
}

static void
recorder_init(Recorder *rec, SuitProgress *progress)
{
	rec->percentages = g_array_new(FALSE, FALSE, sizeof(gdouble));
	rec->statuses = g_array_new(FALSE, FALSE, sizeof(guint));
	rec->thread = g_thread_self();
	rec->wrong_thread = 0;
	g_signal_connect(progress, "percentage-changed", G_CALLBACK(recorder_percentage_cb), rec);
	g_signal_connect(progress, "status-changed", G_CALLBACK(recorder_status_cb), rec);
}

static void
recorder_clear(Recorder *rec)
{
	g_array_unref(rec->percentages);
	g_array_unref(rec->statuses);
}

static gdouble
recorder_last_percentage(Recorder *rec)
{
	g_assert_cmpuint(rec->percentages->len, >, 0);
	return g_array_index(rec->percentages, gdouble, rec->percentages->len - 1);
}

static void
recorder_assert_monotonic(Recorder *rec)
{
	for (guint i = 1; i < rec->percentages->len; i++) {
		g_assert_cmpfloat(g_array_index(rec->percentages, gdouble, i),
				  >,
				  g_array_index(rec->percentages, gdouble, i - 1));
	}
}

static void
test_progress_status_strings(void)
{
	for (guint i = SUIT_PROGRESS_STATUS_UNKNOWN; i <= SUIT_PROGRESS_STATUS_WAITING; i++) {
		const gchar *name = suit_progress_status_to_string(i);
		g_assert_nonnull(name);
		g_assert_cmpint(suit_progress_status_from_string(name), ==, i);
	}
	g_assert_cmpstr(suit_progress_status_to_string(SUIT_PROGRESS_STATUS_FETCHING), ==, "fetching");
	g_assert_null(suit_progress_status_to_string(SUIT_PROGRESS_STATUS_WAITING + 1));
	g_assert_cmpint(suit_progress_status_from_string("dancing"), ==, SUIT_PROGRESS_STATUS_UNKNOWN);
	g_assert_cmpint(suit_progress_status_from_string(NULL), ==, SUIT_PROGRESS_STATUS_UNKNOWN);
}

static void
test_progress_percentage(void)
{
	g_autoptr(SuitProgress) progress = suit_progress_new();
	Recorder rec = {0};

	recorder_init(&rec, progress);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 0.0);
	suit_progress_set_percentage(progress, 10.0);
	suit_progress_set_percentage(progress, 50.0);
	/* lower or equal values are ignored within one run */
	suit_progress_set_percentage(progress, 30.0);
	suit_progress_set_percentage(progress, 50.0);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 50.0);
	g_assert_cmpuint(rec.percentages->len, ==, 2);
	/* clamped */
	suit_progress_set_percentage(progress, 150.0);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	g_assert_cmpuint(rec.percentages->len, ==, 3);
	recorder_assert_monotonic(&rec);

	/* status: emitted on change only */
	suit_progress_set_status(progress, SUIT_PROGRESS_STATUS_VERIFYING);
	suit_progress_set_status(progress, SUIT_PROGRESS_STATUS_VERIFYING);
	suit_progress_set_status(progress, SUIT_PROGRESS_STATUS_REPORTING);
	g_assert_cmpuint(rec.statuses->len, ==, 2);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_REPORTING);

	/* a reset starts a new run */
	suit_progress_reset(progress);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 0.0);
	g_assert_cmpfloat(recorder_last_percentage(&rec), ==, 0.0);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_REPORTING);
	suit_progress_set_percentage(progress, 5.0);
	g_assert_cmpfloat(recorder_last_percentage(&rec), ==, 5.0);
	recorder_clear(&rec);
}

static void
test_progress_bytes(void)
{
	g_autoptr(SuitProgress) progress = suit_progress_new();
	Recorder rec = {0};

	recorder_init(&rec, progress);
	/* done before the total is known counts once it is */
	suit_progress_add_done(progress, 100);
	g_assert_cmpuint(rec.percentages->len, ==, 0);
	suit_progress_set_total(progress, 1000);
	g_assert_cmpuint(suit_progress_get_total(progress), ==, 1000);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 10.0, 0.001);
	suit_progress_add_done(progress, 150);
	g_assert_cmpuint(suit_progress_get_done(progress), ==, 250);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 25.0, 0.001);
	suit_progress_add_done(progress, 0);
	g_assert_cmpuint(rec.percentages->len, ==, 2);
	/* more than the total stops at 100 */
	suit_progress_add_done(progress, 5000);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	/* and the sum saturates */
	suit_progress_add_done(progress, G_MAXUINT64);
	g_assert_cmpuint(suit_progress_get_done(progress), ==, G_MAXUINT64);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	recorder_assert_monotonic(&rec);
	recorder_clear(&rec);
}

static void
test_progress_steps(void)
{
	g_autoptr(SuitProgress) progress = suit_progress_new();
	SuitProgress *child;
	Recorder rec = {0};

	recorder_init(&rec, progress);
	suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_VERIFYING, 10, "verify");
	suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_FETCHING, 80, "fetch");
	suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_WRITING, 10, "write");
	g_assert_cmpuint(suit_progress_get_steps(progress), ==, 3);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_VERIFYING);
	g_assert_cmpstr(suit_progress_get_name(suit_progress_get_child(progress)), ==, "verify");
	g_assert_null(suit_progress_get_name(progress));

	/* half of the first step */
	suit_progress_set_percentage(suit_progress_get_child(progress), 50.0);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 5.0, 0.001);
	suit_progress_step_done(progress);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 10.0, 0.001);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_FETCHING);

	/* bytes in the second step */
	child = suit_progress_get_child(progress);
	g_assert_cmpstr(suit_progress_get_name(child), ==, "fetch");
	suit_progress_set_total(child, 4096);
	suit_progress_add_done(child, 2048);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 50.0, 0.001);
	/* a child status is the parent status while the step runs */
	suit_progress_set_status(child, SUIT_PROGRESS_STATUS_WAITING);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_WAITING);
	suit_progress_set_status(child, SUIT_PROGRESS_STATUS_FETCHING);
	suit_progress_step_done(progress);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 90.0, 0.001);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_WRITING);

	/* a finished child does not move a parent that moved on */
	suit_progress_set_percentage(child, 100.0);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 90.0, 0.001);

	suit_progress_step_done(progress);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	g_assert_cmpfloat(recorder_last_percentage(&rec), ==, 100.0);
	recorder_assert_monotonic(&rec);

	/* statuses seen: verifying, fetching, waiting, fetching, writing */
	g_assert_cmpuint(rec.statuses->len, ==, 5);
	g_assert_cmpuint(g_array_index(rec.statuses, guint, 0), ==, SUIT_PROGRESS_STATUS_VERIFYING);
	g_assert_cmpuint(g_array_index(rec.statuses, guint, 4), ==, SUIT_PROGRESS_STATUS_WRITING);

	/* every step is done: there is no child, and that is a caller bug */
	g_test_expect_message("Suit", G_LOG_LEVEL_CRITICAL, "*step_now*");
	g_assert_null(suit_progress_get_child(progress));
	g_test_assert_expected_messages();
	recorder_clear(&rec);
}

static void
test_progress_nested(void)
{
	g_autoptr(SuitProgress) progress = suit_progress_new();
	SuitProgress *child;
	SuitProgress *grandchild;
	Recorder rec = {0};

	recorder_init(&rec, progress);
	suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_INSTALLING, 50, "install");
	suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_VALIDATING, 50, "validate");
	child = suit_progress_get_child(progress);
	suit_progress_add_step(child, SUIT_PROGRESS_STATUS_FETCHING, 3, "fetch");
	suit_progress_add_step(child, SUIT_PROGRESS_STATUS_WRITING, 1, "write");
	/* the first step of the child sets the status of the whole tree */
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_FETCHING);
	grandchild = suit_progress_get_child(child);
	suit_progress_set_total(grandchild, 100);
	suit_progress_add_done(grandchild, 100);
	/* 100% of 3/4 of 50% */
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 37.5, 0.001);
	suit_progress_step_done(child);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_WRITING);
	suit_progress_step_done(child);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 50.0, 0.001);
	suit_progress_step_done(progress);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_VALIDATING);
	suit_progress_finished(progress);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	recorder_assert_monotonic(&rec);

	/* a reset drops the steps */
	suit_progress_reset(progress);
	g_assert_cmpuint(suit_progress_get_steps(progress), ==, 0);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 0.0);
	recorder_clear(&rec);
}

static void
test_progress_zero_weights(void)
{
	g_autoptr(SuitProgress) progress = suit_progress_new();

	for (guint i = 0; i < 4; i++)
		suit_progress_add_step(progress, SUIT_PROGRESS_STATUS_UNKNOWN, 0, NULL);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_UNKNOWN);
	suit_progress_step_done(progress);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 25.0, 0.001);
	suit_progress_set_percentage(suit_progress_get_child(progress), 50.0);
	g_assert_cmpfloat_with_epsilon(suit_progress_get_percentage(progress), 37.5, 0.001);
	/* finished with steps left */
	suit_progress_finished(progress);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
}

typedef struct {
	SuitProgress *progress;
	guint chunks;
} WorkerData;

static gpointer
progress_worker_cb(gpointer user_data)
{
	WorkerData *data = user_data;
	suit_progress_set_status(data->progress, SUIT_PROGRESS_STATUS_FETCHING);
	suit_progress_set_total(data->progress, (guint64)data->chunks * 10);
	for (guint i = 0; i < data->chunks; i++)
		suit_progress_add_done(data->progress, 10);
	suit_progress_set_status(data->progress, SUIT_PROGRESS_STATUS_WRITING);
	return NULL;
}

static void
test_progress_thread(void)
{
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	WorkerData data = {.chunks = 1000};
	Recorder rec = {0};
	GThread *thread;

	/* the creating thread has its own main context */
	g_main_context_push_thread_default(context);
	progress = suit_progress_new();
	recorder_init(&rec, progress);
	data.progress = progress;
	thread = g_thread_new("progress-worker", progress_worker_cb, &data);
	g_thread_join(thread);

	/* nothing was emitted from the worker */
	g_assert_cmpuint(rec.percentages->len, ==, 0);
	g_assert_cmpuint(rec.statuses->len, ==, 0);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 0.0);

	/* the updates arrive, in order, when the creator's context runs */
	while (g_main_context_iteration(context, FALSE))
		;
	g_assert_cmpuint(rec.wrong_thread, ==, 0);
	g_assert_cmpuint(rec.statuses->len, ==, 2);
	g_assert_cmpuint(g_array_index(rec.statuses, guint, 0), ==, SUIT_PROGRESS_STATUS_FETCHING);
	g_assert_cmpuint(g_array_index(rec.statuses, guint, 1), ==, SUIT_PROGRESS_STATUS_WRITING);
	g_assert_cmpuint(suit_progress_get_done(progress), ==, 10000);
	g_assert_cmpfloat(suit_progress_get_percentage(progress), ==, 100.0);
	g_assert_cmpfloat(recorder_last_percentage(&rec), ==, 100.0);
	/* consecutive byte counts were merged into one update */
	g_assert_cmpuint(rec.percentages->len, ==, 1);
	g_main_context_pop_thread_default(context);
	recorder_clear(&rec);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/progress/status-strings", test_progress_status_strings);
	g_test_add_func("/suit/progress/percentage", test_progress_percentage);
	g_test_add_func("/suit/progress/bytes", test_progress_bytes);
	g_test_add_func("/suit/progress/steps", test_progress_steps);
	g_test_add_func("/suit/progress/nested", test_progress_nested);
	g_test_add_func("/suit/progress/zero-weights", test_progress_zero_weights);
	g_test_add_func("/suit/progress/thread", test_progress_thread);
	return g_test_run();
}
