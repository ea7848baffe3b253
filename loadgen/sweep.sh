#!/usr/bin/env bash
# Latency-versus-load sweep: runs the load generator once per target rate against one server and appends each run's
# machine-readable CSV line to a file, which com.securecom.loadgen.plot.LatencyPlot turns into a PNG.
#
#   loadgen/sweep.sh --server http://localhost:8091/ --bare --out /tmp/payara-bare.csv [options] [-- generator options]
#
# Options (defaults in brackets):
#   --server URL        server under test [http://localhost:8080/]
#   --out FILE          CSV file to append to (created with a header line if new) [required]
#   --bare              drive the bare relay (/bare/{user}) instead of the SecureCom relay
#   --rates "R1 R2 .."  target rates in msg/s, in order; 0 = as fast as the windows allow
#                       [1000 2000 4000 8000 12000 16000 20000]
#   --users N           simulated users (connections) [100]
#   --duration S        measured seconds per run [20]
#   --warmup S          unmeasured seconds before each run [5]
#   --pause S           seconds between runs, to let the server settle [3]
#   --server-pid PID    the server's process id, for its CPU use (server on this machine) [none]
#   --stop-below F      stop after a run that delivered less than F x its target rate (e.g. 0.8) [never]
#   --plot PNG          also plot the file (labelled --label) when the sweep ends
#   --label NAME        series label for --plot [the CSV file's name]
# Anything after "--" goes to the generator as it is (e.g. -- --size 4096 --senders 8).
# Each run uses users of its own (prefix s<rate>x<random>), so no run inherits an earlier run's backlog.
# Each run's full output is appended to FILE.log. Exits non-zero if any run reported errors (the sweep still goes
# on: the errors column of its CSV line says how many).
#
# Example, the bare relay on Payara Micro and on WildFly, then one plot:
#   loadgen/sweep.sh --server http://localhost:8091/ --bare --out /tmp/payara-bare.csv --duration 10
#   loadgen/sweep.sh --server http://localhost:8092/ --bare --out /tmp/wildfly-bare.csv --duration 10
#   java -cp loadgen/target/loadgen.jar com.securecom.loadgen.plot.LatencyPlot --out /tmp/latency-vs-load.png \
#     payara-bare=/tmp/payara-bare.csv wildfly-bare=/tmp/wildfly-bare.csv
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="${LOADGEN_JAR:-$here/target/loadgen.jar}"
server="http://localhost:8080/"
out=""
bare=()
rates="1000 2000 4000 8000 12000 16000 20000"
users=100
duration=20
warmup=5
pause=3
pid=0
stop_below=0
plot=""
label=""
extra=()

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --server) server="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bare) bare=(--bare); shift ;;
    --rates) rates="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --pause) pause="$2"; shift 2 ;;
    --server-pid) pid="$2"; shift 2 ;;
    --stop-below) stop_below="$2"; shift 2 ;;
    --plot) plot="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "sweep.sh: unknown option $1" >&2; usage ;;
  esac
done
[ -n "$out" ] || { echo "sweep.sh: --out FILE is required" >&2; usage; }
[ -f "$jar" ] || { echo "sweep.sh: no $jar: run 'mvn package -DskipTests -pl loadgen -am' first" >&2; exit 2; }

mkdir -p "$(dirname "$out")"
if [ ! -s "$out" ]; then
  echo "# kind,users,targetRate,deliveredPerSecond,p50Ms,p99Ms,p999Ms,maxMs,errors,serverCpuCores,serverHeapMiB,generatorCpuCores" \
    > "$out"
fi
log="$out.log"
failed=0
for rate in $rates; do
  touch "$log"
  before="$(wc -l < "$log")"
  echo "== $(date -u +%FT%TZ) $server ${bare[*]:-securecom} users=$users rate=$rate duration=${duration}s" | tee -a "$log"
  set +e
  java -jar "$jar" --server "$server" "${bare[@]}" --users "$users" --rate "$rate" --duration "$duration" \
    --warmup "$warmup" --server-pid "$pid" --prefix "s${rate}x$RANDOM" "${extra[@]}" >> "$log" 2>&1
  code=$?
  set -e
  line="$(tail -n +"$((before + 1))" "$log" | grep '^CSV,' | tail -n 1 || true)"
  if [ -z "$line" ]; then
    echo "   run failed (exit $code, no result line; see $log)" >&2
    failed=1
    continue
  fi
  echo "$line" >> "$out"
  echo "   $line"
  [ "$code" -eq 0 ] || failed=1
  delivered="$(echo "$line" | cut -d, -f5)"
  if [ "$rate" -gt 0 ] && awk -v d="$delivered" -v r="$rate" -v f="$stop_below" 'BEGIN { exit !(f > 0 && d < f * r) }'
  then
    echo "   delivered $delivered msg/s < $stop_below x $rate: saturated, stopping the sweep"
    break
  fi
  sleep "$pause"
done

if [ -n "$plot" ]; then
  java -cp "$jar" com.securecom.loadgen.plot.LatencyPlot --out "$plot" "${label:-$(basename "$out" .csv)}=$out"
fi
exit "$failed"
