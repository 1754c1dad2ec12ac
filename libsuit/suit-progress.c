/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-progress.h"

/**
 * SuitProgress:
 *
 * Progress of a long operation such as an update: a percentage that only goes
 * up within one run, a [enum@ProgressStatus], weighted steps with a child
 * object per step for nested work, and byte counts for transfers.
 *
 * Signals are emitted in the thread that created the object. Updates made
 * from any other thread (for instance by a worker of an async call) are queued
 * and applied, in order, from the thread-default [struct@GLib.MainContext] that
 * was current when the object was created; getters called from such a thread
 * may return values that are not applied yet.
 *
 * The step API (suit_progress_add_step(), suit_progress_step_done(),
 * suit_progress_get_child()) must be used from the creating thread.
 *
 * See also: [iface@Fetcher]
 */

struct _SuitProgress {
	GObject parent_instance;
	GMainContext *context; /* thread-default when created */
	GThread *thread;       /* noref, creator */
	SuitProgress *parent;  /* noref, owns us */
	gchar *name;	       /* (nullable) */
	guint weight;	       /* weight as a step of @parent */
	gdouble percentage;
	SuitProgressStatus status;
	guint64 total;
	guint64 done;
	GPtrArray *children; /* (element-type SuitProgress) */
	guint step_now;
	GMutex pending_mutex;
	GQueue pending; /* (element-type SuitProgressOp), under pending_mutex */
	GSource *pending_source; /* (nullable), under pending_mutex */
};

G_DEFINE_TYPE(SuitProgress, suit_progress, G_TYPE_OBJECT)

enum { SIGNAL_PERCENTAGE_CHANGED, SIGNAL_STATUS_CHANGED, SIGNAL_LAST };

static guint signals[SIGNAL_LAST] = {0};

typedef enum {
	SUIT_PROGRESS_OP_SET_PERCENTAGE,
	SUIT_PROGRESS_OP_SET_STATUS,
	SUIT_PROGRESS_OP_SET_TOTAL,
	SUIT_PROGRESS_OP_ADD_DONE,
	SUIT_PROGRESS_OP_FINISHED,
	SUIT_PROGRESS_OP_RESET,
} SuitProgressOpKind;

typedef struct {
	SuitProgressOpKind kind;
	gdouble percentage;
	guint64 value;
} SuitProgressOp;

static const gchar *status_names[] = {
    "unknown",
    "idle",
    "verifying",
    "fetching",
    "writing",
    "installing",
    "validating",
    "loading",
    "invoking",
    "reporting",
    "waiting",
};

/**
 * suit_progress_status_to_string:
 * @status: a #SuitProgressStatus
 *
 * Converts a status to a stable lower-case name, e.g. `fetching`.
 *
 * Returns: the name, or %NULL for an unknown value
 *
 * Since: 0.1
 */
const gchar *
suit_progress_status_to_string(SuitProgressStatus status)
{
	if ((guint)status >= G_N_ELEMENTS(status_names))
		return NULL;
	return status_names[status];
}

/**
 * suit_progress_status_from_string:
 * @status: (nullable): a name such as `fetching`
 *
 * Converts a name given by suit_progress_status_to_string() back.
 *
 * Returns: the status, or %SUIT_PROGRESS_STATUS_UNKNOWN
 *
 * Since: 0.1
 */
SuitProgressStatus
suit_progress_status_from_string(const gchar *status)
{
	if (status == NULL)
		return SUIT_PROGRESS_STATUS_UNKNOWN;
	for (guint i = 0; i < G_N_ELEMENTS(status_names); i++) {
		if (g_strcmp0(status, status_names[i]) == 0)
			return (SuitProgressStatus)i;
	}
	return SUIT_PROGRESS_STATUS_UNKNOWN;
}

static gboolean
suit_progress_is_owner(SuitProgress *self)
{
	return g_thread_self() == self->thread;
}

static void
suit_progress_apply(SuitProgress *self, const SuitProgressOp *op);
static void
suit_progress_recompute(SuitProgress *self);

