// Progress reporter, driven by a fake clock and a string stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "host/progress.hpp"

using namespace vitra;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST(Progress, Formatting) {
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(7.4), "0:07");
  EXPECT_EQ(format_duration(65), "1:05");
  EXPECT_EQ(format_duration(3725), "1:02:05");
  EXPECT_EQ(format_duration(-1), "--:--");
  EXPECT_EQ(format_rate(950), "950");
  EXPECT_EQ(format_rate(9.5), "9.50");
  EXPECT_EQ(format_rate(42.42), "42.4");
  EXPECT_EQ(format_rate(12345), "12.3k");
  EXPECT_EQ(format_rate(1.5e6), "1.50M");
}

TEST(Progress, PlainLinesEveryTenPercent) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;
  o.label = "placing atoms";
  o.unit = "atoms";
  o.delay_s = 0;
  {
    Progress p(out, 1000, o, false, [&] { return t; });
    for (long i = 1; i <= 1000; ++i) {
      t += 0.01;
      p.update(i);
    }
    p.finish();
  }
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 10u) << out.str();  // 10 %, ..., 90 %, then the final line
  EXPECT_TRUE(contains(lines[0], "placing atoms")) << lines[0];
  EXPECT_TRUE(contains(lines[0], " 10%")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "100/1000 atoms")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "100 atoms/s")) << lines[0];
  EXPECT_TRUE(contains(lines[0], "ETA 0:09")) << lines[0];
  EXPECT_TRUE(contains(lines[4], " 50%")) << lines[4];
  EXPECT_TRUE(contains(lines.back(), "100%")) << lines.back();
  EXPECT_TRUE(contains(lines.back(), "0:10")) << lines.back();
  EXPECT_FALSE(contains(lines.back(), "ETA")) << lines.back();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);  // no terminal control in logs
}

TEST(Progress, PlainLinesAtTheIntervalWhenSlow) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;
  o.unit = "steps";
  o.delay_s = 0;
  o.interval_s = 30;
  Progress p(out, 1000000, o, false, [&] { return t; });
  for (long i = 1; i <= 100; ++i) {  // 1 % done over 1000 s
    t += 10;
    p.update(i * 100);
  }
  const auto lines = lines_of(out.str());
  EXPECT_GE(lines.size(), 30u);
  EXPECT_LE(lines.size(), 34u);
}

TEST(Progress, QuietForShortWork) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;  // delay 0.5 s
  {
    Progress p(out, 100, o, true, [&] { return t; });
    for (long i = 1; i <= 100; ++i) {
      t += 0.001;
      p.update(i);
    }
  }
  EXPECT_EQ(out.str(), "");
}

TEST(Progress, TerminalRedrawsAtMostTenTimesASecond) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;
  o.label = "quench";
  o.unit = "steps";
  o.delay_s = 0;
  // ns/day from steps/s with a 1 fs step: steps/s * 0.001 ps * 86400 / 1000.
  o.secondary_scale = 0.001 * 86400 / 1000;
  o.secondary_unit = "ns/day";
  {
    Progress p(out, 10000, o, true, [&] { return t; });
    for (long i = 1; i <= 10000; ++i) {
      t += 0.0002;  // 2 s in all, 5000 steps/s
      p.update(i);
      if (i == 5000) {
        const std::string l = p.line();
        EXPECT_TRUE(contains(l, "[############------------]")) << l;
        EXPECT_TRUE(contains(l, " 50%")) << l;
        EXPECT_TRUE(contains(l, "5.00k steps/s")) << l;
        EXPECT_TRUE(contains(l, "432 ns/day")) << l;
        EXPECT_TRUE(contains(l, "ETA 0:01")) << l;
      }
    }
  }
  const std::string s = out.str();
  const long redraws = std::count(s.begin(), s.end(), '\r');
  EXPECT_GE(redraws, 15);
  EXPECT_LE(redraws, 22);                              // 2 s at <= 10/s, plus the final one
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);  // one line, ended once
  EXPECT_EQ(s.back(), '\n');
  EXPECT_TRUE(contains(s.substr(s.rfind('\r')), "100%"));
}

TEST(Progress, StoppedWorkSaysSo) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;
  o.delay_s = 0;
  {
    Progress p(out, 100, o, false, [&] { return t; });
    t = 1;
    p.update(30);
  }  // destroyed early, as during an exception
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u) << out.str();
  EXPECT_TRUE(contains(lines.back(), "30%")) << lines.back();
  EXPECT_TRUE(contains(lines.back(), "(stopped)")) << lines.back();
}

TEST(Progress, ValuesOnlyGrowAndStayInRange) {
  double t = 0;
  std::ostringstream out;
  ProgressOptions o;
  Progress p(out, 10, o, false, [&] { return t; });
  p.update(5);
  p.update(3);
  EXPECT_EQ(p.done(), 5);
  p.add(100);
  EXPECT_EQ(p.done(), 10);
  Progress empty(out, 0, o, false, [&] { return t; });
  EXPECT_TRUE(contains(empty.line(), "100%"));
}
