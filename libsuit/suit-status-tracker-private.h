/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "suit-status-tracker.h"

G_BEGIN_DECLS

/* tests only: the clock of the tracker in seconds since the epoch (UTC), or
 * 0 for the real clock; set it before other threads use the tracker */
void
suit_status_tracker_set_fake_time(SuitStatusTracker *self, gint64 unix_time);

/* tests only: forgets every cached fact (the check-in records not written
 * yet are kept), so the next calls read the database */
void
suit_status_tracker_clear_cache(SuitStatusTracker *self);

/* tests only: @idle FALSE holds the idle flusher back, so that only the due
 * flusher writes the check-in records, once they have waited @due_ms */
void
suit_status_tracker_set_flushers(SuitStatusTracker *self, gboolean idle, guint due_ms);

G_END_DECLS
