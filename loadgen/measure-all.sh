#!/usr/bin/env bash
# Reruns every load figure in docs/performance.md, one server at a time, on this machine (server and generator on
# the same box, as the figures were taken). Writes CSV files, logs and latency-vs-load.png to OUTDIR.
#
#   loadgen/measure-all.sh [OUTDIR] [--quick] [--only "SERIES..."] [--no-build]
#     (default OUTDIR: target/measure; --quick: 5 s runs; --only: run just these series, of payara-bare-default
#     payara-bare payara-bare-acknowledged ceiling before-after wildfly-bare securecom-h2 securecom-h2-warm securecom-pg securecom-idle; --no-build: use what
#     is built; the environment variables RATES and SECURECOM_RATES replace the bare and the SecureCom sweeps' rates (ACK_RATES the acknowledged bare sweep's [RATES]),
#     USERS1000_RATE the 1,000-user run's [10000; 0 skips it], VERSION_RATES the version 2 against 3 rates
#     [2000 4000 6000 8000 10000 12000], WARM_RATES the warmed-up sweep's [250 500 1000 1500 2000]; JFR=1 records each server with JFR into OUTDIR/NAME.jfr; DUR and LONG
#     replace the 20 s per sweep point and the 60 s of the long runs; SERVER_OPTS adds JVM options to every SecureCom
#     server, e.g. SERVER_OPTS=-Dsecurecom.relay.fast-path-window=PT0S to measure the store-first relay;
#     BEFORE_WAR names another build's securecom.war for the before-after series, not run unless named)
#
# Builds what it needs (the WAR, the generator, the bare relay, WildFly with the bare relay), then measures:
#   1. the bare relay on Payara Micro as it comes (-Dbare.managed-timers=true), 2. with the product's plain
#   WebSocket timers, 2b. the same with every message acknowledged through the relay (four frames per message, as
#   SecureCom's fast path: the frame ceiling of any relay that acknowledges each message), 2c. (ceiling) the most
#   each of the bare relay, the acknowledged bare relay and SecureCom on H2 moves closed loop, RUNS [3] times, 2d.
#   (before-after, only with --only) BEFORE_WAR against this build, closed loop as 2c, on two H2 servers running side
#   by side, alternating RUNS [3] times (a change's effect as a ratio within one run), 3. on WildFly; 4. SecureCom on H2 (the default), 5. on PostgreSQL; each a sweep of target
#   rates, 100 users (and SecureCom on H2 again after a 30 s warm-up); 6. SecureCom with 1,000 users for 60 s at 10,000 msg/s offered;
#   7. 10,000 idle authenticated connections (heap after a full GC). Every server gets -Xmx1g except the idle run (-Xmx2g, so the heap figure is not the cap).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/measure"
quick=0
only=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) only="$2"; shift ;;
    --no-build) build=0 ;;
    *) out="$1" ;;
  esac
  shift
done
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"
dur=${DUR:-20}; warm=5; long=${LONG:-60}
[ "$quick" -eq 1 ] && { dur=5; warm=3; long=10; }
jar="$root/loadgen/target/loadgen.jar"
payara="$root/target/payara-micro.jar"
server_pid=""

log() { echo "[$(date -u +%T)] $*" | tee -a "$out/measure.log"; }

build() {
  log "building"
  # The WAR, Payara Micro and the generator (with the protocol and client jars it is built from), in one reactor.
  mvn -B -ntp -q -f "$root/pom.xml" package -DskipTests -pl build/war,loadgen -am
  mvn -B -ntp -q -f "$root/loadgen/bare-relay/pom.xml" package
  mvn -B -ntp -q -f "$root/loadgen/wildfly/pom.xml" package
}

wait_for() { # log file, pattern that says the server and its application are up
  for _ in $(seq 1 300); do
    if grep -Eq "$2" "$1" 2>/dev/null; then sleep 2; return 0; fi
    sleep 1
  done
  log "server did not start: see $1"; exit 1
}

