-- 001_init: partners (INTPs) and their package catalogues.
-- Times are unix seconds (UTC); money is integer cents. Columns map 1:1 to the JSON keys.
-- Lists order by (created_at, rowid): the rowid keeps insertion order within one second.

CREATE TABLE intps (
    id                 TEXT PRIMARY KEY,        -- the partner id, also the JWT kid
    name               TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    subscription_type  TEXT NOT NULL CHECK (subscription_type IN ('website', 'intpc')),
    billing_mode       TEXT NOT NULL CHECK (billing_mode IN ('company_managed', 'platform_managed')),
    website_onboarding INTEGER NOT NULL DEFAULT 0 CHECK (website_onboarding IN (0, 1)),
    public_key         TEXT NOT NULL,           -- SPKI PEM
    private_key        TEXT,                    -- PKCS#8 PEM, only when the mock generated the pair
    created_at         INTEGER NOT NULL
) STRICT;

CREATE TABLE packages (
    id           TEXT PRIMARY KEY,
    intp_id      TEXT NOT NULL REFERENCES intps (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    currency     TEXT NOT NULL CHECK (currency IN ('EUR', 'USD', 'RON')),
    period       TEXT NOT NULL CHECK (period IN ('monthly', 'yearly')),
    touchpoints  INTEGER NOT NULL,              -- -1 means unlimited (the free trial)
    recommended  INTEGER NOT NULL DEFAULT 0 CHECK (recommended IN (0, 1)),
    visibility   TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'restricted')),
    external_id  TEXT,
    is_default   INTEGER NOT NULL DEFAULT 0,    -- 1: part of the catalogue made at onboarding
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX packages_by_intp ON packages (intp_id);
