// What the catalogue's readers share (catalogue.cpp, catalogue_csv.cpp, hub_json.cpp): the Hub's
// column names, the row builder that drops duplicate ids, and the wording of error messages.
// Internal to core, as imgui_internal.h is to Dear ImGui: the app and the CLI use catalogue.h.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"

namespace hfrec::detail {

// The ten Hub columns, in the Hub's CSV order (hub_columns() lists the names).
enum Col {
  kId,
  kLastModified,
  kTags,
  kPipeline,
  kAuthor,
  kArch,
  kModelType,
  kDatasets,
  kDownloads,
  kLibrary,
  kNumCols
};
inline constexpr const char* kColNames[kNumCols] = {"modelId",   "lastModified",  "tags",       "pipeline_tag",
                                                    "author",    "architectures", "model_type", "datasets",
                                                    "downloads", "library_name"};

// A raw cell with its outer [ ] stripped (pandas' .str.strip('[]'): the notebook's one-hot category).
std::string strip_brackets(std::string_view raw);

// Replaces every byte that is not valid UTF-8 with '?', so a message can go into JSON or JS.
std::string valid_utf8(std::string s);
// At most 40 bytes of a value, cut on a code point boundary, control characters as spaces, quoted.
std::string quote_for_error(std::string_view v);
// "line L, column C": 1-based line and column (in bytes) of a byte offset.
std::string line_column(std::string_view text, size_t at);
// The message for a file over LoadLimits::max_file_bytes.
std::string file_size_error(size_t size, size_t limit);
// The message for invalid UTF-8 at `where` ("line 3, column 7"), naming its first byte.
std::string invalid_utf8_error(const std::string& where, unsigned char byte);
// The message for a streamed file whose bytes could not be read at `at`.
std::string read_error(uint64_t at);
// The message for a file with nothing but blanks.
inline constexpr const char* kEmptyFileError =
    "the file is empty: expected a CSV header line with a modelId column, or a JSON array of models";

// Appends rows to a catalogue, dropping duplicate ids (the first occurrence is kept, as pandas'
// drop_duplicates(keep='first')).
struct RowBuilder {
  Catalogue& c;
  explicit RowBuilder(Catalogue& cat) : c(cat) {}
  // A categorical value's pool id; kMissing for "".
  uint32_t opt(std::string_view v) { return v.empty() ? kMissing : c.pool.intern(v); }
  // Appends one list cell given as text items.
  void list(ListColumn& col, const std::vector<std::string>& items, bool missing) {
    for (const auto& it : items) col.items.push_back(c.pool.intern(it));
    col.offsets.push_back(static_cast<uint32_t>(col.items.size()));
    col.missing.push_back(missing ? 1 : 0);
  }
  // Appends one list cell given as pool ids.
  void list_ids(ListColumn& col, const std::vector<uint32_t>& ids, bool missing) {
    col.items.insert(col.items.end(), ids.begin(), ids.end());
    col.offsets.push_back(static_cast<uint32_t>(col.items.size()));
    col.missing.push_back(missing ? 1 : 0);
  }
  // Starts a row with this id; false (and counted) when the id is already in: the row is dropped.
  bool begin(std::string_view id) {
    bool added = false;
    c.ids.intern(id, &added);
    if (!added && c.report.duplicates_dropped++ == 0) c.report.first_duplicate = std::string(id);
    return added;
  }
  // Appends a whole record; raw_arch: the architectures cell text when it came from CSV, otherwise
  // the category is built from the items. False when the id was a duplicate.
  bool add(const ModelRecord& r, const std::string* raw_arch) {
    if (!begin(r.id)) return false;
    c.downloads.push_back(r.downloads);
    c.last_modified.push_back(r.last_modified);
    c.pipeline_tag.push_back(opt(r.pipeline_tag));
    c.author.push_back(opt(r.author));
    c.model_type.push_back(opt(r.model_type));
    c.library_name.push_back(opt(r.library_name));
    list(c.tags, r.tags, r.tags_missing);
    list(c.architectures, r.architectures, r.architectures_missing);
    list(c.datasets, r.datasets, r.datasets_missing);
    list(c.base_models, r.base_models, r.base_models.empty());
    std::string cat = r.architectures_missing
                          ? std::string("nan")
                          : strip_brackets(raw_arch ? *raw_arch : python_list_repr(r.architectures));
    c.architectures_category.push_back(c.pool.intern(cat));
    return true;
  }
  // Adds the duplicates warning to the report (once, at the end of a load).
  void finish() {
    if (c.report.duplicates_dropped)
      c.report.warnings.push_back(std::to_string(c.report.duplicates_dropped) +
                                  " duplicate modelId rows dropped (first: '" + c.report.first_duplicate +
                                  "'; the first occurrence is kept)");
  }
};

}  // namespace hfrec::detail
