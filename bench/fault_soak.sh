#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Long form of the fault-injection suite (tests/integration/fault_injection_test.cpp):
# the same test binary, run with many SIGKILLs and a long broker freeze. Prints the
# "fault-injection:" figure lines (kills, scans, committed, delivered, lost, gaps,
# duplicates, RSS) for bench/RESULTS.md and exits non-zero when a check failed.
#   bench/fault_soak.sh [BUILD_DIR] [KILLS] [FREEZE_SECONDS]   # defaults: build 60 60
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
KILLS=${2:-60}
FREEZE=${3:-60}
cmake --build "$BUILD_DIR" -j "$(nproc)" --target fault_injection_tests dockgate >/dev/null
log=$(mktemp)
status=0
DOCKGATE_FAULT_KILLS=$KILLS DOCKGATE_FAULT_FREEZE_S=$FREEZE \
  "$BUILD_DIR/tests/integration/fault_injection_tests" >"$log" 2>&1 || status=$?
grep -E '^fault-injection:|^\[  (PASSED|FAILED) ' "$log" || true
[ "$status" = 0 ] || { echo "fault_soak: a check failed; full output: $log" >&2; exit 1; }
rm -f "$log"
