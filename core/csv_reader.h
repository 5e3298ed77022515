// RFC 4180 CSV reader: quoted fields with commas, doubled quotes and newlines; LF or CRLF; UTF-8 BOM.
#pragma once
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace hfrec {

// Limits that keep a hostile file from exhausting memory; a real catalogue never reaches them.
struct CsvLimits {
  size_t max_field_bytes = 1 << 20;  // 1 MiB per cell
  size_t max_columns = 1000;
};

// Reads records one at a time from a buffer it does not own, so a caller can stop and resume.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text, CsvLimits limits = {});
  // Reads the next record into fields. Returns false at end of input or on error (see error()).
  // The views point into the text, or into the reader for fields with doubled quotes; they stay
  // valid until the next call.
  bool next(std::vector<std::string_view>& fields);
  // The same, copied into strings.
  bool next(std::vector<std::string>& fields);
  // Non-empty when the last next() failed; names the line and column.
  const std::string& error() const { return error_; }
  // 1-based physical line on which the last record started.
  size_t line() const { return record_line_; }
  // Bytes consumed so far (for progress), counted from the start of the input.
  size_t offset() const { return base_ + pos_; }
  size_t size() const { return text_.size(); }

  // Streaming: the text is a window onto a longer input, and `more` says whether bytes follow it.
  // While they do, a record the window cuts short is not read: next() returns false with
  // needs_more() set and the reader left at that record's start, and the caller calls rebase()
  // with a window that starts there and reaches further. Records are then read exactly as from
  // the whole input (each depends only on its own bytes up to its line feed); with more false the
  // end of the window is the end of the input.
  void set_more(bool more) { more_ = more; }
  bool needs_more() const { return needs_more_; }
  // Where the next record starts in the current window.
  size_t window_offset() const { return pos_; }
  // The next window: it starts where the next record starts (window_offset() of the last one).
  void rebase(std::string_view text, bool more) {
    base_ += pos_;
    text_ = text;
    pos_ = 0;
    more_ = more;
  }

 private:
  std::string_view text_;
  CsvLimits limits_;
  size_t pos_ = 0;
  size_t base_ = 0;  // offset of the window in the input (streaming)
  bool more_ = false, needs_more_ = false;
  size_t line_ = 1;
  size_t record_line_ = 1;
  std::string error_;
  std::deque<std::string> scratch_;      // unescaped fields, by column (a deque: growing it
                                         // must not move the strings earlier views point into)
  std::vector<std::string_view> views_;  // for the string form of next()
};

}  // namespace hfrec
