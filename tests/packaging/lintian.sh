#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.lintian: the .deb passes lintian with no error and no warning. Every tag that is
# overridden (packaging/deb/lintian-overrides, each with its reason) is printed, and an
# override that no longer matches anything fails too, so the file cannot go stale.
#   lintian.sh OUT_DIR
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
out=$1

need_tools lintian
deb=$(only_file "$out" 'dockgate_*.deb')

# Info, pedantic and experimental tags are shown for information; errors and warnings fail.
# --fail-on none: with --show-overrides lintian would count overridden tags as failures, so
# the E:/W: lines are judged below instead.
report=$(lintian --display-info --pedantic --display-experimental --show-overrides \
  --fail-on none "$deb" 2>&1) || { echo "$report"; fail "lintian could not check the package"; }
echo "lintian $(lintian --version | awk '{print $2}') on $(basename "$deb"):"
printf '%s\n' "$report" | grep -v '^running with root privileges' || true

printf '%s\n' "$report" | grep -E '^(E|W): ' && fail "lintian reports errors or warnings (above)"
printf '%s\n' "$report" | grep -E '(unused|mismatched)-override' &&
  fail "an override in packaging/deb/lintian-overrides no longer matches"
ok "lintian: no errors, no warnings; overridden tags listed with O:"
