-- Per-batch staging of outcomes; ref_* name a mirror row written in this run whose id is
-- resolved after the write (the row's own record, or the earlier row it duplicates).
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS batch_outcome (
    id              integer PRIMARY KEY,
    status          text,
    error_code      text,
    error_message   text,
    crm_object      text,
    crm_id          integer,
    ref_external_id text,
    owner_sfid      text,
    owner_source    text
)
