#include "catalogue.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <charconv>
#include <filesystem>
#include <limits>
#include <optional>
#include <utility>
#include <cmath>
#include <fstream>
#include <sstream>

#include "text.h"

namespace hfrec {

namespace {

std::string strip_brackets(std::string_view raw) {
  size_t b = 0, e = raw.size();
  while (b < e && (raw[b] == '[' || raw[b] == ']')) ++b;
  while (e > b && (raw[e - 1] == '[' || raw[e - 1] == ']')) --e;
  return std::string(raw.substr(b, e - b));
}

// Appends rows to a catalogue, dropping duplicate ids.
struct Builder {
  Catalogue& c;
  explicit Builder(Catalogue& cat) : c(cat) {}
  uint32_t opt(std::string_view v) { return v.empty() ? kMissing : c.pool.intern(v); }
  void list(ListColumn& col, const std::vector<std::string>& items, bool missing) {
    for (const auto& it : items) col.items.push_back(c.pool.intern(it));
    col.offsets.push_back(static_cast<uint32_t>(col.items.size()));
    col.missing.push_back(missing ? 1 : 0);
  }
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
  // raw_arch: the architectures cell text when it came from CSV; otherwise built from items.
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
    std::string cat = r.architectures_missing
                          ? std::string("nan")
                          : strip_brackets(raw_arch ? *raw_arch : python_list_repr(r.architectures));
    c.architectures_category.push_back(c.pool.intern(cat));
    return true;
  }
  void finish() {
    if (c.report.duplicates_dropped)
      c.report.warnings.push_back(std::to_string(c.report.duplicates_dropped) +
                                  " duplicate modelId rows dropped (first: '" +
                                  c.report.first_duplicate + "'; the first occurrence is kept)");
  }
};

// Replaces every byte that is not valid UTF-8 with '?', so a message can go into JSON or JS.
std::string valid_utf8(std::string s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t at = i;
    char32_t cp = utf8_next(s, i);
    if (cp == 0xFFFD && i - at == 1) s[at] = '?';
  }
  return s;
}

// At most 40 bytes of a value, cut on a code point boundary, control characters as spaces.
std::string quote_for_error(std::string_view v) {
  size_t cut = std::min<size_t>(v.size(), 40);
  while (cut < v.size() && cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  std::string s = valid_utf8(std::string(v.substr(0, cut)));
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
  return "'" + s + (cut < v.size() ? "…'" : "'");
}

// 1-based line and column (in bytes) of a byte offset.
std::string line_column(std::string_view text, size_t at) {
  size_t line = 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  size_t nl = text.rfind('\n', at == 0 ? 0 : at - 1);
  size_t col = (nl == std::string_view::npos || at == 0) ? at + 1 : at - nl;
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

bool parse_downloads(std::string_view v, int64_t& out) {
  if (v.empty()) { out = 0; return true; }
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec == std::errc() && p == v.data() + v.size() && x >= 0) { out = x; return true; }
  // pandas writes integer columns with NaNs as floats: accept "123.0".
  double d = 0;  // no leading '+': pandas never writes one
  if (v[0] != '+' && parse_decimal(v, d) && d >= 0 && d < 9.2e18 && std::floor(d) == d) {
    out = static_cast<int64_t>(d);
    return true;
  }
  return false;
}

enum Col { kId, kLastModified, kTags, kPipeline, kAuthor, kArch, kModelType, kDatasets, kDownloads, kLibrary, kNumCols };
constexpr const char* kColNames[kNumCols] = {"modelId", "lastModified", "tags", "pipeline_tag", "author",
                                             "architectures", "model_type", "datasets", "downloads", "library_name"};

std::string describe_binary(std::string_view text) {
  if (text.size() >= 8 && text.substr(0, 8) == "\x89PNG\r\n\x1a\n") return "a PNG image";
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
    return "UTF-16 text";
  if (text.size() >= 4 && text.substr(0, 4) == "PK\x03\x04") return "a ZIP archive";
  if (text.size() >= 2 && text[0] == '\x1f' && text[1] == '\x8b') return "gzip-compressed data";
  if (text.size() >= 4 && text.substr(0, 4) == "%PDF") return "a PDF document";
  // UTF-16 without a byte-order mark: ASCII characters alternate with NUL bytes.
  if (text.size() >= 4 && ((text[0] && !text[1] && text[2] && !text[3]) || (!text[0] && text[1] && !text[2] && text[3])))
    return "UTF-16 text";
  return "";
}

std::string file_size_error(size_t size, size_t limit) {
  return "file is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(limit) +
         " (max_file_bytes)";
}

}  // namespace

const std::vector<std::string>& hub_columns() {
  static const std::vector<std::string> cols(std::begin(kColNames), std::end(kColNames));
  return cols;
}

