#include "features.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "text.h"

namespace hfrec {

namespace {

struct RowHash {
  const CsrMatrix* m;
  size_t operator()(uint32_t r) const {
    uint64_t h = 1469598103934665603ull;
    for (uint64_t k = m->indptr[r]; k < m->indptr[r + 1]; ++k) {
      h = (h ^ m->indices[k]) * 1099511628211ull;
      if (!m->values.empty()) {
        uint32_t bits;
        std::memcpy(&bits, &m->values[k], 4);
        h = (h ^ bits) * 1099511628211ull;
      }
    }
    return static_cast<size_t>(h);
  }
};
struct RowEq {
  const CsrMatrix* m;
  bool operator()(uint32_t a, uint32_t b) const {
    size_t na = m->row_nnz(a);
    if (na != m->row_nnz(b)) return false;
    auto ia = m->indices.begin() + static_cast<long>(m->indptr[a]);
    auto ib = m->indices.begin() + static_cast<long>(m->indptr[b]);
    if (!std::equal(ia, ia + static_cast<long>(na), ib)) return false;
    if (m->values.empty()) return true;
    auto va = m->values.begin() + static_cast<long>(m->indptr[a]);
    auto vb = m->values.begin() + static_cast<long>(m->indptr[b]);
    return std::equal(va, va + static_cast<long>(na), vb);
  }
};

void build_postings(Groups& g) {
  const CsrMatrix& m = g.rows;
  g.postings_ptr.assign(m.n_cols + 1, 0);
  for (uint32_t c : m.indices) ++g.postings_ptr[c + 1];
  for (size_t c = 0; c < m.n_cols; ++c) g.postings_ptr[c + 1] += g.postings_ptr[c];
  g.postings.resize(m.nnz());
  if (!m.values.empty()) g.posting_values.resize(m.nnz());
  std::vector<uint64_t> fill(g.postings_ptr.begin(), g.postings_ptr.end() - 1);
  for (uint32_t r = 0; r < m.rows(); ++r)
    for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      uint64_t at = fill[m.indices[k]]++;
      g.postings[at] = r;
      if (!m.values.empty()) g.posting_values[at] = m.values[k];
    }
}

}  // namespace

std::vector<uint32_t> tie_order(const Catalogue& cat) {
  std::vector<uint32_t> order(cat.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
    return cat.id(a) < cat.id(b);
  });
  return order;
}

Groups collapse_rows(const CsrMatrix& m, const Catalogue& cat, const std::vector<uint32_t>* order_in) {
  Groups g;
  const auto n = static_cast<uint32_t>(m.rows());
  // Open addressing over row hashes (a node-based map costs an allocation per distinct row).
  const RowHash hasher{&m};
  const RowEq equal{&m};
  size_t cap = 1024;
  while (cap < size_t(n) * 2) cap *= 2;
  std::vector<uint32_t> slots(cap, kMissing);  // group id
  std::vector<uint64_t> group_hash;
  g.group_of.resize(n);
  std::vector<uint32_t> first;
  for (uint32_t r = 0; r < n; ++r) {
    const uint64_t h = hasher(r);
    size_t i = (h ^ (h >> 31)) & (cap - 1);
    for (; slots[i] != kMissing; i = (i + 1) & (cap - 1)) {
      const uint32_t x = slots[i];
      if (group_hash[x] == h && equal(first[x], r)) break;
    }
    if (slots[i] == kMissing) {
      slots[i] = static_cast<uint32_t>(first.size());
      first.push_back(r);
      group_hash.push_back(h);
    }
    g.group_of[r] = slots[i];
  }
  const size_t G = first.size();
  g.member_ptr.assign(G + 1, 0);
  for (uint32_t r = 0; r < n; ++r) ++g.member_ptr[g.group_of[r] + 1];
  for (size_t k = 0; k < G; ++k) g.member_ptr[k + 1] += g.member_ptr[k];
  g.members.resize(n);
  std::vector<uint32_t> fill(g.member_ptr.begin(), g.member_ptr.end() - 1);
  // Rows in tie order: downloads desc, then modelId asc.
  std::vector<uint32_t> own;
  if (!order_in) own = tie_order(cat);
  const std::vector<uint32_t>& order = order_in ? *order_in : own;
  for (uint32_t r : order) g.members[fill[g.group_of[r]]++] = r;
  g.rows.n_cols = m.n_cols;
  g.rows.indptr.assign(1, 0);
  for (uint32_t r : first) {
    for (uint64_t k = m.indptr[r]; k < m.indptr[r + 1]; ++k) {
      g.rows.indices.push_back(m.indices[k]);
      if (!m.values.empty()) g.rows.values.push_back(m.values[k]);
    }
    g.rows.indptr.push_back(g.rows.indices.size());
  }
  build_postings(g);
  return g;
}

