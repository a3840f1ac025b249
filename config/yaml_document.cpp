// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_document.hpp"

#include "config/yaml_guard.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <system_error>
#include <utility>
#include <vector>

namespace dockgate::config::detail {
namespace {

// Aliases share nodes, so a hostile file ("billion laughs") can make the expanded tree
// huge while the text stays small; the duplicate-key walk stops after this many nodes.
constexpr std::size_t kMaxWalkedNodes = 200'000;

ConfigError make_error(const std::string& file, const YAML::Mark& mark, std::string key_path,
                       std::string message) {
  ConfigError e;
  e.file = file;
  if (mark.line >= 0) {
    e.line = mark.line + 1;
    e.column = mark.column + 1;
  }
  e.key_path = std::move(key_path);
  e.message = std::move(message);
  return e;
}

// The cap and why, so the reader knows it is a limit and not a parse failure.
std::string too_large(const char* what) {
  return std::string(what) + " is larger than the limit of " +
         std::to_string(kMaxConfigBytes / (std::size_t{1024} * 1024)) +
         " MiB for a config file (a real config is a few KB: is this the right file?)";
}

void check_duplicate_keys(const YAML::Node& root, const std::string& file, ConfigErrors& errors) {
  std::vector<std::pair<YAML::Node, std::string>> stack{{root, ""}};
  std::size_t walked = 0;
  while (!stack.empty() && walked++ < kMaxWalkedNodes) {
    auto [node, path] = std::move(stack.back());
    stack.pop_back();
    if (node.IsMap()) {
      std::map<std::string, int> first_line;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) continue;  // MapReader::finish reports non-string keys
        const std::string& key = kv.first.Scalar();
        std::string key_path = path;
        if (!key_path.empty()) key_path += '.';
        key_path += key;
        auto [it, added] = first_line.emplace(key, kv.first.Mark().line + 1);
        if (!added) {
          errors.add(
              make_error(file, kv.first.Mark(), key_path,
                         "duplicate key (first at line " + std::to_string(it->second) + ")"));
        }
        stack.emplace_back(kv.second, key_path);
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        stack.emplace_back(node[i], path + "[" + std::to_string(i) + "]");
      }
    }
  }
}

}  // namespace

std::optional<std::string> read_config_file(const std::string& path, ConfigErrors& errors) {
  auto fail = [&](const std::string& message) {
    errors.add(make_error(path, YAML::Mark::null_mark(), "", message));
    return std::nullopt;
  };
  // O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer (a hung
  // check-config); fstat then refuses everything but a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    return fail("cannot open config file: " + std::generic_category().message(err));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("cannot read config file: " + std::generic_category().message(err));
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    return fail("is a directory, expected a YAML config file");
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    const char* what = S_ISFIFO(info.st_mode)   ? "a named pipe"
                       : S_ISCHR(info.st_mode)  ? "a character device"
                       : S_ISBLK(info.st_mode)  ? "a block device"
                       : S_ISSOCK(info.st_mode) ? "a socket"
                                                : "a special file";
    return fail(std::string("not a regular file (") + what + "), expected a YAML config file");
  }
  if (static_cast<std::uint64_t>(info.st_size) > kMaxConfigBytes) {
    ::close(fd);
    return fail(too_large("config file"));
  }
  std::string text;
  char chunk[16 * 1024];
  int err = 0;
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    if (text.size() > kMaxConfigBytes) break;
  }
  ::close(fd);
  if (err == EISDIR) return fail("is a directory, expected a YAML config file");
  if (err != 0) return fail("cannot read config file: " + std::generic_category().message(err));
  if (text.size() > kMaxConfigBytes) return fail(too_large("config file"));
  return text;
}

std::optional<YAML::Node> parse_yaml_document(const std::string& text, const std::string& file,
                                              ConfigErrors& errors) {
  if (text.size() > kMaxConfigBytes) {
    errors.add(make_error(file, YAML::Mark::null_mark(), "", too_large("config text")));
    return std::nullopt;
  }
  if (!yaml_parse_terminates(text)) {
    errors.add(make_error(file, YAML::Mark::null_mark(), "",
                          "YAML syntax error: the YAML parser did not finish on this text "
                          "(yaml-cpp 0.7 loops on some malformed input, e.g. a line that "
                          "starts with ','); check the file for a stray comma or bracket"));
    return std::nullopt;
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    errors.add(make_error(file, e.mark, "", "YAML syntax error: " + e.msg));
    return std::nullopt;
  } catch (const std::exception& e) {
    errors.add(make_error(file, YAML::Mark::null_mark(), "",
                          std::string("cannot parse YAML: ") + e.what()));
    return std::nullopt;
  }
  if (documents.empty()) return YAML::Node();
  if (documents.size() > 1) {
    errors.add(make_error(file, documents[1].Mark(), "",
                          "expected one YAML document, found " + std::to_string(documents.size()) +
                              " (remove the '---' lines)"));
  }
  check_duplicate_keys(documents.front(), file, errors);
  return documents.front();
}

}  // namespace dockgate::config::detail
