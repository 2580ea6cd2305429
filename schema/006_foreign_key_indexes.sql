-- 006_foreign_key_indexes: an index under every foreign key a delete or a cascade walks. Without
-- them, deleting a partner (its packages) scanned every subscription of every partner: 0.8 s on a
-- 138 MB database, with every other request waiting. tests/unit/test_db.c keeps the rule: no
-- foreign key without an index.

CREATE INDEX subscriptions_by_package ON subscriptions (package_id);
CREATE INDEX subscriptions_by_planned_package ON subscriptions (planned_package_id);
CREATE INDEX subscriptions_by_trial_fallback ON subscriptions (trial_fallback_id);
CREATE INDEX refresh_tokens_by_api_key ON refresh_tokens (api_key_id);
CREATE INDEX refresh_tokens_by_website ON refresh_tokens (website_id);