Catalogue make_catalogue(const std::vector<ModelRecord>& records, std::string name, std::vector<std::string> columns) {
  Catalogue c;
  c.name = std::move(name);
  c.report.format = "records";
  c.report.columns = columns.empty() ? hub_columns() : std::move(columns);
  Builder b(c);
  for (const auto& r : records) b.add(r, nullptr);
  b.finish();
  return c;
}

ModelRecord record_of(const Catalogue& c, uint32_t row) {
  ModelRecord r;
  r.id = c.id(row);
  r.last_modified = c.last_modified[row];
  r.pipeline_tag = std::string(c.value(c.pipeline_tag[row]));
  r.author = std::string(c.value(c.author[row]));
  r.model_type = std::string(c.value(c.model_type[row]));
  r.library_name = std::string(c.value(c.library_name[row]));
  r.downloads = c.downloads[row];
  auto list = [&](const ListColumn& col, std::vector<std::string>& out, bool& missing) {
    for (const uint32_t* p = col.begin(row); p != col.end(row); ++p) out.emplace_back(c.pool.str(*p));
    missing = col.missing[row] != 0;
  };
  list(c.tags, r.tags, r.tags_missing);
  list(c.architectures, r.architectures, r.architectures_missing);
  list(c.datasets, r.datasets, r.datasets_missing);
  return r;
}

