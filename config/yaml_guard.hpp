// SPDX-License-Identifier: Apache-2.0
// A guard around yaml-cpp 0.7 (Debian 12), which never returns from YAML::Load/LoadAll on
// some malformed input: a document whose first token is a flow entry (",", " ,", "- a\n,")
// makes it allocate without end (found by the config_loader fuzzer). Config text is
// therefore parsed once in a child process with a deadline before the agent parses it.
#pragma once

#include <chrono>
#include <string>

namespace dockgate::config::detail {

/// True when yaml-cpp's LoadAll finishes on `text` (with a result or an exception) within
/// `deadline` in a forked child (memory capped at 1 GiB outside sanitizer builds); false
/// when the child had to be killed. Also true when no child can be forked (the caller
/// then parses as before). Blocks the calling thread for at most `deadline` + ~50 ms.
bool yaml_parse_terminates(const std::string& text,
                           std::chrono::milliseconds deadline = std::chrono::seconds(3));

}  // namespace dockgate::config::detail
