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

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

#include "catalogue_internal.h"
#include "simd.h"
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

// cardData.base_model (the model card's base model: a string or a list of strings) into out: its
// first max_items non-empty strings. Anything else (a number, an object, null) names no model and is
// ignored, as are items that are not strings: a card's odd value never fails a load.
void base_models(const json& v, size_t max_items, std::vector<std::string>& out) {
  if (v.is_string() && !v.get_ref<const std::string&>().empty()) out.push_back(v.get<std::string>());
  if (!v.is_array()) return;
  for (const auto& item : v)
    if (item.is_string() && !item.get_ref<const std::string&>().empty() && out.size() < max_items)
      out.push_back(item.get<std::string>());
}

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
  const json *ds = nullptr, *bm = nullptr;
  if (auto card = o.find("cardData"); card != o.end() && !card->is_null()) {
    if (!card->is_object()) return Error{path + ".cardData: expected an object, found " + type_name(*card)};
    if (auto d = card->find("datasets"); d != card->end()) ds = &*d;
    if (auto m = card->find("base_model"); m != card->end()) bm = &*m;
  }
  seen[kDatasets] |= ds != nullptr;
  if (!jr.list(ds, path + ".cardData.datasets", r.datasets, r.datasets_missing, true)) return Error{jr.error};
  if (bm) base_models(*bm, jr.limits.list.max_items, r.base_models);
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

// The fast path for one model object: a strict one-pass scanner that reads the fields hfrec uses
// straight into a record (strings decoded as nlohmann decodes them: every escape, \uXXXX and
// surrogate pairs; arrays of strings; integer downloads) and checks the grammar of everything it
// skips (nested objects, arrays of objects, strings with any escape, numbers, literals: the whole
// of a real list-models object, siblings, safetensors, model-index, chat templates). Anything
// else (a number where a string belongs, an object in a list, a duplicate key it reads, an
// invalid escape or lone surrogate, a syntax error, a list over the item limit) makes it give up,
// and the element goes through json_row on nlohmann's DOM, whose conversions and messages (the
// error named and its byte) are the reference. On what it accepts it reads exactly what json_row
// reads (HubJson.FastPathReadsWhatTheDomPathReads compares the two on thousands of objects).
// Gotchas:
// - The text must be valid UTF-8 as a whole (checked once per load), as the DOM path requires.
// - Nesting is bounded by the load's max_json_depth as it skips (past it, the DOM path's scan
//   reports where).
class FastJsonRow {
 public:
  // Reads objects of this text, one level inside the top array; reused across them (its buffers
  // keep their capacity).
  FastJsonRow(std::string_view text, const LoadLimits& limits) : s_(text), limits_(limits) {}

  // Just past the object's closing brace, after read() returned true.
  size_t end() const { return i_; }

