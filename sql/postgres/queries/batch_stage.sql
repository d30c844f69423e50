-- Per-batch staging: the batch's match keys (kind 'e' email, 'p' phone) and each row's outcome,
-- loaded in bulk, then matched and written back with set-based statements.
-- params: none
-- returns: none
CREATE TEMP TABLE IF NOT EXISTS batch_key (
    row_id       bigint,
    kind         text,
    key          text,
    lastname_key text
)
