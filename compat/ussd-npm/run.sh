#!/usr/bin/env bash
# Runs check.js (a USSD application built with the npm package ussd-menu-builder@1.2.0, unchanged) against a Kulipa started here from
# target/kulipa.jar, on a free loopback port with a throw-away data directory. Build first
# (./mvnw verify or package). Stops the gateway whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f target/kulipa.jar ] || { echo "compat: target/kulipa.jar is missing; build first" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/kulipa-ussd-compat.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18480)"
admin="compat-admin-$(date +%s)"
KULIPA_HOST=127.0.0.1 KULIPA_PORT="$port" KULIPA_DATA_DIR="$work/data" \
KULIPA_ADMIN_TOKEN="$admin" \
  "$java" -jar target/kulipa.jar > "$work/gateway.log" 2>&1 &
gateway=$!
cleanup() { kill "$gateway" 2>/dev/null || true; wait "$gateway" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$gateway" 2>/dev/null || { echo "compat: the gateway exited" >&2; tail -40 "$work/gateway.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { echo "compat: the gateway did not start" >&2; exit 1; }

cp compat/ussd-npm/check.js "$work/"
(cd "$work" && npm init -y >/dev/null 2>&1)
installed=no
for attempt in 1 2 3; do
  if (cd "$work" && npm install --no-audit --no-fund --silent ussd-menu-builder@1.2.0 >/dev/null 2>&1); then installed=yes; break; fi
  echo "compat: npm install failed (attempt $attempt); retrying" >&2
  sleep $((attempt * 5))
done
[ "$installed" = yes ] || { echo "compat: could not install ussd-menu-builder@1.2.0 from the npm registry" >&2; exit 1; }

(cd "$work" && KULIPA_BASE_URL="http://127.0.0.1:$port" KULIPA_ADMIN_TOKEN="$admin" timeout 120 node check.js)
