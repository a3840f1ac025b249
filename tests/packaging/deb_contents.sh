#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.deb_contents: what the .deb holds, with which owners and modes, its control
# data (version, dependencies, conffiles, maintainer scripts), and that what it ships works:
# the packaged binary runs, the default config and the shipped examples pass check-config.
#   deb_contents.sh OUT_DIR SOURCE_DIR PROJECT_VERSION
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
out=$1 src=$2 version=$3

need_tools dpkg-deb readelf man
deb=$(only_file "$out" 'dockgate_*.deb')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- Payload: exactly the expected files; root-owned; 0755 dirs and binary, 0644 files.
listing=$(dpkg-deb -c "$deb")
files=$(printf '%s\n' "$listing" | awk '$1 !~ /^d/ {sub("^\\./", "", $6); print $6}' | LC_ALL=C sort)
expected=$({
  expected_payload "$src"
  echo usr/share/doc/dockgate/changelog.Debian.gz
  echo usr/share/lintian/overrides/dockgate
} | LC_ALL=C sort)
expect_equal "payload file list" "$expected" "$files"
printf '%s\n' "$listing" | awk '$2 != "root/root" {bad=1; print} END {exit bad}' ||
  fail "entries above are not owned by root/root"
ok "every entry owned by root/root"
printf '%s\n' "$listing" | awk '
  $1 ~ /^d/ && $1 != "drwxr-xr-x" {print; bad=1}
  $1 !~ /^d/ && $6 == "./usr/bin/dockgate" && $1 != "-rwxr-xr-x" {print; bad=1}
  $1 !~ /^d/ && $6 != "./usr/bin/dockgate" && $1 != "-rw-r--r--" {print; bad=1}
  END {exit bad}' || fail "entries above have unexpected modes"
ok "modes: directories and the binary 0755, other files 0644"
printf '%s\n' "$listing" | grep -q ' \./var/' && fail "the package must not ship /var (the buffer is data)"
ok "no /var content (the state directory is created by postinst/systemd)"

# --- Control data.
deb_version=$(dpkg-deb -f "$deb" Version)
case "$deb_version" in
  "$version"-[0-9]*) ok "Version $deb_version (upstream $version)" ;;
  *) fail "Version '$deb_version' does not start with the project version $version-" ;;
esac
depends=$(dpkg-deb -f "$deb" Depends)
for dep in adduser libc6 libsqlite3-0 libpaho-mqttpp3-1 libyaml-cpp0.7 libsystemd0; do
  printf '%s\n' "$depends" | grep -Eq "(^|, )$dep( |,|$)" || fail "Depends lacks $dep: $depends"
done
ok "Depends (shlibdeps + adduser): $depends"
for field in Maintainer Section Priority Description Homepage; do
  [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "control field $field is empty"
done
ok "Maintainer, Section, Priority, Description, Homepage set"

dpkg-deb -e "$deb" "$work/DEBIAN"
expect_equal "conffiles" "/etc/dockgate/dockgate.yaml" "$(cat "$work/DEBIAN/conffiles")"
for script in postinst prerm postrm; do
  [ "$(stat -c %a "$work/DEBIAN/$script")" = 755 ] || fail "$script is not mode 0755"
  sh -n "$work/DEBIAN/$script" || fail "$script has a shell syntax error"
  cmp -s "$work/DEBIAN/$script" "$src/packaging/deb/$script" || fail "$script differs from packaging/deb/$script"
done
ok "maintainer scripts postinst, prerm, postrm: 0755, valid sh, as in packaging/deb"
[ ! -e "$work/DEBIAN/preinst" ] || fail "unexpected preinst"

# --- Shipped files.
dpkg-deb -x "$deb" "$work/root"
root=$work/root
packaged_version=$("$root/usr/bin/dockgate" --version)
expect_equal "packaged binary runs: dockgate --version" "$version" "$packaged_version"
sections=$(readelf -S --wide "$root/usr/bin/dockgate")
printf '%s\n' "$sections" | grep -Eq '\.(debug_info|symtab|comment) ' &&
  fail "/usr/bin/dockgate is not stripped (debug info, symbols or .comment present)"
ok "/usr/bin/dockgate stripped"
cmp -s "$root/usr/lib/systemd/system/dockgate.service" "$src/packaging/dockgate.service" ||
  fail "shipped unit differs from packaging/dockgate.service"
ok "unit file as in packaging/dockgate.service"

"$root/usr/bin/dockgate" check-config "$root/etc/dockgate/dockgate.yaml" ||
  fail "the default /etc/dockgate/dockgate.yaml does not pass check-config"
grep -Eq '^  path: /var/lib/dockgate/outbox\.db( |$)' "$root/etc/dockgate/dockgate.yaml" ||
  fail "the default config does not put the buffer at /var/lib/dockgate/outbox.db"
ok "default config valid, buffer /var/lib/dockgate/outbox.db"
for example in "$root"/usr/share/doc/dockgate/examples/*.yaml; do
  "$root/usr/bin/dockgate" check-config "$example" >/dev/null ||
    fail "shipped example $(basename "$example") does not pass check-config"
done
ok "shipped complete examples pass check-config"

gzip_is_reproducible "$root/usr/share/man/man1/dockgate.1.gz"
gzip_is_reproducible "$root/usr/share/doc/dockgate/changelog.Debian.gz"
man_warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
  "$root/usr/share/man/man1/dockgate.1.gz" 2>&1 >/dev/null)
expect_equal "man page renders without groff warnings" "" "$man_warnings"
grep -q "dockgate $version" <(zcat "$root/usr/share/man/man1/dockgate.1.gz") ||
  fail "man page does not name version $version"
changelog_top=$(zcat "$root/usr/share/doc/dockgate/changelog.Debian.gz" | head -n 1)
case "$changelog_top" in
  "dockgate ($deb_version) "*) ok "changelog.Debian top entry is $deb_version" ;;
  *) fail "changelog.Debian top entry '$changelog_top' is not version $deb_version" ;;
esac
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  "$root/usr/share/doc/dockgate/copyright" || fail "copyright is not machine-readable (DEP-5)"
ok "copyright in DEP-5 format"
cmp -s "$src/packaging/copyright" "$root/usr/share/doc/dockgate/copyright" ||
  fail "/usr/share/doc/dockgate/copyright is not packaging/copyright"
# DEP-5: every licence named in a License: field without text (the header's expression,
# the Files: paragraphs) has a stand-alone License: paragraph with its text.
licences=$(awk '
  prev != "" && /^ / { defined[prev] = 1 }
  prev != "" && !/^ / {
    n = split(prev, names, / and | or /)
    for (i = 1; i <= n; i++) used[names[i]] = 1
  }
  { prev = "" }
  /^License: / { prev = substr($0, 10) }
  END {
    for (u in used) if (!(u in defined)) { print "no text for " u; bad = 1 }
    for (d in defined) print "text for " d
    exit bad
  }' "$root/usr/share/doc/dockgate/copyright") || fail "copyright: $licences"
texts=$(printf '%s\n' "$licences" | sed 's/^text for //' | LC_ALL=C sort | paste -sd' ')
ok "copyright is packaging/copyright, with the text of every licence: $texts"
