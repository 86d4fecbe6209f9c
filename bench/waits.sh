#!/usr/bin/env bash
# Samples what the gateway's PostgreSQL sessions of a running bench/outside.sh wait for, twice a
# second: the active client sessions counted by wait event ("cpu:-" when on the CPU). Many
# sessions on Lock:tuple and Lock:transactionid at once are batches queued on one row (issue 14,
# bench/README.md, session 18: the hot wallet's). Run it beside the benchmark:
#   bench/outside.sh --short > run.txt & sleep 3; bench/waits.sh > waits.txt
set -uo pipefail
work=""
for _ in $(seq 1 120); do
  work="$(ls -dt "${TMPDIR:-/tmp}"/kulipa-outside.* 2>/dev/null | head -1)"
  [ -n "$work" ] && [ -f "$work/data/postgres/postmaster.pid" ] && break
  sleep 1
done
[ -n "$work" ] && [ -f "$work/data/postgres/postmaster.pid" ] || { echo "no running bench/outside.sh found" >&2; exit 1; }
export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres
export PGPORT="$(sed -n 4p "$work/data/postgres/postmaster.pid")"
while [ -f "$work/data/postgres/postmaster.pid" ]; do
  echo "$(date +%T) $(psql -Atq -c "SELECT string_agg(coalesce(wait_event_type, 'cpu') || ':' || coalesce(wait_event, '-')
      || '=' || n, ' ') FROM (SELECT wait_event_type, wait_event, count(*) n FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()
      GROUP BY 1, 2 ORDER BY 3 DESC) s" 2>/dev/null)"
  sleep 0.5
done
