// CSV reader: RFC 4180 records scanned from a text buffer, fields as views where no unquoting is
// needed, limits checked as it goes (csv_reader.h).
#include "csv_reader.h"

#include "text.h"

namespace hfrec {
CsvReader::CsvReader(std::string_view text, CsvLimits limits) : text_(text), limits_(limits) {
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

// Gotchas:
// - A field is a view into the text when it is stored verbatim (unquoted, or quoted without a
//   doubled quote: embedded newlines are verbatim too); only fields with "" are unescaped, into
//   scratch_ strings kept between calls. Either way nothing is allocated per cell.
// - Limits are checked on the unescaped length as the field is scanned, so a hostile field never
//   grows a buffer past the limit.
bool CsvReader::next(std::vector<std::string_view>& fields) {
  error_.clear();
  needs_more_ = false;
  const size_t n = text_.size();
  if (pos_ >= n) {
    fields.clear();
    needs_more_ = more_;
    return false;
  }
  record_line_ = line_;
  const size_t record_start = pos_;
  size_t line_start = pos_;  // for column numbers
  auto column_at = [&](size_t p) { return p - line_start + 1; };
  size_t nf = 0;  // fields filled so far
  auto fail = [&](std::string message) {
    error_ = std::move(message);
    pos_ = n;
    more_ = false;  // an error ends the input
    fields.clear();
    return false;
  };
  // Streaming: the window ends inside this record, and what follows decides it. Back to its start.
  auto cut_short = [&]() {
    pos_ = record_start;
    line_ = record_line_;
    needs_more_ = true;
    fields.clear();
    return false;
  };
  auto too_long = [&](size_t line) {
    return fail("line " + std::to_string(line) + ", field " + std::to_string(nf) + ": longer than " +
                std::to_string(limits_.max_field_bytes) + " bytes (limit max_field_bytes)");
  };
  auto put = [&](std::string_view v) {
    if (nf - 1 < fields.size()) fields[nf - 1] = v;
    else fields.push_back(v);
  };
  while (true) {
    if (nf >= limits_.max_columns)
      return fail("line " + std::to_string(line_) + ": more than " + std::to_string(limits_.max_columns) +
                  " columns (limit max_columns)");
    ++nf;
    if (pos_ < n && text_[pos_] == '"') {
      const size_t open_line = line_, open_col = column_at(pos_);
      ++pos_;
      const size_t begin = pos_;
      size_t doubled = 0;                // "" pairs so far: the unescaped field is that much shorter
      std::string* unescaped = nullptr;  // set at the first ""
      size_t copied = begin;             // text before this is in *unescaped
      bool closed = false;
      while (pos_ < n) {
        const size_t q = find_first_of3(text_, pos_, '"', '\n', '\n');
        if (q >= n && more_) return cut_short();
        if ((q - begin) - doubled > limits_.max_field_bytes) return too_long(open_line);
        pos_ = q;
        if (pos_ >= n) break;
        if (pos_ + 1 >= n && more_) return cut_short();  // "" or the closing quote?
        const bool closing = text_[pos_] == '"' && (pos_ + 1 >= n || text_[pos_ + 1] != '"');
        if (!closing && (pos_ - begin) - doubled + 1 > limits_.max_field_bytes) return too_long(open_line);
        if (text_[pos_] == '\n') {
          ++pos_;
          ++line_;
          line_start = pos_;
        } else if (!closing) {  // "" stands for one quote
          if (!unescaped) {
            if (scratch_.size() < nf) scratch_.resize(nf);
            unescaped = &scratch_[nf - 1];
            unescaped->clear();
          }
          unescaped->append(text_.substr(copied, pos_ + 1 - copied));  // up to and with one quote
          pos_ += 2;
          copied = pos_;
          ++doubled;
        } else {
          closed = true;
          break;
        }
      }
      if (!closed && more_) return cut_short();
      if (!closed)
        return fail("line " + std::to_string(open_line) + ", column " + std::to_string(open_col) +
                    ": quoted field is never closed (missing '\"' before end of file)");
      if (unescaped) {
        unescaped->append(text_.substr(copied, pos_ - copied));
        put(*unescaped);
      } else {
        put(text_.substr(begin, pos_ - begin));
      }
      ++pos_;  // the closing quote
      if (more_ && (pos_ >= n || (text_[pos_] == '\r' && pos_ + 1 >= n))) return cut_short();
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' &&
          !(text_[pos_] == '\r' && (pos_ + 1 >= n || text_[pos_ + 1] == '\n')))
        return fail("line " + std::to_string(line_) + ", column " + std::to_string(column_at(pos_)) +
                    ": unexpected character after a closing quote (quotes inside a field must be "
                    "doubled)");
    } else {
      size_t e = find_first_of3(text_, pos_, ',', '\n', '"');
      if (e < n && text_[e] == '"') e = find_first_of3(text_, e, ',', '\n', '\n');  // a bare quote: kept in the field
      if (e >= n && more_) return cut_short();
      size_t end = e;
      if (end > pos_ && text_[end - 1] == '\r' && (end == n || text_[end] == '\n')) --end;
      if (end - pos_ > limits_.max_field_bytes) return too_long(line_);
      put(text_.substr(pos_, end - pos_));
      pos_ = end;
      if (pos_ < n && text_[pos_] == '\r') ++pos_;
    }
    if (pos_ >= n) {
      if (more_) return cut_short();
      break;
    }
    if (text_[pos_] == ',') {
      ++pos_;
      if (pos_ >= n && more_) return cut_short();
      if (pos_ >= n) {  // a trailing comma ends the file: one more, empty, field
        if (nf >= limits_.max_columns)
          return fail("line " + std::to_string(line_) + ": more than " + std::to_string(limits_.max_columns) +
                      " columns (limit max_columns)");
        ++nf;
        put(std::string_view());
        break;
      }
      continue;
    }
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ >= n && more_) return cut_short();
    if (pos_ < n && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    break;
  }
  fields.resize(nf);
  return true;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  const bool ok = next(views_);
  fields.resize(views_.size());
  for (size_t i = 0; i < views_.size(); ++i) fields[i].assign(views_[i]);
  if (!ok) fields.clear();
  return ok;
}

}  // namespace hfrec
