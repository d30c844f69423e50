-- The outcomes of the batch being written, with each row's status and updated_at as claimed, loaded with one prepared insert per row
-- (captured_contact_write_outcome reads them): taking them from JSON cost a third of the
-- outcome write here. Lives for the connection; batch_outcome_clear empties it before each load.
-- Differs from PostgreSQL: SQLite has no ON COMMIT DELETE ROWS; id is the table's rowid, which
-- the update looks each row up by.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS batch_outcome (
    id            INTEGER PRIMARY KEY,
    status        text NOT NULL,
    error_code    text,
    error_message text,
    crm_object    text,
    crm_id        integer,
    owner_sfid    text,
    owner_source  text,
    routing_rule  text,
    claimed_status  text,
    claimed_version text
)
