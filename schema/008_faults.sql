-- 008_faults: fault-injection rules of a partner (README "Fault injection"). Stored, so that two
-- processes on one file and a restart see the same rules and the same counters. A rule is tried
-- in creation order (seq); `matched` counts the requests it was tried on (the index of its next
-- seeded draw), `fired` those it faulted (spent when it reaches `times`). They go with their
-- partner: the partner's row is deleted last by the purge, and the delete cascades here.

CREATE TABLE faults (
    seq                INTEGER PRIMARY KEY,  -- creation order: rules are tried oldest first
    id                 TEXT NOT NULL UNIQUE,
    intp_id            TEXT NOT NULL REFERENCES intps (id) ON DELETE CASCADE,
    method             TEXT,                 -- NULL: any method
    route              TEXT,                 -- a route template of src/routes.c, or NULL
    path               TEXT,                 -- an exact path, or a prefix ending in '*', or NULL
    status             INTEGER,              -- answered instead of the handler's answer
    body               TEXT,                 -- JSON answered instead of the D2 error body
    delay_ms           INTEGER,              -- a fixed delay
    delay_distribution TEXT CHECK (delay_distribution IN ('uniform', 'lognormal')),
    delay_min_ms       INTEGER,              -- uniform
    delay_max_ms       INTEGER,
    delay_median_ms    INTEGER,              -- lognormal
    delay_sigma        REAL,
    drop_connection    INTEGER NOT NULL DEFAULT 0,
    retry_after        INTEGER,              -- seconds, sent as Retry-After
    after_commit       INTEGER NOT NULL DEFAULT 0, -- the handler runs and commits first
    times              INTEGER,              -- fires at most this often; NULL: no limit
    probability        REAL,                 -- NULL: every time
    seed               INTEGER NOT NULL,
    matched            INTEGER NOT NULL DEFAULT 0,
    fired              INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL
);

CREATE INDEX faults_intp ON faults (intp_id, seq);