static gboolean
suit_progress_pending_cb(gpointer user_data)
{
	SuitProgress *self = SUIT_PROGRESS(user_data);
	for (;;) {
		g_autofree SuitProgressOp *op = NULL;
		g_mutex_lock(&self->pending_mutex);
		op = g_queue_pop_head(&self->pending);
		if (op == NULL) {
			g_clear_pointer(&self->pending_source, g_source_unref);
			g_mutex_unlock(&self->pending_mutex);
			break;
		}
		g_mutex_unlock(&self->pending_mutex);
		suit_progress_apply(self, op);
	}
	return G_SOURCE_REMOVE;
}

/* queue @op for the creating thread; consecutive add-done ops are merged */
static void
suit_progress_queue(SuitProgress *self, SuitProgressOpKind kind, gdouble percentage, guint64 value)
{
	SuitProgressOp *tail;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->pending_mutex);

	tail = g_queue_peek_tail(&self->pending);
	if (kind == SUIT_PROGRESS_OP_ADD_DONE && tail != NULL && tail->kind == kind) {
		tail->value = tail->value > G_MAXUINT64 - value ? G_MAXUINT64 : tail->value + value;
	} else {
		SuitProgressOp *op = g_new0(SuitProgressOp, 1);
		op->kind = kind;
		op->percentage = percentage;
		op->value = value;
		g_queue_push_tail(&self->pending, op);
	}
	if (self->pending_source == NULL) {
		self->pending_source = g_idle_source_new();
		g_source_set_priority(self->pending_source, G_PRIORITY_DEFAULT);
		g_source_set_callback(self->pending_source,
				      suit_progress_pending_cb,
				      g_object_ref(self),
				      g_object_unref);
		g_source_set_static_name(self->pending_source, "[suit] progress update");
		g_source_attach(self->pending_source, self->context);
	}
}

static void
suit_progress_emit_percentage(SuitProgress *self, gdouble percentage)
{
	percentage = CLAMP(percentage, 0.0, 100.0);
	/* monotonic within one run */
	if (percentage <= self->percentage)
		return;
	self->percentage = percentage;
	g_signal_emit(self, signals[SIGNAL_PERCENTAGE_CHANGED], 0, percentage);
	if (self->parent != NULL) {
		SuitProgress *parent = self->parent;
		if (parent->step_now < parent->children->len &&
		    g_ptr_array_index(parent->children, parent->step_now) == self)
			suit_progress_recompute(parent);
	}
}

static void
suit_progress_emit_status(SuitProgress *self, SuitProgressStatus status)
{
	if (self->status == status)
		return;
	self->status = status;
	g_signal_emit(self, signals[SIGNAL_STATUS_CHANGED], 0, (guint)status);
	if (self->parent != NULL) {
		SuitProgress *parent = self->parent;
		if (parent->step_now < parent->children->len &&
		    g_ptr_array_index(parent->children, parent->step_now) == self)
			suit_progress_emit_status(parent, status);
	}
}

static void
suit_progress_recompute(SuitProgress *self)
{
	guint64 weight_total = 0;
	guint64 weight_done = 0;
	gdouble percentage;
	gboolean equal = FALSE;

	if (self->children->len == 0)
		return;
	for (guint i = 0; i < self->children->len; i++) {
		SuitProgress *child = g_ptr_array_index(self->children, i);
		weight_total += child->weight;
	}
	/* steps that all weigh nothing count the same */
	if (weight_total == 0) {
		equal = TRUE;
		weight_total = self->children->len;
	}
	for (guint i = 0; i < self->step_now && i < self->children->len; i++) {
		SuitProgress *child = g_ptr_array_index(self->children, i);
		weight_done += equal ? 1 : child->weight;
	}
	percentage = (gdouble)weight_done * 100.0 / (gdouble)weight_total;
	if (self->step_now < self->children->len) {
		SuitProgress *child = g_ptr_array_index(self->children, self->step_now);
		guint weight = equal ? 1 : child->weight;
		percentage += (gdouble)weight * child->percentage / (gdouble)weight_total;
	}
	suit_progress_emit_percentage(self, percentage);
}

static void
suit_progress_update_bytes(SuitProgress *self)
{
	if (self->total == 0)
		return;
	suit_progress_emit_percentage(self, (gdouble)MIN(self->done, self->total) * 100.0 / (gdouble)self->total);
}

