/* A partner's snapshot as a JSON document and its restore: shared by the snapshot routes
 * (snapshot.c) and the fixtures loader (fixtures.c). The format is README "Snapshots, seeds and
 * backup": {"version": 1, "intp": {…}, "packages": […], …}, one member per table of
 * store/snapshot_db.h, each row's keys the lowerCamelCase of its columns. */
#ifndef MOCK3AS_ADMIN_SNAPSHOT_H
#define MOCK3AS_ADMIN_SNAPSHOT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "http/response.h"
#include "store/snapshot_db.h"

/* The snapshot format version written and read. */
#define SNAPSHOT_VERSION 1

/* The document of `s`: a new tree the caller owns. */
cJSON *snapshot_to_json(const struct snapshot *s);

/* Read document `doc` (the payload of GET …/snapshot, or that whole answer {"payload": …}) into
 * *out (empty at first; the caller releases it, also after a failure). 0, or -1 with the 400
 * naming the field ("customers[2].email") in `res`. Strings are borrowed from nowhere: *out
 * owns copies. */
int snapshot_parse_or_reply(const cJSON *doc, struct snapshot *out, struct response *res);

/* Restore `s` as partner `id`, replacing all it owns (or creating it), inside the caller's
 * transaction. A snapshot taken from another partner id has its global ids and hashes renamed
 * first (deterministically, from `id` and the old value), so the copy collides with nothing of
 * its source. 0 with *existed set, or -1 with the 400 (a bad key, a dangling reference, a value
 * the schema refuses) or the 500 in `res`. The caller rolls back on -1 and drops cached keys
 * on 0. */
int snapshot_restore_or_reply(struct db *db, const char *id, struct snapshot *s, bool *existed,
                              struct response *res);

#endif
