// Catalogue: the models of one Hub dump, by column; loading sniffs the format, screens the bytes
// (size, binary data, NUL bytes) and hands the text to the CSV or Hub JSON reader, in slices.
#include "catalogue.h"

#include <algorithm>
#include <cstring>
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

std::string invalid_utf8_error(const std::string& where, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return where + ": invalid UTF-8 (byte 0x" + kHex[byte >> 4] + kHex[byte & 15] + "); save the file as UTF-8";
}

std::string read_error(uint64_t at) {
  return "could not read the file at byte " + std::to_string(at) + " (it changed or went away while it was loading)";
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

// --- TimestampColumn ---------------------------------------------------------------------------

namespace {

// The Hub's form, a '9' for each digit: any text of this shape is kept as its digits.
constexpr std::string_view kStampShape = "9999-99-99T99:99:99.999Z";

}  // namespace

void TimestampColumn::push_back(std::string_view text) {
  int64_t digits = 0;
  bool stamp = text.size() == kStampShape.size();
  for (size_t i = 0; stamp && i < text.size(); ++i) {
    if (kStampShape[i] != '9') stamp = text[i] == kStampShape[i];
    else if ((stamp = text[i] >= '0' && text[i] <= '9')) digits = digits * 10 + (text[i] - '0');
  }
  if (stamp) {
    rows_.push_back(digits);
    return;
  }
  rows_.push_back(~static_cast<int64_t>(ends_.size()));
  chars_.append(text);
  ends_.push_back(static_cast<uint32_t>(chars_.size()));
}

std::string TimestampColumn::operator[](uint32_t row) const {
  const int64_t v = rows_[row];
  if (v < 0) {
    const auto k = static_cast<size_t>(~v);
    const uint32_t b = k ? ends_[k - 1] : 0;
    return chars_.substr(b, ends_[k] - b);
  }
  std::string text(kStampShape);
  uint64_t digits = static_cast<uint64_t>(v);
  for (size_t i = text.size(); i-- > 0;)
    if (kStampShape[i] == '9') {
      text[i] = static_cast<char>('0' + digits % 10);
      digits /= 10;
    }
  return text;
}

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

  // Streaming (CatalogueLoader's second form): the file is read through `source`, never whole
  // unless it is JSON. Before the CSV reader starts, one pass screens it as start() screens a
  // whole text, in the same order, so the first error is the one the whole text would give.
  ByteSource source;  // empty: `text` is the whole file
  uint64_t size = 0;
  size_t window_bytes = 0;
  std::string owned;  // a streamed JSON file, read whole
  struct Screen {
    bool running = false;
    uint64_t done = 0;  // bytes screened
    size_t bom = 0;     // 3 when the file starts with one
    std::string buf;    // the UTF-8 carry (an unfinished sequence) followed by the next window
    size_t carry = 0;   // bytes of it carried over
    uint64_t bad_utf8 = std::numeric_limits<uint64_t>::max();  // first invalid byte's offset
  } screen;

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
      if (source ? start_stream() : start()) return true;
    }
    if (screen.running) return screen_step();
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
    if (json) return progress_base + (1 - progress_base) * json->progress();
    // Streamed CSV: the screening pass is about a tenth of the work.
    if (csv) return source ? 0.1 + 0.9 * csv->progress() : csv->progress();
    return source && size > 0 ? 0.1 * static_cast<double>(screen.done) / static_cast<double>(size) : 0.0;
  }

  // Reads bytes [at, at + n) of a streamed file into `to`; false (the load failed) when it cannot.
  bool read(uint64_t at, char* to, size_t n) {
    if (source(at, to, n) == n) return true;
    fail(read_error(at));
    return false;
  }

  // start() for a streamed file: the size, then the first bytes. True when the load is over.
  bool start_stream() {
    if (size > limits.max_file_bytes) return fail(file_size_error(size, limits.max_file_bytes));
    char head[8];
    const size_t h = static_cast<size_t>(std::min<uint64_t>(size, sizeof head));
    if (!read(0, head, h)) return true;
    std::string bin = describe_binary(std::string_view(head, h));
    if (!bin.empty())
      return fail("this is " + bin + ", not a CSV or JSON catalogue" +
                  (bin == "UTF-16 text" ? " (save it as UTF-8)" : ""));
    screen.bom = std::string_view(head, h).substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    screen.running = true;
    return false;
  }

  // One window of the screening pass: NUL bytes (the first ends the load), the first non-blank byte
  // (JSON is then read whole and loaded as text) and invalid UTF-8 (CSV only, reported once no NUL
  // byte turns up). True when the load is over.
  bool screen_step() {
    Screen& sc = screen;
    if (sc.done < size) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(window_bytes, size - sc.done));
      sc.buf.resize(sc.carry + n);
      if (!read(sc.done, sc.buf.data() + sc.carry, n)) return true;
      const std::string_view w(sc.buf.data() + sc.carry, n);
      if (size_t at = w.find('\0'); at != std::string_view::npos)
        return fail(line_column_at(sc.done + at) + ": NUL byte (binary data is not a catalogue)");
      const uint64_t start = sc.done;
      sc.done += n;
      if (!csv_decided) {
        const size_t from = start < sc.bom ? static_cast<size_t>(sc.bom - start) : 0;
        const size_t p = from < n ? w.find_first_not_of(" \t\r\n", from) : std::string_view::npos;
        if (p != std::string_view::npos) {
          if (w[p] == '[' || w[p] == '{') return load_whole();
          csv_decided = true;
        }
      }
      if (sc.bad_utf8 == std::numeric_limits<uint64_t>::max()) {
        // Up to the last sequence that may continue in the next window (its lead byte among the
        // last four), which is carried over.
        const std::string_view v(sc.buf.data(), sc.carry + n);
        size_t cut = v.size();
        if (sc.done < size)
          for (size_t back = 1; back <= 4 && back <= v.size(); ++back) {
            const auto c = static_cast<unsigned char>(v[v.size() - back]);
            if ((c & 0xC0) != 0x80) {
              if (c & 0x80) cut = v.size() - back;
              break;
            }
          }
        size_t bad = 0;
        if (!utf8_valid(v.substr(0, cut), &bad)) sc.bad_utf8 = start - sc.carry + bad;
        sc.carry = v.size() - cut;
        std::memmove(sc.buf.data(), sc.buf.data() + cut, sc.carry);
      } else {
        sc.carry = 0;
      }
      if (sc.done < size) return false;
    }
    // Screened whole, no NUL byte.
    sc.running = false;
    std::string().swap(sc.buf);
    if (!csv_decided) return fail(kEmptyFileError);
    if (sc.bad_utf8 != std::numeric_limits<uint64_t>::max()) {
      char b = 0;
      if (!read(sc.bad_utf8, &b, 1)) return true;
      return fail(invalid_utf8_error(line_column_at(sc.bad_utf8), static_cast<unsigned char>(b)));
    }
    csv = std::make_unique<CsvCatalogueLoad>(source, size, window_bytes, cat, limits);
    return false;
  }
  bool csv_decided = false;  // the first non-blank byte seen, and it is not JSON's
  double progress_base = 0;  // a streamed JSON file: the progress when it was found to be JSON

  // A streamed JSON file: read whole, then loaded as a text is. True when the load is over.
  bool load_whole() {
    progress_base = progress();
    screen.running = false;
    std::string().swap(screen.buf);
    owned.resize(static_cast<size_t>(size));
    if (!read(0, owned.data(), owned.size())) return true;
    text = owned;
    return start();
  }

  // line_column() of a streamed file's byte, read again up to it (only for an error).
  std::string line_column_at(uint64_t at) {
    uint64_t line = 1, nl = std::numeric_limits<uint64_t>::max();  // the last line feed before `at`
    std::string w(std::min<uint64_t>(window_bytes, at), '\0');
    for (uint64_t p = 0; p < at;) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(w.size(), at - p));
      if (source(p, w.data(), n) != n) break;
      for (size_t i = 0; i < n; ++i)
        if (w[i] == '\n') {
          ++line;
          nl = p + i;
        }
      p += n;
    }
    const uint64_t col = nl == std::numeric_limits<uint64_t>::max() ? at + 1 : at - nl;
    return "line " + std::to_string(line) + ", column " + std::to_string(col);
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
    if (p == std::string_view::npos) return fail(kEmptyFileError);
    if (!csv_only && (text[p] == '[' || text[p] == '{'))
      json = std::make_unique<HubJsonLoad>(text, cat, limits, /*screened=*/true);
    else csv = std::make_unique<CsvCatalogueLoad>(text, cat, limits);
    return false;
  }
};

