-- 011_compact_history: the subscription history as integers, so that a clock move's history
-- rows stay cheap however long the history grows (bench/clock.sh). Answers do not change.
--
-- A clock move writes one history row per subscription. With the subscription's and the
-- packages' text ids in every row and in its index, each row took about 150 bytes and each
-- index entry 50, at a random place of the index: a slice of 256 subscriptions dirtied about as
-- many index pages, and a P1Y over 10,000 subscriptions took 75 ms on a new history and 90 ms
-- once six moves had written 60,000 rows. subscription_history keeps the same facts as numbers:
-- the subscription's and the packages' rowids (those tables have indexes, so VACUUM and VACUUM
-- INTO keep their rowids: tests/unit/test_db.c checks it), the action and the statuses as the
-- values of enum sub_event_kind and enum sub_status (src/store/events_db.h and
-- subscriptions_db.h: appended to, never renumbered).
CREATE TABLE subscription_history (
    id            INTEGER PRIMARY KEY,
    subscription  INTEGER NOT NULL,  -- subscriptions.rowid; deleted with it (trigger below)
    at            INTEGER NOT NULL,
    action        INTEGER NOT NULL CHECK (action BETWEEN 0 AND 11),  -- enum sub_event_kind
    from_package  INTEGER,           -- packages.rowid
    to_package    INTEGER,
    status_before INTEGER CHECK (status_before BETWEEN 0 AND 2),     -- enum sub_status
    status_after  INTEGER NOT NULL CHECK (status_after BETWEEN 0 AND 2),
    credit_cents  INTEGER,           -- proration: unused part of the old period
    charge_cents  INTEGER,           -- proration: the new period
    periods       INTEGER NOT NULL DEFAULT 1,  -- consecutive renewals / resets recorded as one
    until_at      INTEGER            -- the last of them, when periods > 1
) STRICT;

INSERT INTO subscription_history (id, subscription, at, action, from_package, to_package,
                                  status_before, status_after, credit_cents, charge_cents,
                                  periods, until_at)
SELECT e.id, s.rowid, e.at,
       CASE e.action WHEN 'created' THEN 0 WHEN 'upgrade' THEN 1 WHEN 'reactivate' THEN 2
           WHEN 'downgrade' THEN 3 WHEN 'cancel' THEN 4 WHEN 'resume' THEN 5
           WHEN 'deactivate' THEN 6 WHEN 'trial_ended' THEN 7 WHEN 'renewal' THEN 8
           WHEN 'downgrade_applied' THEN 9 WHEN 'cancellation_applied' THEN 10
           WHEN 'stp_reset' THEN 11 END,
       fp.rowid, tp.rowid,
       CASE e.status_before WHEN 'active' THEN 0 WHEN 'canceled' THEN 1 WHEN 'inactive' THEN 2 END,
       CASE e.status_after WHEN 'active' THEN 0 WHEN 'canceled' THEN 1 WHEN 'inactive' THEN 2 END,
       e.credit_cents, e.charge_cents, e.periods, e.until_at
FROM subscription_events e
JOIN subscriptions s ON s.id = e.subscription_id
LEFT JOIN packages fp ON fp.id = e.from_package_id
LEFT JOIN packages tp ON tp.id = e.to_package_id;
DROP TRIGGER subscription_events_cascade;
DROP TABLE subscription_events;

CREATE INDEX subscription_history_by_subscription ON subscription_history (subscription, at, id);
CREATE TRIGGER subscription_history_cascade AFTER DELETE ON subscriptions BEGIN
    DELETE FROM subscription_history WHERE subscription = old.rowid;
END;

-- The history with its text ids and names, as it was stored before: what snapshots export and
-- import (src/store/snapshot_db.c) and what tests and tools write by hand. Writes go through
-- the trigger below; the server's own reads and writes use subscription_history.
CREATE VIEW subscription_events (id, subscription_id, at, action, from_package_id,
                                 to_package_id, status_before, status_after, credit_cents,
                                 charge_cents, periods, until_at) AS
SELECT h.id, s.id, h.at,
       CASE h.action WHEN 0 THEN 'created' WHEN 1 THEN 'upgrade' WHEN 2 THEN 'reactivate'
           WHEN 3 THEN 'downgrade' WHEN 4 THEN 'cancel' WHEN 5 THEN 'resume'
           WHEN 6 THEN 'deactivate' WHEN 7 THEN 'trial_ended' WHEN 8 THEN 'renewal'
           WHEN 9 THEN 'downgrade_applied' WHEN 10 THEN 'cancellation_applied'
           WHEN 11 THEN 'stp_reset' END,
       fp.id, tp.id,
       CASE h.status_before WHEN 0 THEN 'active' WHEN 1 THEN 'canceled' WHEN 2 THEN 'inactive' END,
       CASE h.status_after WHEN 0 THEN 'active' WHEN 1 THEN 'canceled' WHEN 2 THEN 'inactive' END,
       h.credit_cents, h.charge_cents, h.periods, h.until_at
FROM subscription_history h
JOIN subscriptions s ON s.rowid = h.subscription
LEFT JOIN packages fp ON fp.rowid = h.from_package
LEFT JOIN packages tp ON tp.rowid = h.to_package;

-- An unknown subscription, action or status leaves a NULL that the table refuses (NOT NULL,
-- CHECK); an unknown package id is refused too.
CREATE TRIGGER subscription_events_insert INSTEAD OF INSERT ON subscription_events BEGIN
    SELECT RAISE(ABORT, 'subscription_events: unknown package')
    WHERE (new.from_package_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM packages WHERE id = new.from_package_id))
       OR (new.to_package_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM packages WHERE id = new.to_package_id))
       OR (new.status_before IS NOT NULL
           AND new.status_before NOT IN ('active', 'canceled', 'inactive'));
    INSERT INTO subscription_history (subscription, at, action, from_package, to_package,
                                      status_before, status_after, credit_cents, charge_cents,
                                      periods, until_at)
    VALUES ((SELECT rowid FROM subscriptions WHERE id = new.subscription_id), new.at,
            CASE new.action WHEN 'created' THEN 0 WHEN 'upgrade' THEN 1 WHEN 'reactivate' THEN 2
                WHEN 'downgrade' THEN 3 WHEN 'cancel' THEN 4 WHEN 'resume' THEN 5
                WHEN 'deactivate' THEN 6 WHEN 'trial_ended' THEN 7 WHEN 'renewal' THEN 8
                WHEN 'downgrade_applied' THEN 9 WHEN 'cancellation_applied' THEN 10
                WHEN 'stp_reset' THEN 11 END,
            (SELECT rowid FROM packages WHERE id = new.from_package_id),
            (SELECT rowid FROM packages WHERE id = new.to_package_id),
            CASE new.status_before WHEN 'active' THEN 0 WHEN 'canceled' THEN 1
                WHEN 'inactive' THEN 2 END,
            CASE new.status_after WHEN 'active' THEN 0 WHEN 'canceled' THEN 1
                WHEN 'inactive' THEN 2 END,
            new.credit_cents, new.charge_cents, coalesce(new.periods, 1), new.until_at);
END;