start_payara() { # name port war [jvm options...]
  local name="$1" port="$2" war="$3"; shift 3
  rm -rf "$out/$name.data"; mkdir -p "$out/$name.data"
  local jfr=()
  [ -n "${JFR:-}" ] && jfr=("-XX:StartFlightRecording=filename=$out/$name.jfr,settings=profile,dumponexit=true")
  local extra=()
  [[ "$war" == *securecom.war ]] && [ -n "${SERVER_OPTS:-}" ] && read -r -a extra <<< "$SERVER_OPTS"
  java -Xmx1g "${jfr[@]}" "${extra[@]}" "$@" -Dsecurecom.server-key.file="$out/$name.data/server.key" \
    -Dsecurecom.register.per-address=1000000 -Dsecurecom.login.failures-per-address=1000000 \
    -Dsecurecom.channel.rate.per-second=1000 -Dsecurecom.channel.rate.burst=2000 \
    -Dsecurecom.channel.auth.per-address=1000000 \
    -jar "$payara" --deploy "$war" --contextroot / --port "$port" --nocluster --disablephonehome \
    --rootdir "$out/$name.data/payara" > "$out/$name.server.log" 2>&1 &
  server_pid=$!
  wait_for "$out/$name.server.log" 'Payara Micro .* ready in' 
  log "$name: Payara Micro pid $server_pid on port $port"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  sleep 3
}

sweep() { # name port rates [sweep options...]
  local name="$1" port="$2" rates="$3"; shift 3
  rm -f "$out/$name.csv" "$out/$name.csv.log"
  "$root/loadgen/sweep.sh" --server "http://127.0.0.1:$port/" --out "$out/$name.csv" --rates "$rates" \
    --duration "$dur" --warmup "$warm" --server-pid "$server_pid" --stop-below 0.9 "$@" || true
}

h2_url() { echo "jdbc:h2:file:$out/$1.data/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"; }

[ "$build" -eq 1 ] && build
bare="$root/loadgen/bare-relay/target/bare-relay.war"
war="$root/target/securecom.war"
rates="${RATES:-2000 4000 8000 12000 16000 24000 32000}"

if wanted payara-bare-default; then
  start_payara payara-bare-default 8091 "$bare" -Dbare.managed-timers=true
  sweep payara-bare-default 8091 "$rates" --bare
  stop_server
fi

if wanted payara-bare; then
  start_payara payara-bare 8091 "$bare"
  sweep payara-bare 8091 "$rates" --bare
  stop_server
fi

if wanted payara-bare-acknowledged; then
  start_payara payara-bare-acknowledged 8091 "$bare"
  sweep payara-bare-acknowledged 8091 "${ACK_RATES:-$rates}" --bare -- --acknowledged
  stop_server
fi

if wanted ceiling; then
  # Closed loop (--rate 0: each user keeps its window of messages in flight), 100 users: the most each relay moves
  # when the machine is the limit. The bare relay in its two modes alternates on one server (plain: two frames per
  # message; acknowledged: four, as SecureCom's fast path), then SecureCom on H2 after a warm-up; RUNS of each.
  rm -f "$out/ceiling.csv"
  start_payara ceiling-bare 8091 "$bare"
  java -jar "$jar" --server http://127.0.0.1:8091/ --bare --users 100 --rate 0 --duration 10 --warmup 5 \
    > "$out/ceiling.jit.log" 2>&1 || true
  for run in $(seq 1 "${RUNS:-3}"); do
    for mode in "" --acknowledged; do
      java -jar "$jar" --server http://127.0.0.1:8091/ --bare $mode --users 100 --rate 0 --duration "$dur" \
        --warmup "$warm" --server-pid "$server_pid" 2>&1 | grep '^CSV,' | tee -a "$out/ceiling.csv" || true
    done
  done
  stop_server
  start_payara ceiling-securecom 8090 "$war" -Dsecurecom.db.url="$(h2_url ceiling-securecom)"
  java -jar "$jar" --server http://127.0.0.1:8090/ --users 100 --rate 0 --duration 20 --warmup 10 --prefix warm \
    >> "$out/ceiling.jit.log" 2>&1 || true
  for run in $(seq 1 "${RUNS:-3}"); do
    java -jar "$jar" --server http://127.0.0.1:8090/ --users 100 --rate 0 --duration "$dur" --warmup "$warm" \
      --prefix "c$run$RANDOM" --server-pid "$server_pid" 2>&1 | grep '^CSV,' | tee -a "$out/ceiling.csv" || true
  done
  stop_server
