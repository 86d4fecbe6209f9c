#!/usr/bin/env bash
# Samples the pipeline's stages of a running bench/outside.sh once a second: deposits by state,
# pending jobs by kind, the simulated operator's transactions by status, callback attempts so far.
# A stage whose count keeps growing while the next one's stays flat is where the pipeline waits
# (issue 14, bench/README.md, session 12). Run it beside the benchmark:
#   bench/outside.sh --short > run.txt & sleep 20; bench/stages.sh 90 > stages.txt
set -euo pipefail
seconds="${1:-90}"
work="$(ls -dt "${TMPDIR:-/tmp}"/kulipa-outside.* 2>/dev/null | head -1)"
[ -n "$work" ] && [ -f "$work/data/postgres/postmaster.pid" ] || { echo "no running bench/outside.sh found" >&2; exit 1; }
export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres
export PGPORT="$(sed -n 4p "$work/data/postgres/postmaster.pid")"
q() { psql -Atq -c "$1" 2>/dev/null || echo "?"; }
for _ in $(seq 1 "$seconds"); do
  echo "$(date +%T) deposits $(q "SELECT string_agg(state || '=' || n, ' ') FROM (SELECT state, count(*) n
      FROM payment WHERE kind = 'DEPOSIT' GROUP BY state ORDER BY state) s") | pending jobs $(q "SELECT
      string_agg(kind || '=' || n, ' ') FROM (SELECT kind, count(*) n FROM outbox WHERE state = 'PENDING'
      GROUP BY kind ORDER BY kind) s") | operator $(q "SELECT string_agg(status || '=' || n, ' ') FROM
      (SELECT status, count(*) n FROM sim_transaction GROUP BY status ORDER BY status) s") | attempts $(q
      "SELECT count(*) FROM callback_attempt")"
  sleep 1
done
