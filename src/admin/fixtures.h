/* Fixtures: the partners of <dir>/intps.json, onboarded into a new (or reset) database. */
#ifndef MOCK3AS_FIXTURES_H
#define MOCK3AS_FIXTURES_H

#include <cjson/cJSON.h>

#include "store/db.h"

/* Onboard every partner of <dir>/intps.json (dir may be NULL: none) through intp_onboard()
 * (billing/onboard.h), inside the caller's transaction. Each entry is a POST /__admin/intps body
 * whose "publicKeyFile" and "privateKeyFile" (relative to the directory) are read into publicKey
 * and privateKey. Then restore every <dir>/snapshots/<name>.json (in name order) as the partner
 * it was taken from (a seed), replacing one just onboarded: a snapshot document
 * (admin/snapshot.h) or GET …/snapshot's answer, whose optional "asOf" (RFC 3339) moves its
 * times by whole days so that asOf is today. Either file may be missing. Appends the ids
 * onboarded or created to `ids` (may be NULL). Returns 0 (also when there is no fixtures
 * directory or file), or -1 (logged). */
int fixtures_load(struct db *db, const char *dir, cJSON *ids);

#endif
