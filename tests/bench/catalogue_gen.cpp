// Synthetic Hub catalogues scaled from a real one (see catalogue_gen.h).
#include "catalogue_gen.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <unistd.h>

namespace hfrec::bench {

namespace {

// --- deterministic randomness (xoshiro256**, seeded by splitmix64; same stream on every platform) ---
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
  }
  uint64_t next() {
    const uint64_t r = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0], s_[3] ^= s_[1], s_[1] ^= s_[2], s_[0] ^= s_[3], s_[2] ^= t, s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform() { return (next() >> 11) * 0x1.0p-53; }  // [0, 1)
  size_t below(size_t n) { return n ? static_cast<size_t>(uniform() * n) : 0; }
  bool chance(double p) { return uniform() < p; }
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

std::string base36(uint64_t v) {
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do s.push_back(digits[v % 36]), v /= 36;
  while (v);
  return {s.rbegin(), s.rend()};
}

// --- reading the source: RFC 4180 records and Python list literals -----------------------------------

// Splits CSV text into records of fields (quoted fields, doubled quotes, embedded newlines, CRLF, BOM).
bool parse_csv(const std::string& text, std::vector<std::vector<std::string>>& records, std::string& error) {
  size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0, line = 1;
  std::vector<std::string> rec;
  std::string field;
  while (i < text.size()) {
    field.clear();
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) {
          error = "line " + std::to_string(line) + ": unterminated quoted field";
          return false;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') field.push_back('"'), i += 2;
          else {
            ++i;
            break;
          }
        } else {
          if (text[i] == '\n') ++line;
          field.push_back(text[i++]);
        }
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field.push_back(text[i++]);
    }
    rec.push_back(field);
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i, ++line;
    records.push_back(std::move(rec));
    rec.clear();
  }
  return true;
}

// Items of a Python list literal of strings ("['a', \"b's\"]"); false if it is not one.
bool parse_list(const std::string& s, std::vector<std::string>& items) {
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  ws();
  if (i >= s.size() || s[i] != '[') return false;
  ++i;
  ws();
  if (i < s.size() && s[i] == ']') return true;
  for (;;) {
    ws();
    if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return false;
    const char q = s[i++];
    std::string item;
    while (i < s.size() && s[i] != q) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        const char e = s[i + 1];
        item.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        i += 2;
      } else {
        item.push_back(s[i++]);
      }
    }
    if (i >= s.size()) return false;
    ++i;
    items.push_back(std::move(item));
    ws();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    return i < s.size() && s[i] == ']';
  }
}

// --- writing: Python list literals, CSV cells, JSON strings ------------------------------------------

void py_repr(std::string& out, const std::string& s) {
  const bool dq = s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
  const char q = dq ? '"' : '\'';
  out.push_back(q);
  for (char c : s) {
    if (c == '\\' || c == q) out.push_back('\\'), out.push_back(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out.push_back(c);
  }
  out.push_back(q);
}

std::string py_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    py_repr(out, items[i]);
  }
  return out + "]";
}

void csv_cell(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// ascii: every code point past U+007F as \uXXXX (a surrogate pair past U+FFFF), as Python's
// json.dumps writes by default (the form of list-models responses saved by huggingface_hub scripts).
void json_str(std::string& out, const std::string& s, bool ascii = false) {
  out.push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') out.push_back('\\'), out.push_back(static_cast<char>(c));
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else if (ascii && c >= 0xC2 && c <= 0xF4) {
      // One UTF-8 sequence (the source is valid UTF-8) as one or two \u escapes.
      const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      uint32_t cp = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      i += n - 1;
      char buf[16];
      if (cp >= 0x10000)
        std::snprintf(buf, sizeof buf, "\\u%04X\\u%04x", 0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + (cp & 0x3FF));
      else std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      out += buf;
    } else out.push_back(static_cast<char>(c));
  }
  out.push_back('"');
}

void json_list(std::string& out, const std::vector<std::string>& items, bool ascii = false) {
  out.push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    json_str(out, items[i], ascii);
  }
  out.push_back(']');
}

// --- tag kinds, for kind-preserving swaps ------------------------------------------------------------

enum TagKind { kDataset, kArxiv, kLicense, kLanguage, kOther, kKinds };

