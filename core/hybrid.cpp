// The hybrid recommender: per-field TF-IDF vectors of every row, the query's keys over the
// postings, and the terms that explain a score (hybrid.h).
#include "hybrid.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "text.h"

namespace hfrec {

const char* hybrid_field_name(HybridField f) {
  switch (f) {
    case HybridField::name: return "name";
    case HybridField::author: return "author";
    case HybridField::tag: return "tag";
    case HybridField::license: return "license";
    case HybridField::paper: return "paper";
    case HybridField::dataset: return "dataset";
    case HybridField::architecture: return "architecture";
    case HybridField::model_type: return "model_type";
    case HybridField::library: return "library";
    case HybridField::task: return "task";
    case HybridField::head: return "head";
    case HybridField::ngram: return "ngram";
  }
  return "?";
}

std::string architecture_head(std::string_view a, std::string_view model_type) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i = a.size(); i-- > 1;)
    if (a.substr(i - 1).size() > 3 && a.substr(i - 1, 3) == "For" && upper(a[i + 2]))
      return std::string(a.substr(i - 1));
  // Strip the model type, compared without case and punctuation ("xlm-roberta" ~ "XLMRoberta").
  size_t i = 0, j = 0;
  auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  while (i < a.size() && j < model_type.size()) {
    if (!alnum(model_type[j])) {
      ++j;
      continue;
    }
    if (low(a[i]) != low(model_type[j])) break;
    ++i, ++j;
  }
  if (!model_type.empty() && j == model_type.size() && i < a.size()) return std::string(a.substr(i));
  size_t k = a.size();
  while (k > 0 && !upper(a[k - 1])) --k;
  return std::string(a.substr(k > 0 ? k - 1 : 0));
}

