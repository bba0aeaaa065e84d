#!/usr/bin/env bash
# GATEWAY_CMD for ../shared/bench/run.sh: writes a one-route config from the harness's
# variables (GATEWAY_PORT, BACKEND_URL) and runs the gateway with the launcher's default JVM options.
#
# GATEWAY_OBSERVABILITY picks what observes the traffic (docs/performance.md compares them):
#   off      metrics, access log and tracing all off
#   default  as shipped: metrics and access log on, tracing off (the default)
#   all      metrics, access log, and tracing at sampling 1.0 exporting over OTLP/HTTP to a local
#            sink (bench/otlp-sink.py), so spans are really made, batched and sent
# The access log goes to the gateway's stdout, which the harness writes to a file.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${TMPDIR:-/tmp}/citizen-bench-gateway.yaml"
MODE="${GATEWAY_OBSERVABILITY:-default}"
case "$MODE" in
  off) OBSERVABILITY="{metrics: {enabled: false}, accessLog: {enabled: false}, tracing: {enabled: false}}" ;;
  default) OBSERVABILITY="{}" ;;
  all)
    SINK_PORT=$((GATEWAY_PORT + 7))
    python3 "$HERE/bench/otlp-sink.py" "$SINK_PORT" &
    SINK_PID=$!
    trap 'kill $SINK_PID 2>/dev/null' EXIT
    OBSERVABILITY="{tracing: {enabled: true, endpoint: \"http://127.0.0.1:${SINK_PORT}/v1/traces\", samplingRatio: 1.0}}"
    ;;
  *) echo "GATEWAY_OBSERVABILITY must be off, default or all" >&2; exit 2 ;;
esac
cat > "$CONFIG" <<YAML
server: {host: 127.0.0.1, port: ${GATEWAY_PORT}}
admin: {host: 127.0.0.1, port: 0}
services:
  backend:
    endpoints: [{url: "${BACKEND_URL}"}]
routes:
  - id: all
    match: {path: /**}
    service: backend
observability: ${OBSERVABILITY}
YAML
if [[ "$MODE" == all ]]; then
  # Not exec: the sink must be stopped when the gateway stops.
  "$HERE/gateway" run --config "$CONFIG" &
  GW=$!
  trap 'kill $GW 2>/dev/null; kill $SINK_PID 2>/dev/null' EXIT TERM INT
  wait $GW
else
  exec "$HERE/gateway" run --config "$CONFIG"
fi