namespace {

// A Hub list-models JSON array, loaded one element at a time, so no DOM of the whole file is built
// and the load can run in slices: a plain model object is read by FastJsonRow in one pass; any
// other element is found by a scan that follows strings and nesting (its depth checked on the way)
// and parsed on its own by nlohmann. Any syntax error falls back to a whole-text SAX pass for its
// message. Defined with the JSON helpers below.
class JsonLoad {
 public:
  // screened: the caller has already refused text over max_file_bytes and text with a NUL byte
  // (LoadState::start does, for every format), so the JSON loader does not scan for them again.
  JsonLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits, bool screened);
  ~JsonLoad();
  // Works through up to `budget` models; true when finished (then error() is empty on success).
  bool step(size_t budget);
  const std::string& error() const;
  double progress() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parsed list cells by their text. Most rows repeat a cell seen shortly before (architectures and
// datasets nearly always, tags about half the time on the Hub's dumps), and reusing it skips the
// parse, the item strings and their interning. Direct-mapped, so its memory stays bounded.
struct CellCache {
  static constexpr size_t kSlots = 4096;
  struct Entry {
    std::string cell;
    std::vector<uint32_t> ids;      // pool ids of the items
    uint32_t category = kMissing;   // architectures only: the notebook's one-hot category
    bool used = false;
  };
  std::vector<Entry> slots = std::vector<Entry>(kSlots);
  Entry& slot(std::string_view cell) { return slots[hash_text(cell) & (kSlots - 1)]; }
};

// The state of one load, driven in slices by CatalogueLoader or to the end by the one-shot loaders.
// Checks run cheapest-first and before any allocation that grows with the input.
struct LoadState {
  std::string_view text;  // not owned
  LoadLimits limits;
  bool csv_only = false;  // load_csv: never sniff JSON
  Catalogue cat;
  std::optional<CsvReader> reader;
  std::vector<std::string_view> fields;  // into the text (or the reader): no copy per cell
  int col[kNumCols] = {};
  size_t header_fields = 0;
  size_t rows_read = 0;  // data rows, duplicates included (what max_rows limits)
  bool started = false;
  bool done = false;
  std::string error;
  CellCache cells[3];                 // tags, architectures, datasets
  std::unique_ptr<JsonLoad> json;     // set when the text is Hub JSON
  std::vector<uint32_t> one_item[3];  // a bare (unbracketed) cell's single item
  std::vector<std::string_view> items;  // a list cell's items (parse_list_literal)
  std::deque<std::string> item_scratch;

  bool fail(std::string m) {
    error = valid_utf8(std::move(m));
    done = true;
    return true;
  }

  // Returns true when finished.
  bool step(size_t budget) {
    if (done) return true;
    if (!started) {
      started = true;
      if (start()) return true;
    }
    if (json) {
      if (!json->step(budget)) return false;
      if (!json->error().empty()) return fail(json->error());
      done = true;
      return true;
    }
    return rows(budget);
  }

  Result<Catalogue> take() {
    if (!done) return Error{"the load has not finished"};
    if (!error.empty()) return Error{error};
    return std::move(cat);
  }

  double progress() const {
    if (done) return 1.0;
    if (json) return json->progress();
    if (!reader || reader->size() == 0) return 0.0;
    return static_cast<double>(reader->offset()) / static_cast<double>(reader->size());
  }

  bool start() {
    if (text.size() > limits.max_file_bytes) return fail(file_size_error(text.size(), limits.max_file_bytes));
    std::string bin = describe_binary(text);
    if (!bin.empty())
      return fail("this is " + bin + ", not a CSV or JSON catalogue" +
                  (bin == "UTF-16 text" ? " (save it as UTF-8)" : ""));
    if (size_t at = text.find('\0'); at != std::string_view::npos)
      return fail(line_column(text, at) + ": NUL byte (binary data is not a catalogue)");
    const size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    const size_t p = text.find_first_not_of(" \t\r\n", bom);
    if (p == std::string_view::npos)
      return fail("the file is empty: expected a CSV header line with a modelId column, or a JSON array of models");
    if (!csv_only && (text[p] == '[' || text[p] == '{')) {
      json = std::make_unique<JsonLoad>(text, cat, limits, /*screened=*/true);
      return false;
    }
    size_t bad = 0;
    if (!utf8_valid(text, &bad)) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto b = static_cast<unsigned char>(text[bad]);
      return fail(line_column(text, bad) + ": invalid UTF-8 (byte 0x" + kHex[b >> 4] + kHex[b & 15] +
                  "); save the file as UTF-8");
    }
    reader.emplace(text, limits.csv);
    if (!reader->next(fields)) {
      if (!reader->error().empty()) return fail(reader->error());
      return fail("the file is empty: expected a CSV header line with a modelId column, or a JSON array of models");
    }
    header_fields = fields.size();
    for (int k = 0; k < kNumCols; ++k) col[k] = -1;
    for (size_t f = 0; f < fields.size(); ++f) {
      const std::string_view field = fields[f];
      if (size_t cr = field.find('\r'); cr != std::string::npos && (cr + 1 == field.size() || field[cr + 1] != '\n'))
        return fail("line 1: carriage return without a line feed (classic Mac line endings); save the file "
                    "with LF or CRLF line endings");
      size_t b = field.find_first_not_of(" \t"), e = field.find_last_not_of(" \t");
      std::string_view h = b == std::string::npos ? std::string_view() : field.substr(b, e - b + 1);
      for (int k = 0; k < kNumCols; ++k)
        if (h == kColNames[k] && col[k] < 0) col[k] = static_cast<int>(f);
      if (h == "id" && col[kId] < 0) col[kId] = static_cast<int>(f);
    }
    if (col[kId] < 0) {
      std::string found;
      for (size_t f = 0; f < fields.size() && f < 5; ++f) found += (f ? ", " : "") + quote_for_error(fields[f]);
      return fail("line 1: no modelId column in the header (found " + found + (fields.size() > 5 ? ", …" : "") +
                  ")");
    }
    for (int k = 0; k < kNumCols; ++k)
      if (col[k] >= 0) cat.report.columns.push_back(kColNames[k]);
    cat.report.format = "csv";
    return false;
  }

  // Returns true when finished.
  bool rows(size_t budget) {
    Builder b(cat);
    for (size_t n = 0; n < budget; ++n) {
      if (!reader->next(fields)) {
        if (!reader->error().empty()) return fail(reader->error());
        if (cat.size() == 0) return fail("the file has a header but no rows");
        b.finish();
        done = true;
        return true;
      }
      size_t line = reader->line();
      if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
      if (fields.size() != header_fields)
        return fail("line " + std::to_string(line) + ": " + std::to_string(fields.size()) +
                    " fields, but the header has " + std::to_string(header_fields));
      if (++rows_read > limits.max_rows)
        return fail("line " + std::to_string(line) + ": more than " + std::to_string(limits.max_rows) +
                    " rows (limit max_rows)");
      auto get = [&](int k) -> std::string_view { return col[k] >= 0 ? fields[col[k]] : std::string_view(); };
      const std::string_view id = get(kId);
      if (id.empty()) return fail("line " + std::to_string(line) + ", column 'modelId': empty model id");
      int64_t downloads = 0;
      if (!parse_downloads(get(kDownloads), downloads))
        return fail("line " + std::to_string(line) + ", column 'downloads': not a non-negative integer: " +
                    quote_for_error(get(kDownloads)));
      // The list cells are parsed (or found parsed) before the row is added, so a bad cell fails
      // the load whether or not the row is a duplicate.
      constexpr int kListCols[3] = {kTags, kArch, kDatasets};
      const std::vector<uint32_t>* ids[3];
      bool missing[3];
      uint32_t arch_category = kMissing;
      for (int i = 0; i < 3; ++i) {
        const std::string_view cell = get(kListCols[i]);
        missing[i] = cell.empty();
        size_t first = cell.find_first_not_of(" \t");
        if (cell.empty() || first == std::string::npos || (cell[first] != '[' && cell[first] != '(')) {
          // Empty: no items. A bare value is a one-item list (the Hub writes datasets so).
          one_item[i].clear();
          if (!cell.empty()) one_item[i].push_back(cat.pool.intern(cell));
          ids[i] = &one_item[i];
          if (kListCols[i] == kArch) arch_category = cat.pool.intern(cell.empty() ? "nan" : strip_brackets(cell));
          continue;
        }
        CellCache::Entry& e = cells[i].slot(cell);
        if (!e.used || e.cell != cell) {
          const std::string err = parse_list_literal(cell, limits.list, items, item_scratch);
          if (!err.empty())
            return fail("line " + std::to_string(line) + ", column '" + kColNames[kListCols[i]] + "', " + err);
          e.used = true;
          e.cell = cell;
          e.ids.clear();
          for (std::string_view item : items) e.ids.push_back(cat.pool.intern(item));
          e.category = kListCols[i] == kArch ? cat.pool.intern(strip_brackets(cell)) : kMissing;
        }
        ids[i] = &e.ids;
        if (kListCols[i] == kArch) arch_category = e.category;
      }
      if (!b.begin(id)) continue;
      cat.downloads.push_back(downloads);
      cat.last_modified.push_back(get(kLastModified));
      cat.pipeline_tag.push_back(b.opt(get(kPipeline)));
      cat.author.push_back(b.opt(get(kAuthor)));
      cat.model_type.push_back(b.opt(get(kModelType)));
      cat.library_name.push_back(b.opt(get(kLibrary)));
      b.list_ids(cat.tags, *ids[0], missing[0]);
      b.list_ids(cat.architectures, *ids[1], missing[1]);
      b.list_ids(cat.datasets, *ids[2], missing[2]);
      cat.architectures_category.push_back(arch_category);
    }
    return false;
  }
};

template <class T>
T run_to_end(LoadState& s) {
  while (!s.step(std::numeric_limits<size_t>::max())) {
  }
  return s.take();
}

}  // namespace