static void
suit_progress_apply(SuitProgress *self, const SuitProgressOp *op)
{
	switch (op->kind) {
	case SUIT_PROGRESS_OP_SET_PERCENTAGE:
		suit_progress_emit_percentage(self, op->percentage);
		break;
	case SUIT_PROGRESS_OP_SET_STATUS:
		suit_progress_emit_status(self, (SuitProgressStatus)op->value);
		break;
	case SUIT_PROGRESS_OP_SET_TOTAL:
		self->total = op->value;
		suit_progress_update_bytes(self);
		break;
	case SUIT_PROGRESS_OP_ADD_DONE:
		self->done = self->done > G_MAXUINT64 - op->value ? G_MAXUINT64 : self->done + op->value;
		suit_progress_update_bytes(self);
		break;
	case SUIT_PROGRESS_OP_FINISHED:
		while (self->step_now < self->children->len) {
			SuitProgress *child = g_ptr_array_index(self->children, self->step_now++);
			SuitProgressOp op_child = {.kind = SUIT_PROGRESS_OP_FINISHED};
			suit_progress_apply(child, &op_child);
		}
		suit_progress_emit_percentage(self, 100.0);
		break;
	case SUIT_PROGRESS_OP_RESET:
		for (guint i = 0; i < self->children->len; i++) {
			SuitProgress *child = g_ptr_array_index(self->children, i);
			child->parent = NULL;
		}
		g_ptr_array_set_size(self->children, 0);
		self->step_now = 0;
		self->total = 0;
		self->done = 0;
		if (self->percentage != 0.0) {
			self->percentage = 0.0;
			g_signal_emit(self, signals[SIGNAL_PERCENTAGE_CHANGED], 0, 0.0);
		}
		break;
	default:
		break;
	}
}

static void
suit_progress_do(SuitProgress *self, SuitProgressOpKind kind, gdouble percentage, guint64 value)
{
	SuitProgressOp op = {.kind = kind, .percentage = percentage, .value = value};
	if (!suit_progress_is_owner(self)) {
		suit_progress_queue(self, kind, percentage, value);
		return;
	}
	suit_progress_apply(self, &op);
}

/**
 * suit_progress_get_percentage:
 * @self: a #SuitProgress
 *
 * Gets the percentage done.
 *
 * Returns: a value from 0 to 100
 *
 * Since: 0.1
 */
gdouble
suit_progress_get_percentage(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), 0.0);
	return self->percentage;
}

/**
 * suit_progress_set_percentage:
 * @self: a #SuitProgress
 * @percentage: a value from 0 to 100
 *
 * Sets the percentage done. Values are clamped to 0..100, and a value lower
 * than the current one is ignored: the percentage only goes up until
 * suit_progress_reset() is called.
 *
 * Since: 0.1
 */
void
suit_progress_set_percentage(SuitProgress *self, gdouble percentage)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	suit_progress_do(self, SUIT_PROGRESS_OP_SET_PERCENTAGE, percentage, 0);
}

/**
 * suit_progress_get_status:
 * @self: a #SuitProgress
 *
 * Gets what the operation is doing.
 *
 * Returns: a #SuitProgressStatus
 *
 * Since: 0.1
 */
SuitProgressStatus
suit_progress_get_status(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), SUIT_PROGRESS_STATUS_UNKNOWN);
	return self->status;
}

/**
 * suit_progress_set_status:
 * @self: a #SuitProgress
 * @status: a #SuitProgressStatus
 *
 * Sets what the operation is doing. The status of the current step is also
 * the status of its parent.
 *
 * Since: 0.1
 */
void
suit_progress_set_status(SuitProgress *self, SuitProgressStatus status)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	suit_progress_do(self, SUIT_PROGRESS_OP_SET_STATUS, 0.0, status);
}

/**
 * suit_progress_set_total:
 * @self: a #SuitProgress
 * @total: the number of units (usually bytes) of the whole operation, or 0
 *
 * Sets the size of a byte-based operation; the percentage is then the ratio
 * of suit_progress_get_done() to @total.
 *
 * Since: 0.1
 */
