// Why a model was recommended, in words (why.h): tracing raw reasons to the query's metadata, and
// saying each one.
#include "why.h"

#include <algorithm>
#include <array>

#include "attributes.h"
#include "hybrid.h"
#include "lineage.h"
#include "text.h"

namespace hfrec {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "value (0.12)" -> "value": a hybrid term's weight is for the tooltip, not the words.
std::string_view strip_weight(std::string_view s) {
  if (s.empty() || s.back() != ')') return s;
  const size_t open = s.rfind(" (");
  return open == std::string_view::npos ? s : s.substr(0, open);
}

// A tag's own reason: the Hub's prefixed tags name what they are ("arxiv:", "dataset:", ...).
Reason tag_reason(std::string_view tag) {
  if (starts_with(tag, "arxiv:") || starts_with(tag, "doi:")) return {"paper", std::string(tag)};
  if (starts_with(tag, "dataset:")) return {"dataset", std::string(tag.substr(8))};
  if (starts_with(tag, "license:")) return {"license", std::string(tag.substr(8))};
  if (starts_with(tag, "base_model:")) return {"base_model", std::string(tag.substr(11))};
  return {"tag", std::string(tag)};
}

// The attribute and soup fields, in the names reasons use.
const char* reason_field(std::string_view column) {
  if (column == "pipeline_tag") return "task";
  if (column == "library_name") return "library";
  if (column == "architectures") return "architecture";
  if (column == "model_type") return "model_type";
  if (column == "author") return "author";
  if (column == "tags") return "tag";
  return "";
}

// True when `term` is one of the soup's tokens of `value` (list items lose their punctuation first).
bool yields_term(std::string_view value, bool list_item, std::string_view term) {
  const std::string low = list_item ? lower(delete_ascii_punctuation(value)) : lower(value);
  bool found = false;
  for_each_token(low, [&](std::string_view t) { found |= t == term; });
  return found;
}

// Visits the soup's fields in its order (soup_tokens): list(column, col) for the list columns,
// value(column, col) for the single-valued ones, each only when the catalogue has the column.
template <class List, class Value>
void for_each_soup_field(const Catalogue& cat, List&& list, Value&& value) {
  if (cat.has_column("tags")) list("tags", cat.tags);
  if (cat.has_column("pipeline_tag")) value("pipeline_tag", cat.pipeline_tag);
  if (cat.has_column("author")) value("author", cat.author);
  if (cat.has_column("architectures")) list("architectures", cat.architectures);
  if (cat.has_column("model_type")) value("model_type", cat.model_type);
  if (cat.has_column("library_name")) value("library_name", cat.library_name);
}

// The query row's values that yield a soup term, in the soup's field order; none: the term itself.
void trace_term(const Catalogue& cat, uint32_t row, std::string_view term, std::vector<Reason>& out) {
  const size_t before = out.size();
  for_each_soup_field(
      cat,
      [&](const char* column, const ListColumn& col) {
        if (col.missing[row]) return;
        for (const uint32_t* p = col.begin(row); p != col.end(row); ++p) {
          const std::string_view v = cat.pool.str(*p);
          if (!yields_term(v, true, term)) continue;
          out.push_back(std::string_view(column) == "tags" ? tag_reason(v)
                                                           : Reason{reason_field(column), std::string(v)});
        }
      },
      [&](const char* column, const std::vector<uint32_t>& col) {
        if (col[row] == kMissing) return;
        const std::string_view v = cat.pool.str(col[row]);
        if (yields_term(v, false, term)) out.push_back({reason_field(column), std::string(v)});
      });
  if (out.size() == before) out.push_back({"term", std::string(term)});
}

// "nan": the query's fields the soup saw as empty (both rows have one empty, at least).
void trace_missing(const Catalogue& cat, uint32_t row, std::vector<Reason>& out) {
  for_each_soup_field(
      cat,
      [&](const char* column, const ListColumn& col) {
        if (col.missing[row]) out.push_back({"missing", reason_field(column)});
      },
      [&](const char* column, const std::vector<uint32_t>& col) {
        if (col[row] == kMissing) out.push_back({"missing", reason_field(column)});
      });
}

// A hybrid "head" term (lower-cased, "formaskedlm") as the query's architectures spell it
// ("ForMaskedLM"); the term itself when none of them has that head.
std::string trace_head(const Catalogue& cat, uint32_t row, std::string_view head) {
  const std::string_view model_type = cat.model_type[row] == kMissing ? "" : cat.pool.str(cat.model_type[row]);
  for (const uint32_t* p = cat.architectures.begin(row); p != cat.architectures.end(row); ++p) {
    std::string h = architecture_head(cat.pool.str(*p), model_type);
    if (lower(h) == head) return h;
  }
  return std::string(head);
}

// A hybrid "base" term (a lower-cased model id: the query's own, or one of its base models) as the
// catalogue spells it; the term itself when neither does.
std::string trace_base(const Catalogue& cat, uint32_t row, std::string_view id) {
  if (lower(cat.id(row)) == id) return std::string(cat.id(row));
  for (const uint32_t* p = cat.base_models.begin(row); p != cat.base_models.end(row); ++p)
    if (lower(cat.pool.str(*p)) == id) return std::string(cat.pool.str(*p));
  for (const uint32_t* p = cat.tags.begin(row); p != cat.tags.end(row); ++p) {
    std::string_view base;
    Relation rel;
    if (parse_base_model_tag(cat.pool.str(*p), base, rel) && lower(base) == id) return std::string(base);
  }
  return std::string(id);
}

// A hybrid "ngram" term ("ncas+unca+^unc+case": the shared 4-grams, largest first, at most 4) as
// the word of the query's name they come from: {"name_part", "uncased"}, the word holding most of
// them (the first on a tie); {"name", ""} ("similar names") when no word of the name holds one.
Reason trace_ngrams(const Catalogue& cat, uint32_t row, std::string_view grams) {
  std::vector<std::string_view> want;
  for (size_t at = 0; at <= grams.size();) {
    const size_t plus = std::min(grams.find('+', at), grams.size());
    if (plus > at) want.push_back(grams.substr(at, plus - at));
    at = plus + 1;
  }
  const std::string_view id = cat.id(row);
  const size_t slash = id.rfind('/');
  std::string best;
  size_t best_count = 0;
  for (const std::string& w : id_tokens(slash == std::string_view::npos ? id : id.substr(slash + 1))) {
    size_t count = 0;
    for_each_char_4gram(w, [&](std::string_view g) { count += std::count(want.begin(), want.end(), g); });
    if (count > best_count) best = w, best_count = count;
  }
  if (best_count == 0) return {"name", ""};
  return {"name_part", best};
}

// Plain words for a field, for "neither lists a ..." and "same ...".
std::string field_words(std::string_view field) {
  if (field == "model_type") return "model type";
  if (field == "base_model") return "base model";
  if (field == "tag") return "tags";
  return std::string(field);
}

}  // namespace

