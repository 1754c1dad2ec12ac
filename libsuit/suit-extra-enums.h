/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib.h>

#include "suit-version-macros.h"

G_BEGIN_DECLS

/*
 * Public enums and flags of the roles and plug-ins (store, fetcher, report,
 * author). Each owner appends its own section; glib-mkenums registers their
 * GTypes.
 */

/* section: store */

/**
 * SuitStoreWriteFlags:
 * @SUIT_STORE_WRITE_FLAG_NONE: an A/B write: the committed image becomes
 *   pending and the confirmed image stays until suit_store_confirm()
 * @SUIT_STORE_WRITE_FLAG_CONFIRM: a component that is not A/B: the committed
 *   image is confirmed at once and replaces every previous image
 *
 * Flags for suit_store_begin_write().
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	SUIT_STORE_WRITE_FLAG_NONE = 0,
	SUIT_STORE_WRITE_FLAG_CONFIRM = 1 << 0,
} SuitStoreWriteFlags;

/**
 * SuitStoreImageState:
 * @SUIT_STORE_IMAGE_STATE_NONE: the component has no image
 * @SUIT_STORE_IMAGE_STATE_CONFIRMED: the active image is confirmed and
 *   nothing is pending
 * @SUIT_STORE_IMAGE_STATE_PENDING: a new image was committed and is active,
 *   but suit_store_begin_boot() has not run since
 * @SUIT_STORE_IMAGE_STATE_TRYING: the new image is active and being tried:
 *   suit_store_begin_boot() ran once since it was committed, and the next one
 *   drops it unless suit_store_confirm() runs first
 *
 * The state of a component's images, see suit_store_get_image_state().
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_STORE_IMAGE_STATE_NONE,
	SUIT_STORE_IMAGE_STATE_CONFIRMED,
	SUIT_STORE_IMAGE_STATE_PENDING,
	SUIT_STORE_IMAGE_STATE_TRYING,
} SuitStoreImageState;

/* section: fetcher */

/**
 * SuitFetchFlags:
 * @SUIT_FETCH_FLAG_NONE: no flags
 * @SUIT_FETCH_FLAG_NO_RETRY: fail on the first error instead of retrying and resuming
 *
 * Flags for suit_fetcher_fetch().
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	SUIT_FETCH_FLAG_NONE = 0,
	SUIT_FETCH_FLAG_NO_RETRY = 1 << 0,
} SuitFetchFlags;

/* section: progress */

/**
 * SuitProgressStatus:
 * @SUIT_PROGRESS_STATUS_UNKNOWN: the status is not known
 * @SUIT_PROGRESS_STATUS_IDLE: nothing is happening
 * @SUIT_PROGRESS_STATUS_VERIFYING: verifying an envelope or a digest
 * @SUIT_PROGRESS_STATUS_FETCHING: fetching a payload or a dependency
 * @SUIT_PROGRESS_STATUS_WRITING: writing a component
 * @SUIT_PROGRESS_STATUS_INSTALLING: running the install sequence
 * @SUIT_PROGRESS_STATUS_VALIDATING: running the validate sequence
 * @SUIT_PROGRESS_STATUS_LOADING: running the load sequence
 * @SUIT_PROGRESS_STATUS_INVOKING: running the invoke sequence
 * @SUIT_PROGRESS_STATUS_REPORTING: building or sending a report
 * @SUIT_PROGRESS_STATUS_WAITING: waiting before a retry
 *
 * What a long operation is doing; see [class@Progress].
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_PROGRESS_STATUS_UNKNOWN,
	SUIT_PROGRESS_STATUS_IDLE,
	SUIT_PROGRESS_STATUS_VERIFYING,
	SUIT_PROGRESS_STATUS_FETCHING,
	SUIT_PROGRESS_STATUS_WRITING,
	SUIT_PROGRESS_STATUS_INSTALLING,
	SUIT_PROGRESS_STATUS_VALIDATING,
	SUIT_PROGRESS_STATUS_LOADING,
	SUIT_PROGRESS_STATUS_INVOKING,
	SUIT_PROGRESS_STATUS_REPORTING,
	SUIT_PROGRESS_STATUS_WAITING,
} SuitProgressStatus;

/* section: report */

