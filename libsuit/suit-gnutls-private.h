/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

/* frees the buffer GnuTLS allocated for a stack gnutls_datum_t */
static inline void
suit_gnutls_datum_clear(gnutls_datum_t *datum)
{
	if (datum->data != NULL)
		gnutls_free(datum->data);
	datum->size = 0;
}

/* the same, wiping the buffer first: for private key material */
static inline void
suit_gnutls_datum_clear_secret(gnutls_datum_t *datum)
{
	if (datum->data != NULL) {
		gnutls_memset(datum->data, 0, datum->size);
		gnutls_free(datum->data);
	}
	datum->size = 0;
}

/* a datum that points at @bytes (never NULL, even for an empty GBytes) */
static inline gnutls_datum_t
suit_gnutls_datum_from_bytes(GBytes *bytes)
{
	static guint8 empty[1] = {0};
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	gnutls_datum_t datum = {.data = data != NULL ? (guint8 *)data : empty, .size = len};
	return datum;
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_privkey_t, gnutls_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_pubkey_t, gnutls_pubkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

/* use as g_auto(SuitGnutlsDatum) datum = {NULL, 0}; */
typedef gnutls_datum_t SuitGnutlsDatum;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitGnutlsDatum, suit_gnutls_datum_clear)
/* the same for private key material, wiped before it is freed */
typedef gnutls_datum_t SuitGnutlsSecretDatum;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitGnutlsSecretDatum, suit_gnutls_datum_clear_secret)

G_END_DECLS
