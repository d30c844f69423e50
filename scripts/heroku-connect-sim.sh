#!/usr/bin/env bash
# Plays Heroku Connect once against a CRM mirror, for local runs, `make demo` and the tests: what
# its sync leaves in the mirror when Salesforce has answered (SYNC_RULES.md §9). Never used in
# production, where Heroku Connect itself does this.
#
#   scripts/heroku-connect-sim.sh DATABASE [OUTCOMES.csv]
#
# DATABASE is `sqlite:PATH` or a PostgreSQL URL (mirror schema `salesforce`, or LEADSYNC_CRM_SCHEMA).
# Every mirror row still PENDING without an sfid is synced: it gets an sfid (the object's key prefix,
# `SIM` and its id: 00QSIM000000000042), `_hc_lastop = 'SYNCED'`, a new `systemmodstamp`, a SUCCESS
# entry in `_trigger_log`, and its relationship external ids (`account__leadsync_id__c`,
# `contact__leadsync_id__c`) resolved to `accountid` / `contactid`. A row naming an account or
# contact Salesforce refused fails as Salesforce fails it; one whose parent has not synced waits.
# Accounts go first, as Heroku Connect orders parents before children. Rows updated by the job
# (`_hc_lastop = 'PENDING'` with an sfid) are pushed: SYNCED.
# OUTCOMES.csv (header `object,leadsync_id__c,action,_hc_err,sf_message`) says otherwise for rows
# named by their `leadsync_id__c`:
#   fail    Salesforce refused it: `_hc_lastop = 'FAILED'`, `_hc_err` as given (empty: NULL), and a
#           FAILED `_trigger_log` entry whose message is `sf_message`, else `_hc_err`;
#   stall   Heroku Connect has not got to it: left as it is;
#   delete  the mirror row is removed (someone deleted it under the job).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
database=$1
outcomes=${2:-}
schema=${LEADSYNC_CRM_SCHEMA:-salesforce}
if [ -n "$outcomes" ] && [ ! -r "$outcomes" ]; then echo "heroku-connect-sim: cannot read $outcomes" >&2; exit 2; fi
if [ -n "$outcomes" ] && [ "$(head -n 1 "$outcomes" | tr -d '\r')" != "object,leadsync_id__c,action,_hc_err,sf_message" ]; then
  echo "heroku-connect-sim: $outcomes: the header must be object,leadsync_id__c,action,_hc_err,sf_message" >&2; exit 2
fi

case "$database" in
  sqlite:*) engine=sqlite; now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"; id12="printf('%012d', id)" ;;
  postgres:*|postgresql:*) engine=postgres; now="now() AT TIME ZONE 'UTC'"; id12="lpad(id::text, 12, '0')" ;;
  *) echo "heroku-connect-sim: DATABASE must be sqlite:PATH or a postgres:// URL" >&2; exit 2 ;;
esac