  // The object starting at text[at] (whitespace first allowed): fills r and seen (as json_row
  // would), or returns false with nothing to trust.
  bool read(size_t at, ModelRecord& r, bool* seen) {
    i_ = at;
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
    model_id_.clear();
    id_.clear();
    size_t n_tags = 0, n_arch = 0, n_ds = 0, n_bm = 0;
    bool has_model_id = false, has_id = false, has_author = false, has_tags = false, has_config = false,
         has_card = false, has_downloads = false, has_pipeline = false, has_library = false, has_modified = false;
    bool arch_key = false, model_type_key = false, ds_key = false, bm_key = false;
    bool tags_missing = true, arch_missing = true, ds_missing = true;
    auto once = [](bool& flag) { return !std::exchange(flag, true); };
    ws();
    const bool ok = object_fields([&](std::string_view key) {
      if (key == "modelId") return once(has_model_id) && string(&model_id_);
      if (key == "id") return once(has_id) && string(&id_);
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
                                    if (k == "base_model") return once(bm_key) && base_models(r.base_models, n_bm);
                                    return skip(3);
                                  }));
      return skip(2);
    });
    if (!ok) return false;
    // As json_row: modelId when present, else id; the author from the id when the key is absent.
    const std::string_view the_id = has_model_id ? std::string_view(model_id_) : std::string_view(id_);
    if (the_id.empty()) return false;  // json_row's message
    r.id.assign(the_id);
    if (!has_author) {
      const size_t slash = the_id.find('/');
      if (slash != std::string_view::npos) r.author.assign(the_id.substr(0, slash));
    }
    r.tags.resize(n_tags);
    r.architectures.resize(n_arch);
    r.datasets.resize(n_ds);
    r.base_models.resize(n_bm);
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
  // Moves i_ to the first '"', '\\' or control byte from i_ (or to the end): a string's plain run.
  void string_run() {
#if HFREC_SIMD128
    const simd::Bytes quote = simd::splat('"'), backslash = simd::splat('\\');
    const simd::Bytes top3 = simd::splat(static_cast<char>(0xE0)), zero = simd::splat(0);
    while (i_ + 16 <= s_.size()) {
      const simd::Bytes v = simd::load(s_.data() + i_);
      // (v & 0xE0) == 0: a byte below 0x20.
      const uint32_t m = simd::high_bits(
          simd::either(simd::either(simd::eq(v, quote), simd::eq(v, backslash)), simd::eq(simd::both(v, top3), zero)));
      if (m) {
        i_ += static_cast<size_t>(std::countr_zero(m));
        return;
      }
      i_ += 16;
    }
#endif
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"' || c == '\\' || c < 0x20) return;
      ++i_;
    }
  }
  // A JSON string at i_: escapes checked as nlohmann's lexer checks them (one of \" \\ \/ \b \f \n
  // \r \t, or \u with four hex digits, a surrogate only in a high-low pair) and, when out is given,
  // decoded into it as nlohmann decodes them (\u0000 included). A control byte fails.
  bool string(std::string* out) {
    if (!eat('"')) return false;
    if (out) out->clear();
    for (size_t b = i_;; b = i_) {
      string_run();
      if (i_ >= s_.size()) return false;
      if (out) out->append(s_.data() + b, i_ - b);
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\' || !escape(out)) return false;
    }
  }
  // The escape after a backslash (i_ just past it).
  bool escape(std::string* out) {
    if (i_ >= s_.size()) return false;
    char d = 0;
    switch (s_[i_++]) {
      case '"': d = '"'; break;
      case '\\': d = '\\'; break;
      case '/': d = '/'; break;
      case 'b': d = '\b'; break;
      case 'f': d = '\f'; break;
      case 'n': d = '\n'; break;
      case 'r': d = '\r'; break;
      case 't': d = '\t'; break;
      case 'u': return unicode(out);
      default: return false;
    }
    if (out) out->push_back(d);
    return true;
  }
  // Four hex digits at i_ (either case) as a number, or -1.
  int32_t hex4() {
    if (i_ + 4 > s_.size()) return -1;
    int32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char h = s_[i_ + k];
      const int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    i_ += 4;
    return v;
  }
  // \uXXXX (i_ just past the 'u'): a code point, or a high surrogate followed by \u and a low one.
  bool unicode(std::string* out) {
    int32_t cp = hex4();
    if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (!literal("\\u")) return false;
      const int32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out) utf8_append(*out, static_cast<char32_t>(cp));
    return true;
  }
  // An object key: a view of the text when it has no escape, else of its decoded copy in key_
  // (valid until the next escaped key).
  bool read_key(std::string_view& out) {
    const size_t b = i_ + 1;
    if (!eat('"')) return false;
    string_run();
    if (i_ < s_.size() && s_[i_] == '"') {
      out = s_.substr(b, i_ - b);
      ++i_;
      return true;
    }
    i_ = b - 1;
    if (!string(&key_)) return false;
    out = key_;
    return true;
  }
  bool string_or_null(std::string& out) { return null() || string(&out); }
  // A list of strings and nulls (dropped), or null (missing), or, when allow_string, one string.
  // Items go into out[0, n), reusing its strings.
  bool string_list(std::vector<std::string>& out, size_t& n, bool& missing, bool allow_string) {
    n = 0;
    missing = true;
    if (null()) return true;
    missing = false;
    auto put = [&] {
      if (n == out.size()) out.emplace_back();
      return string(&out[n++]);
    };
    if (allow_string && i_ < s_.size() && s_[i_] == '"') return put();
    if (!eat('[')) return false;
    ws();
    if (eat(']')) return true;
    size_t items = 0;
    while (true) {
      if (++items > limits_.list.max_items) return false;
      if (!null() && !put()) return false;
      ws();
      if (eat(',')) {
        ws();
        continue;
      }
      return eat(']');
    }
  }
  // cardData.base_model as json_row's base_models reads it: a string or the strings of a list (the
  // first max_items non-empty ones) into out[0, n); any other value is skipped.
  bool base_models(std::vector<std::string>& out, size_t& n) {
    n = 0;
    auto item = [&] {
      if (n == out.size()) out.emplace_back();
      if (!string(&out[n])) return false;
      if (!out[n].empty() && n < limits_.list.max_items) ++n;
      return true;
    };
    if (i_ < s_.size() && s_[i_] == '"') return item();
    if (i_ >= s_.size() || s_[i_] != '[') return skip(3);
    if (4 > limits_.max_json_depth) return false;  // as skip(3) of an array
    ++i_;
    ws();
    if (eat(']')) return true;
    while (true) {
      if (i_ < s_.size() && s_[i_] == '"' ? !item() : !skip(4)) return false;
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
      if (!read_key(key)) return false;
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
  // checked (strings' escapes included), not kept. Deeper than the load's limit: false (the DOM
  // path reports where).
  bool skip(size_t depth) {
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '"') return string(nullptr);
    if (c == '{' || c == '[') {
      if (depth + 1 > limits_.max_json_depth) return false;
      const char close = c == '{' ? '}' : ']';
      ++i_;
      ws();
      if (eat(close)) return true;
      while (true) {
        if (c == '{') {
          if (i_ >= s_.size() || s_[i_] != '"' || !string(nullptr)) return false;
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
    // One that could be past a double's range gives up (nlohmann reports an overflow there, as
    // "out_of_range.406"): over 250 digits before the exponent, or an exponent past ±250.
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
    if (i_ - b > 250) return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      const size_t d = i_;
      int exponent = 0;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
        exponent = std::min(1000, exponent * 10 + (s_[i_++] - '0'));
      if (i_ == d || exponent > 250) return false;
    }
    return i_ > b;
  }

  std::string_view s_;
  const LoadLimits& limits_;
  size_t i_ = 0;
  bool downloads_seen_ = false;  // downloads held a number (not null)
  std::string model_id_, id_;    // the ids read (decoded)
  std::string key_;              // the last escaped key, decoded
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
  FastJsonRow fast_row;
  size_t pos = 0, index = 0, dom_elements = 0;
  std::string error;

  Impl(std::string_view t, Catalogue& cat, const LoadLimits& l, bool s)
      : text(t), c(cat), limits(l), screened(s), b(cat), jr{l, {}}, fast_row(t, l) {}

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
      if (fast && fast_row.read(start, fast_record, seen)) {
        pos = fast_row.end();
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
        ++dom_elements;
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
size_t HubJsonLoad::dom_elements() const { return impl_->dom_elements; }
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
