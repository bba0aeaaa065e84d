#!/usr/bin/env bash
# GATEWAY_CMD for ../shared/bench/run.sh: writes a one-route config from the harness's
# variables (GATEWAY_PORT, BACKEND_URL) and runs the gateway with the launcher's default JVM options.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIG="${TMPDIR:-/tmp}/citizen-bench-gateway.yaml"
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
YAML
exec "$HERE/gateway" run --config "$CONFIG"
