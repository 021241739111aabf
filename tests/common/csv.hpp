#pragma once
// The CSV files a run writes (thermo.csv, model_devi.csv), read back by tests:
// a header row and rows of fields, addressed by column name.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vitra::test {

struct Csv {
  std::string header_line;  // as written
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  double num(std::size_t row, const std::string& name) const { return std::stod(rows[row][col(name)]); }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

inline Csv read_csv(const std::string& path) {
  std::ifstream in(path);
  Csv c;
  std::string line;
  std::getline(in, line);
  c.header_line = line;
  c.header = split_csv_line(line);
  while (std::getline(in, line)) c.rows.push_back(split_csv_line(line));
  return c;
}

}  // namespace vitra::test
