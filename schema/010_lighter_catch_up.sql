-- 010_lighter_catch_up: two changes that make a clock move cheaper per subscription
-- (bench/clock.sh). Answers do not change.
--
-- The history loses its foreign key to subscriptions: every row the clock writes probed the
-- subscriptions' primary key for a parent the same transaction had just read (about a third of
-- the cost of an insert). The store only writes history for a subscription it holds, and a
-- snapshot's rows are checked against its own subscriptions (snapshot_db.c). The cascade becomes
-- a trigger; SQLite runs it for a subscription deleted by a cascade too.
CREATE TABLE subscription_events_new (
    id              INTEGER PRIMARY KEY,
    subscription_id TEXT NOT NULL,       -- subscriptions (id); deleted with it (trigger below)
    at              INTEGER NOT NULL,
    action          TEXT NOT NULL,       -- created, upgrade, downgrade, cancel, resume, deactivate,
                                         -- reactivate, renewal, downgrade_applied,
                                         -- cancellation_applied, trial_ended, stp_reset
    from_package_id TEXT,
    to_package_id   TEXT,
    status_before   TEXT,
    status_after    TEXT NOT NULL,
    credit_cents    INTEGER,             -- proration: unused part of the old period
    charge_cents    INTEGER,             -- proration: the new period
    periods         INTEGER NOT NULL DEFAULT 1,  -- consecutive renewals / resets recorded as one
    until_at        INTEGER              -- the last of them, when periods > 1
) STRICT;
INSERT INTO subscription_events_new SELECT * FROM subscription_events;
DROP TABLE subscription_events;
ALTER TABLE subscription_events_new RENAME TO subscription_events;
CREATE INDEX subscription_events_by_subscription ON subscription_events (subscription_id, at, id);
CREATE TRIGGER subscription_events_cascade AFTER DELETE ON subscriptions BEGIN
    DELETE FROM subscription_events WHERE subscription_id = old.id;
END;

-- The websites that have consumed anything since their last touchpoint reset, by partner. A
-- move zeroes the usage of every subscription that starts a new period: it skips that when
-- the partner has no website here, and otherwise looks each subscription up in this index,
-- which holds only the websites with usage, instead of reading every website's row.
CREATE INDEX websites_in_use ON websites (intp_id, subscription_id)
    WHERE visits OR visit_events OR session_recordings OR heatmap_increments OR poll_answers
          OR survey_answers OR funnel_matches;
