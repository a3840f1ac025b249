#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs scripts/demo as CI and a user without a terminal would (stdin /dev/null, output to a
# file, a time limit) and checks what it promises:
#   1. a normal run exits 0 by itself, shows every milestone and the invalid_barcode
#      exception, and leaves none of its processes behind;
#   2. with the broker's port taken it fails at once with a clear message, leaving nothing;
#   3. interrupted halfway (SIGINT, as Ctrl-C) it exits 130 and leaves nothing.
# Processes are found by a marker in their environment, which every process the demo
# starts inherits (setsid keeps the environment).
#   demo_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
SRC=$1
BUILD=$2
LIMIT=120                         # seconds; the demo itself takes well under a minute
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

# leftovers MARKER: pids of live processes whose environment holds MARKER.
leftovers() {
  local e pid
  for e in /proc/[0-9]*/environ; do
    pid=${e#/proc/}
    pid=${pid%/environ}
    [ "$pid" = $$ ] && continue
    # kernel threads and processes that just ended have no readable environment
    if { tr '\0' '\n' <"$e"; } 2>/dev/null | grep -qx "DOCKGATE_DEMO_TEST=$1"; then
      echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
    fi
  done
}

# run_demo NAME [INTERRUPT_AFTER]: runs the demo; sets `status` to its exit status. With
# INTERRUPT_AFTER, sends SIGINT (what Ctrl-C sends) once that text is in its output.
run_demo() {
  local name=$1 interrupt_after=${2:-} pid left
  status=0
  export DOCKGATE_DEMO_TEST="$name-$$"
  # A background job of a script starts with SIGINT ignored, and bash cannot trap a signal
  # that was ignored when it started: reset it to the default, as a terminal would have it.
  BUILD_DIR="$BUILD" timeout -k 5 "$LIMIT" /usr/bin/python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$SRC/scripts/demo" </dev/null >"$OUT/$name.log" 2>&1 &
  pid=$!
  if [ -n "$interrupt_after" ]; then
    for _ in $(seq 600); do grep -q -- "$interrupt_after" "$OUT/$name.log" && break; sleep 0.1; done
    pkill -INT -P "$pid" || true   # the demo is timeout's child
  fi
  wait "$pid" || status=$?
  unset DOCKGATE_DEMO_TEST
  sleep 0.5   # a killed helper's parent may need a moment to reap it
  left=$(leftovers "$name-$$")
  [ -z "$left" ] || fail "$name: the demo left processes running:
$left"
}

# 1. Normal run.
run_demo full
log="$OUT/full.log"
[ "$status" = 0 ] || { cat "$log"; fail "full: exit status $status, expected 0 (log above)"; }
grep -q '^demo: OK' "$log" || { cat "$log"; fail "full: no 'demo: OK' line"; }
for want in 'receiving .*door-03 .*340123450000000420' 'receiving .*340123450000000437' \
  'arriving .*door-07' 'loading .*340123450000000451' 'loading .*340123450000000444' \
  'departing .*door-07' '\[exception\] .*invalid_barcode .*door-03' \
  '\[plan\] +PLAN-D07 rev 1 outbound at door-07' '\[exception\] .*misrouted .*door-07' \
  '\[exception\] .*short_shipment .*door-07 .*340123450000000475' \
  '\[replay\] +demo-replay done: 1 republished' '^   dockgate_mqtt_connected 1$'; do
  grep -Eq "$want" "$log" || { cat "$log"; fail "full: no line matching '$want'"; }
done
[ "$(grep -Ec 'receiving .*340123450000000437' "$log")" = 1 ] ||
  fail "full: the repeated scan of ...437 was shown more than once"
ok "the demo exits 0 by itself, shows every milestone, plan and exception, leaves nothing"

# 2. The broker's port is taken: fails fast and clearly.
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 18830)); s.listen(); print("listening", flush=True); time.sleep(120)
' >"$OUT/blocker.out" &
blocker=$!
for _ in $(seq 50); do grep -q listening "$OUT/blocker.out" && break; sleep 0.1; done
run_demo port_taken
kill "$blocker"
wait "$blocker" 2>/dev/null || true
[ "$status" = 1 ] || { cat "$OUT/port_taken.log"; fail "port_taken: exit $status, expected 1"; }
grep -q 'demo: FAILED: port 18830 on 127.0.0.1 is already in use' "$OUT/port_taken.log" ||
  { cat "$OUT/port_taken.log"; fail "port_taken: no clear message"; }
ok "a taken broker port fails with exit 1 and a clear message, leaves nothing"

# 3. Ctrl-C halfway, after the dock session has started.
run_demo interrupted 'network scanner: two SSCC'
[ "$status" = 130 ] || { cat "$OUT/interrupted.log"; fail "interrupted: exit $status, expected 130"; }
grep -q 'demo: interrupted' "$OUT/interrupted.log" || fail "interrupted: no 'demo: interrupted'"
ok "SIGINT halfway exits 130 and leaves nothing"
echo "3 passed, 0 failed"