fi

if [ -n "$only" ] && wanted before-after; then
  [ -f "${BEFORE_WAR:-}" ] || { log "before-after: set BEFORE_WAR to another build's securecom.war"; exit 2; }
  rm -f "$out/before-after.csv"
  start_payara before 8092 "$BEFORE_WAR" -Dsecurecom.db.url="$(h2_url before)"
  before_pid=$server_pid
  start_payara after 8090 "$war" -Dsecurecom.db.url="$(h2_url after)"
  after_pid=$server_pid
  for side in 8092 8090; do
    java -jar "$jar" --server "http://127.0.0.1:$side/" --users 100 --rate 0 --duration 20 --warmup 10 \
      --prefix "warm$side" >> "$out/before-after.jit.log" 2>&1 || true
  done
  for run in $(seq 1 "${RUNS:-3}"); do
    for side in "before 8092 $before_pid" "after 8090 $after_pid"; do
      read -r name port pid <<< "$side"
      java -jar "$jar" --server "http://127.0.0.1:$port/" --users 100 --rate 0 --duration "$dur" \
        --warmup "$warm" --prefix "$name$run$RANDOM" --server-pid "$pid" 2>&1 | grep '^CSV,' \
        | sed "s/^CSV,/CSV,$name,/" | tee -a "$out/before-after.csv" || true
    done
  done
  kill "$before_pid" 2>/dev/null || true
  wait "$before_pid" 2>/dev/null || true
  stop_server
fi

if wanted wildfly-bare; then
  log "wildfly-bare: starting"
  "$root/loadgen/wildfly/start.sh" 8092 1g > "$out/wildfly-bare.server.log" 2>&1 &
  wait_for "$out/wildfly-bare.server.log" 'WFLYSRV0025' 
  server_pid="$(cat "$root/loadgen/wildfly/target/wildfly.pid")"
  sweep wildfly-bare 8092 "$rates" --bare
  stop_server
fi

users1000_rate="${USERS1000_RATE:-10000}"
securecom_rates="${SECURECOM_RATES:-1000 2000 3000 4000 6000 8000 12000 16000 20000}"
if wanted securecom-h2; then
  start_payara securecom-h2 8090 "$war" -Dsecurecom.db.url="$(h2_url securecom-h2)"
  sweep securecom-h2 8090 "$securecom_rates"
  if [ "$users1000_rate" != 0 ]; then
    log "securecom-h2: 1,000 users, ${long} s at ${users1000_rate} msg/s offered"
    java -jar "$jar" --server http://127.0.0.1:8090/ --users 1000 --rate "$users1000_rate" --duration "$long" --warmup "$warm" \
      --prefix "k$RANDOM" --server-pid "$server_pid" > "$out/securecom-h2-1000users.log" 2>&1 || true
    grep '^CSV,' "$out/securecom-h2-1000users.log" > "$out/securecom-h2-1000users.csv" || true
  fi
  stop_server
fi

if wanted securecom-h2-warm; then
  # the same relay warmed up first (30 s at 1,000/s), so that the JIT's first minutes do not set the low-rate latency
  start_payara securecom-h2-warm 8090 "$war" -Dsecurecom.db.url="$(h2_url securecom-h2-warm)"
  java -jar "$jar" --server http://127.0.0.1:8090/ --users 100 --rate 1000 --duration 20 --warmup 10 --prefix warm \
    --server-pid "$server_pid" > "$out/securecom-h2-warm.jit.log" 2>&1 || true
  rm -f "$out/securecom-h2-warm.csv" "$out/securecom-h2-warm.csv.log"
  "$root/loadgen/sweep.sh" --server http://127.0.0.1:8090/ --out "$out/securecom-h2-warm.csv" \
    --rates "${WARM_RATES:-250 500 1000 1500 2000}" --duration "$dur" --warmup 10 --server-pid "$server_pid" \
    --stop-below 0.9 || true
  stop_server
fi