namespace {

std::string key_of(HybridField f, std::string_view token) {
  std::string k;
  k.reserve(token.size() + 2);
  k += static_cast<char>('a' + static_cast<int>(f));
  k += '\x1f';
  k += token;
  return k;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The (field, token) pairs of one tag, lower-cased: license, paper, or a free tag with the
// 4-grams of its words (so "mozilla-foundation/common_voice_6_0" meets the name "cv-common-voice").
template <class Emit>
void tag_fields(std::string_view tag, Emit&& emit) {
  std::string t = lower(tag);
  if (starts_with(t, "license:")) return emit(HybridField::license, std::string_view(t).substr(8));
  if (starts_with(t, "dataset:")) return emit(HybridField::dataset, std::string_view(t).substr(8));
  if (starts_with(t, "arxiv:") || starts_with(t, "doi:")) return emit(HybridField::paper, std::string_view(t));
  emit(HybridField::tag, std::string_view(t));
  for (const std::string& w : id_tokens(t))
    for_each_char_4gram(w, [&](std::string_view g) { emit(HybridField::ngram, g); });
}

// The (field, token) pairs of one row's name, author and single-valued fields, lower-cased;
// duplicates allowed (removed by the caller). Tags, datasets and architectures go through the
// per-pool-string cache of the constructor.
template <class Emit>
void row_own_fields(const Catalogue& cat, uint32_t row, Emit&& emit) {
  const std::string_view id = cat.id(row);
  const size_t slash = id.rfind('/');
  std::string_view name = slash == std::string::npos ? std::string_view(id) : std::string_view(id).substr(slash + 1);
  for (const std::string& t : id_tokens(name)) {
    emit(HybridField::name, t);
    for_each_char_4gram(t, [&](std::string_view g) { emit(HybridField::ngram, g); });
  }
  if (cat.author[row] != kMissing) emit(HybridField::author, lower(cat.pool.str(cat.author[row])));
  else if (slash != std::string::npos) emit(HybridField::author, lower(std::string_view(id).substr(0, id.find('/'))));
  if (cat.model_type[row] != kMissing) emit(HybridField::model_type, lower(cat.pool.str(cat.model_type[row])));
  if (cat.library_name[row] != kMissing) emit(HybridField::library, lower(cat.pool.str(cat.library_name[row])));
  if (cat.pipeline_tag[row] != kMissing) emit(HybridField::task, lower(cat.pool.str(cat.pipeline_tag[row])));
}

}  // namespace

HybridModel::HybridModel(const Catalogue& cat, HybridParams p) : p_(p) {
  const uint32_t n = static_cast<uint32_t>(cat.size());
  // Terms per row (distinct), document frequencies.
  std::vector<uint32_t> df;
  std::vector<uint32_t> row_buf;
  auto term_of = [&](HybridField f, std::string_view tok) -> uint32_t {
    auto [it, ins] = vocab_.emplace(key_of(f, tok), static_cast<uint32_t>(term_text_.size()));
    if (ins) {
      term_text_.emplace_back(tok);
      term_field_.push_back(static_cast<uint8_t>(f));
      df.push_back(0);
    }
    return it->second;
  };
  // Tags, datasets and architectures repeat across rows: each pooled string is tokenized once per
  // role and its term ids cached (as build_soup does).
  enum Role { kTag, kDataset, kArch, kRoles };
  std::vector<uint32_t> cache_begin[kRoles], cache_end[kRoles];
  for (int r = 0; r < kRoles; ++r)
    cache_begin[r].assign(cat.pool.size(), kMissing), cache_end[r].assign(cat.pool.size(), 0);
  std::vector<uint32_t> cache_terms;
  auto cached = [&](Role role, uint32_t v, uint32_t row) {
    if (cache_begin[role][v] == kMissing || role == kArch) {  // the head depends on the row's model type
      const uint32_t b = static_cast<uint32_t>(cache_terms.size());
      auto add = [&](HybridField f, std::string_view tok) {
        if (!tok.empty()) cache_terms.push_back(term_of(f, tok));
      };
      if (role == kTag) {
        tag_fields(cat.pool.str(v), add);
      } else if (role == kDataset) {
        add(HybridField::dataset, lower(cat.pool.str(v)));
      } else {
        add(HybridField::architecture, lower(cat.pool.str(v)));
        add(HybridField::head, lower(architecture_head(cat.pool.str(v), cat.value(cat.model_type[row]))));
      }
      if (role == kArch) {
        row_buf.insert(row_buf.end(), cache_terms.begin() + b, cache_terms.end());
        cache_terms.resize(b);
        return;
      }
      cache_begin[role][v] = b;
      cache_end[role][v] = static_cast<uint32_t>(cache_terms.size());
    }
    row_buf.insert(row_buf.end(), cache_terms.begin() + cache_begin[role][v], cache_terms.begin() + cache_end[role][v]);
  };
  for (uint32_t r = 0; r < n; ++r) {
    row_buf.clear();
    row_own_fields(cat, r, [&](HybridField f, std::string_view tok) {
      if (!tok.empty()) row_buf.push_back(term_of(f, tok));
    });
    for (const uint32_t* p = cat.tags.begin(r); p != cat.tags.end(r); ++p) cached(kTag, *p, r);
    for (const uint32_t* p = cat.datasets.begin(r); p != cat.datasets.end(r); ++p) cached(kDataset, *p, r);
    for (const uint32_t* p = cat.architectures.begin(r); p != cat.architectures.end(r); ++p) cached(kArch, *p, r);
    std::sort(row_buf.begin(), row_buf.end());
    row_buf.erase(std::unique(row_buf.begin(), row_buf.end()), row_buf.end());
    for (uint32_t t : row_buf) ++df[t];
    row_terms_.insert(row_terms_.end(), row_buf.begin(), row_buf.end());
    row_ptr_.push_back(row_terms_.size());
  }
  const size_t T = term_text_.size();
  idf_.resize(T);
  for (size_t t = 0; t < T; ++t) idf_[t] = std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
  // Row weights: idf (binary tf), each field's sub-vector l2-normalised, times the field weight
  // (the document side carries the weight; queries are normalised per field without it).
  row_weights_.resize(row_terms_.size());
  for (uint32_t r = 0; r < n; ++r) {
    double sq[kHybridFields] = {};
    for (uint64_t k = row_ptr_[r]; k < row_ptr_[r + 1]; ++k)
      sq[term_field_[row_terms_[k]]] += idf_[row_terms_[k]] * idf_[row_terms_[k]];
    for (uint64_t k = row_ptr_[r]; k < row_ptr_[r + 1]; ++k) {
      uint32_t t = row_terms_[k];
      row_weights_[k] = static_cast<float>(idf_[t] / std::sqrt(sq[term_field_[t]]));
    }
  }
  // Inverted index (rows ascending within a term).
  post_ptr_.assign(T + 1, 0);
  for (uint32_t t : row_terms_) ++post_ptr_[t + 1];
  for (size_t t = 0; t < T; ++t) post_ptr_[t + 1] += post_ptr_[t];
  post_rows_.resize(row_terms_.size());
  post_weights_.resize(row_terms_.size());
  std::vector<uint64_t> fill(post_ptr_.begin(), post_ptr_.end() - 1);
  for (uint32_t r = 0; r < n; ++r)
    for (uint64_t k = row_ptr_[r]; k < row_ptr_[r + 1]; ++k) {
      uint64_t at = fill[row_terms_[k]]++;
      post_rows_[at] = r;
      post_weights_[at] = static_cast<float>(p_.field_weight[term_field_[row_terms_[k]]] * row_weights_[k]);
    }
  // Popularity prior, in [0, 1] before its weight.
  int64_t max_dl = 0;
  for (uint32_t r = 0; r < n; ++r) max_dl = std::max(max_dl, cat.downloads[r]);
  base_key_.assign(n, 0.0);
  if (max_dl > 0)
    for (uint32_t r = 0; r < n; ++r)
      base_key_[r] = -(p_.popularity_prior * std::log1p(static_cast<double>(cat.downloads[r])) /
                       std::log1p(static_cast<double>(max_dl)));
  // Singleton groups: every row is its own group (rows ordered by row id).
  groups_.group_of.resize(n);
  groups_.members.resize(n);
  groups_.member_ptr.resize(n + 1);
  for (uint32_t r = 0; r < n; ++r) {
    groups_.group_of[r] = r;
    groups_.members[r] = r;
    groups_.member_ptr[r + 1] = r + 1;
  }
}

uint32_t HybridModel::find(HybridField f, std::string_view token) const {
  auto it = vocab_.find(key_of(f, token));
  return it == vocab_.end() ? kMissing : it->second;
}

HybridQuery HybridModel::normalise(std::vector<std::pair<uint32_t, double>> raw) const {
  std::sort(raw.begin(), raw.end());
  HybridQuery q;
  double sq[kHybridFields] = {};
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && raw[i].first == raw[i - 1].first) continue;  // binary tf
    q.terms.push_back(raw[i]);
    sq[term_field_[raw[i].first]] += idf_[raw[i].first] * idf_[raw[i].first];
  }
  for (auto& [t, w] : q.terms) w = idf_[t] / std::sqrt(sq[term_field_[t]]);
  set_scale(q);
  return q;
}

