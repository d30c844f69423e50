-- A staging table for one import: the file is loaded here first, checked against
-- captured_contact, then applied in the same transaction.
-- Differs from PostgreSQL: SQLite has no ON COMMIT DROP, so the temp table lives for the
-- connection and captured_contact_import_clear empties it before each load.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS captured_contact_import (
    line integer,
    action text,
    external_id text,
    source text,
    captured_at text,
    captured_by text,
    assigned_to text,
    target_object text,
    salutation text,
    first_name text,
    last_name text,
    title text,
    department text,
    company text,
    email text,
    phone text,
    mobile text,
    website text,
    street text,
    postal_code text,
    city text,
    country text,
    notes text,
    custom_fields text
)
