/* Store of partners (INTPs): SQL only, testable against ":memory:" without HTTP. */
#ifndef MOCK3AS_INTPS_DB_H
#define MOCK3AS_INTPS_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A partner. It always owns its strings (intp_release frees them): the store allocates them on
 * read, onboarding (billing/onboard.c) duplicates what it is given. */
struct intp {
    char *id;
    char *name;
    char *address;
    char *subscription_type; /* "website" | "intpc" */
    char *billing_mode;      /* "company_managed" | "platform_managed" */
    bool website_onboarding;
    char *public_key;  /* SPKI PEM */
    char *private_key; /* PKCS#8 PEM, or NULL when the partner keeps its own */
    int64_t created_at;
};

/* Free the strings of `p` (not `p` itself). */
void intp_release(struct intp *p);

/* Insert `p`. DB_CONFLICT when the id exists. */
enum db_result intps_db_insert(struct db *db, const struct intp *p);

/* Load partner `id` into *out (release with intp_release). DB_NOT_FOUND when unknown. */
enum db_result intps_db_get(struct db *db, const char *id, struct intp *out);

/* The subscription type and billing mode of partner `id` into type[16] and mode[24]. */
enum db_result intps_db_model(struct db *db, const char *id, char *type, char *mode);

/* Call `fn` for every partner in creation order; a non-zero return from fn stops the walk and
 * makes the call return DB_ERROR. The struct passed is borrowed for the call only. */
enum db_result intps_db_foreach(struct db *db, int (*fn)(const struct intp *p, void *ctx),
                                void *ctx);

/* Delete partner `id`, tombstoned or not, and by cascade everything below it, in one statement:
 * the whole cost lands in the caller's transaction. DB_NOT_FOUND when unknown or tombstoned
 * (a tombstone is deleted all the same). */
enum db_result intps_db_delete(struct db *db, const char *id);

/* Delete every partner. */
enum db_result intps_db_delete_all(struct db *db);

/* Delete what partner `id` made through the partner API (custom packages and everything later
 * issues add below customers and websites), keeping the partner and its default catalogue. */
enum db_result intps_db_wipe(struct db *db, const char *id);

/* ---- tombstones: a partner deleted in slices ----
 * A tombstoned partner (deleted_at set) is absent for every read of the stores (intps_db_get,
 * _model, _foreach, clock_db_get, apikeys_db_find, refresh_db_find) while its rows are purged
 * in short transactions. */

/* Tombstone partner `id` at wall-clock time `now`: one row written. DB_NOT_FOUND when unknown
 * or already tombstoned. */
enum db_result intps_db_mark_deleted(struct db *db, const char *id, int64_t now);

/* Call `fn` with the id (borrowed for the call) of every tombstoned partner, oldest first. */
enum db_result intps_db_tombstones(struct db *db, void (*fn)(const char *id, void *ctx), void *ctx);

/* Delete at most `max_rows` (> 0) rows of tombstoned partner `id`, counting the rows cascades
 * remove: its subscriptions with their history, then its websites with their keys, tokens,
 * domains, contributors and assignments, then its customers, packages and totals, and in the
 * final step the partner row itself. *done is set once the partner row is gone. DB_OK; or
 * DB_NOT_FOUND with *done set when `id` is no tombstone (unknown, purged already, or live again:
 * a live partner is never touched); or DB_ERROR. Call it inside a transaction; each call starts
 * afresh, so a purge cut short (a crash) goes on from what is left. */
enum db_result intps_db_purge_step(struct db *db, const char *id, int max_rows, bool *done);

#endif
