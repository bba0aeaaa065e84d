#!/usr/bin/env bash
# A quick paired comparison of the proxy path (issue 2), for work between harness runs:
# ../shared/bench/run.sh takes ~7 minutes and is the figure of record; this takes ~2 and answers
# "did this change make the proxied request cheaper?". It starts the harness's own backend and
# nginx proxy (the same templates), one gateway per jar given, and runs wrk in alternating rounds
# against nginx and each gateway, printing requests/s, the ratio to nginx of the same round, and
# the CPU each proxy used a request (from /proc, all its threads).
#
#   bench/proxy-ab.sh JAR [JAR2]      ROUNDS=4 DURATION=8s CONNECTIONS=64 PATH_=/ WARM_UP=20s
#
# JAR defaults to target/citizen-gateway.jar. With two jars (say an old build from a worktree),
# the two gateways take turns, so the ratio between them compares runs seconds apart.
# Listens on 127.0.0.1 only: BASE_PORT+1 (backend), +2 (nginx), +3 and +4 (gateways), +5 and +6 (admin).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-4}" DURATION="${DURATION:-8s}" CONNECTIONS="${CONNECTIONS:-64}"
PATH_="${PATH_:-/}" WARM_UP="${WARM_UP:-20s}" BASE_PORT="${BASE_PORT:-18700}"
# The launcher's own defaults (so a change there is measured here too), or GATEWAY_JAVA_OPTS.
JAVA_OPTS="${GATEWAY_JAVA_OPTS:-$(sed -n 's/^DEFAULT_OPTS="\(.*\)"$/\1/p' "$HERE/gateway")}"
[[ -n "$JAVA_OPTS" ]] || { echo "no DEFAULT_OPTS line in $HERE/gateway" >&2; exit 2; }
JARS=("${1:-$HERE/target/citizen-gateway.jar}")
[[ -n "${2:-}" ]] && JARS+=("$2")
# The harness's own backend and nginx configs (../shared/bench, read-only).
TPL="${TPL:-$HERE/../shared/bench/conf}"
command -v nginx >/dev/null && command -v wrk >/dev/null || { echo "needs nginx and wrk (Debian: nginx-light wrk)" >&2; exit 2; }
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/tmp/backend-body" "$WORK/www"
head -c 16384 /dev/zero | tr '\0' 'x' | sed 's/^/{"pad":"/; s/$/"}/' | head -c 16384 > "$WORK/www/16k.json"
sub() { sed -e "s#@RUN_DIR@#$WORK#g" -e "s#@BACKEND_PORT@#$((BASE_PORT + 1))#g" -e "s#@BACKEND_WORKERS@#2#g" \
  -e "s#@NGINX_PORT@#$((BASE_PORT + 2))#g" -e "s#@UPSTREAM_IDLE@#256#g" "$1"; }
sub "$TPL/backend-nginx.conf.tmpl" > "$WORK/backend.conf"
sub "$TPL/nginx-proxy.conf.tmpl" > "$WORK/proxy.conf"
nginx -c "$WORK/backend.conf" -g 'daemon off;' & PIDS+=($!)
nginx -c "$WORK/proxy.conf" -g 'daemon off;' & PIDS+=($!)
NGINX_MASTER=$!
GW_PIDS=()
for i in "${!JARS[@]}"; do
  cat > "$WORK/gw$i.yaml" <<YAML
server: {host: 127.0.0.1, port: $((BASE_PORT + 3 + i))}
admin: {host: 127.0.0.1, port: $((BASE_PORT + 5 + i))}
services:
  backend:
    endpoints: [{url: "http://127.0.0.1:$((BASE_PORT + 1))"}]
routes:
  - id: all
    match: {path: /**}
    service: backend
YAML
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "${JARS[$i]}" run --config "$WORK/gw$i.yaml" > "$WORK/gw$i.log" 2>&1 & PIDS+=($!)
  GW_PIDS+=($!)
done
for port in $((BASE_PORT + 1)) $((BASE_PORT + 2)) $(for i in "${!JARS[@]}"; do echo $((BASE_PORT + 3 + i)); done); do
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port$PATH_" 2>/dev/null && break; sleep 0.2; done
done
# CPU ticks of a process and all its children (nginx: master + workers).
ticks() { local t=0; for p in "$1" $(pgrep -P "$1" || true); do
  t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
for i in "${!JARS[@]}"; do wrk -t2 -c"$CONNECTIONS" -d"$WARM_UP" "http://127.0.0.1:$((BASE_PORT + 3 + i))$PATH_" > /dev/null; done
wrk -t2 -c"$CONNECTIONS" -d4s "http://127.0.0.1:$((BASE_PORT + 2))$PATH_" > /dev/null
run() {  # name port pid -> "rps us_per_req"
  local before after out rps
  before=$(ticks "$3")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "http://127.0.0.1:$2$PATH_")
  after=$(ticks "$3")
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  grep -q 'Non-2xx\|Socket errors' <<< "$out" && echo "[$1] $(grep 'Non-2xx\|Socket errors' <<< "$out")" >&2
  awk -v r="$rps" -v d="${DURATION%s}" -v t=$((after - before)) -v hz="$HZ" \
    'BEGIN {printf "%.0f %.1f", r, t / hz * 1e6 / (r * d)}'
  sleep 1
}
printf 'round  nginx rps (us/req)'; for i in "${!JARS[@]}"; do printf '  | gw%d rps (us/req) x nginx' "$i"; done; echo
for r in $(seq "$ROUNDS"); do
  read -r nr nc <<< "$(run nginx $((BASE_PORT + 2)) "$NGINX_MASTER")"
  line="$(printf '%5d  %6d (%5.1f)' "$r" "$nr" "$nc")"
  for i in "${!JARS[@]}"; do
    read -r gr gc <<< "$(run "gw$i" $((BASE_PORT + 3 + i)) "${GW_PIDS[$i]}")"
    line+="$(printf '  | %6d (%5.1f) %.3f' "$gr" "$gc" "$(awk -v a="$gr" -v b="$nr" 'BEGIN {print a / b}')")"
  done
  echo "$line"
done
