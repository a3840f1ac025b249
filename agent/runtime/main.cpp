// SPDX-License-Identifier: Apache-2.0
// dockgate: edge agent turning dock scans into GS1 EPCIS 2.0 milestones over MQTT.
#include <CLI/CLI.hpp>

#include <iostream>

#include "agent/runtime/cli_commands.hpp"
#include "agent/runtime/cli_decode.hpp"
#include "agent/runtime/cli_epc.hpp"
#include "agent/runtime/logging.hpp"
#include "agent/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "dockgate: reads dock scanners and sensors, stores every read as a GS1 EPCIS 2.0 "
      "event in a durable SQLite buffer and publishes it over MQTT."};
  app.set_version_flag("--version", dockgate::kVersion);
  app.require_subcommand(1);

  std::string log_level;
  app.add_option("--log-level", log_level,
                 "trace|debug|info|warn|error|critical|off (overrides log.level)");

  std::string run_config;
  auto* run = app.add_subcommand("run", "Run the agent in the foreground (SIGTERM/SIGINT stop it)");
  run->add_option("-c,--config", run_config, "Config file (YAML)")->required();

  std::string check_path;
  auto* check =
      app.add_subcommand("check-config", "Validate a config file: exit 0 valid, 1 invalid");
  check->add_option("file", check_path, "Config file (YAML)")->required();

  std::string status_config;
  bool status_json = false;
  auto* status = app.add_subcommand("status", "Show the buffer backlog (works while running)");
  status->add_option("-c,--config", status_config, "Config file (YAML)")->required();
  status->add_flag("--json", status_json, "Print JSON");

  auto* reference =
      app.add_subcommand("config-reference", "List every config key with default and help");

  std::vector<std::string> decode_files;
  std::vector<std::string> decode_formats;
  auto* decode = app.add_subcommand(
      "decode", "Print every barcode found in image files (format, symbology id, corners, text)");
  decode->add_option("files", decode_files, "Image files (PNG, JPEG, BMP, GIF, PNM)")->required();
  decode
      ->add_option("--formats", decode_formats,
                   "Barcode formats to look for, e.g. Code128,DataMatrix (default: as the "
                   "camera driver)")
      ->delimiter(',');

  std::vector<std::string> epc_hexes;
  auto* epc = app.add_subcommand(
      "epc", "Decode RFID tag EPCs (hex) to tag URI, pure identity URI and GS1 Digital Link");
  epc->add_option("hex", epc_hexes, "EPCs in hex, e.g. 3034F4E4E40AD9C000002694")->required();

  CLI11_PARSE(app, argc, argv);

  dockgate::runtime::setup_logging(log_level.empty() ? "info" : log_level);
  if (!log_level.empty() && !dockgate::runtime::set_log_level(log_level)) {
    std::cerr << "unknown --log-level '" << log_level << "'\n";
    return 2;
  }
  if (*run) return dockgate::runtime::cmd_run(run_config, log_level);
  if (*check) return dockgate::runtime::cmd_check_config(check_path, std::cout, std::cerr);
  if (*status)
    return dockgate::runtime::cmd_status(status_config, status_json, std::cout, std::cerr);
  if (*reference) return dockgate::runtime::cmd_config_reference(std::cout);
  if (*decode)
    return dockgate::runtime::cmd_decode(decode_files, decode_formats, std::cout, std::cerr);
  if (*epc) return dockgate::runtime::cmd_epc(epc_hexes, std::cout);
  return 2;
}