struct CatalogueLoader::Impl {
  std::string owned;  // the text LoadState views
  LoadState state;
};

CatalogueLoader::CatalogueLoader(std::string text, std::string name, LoadLimits limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->owned = std::move(text);
  impl_->state.text = impl_->owned;
  impl_->state.limits = limits;
  impl_->state.cat.name = std::move(name);
}
CatalogueLoader::~CatalogueLoader() = default;

bool CatalogueLoader::step(size_t budget_rows) { return impl_->state.step(budget_rows); }

double CatalogueLoader::progress() const { return impl_->state.progress(); }

Result<Catalogue> CatalogueLoader::take() { return impl_->state.take(); }

Result<Catalogue> load_csv(std::string_view text, std::string name, const LoadLimits& limits) {
  LoadState s;
  s.text = text;
  s.limits = limits;
  s.csv_only = true;
  s.cat.name = std::move(name);
  return run_to_end<Result<Catalogue>>(s);
}

namespace {

using nlohmann::json;

const char* type_name(const json& v) { return v.type_name(); }

struct JsonReader {
  const LoadLimits& limits;
  std::string error;

  bool str(const json& o, const char* key, const std::string& path, std::string& out) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return true;
    if (!it->is_string()) {
      error = path + "." + key + ": expected a string, found " + type_name(*it);
      return false;
    }
    out = it->get<std::string>();
    return true;
  }
  bool list(const json* v, const std::string& path, std::vector<std::string>& out, bool& missing, bool allow_string) {
    missing = true;
    if (!v || v->is_null()) return true;
    missing = false;
    if (allow_string && v->is_string()) {
      out.push_back(v->get<std::string>());
      return true;
    }
    if (!v->is_array()) {
      error = path + ": expected a list of strings, found " + type_name(*v);
      return false;
    }
    if (v->size() > limits.list.max_items) {
      error = path + ": more than " + std::to_string(limits.list.max_items) + " items (limit max_items)";
      return false;
    }
    size_t k = 0;
    for (const auto& item : *v) {
      if (item.is_string()) out.push_back(item.get<std::string>());
      else if (item.is_null()) {
      } else if (item.is_object()) {
        for (auto it = item.begin(); it != item.end(); ++it) {
          if (out.size() >= limits.list.max_items) {
            error = path + ": more than " + std::to_string(limits.list.max_items) + " items (limit max_items)";
            return false;
          }
          out.push_back(it.key());
        }
      } else if (item.is_number()) {
        out.push_back(item.dump());
      } else {
        error = path + "[" + std::to_string(k) + "]: expected a string, found " + type_name(item);
        return false;
      }
      ++k;
    }
    return true;
  }
};

// Follows a JSON text from s[i] at nesting `depth`, stepping over strings, and stops at the first
// ',' or closing bracket met at nesting `stop` (kNoStop: never): returns its position, or s.size().
// Nesting deeper than max_depth stops it too, with `deep` set to where (else left as it was). So a
// hostile file is measured before anything recursive (nlohmann's DOM) sees it.
constexpr size_t kNoStop = std::numeric_limits<size_t>::max();
size_t json_walk(std::string_view s, size_t i, size_t depth, size_t stop, size_t max_depth, size_t& deep) {
  bool in_str = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (in_str) {
      if (c == '\\') ++i;
      else if (c == '"') in_str = false;
    } else if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        deep = i;
        return i;
      }
    } else if (c == ']' || c == '}') {
      if (depth == stop) return i;
      if (depth) --depth;
    } else if (c == ',' && depth == stop) {
      return i;
    }
  }
  return s.size();
}