/**
 * SuitReportReason:
 * @SUIT_REPORT_REASON_OK: no failure
 * @SUIT_REPORT_REASON_CBOR_PARSE: the manifest could not be decoded
 * @SUIT_REPORT_REASON_COSE_UNSUPPORTED: an unsupported COSE structure
 * @SUIT_REPORT_REASON_ALG_UNSUPPORTED: an unsupported algorithm
 * @SUIT_REPORT_REASON_UNAUTHORISED: signature or MAC verification failed
 * @SUIT_REPORT_REASON_COMMAND_UNSUPPORTED: an unsupported command
 * @SUIT_REPORT_REASON_COMPONENT_UNSUPPORTED: an unsupported component
 * @SUIT_REPORT_REASON_COMPONENT_UNAUTHORISED: the signer may not update the component
 * @SUIT_REPORT_REASON_PARAMETER_UNSUPPORTED: an unsupported parameter
 * @SUIT_REPORT_REASON_SEVERING_UNSUPPORTED: severed members are not supported
 * @SUIT_REPORT_REASON_CONDITION_FAILED: a condition failed
 * @SUIT_REPORT_REASON_OPERATION_FAILED: a directive failed
 * @SUIT_REPORT_REASON_INVOKE_PENDING: the invocation has not happened yet
 *
 * The result reason of a SUIT report (draft-ietf-suit-report, key 7).
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_REPORT_REASON_OK = 0,
	SUIT_REPORT_REASON_CBOR_PARSE = 1,
	SUIT_REPORT_REASON_COSE_UNSUPPORTED = 2,
	SUIT_REPORT_REASON_ALG_UNSUPPORTED = 3,
	SUIT_REPORT_REASON_UNAUTHORISED = 4,
	SUIT_REPORT_REASON_COMMAND_UNSUPPORTED = 5,
	SUIT_REPORT_REASON_COMPONENT_UNSUPPORTED = 6,
	SUIT_REPORT_REASON_COMPONENT_UNAUTHORISED = 7,
	SUIT_REPORT_REASON_PARAMETER_UNSUPPORTED = 8,
	SUIT_REPORT_REASON_SEVERING_UNSUPPORTED = 9,
	SUIT_REPORT_REASON_CONDITION_FAILED = 10,
	SUIT_REPORT_REASON_OPERATION_FAILED = 11,
	SUIT_REPORT_REASON_INVOKE_PENDING = 12,
} SuitReportReason;

/* section: communicator */

/**
 * SuitCommunicatorOutcome:
 * @SUIT_COMMUNICATOR_OUTCOME_NONE: the server had nothing for the device
 * @SUIT_COMMUNICATOR_OUTCOME_INSTALLED: an update was installed and reported;
 *   it waits for a reboot
 * @SUIT_COMMUNICATOR_OUTCOME_CONFIRMED: the new image booted, was confirmed and
 *   the confirmation was reported
 * @SUIT_COMMUNICATOR_OUTCOME_FELL_BACK: the new image did not boot; the device
 *   runs its old image again and reported that
 * @SUIT_COMMUNICATOR_OUTCOME_FAILED: the offered update was rejected or failed
 *   to install, and the failure was reported
 *
 * What one round of suit_communicator_run_once() did.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_COMMUNICATOR_OUTCOME_NONE,
	SUIT_COMMUNICATOR_OUTCOME_INSTALLED,
	SUIT_COMMUNICATOR_OUTCOME_CONFIRMED,
	SUIT_COMMUNICATOR_OUTCOME_FELL_BACK,
	SUIT_COMMUNICATOR_OUTCOME_FAILED,
} SuitCommunicatorOutcome;

/* section: author */

G_END_DECLS
