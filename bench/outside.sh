#!/usr/bin/env bash
# Measures the running gateway from outside, as a user's clients would (see bench/README.md):
#   bench/outside.sh            full run (about 6-10 minutes)
#   bench/outside.sh --short    CI run (about 2 minutes; prints the ratios, fails only on a broken setup)
# Starts target/kulipa.jar through ./kulipa (so the launcher's JVM flags are what is measured) on
# its embedded PostgreSQL in a throw-away data directory, nginx as the merchant's webhook receiver
# (answers 200, counts webhooks from its access log), and measures in the same run:
#   - pgbench baseline: 32 clients, one-row INSERT+COMMIT on the same PostgreSQL;
#   - POST /deposits accepted/s at 64 connections (wrk, fresh ids), p50/p99;
#   - end to end: deposits accepted, completed, credited and their webhook received, per second
#     from the start of the load until the last webhook (the drain rate of a saturated run);
#   - per deposit: commits, rows written (per table), WAL fsyncs and bytes, CPU of the JVM and of PostgreSQL;
#     per table, how many of its updates were HOT (in place, no new index entries);
#   - payouts from one hot wallet against pgbench's naive lock-and-update of one balance row;
#   - start to /health 200, and the gateway's peak resident memory (VmHWM).
# Installs wrk, nginx and pgbench with apt-get when missing. Stops what it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

short=no
[ "${1:-}" = "--short" ] && short=yes
if [ "$short" = yes ]; then
  WARMUP_S=5; LOAD_S=10; BASELINE_S=10; DRAIN_MAX_S=90; CRASH_LOAD_S=6; CRASH_DRAIN_MAX_S=180
else
  WARMUP_S=10; LOAD_S=30; BASELINE_S=30; DRAIN_MAX_S=300; CRASH_LOAD_S=10; CRASH_DRAIN_MAX_S=300
fi
HTTP_CONNECTIONS=64         # wrk connections
PGBENCH_CLIENTS=32          # pgbench clients
APPROVAL_DELAY=200ms        # simulated customers and operators
WALLET_BALANCE=1000000000000
TOKEN=bench-token

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
missing=""
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v pgbench >/dev/null 2>&1 || missing="$missing postgresql-client"
if [ -n "$missing" ]; then
  echo "bench: installing$missing" >&2
  (apt-get install -y -qq $missing || { apt-get update -qq && apt-get install -y -qq $missing; }) >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
jar=target/kulipa.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  echo "bench: building $jar" >&2
  ./mvnw -B -ntp -q -DskipTests package >&2
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
work="$(mktemp -d "${TMPDIR:-/tmp}/kulipa-outside.XXXXXX")"
gateway=""; nginx_pid=""
cleanup() {
  [ -n "$gateway" ] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the merchant's webhook receiver
hook_port="$(free_port)"
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  client_body_buffer_size 64k;
  server { listen 127.0.0.1:$hook_port; location / { return 200 "ok"; } }
}
EOF
"$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/start.log" &
nginx_pid=$!
webhooks() { if [ -f "$work/nginx/access.log" ]; then grep -c '"POST ' "$work/nginx/access.log" || true; else echo 0; fi; }

# --- the gateway
port="$(free_port)"
# Every start runs the jar built above, even if sources change during the run: KULIPA_NO_BUILD keeps
# ./kulipa from rebuilding it (touching the jar instead made the JVM refuse its class-data archive).
start_gateway() { # log file
  KULIPA_HOST=127.0.0.1 KULIPA_PORT="$port" KULIPA_DATA_DIR="$work/data" KULIPA_BOOTSTRAP_TOKEN="$TOKEN" \
  KULIPA_BOOTSTRAP_CALLBACK_URL="http://127.0.0.1:$hook_port/webhooks" \
  KULIPA_SANDBOX_APPROVAL_DELAY="$APPROVAL_DELAY" KULIPA_BOOTSTRAP_WALLET_BALANCE="$WALLET_BALANCE" \
  KULIPA_EMBEDDED_PG_PRELOAD=pg_stat_statements KULIPA_NO_BUILD=1 \
    ./kulipa > "$1" 2>&1 &
  gateway=$!
}
# until /health answers 200 (true), or the gateway exits or a minute passes (false)
wait_up() { for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0;
  kill -0 "$gateway" 2>/dev/null || return 1; sleep 0.05; done; return 1; }