// The first syntax error of a JSON text, as nlohmann's SAX parser reports it.
std::string json_syntax_error(std::string_view text) {
  struct Sax : nlohmann::json_sax<json> {
    std::string msg;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
      std::string w = ex.what();
      auto p = w.find("parse error");
      msg = "JSON byte " + std::to_string(pos) + ": " + (p == std::string::npos ? w : w.substr(p));
      return false;
    }
  } sax;
  json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
  return sax.msg.empty() ? std::string("not valid JSON") : sax.msg;
}

// One model object of the array (element i) into the catalogue; the error, or "".
std::string json_row(const json& o, size_t i, Builder& b, JsonReader& jr, bool* seen) {
  using Error = std::string;
    std::string path = "[" + std::to_string(i) + "]";
    if (!o.is_object()) return Error{path + ": expected an object, found " + type_name(o)};
    ModelRecord r;
    const char* idkey = o.contains("modelId") ? "modelId" : "id";
    if (!jr.str(o, idkey, path, r.id)) return Error{jr.error};
    if (r.id.empty()) return Error{path + ": no 'id' or 'modelId'"};
    seen[kId] = true;
    if (!jr.str(o, "pipeline_tag", path, r.pipeline_tag) || !jr.str(o, "author", path, r.author) ||
        !jr.str(o, "library_name", path, r.library_name) || !jr.str(o, "lastModified", path, r.last_modified))
      return Error{jr.error};
    seen[kPipeline] |= o.contains("pipeline_tag");
    seen[kAuthor] |= o.contains("author");
    seen[kLibrary] |= o.contains("library_name");
    seen[kLastModified] |= o.contains("lastModified");
    if (!o.contains("author")) {
      auto slash = r.id.find('/');
      if (slash != std::string::npos) r.author = r.id.substr(0, slash);
    }
    if (auto it = o.find("downloads"); it != o.end() && !it->is_null()) {
      seen[kDownloads] = true;
      if (it->is_number_unsigned()) r.downloads = static_cast<int64_t>(it->get<uint64_t>() > INT64_MAX ? INT64_MAX : it->get<uint64_t>());
      else if (it->is_number_integer() && it->get<int64_t>() >= 0) r.downloads = it->get<int64_t>();
      else if (it->is_number_float() && it->get<double>() >= 0 && it->get<double>() < 9.2e18 &&
               std::floor(it->get<double>()) == it->get<double>())
        r.downloads = static_cast<int64_t>(it->get<double>());
      else return Error{path + ".downloads: expected a non-negative integer, found " + it->dump().substr(0, 40)};
    }
    auto it_tags = o.find("tags");
    seen[kTags] |= it_tags != o.end();
    if (!jr.list(it_tags == o.end() ? nullptr : &*it_tags, path + ".tags", r.tags, r.tags_missing, false))
      return Error{jr.error};
    const json* arch = nullptr;
    r.architectures_missing = true;
    if (auto cfg = o.find("config"); cfg != o.end() && !cfg->is_null()) {
      if (!cfg->is_object()) return Error{path + ".config: expected an object, found " + type_name(*cfg)};
      if (auto a = cfg->find("architectures"); a != cfg->end()) arch = &*a;
      if (!jr.str(*cfg, "model_type", path + ".config", r.model_type)) return Error{jr.error};
      seen[kModelType] |= cfg->contains("model_type");
    }
    seen[kArch] |= arch != nullptr;
    if (!jr.list(arch, path + ".config.architectures", r.architectures, r.architectures_missing, false))
      return Error{jr.error};
    const json* ds = nullptr;
    if (auto card = o.find("cardData"); card != o.end() && !card->is_null()) {
      if (!card->is_object()) return Error{path + ".cardData: expected an object, found " + type_name(*card)};
      if (auto d = card->find("datasets"); d != card->end()) ds = &*d;
    }
    seen[kDatasets] |= ds != nullptr;
    if (!jr.list(ds, path + ".cardData.datasets", r.datasets, r.datasets_missing, true)) return Error{jr.error};
    b.add(r, nullptr);
  return {};
}

// The fast path for one model object: a strict scanner that reads the fields hfrec uses straight
// into a record, for the shape the Hub writes (strings without escapes where hfrec reads them,
// arrays of plain strings, integer downloads), and checks the grammar of everything it skips.
// Anything else (an escape in a value it reads, a \u escape anywhere, a number where a string
// belongs, an object in a list, a duplicate key, a syntax error, a list over the item limit)
// makes it give up, and the element goes through json_row on nlohmann's DOM, whose conversions
// and messages are the reference. On what it accepts it reads exactly what json_row reads
// (CatalogueJson.FastPathReadsWhatTheDomPathReads compares the two on thousands of objects).
// Gotchas:
// - The text must be valid UTF-8 as a whole (checked once per load), as the DOM path requires.
// - Nesting is bounded by the load's max_json_depth as it skips (past it, the DOM path's scan
//   reports where).
class FastJsonRow {
 public:
  // The object starting at text[at] (whitespace first allowed), one level inside the top array.
  FastJsonRow(std::string_view text, size_t at, const LoadLimits& limits) : s_(text), limits_(limits), i_(at) {}