void HybridModel::set_scale(HybridQuery& q) const {
  bool seen[kHybridFields] = {};
  double total = 0;
  for (auto [t, w] : q.terms)
    if (!seen[term_field_[t]]) {
      seen[term_field_[t]] = true;
      total += p_.field_weight[term_field_[t]];
    }
  q.scale = total > 0 ? 1.0 / total : 1.0;
}

HybridQuery HybridModel::row_query(uint32_t row) const {
  HybridQuery q;
  for (uint64_t k = row_ptr_[row]; k < row_ptr_[row + 1]; ++k) q.terms.emplace_back(row_terms_[k], row_weights_[k]);
  set_scale(q);
  return q;
}

HybridQuery HybridModel::text_query(std::string_view pipeline_tag, std::string_view library_name,
                                    std::string_view model_type, std::string_view author,
                                    const std::vector<std::string>& architectures, std::string_view text) const {
  std::vector<std::pair<uint32_t, double>> raw;
  auto add = [&](HybridField f, std::string_view value) {
    if (value.empty()) return;
    uint32_t t = find(f, lower(value));
    if (t != kMissing) raw.emplace_back(t, idf_[t]);
  };
  add(HybridField::task, pipeline_tag);
  add(HybridField::library, library_name);
  add(HybridField::model_type, model_type);
  add(HybridField::author, author);
  for (const auto& a : architectures) add(HybridField::architecture, a);
  // Free text: each word, and each id-style piece of it, in whichever fields hold it.
  std::vector<std::string> words;
  std::string low = lower(text);
  for_each_token(low, [&](std::string_view w) { words.emplace_back(w); });
  for (const auto& piece : id_tokens(text)) words.push_back(piece);
  for (const auto& w : words) {
    for (int f = 0; f < kHybridFields; ++f)
      if (static_cast<HybridField>(f) != HybridField::ngram) add(static_cast<HybridField>(f), w);
    for_each_char_4gram(w, [&](std::string_view g) { add(HybridField::ngram, g); });
  }
  return normalise(std::move(raw));
}

