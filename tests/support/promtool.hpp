// SPDX-License-Identifier: Apache-2.0
// Checks Prometheus exposition text with the real promtool (Debian package prometheus).
#pragma once

#include <string>

namespace dockgate::test {

struct PromtoolResult {
  int exit_code = -1;  ///< 0: parsed and no lint problem
  std::string output;  ///< what promtool printed (parse errors, lint problems)
};

/// Runs `promtool check metrics` with `text` on its stdin (it parses the text format and
/// applies Prometheus' naming lint). `scratch_dir` holds the temporary input file. Throws
/// std::runtime_error when promtool cannot be run (scripts/install-deps installs it).
PromtoolResult promtool_check_metrics(const std::string& text, const std::string& scratch_dir);

}  // namespace dockgate::test
