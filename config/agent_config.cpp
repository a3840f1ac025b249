// SPDX-License-Identifier: Apache-2.0
#include "config/agent_config.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "config/sections.hpp"
#include "config/yaml_document.hpp"

namespace dockgate::config {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// The order of these calls is the order of `config-reference` and of the example file.
AgentConfig read_all(const YAML::Node& document, ReadContext& ctx, const fs::path& base_dir) {
  AgentConfig c;
  MapReader root(document, "", ctx);
  detail::read_site(root, c.site);
  detail::read_gateway(root, c.gateway);
  detail::read_locations(root, c.locations);
  detail::read_drivers(root, c.locations, c.drivers);
  detail::read_patterns(root, c.patterns);
  detail::read_dock_sessions(root, c.patterns, c.dock_sessions);
  detail::read_plans(root, base_dir, c.plans);
  detail::read_buffer(root, base_dir, c.buffer);
  detail::read_uplink(root, base_dir, c.mqtt);
  const bool read = root.duration("dedup_window", c.dedup_window,
                                  "The same code read at the same location within this window "
                                  "counts once (0-1h; 0 disables). Scanners often send a "
                                  "label twice.");
  detail::check_range(root, "dedup_window", read, c.dedup_window, milliseconds(0),
                      milliseconds(3'600'000));
  const bool label_read = root.duration(
      "location_label_timeout", c.location_label_timeout,
      "A scanner that reads a dock door's location label (GS1 AI 414 with 254, e.g. "
      "]C1414401234500001625400DOOR03) counts its following reads at that door until it "
      "reads another door label, or for this long after the label (0-24h; 0 = no time "
      "limit). For handhelds that move between doors.");
  detail::check_range(root, "location_label_timeout", label_read, c.location_label_timeout,
                      milliseconds(0), milliseconds(86'400'000));
  const bool grace_read = root.duration(
      "device_down_grace", c.device_down_grace,
      "A device must stay down this long before a device_down exception is published "
      "(0-1h); shorter outages (a cable wiggle, a scanner that connects per scan) are only "
      "logged. 0 publishes every outage at once.");
  detail::check_range(root, "device_down_grace", grace_read, c.device_down_grace, milliseconds(0),
                      milliseconds(3'600'000));
  detail::read_exception_limit(root, c.exception_limit);
  detail::read_log(root, c.log);
  detail::read_metrics(root, c.metrics);
  root.finish();
  if (document.IsMap()) {
    for (const auto& kv : document) {
      if (kv.first.IsScalar()) c.section_text[kv.first.Scalar()] = YAML::Dump(kv.second);
    }
  }
  return c;
}

// The directory relative paths are resolved against: the config file's own directory.
// A bare file name ("dockgate.yaml") lives in the working directory.
fs::path base_dir_of(const std::string& file_name) {
  const fs::path parent = fs::path(file_name).parent_path();
  std::error_code ec;
  fs::path dir = parent.empty() ? fs::current_path(ec) : fs::absolute(parent, ec);
  if (ec) dir = parent.empty() ? fs::path(".") : parent;  // cwd gone: stay relative
  return dir.lexically_normal();
}

// File-level problems first, then in file order: the order a person fixes them in.
void append_sorted(const ConfigErrors& found, ConfigErrors& errors) {
  std::vector<ConfigError> list = found.list();
  std::stable_sort(list.begin(), list.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  for (auto& e : list) errors.add(std::move(e));
}

std::optional<AgentConfig> parse_text(const std::string& text, const std::string& file_name,
                                      const fs::path& base_dir, ConfigErrors& errors) {
  ConfigErrors found;
  std::optional<AgentConfig> config;
  if (auto document = detail::parse_yaml_document(text, file_name, found)) {
    ReadContext ctx{file_name, found, nullptr};
    config = read_all(*document, ctx, base_dir);
  }
  append_sorted(found, errors);
  if (!found.empty()) return std::nullopt;
  return config;
}

}  // namespace

const LocationConfig* AgentConfig::find_location(const std::string& id) const {
  auto it = std::find_if(locations.begin(), locations.end(),
                         [&](const LocationConfig& l) { return l.id == id; });
  return it == locations.end() ? nullptr : &*it;
}

std::optional<AgentConfig> load_agent_config(const std::string& path, ConfigErrors& errors) {
  ConfigErrors found;
  auto text = detail::read_config_file(path, found);
  if (!text) {
    append_sorted(found, errors);
    return std::nullopt;
  }
  auto config = parse_text(*text, path, base_dir_of(path), errors);
  if (config) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    config->source_file = ec ? path : absolute.lexically_normal().string();
  }
  return config;
}

std::optional<AgentConfig> parse_agent_config(const std::string& yaml_text,
                                              const std::string& file_name, ConfigErrors& errors) {
  auto config = parse_text(yaml_text, file_name, base_dir_of(file_name), errors);
  if (config) config->source_file = file_name;
  return config;
}

std::vector<KeyDoc> agent_config_reference() {
  // A document with one element in each list, and one driver of every type, so that the
  // element keys and every driver type's own keys are declared too.
  YAML::Node document(YAML::NodeType::Map);
  document["locations"].push_back(YAML::Node(YAML::NodeType::Map));
  document["patterns"].push_back(YAML::Node(YAML::NodeType::Map));
  for (const auto& type : drivers::driver_types()) {
    YAML::Node driver(YAML::NodeType::Map);
    driver["type"] = std::string(type.name);
    document["drivers"].push_back(driver);
  }
  ConfigErrors ignored;  // the document is incomplete on purpose
  std::vector<KeyDoc> docs;
  ReadContext ctx{"<reference>", ignored, &docs};
  read_all(document, ctx, fs::path("/"));

  // The common drivers[] keys are declared once per driver element: keep the first.
  std::set<std::pair<std::string, std::string>> seen;
  std::vector<KeyDoc> unique;
  for (auto& d : docs) {
    if (seen.emplace(d.path, d.applies_to).second) unique.push_back(std::move(d));
  }
  return unique;
}

}  // namespace dockgate::config
