#include "csv_reader.h"

namespace hfrec {

CsvReader::CsvReader(std::string_view text, CsvLimits limits) : text_(text), limits_(limits) {
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  error_.clear();
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  const size_t n = text_.size();
  size_t line_start = pos_;  // for column numbers
  auto column_at = [&](size_t p) { return p - line_start + 1; };
  std::string field;
  while (true) {
    field.clear();
    if (fields.size() >= limits_.max_columns) {
      error_ = "line " + std::to_string(line_) + ": more than " +
               std::to_string(limits_.max_columns) + " columns (limit max_columns)";
      pos_ = n;
      return false;
    }
    if (pos_ < n && text_[pos_] == '"') {
      size_t open_line = line_, open_col = column_at(pos_);
      ++pos_;
      bool closed = false;
      while (pos_ < n) {
        size_t q = text_.find_first_of("\"\n", pos_);
        if (q == std::string_view::npos) q = n;
        field.append(text_.substr(pos_, q - pos_));
        pos_ = q;
        if (pos_ >= n) break;
        if (text_[pos_] == '\n') {
          field += '\n';
          ++pos_;
          ++line_;
          line_start = pos_;
        } else if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
        } else {
          ++pos_;
          closed = true;
          break;
        }
        if (field.size() > limits_.max_field_bytes) break;
      }
      if (field.size() > limits_.max_field_bytes) {
        error_ = "line " + std::to_string(open_line) + ", field " + std::to_string(fields.size() + 1) +
                 ": longer than " + std::to_string(limits_.max_field_bytes) +
                 " bytes (limit max_field_bytes)";
        pos_ = n;
        return false;
      }
      if (!closed) {
        error_ = "line " + std::to_string(open_line) + ", column " + std::to_string(open_col) +
                 ": quoted field is never closed (missing '\"' before end of file)";
        pos_ = n;
        return false;
      }
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' &&
          !(text_[pos_] == '\r' && (pos_ + 1 >= n || text_[pos_ + 1] == '\n'))) {
        error_ = "line " + std::to_string(line_) + ", column " + std::to_string(column_at(pos_)) +
                 ": unexpected character after a closing quote (quotes inside a field must be "
                 "doubled)";
        pos_ = n;
        return false;
      }
    } else {
      size_t e = text_.find_first_of(",\n\"", pos_);
      if (e == std::string_view::npos) e = n;
      while (e < n && text_[e] == '"') {  // a bare quote inside an unquoted field: keep it
        e = text_.find_first_of(",\n", e);
        if (e == std::string_view::npos) e = n;
      }
      size_t end = e;
      if (end > pos_ && text_[end - 1] == '\r' && (end == n || text_[end] == '\n')) --end;
      if (end - pos_ > limits_.max_field_bytes) {
        error_ = "line " + std::to_string(line_) + ", field " + std::to_string(fields.size() + 1) +
                 ": longer than " + std::to_string(limits_.max_field_bytes) +
                 " bytes (limit max_field_bytes)";
        pos_ = n;
        return false;
      }
      field.assign(text_.substr(pos_, end - pos_));
      pos_ = end;
      if (pos_ < n && text_[pos_] == '\r') ++pos_;
    }
    fields.push_back(std::move(field));
    field = std::string();
    if (pos_ >= n) return true;
    if (text_[pos_] == ',') {
      ++pos_;
      if (pos_ >= n) {
        fields.emplace_back();
        return true;
      }
      continue;
    }
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < n && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

}  // namespace hfrec