uint32_t AttributeSpace::column(int field_no, std::string_view value) const {
  auto it = index.find(std::string(kAttributeFields[field_no]) + "_" + std::string(value));
  return it == index.end() ? kMissing : it->second;
}

AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order) {
  AttributeSpace a;
  const uint32_t n = static_cast<uint32_t>(cat.size());
  const std::vector<uint32_t>* cols[4] = {&cat.pipeline_tag, &cat.architectures_category, &cat.model_type,
                                          &cat.library_name};
  // Column per (field, pool id), ordered by field then value text.
  std::vector<std::vector<uint32_t>> col_of(4);
  bool present[4];
  for (int f = 0; f < 4; ++f) present[f] = cat.has_column(kAttributeFields[f]);
  for (int f = 0; f < 4; ++f) {
    col_of[f].assign(cat.pool.size(), kMissing);
    if (!present[f]) continue;
    std::vector<uint32_t> vals;
    std::vector<uint8_t> present(cat.pool.size(), 0);
    for (uint32_t r = 0; r < n; ++r) {
      uint32_t v = (*cols[f])[r];
      if (v != kMissing && !present[v]) {
        present[v] = 1;
        vals.push_back(v);
      }
    }
    std::sort(vals.begin(), vals.end(), [&](uint32_t x, uint32_t y) { return cat.pool.str(x) < cat.pool.str(y); });
    for (uint32_t v : vals) {
      auto c = static_cast<uint32_t>(a.names.size());
      col_of[f][v] = c;
      a.names.push_back(std::string(kAttributeFields[f]) + "_" + cat.pool.str(v));
      a.values.push_back(cat.pool.str(v));
      a.field.push_back(static_cast<uint8_t>(f));
      a.index.emplace(a.names.back(), c);
    }
  }
  a.matrix.n_cols = static_cast<uint32_t>(a.names.size());
  a.matrix.indptr.reserve(n + 1);
  a.matrix.indices.reserve(size_t(n) * 4);
  for (uint32_t r = 0; r < n; ++r) {
    for (int f = 0; f < 4; ++f) {
      uint32_t v = (*cols[f])[r];
      if (v != kMissing && present[f]) a.matrix.indices.push_back(col_of[f][v]);
    }
    a.matrix.indptr.push_back(a.matrix.indices.size());
  }
  a.groups = collapse_rows(a.matrix, cat, order);
  return a;
}

void soup_tokens(const Catalogue& cat, uint32_t row, std::vector<std::string>& out) {
  auto add_text = [&](std::string_view text) {
    std::string low = lower(text);
    for_each_token(low, [&](std::string_view t) { out.emplace_back(t); });
  };
  auto add_list = [&](const ListColumn& col) {
    if (col.missing[row]) {
      out.emplace_back("nan");
      return;
    }
    for (const uint32_t* p = col.begin(row); p != col.end(row); ++p)
      add_text(delete_ascii_punctuation(cat.pool.str(*p)));
  };
  auto add_value = [&](uint32_t v) {
    if (v == kMissing) out.emplace_back("nan");
    else add_text(cat.pool.str(v));
  };
  if (cat.has_column("tags")) add_list(cat.tags);
  if (cat.has_column("pipeline_tag")) add_value(cat.pipeline_tag[row]);
  if (cat.has_column("author")) add_value(cat.author[row]);
  if (cat.has_column("architectures")) add_list(cat.architectures);
  if (cat.has_column("model_type")) add_value(cat.model_type[row]);
  if (cat.has_column("library_name")) add_value(cat.library_name[row]);
}

SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* row_order) {
  SoupSpace s;
  const uint32_t n = static_cast<uint32_t>(cat.size());
  // First pass: provisional term ids in order of appearance. Values repeat across rows (tags,
  // libraries), so each pool string is tokenized once per mode and the token ids are cached.
  std::unordered_map<std::string, uint32_t> prov;
  std::vector<std::string> prov_terms;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> toks;
  const uint32_t nan_term = 0;
  prov.emplace("nan", 0);
  prov_terms.push_back("nan");
  // cache[mode][pool id] -> range in cache_toks; mode 0: list item (punctuation deleted), 1: value.
  std::vector<uint32_t> cache_begin[2], cache_end[2];
  for (int mode = 0; mode < 2; ++mode) {
    cache_begin[mode].assign(cat.pool.size(), kMissing);
    cache_end[mode].assign(cat.pool.size(), 0);
  }
  std::vector<uint32_t> cache_toks;
  auto tokens_of = [&](uint32_t v, int mode) {
    if (cache_begin[mode][v] == kMissing) {
      cache_begin[mode][v] = static_cast<uint32_t>(cache_toks.size());
      const std::string& text = cat.pool.str(v);
      std::string low = lower(mode == 0 ? delete_ascii_punctuation(text) : text);
      for_each_token(low, [&](std::string_view t) {
        auto [it, ins] = prov.emplace(std::string(t), static_cast<uint32_t>(prov_terms.size()));
        if (ins) prov_terms.emplace_back(t);
        cache_toks.push_back(it->second);
      });
      cache_end[mode][v] = static_cast<uint32_t>(cache_toks.size());
    }
    toks.insert(toks.end(), cache_toks.begin() + cache_begin[mode][v], cache_toks.begin() + cache_end[mode][v]);
  };
  auto add_list = [&](const ListColumn& col, uint32_t r) {
    if (col.missing[r]) {
      toks.push_back(nan_term);
      return;
    }
    for (const uint32_t* p = col.begin(r); p != col.end(r); ++p) tokens_of(*p, 0);
  };
  auto add_value = [&](uint32_t v) {
    if (v == kMissing) toks.push_back(nan_term);
    else tokens_of(v, 1);
  };
  toks.reserve(size_t(n) * 24);
  const bool has_tags = cat.has_column("tags"), has_task = cat.has_column("pipeline_tag"),
             has_author = cat.has_column("author"), has_arch = cat.has_column("architectures"),
             has_type = cat.has_column("model_type"), has_lib = cat.has_column("library_name");
  for (uint32_t r = 0; r < n; ++r) {  // the same fields, in the same order, as soup_tokens()
    if (has_tags) add_list(cat.tags, r);
    if (has_task) add_value(cat.pipeline_tag[r]);
    if (has_author) add_value(cat.author[r]);
    if (has_arch) add_list(cat.architectures, r);
    if (has_type) add_value(cat.model_type[r]);
    if (has_lib) add_value(cat.library_name[r]);
    indptr.push_back(toks.size());
  }
  bool nan_used = false;
  for (uint32_t t : toks) nan_used |= t == nan_term;
  if (!nan_used) {  // "nan" is only a term when some cell was missing
    for (uint32_t& t : toks) --t;
    prov_terms.erase(prov_terms.begin());
  }
  // Sorted vocabulary, as CountVectorizer orders it.
  std::vector<uint32_t> order(prov_terms.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return prov_terms[a] < prov_terms[b]; });
  std::vector<uint32_t> remap(prov_terms.size());
  s.terms.resize(prov_terms.size());
  for (uint32_t k = 0; k < order.size(); ++k) {
    remap[order[k]] = k;
    s.terms[k] = std::move(prov_terms[order[k]]);
  }
  s.index.reserve(s.terms.size());
  for (uint32_t k = 0; k < s.terms.size(); ++k) s.index.emplace(s.terms[k], k);
  // Counts per row.
  s.counts.n_cols = static_cast<uint32_t>(s.terms.size());
  s.counts.indptr.reserve(n + 1);
  std::vector<uint32_t> row;
  std::vector<uint32_t> df(s.terms.size(), 0);
  for (uint32_t r = 0; r < n; ++r) {
    row.clear();
    for (uint64_t k = indptr[r]; k < indptr[r + 1]; ++k) row.push_back(remap[toks[k]]);
    std::sort(row.begin(), row.end());
    for (size_t k = 0; k < row.size();) {
      size_t e = k;
      while (e < row.size() && row[e] == row[k]) ++e;
      s.counts.indices.push_back(row[k]);
      s.counts.values.push_back(static_cast<float>(e - k));
      ++df[row[k]];
      k = e;
    }
    s.counts.indptr.push_back(s.counts.indices.size());
  }
  s.idf.resize(s.terms.size());
  for (size_t t = 0; t < s.terms.size(); ++t)
    s.idf[t] = std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
  s.groups = collapse_rows(s.counts, cat, row_order);
  const size_t G = s.groups.size();
  s.group_count_sq.assign(G, 0.0);
  s.group_tfidf_sq.assign(G, 0.0);
  for (size_t g = 0; g < G; ++g)
    for (uint64_t k = s.groups.rows.indptr[g]; k < s.groups.rows.indptr[g + 1]; ++k) {
      double c = s.groups.rows.values[k];
      double w = c * s.idf[s.groups.rows.indices[k]];
      s.group_count_sq[g] += c * c;
      s.group_tfidf_sq[g] += w * w;
    }
  return s;
}

}  // namespace hfrec
