// SPDX-License-Identifier: Apache-2.0
// plans.dir: new, changed and removed plan files; dot-files, other extensions and oversized
// files; a missing directory.
#include "agent/runtime/plan_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dockgate::runtime {
namespace {

namespace fs = std::filesystem;

class PlanDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "dockgate-plandir-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(PlanDirTest, NewChangedAndRemovedFilesAreReportedOnce) {
  PlanDir d(dir_);
  EXPECT_TRUE(d.scan().empty());
  write("P1.json", "{\"a\":1}");
  write(".P2.json.tmp", "half written");
  write("notes.txt", "not a plan");
  auto found = d.scan();
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].plan_id, "P1");
  EXPECT_EQ(found[0].name, "P1.json");
  EXPECT_EQ(found[0].text, "{\"a\":1}");
  EXPECT_FALSE(found[0].removed);
  EXPECT_TRUE(d.scan().empty());   // unchanged
  write("P1.json", "{\"a\":22}");  // a different size: changed
  found = d.scan();
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].text, "{\"a\":22}");
  fs::remove(dir_ / "P1.json");
  found = d.scan();
  ASSERT_EQ(found.size(), 1U);
  EXPECT_TRUE(found[0].removed);
  EXPECT_EQ(found[0].plan_id, "P1");
  EXPECT_TRUE(d.scan().empty());
}

TEST_F(PlanDirTest, OversizedAndEmptyFilesAreErrorsNotPlans) {
  PlanDir d(dir_);
  write("BIG.json", std::string(PlanDir::kMaxFileBytes + 1, ' '));
  write("EMPTY.json", "");
  auto found = d.scan();
  ASSERT_EQ(found.size(), 2U);
  for (const auto& f : found) {
    EXPECT_FALSE(f.error.empty()) << f.name;
    EXPECT_TRUE(f.text.empty()) << f.name;
  }
}

TEST_F(PlanDirTest, MissingDirectoryIsAProblemAndForgetsNothing) {
  PlanDir d(dir_);
  write("P1.json", "{}");
  ASSERT_EQ(d.scan().size(), 1U);
  const fs::path moved = dir_.string() + "-away";
  fs::rename(dir_, moved);
  EXPECT_TRUE(d.scan().empty());  // not "P1 removed": the directory is gone, not the plan
  EXPECT_NE(d.problem().find("cannot list plans.dir"), std::string::npos);
  fs::rename(moved, dir_);
  EXPECT_TRUE(d.scan().empty());
  EXPECT_EQ(d.problem(), "");
}

}  // namespace
}  // namespace dockgate::runtime
