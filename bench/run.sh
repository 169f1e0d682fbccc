#!/usr/bin/env bash
# telltale's side-by-side benchmark. Usage (from the repository root):
#
#   bash bench/run.sh            # full run: 3 rounds, every scenario, about 15 minutes
#   bash bench/run.sh --quick    # 1 short round, about 2 minutes (checks the harness)
#   bash bench/run.sh --scale    # 10,000 idle keep-alive connections, then 2,000 in flight
#   bash bench/run.sh --jmh      # JMH micro-benchmarks (-prof gc) and bytes allocated per GET
#   options: --rounds N  --warmup S  --measure S  --clients "telltale jdk ..."  --scenarios "seq1 c64 ..."
#
# It installs nginx and wrk (apt-get) when missing, starts nginx on loopback in a temp dir (one
# worker, unlimited keep-alive, no access log, files of 100 B and 100 MiB, HTTPS with a certificate
# made now), builds the benchmark class path once (Maven profile "bench"), then runs each client in
# its own fresh JVM with the same flags, interleaved, round after round, plus wrk as the ceiling.
# Results: bench/results/<UTC time>.{md,json,jsonl}, and bench/results/LATEST.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARGS="$*"

ROUNDS=3 WARMUP=3 MEASURE=5 MODE=load
ALL_CLIENTS="telltale jdk okhttp jetty apache wrk"
ALL_SCENARIOS="seq1 c64 c256 download tls16"
CLIENTS=$ALL_CLIENTS
SCENARIOS=$ALL_SCENARIOS
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) ROUNDS=1 WARMUP=1 MEASURE=2 ;;
    --scale) MODE=scale ;;
    --jmh) MODE=jmh ;;
    --rounds) ROUNDS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --measure) MEASURE=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    --scenarios) SCENARIOS=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need nginx || ! need wrk; then
  echo "== installing nginx and wrk"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx wrk >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
# the scale mode holds 10,000 sockets in one JVM and as many in nginx
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

DIR=$(mktemp -d /tmp/telltale-bench.XXXXXX)
chmod 755 "$DIR"   # nginx's worker may run as another user
cleanup() {
  if [ -f "$DIR/nginx.pid" ]; then
    "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -s stop 2>/dev/null || kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

echo "== building (mvn -Pbench test-compile)"
mvn -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$DIR/cp.txt" -Dmdep.includeScope=test </dev/null
CP="$ROOT/target/classes:$ROOT/target/test-classes:$(cat "$DIR/cp.txt")"
JAVA_FLAGS=(-Xms1g -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

if [ "$MODE" = jmh ]; then
  STAMP=$(date -u +%Y%m%dT%H%M%SZ)
  mkdir -p bench/results
  JMH_TIME=(-wi 3 -w 1 -i 5 -r 1)
  [ "$MEASURE" = 2 ] && JMH_TIME=(-wi 1 -w 1 -i 2 -r 1)   # --quick
  echo "== JMH (-prof gc): parsing, request head, GET at 64 connections with ALL_NOTIFICATIONS vs NONE"
  java -cp "$CP" org.openjdk.jmh.Main "${JMH_TIME[@]}" -f 1 -prof gc \
    -rf json -rff "bench/results/jmh-$STAMP.json" 'ParseBench|WriteBench|GetBench' \
    | tee "bench/results/jmh-$STAMP.txt" | grep -E '^(Benchmark |d\.t\.)' \
    | grep -vE 'gc\.(count|time|alloc\.rate )|churn'
  echo "== bytes allocated per GET, per thread (ThreadMXBean), 64 connections"
  java "${JAVA_FLAGS[@]}" -cp "$CP" dev.telltale.bench.jmh.AllocPerGet 2000 | tee -a "bench/results/jmh-$STAMP.txt"
  exit 0
fi

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}
HTTP_PORT=$(free_port); HTTPS_PORT=$(free_port)
while [ "$HTTPS_PORT" = "$HTTP_PORT" ]; do HTTPS_PORT=$(free_port); done

echo "== files and certificate in $DIR"
mkdir -p "$DIR/www" "$DIR/tmp"
head -c 100 /dev/urandom > "$DIR/www/small"
head -c $((100 * 1024 * 1024)) /dev/urandom > "$DIR/www/big"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>/dev/null
keytool -importcert -noprompt -storetype PKCS12 -keystore "$DIR/trust.p12" -storepass changeit \
  -alias bench -file "$DIR/cert.pem" >/dev/null 2>&1
sed -e "s#@DIR@#$DIR#g" -e "s#@HTTP_PORT@#$HTTP_PORT#g" -e "s#@HTTPS_PORT@#$HTTPS_PORT#g" \
  bench/nginx.conf.template > "$DIR/nginx.conf"
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf"
(exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null || { echo "nginx did not start" >&2; cat "$DIR/error.log" >&2; exit 1; }


if [ "$MODE" = scale ]; then
  echo "== scale: 10,000 idle keep-alive connections, then 2,000 requests in flight"
  mkdir -p bench/results
  java "${JAVA_FLAGS[@]}" -cp "$CP" dev.telltale.bench.load.ScaleMain \
    "url=http://127.0.0.1:$HTTP_PORT/small" idle=10000 inflight=2000 \
    | tee "bench/results/scale-$(date -u +%Y%m%dT%H%M%SZ).txt"
  exit 0
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results
OUT="bench/results/$STAMP"
: > "$OUT.jsonl"
url_of() {
  case "$1" in
    download) echo "http://127.0.0.1:$HTTP_PORT/big" ;;
    tls16) echo "https://127.0.0.1:$HTTPS_PORT/small" ;;
    *) echo "http://127.0.0.1:$HTTP_PORT/small" ;;
  esac
}
lanes_of() {
  case "$1" in c64) echo 64 ;; c256) echo 256 ;; tls16) echo 16 ;; *) echo 1 ;; esac
}

