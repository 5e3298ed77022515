// Catalogue: the models of one Hub dump (CSV or list-models JSON), stored by column.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "csv_reader.h"
#include "list_literal.h"
#include "result.h"
#include "string_pool.h"
#include "text.h"

namespace hfrec {

// A list-valued column (tags, architectures, datasets) in CSR form; items are pool ids.
struct ListColumn {
  std::vector<uint32_t> offsets{0};  // row r's items are items[offsets[r] .. offsets[r+1])
  std::vector<uint32_t> items;
  std::vector<uint8_t> missing;  // 1 when the cell was empty/absent (pandas NaN)
  size_t size(uint32_t r) const { return offsets[r + 1] - offsets[r]; }
  const uint32_t* begin(uint32_t r) const { return items.data() + offsets[r]; }
  const uint32_t* end(uint32_t r) const { return items.data() + offsets[r + 1]; }
};

// Limits for hostile input; defaults a real catalogue never reaches but that keep a tab alive.
// Each is checked before the allocation it guards; exceeding one is an error naming the limit.
// - The whole Hub (~2M models) as CSV is ~0.6 GB; a JSON file is held as a DOM (several times its size).
struct LoadLimits {
  size_t max_file_bytes = size_t(1) << 30;  // 1 GiB
  size_t max_rows = 5'000'000;              // data rows read, duplicates included
  CsvLimits csv{};                          // field length, column count
  ListLimits list{};                        // items per list cell, nesting
  size_t max_json_depth = 64;               // the Hub's list-models JSON nests < 10 deep
  // Hub JSON: read plain model objects with a strict scanner, and only the rest through a DOM.
  // Both read the same; false sends every object through the DOM (tests compare the two).
  bool json_fast_path = true;
};

// What a load found, for the header line and `hfrec stats`.
struct LoadReport {
  std::string format;                // "csv" or "json"
  std::vector<std::string> columns;  // known columns found
  size_t duplicates_dropped = 0;
  std::string first_duplicate;
  std::vector<std::string> warnings;
};

// One text per row as written, made for timestamps: one in the Hub's form (2023-03-14T12:36:46.000Z,
// any digits) is kept as its 17 digits in 8 bytes, any other text in one buffer. At two million rows
// that is 16 MB instead of 56 (a buffer and an end per row), and no heap block per row.
class TimestampColumn {
 public:
  std::string operator[](uint32_t row) const;
  void push_back(std::string_view text);
  size_t size() const { return rows_.size(); }
  // Bytes of the texts not in the Hub's form.
  size_t chars() const { return chars_.size(); }
  void reserve(size_t rows, size_t chars) {
    rows_.reserve(rows);
    chars_.reserve(chars);
  }

 private:
  // Per row: its timestamp's digits as one decimal number (>= 0), or ~k for other text number k.
  std::vector<int64_t> rows_;
  std::string chars_;           // the other texts, one after another
  std::vector<uint32_t> ends_;  // other text k ends at ends_[k]
};

// The models, one row each, in file order (duplicates dropped, the first kept).
struct Catalogue {
  std::string name;
  StringPool pool;                                                       // every categorical value and list item
  StringPool ids;                                                        // modelId; id i is row i
  std::vector<int64_t> downloads;                                        // 0 when missing
  TimestampColumn last_modified;                                         // as written ("" when missing)
  std::vector<uint32_t> pipeline_tag, author, model_type, library_name;  // pool id or kMissing
  ListColumn tags, architectures, datasets;
  // The model card's base model(s): cardData.base_model in Hub JSON, the base_model column in CSV
  // (the tags' base_model:... are read from tags; core/lineage.h puts both together).
  ListColumn base_models;
  // Raw architectures cell with outer [ ] stripped (the notebook's one-hot category); "nan" if missing.
  std::vector<uint32_t> architectures_category;
  LoadReport report;