t_start="$(now)"
start_gateway "$work/gateway.log"
up=no
wait_up && up=yes
t_up="$(now)"
if [ "$up" != yes ]; then echo "bench: the gateway did not start" >&2; tail -40 "$work/gateway.log" >&2; exit 1; fi
start_s="$(printf "%.2f" "$(echo "$t_up - $t_start" | bc -l)")"
pg_port="$(sed -n 4p "$work/data/postgres/postmaster.pid")"
pg_pid="$(sed -n 1p "$work/data/postgres/postmaster.pid")"
export PGHOST=127.0.0.1 PGPORT="$pg_port" PGUSER=postgres PGDATABASE=postgres
q() { psql -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

hz="$(getconf CLK_TCK)"
ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local total; total="$(ticks "$pg_pid")"
  for c in $(pgrep -P "$pg_pid"); do total=$((total + $(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
pg_counters() { q "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) || ' ' ||
  (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables) || ' ' ||
  (SELECT wal_sync || ' ' || wal_bytes || ' ' || wal_fpi FROM pg_stat_wal) || ' ' ||
  (SELECT num_timed + num_requested FROM pg_stat_checkpointer)"; }
table_rows() { q "SELECT relname || ' ' || (n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables ORDER BY relname"; }
hot_updates() { q "SELECT relname || ' ' || n_tup_upd || ' ' || n_tup_hot_upd FROM pg_stat_user_tables ORDER BY relname"; }
done_deposits() { q "SELECT count(*) FROM payment WHERE kind = 'DEPOSIT' AND state = 'COMPLETED'"; }
count() { q "SELECT count(*) FROM payment WHERE kind = '$1'"; }
unfinished() { q "SELECT (SELECT count(*) FROM payment WHERE state NOT IN ('COMPLETED', 'FAILED')) + (SELECT count(*) FROM outbox WHERE state = 'PENDING' AND kind <> 'CHECK')"; }
ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
rate() { echo "scale=1; $1 / $2" | bc -l | sed 's/^\./0./'; }

wrk_run() { # kind seconds -> WRK line
  BENCH_KIND="$1" BENCH_TOKEN="$TOKEN" wrk -t2 -c"$HTTP_CONNECTIONS" -d"${2}s" --timeout 10s -s bench/load.lua \
    "http://127.0.0.1:$port" | grep '^WRK '
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
# waits until every payment is final and every webhook arrived; prints the time it happened
drain() { # expected webhooks
  local deadline; deadline=$(( $(date +%s) + DRAIN_MAX_S ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if [ "$(webhooks)" -ge "$1" ] && [ "$(unfinished)" -eq 0 ]; then break; fi
    sleep 0.2
  done
  now
}

echo "bench: gateway up in ${start_s} s (PostgreSQL on port $pg_port); short=$short" >&2
# An experiment on the schema (bench/README.md): SQL run once on the gateway's database before any
# measurement, for example a table made UNLOGGED or an index dropped. Not set in CI.
if [ -n "${BENCH_EXPERIMENT_SQL:-}" ]; then
  q "$BENCH_EXPERIMENT_SQL"
  echo "bench: experiment: $BENCH_EXPERIMENT_SQL" >&2
fi

# --- baselines (pgbench, same PostgreSQL, same run)
q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
q "CREATE TABLE bench_row (id bigserial PRIMARY KEY, v int NOT NULL, created_at timestamptz DEFAULT now())"
q "CREATE TABLE bench_wallet (id int PRIMARY KEY, balance numeric NOT NULL CHECK (balance >= 0))"
q "CREATE TABLE bench_payout (id bigserial PRIMARY KEY, wallet int, amount numeric, created_at timestamptz DEFAULT now())"
q "INSERT INTO bench_wallet VALUES (1, $WALLET_BALANCE)"
echo 'INSERT INTO bench_row (v) VALUES (1);' > "$work/insert.sql"
cat > "$work/hot.sql" <<'EOF'
BEGIN;
SELECT balance FROM bench_wallet WHERE id = 1 FOR UPDATE;
UPDATE bench_wallet SET balance = balance - 10 WHERE id = 1 AND balance >= 10;
INSERT INTO bench_payout (wallet, amount) VALUES (1, 10);
COMMIT;
EOF
pgb() { pgbench -n -c "$PGBENCH_CLIENTS" -j 2 -T "$BASELINE_S" -f "$1" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1; }
echo "bench: pgbench INSERT+COMMIT baseline, ${BASELINE_S} s" >&2
base_tps="$(pgb "$work/insert.sql" | cut -d. -f1)"

# --- warm-up (JIT), then let it drain so the measured window starts empty
echo "bench: warm-up ${WARMUP_S} s" >&2
wrk_run deposit "$WARMUP_S" >/dev/null
drain "$(count DEPOSIT)" >/dev/null

# --- deposits: accepted/s, then end to end until the last webhook
before_dep="$(count DEPOSIT)"; before_hooks="$(webhooks)"; before_done="$(done_deposits)"
q "SELECT pg_stat_statements_reset()" >/dev/null
read -r c0 r0 f0 w0 fp0 k0 <<<"$(pg_counters)"; j0="$(ticks "$gateway")"; p0="$(pg_ticks)"; table_rows > "$work/rows0"; hot_updates > "$work/hot0"
echo "bench: deposits, ${LOAD_S} s at $HTTP_CONNECTIONS connections" >&2
t0="$(now)"
dep_line="$(wrk_run deposit "$LOAD_S")"
t_load="$(now)"
accepted=$(( $(count DEPOSIT) - before_dep ))
t_done="$(drain $((before_hooks + accepted)))"
# Requests still in flight when wrk stopped were committed after the first count: count again.
accepted=$(( $(count DEPOSIT) - before_dep ))
read -r c1 r1 f1 w1 fp1 k1 <<<"$(pg_counters)"; j1="$(ticks "$gateway")"; p1="$(pg_ticks)"; table_rows > "$work/rows1"; hot_updates > "$work/hot1"
delivered=$(( $(webhooks) - before_hooks ))
left="$(unfinished)"
completed=$(( $(done_deposits) - before_done ))
# statements of the deposit window (load + drain), per stored deposit, the most frequent first
statements() {
  q "SELECT round(sum(calls)::numeric / $accepted, 2) || ' calls  ' || round(sum(rows)::numeric / $accepted, 2)
       || ' rows  ' || round((sum(total_exec_time) / $accepted)::numeric, 3) || ' ms  '
       || left(regexp_replace(query, '\s+', ' ', 'g'), 110)
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query !~* 'pg_stat|bench_' GROUP BY query ORDER BY sum(calls) DESC LIMIT ${STATEMENTS_SHOWN:-25}"
}
statements_total() {
  q "SELECT round(sum(calls)::numeric / $accepted, 2) || ' statements, ' || round((sum(total_exec_time) / $accepted)::numeric, 3)
       || ' ms executing, per deposit' FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat|bench_'"
}
dep_statements="$(statements)"; dep_statements_total="$(statements_total)"
e2e_s="$(printf "%.1f" "$(echo "$t_done - $t0" | bc -l)")"
answered=$(( $(field requests "$dep_line") - $(field non2xx "$dep_line") ))
acc_rate="$(rate "$answered" "$(field seconds "$dep_line")")"; e2e_rate="$(rate "$delivered" "$e2e_s")"
per() { echo "scale=2; $1 / $accepted" | bc -l | sed 's/^\./0./'; }

# --- payouts from one hot wallet vs the naive lock-and-update baseline
echo "bench: pgbench naive hot-row payouts, ${BASELINE_S} s" >&2
hot_tps="$(pgb "$work/hot.sql" | cut -d. -f1)"
before_pay="$(count PAYOUT)"; before_hooks="$(webhooks)"
echo "bench: payouts, ${LOAD_S} s" >&2
t0="$(now)"
pay_line="$(wrk_run payout "$LOAD_S")"
t_load="$(now)"
paid=$(( $(count PAYOUT) - before_pay ))
t_done="$(drain $((before_hooks + paid)))"
paid=$(( $(count PAYOUT) - before_pay ))
pay_delivered=$(( $(webhooks) - before_hooks ))
pay_left="$(unfinished)"
pay_rate="$(rate $(( $(field requests "$pay_line") - $(field non2xx "$pay_line") )) "$(field seconds "$pay_line")")"
pay_e2e="$(rate "$pay_delivered" "$(echo "$t_done - $t0" | bc -l)")"
rss_mb=$(( $(awk '/VmHWM/ {print $2}' "/proc/$gateway/status") / 1024 ))

# --- start again on the same data directory (no initdb, no migrations to apply): a restart
echo "bench: stopping the gateway and starting it again on its data directory" >&2
duplicates="$(q "SELECT count(*) - count(DISTINCT outbox_id) FROM callback_attempt WHERE http_status = 200")"
payment_duplicates="$(q "SELECT count(*) - count(DISTINCT subject_id) FROM callback_attempt
  WHERE http_status = 200 AND subject_kind = 'payment'")"
kill "$gateway" 2>/dev/null || true
wait "$gateway" 2>/dev/null || true
gateway=""
t_start="$(now)"
start_gateway "$work/gateway-restart.log"
restart_s="n/a"
wait_up && restart_s="$(printf "%.2f" "$(echo "$(now) - $t_start" | bc -l)")"

# --- kill -9 under load: every deposit answered 2xx (and every one stored) completes with its webhook
crash_line="n/a"; crash_report="not run (the restart did not come up)"
if [ "$restart_s" != "n/a" ]; then
  echo "bench: deposits for ${CRASH_LOAD_S} s, the gateway killed with SIGKILL after $((CRASH_LOAD_S / 2)) s, then started again" >&2
  pg_port="$(sed -n 4p "$work/data/postgres/postmaster.pid")"; export PGPORT="$pg_port"
  before_crash="$(count DEPOSIT)"
  ( BENCH_KIND=deposit BENCH_TOKEN="$TOKEN" wrk -t2 -c"$HTTP_CONNECTIONS" -d"${CRASH_LOAD_S}s" --timeout 2s \
      -s bench/load.lua "http://127.0.0.1:$port" | grep '^WRK ' > "$work/crash.wrk" ) &
  wrk_pid=$!
  sleep $((CRASH_LOAD_S / 2))
  kill -9 "$gateway" 2>/dev/null || true
  wait "$gateway" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
  crash_line="$(cat "$work/crash.wrk")"
  t_crash="$(now)"
  start_gateway "$work/gateway-after-kill.log"
  if wait_up; then
    up_after_s="$(printf "%.2f" "$(echo "$(now) - $t_crash" | bc -l)")"
    pg_port="$(sed -n 4p "$work/data/postgres/postmaster.pid")"; export PGPORT="$pg_port"
    without_webhook() { q "SELECT count(*) FROM payment p WHERE p.kind = 'DEPOSIT' AND NOT EXISTS (SELECT 1
      FROM callback_attempt a WHERE a.subject_kind = 'payment' AND a.subject_id = p.id::text AND a.http_status = 200)"; }
    # A deposit whose operator callback died with the gateway completes through its first status
    # check, 90 s after its submit (ReconciliationPolicy.DEFAULT): the wait allows for that.
    deadline=$(( $(date +%s) + CRASH_DRAIN_MAX_S ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      [ "$(unfinished)" -eq 0 ] && [ "$(without_webhook)" -eq 0 ] && break
      sleep 0.2
    done
    crash_stored=$(( $(count DEPOSIT) - before_crash ))
    crash_answered=$(( $(field requests "$crash_line") - $(field non2xx "$crash_line") ))
    by_check="$(q "SELECT count(*) FROM payment_event e JOIN payment p ON p.id = e.payment_id
      WHERE p.kind = 'DEPOSIT' AND e.event = 'OPERATOR_COMPLETED' AND e.at > to_timestamp($t_crash)
      AND EXISTS (SELECT 1 FROM outbox o WHERE o.payment_id = p.id AND o.kind = 'CHECK' AND o.attempts > 0)" 2>/dev/null || echo "?")"
    crash_report="answered 2xx $crash_answered (before the kill), stored $crash_stored, not final $(unfinished), without a delivered webhook $(without_webhook) ($by_check completed by a status check); up again in ${up_after_s} s, drained $(printf "%.1f" "$(echo "$(now) - $t_crash" | bc -l)") s after the kill"
  else
    crash_report="the gateway did not start again after the kill"; tail -40 "$work/gateway-after-kill.log" >&2
  fi
fi

cat <<EOF
== Kulipa measured from outside ($(date -u +%FT%TZ), $(nproc) cores, short=$short, load ${LOAD_S} s) ==
pgbench INSERT+COMMIT, $PGBENCH_CLIENTS clients:       ${base_tps} TPS
deposits accepted/s, $HTTP_CONNECTIONS connections:        ${acc_rate}  ratio $(ratio "$acc_rate" "$base_tps")  (target 0.25)  p50 $(field p50_ms "$dep_line") ms  p99 $(field p99_ms "$dep_line") ms  (target < 100)
  wrk: $dep_line
deposits end to end/s (to last webhook):  ${e2e_rate}  ratio $(ratio "$e2e_rate" "$base_tps")  (target 0.1)  stored $accepted (answered 2xx $answered), completed $completed, webhooks $delivered, left behind $left, in ${e2e_s} s
  per deposit: commits $(per $((c1 - c0))), rows written $(per $((r1 - r0))), WAL fsyncs $(per $((f1 - f0))), WAL bytes $(echo "($w1 - $w0) / $accepted" | bc) (full-page images $(per $((fp1 - fp0))); checkpoints in the window $((k1 - k0))), CPU ms: JVM $(per $(( (j1 - j0) * 1000 / hz ))), PostgreSQL $(per $(( (p1 - p0) * 1000 / hz )))
  statements (pg_stat_statements): $dep_statements_total
$(sed 's/^/    /' <<<"$dep_statements")
  rows written per deposit by table: $(join "$work/rows0" "$work/rows1" | awk -v n="$accepted" '$3 > $2 && $1 !~ /^bench_/ {printf "%s %.2f  ", $1, ($3 - $2) / n}')
  updates in place (HOT) of all updates: $(join "$work/hot0" "$work/hot1" | awk '$4 > $2 && $1 !~ /^bench_/ {printf "%s %d of %d  ", $1, $5 - $3, $4 - $2}')
pgbench naive hot-row payouts:           ${hot_tps} TPS
payouts accepted/s from one wallet:      ${pay_rate}  ratio $(ratio "$pay_rate" "$hot_tps")  (target 2)  p50 $(field p50_ms "$pay_line") ms  p99 $(field p99_ms "$pay_line") ms
payouts end to end/s (to last webhook):  ${pay_e2e}  accepted $paid, webhooks $pay_delivered, left behind $pay_left
webhooks delivered twice (whole run):   $duplicates of one job, $payment_duplicates of one payment
start to /health 200:                    ${start_s} s  (target 5; a new data directory: a copy of the cached cluster template, or initdb and every migration on a first start)
restart to /health 200:                  ${restart_s} s  (the same data directory)
load average at the end:                 $(cut -d' ' -f1-3 /proc/loadavg)  (other processes on this machine)
gateway peak resident memory (VmHWM):    ${rss_mb} MB  (target 512)
after kill -9 under deposit load:        $crash_report
  wrk: $crash_line
EOF
