#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.rpm_contents: the .rpm's files, config files (%config(noreplace)), owners,
# scriptlets and requirements.
#   rpm_contents.sh OUT_DIR SOURCE_DIR PROJECT_VERSION
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
out=$1 src=$2 version=$3

need_tools rpm
pkg=$(only_file "$out" 'dockgate-*.rpm')

nvr=$(rpm -qp --qf '%{NAME} %{VERSION}' "$pkg" 2>/dev/null)
expect_equal "name and version" "dockgate $version" "$nvr"

# Files: the shared payload, minus the Debian-only changelog and lintian overrides; no
# directories that belong to systemd, man-db or the filesystem package.
listed=$(rpm -qlp "$pkg" 2>/dev/null)
files=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$pkg" 2>/dev/null |
  awk '$1 !~ /^[dl]/ {sub("^/", "", $2); print $2}' | LC_ALL=C sort)
expect_equal "payload file list (rpm -qlp)" "$(expected_payload "$src")" "$files"
for shared in /usr /usr/bin /usr/lib /usr/lib/systemd /usr/lib/systemd/system \
  /usr/lib/modules-load.d /usr/share/man /usr/share/man/man1 /usr/share/doc /etc /var; do
  printf '%s\n' "$listed" | grep -qx "$shared" && fail "the rpm claims the shared directory $shared"
done
ok "no shared directories claimed"
printf '%s\n' "$listed" | grep -q '^/var/' && fail "the rpm must not ship /var (the buffer is data)"
printf '%s\n' "$listed" | grep -qx /etc/dockgate || fail "the rpm does not own /etc/dockgate"
ok "owns /etc/dockgate, ships nothing under /var"

owners=$(rpm -qp --qf '[%{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]' "$pkg" 2>/dev/null)
printf '%s\n' "$owners" | awk '$1 != "root:root" {print; bad=1} END {exit bad}' ||
  fail "entries above are not owned by root:root"
ok "every entry owned by root:root"

expect_equal "config files (rpm -qp --configfiles)" "/etc/dockgate/dockgate.yaml" \
  "$(rpm -qp --configfiles "$pkg" 2>/dev/null)"
flags=$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$pkg" 2>/dev/null |
  awk '$2 == "/etc/dockgate/dockgate.yaml" {print $1}')
expect_equal "dockgate.yaml is %config(noreplace)" "cn" "$flags"
licenses=$(rpm -qp --licensefiles "$pkg" 2>/dev/null)
expect_equal "license file" "/usr/share/doc/dockgate/copyright" "$licenses"
expect_equal "License tag (SPDX)" "Apache-2.0" "$(rpm -qp --qf '%{LICENSE}' "$pkg" 2>/dev/null)"

# Scriptlets: user before unpack; enable/start after; stop/disable on erase only.
scripts=$(rpm -qp --scripts "$pkg" 2>/dev/null)
for needle in 'preinstall scriptlet' 'useradd -r -g dockgate' 'usermod -a -G dialout,input' \
  'postinstall scriptlet' 'systemctl enable dockgate.service' 'check-config' \
  'systemctl try-restart dockgate.service' 'preuninstall scriptlet' \
  'systemctl disable dockgate.service' 'postuninstall scriptlet' 'daemon-reload'; do
  printf '%s\n' "$scripts" | grep -qF -- "$needle" || fail "scriptlets lack '$needle'"
done
for script in pre post preun postun; do
  sh -n "$src/packaging/rpm/$script" || fail "packaging/rpm/$script has a shell syntax error"
done
ok "scriptlets: user, enable + start/try-restart after check-config, stop + disable on erase"

requires=$(rpm -qp --requires "$pkg" 2>/dev/null)
for req in shadow-utils systemd util-linux 'libsqlite3.so.0()(64bit)' \
  'libpaho-mqttpp3.so.1()(64bit)' 'libsystemd.so.0()(64bit)'; do
  printf '%s\n' "$requires" | grep -qxF -- "$req" || fail "Requires lacks $req"
done
ok "Requires: scriptlet tools and automatic library requirements"
printf '%s\n' "$(rpm -qp --changelog "$pkg" 2>/dev/null | head -n 1)" | grep -q -- "- $version-" ||
  fail "rpm %changelog top entry is not version $version"
ok "%changelog names $version"
