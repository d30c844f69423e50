-- Creates the job's schema and the table that records applied migrations.
-- Runs under the migration advisory lock, so two `leadsync migrate` at once cannot race here.
-- {{job_schema}} is substituted once, allow-listed and quoted.
CREATE SCHEMA IF NOT EXISTS {{job_schema}};
CREATE TABLE IF NOT EXISTS {{job_schema}}.schema_migration (
    set_name   text        NOT NULL,
    version    integer     NOT NULL,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (set_name, version)
);