template <class T>
T load_to_end(LoadState& s) {
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
CatalogueLoader::CatalogueLoader(ByteSource source, uint64_t size, std::string name, LoadLimits limits,
                                 size_t window_bytes)
    : impl_(std::make_unique<Impl>()) {
  LoadState& s = impl_->state;
  s.source = std::move(source);
  s.size = size;
  s.window_bytes = std::max<size_t>(window_bytes, 1);
  s.limits = limits;
  s.cat.name = std::move(name);
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
  return load_to_end<Result<Catalogue>>(s);
}

Result<Catalogue> load_catalogue(std::string_view text, std::string name, const LoadLimits& limits) {
  LoadState s;
  s.text = text;
  s.limits = limits;
  s.cat.name = std::move(name);
  return load_to_end<Result<Catalogue>>(s);
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
  auto r = load_to_end<Result<Catalogue>>(s);
  if (!r.ok()) return Error{valid_utf8(name) + ": " + r.error()};
  return r;
}

void Catalogue::reserve(size_t rows) {
  const size_t now = size();
  if (rows <= now || now == 0) return;
  const auto scaled = [&](size_t n) { return n + n / now * (rows - now) + (n % now) * (rows - now) / now; };
  // Not the ids' hash table: sized for a million rows up front, its 16 MB of fresh slots were
  // zeroed in one ~45 ms step of the load; grown, each move is spread over the rows that follow
  // (TableMove), and the parse took as long (1M rows natively, four runs each).
  downloads.reserve(rows);
  last_modified.reserve(rows, scaled(last_modified.chars()));
  for (auto* v : {&pipeline_tag, &author, &model_type, &library_name, &architectures_category}) v->reserve(rows);
  for (ListColumn* l : {&tags, &architectures, &datasets, &base_models}) {
    l->offsets.reserve(rows + 1);
    l->missing.reserve(rows);
    l->items.reserve(scaled(l->items.size()));
  }
}

}  // namespace hfrec
