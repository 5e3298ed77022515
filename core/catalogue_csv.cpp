// Catalogue CSV: a Hub dump's header and rows read into a catalogue in slices (catalogue_csv.h).
#include "catalogue_csv.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "catalogue_internal.h"
#include "list_literal.h"
#include "text.h"

namespace hfrec {

using namespace detail;

namespace {

bool parse_downloads(std::string_view v, int64_t& out) {
  if (v.empty()) {
    out = 0;
    return true;
  }
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec == std::errc() && p == v.data() + v.size() && x >= 0) {
    out = x;
    return true;
  }
  // pandas writes integer columns with NaNs as floats: accept "123.0".
  double d = 0;  // no leading '+': pandas never writes one
  if (v[0] != '+' && parse_decimal(v, d) && d >= 0 && d < 9.2e18 && std::floor(d) == d) {
    out = static_cast<int64_t>(d);
    return true;
  }
  return false;
}

}  // namespace

CsvCatalogueLoad::CellCache::Entry& CsvCatalogueLoad::CellCache::slot(std::string_view cell) {
  return slots[hash_text(cell) & (kSlots - 1)];
}

CsvCatalogueLoad::CsvCatalogueLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits)
    : text_(text), cat_(cat), limits_(limits) {
  static_assert(kCols == kNumCols);
}

CsvCatalogueLoad::CsvCatalogueLoad(const ByteSource& source, uint64_t size, size_t window_bytes, Catalogue& cat,
                                   const LoadLimits& limits)
    : source_(&source), size_(size), window_bytes_(std::max<size_t>(window_bytes, 1)), cat_(cat), limits_(limits) {}

bool CsvCatalogueLoad::refill() {
  window_.erase(0, reader_ ? reader_->window_offset() : 0);
  // A record longer than the window: read as much again as is held, so it is rescanned a
  // logarithmic number of times, not once a window.
  const size_t want = std::max(window_bytes_, window_.size());
  const size_t n = static_cast<size_t>(std::min<uint64_t>(want, size_ - read_));
  const size_t held = window_.size();
  window_.resize(held + n);
  if ((*source_)(read_, window_.data() + held, n) != n) return fail(read_error(read_));
  read_ += n;
  if (reader_) reader_->rebase(window_, read_ < size_);
  return false;
}

bool CsvCatalogueLoad::next_record() {
  while (!reader_->next(fields_)) {
    if (!reader_->needs_more() || refill()) return false;
  }
  return true;
}

bool CsvCatalogueLoad::fail(std::string m) {
  error_ = std::move(m);
  done_ = true;
  return true;
}

bool CsvCatalogueLoad::step(size_t budget) {
  if (done_) return true;
  if (!started_) {
    started_ = true;
    if (header()) return true;
  }
  return rows(budget);
}

double CsvCatalogueLoad::progress() const {
  if (done_) return 1.0;
  const double size = static_cast<double>(source_ ? size_ : text_.size());
  if (!reader_ || size == 0) return 0.0;
  return static_cast<double>(reader_->offset()) / size;
}

// The header line: which field holds each Hub column. True when the load is over (an error).
bool CsvCatalogueLoad::header() {
  if (source_) {  // streamed: screened by the caller; the first window holds at least the BOM's 3 bytes
    while (window_.size() < std::min<uint64_t>(3, size_) && read_ < size_)
      if (refill()) return true;
    reader_.emplace(window_, limits_.csv);
    reader_->set_more(read_ < size_);
  }
  size_t bad = 0;
  if (!source_ && !utf8_valid(text_, &bad)) {
    return fail(invalid_utf8_error(line_column(text_, bad), static_cast<unsigned char>(text_[bad])));
  }
  if (!source_) reader_.emplace(text_, limits_.csv);
  if (!next_record()) {
    if (done_) return true;
    if (!reader_->error().empty()) return fail(reader_->error());
    return fail(kEmptyFileError);
  }
  header_fields_ = fields_.size();
  for (int k = 0; k < kNumCols; ++k) col_[k] = -1;
  for (size_t f = 0; f < fields_.size(); ++f) {
    const std::string_view field = fields_[f];
    if (size_t cr = field.find('\r'); cr != std::string::npos && (cr + 1 == field.size() || field[cr + 1] != '\n'))
      return fail(
          "line 1: carriage return without a line feed (classic Mac line endings); save the file "
          "with LF or CRLF line endings");
    size_t b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t");
    std::string_view h = b == std::string::npos ? std::string_view() : field.substr(b, e - b + 1);
    for (int k = 0; k < kNumCols; ++k)
      if (h == kColNames[k] && col_[k] < 0) col_[k] = static_cast<int>(f);
    if (h == "id" && col_[kId] < 0) col_[kId] = static_cast<int>(f);
    if (h == "base_model" && base_model_col_ < 0) base_model_col_ = static_cast<int>(f);
  }
  if (col_[kId] < 0) {
    std::string found;
    for (size_t f = 0; f < fields_.size() && f < 5; ++f) found += (f ? ", " : "") + quote_for_error(fields_[f]);
    return fail("line 1: no modelId column in the header (found " + found + (fields_.size() > 5 ? ", …" : "") + ")");
  }
  for (int k = 0; k < kNumCols; ++k)
    if (col_[k] >= 0) cat_.report.columns.push_back(kColNames[k]);
  cat_.report.format = "csv";
  return false;
}