# The SQL of one object: its deletions, failures and syncs. $1 table, $2 its key prefix, $3 the
# relationship columns it resolves (parent table:external-id column:id column ...).
object_sql() {
  local t=$1 prefix=$2 q="\"$1\""
  local named="SELECT o.leadsync_id__c FROM hc_sim_outcome o WHERE o.object = '$t' AND o.leadsync_id__c IS NOT NULL"
  local refused="" resolve=""
  for rel in $3; do
    IFS=: read -r parent ext idcol <<< "$rel"
    # A parent Salesforce refused: the child fails as Salesforce fails it.
    refused+=" OR (m.$ext IS NOT NULL AND EXISTS (SELECT 1 FROM $parent p WHERE p.leadsync_id__c = m.$ext AND p._hc_lastop = 'FAILED' AND p.sfid IS NULL))"
    resolve+=", $idcol = COALESCE($idcol, (SELECT p.sfid FROM $parent p WHERE p.leadsync_id__c = $q.$ext))"
  done
  # Rows whose parent has not synced yet wait, as Heroku Connect retries them.
  local waiting=""
  for rel in $3; do
    IFS=: read -r parent ext idcol <<< "$rel"
    waiting+=" AND (m.$ext IS NULL OR m.$idcol IS NOT NULL OR EXISTS (SELECT 1 FROM $parent p WHERE p.leadsync_id__c = m.$ext AND p.sfid IS NOT NULL))"
  done
  cat <<SQL
DELETE FROM $q WHERE leadsync_id__c IN ($named AND o.action = 'delete');
INSERT INTO hc_sim_failed (object, id, hc_err, sf_message)
SELECT '$t', m.id, NULLIF(o._hc_err, ''), COALESCE(NULLIF(o.sf_message, ''), NULLIF(o._hc_err, ''))
FROM $q m JOIN hc_sim_outcome o ON o.object = '$t' AND o.leadsync_id__c = m.leadsync_id__c AND o.action = 'fail'
WHERE m.sfid IS NULL;
INSERT INTO hc_sim_failed (object, id, hc_err, sf_message)
SELECT '$t', m.id, 'INVALID_FIELD: Foreign key external ID not found (its parent record was not created)', NULL
FROM $q m
WHERE m.sfid IS NULL AND m._hc_lastop = 'PENDING' AND (false$refused)
  AND (m.leadsync_id__c IS NULL OR m.leadsync_id__c NOT IN ($named));
UPDATE $q SET _hc_lastop = 'FAILED', _hc_err = (SELECT f.hc_err FROM hc_sim_failed f WHERE f.object = '$t' AND f.id = $q.id), systemmodstamp = $now
WHERE id IN (SELECT f.id FROM hc_sim_failed f WHERE f.object = '$t');
INSERT INTO hc_sim_synced (object, id)
SELECT '$t', m.id FROM $q m
WHERE m.sfid IS NULL AND m._hc_lastop = 'PENDING'$waiting
  AND (m.leadsync_id__c IS NULL OR m.leadsync_id__c NOT IN ($named));
UPDATE $q SET sfid = '${prefix}SIM' || $id12, _hc_lastop = 'SYNCED', _hc_err = NULL, systemmodstamp = $now$resolve
WHERE id IN (SELECT s.id FROM hc_sim_synced s WHERE s.object = '$t');
UPDATE $q SET _hc_lastop = 'SYNCED', systemmodstamp = $now WHERE sfid IS NOT NULL AND _hc_lastop = 'PENDING';
SQL
}

sql_text() {
  cat <<SQL
CREATE TEMP TABLE hc_sim_failed (object text, id integer, hc_err text, sf_message text);
CREATE TEMP TABLE hc_sim_synced (object text, id integer);
SQL
  object_sql account 001 ""
  object_sql lead 00Q ""
  object_sql contact 003 "account:account__leadsync_id__c:accountid"
  object_sql opportunity 006 "account:account__leadsync_id__c:accountid contact:contact__leadsync_id__c:contactid"
  object_sql case 500 ""
  object_sql task 00T ""
  cat <<SQL
INSERT INTO _trigger_log (table_name, record_id, action, state, sf_message, created_at)
SELECT object, id, 'INSERT', 'FAILED', sf_message, $now FROM hc_sim_failed;
INSERT INTO _trigger_log (table_name, record_id, action, state, sf_message, created_at)
SELECT object, id, 'INSERT', 'SUCCESS', NULL, $now FROM hc_sim_synced;
SELECT 'heroku-connect-sim: ' || (SELECT count(*) FROM hc_sim_synced) || ' synced, '
       || (SELECT count(*) FROM hc_sim_failed) || ' failed';
SQL
}

outcome_table="CREATE TEMP TABLE hc_sim_outcome (object text, leadsync_id__c text, action text, _hc_err text, sf_message text);"
if [ $engine = sqlite ]; then
  command -v sqlite3 >/dev/null || { echo "heroku-connect-sim: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
  path=${database#sqlite:}
  [ -f "$path" ] || { echo "heroku-connect-sim: no database at $path" >&2; exit 2; }
  {
    echo ".bail on"
    echo ".timeout 30000"
    echo "$outcome_table"
    [ -n "$outcomes" ] && printf '.import --csv --skip 1 --schema temp "%s" hc_sim_outcome\n' "${outcomes//\"/\\\"}"
    echo "BEGIN IMMEDIATE;"
    sql_text
    echo "COMMIT;"
  } | sqlite3 -batch "$path"
else
  command -v psql >/dev/null || { echo "heroku-connect-sim: needs psql (apt-get install postgresql-client)" >&2; exit 2; }
  {
    echo "SET search_path TO \"$schema\", public;"
    echo "$outcome_table"
    [ -n "$outcomes" ] && printf "\\\\copy hc_sim_outcome FROM '%s' WITH (FORMAT csv, HEADER true)\n" "${outcomes//\'/\'\'}"
    sql_text
  } | psql -X -q -t -A -v ON_ERROR_STOP=1 --single-transaction -f - "$database"
fi
