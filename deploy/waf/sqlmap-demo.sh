#!/usr/bin/env bash
# sqlmap against a deliberately vulnerable patient lookup: once directly (it finds the SQL
# injection), once through the gateway with the WAF in block mode (it finds none).
#
#   deploy/waf/sqlmap-demo.sh
#
# Needs: sqlmap and modsecurity-crs (Debian packages; installed here when missing and running as
# root), psql and a local PostgreSQL on 127.0.0.1:5432 that trusts local connections, with a
# database `test` (as on the project's machines), python3, and a JDK for the gateway.
# Everything listens on 127.0.0.1 only and is stopped at the end. Takes a few minutes.
# Ports: SERVICE_PORT (9780), GATEWAY_PORT (9781), ADMIN_PORT (9782).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SERVICE_PORT="${SERVICE_PORT:-9780}"
GATEWAY_PORT="${GATEWAY_PORT:-9781}"
ADMIN_PORT="${ADMIN_PORT:-9782}"
WORK="$(mktemp -d)"
PIDS=()

log() { printf '[sqlmap-demo] %s\n' "$*"; }

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  psql -X -q -h 127.0.0.1 -U postgres -d test -c "DROP TABLE IF EXISTS waf_demo_patients; DROP ROLE IF EXISTS waf_demo;" \
    >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

missing=()
command -v sqlmap >/dev/null || missing+=(sqlmap)
[[ -d /usr/share/modsecurity-crs/rules ]] || missing+=(modsecurity-crs)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing: ${missing[*]} (apt-get install ${missing[*]})"
    exit 2
  fi
  log "installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

wait_for() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  log "nothing listens on port $1"
  return 1
}

log "a table of made-up patients in PostgreSQL (database test) and a role that may only read it"
psql -X -q -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DROP TABLE IF EXISTS waf_demo_patients;
DROP ROLE IF EXISTS waf_demo;
CREATE TABLE waf_demo_patients (id text PRIMARY KEY, name text NOT NULL, birth_date date);
INSERT INTO waf_demo_patients VALUES ('p-1', 'ada', '1990-04-01'), ('p-2', 'grace', '1985-12-09'),
  ('p-3', 'O''Brien', '1984-03-12');
CREATE ROLE waf_demo LOGIN;
GRANT SELECT ON waf_demo_patients TO waf_demo;
SQL

log "the vulnerable service on 127.0.0.1:$SERVICE_PORT"
python3 "$HERE/vulnerable-service.py" "$SERVICE_PORT" &
PIDS+=($!)
wait_for "$SERVICE_PORT"

cat > "$WORK/gateway.yaml" <<YAML
server: {host: 127.0.0.1, port: $GATEWAY_PORT}
admin: {host: 127.0.0.1, port: $ADMIN_PORT, token: sqlmap-demo-admin-token-0123456789}
services:
  patients: {endpoints: [{url: "http://127.0.0.1:$SERVICE_PORT"}]}
routes:
  - id: patients
    match: {path: /api/**}
    service: patients
    waf: {mode: block, paranoiaLevel: 1}
YAML
log "the gateway on 127.0.0.1:$GATEWAY_PORT (WAF: block, paranoia level 1; log in $WORK/gateway.log)"
"$ROOT/gateway" run --config "$WORK/gateway.yaml" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_for "$GATEWAY_PORT"

# --random-agent: sqlmap's own User-Agent is on CRS's scanner list (913100), which would block
# every request by name; the WAF must stop the injections themselves.
sqlmap_run() {
  sqlmap -u "http://127.0.0.1:$1/api/patients?name=ada" -p name --batch --random-agent --flush-session \
    --output-dir="$WORK/sqlmap-$1" --time-sec=2 >"$WORK/sqlmap-$1.txt" 2>&1 || true
}

log "sqlmap directly against the service ..."
sqlmap_run "$SERVICE_PORT"
log "sqlmap through the gateway ..."
sqlmap_run "$GATEWAY_PORT"

direct_found=no
grep -q "sqlmap identified the following injection point" "$WORK/sqlmap-$SERVICE_PORT.txt" && direct_found=yes
gateway_found=no
grep -q "sqlmap identified the following injection point" "$WORK/sqlmap-$GATEWAY_PORT.txt" && gateway_found=yes
blocked=$(grep -c '"action":"blocked"' "$WORK/gateway.log" || true)

echo
log "directly:          injection found: $direct_found"
grep -E "^\s+(Type|Title):" "$WORK/sqlmap-$SERVICE_PORT.txt" | sed 's/^/    /' || true
log "through the gateway: injection found: $gateway_found ($blocked requests blocked by the WAF)"
grep -E "all tested parameters|not injectable|WAF/IPS" "$WORK/sqlmap-$GATEWAY_PORT.txt" | sed 's/^/    /' | head -5 || true

if [[ $direct_found == yes && $gateway_found == no ]]; then
  log "OK: the WAF stopped every injection sqlmap found"
  exit 0
fi
log "UNEXPECTED: see the sqlmap output below"
tail -n 40 "$WORK/sqlmap-$SERVICE_PORT.txt" "$WORK/sqlmap-$GATEWAY_PORT.txt"
exit 1