void
suit_progress_set_total(SuitProgress *self, guint64 total)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	suit_progress_do(self, SUIT_PROGRESS_OP_SET_TOTAL, 0.0, total);
}

/**
 * suit_progress_get_total:
 * @self: a #SuitProgress
 *
 * Gets the size set by suit_progress_set_total().
 *
 * Returns: the total, or 0 when it is not known
 *
 * Since: 0.1
 */
guint64
suit_progress_get_total(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), 0);
	return self->total;
}

/**
 * suit_progress_add_done:
 * @self: a #SuitProgress
 * @done: the number of units (usually bytes) just done
 *
 * Adds to the amount done of a byte-based operation.
 *
 * Since: 0.1
 */
void
suit_progress_add_done(SuitProgress *self, guint64 done)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	if (done == 0)
		return;
	suit_progress_do(self, SUIT_PROGRESS_OP_ADD_DONE, 0.0, done);
}

/**
 * suit_progress_get_done:
 * @self: a #SuitProgress
 *
 * Gets the sum of the values given to suit_progress_add_done().
 *
 * Returns: the amount done
 *
 * Since: 0.1
 */
guint64
suit_progress_get_done(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), 0);
	return self->done;
}

/**
 * suit_progress_add_step:
 * @self: a #SuitProgress
 * @status: the status while the step runs, or %SUIT_PROGRESS_STATUS_UNKNOWN
 * @weight: the relative cost of the step
 * @name: (nullable): a name for debugging, e.g. `fetch`
 *
 * Adds a step. Once steps are added, the percentage is the weighted sum of the
 * steps done plus the share of the current step, whose own progress is
 * reported through suit_progress_get_child(). When all weights are 0 the
 * steps count the same.
 *
 * Since: 0.1
 */
void
suit_progress_add_step(SuitProgress *self, SuitProgressStatus status, guint weight, const gchar *name)
{
	SuitProgress *child;

	g_return_if_fail(SUIT_IS_PROGRESS(self));
	g_return_if_fail(suit_progress_is_owner(self));

	child = suit_progress_new();
	g_main_context_unref(child->context);
	child->context = g_main_context_ref(self->context);
	child->parent = self;
	child->weight = weight;
	child->status = status;
	child->name = g_strdup(name);
	g_ptr_array_add(self->children, child);
	if (self->children->len == 1 && status != SUIT_PROGRESS_STATUS_UNKNOWN)
		suit_progress_emit_status(self, status);
}

/**
 * suit_progress_get_steps:
 * @self: a #SuitProgress
 *
 * Gets the number of steps added with suit_progress_add_step().
 *
 * Returns: the number of steps
 *
 * Since: 0.1
 */
guint
suit_progress_get_steps(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), 0);
	return self->children->len;
}

/**
 * suit_progress_get_name:
 * @self: a #SuitProgress
 *
 * Gets the name given to suit_progress_add_step() when @self is a step.
 *
 * Returns: (nullable): the name
 *
 * Since: 0.1
 */
const gchar *
suit_progress_get_name(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), NULL);
	return self->name;
}

/**
 * suit_progress_step_done:
 * @self: a #SuitProgress
 *
 * Marks the current step as done and moves to the next one, whose status
 * becomes the status of @self.
 *
 * Since: 0.1
 */
void
suit_progress_step_done(SuitProgress *self)
{
	SuitProgress *child;
	SuitProgressOp op_finished = {.kind = SUIT_PROGRESS_OP_FINISHED};

	g_return_if_fail(SUIT_IS_PROGRESS(self));
	g_return_if_fail(suit_progress_is_owner(self));
	g_return_if_fail(self->step_now < self->children->len);

	child = g_ptr_array_index(self->children, self->step_now);
	suit_progress_apply(child, &op_finished);
	self->step_now++;
	suit_progress_recompute(self);
	if (self->step_now < self->children->len) {
		child = g_ptr_array_index(self->children, self->step_now);
		if (child->status != SUIT_PROGRESS_STATUS_UNKNOWN)
			suit_progress_emit_status(self, child->status);
	}
}