echo "== $ROUNDS round(s): scenarios [$SCENARIOS], clients [$CLIENTS], warm-up ${WARMUP}s, measured ${MEASURE}s"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
read -r -a client_list <<< "$CLIENTS"
n=${#client_list[@]}
for round in $(seq 1 "$ROUNDS"); do
  for scenario in $SCENARIOS; do
    url=$(url_of "$scenario"); lanes=$(lanes_of "$scenario")
    order=()
    # rotate the order each round so no client always runs right after the same one
    for i in $(seq 0 $((n - 1))); do order+=("${client_list[$(( (i + round - 1) % n ))]}"); done
    # telltale with every notification on, at 64 connections: the price of the events
    if [ "$scenario" = c64 ] && [[ " $CLIENTS " == *" telltale "* ]]; then order+=(telltale-all); fi
    for client in "${order[@]}"; do
      args=("client=$client" "scenario=$scenario" "url=$url" "lanes=$lanes" "conns=$lanes"
            "warmup=$WARMUP" "measure=$MEASURE" "truststore=$DIR/trust.p12" "out=$OUT.jsonl")
      printf 'round %s  %-9s %-13s ' "$round" "$scenario" "$client"
      if [ "$client" = wrk ]; then
        java -cp "$CP" dev.telltale.bench.load.WrkMain "${args[@]}" | cut -c1-200 \
          || echo "{\"client\":\"wrk\",\"scenario\":\"$scenario\",\"failed\":true}"
      else
        java "${JAVA_FLAGS[@]}" -cp "$CP" dev.telltale.bench.load.LoadMain "${args[@]}" | cut -c1-200 \
          || echo "{\"client\":\"$client\",\"scenario\":\"$scenario\",\"failed\":true}"
      fi
    done
  done
done

{
  echo "# telltale benchmark, $STAMP"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))," \
    "$(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1);" \
    "$("$NGINX" -v 2>&1 | sed 's/.*: //'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "Command: \`bash bench/run.sh${ARGS:+ $ARGS}\`:" \
    "$ROUNDS round(s), warm-up ${WARMUP} s and ${MEASURE} s measured per run, JVM flags \`${JAVA_FLAGS[*]:0:3}\`."
  echo "Load average (1 min): $LOAD_START at the start, $(cut -d' ' -f1 /proc/loadavg) at the end" \
    "(this benchmark alone keeps it near 2; more means other work shared the machine and req/s" \
    "figures are unreliable; CPU per request is steadier)."
  echo "Scenarios: seq1 = 1 connection, sequential GETs of 100 B; c64/c256 = 64/256 keep-alive" \
    "connections, 100 B; download = 100 MiB over 1 connection; tls16 = 16 connections over TLS, 100 B."
} > "$DIR/header.md"
java -cp "$CP" dev.telltale.bench.load.ReportMain "$OUT.jsonl" "$OUT.md" "$OUT.json" "$DIR/header.md"
# LATEST.md is the latest *complete* comparison: a run narrowed to some clients or scenarios
# does not replace it
if [ "$CLIENTS" = "$ALL_CLIENTS" ] && [ "$SCENARIOS" = "$ALL_SCENARIOS" ]; then
  cp "$OUT.md" bench/results/LATEST.md
  echo "== saved $OUT.md, $OUT.json and bench/results/LATEST.md"
else
  echo "== saved $OUT.md and $OUT.json (a narrowed run: bench/results/LATEST.md left as it was)"
fi