  Catalogue() = default;
  Catalogue(Catalogue&&) = default;
  Catalogue& operator=(Catalogue&&) = default;
  size_t size() const { return ids.size(); }
  std::string_view id(uint32_t row) const { return ids.str(row); }
  // Row of a modelId, or kMissing.
  uint32_t find(std::string_view id) const { return ids.find(id); }
  // True when the source had this column ("tags", "author", ...); an absent column contributes
  // nothing to the feature spaces (not even the word "nan" that a missing cell gives).
  // Room for `rows` rows, the text and list columns sized as the rows so far are, so that a large
  // load does not regrow (and leave the old blocks as holes in a WebAssembly heap that never
  // shrinks). A no-op when the catalogue already has that many rows.
  void reserve(size_t rows);
  bool has_column(std::string_view column) const {
    for (const auto& c : report.columns)
      if (c == column) return true;
    return false;
  }
  // "" for kMissing.
  std::string_view value(uint32_t pool_id) const {
    return pool_id == kMissing ? std::string_view() : pool.str(pool_id);
  }
};

// One model's fields as text, for building catalogues in code and tests.
struct ModelRecord {
  std::string id;
  std::string last_modified, pipeline_tag, author, model_type, library_name;  // "" = missing
  std::vector<std::string> tags, architectures, datasets;
  bool tags_missing = false, architectures_missing = false, datasets_missing = true;
  int64_t downloads = 0;
  std::vector<std::string> base_models;  // the card's base model(s) (Catalogue::base_models); none: empty
};

// Builds a catalogue from records (later duplicate ids are dropped and counted). `columns` names
// the columns the catalogue has (empty: all ten Hub columns).
Catalogue make_catalogue(const std::vector<ModelRecord>& records, std::string name = "records",
                         std::vector<std::string> columns = {});
// The ten Hub CSV columns, in the Hub's order.
const std::vector<std::string>& hub_columns();

// The fields of one row as text (the inverse of make_catalogue, for transformed copies).
ModelRecord record_of(const Catalogue& cat, uint32_t row);

// Loads CSV text (the Hub dump's columns, found by header name; core/catalogue_csv.h reads it).
Result<Catalogue> load_csv(std::string_view text, std::string name, const LoadLimits& limits = {});
// Loads the Hub's list-models JSON (an array of objects; core/hub_json.h reads it).
Result<Catalogue> load_hub_json(std::string_view text, std::string name, const LoadLimits& limits = {});
// Sniffs the format (JSON if the first non-space byte is '[' or '{') and loads.
Result<Catalogue> load_catalogue(std::string_view text, std::string name, const LoadLimits& limits = {});
// Reads a file and loads it; the error names the file.
Result<Catalogue> load_catalogue_file(const std::string& path, const LoadLimits& limits = {});

// Where a streamed load reads its bytes: copies `n` bytes from `offset` of the file into `to` and
// returns how many it copied (fewer means the file is gone or shorter than announced).
using ByteSource = std::function<size_t(uint64_t offset, char* to, size_t n)>;

// Resumable load, so a browser can parse a large file in slices and keep drawing frames.
class CatalogueLoader {
 public:
  CatalogueLoader(std::string text, std::string name, LoadLimits limits = {});
  // Streamed: the file (`size` bytes) stays with the caller, who must keep `source` valid until the
  // load finishes. A CSV file is screened in one pass of `window_bytes` at a time (the size, binary
  // data, NUL bytes, UTF-8) and then parsed from a window that holds the unread records' start, so
  // the whole text is never in memory; the catalogue and every message are those of the text
  // loaded whole. Hub JSON is read whole (its reader needs one text).
  CatalogueLoader(ByteSource source, uint64_t size, std::string name, LoadLimits limits = {},
                  size_t window_bytes = size_t(1) << 20);
  ~CatalogueLoader();
  // Does up to `budget_rows` rows of work; returns true when finished (then call take()).
  bool step(size_t budget_rows = 20000);
  // Fraction done in [0, 1].
  double progress() const;
  // The loaded catalogue or the error; valid once step() returned true.
  Result<Catalogue> take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfrec
