-- 012_subscription_periods: a subscription's period in a narrow table of its own, so that a
-- clock move rewrites 50-byte rows and an integer-keyed index instead of the whole
-- subscription and a text-keyed one (bench/clock.sh). Answers do not change.
--
-- A renewal changes three numbers of a subscription: the period's start, its end and the next
-- touchpoint reset. Stored in subscriptions, each renewal rewrote the row (18 columns, about
-- 200 bytes, five of them ids) and moved its entry in subscriptions_due, keyed by the partner's
-- 36-character id. The same walk over 10,000 subscriptions, outside the server: updates 46 ->
-- 29 ms, commit 15 -> 10 ms. subscription_periods holds those numbers, keyed by the
-- subscription's rowid, and the next due time, keyed by the partner's rowid (subscriptions and
-- intps have indexes, so VACUUM and VACUUM INTO keep their rowids: tests/unit/test_db.c checks
-- it). next_due_at is no longer generated: the store writes it with the period
-- (subscriptions_db.c, next_due()); the trigger below computes it the same way for rows
-- written by hand.
CREATE TABLE subscription_periods (
    subscription INTEGER PRIMARY KEY,  -- subscriptions.rowid; deleted with it (trigger below)
    intp         INTEGER NOT NULL,     -- intps.rowid of the subscription's partner
    period_start INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    stp_reset_at INTEGER NOT NULL,
    -- the next moment a scheduled transition is due (trial end, renewal, stp reset); NULL while
    -- inactive
    next_due_at  INTEGER
) STRICT;

INSERT INTO subscription_periods (subscription, intp, period_start, expires_at, stp_reset_at,
                                  next_due_at)
SELECT s.rowid, i.rowid, s.period_start, s.expires_at, s.stp_reset_at, s.next_due_at
FROM subscriptions s JOIN intps i ON i.id = s.intp_id;

CREATE INDEX subscription_periods_due ON subscription_periods (intp, next_due_at);
-- subscriptions_due was also the index under the foreign key intp_id (a partner's delete and
-- purge, its snapshot): this one does that now, and never moves
DROP INDEX subscriptions_due;
CREATE INDEX subscriptions_by_intp ON subscriptions (intp_id);
ALTER TABLE subscriptions DROP COLUMN next_due_at;
ALTER TABLE subscriptions DROP COLUMN period_start;
ALTER TABLE subscriptions DROP COLUMN expires_at;
ALTER TABLE subscriptions DROP COLUMN stp_reset_at;

CREATE TRIGGER subscription_periods_cascade AFTER DELETE ON subscriptions BEGIN
    DELETE FROM subscription_periods WHERE subscription = old.rowid;
END;

-- A subscription whole, as it was stored before: what snapshots export and import
-- (src/store/snapshot_db.c) and what tests and tools write by hand. Writes go through the
-- trigger below; the server's own reads and writes use the two tables. `seq` is the
-- subscription's rowid: the order the rows were written in.
CREATE VIEW subscriptions_full (seq, id, intp_id, type, website_id, customer_id, package_id,
                                status, billing_anchor, period_start, expires_at, stp_reset_at,
                                last_package_change_at, in_trial, had_trial, trial_ends_at,
                                trial_fallback_id, planned_package_id, created_at,
                                next_due_at) AS
SELECT s.rowid, s.id, s.intp_id, s.type, s.website_id, s.customer_id, s.package_id, s.status,
       s.billing_anchor, p.period_start, p.expires_at, p.stp_reset_at, s.last_package_change_at,
       s.in_trial, s.had_trial, s.trial_ends_at, s.trial_fallback_id, s.planned_package_id,
       s.created_at, p.next_due_at
FROM subscriptions s JOIN subscription_periods p ON p.subscription = s.rowid;

-- A NULL period column, or an unknown partner, leaves a NULL that the table refuses.
CREATE TRIGGER subscriptions_full_insert INSTEAD OF INSERT ON subscriptions_full BEGIN
    INSERT INTO subscriptions (id, intp_id, type, website_id, customer_id, package_id, status,
                               billing_anchor, last_package_change_at, in_trial, had_trial,
                               trial_ends_at, trial_fallback_id, planned_package_id, created_at)
    VALUES (new.id, new.intp_id, new.type, new.website_id, new.customer_id, new.package_id,
            new.status, new.billing_anchor, new.last_package_change_at,
            coalesce(new.in_trial, 0), coalesce(new.had_trial, 0), new.trial_ends_at,
            new.trial_fallback_id, new.planned_package_id, new.created_at);
    INSERT INTO subscription_periods (subscription, intp, period_start, expires_at,
                                      stp_reset_at, next_due_at)
    VALUES ((SELECT rowid FROM subscriptions WHERE id = new.id),
            (SELECT rowid FROM intps WHERE id = new.intp_id),
            new.period_start, new.expires_at, new.stp_reset_at,
            CASE WHEN new.status = 'inactive' THEN NULL
                 ELSE min(new.expires_at, new.stp_reset_at,
                          coalesce(new.trial_ends_at, new.expires_at)) END);
END;
