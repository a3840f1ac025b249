#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.unit: dockgate.service is clean for `systemd-analyze verify`, its exposure score
# from `systemd-analyze security --offline=true` is at most 2.0 (printed), and it keeps the
# settings the service depends on (so a score "improvement" cannot hide scanners).
#   unit.sh SOURCE_DIR BUILD_DIR
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
src=$1 build=$2
unit=$src/packaging/dockgate.service
max_exposure=2.0

need_tools systemd-analyze
[ -x "$build/dockgate" ] || fail "$build/dockgate is not built"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# verify resolves ExecStart*= binaries and man: pages: point them at the build tree.
sed "s#/usr/bin/dockgate#$build/dockgate#g" "$unit" >"$work/dockgate.service"
mkdir -p "$work/man/man1"
cp "$build/packaging/dockgate.1.gz" "$work/man/man1/"
set +e
verify=$(cd "$work" && MANPATH=$work/man systemd-analyze verify "$work/dockgate.service" 2>&1)
status=$?
set -e
expect_equal "systemd-analyze verify: no findings" "" "$verify"
[ "$status" -eq 0 ] || fail "systemd-analyze verify exited with $status"

report=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) ||
  { echo "$report"; fail "systemd-analyze security failed"; }
printf '%s\n' "$report" | grep -E '^✗' || true
exposure=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for dockgate\.service: \([0-9.]*\).*/\1/p')
[ -n "$exposure" ] || { echo "$report"; fail "no exposure level in the report"; }
echo "exposure level (systemd-analyze security --offline=true): $exposure"
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN {exit !(e <= m)}' ||
  fail "exposure $exposure is above $max_exposure"
ok "exposure $exposure <= $max_exposure"

# Settings the service relies on. Each line must appear exactly like this.
# shellcheck disable=SC2016 # $MAINPID is systemd's, not the shell's
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30s' 'Restart=on-failure' \
  'ExecStartPre=/usr/bin/dockgate check-config /etc/dockgate/dockgate.yaml' \
  'ExecStart=/usr/bin/dockgate run --config /etc/dockgate/dockgate.yaml' \
  'ExecReload=/bin/kill -HUP $MAINPID' 'User=dockgate' 'SupplementaryGroups=dialout input' \
  'StateDirectory=dockgate' 'StateDirectoryMode=0750' 'ConfigurationDirectory=dockgate' \
  'UMask=0027' 'DevicePolicy=closed' 'DeviceAllow=char-ttyUSB rw' 'DeviceAllow=char-ttyACM rw' \
  'DeviceAllow=char-input r' 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' \
  'CapabilityBoundingSet=' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
  'SystemCallFilter=@system-service' 'WantedBy=multi-user.target'; do
  grep -qxF -- "$line" "$unit" || fail "dockgate.service lacks the line '$line'"
done
if ! grep -Eq '^StartLimitIntervalSec=' "$unit" || ! grep -Eq '^StartLimitBurst=' "$unit"; then
  fail "dockgate.service lacks StartLimitIntervalSec=/StartLimitBurst="
fi
# PrivateDevices= hides the scanners; PrivateUsers= unmaps dialout/input; DynamicUser=
# loses the stable owner of the buffer.
grep -Eq '^(PrivateDevices|PrivateUsers|DynamicUser)=(yes|true|1|on)' "$unit" &&
  fail "dockgate.service enables PrivateDevices=, PrivateUsers= or DynamicUser="
ok "notify/watchdog/restart, user and groups, directories, device and sandbox settings present"
