#pragma once
// A fresh folder for one test, removed with everything in it at the end.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace vitra::test {

struct TempDir {
  std::filesystem::path dir;
  explicit TempDir(const std::string& prefix = "vitra_test_") {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() /
          (prefix + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (dir / name).string(); }
  // Writes `text` to a file in the folder and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }
};

}  // namespace vitra::test