// Up to `budget` data rows. True when finished.
bool CsvCatalogueLoad::rows(size_t budget) {
  RowBuilder b(cat_);
  for (size_t n = 0; n < budget; ++n) {
    if (!next_record()) {
      if (done_) return true;
      if (!reader_->error().empty()) return fail(reader_->error());
      if (cat_.size() == 0) return fail("the file has a header but no rows");
      b.finish();
      done_ = true;
      return true;
    }
    size_t line = reader_->line();
    if (fields_.size() == 1 && fields_[0].empty()) continue;  // blank line
    if (fields_.size() != header_fields_)
      return fail("line " + std::to_string(line) + ": " + std::to_string(fields_.size()) +
                  " fields, but the header has " + std::to_string(header_fields_));
    if (++rows_read_ > limits_.max_rows)
      return fail("line " + std::to_string(line) + ": more than " + std::to_string(limits_.max_rows) +
                  " rows (limit max_rows)");
    auto get = [&](int k) -> std::string_view { return col_[k] >= 0 ? fields_[col_[k]] : std::string_view(); };
    const std::string_view id = get(kId);
    if (id.empty()) return fail("line " + std::to_string(line) + ", column 'modelId': empty model id");
    int64_t downloads = 0;
    if (!parse_downloads(get(kDownloads), downloads))
      return fail("line " + std::to_string(line) +
                  ", column 'downloads': not a non-negative integer: " + quote_for_error(get(kDownloads)));
    // The list cells are parsed (or found parsed) before the row is added, so a bad cell fails
    // the load whether or not the row is a duplicate.
    // The three Hub list columns, then base_model (kNumCols stands for it).
    constexpr int kListCols[4] = {kTags, kArch, kDatasets, kNumCols};
    const std::vector<uint32_t>* ids[4];
    bool missing[4];
    uint32_t arch_category = kMissing;
    for (int i = 0; i < 4; ++i) {
      const std::string_view cell = i < 3                  ? get(kListCols[i])
                                    : base_model_col_ >= 0 ? fields_[base_model_col_]
                                                           : std::string_view();
      missing[i] = cell.empty();
      size_t first = cell.find_first_not_of(" \t");
      if (cell.empty() || first == std::string::npos || (cell[first] != '[' && cell[first] != '(')) {
        // Empty: no items. A bare value is a one-item list (the Hub writes datasets so).
        one_item_[i].clear();
        if (!cell.empty()) one_item_[i].push_back(cat_.pool.intern(cell));
        ids[i] = &one_item_[i];
        if (kListCols[i] == kArch) arch_category = cat_.pool.intern(cell.empty() ? "nan" : strip_brackets(cell));
        continue;
      }
      CellCache::Entry& e = cells_[i].slot(cell);
      if (!e.used || e.cell != cell) {
        const std::string err = parse_list_literal(cell, limits_.list, items_, item_scratch_);
        if (!err.empty())
          return fail("line " + std::to_string(line) + ", column '" + (i < 3 ? kColNames[kListCols[i]] : "base_model") +
                      "', " + err);
        e.used = true;
        e.cell = cell;
        e.ids.clear();
        for (std::string_view item : items_) e.ids.push_back(cat_.pool.intern(item));
        e.category = kListCols[i] == kArch ? cat_.pool.intern(strip_brackets(cell)) : kMissing;
      }
      ids[i] = &e.ids;
      if (kListCols[i] == kArch) arch_category = e.category;
    }
    if (!b.begin(id)) continue;
    // Streamed: the file's size and its first rows say how many rows to expect.
    if (source_ && cat_.size() == kRowsToEstimate) {
      const double per_row = static_cast<double>(reader_->offset()) / static_cast<double>(rows_read_);
      cat_.reserve(static_cast<size_t>(
          std::min(static_cast<double>(limits_.max_rows), static_cast<double>(size_) / per_row * 1.02 + 64)));
    }
    cat_.downloads.push_back(downloads);
    cat_.last_modified.push_back(get(kLastModified));
    cat_.pipeline_tag.push_back(b.opt(get(kPipeline)));
    cat_.author.push_back(b.opt(get(kAuthor)));
    cat_.model_type.push_back(b.opt(get(kModelType)));
    cat_.library_name.push_back(b.opt(get(kLibrary)));
    b.list_ids(cat_.tags, *ids[0], missing[0]);
    b.list_ids(cat_.architectures, *ids[1], missing[1]);
    b.list_ids(cat_.datasets, *ids[2], missing[2]);
    b.list_ids(cat_.base_models, *ids[3], missing[3]);
    cat_.architectures_category.push_back(arch_category);
  }
  return false;
}

}  // namespace hfrec
