-- 004_dashboard: what login via API key (contract D6) and the dashboard need: the mock's own
-- signing key and the refresh tokens that open the dashboard (websiteToken).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE refresh_tokens (
    token_hash BLOB PRIMARY KEY,                       -- SHA-256 of the token; the token is not kept
    website_id TEXT NOT NULL REFERENCES websites (id) ON DELETE CASCADE,
    api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,                       -- wall clock, like every token (D9)
    expires_at INTEGER NOT NULL
) STRICT;