TagKind kind_of(const std::string& t) {
  if (t.rfind("dataset:", 0) == 0) return kDataset;
  if (t.rfind("arxiv:", 0) == 0) return kArxiv;
  if (t.rfind("license:", 0) == 0) return kLicense;
  if ((t.size() == 2 || t.size() == 3) && std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return kLanguage;
  return kOther;
}

// Tags that carry the row's structure (frameworks, task, library, model type): never dropped.
bool structural(const std::string& t, const SourceRow& r) {
  static const std::unordered_set<std::string> frameworks = {"pytorch", "tf",     "jax",  "safetensors", "transformers",
                                                             "onnx",    "tflite", "rust", "coreml"};
  return frameworks.count(t) || t == r.pipeline_tag || t == r.library_name || t == r.model_type;
}

// One generated row, as fields ready to write.
struct Row {
  std::string id, author, pipeline_tag, model_type, library_name, last_modified;
  std::vector<std::string> tags, architectures, datasets;
  std::string tags_raw, architectures_raw, datasets_raw;  // reused when unchanged
  bool tags_missing = false, architectures_missing = false, datasets_missing = false;
  bool tags_changed = false, architectures_changed = false, datasets_changed = false;
  bool downloads_missing = false;
  int64_t downloads = 0;
};

// The architecture's head ("ForCausalLM") for a novel architecture of the same kind.
std::string head_of(const std::string& arch) {
  const size_t p = arch.find("For");
  if (p != std::string::npos) return arch.substr(p);
  const size_t m = arch.rfind("Model");
  return m != std::string::npos ? arch.substr(m) : "Model";
}

Row make_row(const SourceCatalogue& src, const GenParams& p, Rng& rng, uint64_t i) {
  const SourceRow& s = src.rows[rng.below(src.rows.size())];
  Row r;
  r.pipeline_tag = s.pipeline_tag;
  r.model_type = s.model_type;
  r.library_name = s.library_name;
  r.last_modified = s.last_modified;
  r.tags = s.tags, r.architectures = s.architectures, r.datasets = s.datasets;
  r.tags_raw = s.tags_raw, r.architectures_raw = s.architectures_raw, r.datasets_raw = s.datasets_raw;
  r.tags_missing = s.tags_raw.empty(), r.architectures_missing = s.architectures_raw.empty();
  r.datasets_missing = s.datasets_raw.empty();

  // Author: the real one, or a synthetic one from a pool growing with N, skewed (u^3: a few prolific).
  r.author = s.author;
  if (rng.chance(p.author_new)) {
    const size_t pool = std::max<size_t>(50, static_cast<size_t>(p.rows * p.authors_per_row));
    const double u = rng.uniform();
    r.author = "user-" + base36(static_cast<uint64_t>(u * u * u * pool) * 2654435761u % 0xFFFFFFFFu);
  }
  // Id: the real model's name under the new author, made unique by the row number.
  const size_t slash = s.id.rfind('/');
  const std::string name = slash == std::string::npos ? s.id : s.id.substr(slash + 1);
  r.id = (r.author.empty() ? "" : r.author + "/") + name + "-r" + base36(i);

  // Tag set perturbations (the tag set otherwise stays whole, keeping co-occurrence).
  if (!r.tags_missing) {
    if (rng.chance(p.tag_swap)) {
      std::vector<size_t> swappable;
      for (size_t t = 0; t < r.tags.size(); ++t)
        if (kind_of(r.tags[t]) != kOther) swappable.push_back(t);
      if (!swappable.empty()) {
        const size_t t = swappable[rng.below(swappable.size())];
        const auto& pool = src.tags_by_kind[kind_of(r.tags[t])];
        const std::string repl = pool[rng.below(pool.size())];
        if (std::find(r.tags.begin(), r.tags.end(), repl) == r.tags.end()) {
          if (kind_of(repl) == kDataset) {  // keep the datasets column consistent with dataset: tags
            auto d = std::find(r.datasets.begin(), r.datasets.end(), r.tags[t].substr(8));
            if (d != r.datasets.end()) *d = repl.substr(8), r.datasets_changed = true;
          }
          r.tags[t] = repl;
          r.tags_changed = true;
        }
      }
    }
    if (rng.chance(p.tag_drop)) {
      std::vector<size_t> optional;
      for (size_t t = 0; t < r.tags.size(); ++t)
        if (!structural(r.tags[t], s) && kind_of(r.tags[t]) != kDataset) optional.push_back(t);
      if (!optional.empty()) {
        r.tags.erase(r.tags.begin() + optional[rng.below(optional.size())]);
        r.tags_changed = true;
      }
    }
    if (rng.chance(p.tag_add)) {
      const std::string& t = src.tag_occurrences[rng.below(src.tag_occurrences.size())];
      if (kind_of(t) != kDataset && std::find(r.tags.begin(), r.tags.end(), t) == r.tags.end()) {
        r.tags.insert(r.tags.begin() + rng.below(r.tags.size() + 1), t);
        r.tags_changed = true;
      }
    }
  }

  // Novel architecture and model type: new categories appear at the rate the Hub grows them.
  if (rng.chance(p.novelty) && !r.architectures.empty()) {
    const size_t pool = std::max<size_t>(1, static_cast<size_t>(p.rows * p.novelty / 5));
    const std::string stem = "gen" + base36(rng.below(pool));
    std::string cap = stem;
    cap[0] = 'G';
    const std::string old_type = r.model_type;
    for (auto& a : r.architectures) a = cap + head_of(a);
    r.architectures_changed = true;
    r.model_type = stem;
    if (!old_type.empty()) {
      for (auto& t : r.tags)
        if (t == old_type) t = stem, r.tags_changed = true;
    }
  }

  // Downloads: the real value times a log-normal jitter; zero and missing stay so.
  if (s.downloads.empty()) {
    r.downloads_missing = true;
  } else {
    const double d = std::strtod(s.downloads.c_str(), nullptr);
    r.downloads = d > 0 ? static_cast<int64_t>(std::llround(d * std::exp(p.download_sigma * rng.normal()))) : 0;
  }
  return r;
}

void write_csv_row(std::string& out, const Row& r) {
  auto list = [&](bool missing, bool changed, const std::string& raw, const std::vector<std::string>& items) {
    if (!missing) csv_cell(out, changed ? py_list(items) : raw);
  };
  csv_cell(out, r.id), out.push_back(',');
  csv_cell(out, r.last_modified), out.push_back(',');
  list(r.tags_missing, r.tags_changed, r.tags_raw, r.tags), out.push_back(',');
  csv_cell(out, r.pipeline_tag), out.push_back(',');
  csv_cell(out, r.author), out.push_back(',');
  list(r.architectures_missing, r.architectures_changed, r.architectures_raw, r.architectures), out.push_back(',');
  csv_cell(out, r.model_type), out.push_back(',');
  list(r.datasets_missing, r.datasets_changed, r.datasets_raw, r.datasets), out.push_back(',');
  if (!r.downloads_missing) out += std::to_string(r.downloads);
  out.push_back(',');
  csv_cell(out, r.library_name);
  out.push_back('\n');
}

// What a real list-models response carries besides the fields hfrec reads (shapes from the Hub's
// API docs and responses with expand[]: siblings, spaces, safetensors, widgetData, transformersInfo,
// cardData's licence, languages, widget and model-index, config's tokenizer_config with a chat
// template full of escapes), deterministic by row. None of it changes what hfrec reads.
struct Noise {
  std::string top, config, card;  // fields to add to the object, to config and to cardData (each starts with ',')
};

Noise make_noise(const Row& r, uint64_t seed, uint64_t i) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + i);
  Noise n;
  std::string& t = n.top;
  t += ",\"private\":false,\"gated\":";
  t += rng.chance(0.1) ? "\"auto\"" : "false";
  t += ",\"disabled\":false,\"likes\":" + std::to_string(rng.below(5000));
  t += ",\"trendingScore\":" + std::to_string(rng.below(40));
  t += ",\"createdAt\":\"2023-0" + std::to_string(1 + rng.below(9)) + "-1" + std::to_string(rng.below(10)) + "T08:1" +
       std::to_string(rng.below(10)) + ":00.000Z\"";
  t += ",\"sha\":\"";
  for (int k = 0; k < 5; ++k) t += base36(rng.next()).substr(0, 8);
  t += "\",\"siblings\":[{\"rfilename\":\".gitattributes\"},{\"rfilename\":\"README.md\"},"
       "{\"rfilename\":\"config.json\"}";
  for (size_t k = 0, m = 1 + rng.below(8); k < m; ++k)
    t += ",{\"rfilename\":\"model-0000" + std::to_string(k + 1) + "-of-0000" + std::to_string(m) + ".safetensors\"}";
  t += ",{\"rfilename\":\"tokenizer.json\"},{\"rfilename\":\"tokenizer_config.json\"}]";
  t += ",\"spaces\":[";
  for (size_t k = 0, m = rng.below(4); k < m; ++k)
    t += (k ? ",\"" : "\"") + std::string("user-") + base36(rng.below(1000)) + "/demo\"";
  const uint64_t f32 = rng.below(1'000'000), bf16 = rng.below(8'000'000'000ull);
  t += "],\"safetensors\":{\"parameters\":{\"F32\":" + std::to_string(f32) + ",\"BF16\":" + std::to_string(bf16) +
       "},\"total\":" + std::to_string(f32 + bf16) + "}";
  t += ",\"widgetData\":[{\"text\":\"My name is Clara and I am\"},{\"text\":\"Paris is the [MASK] of France.\"}]";
  t += ",\"transformersInfo\":{\"auto_model\":\"AutoModel\",\"pipeline_tag\":";
  t += r.pipeline_tag.empty() ? std::string("null") : "\"" + r.pipeline_tag + "\"";
  t += ",\"processor\":\"AutoTokenizer\"}";
  t += ",\"inference\":\"warm\",\"library_version\":1.5e0,\"score\":-0.25";
  std::string& c = n.config;
  c += ",\"tokenizer_config\":{\"bos_token\":\"<s>\",\"eos_token\":{\"__type\":\"AddedToken\",\"content\":"
       "\"</s>\",\"lstrip\":false,\"normalized\":true,\"rstrip\":false,\"single_word\":false},"
       "\"pad_token\":null,\"unk_token\":\"<unk>\",\"chat_template\":";
  c += "\"{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
       "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
       "{% endif %}{# \\\"r\\u00e9sum\\u00e9\\\" \\ud83d\\ude00 \\t\\/ #}\"}";
  if (rng.chance(0.3))
    c += ",\"quantization_config\":{\"quant_method\":\"bitsandbytes\",\"load_in_4bit\":true,"
         "\"bnb_4bit_compute_dtype\":\"bfloat16\",\"bits\":4}";
  c += ",\"max_position_embeddings\":" + std::to_string(512u << rng.below(6));
  std::string& d = n.card;
  d += ",\"license\":\"apache-2.0\",\"language\":[\"en\",\"fr\"],\"tags\":[\"generated_from_trainer\"]";
  d += ",\"widget\":[{\"text\":\"Je t\\u2019appelle plus tard\",\"example_title\":\"French\"}]";
  d += ",\"model-index\":[{\"name\":\"" + r.id.substr(r.id.rfind('/') + 1) + "\",\"results\":[";
  for (size_t k = 0, m = 1 + rng.below(3); k < m; ++k) {
    d += k ? "," : "";
    d += "{\"task\":{\"type\":\"text-classification\",\"name\":\"Text Classification\"},\"dataset\":{\"name\":"
         "\"glue\",\"type\":\"glue\",\"config\":\"sst2\",\"split\":\"validation\",\"args\":\"sst2\"},\"metrics\":"
         "[{\"type\":\"accuracy\",\"value\":0." +
         std::to_string(100 + rng.below(900)) + ",\"name\":\"Accuracy\",\"verified\":false}]}";
  }
  d += "]}]";
  return n;
}

