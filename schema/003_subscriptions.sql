-- 003_subscriptions: the per-partner clock and the subscription history.

-- A partner's time is clock_frozen_at when set, else the wall clock plus clock_offset. Moving it
-- backwards is refused, so offsets only grow.
ALTER TABLE intps ADD COLUMN clock_offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE intps ADD COLUMN clock_frozen_at INTEGER;

-- Every change of a subscription: the actions the partner called and the transitions the clock
-- applied. Money in cents.
CREATE TABLE subscription_events (
    id              INTEGER PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
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

CREATE INDEX subscription_events_by_subscription ON subscription_events (subscription_id, at, id);
