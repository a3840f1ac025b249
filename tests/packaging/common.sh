# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared helpers of the packaging tests (sourced, not run). Every check prints what it
# verified; the first failed check prints FAIL and exits 1, so ctest shows the reason.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

ok() {
  echo "ok: $*"
}

# need_tools TOOL...: the tools come from scripts/install-deps.
need_tools() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 || fail "'$t' not found: run scripts/install-deps"
  done
}

# only_file DIR GLOB: prints the one file in DIR matching GLOB (the packaging.build test
# writes them).
only_file() {
  local dir=$1 glob=$2
  # shellcheck disable=SC2206 # the glob is meant to expand
  local matches=("$dir"/$glob)
  if [ ${#matches[@]} -ne 1 ] || [ ! -f "${matches[0]}" ]; then
    fail "expected exactly one $glob in $dir (made by the packaging.build test), found: ${matches[*]}"
  fi
  echo "${matches[0]}"
}

# expect_equal WHAT EXPECTED ACTUAL
expect_equal() {
  if [ "$2" != "$3" ]; then
    printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3" >&2
    exit 1
  fi
  ok "$1"
}

# gzip_is_reproducible FILE: compressed with -n (no stored name, zero mtime), as Debian
# policy 12.3 asks for man pages and changelogs.
gzip_is_reproducible() {
  local header
  header=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  [ "${header:0:4}" = "1f8b" ] || fail "$1 is not gzip"
  local flags=$((16#${header:6:2}))
  [ $((flags & 8)) -eq 0 ] || fail "$1 stores a file name (use gzip -n)"
  [ "${header:8:8}" = "00000000" ] || fail "$1 stores a timestamp (use gzip -n)"
  ok "$(basename "$1") compressed with gzip -n"
}

# The files every package ships, relative to /, one a line, sorted. Driver examples and
# READMEs come from drivers/*/example.yaml and drivers/*/README.md in the source tree.
expected_payload() {
  local src=$1
  {
    echo etc/dockgate/dockgate.yaml
    echo usr/bin/dockgate
    echo usr/lib/modules-load.d/dockgate.conf
    echo usr/lib/systemd/system/dockgate.service
    echo usr/share/doc/dockgate/README.md
    echo usr/share/doc/dockgate/copyright
    echo usr/share/doc/dockgate/examples/demo.yaml
    echo usr/share/doc/dockgate/examples/dockgate.yaml
    echo usr/share/doc/dockgate/central.md
    echo usr/share/doc/dockgate/examples/prometheus/dockgate-alerts.yml
    echo usr/share/doc/dockgate/examples/prometheus/scrape-config.yml
    echo usr/share/doc/dockgate/exceptions.md
    echo usr/share/doc/dockgate/operations.md
    echo usr/share/doc/dockgate/plans.md
    echo usr/share/man/man1/dockgate.1.gz
    local example
    for example in "$src"/drivers/*/example.yaml; do
      echo "usr/share/doc/dockgate/examples/drivers/$(basename "$(dirname "$example")").yaml"
      if [ -f "$(dirname "$example")/README.md" ]; then
        echo "usr/share/doc/dockgate/drivers/$(basename "$(dirname "$example")")/README.md"
      fi
    done
  } | LC_ALL=C sort
}