if wanted securecom-h2-versions; then
  # relay version 2 against 3 (docs/performance.md): one warmed server, the two generators alternating at each rate,
  # so that both sides see the same JIT, heap and machine state
  start_payara securecom-h2-versions 8090 "$war" -Dsecurecom.db.url="$(h2_url securecom-h2-versions)"
  java -jar "$jar" --server http://127.0.0.1:8090/ --users 100 --rate 1000 --duration 20 --warmup 10 --prefix warm \
    --server-pid "$server_pid" > "$out/securecom-h2-versions.jit.log" 2>&1 || true
  rm -f "$out"/securecom-h2-v[23].csv "$out"/securecom-h2-v[23].csv.log
  for rate in ${VERSION_RATES:-2000 4000 6000 8000 10000 12000}; do
    for version in 2 3; do
      "$root/loadgen/sweep.sh" --server http://127.0.0.1:8090/ --out "$out/securecom-h2-v$version.csv" \
        --rates "$rate" --duration "$dur" --warmup "$warm" --server-pid "$server_pid" -- --relay-version "$version" \
        || true
    done
  done
  stop_server
fi

if wanted securecom-pg; then
  psql -h 127.0.0.1 -U postgres -qc 'DROP DATABASE IF EXISTS securecom_measure' -c 'CREATE DATABASE securecom_measure'
  start_payara securecom-pg 8090 "$war" -Dsecurecom.db.url=jdbc:postgresql://127.0.0.1:5432/securecom_measure \
    -Dsecurecom.db.user=postgres
  sweep securecom-pg 8090 "$securecom_rates"
  stop_server
fi

if wanted securecom-idle; then
  # 10,000 idle connections: logins at a cheap Argon2id cost, only so that setting up 10,000 users takes minutes,
  # not an hour (the cost of a login is measured by the JMH benchmark, not here).
  start_payara securecom-idle 8090 "$war" -Xmx2g -Dsecurecom.db.url="$(h2_url securecom-idle)" \
    -Dsecurecom.password.argon2.memory-kib=64 -Dsecurecom.password.argon2.iterations=1
  log "securecom-idle: 10,000 connections"
  # (idle HTTP connections of the sign-in phase are closed after 2 s, or the generator runs out of descriptors)
  java -Xmx3g -Djdk.httpclient.keepalive.timeout=2 -jar "$jar" --server http://127.0.0.1:8090/ --users 10000 --rate 10 --duration "$long" \
    --warmup "$warm" --prefix "i$RANDOM" --server-pid "$server_pid" > "$out/securecom-idle.log" 2>&1 &
  gen=$!
  sleep $((warm + long / 2))
  until grep -q 'measure' "$out/securecom-idle.log" || ! kill -0 "$gen" 2>/dev/null; do sleep 2; done
  jcmd "$server_pid" GC.run > /dev/null
  sleep 2
  jcmd "$server_pid" GC.class_histogram 2>/dev/null | head -45 > "$out/securecom-idle.histogram.txt" || true
  curl -fs http://127.0.0.1:8090/metrics | grep -E '^(base_)?memory_usedHeap_bytes|^securecom_connections' \
    > "$out/securecom-idle.heap-after-gc.txt" || true
  wait "$gen" || true
  stop_server
fi

series=()
for pair in "Payara bare (as it comes)=payara-bare-default" "Payara bare (plain timers)=payara-bare" \
  "Payara bare, acknowledged (4 frames)=payara-bare-acknowledged" \
  "WildFly bare=wildfly-bare" "SecureCom, H2, fresh server=securecom-h2" "SecureCom, H2, warmed up=securecom-h2-warm" \
  "SecureCom, PostgreSQL, fresh server=securecom-pg" "SecureCom, H2, relay version 2=securecom-h2-v2" \
  "SecureCom, H2, relay version 3=securecom-h2-v3"; do
  if [ -s "$out/${pair#*=}.csv" ]; then series+=("${pair%%=*}=$out/${pair#*=}.csv"); fi
done
[ ${#series[@]} -eq 0 ] || java -cp "$jar" com.securecom.loadgen.plot.LatencyPlot --out "$out/latency-vs-load.png" "${series[@]}"
log "done: $out"
