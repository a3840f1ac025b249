// SPDX-License-Identifier: Apache-2.0
#include "bench/modbus_node_red.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>

#include "tests/support/net.hpp"

namespace dockgate::bench {
namespace {

using Json = nlohmann::json;

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string two_digits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

std::string package_version(const std::string& package_json) {
  const Json j = Json::parse(test::read_file(package_json), nullptr, false);
  if (j.is_discarded() || !j.contains("version")) return "?";
  return j["version"].get<std::string>();
}

}  // namespace

std::string node_red_flow(const std::string& template_text, const NodeRedFlow& f) {
  if (f.doors < 1 || f.doors > 247) {
    throw std::invalid_argument("doors: " + std::to_string(f.doors) + " outside 1..247");
  }
  std::string text = template_text;
  replace_all(text, "@MODBUS_PORT@", std::to_string(f.modbus_port));
  replace_all(text, "@BROKER_PORT@", std::to_string(f.broker_port));
  replace_all(text, "@RATE_MS@", std::to_string(f.poll_ms));
  const Json tpl = Json::parse(text, nullptr, false);
  if (tpl.is_discarded() || !tpl.contains("shared") || !tpl["shared"].is_array() ||
      !tpl.contains("door") || !tpl["door"].is_array()) {
    throw std::runtime_error("flow template: expected JSON {\"shared\": [...], \"door\": [...]}");
  }
  Json flow = tpl["shared"];
  const std::string door_text = tpl["door"].dump();
  for (int d = 1; d <= f.doors; ++d) {
    std::string t = door_text;
    replace_all(t, "@DOOR@", two_digits(d));
    replace_all(t, "@UNIT@", std::to_string(d));
    replace_all(t, "\"@Y@\"", std::to_string(100 + 40 * d));  // editor position, a number
    for (auto& node : Json::parse(t)) flow.push_back(std::move(node));
  }
  return flow.dump(1);
}

NodeRedProcess::NodeRedProcess(const test::TempDir& dir, const std::string& install_dir,
                               const std::string& flow_json)
    : dir_(dir.path()), install_dir_(install_dir), log_path_(dir.file("node-red.log")) {
  if (!std::filesystem::exists(install_dir_ + "/node_modules/node-red/red.js")) {
    throw std::runtime_error("Node-RED not installed in " + install_dir_ +
                             ": run bench/node-red/setup first");
  }
  test::write_file(dir.file("flows.json"), flow_json);
  // The editor stays on (as deployed), on a free loopback port. No telemetry or update
  // check: they would reach the network during the measurement.
  test::write_file(dir.file("settings.js"),
                   "module.exports = {\n"
                   "  uiHost: '127.0.0.1',\n"
                   "  uiPort: " +
                       std::to_string(test::free_tcp_port()) +
                       ",\n"
                       "  flowFile: 'flows.json',\n"
                       "  credentialSecret: false,\n"
                       "  diagnostics: {enabled: false},\n"
                       "  telemetry: {enabled: false, updateNotification: false},\n"
                       "  logging: {console: {level: 'info', metrics: false, audit: false}},\n"
                       "  editorTheme: {projects: {enabled: false}}\n"
                       "};\n");
}

NodeRedProcess::~NodeRedProcess() {
  if (process_) process_->kill();
}

void NodeRedProcess::start() {
  process_ = std::make_unique<test::Subprocess>(
      test::SpawnOptions{{"node", install_dir_ + "/node_modules/node-red/red.js", "--userDir", dir_,
                          "--settings", dir_ + "/settings.js"},
                         {{"NODE_ENV", "production"}},
                         dir_,
                         log_path_,
                         log_path_});
}

std::string NodeRedProcess::stop() {
  if (!process_) return "not started";
  return process_->terminate(std::chrono::seconds(10)).describe();
}

pid_t NodeRedProcess::pid() const {
  return process_ ? process_->pid() : -1;
}

bool NodeRedProcess::running() {
  return process_ && process_->running();
}

std::string NodeRedProcess::log() const {
  return test::read_file(log_path_);
}

std::string NodeRedProcess::versions() const {
  return "node-red " + package_version(install_dir_ + "/node_modules/node-red/package.json") +
         ", node-red-contrib-modbus " +
         package_version(install_dir_ + "/node_modules/node-red-contrib-modbus/package.json");
}

}  // namespace dockgate::bench