/**
 * suit_progress_get_child:
 * @self: a #SuitProgress
 *
 * Gets the progress of the current step, to pass to nested work.
 *
 * Returns: (transfer none): the #SuitProgress of the current step
 *
 * Since: 0.1
 */
SuitProgress *
suit_progress_get_child(SuitProgress *self)
{
	g_return_val_if_fail(SUIT_IS_PROGRESS(self), NULL);
	g_return_val_if_fail(suit_progress_is_owner(self), NULL);
	g_return_val_if_fail(self->step_now < self->children->len, NULL);
	return g_ptr_array_index(self->children, self->step_now);
}

/**
 * suit_progress_finished:
 * @self: a #SuitProgress
 *
 * Marks the whole operation, and every step left, as done: the percentage
 * becomes 100.
 *
 * Since: 0.1
 */
void
suit_progress_finished(SuitProgress *self)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	suit_progress_do(self, SUIT_PROGRESS_OP_FINISHED, 0.0, 0);
}

/**
 * suit_progress_reset:
 * @self: a #SuitProgress
 *
 * Starts a new run: removes the steps and sets the percentage, the total and
 * the amount done back to 0. The status is kept.
 *
 * Since: 0.1
 */
void
suit_progress_reset(SuitProgress *self)
{
	g_return_if_fail(SUIT_IS_PROGRESS(self));
	suit_progress_do(self, SUIT_PROGRESS_OP_RESET, 0.0, 0);
}

static void
suit_progress_dispose(GObject *object)
{
	SuitProgress *self = SUIT_PROGRESS(object);
	for (guint i = 0; i < self->children->len; i++) {
		SuitProgress *child = g_ptr_array_index(self->children, i);
		child->parent = NULL;
	}
	g_ptr_array_set_size(self->children, 0);
	G_OBJECT_CLASS(suit_progress_parent_class)->dispose(object);
}

static void
suit_progress_finalize(GObject *object)
{
	SuitProgress *self = SUIT_PROGRESS(object);
	g_queue_clear_full(&self->pending, g_free);
	g_mutex_clear(&self->pending_mutex);
	g_ptr_array_unref(self->children);
	g_main_context_unref(self->context);
	g_free(self->name);
	G_OBJECT_CLASS(suit_progress_parent_class)->finalize(object);
}

static void
suit_progress_class_init(SuitProgressClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_progress_dispose;
	object_class->finalize = suit_progress_finalize;

	/**
	 * SuitProgress::percentage-changed:
	 * @self: the #SuitProgress
	 * @percentage: the new percentage, from 0 to 100
	 *
	 * Emitted when the percentage goes up, and with 0 after a reset.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_PERCENTAGE_CHANGED] = g_signal_new("percentage-changed",
							  G_TYPE_FROM_CLASS(object_class),
							  G_SIGNAL_RUN_LAST,
							  0,
							  NULL,
							  NULL,
							  g_cclosure_marshal_VOID__DOUBLE,
							  G_TYPE_NONE,
							  1,
							  G_TYPE_DOUBLE);
	/**
	 * SuitProgress::status-changed:
	 * @self: the #SuitProgress
	 * @status: the new #SuitProgressStatus
	 *
	 * Emitted when the status changes.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_STATUS_CHANGED] = g_signal_new("status-changed",
						      G_TYPE_FROM_CLASS(object_class),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      g_cclosure_marshal_VOID__UINT,
						      G_TYPE_NONE,
						      1,
						      G_TYPE_UINT);
}

static void
suit_progress_init(SuitProgress *self)
{
	self->context = g_main_context_ref_thread_default();
	self->thread = g_thread_self();
	self->children = g_ptr_array_new_with_free_func((GDestroyNotify)g_object_unref);
	g_mutex_init(&self->pending_mutex);
	g_queue_init(&self->pending);
}

/**
 * suit_progress_new:
 *
 * Creates a progress object. Signals will be emitted in the calling thread.
 *
 * Returns: (transfer full): a new #SuitProgress
 *
 * Since: 0.1
 */
SuitProgress *
suit_progress_new(void)
{
	return g_object_new(SUIT_TYPE_PROGRESS, NULL);
}
