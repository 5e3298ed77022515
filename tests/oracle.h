// Test oracles written from the documented rules alone, never from core's code: a model's features
// derived from its raw CSV cells, and the order of a ranked list. Oracles that call the code they
// check cannot fail when that code is wrong, so nothing here includes core/ or calls into it.
//
// The rules (scripts/sklearn_reference.py's docstring: the notebook's pandas + scikit-learn steps):
// - attributes: pandas get_dummies of pipeline_tag, architectures, model_type and library_name. An
//   empty cell is NaN, which has no category, except architectures: its cell is str()-ed first, so
//   an empty one is the category "nan", and the category is the raw cell with [ and ] stripped from
//   both ends (Python's str.strip('[]')): "['A', 'B']" is "'A', 'B'".
// - soup: " ".join of tags, pipeline_tag, author, architectures, model_type, library_name, each
//   str()-ed (an empty cell is "nan"), tags and architectures with every ASCII punctuation character
//   (Python's string.punctuation) deleted and lower-cased; then CountVectorizer's defaults: lower
//   case, tokens are runs of two or more word characters (token_pattern r"(?u)\b\w\w+\b").
// - order (STYLE.md, "Top-k"): closest first; equal scores by downloads descending, then modelId
//   ascending (bytewise).
// The test data keep to ASCII and avoid cells pandas would read as numbers or as NaN ("nan", "NA").
// Beyond ASCII the oracle only approximates Python: a byte >= 0x80 counts as a word character (a
// letter), and only A-Z are lower-cased.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hfrec::oracle {

// One catalogue row as the CSV has it: each cell's text, "" for an empty cell.
struct RawRow {
  std::string model_id, tags, pipeline_tag, author, architectures, model_type, library_name;
  int64_t downloads = 0;
};

// A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
inline std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// CSV text with the Hub dump's ten columns (lastModified and datasets left empty).
inline std::string to_csv(const std::vector<RawRow>& rows) {
  std::string out =
      "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n";
  for (const RawRow& r : rows)
    out += csv_cell(r.model_id) + ",," + csv_cell(r.tags) + "," + csv_cell(r.pipeline_tag) + "," + csv_cell(r.author) +
           "," + csv_cell(r.architectures) + "," + csv_cell(r.model_type) + ",," + std::to_string(r.downloads) + "," +
           csv_cell(r.library_name) + "\n";
  return out;
}

// The records of RFC 4180 CSV text, each a list of cells.
inline std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(cell), cell.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(cell), cell.clear();
      records.push_back(record), record.clear();
      any = false;
      continue;
    } else {
      cell += c;
    }
    any = true;
  }
  if (any) record.push_back(cell), records.push_back(record);
  return records;
}

// The rows of a Hub CSV dump, later duplicates of a modelId dropped (as the notebook's
// drop_duplicates(subset="modelId", keep="first")).
inline std::vector<RawRow> rows_from_csv(std::string_view text) {
  const auto records = parse_csv(text);
  std::vector<RawRow> rows;
  if (records.empty()) return rows;
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < records[0].size(); ++i) col[records[0][i]] = i;
  auto cell = [&](const std::vector<std::string>& rec, const char* name) {
    auto it = col.find(name);
    return it == col.end() || it->second >= rec.size() ? std::string() : rec[it->second];
  };
  std::set<std::string> seen;
  for (size_t i = 1; i < records.size(); ++i) {
    RawRow r;
    r.model_id = cell(records[i], "modelId");
    if (!seen.insert(r.model_id).second) continue;
    r.tags = cell(records[i], "tags");
    r.pipeline_tag = cell(records[i], "pipeline_tag");
    r.author = cell(records[i], "author");
    r.architectures = cell(records[i], "architectures");
    r.model_type = cell(records[i], "model_type");
    r.library_name = cell(records[i], "library_name");
    const std::string d = cell(records[i], "downloads");
    r.downloads = d.empty() ? 0 : std::stoll(d);
    rows.push_back(r);
  }
  return rows;
}

// The one-hot attributes of a row, as "field=value".
inline std::set<std::string> attributes(const RawRow& r) {
  std::set<std::string> a;
  if (!r.pipeline_tag.empty()) a.insert("pipeline_tag=" + r.pipeline_tag);
  std::string arch = r.architectures.empty() ? "nan" : r.architectures;
  size_t b = 0, e = arch.size();
  while (b < e && (arch[b] == '[' || arch[b] == ']')) ++b;
  while (e > b && (arch[e - 1] == '[' || arch[e - 1] == ']')) --e;
  a.insert("architectures=" + arch.substr(b, e - b));
  if (!r.model_type.empty()) a.insert("model_type=" + r.model_type);
  if (!r.library_name.empty()) a.insert("library_name=" + r.library_name);
  return a;
}

// The bag of words of a row: term -> count.
inline std::map<std::string, int> bag(const RawRow& r) {
  const std::string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";  // Python's string.punctuation
  auto nan_if_empty = [](const std::string& s) { return s.empty() ? std::string("nan") : s; };
  auto stripped = [&](const std::string& s) {
    std::string out;
    for (char c : nan_if_empty(s))
      if (punctuation.find(c) == std::string::npos) out += c;
    return out;
  };
  std::string text = stripped(r.tags) + " " + nan_if_empty(r.pipeline_tag) + " " + nan_if_empty(r.author) + " " +
                     stripped(r.architectures) + " " + nan_if_empty(r.model_type) + " " + nan_if_empty(r.library_name);
  std::map<std::string, int> counts;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2) ++counts[word];
    word.clear();
  };
  for (char c : text) {
    const bool w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                   static_cast<unsigned char>(c) >= 0x80;
    if (w) word += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    else flush();
  }
  flush();
  return counts;
}

// True when a comes before b at equal scores.
inline bool before(const RawRow& a, const RawRow& b) {
  if (a.downloads != b.downloads) return a.downloads > b.downloads;
  return a.model_id < b.model_id;
}

}  // namespace hfrec::oracle