std::vector<Reason> trace_reasons(const Catalogue& cat, uint32_t query_row, const std::vector<std::string>& shared) {
  std::vector<Reason> out;
  const bool has_row = query_row != kMissing && query_row < cat.size();
  for (const std::string& raw : shared) {
    const std::string_view s = strip_weight(raw);
    if (s == "popularity") {
      out.push_back({"popularity", ""});
      continue;
    }
    if (const size_t eq = s.find('='); eq != std::string_view::npos) {  // an attribute label
      const std::string_view column = s.substr(0, eq);
      bool known = false;
      for (const char* f : kAttributeFields) known |= column == f;
      if (known) {
        std::string value(s.substr(eq + 1));
        if (column == "architectures") {  // the notebook's category: "'A', 'B'", or "nan" for none
          if (value == "nan") {
            out.push_back({"missing", "architecture"});
            continue;
          }
          std::erase(value, '\'');
        }
        out.push_back({reason_field(column), std::move(value)});
        continue;
      }
    }
    if (const size_t colon = s.find(':'); colon != std::string_view::npos) {  // a hybrid term
      const std::string_view field = s.substr(0, colon), value = s.substr(colon + 1);
      if (field == "tag") out.push_back(tag_reason(value));
      else if (field == "ngram") out.push_back(has_row ? trace_ngrams(cat, query_row, value) : Reason{"name", ""});
      else if (field == "head")
        out.push_back({"head", has_row ? trace_head(cat, query_row, value) : std::string(value)});
      else if (field == "base")
        out.push_back({"family", has_row ? trace_base(cat, query_row, value) : std::string(value)});
      else if (field == "name" || field == "author" || field == "license" || field == "paper" || field == "dataset" ||
               field == "architecture" || field == "model_type" || field == "library" || field == "task")
        out.push_back({std::string(field), std::string(value)});
      else out.push_back({"term", std::string(s)});
      continue;
    }
    if (!has_row) out.push_back({"term", std::string(s)});
    else if (s == "nan") trace_missing(cat, query_row, out);
    else trace_term(cat, query_row, s, out);
  }
  std::vector<Reason> unique;
  for (auto& r : out)
    if (std::find(unique.begin(), unique.end(), r) == unique.end()) unique.push_back(std::move(r));
  return unique;
}

