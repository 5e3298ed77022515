// Hub JSON: the Hub's list-models array read into a catalogue one model object at a time, by a
// strict one-pass scanner for plain objects and nlohmann's DOM for the rest (hub_json.h).
//
// Index of this file:
// [SECTION] The DOM path: JsonReader (typed fields with JSON-path errors) and json_row
// [SECTION] Scanning: json_walk (element extent and depth) and json_syntax_error (SAX messages)
// [SECTION] The fast path: FastJsonRow
// [SECTION] HubJsonLoad: the element loop, in slices
// [SECTION] load_hub_json
#include "hub_json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <utility>

#include "catalogue_internal.h"
#include "text.h"

namespace hfrec {

using namespace detail;

namespace {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] The DOM path: JsonReader (typed fields with JSON-path errors) and json_row
//-----------------------------------------------------------------------------

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

// One model object of the array (element i) into the catalogue; the error, or "".
std::string json_row(const json& o, size_t i, RowBuilder& b, JsonReader& jr, bool* seen) {
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
    if (it->is_number_unsigned())
      r.downloads = static_cast<int64_t>(it->get<uint64_t>() > INT64_MAX ? INT64_MAX : it->get<uint64_t>());
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

//-----------------------------------------------------------------------------
// [SECTION] Scanning: json_walk (element extent and depth) and json_syntax_error (SAX messages)
//-----------------------------------------------------------------------------

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

// The first syntax error of a JSON text, as nlohmann's SAX parser reports it; *at (if given) gets
// the byte it names (1-based: where the bad token ends), or text.size() + 1 when there is none. The SAX parser keeps
// its nesting on the heap, so any depth is safe here.
std::string json_syntax_error(std::string_view text, size_t* at = nullptr) {
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
    size_t pos = 0;
    bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& ex) override {
      pos = byte;
      std::string w = ex.what();
      auto p = w.find("parse error");
      msg = "JSON byte " + std::to_string(byte) + ": " + (p == std::string::npos ? w : w.substr(p));
      return false;
    }
  } sax;
  json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
  if (at) *at = sax.msg.empty() ? text.size() + 1 : sax.pos;
  return sax.msg.empty() ? std::string("not valid JSON") : sax.msg;
}

//-----------------------------------------------------------------------------
// [SECTION] The fast path: FastJsonRow
//-----------------------------------------------------------------------------

// The fast path for one model object: a strict scanner that reads the fields hfrec uses straight
// into a record, for the shape the Hub writes (strings without escapes where hfrec reads them,
// arrays of plain strings, integer downloads), and checks the grammar of everything it skips.
// Anything else (an escape in a value it reads, a \u escape anywhere, a number where a string
// belongs, an object in a list, a duplicate key, a syntax error, a list over the item limit)
// makes it give up, and the element goes through json_row on nlohmann's DOM, whose conversions
// and messages are the reference. On what it accepts it reads exactly what json_row reads
// (HubJson.FastPathReadsWhatTheDomPathReads compares the two on thousands of objects).
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
                                      if (k == "architectures")
                                        return once(arch_key) &&
                                               string_list(r.architectures, n_arch, arch_missing, false);
                                      if (k == "model_type")
                                        return once(model_type_key) && string_or_null(r.model_type);
                                      return skip(3);
                                    }));
      if (key == "cardData")
        return once(has_card) && (null() || object_fields([&](std::string_view k) {
                                    if (k == "datasets")
                                      return once(ds_key) && string_list(r.datasets, n_ds, ds_missing, true);
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
          if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
            return false;
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

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] HubJsonLoad: the element loop, in slices
//-----------------------------------------------------------------------------

struct HubJsonLoad::Impl {
  std::string_view text;
  Catalogue& c;
  const LoadLimits& limits;
  bool screened;  // size and NUL bytes already checked by the caller
  RowBuilder b;
  JsonReader jr;
  bool seen[kNumCols] = {};
  bool started = false, finished = false, after_comma = false;
  bool fast = false;        // FastJsonRow may read elements (valid UTF-8 throughout)
  ModelRecord fast_record;  // its output, reused (strings keep their capacity)
  size_t pos = 0, index = 0;
  std::string error;

  Impl(std::string_view t, Catalogue& cat, const LoadLimits& l, bool s)
      : text(t), c(cat), limits(l), screened(s), b(cat), jr{l, {}} {}

  bool finish(std::string e) {
    error = std::move(e);
    finished = true;
    return true;
  }
  // Nesting past the limit at text[at], unless a syntax error comes before it: the first problem
  // in the text is the one named, whichever path (fast or DOM) met it.
  bool too_deep(size_t at) {
    size_t syntax_at = 0;
    std::string syntax = json_syntax_error(text.substr(0, at + 1), &syntax_at);
    if (syntax_at <= at) return finish(std::move(syntax));
    return finish("JSON byte " + std::to_string(at + 1) + ": nested deeper than " +
                  std::to_string(limits.max_json_depth) + " levels (limit max_json_depth)");
  }
  void skip_ws() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' || text[pos] == '\n'))
      ++pos;
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

HubJsonLoad::HubJsonLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits, bool screened)
    : impl_(std::make_unique<Impl>(text, cat, limits, screened)) {}
HubJsonLoad::~HubJsonLoad() = default;
bool HubJsonLoad::step(size_t budget) { return impl_->step(budget); }
const std::string& HubJsonLoad::error() const { return impl_->error; }
double HubJsonLoad::progress() const {
  return impl_->text.empty() ? 0.0 : static_cast<double>(impl_->pos) / static_cast<double>(impl_->text.size());
}

//-----------------------------------------------------------------------------
// [SECTION] load_hub_json
//-----------------------------------------------------------------------------

Result<Catalogue> load_hub_json(std::string_view text, std::string name, const LoadLimits& limits) {
  Catalogue c;
  c.name = std::move(name);
  HubJsonLoad load(text, c, limits, /*screened=*/false);
  while (!load.step(std::numeric_limits<size_t>::max())) {}
  if (!load.error().empty()) return Error{valid_utf8(load.error())};
  return c;
}

}  // namespace hfrec
