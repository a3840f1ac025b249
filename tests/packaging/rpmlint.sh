#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# packaging.rpmlint: the .rpm passes rpmlint with no error and no warning. The settings
# (packaging/rpm/rpmlint.toml) and every filter (packaging/rpm/rpmlintrc, each with its
# reason) are printed, and a filter that no longer matches anything fails too (rpmlint's
# unused-rpmlintrc-filter error), so the file cannot go stale.
#   rpmlint.sh OUT_DIR SOURCE_DIR
# shellcheck source=tests/packaging/common.sh
source "$(dirname "$0")/common.sh"
out=$1 src=$2

need_tools rpmlint
rpm=$(only_file "$out" 'dockgate-*.rpm')
config=$src/packaging/rpm/rpmlint.toml
filters=$src/packaging/rpm/rpmlintrc

# Exit status 64 (errors) and 66 (badness over the threshold) are judged from the E:/W:
# lines below, like lintian's; anything else means rpmlint itself failed. Debian's rpmlint
# sees no RPM database: only the package file is checked, which is what ships.
status=0
report=$(rpmlint --config "$config" --rpmlintrc "$filters" "$rpm" 2>&1) || status=$?
case $status in
  0 | 64 | 66) ;;
  *)
    echo "$report"
    fail "rpmlint could not check the package (exit $status)"
    ;;
esac
echo "rpmlint $(rpmlint --version) on $(basename "$rpm"):"
printf '%s\n' "$report"
echo "settings (packaging/rpm/rpmlint.toml):"
grep -vE '^(#|$)' "$config" | sed 's/^/  /'
echo "filtered (packaging/rpm/rpmlintrc), each after its reason:"
grep -vE '^(# SPDX|$)' "$filters" | sed 's/^/  /'

printf '%s\n' "$report" | grep -E ': (E|W): ' && fail "rpmlint reports errors or warnings (above)"
printf '%s\n' "$report" | grep -qE '^ *1 packages and 0 specfiles checked; 0 errors, 0 warnings' ||
  fail "rpmlint did not report a clean check of one package"
ok "rpmlint: no errors, no warnings; filters listed above with their reasons"