void write_json_row(std::string& out, const Row& r, const Noise* noise) {
  const bool a = noise != nullptr;  // real shape: non-ASCII escaped as json.dumps writes it
  out += "{\"_id\":";
  json_str(out, "g" + base36(std::hash<std::string>{}(r.id)));
  out += ",\"id\":", json_str(out, r.id, a);
  out += ",\"modelId\":", json_str(out, r.id, a);
  if (!r.author.empty()) out += ",\"author\":", json_str(out, r.author, a);
  if (!r.downloads_missing) out += ",\"downloads\":" + std::to_string(r.downloads);
  if (!r.last_modified.empty()) out += ",\"lastModified\":", json_str(out, r.last_modified, a);
  if (!r.library_name.empty()) out += ",\"library_name\":", json_str(out, r.library_name, a);
  if (!r.pipeline_tag.empty()) out += ",\"pipeline_tag\":", json_str(out, r.pipeline_tag, a);
  if (!r.tags_missing) out += ",\"tags\":", json_list(out, r.tags, a);
  if (noise) out += noise->top;
  if (!r.architectures_missing || !r.model_type.empty() || noise) {
    out += ",\"config\":{";
    bool first = true;
    if (!r.architectures_missing) out += "\"architectures\":", json_list(out, r.architectures, a), first = false;
    if (!r.model_type.empty())
      out += first ? "" : ",", out += "\"model_type\":", json_str(out, r.model_type, a), first = false;
    if (noise) out += first ? noise->config.substr(1) : noise->config;
    out += "}";
  }
  if (!r.datasets_missing || noise) {
    out += ",\"cardData\":{";
    if (!r.datasets_missing) out += "\"datasets\":", json_list(out, r.datasets, a);
    if (noise) out += r.datasets_missing ? noise->card.substr(1) : noise->card;
    out += "}";
  }
  out += "}";
}

}  // namespace

