// SPDX-License-Identifier: Apache-2.0
// `dockgate decode FILE...` through the real binary: every code with format, symbology id,
// corners and text; unreadable files on stderr with exit code 1.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/drivers/camera_images.hpp"
#include "tests/support/subprocess.hpp"
#include "tests/support/temp_dir.hpp"

namespace dockgate::drivers {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun run_dockgate(const dockgate::test::TempDir& dir, std::vector<std::string> args) {
  dockgate::test::SpawnOptions options;
  options.args = {std::string(DOCKGATE_BINARY_DIR) + "/dockgate"};
  options.args.insert(options.args.end(), args.begin(), args.end());
  options.stdout_path = dir.file("out.txt");
  options.stderr_path = dir.file("err.txt");
  std::remove(options.stdout_path.c_str());
  std::remove(options.stderr_path.c_str());
  dockgate::test::Subprocess process(options);
  CliRun run;
  auto status = process.wait_for(std::chrono::seconds(20));
  if (!status) return run;
  run.code = status->exited ? status->code : -1;
  run.out = dockgate::test::read_file(options.stdout_path);
  run.err = dockgate::test::read_file(options.stderr_path);
  return run;
}

TEST(DecodeCommand, PrintsEveryCodeOfEachFile) {
  dockgate::test::TempDir dir("camera-cli");
  const auto& labels = test::dock_labels();
  test::make_label(dir.file("dm.png"), labels[1].zint_args);
  test::make_label(dir.file("ean.png"), labels[3].zint_args);
  test::make_scene(dir.file("scene.png"), {{dir.file("dm.png"), 100, 100, 10, 100, 20},
                                           {dir.file("ean.png"), 600, 300, -5, 100, 20}});
  test::make_scene(dir.file("blank.png"), {}, 320, 240);
  CliRun run = run_dockgate(dir, {"decode", dir.file("scene.png"), dir.file("blank.png")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find(dir.file("scene.png") + ": 1280x720, 2 codes"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  DataMatrix ]d2 ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(" 010950600013435210ABC123<GS>17201225\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  EAN-13 ]E0 ("), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(") 5901234123457\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(dir.file("blank.png") + ": 320x240, 0 codes"), std::string::npos);
}

TEST(DecodeCommand, UnreadableFileExitsOneAndNamesIt) {
  dockgate::test::TempDir dir("camera-cli");
  dockgate::test::write_file(dir.file("notes.txt"), "hello");
  test::make_label(dir.file("qr.png"), test::dock_labels()[2].zint_args);
  CliRun run = run_dockgate(dir, {"decode", dir.file("notes.txt"), dir.file("qr.png")});
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("notes.txt: not a readable image"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("QRCode ]Q1"), std::string::npos) << run.out;  // later files still run
}

TEST(DecodeCommand, FormatsOptionAndUnknownFormat) {
  dockgate::test::TempDir dir("camera-cli");
  test::make_label(dir.file("qr.png"), test::dock_labels()[2].zint_args);
  CliRun only_code128 = run_dockgate(dir, {"decode", "--formats", "Code128", dir.file("qr.png")});
  EXPECT_EQ(only_code128.code, 0);
  EXPECT_NE(only_code128.out.find("0 codes"), std::string::npos) << only_code128.out;
  CliRun bad = run_dockgate(dir, {"decode", "--formats", "Nope", dir.file("qr.png")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("unknown barcode format 'Nope'"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace dockgate::drivers
