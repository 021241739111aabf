#pragma once
// Progress reporting for long work (placing atoms, MD steps).
//
// On a terminal: one line redrawn in place (at most every `redraw_s`), e.g.
//   quench [##########----------]  50%  5000/10000 steps  812 steps/s  70.2 ns/day  0:06 ETA 0:06
// Elsewhere (a log file, a pipe): a plain line each time another `percent_step`
// percent is done or `interval_s` seconds have passed, whichever comes first.
// Nothing at all is written for work that finishes within `delay_s`.
//
// The clock and the stream are injected, so tests drive it with a fake clock
// and a string stream.
#include <functional>
#include <iosfwd>
#include <string>

namespace vitra {

struct ProgressOptions {
  std::string label;           // "placing atoms", "quench"
  std::string unit = "items";  // what is counted: "atoms", "steps"
  // An optional second rate, `rate * secondary_scale` in `secondary_unit`
  // (MD: steps/s * dt[ps] * 86400 / 1000 = ns/day). Off when scale is 0.
  double secondary_scale = 0;
  std::string secondary_unit;
  double redraw_s = 0.1;   // terminal: minimum time between redraws
  double interval_s = 30;  // plain: at most this long between lines
  int percent_step = 10;   // plain: a line every this many percent
  double delay_s = 0.5;    // nothing is shown before this much time has passed
  int bar_width = 24;
};

class Progress {
 public:
  using Clock = std::function<double()>;  // seconds, monotonic

  // `terminal` chooses the redrawn bar over plain lines.
  Progress(std::ostream& out, long total, ProgressOptions options, bool terminal, Clock clock = {});
  // Reports on std::cerr, as a bar when stderr is a terminal.
  static Progress to_stderr(long total, ProgressOptions options);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` items of `total` are finished (absolute; values may only grow).
  void update(long done);
  void add(long n = 1) { update(done_ + n); }
  // Final line (only if anything was shown); called by the destructor too.
  void finish();

  long done() const { return done_; }
  long total() const { return total_; }
  // The line as it would be shown now (no bar in plain mode).
  std::string line() const;

  static bool stderr_is_terminal();
  static double steady_seconds();

 private:
  void emit(bool final_line);

  std::ostream& out_;
  long total_;
  ProgressOptions opt_;
  bool terminal_;
  Clock clock_;
  double start_ = 0;
  double now_ = 0;
  long done_ = 0;
  double last_emit_ = -1;  // time of the last line or redraw; < 0 before the first
  int last_percent_bucket_ = 0;
  bool shown_ = false;
  bool finished_ = false;
};

// "1:02:03" / "4:05" / "0:07"; "--:--" for negative or non-finite seconds.
std::string format_duration(double seconds);
// Three significant digits with k/M/G suffixes: 950, 9.50k, 1.23M.
std::string format_rate(double per_second);

}  // namespace vitra