bool read_source_csv(const std::string& path, SourceCatalogue& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return false;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<std::string>> recs;
  if (!parse_csv(text, recs, error)) {
    error = path + ": " + error;
    return false;
  }
  if (recs.empty()) {
    error = path + ": empty file";
    return false;
  }
  std::unordered_map<std::string, size_t> col;
  for (size_t c = 0; c < recs[0].size(); ++c) col[recs[0][c]] = c;
  if (!col.count("modelId")) {
    error = path + ": no 'modelId' column";
    return false;
  }
  auto cell = [&](const std::vector<std::string>& rec, const char* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() || it->second >= rec.size() ? std::string() : rec[it->second];
  };
  out.rows.clear();
  out.tag_occurrences.clear();
  out.tags_by_kind.assign(kKinds, {});
  std::unordered_set<std::string> seen;
  for (size_t r = 1; r < recs.size(); ++r) {
    const auto& rec = recs[r];
    if (rec.size() == 1 && rec[0].empty()) continue;  // blank line
    SourceRow s;
    s.id = cell(rec, "modelId");
    if (s.id.empty() || !seen.insert(s.id).second) continue;
    s.last_modified = cell(rec, "lastModified");
    s.pipeline_tag = cell(rec, "pipeline_tag");
    s.author = cell(rec, "author");
    s.model_type = cell(rec, "model_type");
    s.library_name = cell(rec, "library_name");
    s.downloads = cell(rec, "downloads");
    s.tags_raw = cell(rec, "tags");
    s.architectures_raw = cell(rec, "architectures");
    s.datasets_raw = cell(rec, "datasets");
    if (!s.tags_raw.empty() && !parse_list(s.tags_raw, s.tags)) s.tags = {}, s.tags_raw.clear();
    if (!s.architectures_raw.empty() && !parse_list(s.architectures_raw, s.architectures))
      s.architectures = {}, s.architectures_raw.clear();
    if (!s.datasets_raw.empty() && !parse_list(s.datasets_raw, s.datasets)) s.datasets = {}, s.datasets_raw.clear();
    for (const auto& t : s.tags) {
      out.tag_occurrences.push_back(t);
      out.tags_by_kind[kind_of(t)].push_back(t);
    }
    out.rows.push_back(std::move(s));
  }
  if (out.rows.empty()) {
    error = path + ": no rows";
    return false;
  }
  if (out.tag_occurrences.empty()) out.tag_occurrences.push_back("generated");
  return true;
}

