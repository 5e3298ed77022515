// Catalogue: the models of one Hub dump, by column; loading sniffs the format, screens the bytes
// (size, binary data, NUL bytes) and hands the text to the CSV or Hub JSON reader, in slices.
#include "catalogue.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "catalogue_csv.h"
#include "catalogue_internal.h"
#include "hub_json.h"
#include "text.h"

namespace hfrec {

namespace detail {

std::string strip_brackets(std::string_view raw) {
  size_t b = 0, e = raw.size();
  while (b < e && (raw[b] == '[' || raw[b] == ']')) ++b;
  while (e > b && (raw[e - 1] == '[' || raw[e - 1] == ']')) --e;
  return std::string(raw.substr(b, e - b));
}

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

std::string file_size_error(size_t size, size_t limit) {
  return "file is " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(limit) +
         " (max_file_bytes)";
}

}  // namespace detail

using namespace detail;

namespace {

std::string describe_binary(std::string_view text) {
  if (text.size() >= 8 && text.substr(0, 8) == "\x89PNG\r\n\x1a\n") return "a PNG image";
  if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
    return "UTF-16 text";
  if (text.size() >= 4 && text.substr(0, 4) == "PK\x03\x04") return "a ZIP archive";
  if (text.size() >= 2 && text[0] == '\x1f' && text[1] == '\x8b') return "gzip-compressed data";
  if (text.size() >= 4 && text.substr(0, 4) == "%PDF") return "a PDF document";
  // UTF-16 without a byte-order mark: ASCII characters alternate with NUL bytes.
  if (text.size() >= 4 &&
      ((text[0] && !text[1] && text[2] && !text[3]) || (!text[0] && text[1] && !text[2] && text[3])))
    return "UTF-16 text";
  return "";
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
  RowBuilder b(c);
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
  bool no_base = true;
  list(c.base_models, r.base_models, no_base);
  return r;
}

namespace {

// The state of one load, driven in slices by CatalogueLoader or to the end by the one-shot loaders.
// Checks run cheapest-first and before any allocation that grows with the input.
struct LoadState {
  std::string_view text;  // not owned
  LoadLimits limits;
  bool csv_only = false;  // load_csv: never sniff JSON
  Catalogue cat;
  bool started = false;
  bool done = false;
  std::string error;
  std::unique_ptr<CsvCatalogueLoad> csv;  // set when the text is CSV
  std::unique_ptr<HubJsonLoad> json;      // set when the text is Hub JSON

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
    const bool finished = json ? json->step(budget) : csv->step(budget);
    if (!finished) return false;
    const std::string& e = json ? json->error() : csv->error();
    if (!e.empty()) return fail(e);
    done = true;
    return true;
  }

  Result<Catalogue> take() {
    if (!done) return Error{"the load has not finished"};
    if (!error.empty()) return Error{error};
    return std::move(cat);
  }

  double progress() const {
    if (done) return 1.0;
    if (json) return json->progress();
    return csv ? csv->progress() : 0.0;
  }

  // Screens the text and picks the reader; true when the load is over (an error).
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
    if (!csv_only && (text[p] == '[' || text[p] == '{'))
      json = std::make_unique<HubJsonLoad>(text, cat, limits, /*screened=*/true);
    else csv = std::make_unique<CsvCatalogueLoad>(text, cat, limits);
    return false;
  }
};

template <class T>
T run_to_end(LoadState& s) {
  while (!s.step(std::numeric_limits<size_t>::max())) {}
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
  std::string text;
  if (!in || end < 0) {
    // Not seekable: a pipe (/dev/stdin, <(...)). Read as it comes, stopping past the limit.
    in.clear();
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<size_t>(in.gcount()));
      if (text.size() > limits.max_file_bytes)
        return Error{path + ": " + file_size_error(text.size(), limits.max_file_bytes) + " (read from a pipe)"};
    }
    if (in.bad()) return Error{path + ": cannot read the file (read failed)"};
  } else {
    const auto size = static_cast<size_t>(end);
    // Checked before the buffer is allocated.
    if (size > limits.max_file_bytes) return Error{path + ": " + file_size_error(size, limits.max_file_bytes)};
    in.seekg(0);
    text.assign(size, '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<size_t>(in.gcount()) != size) return Error{path + ": cannot read the file (read failed)"};
  }
  std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  LoadState s;
  s.text = text;
  s.limits = limits;
  s.cat.name = name;
  auto r = run_to_end<Result<Catalogue>>(s);
  if (!r.ok()) return Error{valid_utf8(name) + ": " + r.error()};
  return r;
}

CodePointSet catalogue_code_points(const Catalogue& c) {
  CodePointSet out;
  out.add_text(c.name);
  for (uint32_t i = 0; i < c.pool.size(); ++i) out.add_text(c.pool.str(i));
  for (uint32_t i = 0; i < c.ids.size(); ++i) out.add_text(c.ids.str(i));
  // Lowercased forms too: soup terms and cluster names are lowercased catalogue text.
  for (char32_t cp : out.list()) out.add(to_lower(cp));
  return out;
}

}  // namespace hfrec
