-- 002_resources: customers (INTPCs), websites, their subscriptions, whitelisted domains, API keys,
-- contributors and custom-package assignments. Every row hangs off its partner: deleting a partner,
-- a customer or a website cascades to everything below it.

CREATE TABLE customers (
    id               TEXT PRIMARY KEY,                 -- 3AS id (also "visaId")
    intp_id          TEXT NOT NULL REFERENCES intps (id) ON DELETE CASCADE,
    intp_customer_id TEXT NOT NULL,                    -- the partner's own id
    email            TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    UNIQUE (intp_id, intp_customer_id),
    UNIQUE (intp_id, email COLLATE NOCASE)
) STRICT;

CREATE INDEX customers_by_created ON customers (intp_id, created_at);

-- One subscription per website (website model) or per customer (intpc model). Dates are unix
-- seconds; the billing anchor is the day the periods are counted from (calendar months/years).
CREATE TABLE subscriptions (
    id                     TEXT PRIMARY KEY,
    intp_id                TEXT NOT NULL REFERENCES intps (id) ON DELETE CASCADE,
    type                   TEXT NOT NULL CHECK (type IN ('website', 'intpc')),
    website_id             TEXT REFERENCES websites (id) ON DELETE CASCADE,   -- website model
    customer_id            TEXT REFERENCES customers (id) ON DELETE CASCADE,  -- intpc model
    package_id             TEXT NOT NULL REFERENCES packages (id),
    status                 TEXT NOT NULL CHECK (status IN ('active', 'canceled', 'inactive')),
    billing_anchor         INTEGER NOT NULL,
    period_start           INTEGER NOT NULL,
    expires_at             INTEGER NOT NULL,
    stp_reset_at           INTEGER NOT NULL,
    last_package_change_at INTEGER,
    in_trial               INTEGER NOT NULL DEFAULT 0 CHECK (in_trial IN (0, 1)),
    had_trial              INTEGER NOT NULL DEFAULT 0 CHECK (had_trial IN (0, 1)),
    trial_ends_at          INTEGER,
    trial_fallback_id      TEXT REFERENCES packages (id),  -- where a trial ends: Free (UFT) or stay
    planned_package_id     TEXT REFERENCES packages (id),  -- scheduled downgrade / cancel target
    created_at             INTEGER NOT NULL,
    -- the next moment a scheduled transition is due (trial end, renewal, stp reset); none while
    -- inactive
    next_due_at            INTEGER GENERATED ALWAYS AS (CASE WHEN status = 'inactive' THEN NULL
                               ELSE min(expires_at, stp_reset_at, coalesce(trial_ends_at, expires_at))
                               END) VIRTUAL,
    CHECK ((type = 'website') = (website_id IS NOT NULL)),
    CHECK ((type = 'intpc') = (customer_id IS NOT NULL))
) STRICT;

CREATE INDEX subscriptions_by_website ON subscriptions (website_id);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);
CREATE INDEX subscriptions_due ON subscriptions (intp_id, next_due_at);

CREATE TABLE websites (
    id              TEXT PRIMARY KEY,                  -- 3AS website uuid
    intp_id         TEXT NOT NULL REFERENCES intps (id) ON DELETE CASCADE,
    intp_website_id TEXT NOT NULL,                     -- the partner's own id
    customer_id     TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,  -- the owner
    domain          TEXT NOT NULL,
    privacy_level   INTEGER,
    subscription_id TEXT NOT NULL,                     -- its own (website) or the owner's (intpc)
    created_at      INTEGER NOT NULL,
    -- consumption since the subscription's last stp reset, as event counts (rates live in the
    -- code); an intpc pool is the sum over the customer's websites
    visits             INTEGER NOT NULL DEFAULT 0,
    visit_events       INTEGER NOT NULL DEFAULT 0,
    session_recordings INTEGER NOT NULL DEFAULT 0,
    heatmap_increments INTEGER NOT NULL DEFAULT 0,
    poll_answers       INTEGER NOT NULL DEFAULT 0,
    survey_answers     INTEGER NOT NULL DEFAULT 0,
    funnel_matches     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (intp_id, intp_website_id)
) STRICT;

CREATE INDEX websites_by_created ON websites (intp_id, created_at);
CREATE INDEX websites_by_customer ON websites (customer_id, created_at);
CREATE INDEX websites_by_subscription ON websites (subscription_id);
CREATE INDEX packages_by_intp_name ON packages (intp_id, name);

CREATE TABLE whitelisted_domains (
    website_id TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    domain     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (website_id, domain)
) STRICT;

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    website_id TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    key_hash   BLOB NOT NULL UNIQUE,                   -- SHA-256 of the key; the key is never kept
    created_at INTEGER NOT NULL,
    expires_at INTEGER
) STRICT;

CREATE INDEX api_keys_by_website ON api_keys (website_id, created_at);

CREATE TABLE contributors (
    website_id  TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('editor', 'watcher', 'dashboard')),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (website_id, customer_id)
) STRICT;

CREATE INDEX contributors_by_customer ON contributors (customer_id);

CREATE TABLE package_assignments (
    package_id  TEXT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    website_id  TEXT REFERENCES websites (id) ON DELETE CASCADE,
    customer_id TEXT REFERENCES customers (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    CHECK ((website_id IS NULL) != (customer_id IS NULL)),
    UNIQUE (package_id, website_id),
    UNIQUE (package_id, customer_id)
) STRICT;

CREATE INDEX package_assignments_by_website ON package_assignments (website_id);
CREATE INDEX package_assignments_by_customer ON package_assignments (customer_id);

-- Per-partner totals for the list "meta", kept by triggers so a list answer does not count
-- 100,000 index entries. Foreign-key cascades fire the delete triggers too.
CREATE TABLE intp_totals (
    intp_id   TEXT PRIMARY KEY REFERENCES intps (id) ON DELETE CASCADE,
    customers INTEGER NOT NULL DEFAULT 0,
    websites  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER customers_total_insert AFTER INSERT ON customers BEGIN
    INSERT INTO intp_totals (intp_id, customers) VALUES (NEW.intp_id, 1)
        ON CONFLICT (intp_id) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customers_total_delete AFTER DELETE ON customers BEGIN
    UPDATE intp_totals SET customers = customers - 1 WHERE intp_id = OLD.intp_id;
END;
CREATE TRIGGER websites_total_insert AFTER INSERT ON websites BEGIN
    INSERT INTO intp_totals (intp_id, websites) VALUES (NEW.intp_id, 1)
        ON CONFLICT (intp_id) DO UPDATE SET websites = websites + 1;
END;
CREATE TRIGGER websites_total_delete AFTER DELETE ON websites BEGIN
    UPDATE intp_totals SET websites = websites - 1 WHERE intp_id = OLD.intp_id;
END;
