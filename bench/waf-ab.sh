#!/usr/bin/env bash
# The WAF engine of two builds, compared in one JVM (bench/waf-ab/AbDriver.java): CRS at paranoia
# level 1 evaluating the requests of bench/waf-bench.sh's WAF route, in alternating batches timed
# by the thread's CPU clock. Prints each build's median microseconds an evaluation and the median
# of the paired ratios B/A (A/A on the same build gives 1.00 +- 0.02). For deciding whether an
# engine change helps on a machine whose speed drifts: bench/waf-bench.sh measures the gateway.
#
#   bench/waf-ab.sh REV_A [REV_B]    REV_B: the working tree when left out
#   BODIES=varied (default) | fixed | GET    ROUNDS=60  BATCH=500  WARM_UP_S=20 (both builds, before the rounds)
#
# Needs modsecurity-crs, python3 and a JDK; builds each revision in a worktree of its own.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REV_A="${1:?usage: bench/waf-ab.sh REV_A [REV_B]}"
REV_B="${2:-}"
BODIES="${BODIES:-varied}"
ROUNDS="${ROUNDS:-60}"
WARM_UP_S="${WARM_UP_S:-20}"
BATCH="${BATCH:-500}"
WORK="$(mktemp -d)"
cleanup() {
  for w in "$WORK/a" "$WORK/b"; do
    [[ -d "$w" ]] && git -C "$HERE" worktree remove --force "$w" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '[waf-ab] %s\n' "$*" >&2; }
[[ -d /usr/share/modsecurity-crs/rules ]] || { log "needs Debian's modsecurity-crs"; exit 2; }

# Builds revision $1 (empty: the working tree) and prints the directory of its classes.
build() {
  local rev="$1" dir="$2"
  if [[ -z "$rev" ]]; then
    dir="$HERE"
  else
    git -C "$HERE" worktree add -q --detach "$dir" "$rev"
  fi
  (cd "$dir" && ./mvnw -q compile) >&2
  echo "$dir/target/classes"
}

case "$BODIES" in
  varied) python3 "$HERE/bench/fhir-bodies.py" "$WORK/bodies.jsonl" 10000; INPUT="$WORK/bodies.jsonl" ;;
  fixed) python3 "$HERE/bench/fhir-bodies.py" "$WORK/body.json"; INPUT="$WORK/body.json" ;;
  GET) INPUT=GET ;;
  *) log "BODIES must be varied, fixed or GET"; exit 2 ;;
esac
log "building $REV_A and ${REV_B:-the working tree}"
CLASSES_A="$(build "$REV_A" "$WORK/a")"
CLASSES_B="$(build "$REV_B" "$WORK/b")"
(cd "$HERE" && ./mvnw -q dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt") >&2
mkdir -p "$WORK/batch-a" "$WORK/batch-b" "$WORK/driver"
javac -nowarn -d "$WORK/batch-a" -cp "$CLASSES_A:$(cat "$WORK/cp.txt")" "$HERE/bench/waf-ab/WafBatch.java"
javac -nowarn -d "$WORK/batch-b" -cp "$CLASSES_B:$(cat "$WORK/cp.txt")" "$HERE/bench/waf-ab/WafBatch.java"
javac -d "$WORK/driver" "$HERE/bench/waf-ab/AbDriver.java"
log "A = $REV_A, B = ${REV_B:-working tree}; $BODIES; ${WARM_UP_S} s of warm-up, then $ROUNDS rounds of $BATCH evaluations each"
# The logger's INFO lines (rule set compiled ...) go to stdout: keep only the driver's.
java -Xms512m -Xmx512m -XX:+UseSerialGC -DwarmUpSeconds="$WARM_UP_S" -cp "$WORK/driver" AbDriver "$WORK/cp.txt" "$INPUT" "$ROUNDS" "$BATCH" \
  "$WORK/batch-a:$CLASSES_A" "$WORK/batch-b:$CLASSES_B" | grep -E '^(A|B) '