  // Just past the object's closing brace, after read() returned true.
  size_t end() const { return i_; }

  // Fills r and seen (as json_row would), or returns false with nothing to trust.
  bool read(ModelRecord& r, bool* seen) {
    // The containers it reads itself nest 4 deep (array, object, config, architectures); under a
    // tighter limit the DOM path says where.
    if (limits_.max_json_depth < 4) return false;
    r.id.clear();
    r.last_modified.clear();
    r.pipeline_tag.clear();
    r.author.clear();
    r.model_type.clear();
    r.library_name.clear();
    r.downloads = 0;
    size_t n_tags = 0, n_arch = 0, n_ds = 0;
    bool has_model_id = false, has_id = false, has_author = false, has_tags = false, has_config = false,
         has_card = false, has_downloads = false, has_pipeline = false, has_library = false, has_modified = false;
    bool arch_key = false, model_type_key = false, ds_key = false;
    std::string_view model_id, id;
    bool tags_missing = true, arch_missing = true, ds_missing = true;
    auto once = [](bool& flag) { return !std::exchange(flag, true); };
    ws();
    const bool ok = object_fields([&](std::string_view key) {
      if (key == "modelId") return once(has_model_id) && plain_string(model_id);
      if (key == "id") return once(has_id) && plain_string(id);
      if (key == "pipeline_tag") return once(has_pipeline) && string_or_null(r.pipeline_tag);
      if (key == "author") return once(has_author) && string_or_null(r.author);
      if (key == "library_name") return once(has_library) && string_or_null(r.library_name);
      if (key == "lastModified") return once(has_modified) && string_or_null(r.last_modified);
      if (key == "downloads") return once(has_downloads) && downloads(r.downloads);
      if (key == "tags") return once(has_tags) && string_list(r.tags, n_tags, tags_missing, false);
      if (key == "config")
        return once(has_config) && (null() || object_fields([&](std::string_view k) {
                 if (k == "architectures") return once(arch_key) && string_list(r.architectures, n_arch, arch_missing, false);
                 if (k == "model_type") return once(model_type_key) && string_or_null(r.model_type);
                 return skip(3);
               }));
      if (key == "cardData")
        return once(has_card) && (null() || object_fields([&](std::string_view k) {
                 if (k == "datasets") return once(ds_key) && string_list(r.datasets, n_ds, ds_missing, true);
                 return skip(3);
               }));
      return skip(2);
    });
    if (!ok) return false;
    // As json_row: modelId when present, else id; the author from the id when the key is absent.
    const std::string_view the_id = has_model_id ? model_id : id;
    if (the_id.empty()) return false;  // json_row's message
    r.id.assign(the_id);
    if (!has_author) {
      const size_t slash = the_id.find('/');
      if (slash != std::string_view::npos) r.author.assign(the_id.substr(0, slash));
    }
    r.tags.resize(n_tags);
    r.architectures.resize(n_arch);
    r.datasets.resize(n_ds);
    r.tags_missing = tags_missing;
    r.architectures_missing = arch_missing;
    r.datasets_missing = ds_missing;
    seen[kId] = true;
    seen[kPipeline] |= has_pipeline;
    seen[kAuthor] |= has_author;
    seen[kLibrary] |= has_library;
    seen[kLastModified] |= has_modified;
    seen[kDownloads] |= has_downloads && downloads_seen_;
    seen[kTags] |= has_tags;
    seen[kModelType] |= model_type_key;
    seen[kArch] |= arch_key;
    seen[kDatasets] |= ds_key;
    return true;
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool null() { return literal("null"); }
  // A string without any escape or control character; out views its text.
  bool plain_string(std::string_view& out) {
    if (!eat('"')) return false;
    const size_t b = i_;
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        out = s_.substr(b, i_ - b);
        ++i_;
        return true;
      }
      if (c == '\\' || c < 0x20) return false;
      ++i_;
    }
    return false;
  }
  bool string_or_null(std::string& out) {
    if (null()) return true;
    std::string_view v;
    if (!plain_string(v)) return false;
    out.assign(v);
    return true;
  }
  // A list of plain strings and nulls (dropped), or null (missing), or, when allow_string, one
  // plain string. Items go into out[0, n), reusing its strings.
  bool string_list(std::vector<std::string>& out, size_t& n, bool& missing, bool allow_string) {
    n = 0;
    missing = true;
    if (null()) return true;
    missing = false;
    auto put = [&](std::string_view v) {
      if (n == out.size()) out.emplace_back();
      out[n++].assign(v);
    };
    std::string_view v;
    if (allow_string && i_ < s_.size() && s_[i_] == '"') {
      if (!plain_string(v)) return false;
      put(v);
      return true;
    }
    if (!eat('[')) return false;
    ws();
    if (eat(']')) return true;
    size_t items = 0;
    while (true) {
      if (++items > limits_.list.max_items) return false;
      if (!null()) {
        if (!plain_string(v)) return false;
        put(v);
      }
      ws();
      if (eat(',')) {
        ws();
        continue;
      }
      return eat(']');
    }
  }
  // A non-negative integer below 10^18 (json_row's value), or null (not seen).
  bool downloads(int64_t& out) {
    downloads_seen_ = false;
    if (null()) return true;
    const size_t b = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    const size_t len = i_ - b;
    if (len == 0 || len > 18 || (len > 1 && s_[b] == '0')) return false;
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) return false;
    int64_t v = 0;
    for (size_t k = b; k < i_; ++k) v = v * 10 + (s_[k] - '0');
    out = v;
    downloads_seen_ = true;
    return true;
  }
  // The fields of an object, each handed to field(key) with the cursor on its value.
  template <class F>
  bool object_fields(F&& field) {
    if (!eat('{')) return false;
    ws();
    if (eat('}')) return true;
    while (true) {
      std::string_view key;
      if (!plain_string(key)) return false;
      ws();
      if (!eat(':')) return false;
      ws();
      if (!field(key)) return false;
      ws();
      if (eat(',')) {
        ws();
        continue;
      }
      return eat('}');
    }
  }
  // Any JSON value inside a container at nesting depth `depth` (the top array is 1), grammar
  // checked, not kept. Strings may hold escapes other than \u. Deeper than the load's limit:
  // false (the DOM path reports where).
  bool skip(size_t depth) {
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') {
      ++i_;
      while (i_ < s_.size()) {
        const auto ch = static_cast<unsigned char>(s_[i_]);
        if (ch == '"') {
          ++i_;
          return true;
        }
        if (ch < 0x20) return false;
        if (ch == '\\') {
          if (i_ + 1 >= s_.size()) return false;
          const char e = s_[i_ + 1];
          if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') return false;
          i_ += 2;
          continue;
        }
        ++i_;
      }
      return false;
    }
    if (c == '{' || c == '[') {
      if (depth + 1 > limits_.max_json_depth) return false;
      const char close = c == '{' ? '}' : ']';
      ++i_;
      ws();
      if (eat(close)) return true;
      while (true) {
        if (c == '{') {
          if (i_ >= s_.size() || s_[i_] != '"' || !skip(depth + 1)) return false;
          ws();
          if (!eat(':')) return false;
          ws();
        }
        if (!skip(depth + 1)) return false;
        ws();
        if (eat(',')) {
          ws();
          continue;
        }
        return eat(close);
      }
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    // A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    const size_t b = i_;
    eat('-');
    if (eat('0')) {
    } else if (i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      return false;
    }
    if (eat('.')) {
      const size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == d) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      const size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == d) return false;
    }
    return i_ > b;
  }

  std::string_view s_;
  const LoadLimits& limits_;
  size_t i_ = 0;
  bool downloads_seen_ = false;  // downloads held a number (not null)
};

