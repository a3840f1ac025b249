#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.build: makes the .deb and .rpm from the already built tree into OUT_DIR, for
# the other packaging tests (ctest fixture). Builds nothing: it packages what scripts/test
# (or `cmake --build`) built, through <build>/packaging/CPackPrebuilt.cmake.
#   build_packages.sh BUILD_DIR OUT_DIR
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
build=$1 out=$2

need_tools cpack dpkg-deb dpkg-shlibdeps rpmbuild gzip
[ -x "$build/dockgate" ] || fail "$build/dockgate is not built: build the tree first (scripts/test does)"
if [ ! -f "$build/packaging/dockgate.1.gz" ] || [ ! -f "$build/packaging/changelog.Debian.gz" ]; then
  fail "target dockgate_package_files is not built in $build"
fi

rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
if ! cpack --config "$build/packaging/CPackPrebuilt.cmake" -G "DEB;RPM" -B "$out" \
  >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log"
  fail "cpack failed (log above)"
fi
rm -rf "$out/_CPack_Packages"
deb=$(only_file "$out" 'dockgate_*.deb')
rpm=$(only_file "$out" 'dockgate-*.rpm')
ok "packages built in $(($(date +%s) - start)) s:"
ls -l "$deb" "$rpm"