std::string describe(const Reason& r) {
  const std::string& f = r.field;
  const std::string& v = r.value;
  if (f == "popularity") return "popular";
  if (f == "missing") {
    if (v == "tag") return "neither lists tags";
    const std::string w = field_words(v);
    return std::string("neither lists ") + (w.find_first_of("aeiou") == 0 ? "an " : "a ") + w;
  }
  if (f == "term") return "both mention “" + v + "”";
  if (f == "name") return v.empty() ? "similar names" : "names share “" + v + "”";
  if (f == "paper") {
    if (starts_with(v, "arxiv:")) return "both cite arXiv:" + v.substr(6);
    return "both cite " + v;
  }
  if (f == "dataset") return "same dataset: " + v;
  if (f == "license") return "same licence: " + v;
  if (f == "head") return "same task head: " + v;
  if (f == "name_part") return "similar names: “" + v + "”";
  if (f == "family") return "same family: " + v;
  if (f == "tag") {
    if (v == "has_space") return "both have a Space";
    if (v == "endpoints_compatible") return "both run on Inference Endpoints";
    if (v == "autotrain_compatible") return "both AutoTrain-compatible";
    if (v == "text-generation-inference") return "both served by TGI";
    if (starts_with(v, "region:")) return "same region: " + v.substr(7);
    return "both tagged “" + v + "”";
  }
  return "same " + field_words(f) + ": " + v;
}

namespace {

// The tags describe() says in words of their own; they are not merged with other tags.
bool special_tag(const Reason& r) {
  return r.field == "tag" &&
         (r.value == "has_space" || r.value == "endpoints_compatible" || r.value == "autotrain_compatible" ||
          r.value == "text-generation-inference" || starts_with(r.value, "region:"));
}

// How a further value of a merged reason reads after the first: "“jax”", "arXiv:2005.14165", "a library".
std::string more(const Reason& r) {
  if (r.field == "tag" || r.field == "term" || r.field == "name_part") return "“" + r.value + "”";
  if (r.field == "paper") return starts_with(r.value, "arxiv:") ? "arXiv:" + r.value.substr(6) : r.value;
  if (r.field == "missing") {
    if (r.value == "tag") return "tags";
    const std::string w = field_words(r.value);
    return (w.find_first_of("aeiou") == 0 ? "an " : "a ") + w;
  }
  return r.value;
}

}  // namespace

std::string why_in_words(const Catalogue& cat, uint32_t query_row, const std::vector<std::string>& shared, size_t max) {
  // Reasons about the same field read as one ("both tagged “bert”, “jax”"), where the first of
  // them stood; at most 3 values each.
  const std::vector<Reason> reasons = trace_reasons(cat, query_row, shared);
  struct Group {
    std::string key;
    std::string text;
    int values = 0;
  };
  std::vector<Group> groups;
  for (const Reason& r : reasons) {
    const bool alone = special_tag(r) || r.field == "popularity" || (r.field == "name" && r.value.empty());
    const std::string key = alone ? r.field + ":" + r.value : r.field;
    auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.key == key; });
    if (g == groups.end()) {
      if (groups.size() == max) continue;
      groups.push_back({key, describe(r), 1});
    } else if (g->values < 3) {
      g->text += (r.field == "missing" ? " or " : ", ") + more(r);
      ++g->values;
    }
  }
  std::string out;
  for (size_t i = 0; i < groups.size(); ++i) out += (i ? " · " : "") + groups[i].text;
  return out;
}

}  // namespace hfrec