struct JsonLoad::Impl {
  std::string_view text;
  Catalogue& c;
  const LoadLimits& limits;
  bool screened;  // size and NUL bytes already checked by the caller
  Builder b;
  JsonReader jr;
  bool seen[kNumCols] = {};
  bool started = false, finished = false, after_comma = false;
  bool fast = false;          // FastJsonRow may read elements (valid UTF-8 throughout)
  ModelRecord fast_record;    // its output, reused (strings keep their capacity)
  size_t pos = 0, index = 0;
  std::string error;

  Impl(std::string_view t, Catalogue& cat, const LoadLimits& l, bool s)
      : text(t), c(cat), limits(l), screened(s), b(cat), jr{l, {}} {}

  bool finish(std::string e) {
    error = std::move(e);
    finished = true;
    return true;
  }
  bool too_deep(size_t at) {
    return finish("JSON byte " + std::to_string(at + 1) + ": nested deeper than " +
                  std::to_string(limits.max_json_depth) + " levels (limit max_json_depth)");
  }
  void skip_ws() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' || text[pos] == '\n')) ++pos;
  }

  bool begin() {
    started = true;
    if (!screened) {
      if (text.size() > limits.max_file_bytes) return finish(file_size_error(text.size(), limits.max_file_bytes));
      // As for CSV (and before nlohmann, which takes a NUL for the end of its input).
      if (size_t at = text.find('\0'); at != std::string_view::npos)
        return finish(line_column(text, at) + ": NUL byte (binary data is not a catalogue)");
    }
    c.report.format = "json";
    fast = limits.json_fast_path && utf8_valid(text);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
    skip_ws();
    if (pos < text.size() && text[pos] == '[') {
      if (limits.max_json_depth < 1) return too_deep(pos);
      ++pos;
      return false;  // each element's depth is checked as it is scanned
    }
    // Not an array: parse it whole only to say what it is instead, its depth checked first so a
    // hostile file cannot exhaust the stack.
    if (size_t deep = kNoStop; json_walk(text, 0, 0, kNoStop, limits.max_json_depth, deep), deep != kNoStop)
      return too_deep(deep);
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) return finish(json_syntax_error(text));
    return finish(std::string("JSON: expected an array of model objects (the Hub's list-models response), found ") +
                  doc.type_name());
  }

  bool step(size_t budget) {
    if (finished) return true;
    if (!started && begin()) return true;
    for (size_t done_here = 0; done_here < budget; ++done_here) {
      skip_ws();
      if (pos >= text.size()) return finish(json_syntax_error(text));
      if (text[pos] == ']') {
        ++pos;
        skip_ws();
        if (pos != text.size() || after_comma) return finish(json_syntax_error(text));
        if (index == 0) return finish("JSON: the array holds no models");
        for (int k = 0; k < kNumCols; ++k)
          if (seen[k]) c.report.columns.push_back(kColNames[k]);
        b.finish();
        finished = true;
        return true;
      }
      if (index >= limits.max_rows)
        return finish("JSON: more than " + std::to_string(limits.max_rows) + " models (limit max_rows)");
      // A plain model object is read in one pass by the fast path, which ends on its '}'.
      const size_t start = pos;
      if (FastJsonRow f(text, start, limits); fast && f.read(fast_record, seen)) {
        pos = f.end();
        skip_ws();
        if (pos >= text.size() || (text[pos] != ',' && text[pos] != ']')) return finish(json_syntax_error(text));
        b.add(fast_record, nullptr);
      } else {
        // Otherwise the element's extent (up to the ',' or ']' of the top array, its nesting
        // checked on the way), then the DOM.
        size_t deep = kNoStop;
        pos = json_walk(text, pos, 1, 1, limits.max_json_depth, deep);
        if (deep != kNoStop) return too_deep(deep);
        if (pos >= text.size() || pos == start) return finish(json_syntax_error(text));
        const std::string_view elem = text.substr(start, pos - start);
        json o = json::parse(elem.begin(), elem.end(), nullptr, false);
        if (o.is_discarded()) return finish(json_syntax_error(text));
        if (std::string e = json_row(o, index, b, jr, seen); !e.empty()) return finish(std::move(e));
      }
      ++index;
      after_comma = text[pos] == ',';
      if (after_comma) ++pos;
    }
    return false;
  }
};