void HybridModel::keys(const HybridQuery& q, std::vector<double>& key) const {
  key.assign(base_key_.begin(), base_key_.end());  // one block copy
  double* out = key.data();
  for (auto [t, w] : q.terms) {
    const double ws = w * q.scale;
    // Pointers, not 64-bit offsets: under WebAssembly (32-bit addresses) this loop is then 32-bit.
    const uint32_t* row = post_rows_.data() + post_ptr_[t];
    const uint32_t* const end = post_rows_.data() + post_ptr_[t + 1];
    const float* weight = post_weights_.data() + post_ptr_[t];
    // Four at a time: a WebAssembly engine checks for interrupts on every loop iteration.
    for (; end - row >= 4; row += 4, weight += 4) {
      out[row[0]] -= ws * weight[0];
      out[row[1]] -= ws * weight[1];
      out[row[2]] -= ws * weight[2];
      out[row[3]] -= ws * weight[3];
    }
    for (; row != end; ++row, ++weight) out[*row] -= ws * *weight;
  }
}

std::vector<std::string> HybridModel::explain(const HybridQuery& q, uint32_t row) const {
  std::vector<std::pair<double, uint32_t>> contrib;
  auto qi = q.terms.begin();
  for (uint64_t k = row_ptr_[row]; k < row_ptr_[row + 1] && qi != q.terms.end(); ++k) {
    const uint32_t t = row_terms_[k];
    while (qi != q.terms.end() && qi->first < t) ++qi;
    if (qi != q.terms.end() && qi->first == t)
      contrib.emplace_back(-(qi->second * q.scale * p_.field_weight[term_field_[t]] * row_weights_[k]), t);
  }
  // The 4-grams are one explanation: "ngram:^squ+squa+quad (0.05)" (largest first, at most 4 shown).
  double ngram_total = 0;
  std::string ngram_text;
  int ngram_shown = 0;
  std::sort(contrib.begin(), contrib.end());
  for (const auto& [c, t] : contrib)
    if (term_field_[t] == static_cast<uint8_t>(HybridField::ngram)) {
      ngram_total += -c;
      if (ngram_shown++ < 4) ngram_text += (ngram_text.empty() ? "" : "+") + term_text_[t];
    }
  std::erase_if(contrib,
                [&](const auto& x) { return term_field_[x.second] == static_cast<uint8_t>(HybridField::ngram); });
  if (ngram_total > 0) {
    contrib.emplace_back(-ngram_total, kMissing);
    std::sort(contrib.begin(), contrib.end());
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < contrib.size() && i < p_.max_explanations; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " (%.2f)", -contrib[i].first);
    const uint32_t t = contrib[i].second;
    if (t == kMissing) out.push_back("ngram:" + ngram_text + buf);
    else
      out.push_back(std::string(hybrid_field_name(static_cast<HybridField>(term_field_[t]))) + ":" + term_text_[t] +
                    buf);
  }
  if (-base_key_[row] > 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "popularity (%.2f)", -base_key_[row]);
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace hfrec
