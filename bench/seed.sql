-- bench/seed.sql: N customers, each with one website on Basic (monthly), for partner :intp.
-- bench/resources.sh substitutes @N@, @INTP@ and @NOW@. Written straight into the database
-- (WAL: alongside the running server) because seeding 100,000 through HTTP would dominate the
-- run; the routes measured read and write what the API itself writes.
BEGIN;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @N@)
INSERT INTO customers (id, intp_id, intp_customer_id, email, created_at)
SELECT lower(hex(randomblob(16))), '@INTP@', 'seed-' || n, 'seed-' || n || '@example.com', @NOW@
FROM seq;
INSERT INTO websites (id, intp_id, intp_website_id, customer_id, domain, subscription_id, created_at)
SELECT lower(hex(randomblob(16))), intp_id, 'seedw-' || substr(intp_customer_id, 6), id,
       'seed.example.com', lower(hex(randomblob(16))), created_at
FROM customers WHERE intp_id = '@INTP@' AND intp_customer_id LIKE 'seed-%';
INSERT INTO subscriptions_full (id, intp_id, type, website_id, package_id, status, billing_anchor,
                                period_start, expires_at, stp_reset_at, created_at)
SELECT w.subscription_id, w.intp_id, 'website', w.id,
       (SELECT id FROM packages WHERE intp_id = w.intp_id AND name = 'Basic' AND period = 'monthly'),
       'active', @NOW@, @NOW@, @NOW@ + 2592000, @NOW@ + 2592000, @NOW@
FROM websites w WHERE w.intp_id = '@INTP@' AND w.intp_website_id LIKE 'seedw-%';
COMMIT;