void generate(const SourceCatalogue& src, const GenParams& params, GenFormat format, std::ostream& out) {
  Rng rng(params.seed);
  std::string buf;
  buf.reserve(1 << 20);
  if (format == GenFormat::csv)
    buf += "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n";
  else buf += "[\n";
  for (uint64_t i = 0; i < params.rows; ++i) {
    const Row r = make_row(src, params, rng, i);
    if (format == GenFormat::csv) {
      write_csv_row(buf, r);
    } else {
      const Noise noise = format == GenFormat::hub_json_real ? make_noise(r, params.seed, i) : Noise{};
      write_json_row(buf, r, format == GenFormat::hub_json_real ? &noise : nullptr);
      buf += i + 1 < params.rows ? ",\n" : "\n";
    }
    if (buf.size() > (1 << 20) - 4096) out.write(buf.data(), buf.size()), buf.clear();
  }
  if (format != GenFormat::csv) buf += "]\n";
  out.write(buf.data(), buf.size());
}

std::string cached_catalogue(const std::string& source_csv, size_t rows, uint64_t seed, GenFormat format,
                             std::string& error, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string path = dir + "/gen-v1-" + std::to_string(rows) + "-s" + std::to_string(seed) +
                           (format == GenFormat::csv        ? ".csv"
                            : format == GenFormat::hub_json ? ".json"
                                                            : ".real.json");
  if (fs::exists(path, ec)) return path;
  SourceCatalogue src;
  if (!read_source_csv(source_csv, src, error)) return "";
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) {
      error = tmp + ": cannot write";
      return "";
    }
    GenParams p;
    p.rows = rows;
    p.seed = seed;
    generate(src, p, format, out);
    if (!out) {
      error = tmp + ": write failed (disk full?)";
      return "";
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    error = path + ": " + ec.message();
    return "";
  }
  return path;
}

}  // namespace hfrec::bench
