#!/usr/bin/env bash
# The WAF's cost (issue: "CRS at paranoia level 1 in block mode on a route with a 2 KiB JSON body,
# at least 0.5x the same route with the WAF off"). ../shared/bench/run.sh only sends GETs, so this
# script measures the one thing it cannot: POSTs of a 2 KiB FHIR Observation, with wrk, against two
# routes of one gateway process that differ only in their `waf` key, in alternating rounds (each
# ratio compares runs taken seconds apart, as run.sh does).
#
#   bench/waf-bench.sh                 ROUNDS=3 DURATION=15s CONNECTIONS=64 BODIES=varied WARM_UP=30s by default
#
# WARM_UP is per route, before the rounds. With 10 s each, C2 was still compiling the engine well
# into the first WAF round on a 2-core guest (PrintCompilation: ~2,000 compilations in the 20 s
# after the warm-up, against ~40 a 10 s later), and that round came out 10-40% slower than the next.
#
# Needs wrk and nginx (the backend; installed when missing and running as root), modsecurity-crs,
# a JDK. Listens on 127.0.0.1 only: BASE_PORT+1 and +4 (nginx), BASE_PORT+2 (gateway), +3 (admin).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
WARM_UP="${WARM_UP:-30s}"
BASE_PORT="${BASE_PORT:-18500}"
BODIES="${BODIES:-varied}"
BACKEND_PORT=$((BASE_PORT + 1)) GATEWAY_PORT=$((BASE_PORT + 2)) ADMIN_PORT=$((BASE_PORT + 3))
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf '[waf-bench] %s\n' "$*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
[[ -d /usr/share/modsecurity-crs/rules ]] || missing+=(modsecurity-crs)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The backend: nginx reads the whole body (proxy_request_buffering, to a second server block), then
# answers a small JSON. A plain `return 201` answers before the body is read, and a proxy may not
# reuse a connection whose request it has not finished sending: every request would need a new
# upstream connection.
mkdir -p "$WORK/nginx"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  upstream answer { server 127.0.0.1:$((BASE_PORT + 4)); keepalive 64; }
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    keepalive_requests 1000000;
    location / {
      client_body_buffer_size 64k;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://answer;
    }
  }
  server {
    listen 127.0.0.1:$((BASE_PORT + 4));
    keepalive_requests 1000000;
    location / { return 201 '{"resourceType":"Observation","id":"o-1"}'; }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)

# 2 KiB FHIR Observations (vital signs, names with apostrophes, clinical notes; bench/fhir-bodies.py).
# BODIES=varied (the default): 10,000 different ones, one picked at random for each request, so the
# values that differ between real observations (ids, names, times, measurements, notes) differ here
# too. BODIES=fixed: one body sent again and again (the figures before 2026-11-27's sixth pass),
# which flatters the WAF's memory of values seen by earlier requests.
case "$BODIES" in
  varied) python3 "$HERE/bench/fhir-bodies.py" "$WORK/bodies.jsonl" 10000
          head -1 "$WORK/bodies.jsonl" | tr -d '\n' > "$WORK/body.json" ;;
  fixed) python3 "$HERE/bench/fhir-bodies.py" "$WORK/body.json" ;;
  *) log "BODIES must be varied or fixed"; exit 2 ;;
esac
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/fhir+json"
wrk.headers["User-Agent"] = "waf-bench/1.0"
wrk.headers["Host"] = "api.citizen.example"
local bodies = {}
if "$BODIES" == "varied" then
  for line in io.lines("$WORK/bodies.jsonl") do bodies[#bodies + 1] = line end
else
  local f = io.open("$WORK/body.json", "rb")
  bodies[1] = f:read("*a")
  f:close()
end
wrk.body = bodies[1]
-- Each wrk thread runs this script in a state of its own: setup numbers them, so that their
-- random sequences differ.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
end
request = function()
  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])
end
LUA

cat > "$WORK/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $GATEWAY_PORT}
admin: {host: 127.0.0.1, port: $ADMIN_PORT}
services:
  backend: {endpoints: [{url: "http://127.0.0.1:$BACKEND_PORT"}]}
routes:
  - {id: waf, match: {path: /waf/**}, service: backend, waf: {mode: block, paranoiaLevel: 1}}
  - {id: plain, match: {path: /plain/**}, service: backend}
observability: {accessLog: {enabled: false}}
YAML
"$HERE/gateway" run --config "$WORK/gateway.yaml" > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
GATEWAY_PID=$! # the launcher execs java
CLOCK_TICKS=$(getconf CLK_TCK)
# CPU the gateway process has used (user + system, all threads), in clock ticks.
gateway_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$ADMIN_PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
for route in waf plain; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' \
    --data-binary "@$WORK/body.json" "http://127.0.0.1:$GATEWAY_PORT/$route/Observation")
  [[ "$code" == 201 ]] || { log "POST /$route answered $code, not 201"; tail -5 "$WORK/gateway.log" >&2; exit 1; }
done
log "warming up"
for route in waf plain; do
  wrk -t2 -c"$CONNECTIONS" -d"$WARM_UP" -s "$WORK/post.lua" "http://127.0.0.1:$GATEWAY_PORT/$route/Observation" >/dev/null
done
# gateway_cpu_us_per_req: the gateway's CPU time over the run divided by the requests served.
# Steadier than req/s on a small shared machine, where wrk, nginx and the gateway compete for
# the same cores: compare builds by it when their req/s differ less than the rounds' spread.
printf 'round\troute\trequests_per_s\tp99\tgateway_cpu_us_per_req\n'
for r in $(seq 1 "$ROUNDS"); do
  for route in waf plain; do
    before=$(gateway_ticks)
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" \
      "http://127.0.0.1:$GATEWAY_PORT/$route/Observation")
    after=$(gateway_ticks)
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v t="$((after - before))" -v hz="$CLOCK_TICKS" -v n="$requests" \
      'BEGIN { printf "%.1f", (n > 0 ? t / hz / n * 1e6 : 0) }')
    errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
    [[ -z "$errors" ]] || log "round $r $route: $errors"
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$route" "$rps" "$p99" "$cpu"
  done
done
