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

#include "suit-extra-enums.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_PROGRESS (suit_progress_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitProgress, suit_progress, SUIT, PROGRESS, GObject)

SUIT_AVAILABLE_IN_0_1
SuitProgress *
suit_progress_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_progress_status_to_string(SuitProgressStatus status);
SUIT_AVAILABLE_IN_0_1
SuitProgressStatus
suit_progress_status_from_string(const gchar *status);
SUIT_AVAILABLE_IN_0_1
gdouble
suit_progress_get_percentage(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_set_percentage(SuitProgress *self, gdouble percentage);
SUIT_AVAILABLE_IN_0_1
SuitProgressStatus
suit_progress_get_status(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_set_status(SuitProgress *self, SuitProgressStatus status);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_set_total(SuitProgress *self, guint64 total);
SUIT_AVAILABLE_IN_0_1
guint64
suit_progress_get_total(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_add_done(SuitProgress *self, guint64 done);
SUIT_AVAILABLE_IN_0_1
guint64
suit_progress_get_done(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_add_step(SuitProgress *self, SuitProgressStatus status, guint weight, const gchar *name);
SUIT_AVAILABLE_IN_0_1
guint
suit_progress_get_steps(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_progress_get_name(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_step_done(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
SuitProgress *
suit_progress_get_child(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_finished(SuitProgress *self);
SUIT_AVAILABLE_IN_0_1
void
suit_progress_reset(SuitProgress *self);

G_END_DECLS
