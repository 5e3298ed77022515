// Catalogue CSV: the rows of a Hub dump (columns found by header name) read into a catalogue in
// slices. CatalogueLoader and load_csv() drive it; most callers want load_catalogue().
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "csv_reader.h"

namespace hfrec {

// One CSV catalogue read in slices: the header on the first step, then rows.
// - The text must already be screened by the caller (size, binary data, NUL bytes, nothing but
//   blanks): CatalogueLoader does it for every format. It and the catalogue must outlive the load.
// - The list cells (tags, architectures, datasets, and base_model when present) are Python list
//   literals (core/list_literal.h); a bare value is a one-item list, as the Hub writes datasets and
//   hfrec fetch a single base model.
// - Errors name the line and the column ("line 17, column 'downloads': ..."); a bad list cell fails
//   the load even on a duplicate row.
class CsvCatalogueLoad {
 public:
  CsvCatalogueLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits);
  // Streamed (CatalogueLoader's streaming form): the text is read from `source`, `window_bytes` at a
  // time, into a window that keeps only the unread records. The caller has screened the whole file
  // (NUL bytes, UTF-8), as for text; `source` must outlive the load.
  CsvCatalogueLoad(const ByteSource& source, uint64_t size, size_t window_bytes, Catalogue& cat,
                   const LoadLimits& limits);
  // Reads the header (first call), then up to `budget` rows; true when finished (then error() is
  // empty on success).
  bool step(size_t budget);
  // Why the load failed, or "".
  const std::string& error() const { return error_; }
  // Fraction of the text read, in [0, 1].
  double progress() const;

 private:
  // Parsed list cells by their text. Most rows repeat a cell seen shortly before (architectures and
  // datasets nearly always, tags about half the time on the Hub's dumps), and reusing it skips the
  // parse, the item strings and their interning. Direct-mapped, so its memory stays bounded.
  struct CellCache {
    static constexpr size_t kSlots = 4096;
    struct Entry {
      std::string cell;
      std::vector<uint32_t> ids;     // pool ids of the items
      uint32_t category = kMissing;  // architectures only: the notebook's one-hot category
      bool used = false;
    };
    std::vector<Entry> slots = std::vector<Entry>(kSlots);
    Entry& slot(std::string_view cell);
  };
  static constexpr int kCols = 10;                 // the Hub's columns (catalogue_internal.h's kNumCols)
  static constexpr size_t kRowsToEstimate = 4096;  // streamed: rows read before the columns are sized

  bool fail(std::string m);
  bool header();
  bool rows(size_t budget);
  // The next record into fields_, refilling the window as needed; false at the end or on an error
  // (done_ set when the window could not be refilled).
  bool next_record();
  // Moves the unread bytes to the window's front and reads more after them; true on a failed read.
  bool refill();

  std::string_view text_;  // not owned
  // Streaming: the file is read into window_ (unread records only), read_ bytes so far.
  const ByteSource* source_ = nullptr;
  uint64_t size_ = 0, read_ = 0;
  size_t window_bytes_ = 0;
  std::string window_;
  Catalogue& cat_;
  const LoadLimits& limits_;
  std::optional<CsvReader> reader_;
  std::vector<std::string_view> fields_;  // into the text (or the reader): no copy per cell
  int col_[kCols] = {};                   // field of each Hub column, -1 when absent
  int base_model_col_ = -1;               // field of the base_model column (hfrec fetch writes it), or -1
  size_t header_fields_ = 0;
  size_t rows_read_ = 0;  // data rows, duplicates included (what max_rows limits)
  bool started_ = false, done_ = false;
  std::string error_;
  CellCache cells_[4];                   // tags, architectures, datasets, base_model
  std::vector<uint32_t> one_item_[4];    // a bare (unbracketed) cell's single item
  std::vector<std::string_view> items_;  // a list cell's items (parse_list_literal)
  std::deque<std::string> item_scratch_;
};

}  // namespace hfrec
