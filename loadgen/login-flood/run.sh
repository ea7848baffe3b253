#!/usr/bin/env bash
# Login latency under a failed-login flood (docs/security.md, "Login under a failed-login flood").
# Starts Payara Micro with the given WAR (default: target/securecom.war) on 127.0.0.1:8095 over a fresh H2 file,
# runs LoginFlood once, stops the server. Every request goes to loopback. Run it alone: it starts a Payara Micro.
#   loadgen/login-flood/run.sh [path/to/securecom.war] [addresses] [per-address]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
war=${1:-$root/target/securecom.war}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
java -Xmx1g -Dsecurecom.db.url="jdbc:h2:file:$work/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0" \
  -Dsecurecom.server-key.file="$work/server.key" \
  -jar "$root/target/payara-micro.jar" --deploy "$war" --contextroot / --port 8095 --nocluster \
  --rootdir "$work/payara" > "$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 180); do grep -q ' ready in ' "$work/server.log" && break; sleep 1; done
grep -q ' ready in ' "$work/server.log" || { tail -50 "$work/server.log"; exit 1; }
java "$here/LoginFlood.java" http://127.0.0.1:8095 "${2:-20}" "${3:-10}" 10