JsonLoad::JsonLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits, bool screened)
    : impl_(std::make_unique<Impl>(text, cat, limits, screened)) {}
JsonLoad::~JsonLoad() = default;
bool JsonLoad::step(size_t budget) { return impl_->step(budget); }
const std::string& JsonLoad::error() const { return impl_->error; }
double JsonLoad::progress() const {
  return impl_->text.empty() ? 0.0 : static_cast<double>(impl_->pos) / static_cast<double>(impl_->text.size());
}

Result<Catalogue> load_hub_json_unsanitized(std::string_view text, std::string name, const LoadLimits& limits) {
  Catalogue c;
  c.name = std::move(name);
  JsonLoad load(text, c, limits, /*screened=*/false);
  while (!load.step(std::numeric_limits<size_t>::max())) {
  }
  if (!load.error().empty()) return Error{load.error()};
  return c;
}

}  // namespace

Result<Catalogue> load_hub_json(std::string_view text, std::string name, const LoadLimits& limits) {
  auto r = load_hub_json_unsanitized(text, std::move(name), limits);
  if (!r.ok()) return Error{valid_utf8(r.error())};
  return r;
}

Result<Catalogue> load_catalogue(std::string_view text, std::string name, const LoadLimits& limits) {
  LoadState s;
  s.text = text;
  s.limits = limits;
  s.cat.name = std::move(name);
  return run_to_end<Result<Catalogue>>(s);
}

Result<Catalogue> load_catalogue_file(const std::string& path, const LoadLimits& limits) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a directory, not a catalogue file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open the file"};
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  if (!in || end < 0) return Error{path + ": cannot read the file (is it a directory?)"};
  const auto size = static_cast<size_t>(end);
  // Checked before the buffer is allocated.
  if (size > limits.max_file_bytes) return Error{path + ": " + file_size_error(size, limits.max_file_bytes)};
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<size_t>(in.gcount()) != size) return Error{path + ": cannot read the file (read failed)"};
  std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  LoadState s;
  s.text = text;
  s.limits = limits;
  s.cat.name = name;
  auto r = run_to_end<Result<Catalogue>>(s);
  if (!r.ok()) return Error{valid_utf8(name) + ": " + r.error()};
  return r;
}

}  // namespace hfrec
