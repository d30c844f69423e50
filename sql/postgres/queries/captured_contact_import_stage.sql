-- A staging table for one import: the file is loaded here first (COPY), checked against
-- captured_contact, then applied in the same transaction. Dropped at commit.
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
) ON COMMIT DROP
