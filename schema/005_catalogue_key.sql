-- 005_catalogue_key: a default package keeps the name the catalogue gave it, so that a partner may
-- rename it (PATCH /v2/3as/packages/{id}) and the mock still finds its Free package and its free
-- trial (D4). NULL for the packages a partner makes.

ALTER TABLE packages ADD COLUMN catalogue_key TEXT;

UPDATE packages SET catalogue_key = name WHERE is_default = 1;

CREATE INDEX packages_by_catalogue_key ON packages (intp_id, catalogue_key, period);
