-- Creates the table that records applied migrations.
-- SQLite has no schemas: job and mirror tables share the one database file.
CREATE TABLE IF NOT EXISTS schema_migration (
    set_name   text    NOT NULL,
    version    integer NOT NULL,
    name       text    NOT NULL,
    applied_at text    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (set_name, version)
);
