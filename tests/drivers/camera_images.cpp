// SPDX-License-Identifier: Apache-2.0
#include "tests/drivers/camera_images.hpp"

#include <stdexcept>

#include "tests/support/subprocess.hpp"

namespace dockgate::drivers::test {

void run_tool(const std::vector<std::string>& args) {
  dockgate::test::SpawnOptions options;
  options.args = args;
  dockgate::test::Subprocess process(options);
  auto status = process.wait_for(std::chrono::seconds(30));
  std::string command;
  for (const auto& a : args) command += a + " ";
  if (!status) {
    process.kill();
    throw std::runtime_error("timed out: " + command);
  }
  if (!status->success()) throw std::runtime_error(status->describe() + ": " + command);
}

void make_label(const std::string& path, const std::vector<std::string>& zint_args) {
  std::vector<std::string> args{"zint", "-o", path};
  args.insert(args.end(), zint_args.begin(), zint_args.end());
  run_tool(args);
}

void make_scene(const std::string& path, const std::vector<Placement>& labels, int width,
                int height, double blur, double noise) {
  // A fixed seed keeps the noise, and so the test, the same on every run.
  std::vector<std::string> args{
      "convert",  "-seed", "7", "-size", std::to_string(width) + "x" + std::to_string(height),
      "xc:gray55"};
  for (const auto& l : labels) {
    args.insert(args.end(),
                {"(", l.label_path, "-bordercolor", "white", "-border", std::to_string(l.border),
                 "-resize", std::to_string(l.scale_percent) + "%", "-background", "white",
                 "-rotate", std::to_string(l.degrees), ")", "-geometry",
                 "+" + std::to_string(l.x) + "+" + std::to_string(l.y), "-composite"});
  }
  args.insert(args.end(), {"-blur", "0x" + std::to_string(blur), "-attenuate",
                           std::to_string(noise), "+noise", "Gaussian", path});
  run_tool(args);
}

const std::vector<LabelSpec>& dock_labels() {
  static const std::vector<LabelSpec> labels{
      {"sscc",
       {"-b", "16", "--gs1", "-d", "[00]340123450000000420"},
       "Code128",
       "]C1",
       "00340123450000000420"},
      {"gs1dm",
       {"-b", "71", "--gs1", "--quietzones", "--scale=3", "-d",
        "[01]09506000134352[10]ABC123[17]201225"},
       "DataMatrix",
       "]d2",
       "010950600013435210ABC123\x1D"
       "17201225"},
      {"qr",
       {"-b", "58", "--quietzones", "--scale=2", "-d",
        "https://id.gs1.org/01/09506000134352/10/ABC123"},
       "QRCode",
       "]Q1",
       "https://id.gs1.org/01/09506000134352/10/ABC123"},
      {"ean13", {"-b", "13", "-d", "590123412345"}, "EAN-13", "]E0", "5901234123457"},
      {"itf14", {"-b", "89", "-d", "1540014128876"}, "ITF", "]I1", "15400141288763"},
  };
  return labels;
}

}  // namespace dockgate::drivers::test
