#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.install: installs the .deb on this machine with dpkg and takes it away again.
#   install: binary runs, unit and man page present, user dockgate (system, groups dialout
#            and input), /var/lib/dockgate 0750, service enabled, config valid for the user,
#            the agent runs as that user and creates its buffer there
#   reinstall (upgrade path): a locally edited conffile and the buffer are kept
#   remove:  binary and unit gone, service masked; buffer, config and user kept
#   purge:   buffer, config, user and enablement state gone
# Needs root (CI runs it as root). Without a running systemd nothing is started by the
# maintainer scripts; the test runs the agent itself.
#   install_deb.sh OUT_DIR PROJECT_VERSION
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
out=$1 version=$2

if [ "$(id -u)" -ne 0 ]; then
  fail "the install test must run as root (it installs and purges the dockgate package with dpkg); run ctest as root, as CI does"
fi
need_tools dpkg dpkg-query setpriv socat systemd-analyze man
deb=$(only_file "$out" 'dockgate_*.deb')

# Never touch a real installation: this test purges the package, which deletes its buffer.
# The marker says a previous run of this test left the package behind.
marker=/var/tmp/dockgate-packaging-test.marker
if [ ! -e "$marker" ]; then
  if dpkg-query -W -f='${db:Status-Status}' dockgate 2>/dev/null | grep -qv '^not-installed$'; then
    fail "the dockgate package is already on this machine; the test would purge it and its buffer. Remove it first (dpkg -P dockgate) or run the test on a CI machine"
  fi
  getent passwd dockgate >/dev/null && fail "a user 'dockgate' exists that this test did not create; it would be deleted on purge"
  [ -e /var/lib/dockgate ] && fail "/var/lib/dockgate exists; the test would delete it on purge"
  getent group input >/dev/null && echo present >"$marker.input" || echo absent >"$marker.input"
fi
touch "$marker"
agent='' notify_reader='' notify_dir=''
cleanup() {
  local pid
  for pid in $agent $notify_reader; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ -z "$notify_dir" ] || rm -rf "$notify_dir"
  dpkg -P dockgate >/dev/null 2>&1 || true
  # postinst creates the system group 'input' where udev has not (containers).
  if [ "$(cat "$marker.input" 2>/dev/null)" = absent ] && getent group input >/dev/null &&
    [ -z "$(getent group input | cut -d: -f4)" ]; then
    groupdel input || true
  fi
  rm -f "$marker" "$marker.input"
}
trap cleanup EXIT

# --- Install.
dpkg -i "$deb" || fail "dpkg -i $(basename "$deb") failed"
[ "$(dpkg-query -W -f='${db:Status-Abbrev}' dockgate)" = "ii " ] || fail "package not in state ii"
expect_equal "installed /usr/bin/dockgate --version" "$version" "$(/usr/bin/dockgate --version)"
[ -f /usr/lib/systemd/system/dockgate.service ] || fail "unit file not installed"
[ -f /usr/lib/modules-load.d/dockgate.conf ] || fail "modules-load.d file not installed"
# Slim container images tell dpkg not to unpack man pages (path-exclude): then only the
# registration is checked, and verify below skips the man: link.
verify_man=yes
if grep -qs '^path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
  verify_man=no
  dpkg -L dockgate | grep -qx /usr/share/man/man1/dockgate.1.gz || fail "man page not in the package"
  echo "note: dpkg excludes /usr/share/man on this machine; man page registered, not unpacked"
else
  man -w dockgate >/dev/null || fail "man page dockgate(1) not found by man"
fi
ok "binary, unit, modules-load.d file and man page installed"
expect_equal "conffiles registered" "/etc/dockgate/dockgate.yaml" \
  "$(dpkg-query -W -f='${Conffiles}' dockgate | awk 'NF {print $1}')"

IFS=: read -r _ _ uid _ _ home shell < <(getent passwd dockgate) || fail "user dockgate not created"
[ "$uid" -lt 1000 ] || fail "dockgate is not a system user (uid $uid)"
expect_equal "dockgate home" /var/lib/dockgate "$home"
expect_equal "dockgate shell" /usr/sbin/nologin "$shell"
groups=" $(id -nG dockgate) "
for g in dockgate dialout input; do
  [[ "$groups" == *" $g "* ]] || fail "dockgate is not in group $g (groups:$groups)"
done
ok "system user dockgate (uid $uid) in groups dockgate, dialout, input"
expect_equal "/var/lib/dockgate owner and mode" "dockgate:dockgate 750" \
  "$(stat -c '%U:%G %a' /var/lib/dockgate)"
[ -L /etc/systemd/system/multi-user.target.wants/dockgate.service ] ||
  fail "service not enabled (no multi-user.target.wants link)"
ok "service enabled for multi-user.target"
systemd-analyze verify --man="$verify_man" /usr/lib/systemd/system/dockgate.service ||
  fail "systemd-analyze verify on the installed unit"
ok "installed unit verifies"
setpriv --reuid=dockgate --regid=dockgate --init-groups \
  dockgate check-config /etc/dockgate/dockgate.yaml || fail "default config invalid for user dockgate"

