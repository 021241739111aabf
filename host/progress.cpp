#include "host/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace vitra {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const long s = static_cast<long>(std::llround(seconds));
  if (s >= 3600) return fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60);
  return fmt::format("{}:{:02d}", s / 60, s % 60);
}

std::string format_rate(double v) {
  if (!std::isfinite(v) || v < 0) return "--";
  const char* suffix[] = {"", "k", "M", "G", "T"};
  int k = 0;
  while (v >= 999.5 && k < 4) {
    v /= 1000;
    ++k;
  }
  const int decimals = v >= 99.95 ? 0 : (v >= 9.995 ? 1 : 2);
  return fmt::format("{:.{}f}{}", v, decimals, suffix[k]);
}

bool Progress::stderr_is_terminal() { return isatty(fileno(stderr)) != 0; }

double Progress::steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(std::ostream& out, long total, ProgressOptions options, bool terminal,
                   Clock clock)
    : out_(out),
      total_(std::max(0L, total)),
      opt_(std::move(options)),
      terminal_(terminal),
      clock_(clock ? std::move(clock) : Clock(&Progress::steady_seconds)) {
  start_ = now_ = clock_();
  last_emit_ = start_;
}

Progress Progress::to_stderr(long total, ProgressOptions options) {
  return Progress(std::cerr, total, std::move(options), stderr_is_terminal());
}

Progress::~Progress() {
  try {
    finish();
  } catch (...) {
  }
}

std::string Progress::line() const {
  const double elapsed = now_ - start_;
  const double frac = total_ > 0 ? double(done_) / double(total_) : 1.0;
  const int percent = static_cast<int>(std::floor(100.0 * frac + 1e-9));
  std::string s;
  if (!opt_.label.empty()) s += opt_.label + " ";
  if (terminal_) {
    const int w = std::max(1, opt_.bar_width);
    const int filled = std::min(w, static_cast<int>(std::floor(frac * w + 1e-9)));
    s += "[" + std::string(filled, '#') + std::string(w - filled, '-') + "] ";
  }
  s += fmt::format("{:3d}%  {}/{} {}", percent, done_, total_, opt_.unit);
  if (elapsed > 0 && done_ > 0) {
    const double rate = double(done_) / elapsed;
    s += fmt::format("  {} {}/s", format_rate(rate), opt_.unit);
    if (opt_.secondary_scale > 0)
      s += fmt::format("  {} {}", format_rate(rate * opt_.secondary_scale), opt_.secondary_unit);
  }
  s += "  " + format_duration(elapsed);
  if (done_ >= total_) return s;
  const double eta =
      done_ > 0 && elapsed > 0 ? double(total_ - done_) * elapsed / double(done_) : -1.0;
  s += " ETA " + format_duration(eta);
  return s;
}

void Progress::emit(bool final_line) {
  std::string text = line();
  if (final_line && done_ < total_) text += " (stopped)";
  if (terminal_) {
    out_ << '\r' << text << "\x1b[K";
    if (final_line) out_ << '\n';
  } else {
    out_ << text << '\n';
  }
  out_.flush();
  shown_ = true;
  last_emit_ = now_;
}

void Progress::update(long done) {
  if (finished_) return;
  done_ = std::min(total_, std::max(done_, done));
  now_ = clock_();
  if (now_ - start_ < opt_.delay_s) return;
  if (terminal_) {
    if (!shown_ || now_ - last_emit_ >= opt_.redraw_s) emit(false);
    return;
  }
  const int step = std::max(1, opt_.percent_step);
  const int bucket =
      total_ > 0 ? static_cast<int>((100.0 * double(done_) / double(total_)) / step) : 100 / step;
  if (done_ >= total_) return;  // finish() writes the last line
  if (bucket > last_percent_bucket_ || now_ - last_emit_ >= opt_.interval_s) {
    last_percent_bucket_ = bucket;
    emit(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  now_ = clock_();
  if (shown_) emit(true);
}

}  // namespace vitra
