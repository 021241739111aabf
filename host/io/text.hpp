#pragma once
// Small text helpers shared by the structure readers and writers: a whole-file
// line reader that knows its line number (for InputError), whitespace
// splitting, strict number parsing, and a buffered writer. Internal to host/io.
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace vitra::io {

// The whole file in memory, handed out line by line. Lines are numbered from 1;
// a trailing '\r' is dropped.
class LineReader {
 public:
  // Throws InputError(path, 0, ...) when the file cannot be read.
  explicit LineReader(const std::string& path);

  // Next line into `line`; false at the end of the file.
  bool next(std::string_view& line);
  // Next line that is not blank after cutting a '#' comment (when strip_comments).
  bool next_nonblank(std::string_view& line, bool strip_comments);
  bool at_end() const { return pos_ >= data_.size(); }
  long line_no() const { return line_; }  // number of the line last returned
  const std::string& path() const { return path_; }

  struct Mark {
    std::size_t pos;
    long line;
  };
  Mark mark() const { return {pos_, line_}; }
  void reset(Mark m) {
    pos_ = m.pos;
    line_ = m.line;
  }

  // InputError at the line last returned (or at `line`).
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_at(long line, const std::string& what) const;

 private:
  std::string path_;
  std::string data_;
  std::size_t pos_ = 0;
  long line_ = 0;
};

std::string_view trim(std::string_view s);
// Text before a '#' comment, and the comment's text after the '#' (trimmed).
std::string_view strip_comment(std::string_view s, std::string_view* comment = nullptr);
// Splits on blanks and tabs into `out` (cleared first); returns the count.
std::size_t split(std::string_view line, std::vector<std::string_view>& out);
bool starts_with(std::string_view s, std::string_view prefix);

// Whole-token conversions; false when the token is not entirely a finite
// number (a leading '+' is accepted).
bool to_double(std::string_view tok, double& v);
bool to_long(std::string_view tok, long& v);
// As above, or InputError at the reader's current line:
// "expected <what>, found '<tok>'".
double parse_double(const LineReader& in, std::string_view tok, std::string_view what);
long parse_long(const LineReader& in, std::string_view tok, std::string_view what);

// Index of frame `frame` (0 first, -1 last, -2 the one before...) in a file
// of `count` frames, or an InputError naming how many frames there are.
std::size_t resolve_frame(const std::string& path, long frame, std::size_t count);

// A token for an error message: quoted, and cut when long.
std::string quoted(std::string_view tok);
// "Si" from "si", "SI", "Si" (ASE capitalises species the same way).
std::string capitalized(std::string_view s);

// Element symbol for a name from a file, checked against the periodic table
// (with a small cache, as files repeat a few names a million times).
class SpeciesCache {
 public:
  // The capitalized symbol, or an InputError at the reader's line.
  const std::string& check(const LineReader& in, std::string_view name, std::string_view what);

 private:
  std::vector<std::string> raw_, symbol_;
};

// Buffered text output to a file, created or appended to. Errors are
// InputError naming the file.
class TextWriter {
 public:
  TextWriter(const std::string& path, bool append);
  ~TextWriter();
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;

  fmt::memory_buffer& buf() { return buf_; }
  // Writes the buffer out when it is large; call after each line or so.
  void maybe_flush() {
    if (buf_.size() > (1u << 20)) flush();
  }
  void flush();
  // Flushes and closes, reporting write errors (the destructor cannot).
  void close();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  fmt::memory_buffer buf_;
};

}  // namespace vitra::io
