#!/usr/bin/env bash
# What the OpenTelemetry SDK's OTLP/HTTP exporter costs per span, and making a request's two spans,
# in a hot loop (dev.citizen.gateway.tracing.ExportCost; docs/performance.md, issue 4). Builds the
# test classes if needed. Usage: bench/otel-export-cost.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -q -B test-compile
CP_FILE="$(mktemp)"
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
java -Xms128m -Xmx128m -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  dev.citizen.gateway.tracing.ExportCost
