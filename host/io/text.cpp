#include "host/io/text.hpp"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "host/elements.hpp"
#include "host/error.hpp"

namespace vitra::io {

LineReader::LineReader(const std::string& path) : path_(path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw InputError(path, 0, std::string("cannot open the file: ") + std::strerror(errno));
  char chunk[1 << 16];
  std::size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) data_.append(chunk, got);
  const bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) throw InputError(path, 0, "cannot read the file");
}

bool LineReader::next(std::string_view& line) {
  if (pos_ >= data_.size()) return false;
  const char* begin = data_.data() + pos_;
  const void* nl = std::memchr(begin, '\n', data_.size() - pos_);
  std::size_t len = nl ? static_cast<const char*>(nl) - begin : data_.size() - pos_;
  pos_ += len + (nl ? 1 : 0);
  if (len > 0 && begin[len - 1] == '\r') --len;
  line = std::string_view(begin, len);
  ++line_;
  return true;
}

bool LineReader::next_nonblank(std::string_view& line, bool strip_comments) {
  std::string_view l;
  while (next(l)) {
    const std::string_view t = trim(strip_comments ? strip_comment(l) : l);
    if (!t.empty()) {
      line = l;
      return true;
    }
  }
  return false;
}

void LineReader::fail(const std::string& what) const { throw InputError(path_, line_, what); }
void LineReader::fail_at(long line, const std::string& what) const {
  throw InputError(path_, line, what);
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
    --e;
  return s.substr(b, e - b);
}

std::string_view strip_comment(std::string_view s, std::string_view* comment) {
  const std::size_t h = s.find('#');
  if (comment) *comment = h == std::string_view::npos ? std::string_view() : trim(s.substr(h + 1));
  return h == std::string_view::npos ? s : s.substr(0, h);
}

std::size_t split(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  const char* p = line.data();
  const char* end = p + line.size();
  while (p < end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    if (p == end) break;
    const char* b = p;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\r') ++p;
    out.emplace_back(b, static_cast<std::size_t>(p - b));
  }
  return out.size();
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool to_double(std::string_view tok, double& v) {
  if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  if (r.ec != std::errc() || r.ptr != tok.data() + tok.size()) return false;
#else
  char small[64];
  std::string big;
  const char* s;
  if (tok.size() < sizeof small) {
    std::memcpy(small, tok.data(), tok.size());
    small[tok.size()] = '\0';
    s = small;
  } else {
    big.assign(tok);
    s = big.c_str();
  }
  char* endp = nullptr;
  errno = 0;
  v = std::strtod(s, &endp);
  if (endp != s + tok.size() || errno == ERANGE) return false;
#endif
  return std::isfinite(v);
}

bool to_long(std::string_view tok, long& v) {
  if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
  return r.ec == std::errc() && r.ptr == tok.data() + tok.size();
}

std::size_t resolve_frame(const std::string& path, long frame, std::size_t count) {
  const long nf = static_cast<long>(count);
  const long k = frame < 0 ? nf + frame : frame;
  if (k < 0 || k >= nf)
    throw InputError(path, 0,
                     fmt::format("expected a frame from 0 to {} (or -1 to -{} from the end), found "
                                 "frame {}: the file has {} frame{}",
                                 nf - 1, nf, frame, nf, nf == 1 ? "" : "s"));
  return static_cast<std::size_t>(k);
}

std::string quoted(std::string_view tok) {
  if (tok.size() > 40) return "'" + std::string(tok.substr(0, 37)) + "...'";
  return "'" + std::string(tok) + "'";
}

double parse_double(const LineReader& in, std::string_view tok, std::string_view what) {
  double v;
  if (!to_double(tok, v))
    in.fail(fmt::format("expected {} (a number), found {}", what, quoted(tok)));
  return v;
}

long parse_long(const LineReader& in, std::string_view tok, std::string_view what) {
  long v;
  if (!to_long(tok, v))
    in.fail(fmt::format("expected {} (an integer), found {}", what, quoted(tok)));
  return v;
}

std::string capitalized(std::string_view s) {
  std::string r(s);
  for (std::size_t i = 0; i < r.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(r[i]);
    r[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return r;
}

const std::string& SpeciesCache::check(const LineReader& in, std::string_view name,
                                       std::string_view what) {
  for (std::size_t k = 0; k < raw_.size(); ++k)
    if (raw_[k] == name) return symbol_[k];
  std::string sym = capitalized(name);
  if (!is_element(sym))
    in.fail(fmt::format("expected {} (an element symbol), found {}", what, quoted(name)));
  raw_.emplace_back(name);
  symbol_.push_back(std::move(sym));
  return symbol_.back();
}

TextWriter::TextWriter(const std::string& path, bool append) : path_(path) {
  f_ = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (!f_)
    throw InputError(path, 0,
                     std::string("cannot open the file for writing: ") + std::strerror(errno));
}

TextWriter::~TextWriter() {
  if (f_) {
    if (buf_.size()) std::fwrite(buf_.data(), 1, buf_.size(), f_);
    std::fclose(f_);
  }
}

void TextWriter::flush() {
  if (!f_ || buf_.size() == 0) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    throw InputError(path_, 0, std::string("cannot write the file: ") + std::strerror(errno));
  buf_.clear();
  std::fflush(f_);
}

void TextWriter::close() {
  if (!f_) return;
  flush();
  std::FILE* f = f_;
  f_ = nullptr;
  if (std::fclose(f) != 0)
    throw InputError(path_, 0, std::string("cannot write the file: ") + std::strerror(errno));
}

}  // namespace vitra::io