# The agent as the service user, the way systemd runs it (Type=notify): a notify socket
# receives READY=1, then STATUS= and WATCHDOG=1 from the main loop, and STOPPING=1 on SIGTERM.
notify_dir=$(mktemp -d)
chmod 755 "$notify_dir"
(umask 000 && exec socat -u UNIX-RECV:"$notify_dir/notify" OPEN:"$notify_dir/messages",creat,append) &
notify_reader=$!
for _ in $(seq 50); do [ -S "$notify_dir/notify" ] && break; sleep 0.1; done
[ -S "$notify_dir/notify" ] || fail "notify socket not created"
wait_for_message() {  # wait_for_message TEXT SECONDS
  local _i
  for _i in $(seq $(($2 * 10))); do
    grep -q "$1" "$notify_dir/messages" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
NOTIFY_SOCKET=$notify_dir/notify setpriv --reuid=dockgate --regid=dockgate --init-groups \
  dockgate run --config /etc/dockgate/dockgate.yaml 2>"$notify_dir/agent.log" &
agent=$!
wait_for_message READY=1 10 || { cat "$notify_dir/agent.log"; fail "no READY=1 within 10 s"; }
wait_for_message WATCHDOG=1 3 || { cat "$notify_dir/agent.log"; fail "no WATCHDOG=1 within 3 s of READY=1"; }
wait_for_message STATUS= 1 || fail "no STATUS= message"
ok "agent as user dockgate: READY=1, STATUS=, WATCHDOG=1 on the notify socket"

# `systemctl reload` = SIGHUP to the main process (ExecReload=): the agent re-reads the
# config and keeps running; a broken config is reported and the running one stays.
wait_for_log() {  # wait_for_log TEXT SECONDS
  local _i
  for _i in $(seq $(($2 * 10))); do
    grep -qF "$1" "$notify_dir/agent.log" && return 0
    sleep 0.1
  done
  return 1
}
kill -HUP "$agent"
wait_for_log "config reload" 5 || { cat "$notify_dir/agent.log"; fail "no config reload after SIGHUP"; }
kill -0 "$agent" 2>/dev/null || fail "agent exited on SIGHUP"
cp -p /etc/dockgate/dockgate.yaml "$notify_dir/dockgate.yaml.good"
echo "no_such_key: 1" >>/etc/dockgate/dockgate.yaml
kill -HUP "$agent"
wait_for_message "STATUS=config reload failed" 5 ||
  { cat "$notify_dir/agent.log"; fail "no 'config reload failed' status after SIGHUP with a broken config"; }
kill -0 "$agent" 2>/dev/null || fail "agent exited on SIGHUP with a broken config"
cp -p "$notify_dir/dockgate.yaml.good" /etc/dockgate/dockgate.yaml
ok "SIGHUP (systemctl reload): reloads; a broken config is reported and the agent keeps running"
kill -TERM "$agent"
set +e
wait "$agent"
agent_status=$?
set -e
agent=
expect_equal "agent exit status after SIGTERM" 0 "$agent_status"
wait_for_message STOPPING=1 1 || fail "no STOPPING=1 on SIGTERM"
kill "$notify_reader" 2>/dev/null || true
wait "$notify_reader" 2>/dev/null || true
notify_reader=
rm -rf "$notify_dir"
notify_dir=
expect_equal "buffer created by the agent as dockgate" "dockgate" \
  "$(stat -c %U /var/lib/dockgate/outbox.db)"
setpriv --reuid=dockgate --regid=dockgate --init-groups \
  dockgate status --config /etc/dockgate/dockgate.yaml --json | grep -q '"backlogCount": 0' ||
  fail "dockgate status does not read the buffer"
ok "dockgate status reads the buffer"

# --- Reinstall over itself (the upgrade path): local config edits and the buffer stay.
echo "# local edit by the packaging test" >>/etc/dockgate/dockgate.yaml
dpkg -i "$deb" >/dev/null || fail "reinstall failed"
grep -q '^# local edit by the packaging test$' /etc/dockgate/dockgate.yaml ||
  fail "reinstall replaced the edited conffile"
[ -f /var/lib/dockgate/outbox.db ] || fail "reinstall lost the buffer"
ok "reinstall keeps the edited config and the buffer"

# --- Remove: program gone, data and user kept, service cannot start.
dpkg -r dockgate || fail "dpkg -r failed"
[ ! -e /usr/bin/dockgate ] || fail "/usr/bin/dockgate still present after remove"
[ ! -e /usr/lib/systemd/system/dockgate.service ] || fail "unit still present after remove"
[ -f /var/lib/dockgate/outbox.db ] || fail "remove deleted the buffer"
[ -f /etc/dockgate/dockgate.yaml ] || fail "remove deleted the conffile"
getent passwd dockgate >/dev/null || fail "remove deleted the user"
expect_equal "unit masked after remove" /dev/null "$(readlink /etc/systemd/system/dockgate.service)"
ok "remove keeps /var/lib/dockgate, the config and the user"

# --- Purge: everything gone.
dpkg -P dockgate || fail "dpkg -P failed"
[ ! -e /var/lib/dockgate ] || fail "purge kept /var/lib/dockgate"
[ ! -e /etc/dockgate ] || fail "purge kept /etc/dockgate"
getent passwd dockgate >/dev/null && fail "purge kept the user dockgate"
getent group dockgate >/dev/null && fail "purge kept the group dockgate"
[ ! -e /etc/systemd/system/dockgate.service ] || fail "purge kept the mask"
[ ! -e /etc/systemd/system/multi-user.target.wants/dockgate.service ] ||
  fail "purge kept the multi-user.target.wants link"
state=$(dpkg-query -W -f='${db:Status-Status}' dockgate 2>/dev/null || true)
[ -z "$state" ] || [ "$state" = not-installed ] || fail "package state '$state' after purge"
ok "purge removes the buffer, the config, the user and the enablement state"
