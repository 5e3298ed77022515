// Model ids from Hub URLs, and the nearest catalogue id for a text that is not one (suggest.h).
#include "suggest.h"

#include <algorithm>
#include <vector>

#include "topk.h"

namespace hfrec {

namespace {

inline char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equal_ci(s.substr(0, prefix.size()), prefix);
}

// The part after the last '/' (the whole text when there is none).
std::string_view name_part(std::string_view id) {
  size_t slash = id.rfind('/');
  return slash == std::string_view::npos ? id : id.substr(slash + 1);
}

// edit_distance with caller-owned rows (no allocation per id in suggest_model's loop). Only the
// cells within `limit` of the diagonal are computed: O(|a| · limit).
size_t osa(std::string_view a, std::string_view b, size_t limit, std::vector<size_t> rows[3]) {
  const size_t n = a.size(), m = b.size();
  const size_t inf = limit + 1;
  if ((n > m ? n - m : m - n) > limit) return inf;
  for (int r = 0; r < 3; ++r) rows[r].assign(m + 1, inf);
  size_t* r0 = rows[0].data();  // row i - 2
  size_t* r1 = rows[1].data();  // row i - 1
  size_t* r2 = rows[2].data();  // row i
  for (size_t j = 0; j <= m && j <= limit; ++j) r1[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    // Cells farther than `limit` from the diagonal cannot end at most `limit`: they stay inf. A
    // row reads its predecessor over [lo - 1, hi] and the row before over [lo - 2, hi - 2], which
    // those rows wrote (or left inf); r2 still holds row i - 3 over [lo - 3, hi - 3], so its cell
    // lo - 1 is reset and the two below it are never read again.
    const size_t lo = i > limit ? i - limit : 0, hi = std::min(m, i + limit);
    size_t row_min = inf;
    if (lo == 0) row_min = r2[0] = i;
    else r2[lo - 1] = inf;
    const char ai = lower_ascii(a[i - 1]);
    for (size_t j = std::max<size_t>(lo, 1); j <= hi; ++j) {
      const char bj = lower_ascii(b[j - 1]);
      size_t v = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + (ai != bj ? 1 : 0)});
      if (i > 1 && j > 1 && ai == lower_ascii(b[j - 2]) && lower_ascii(a[i - 2]) == bj) v = std::min(v, r0[j - 2] + 1);
      r2[j] = std::min(v, inf);
      row_min = std::min(row_min, r2[j]);
    }
    if (row_min > limit) return inf;
    size_t* t = r0;  // rotate: row i - 1 becomes i - 2, row i becomes i - 1
    r0 = r1;
    r1 = r2;
    r2 = t;
  }
  return std::min(r1[m], inf);
}

}  // namespace

const char* suggest_kind_name(SuggestKind k) {
  switch (k) {
    case SuggestKind::exact: return "exact";
    case SuggestKind::case_only: return "case";
    case SuggestKind::same_name: return "name";
    case SuggestKind::near: return "near";
    case SuggestKind::none: return "none";
  }
  return "none";
}

size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
  std::vector<size_t> rows[3];
  return osa(a, b, limit, rows);
}

Suggestion suggest_model(const Catalogue& cat, std::string_view text, const SuggestParams& p) {
  Suggestion best;
  if (text.empty()) return best;
  if (uint32_t row = cat.find(text); row != kMissing) return Suggestion{row, SuggestKind::exact, 0};
  const size_t limit = p.max_distance ? p.max_distance : std::clamp<size_t>(text.size() / 3, 1, 8);
  const bool prefix_ok = text.size() >= p.min_prefix;
  const std::string_view text_name = name_part(text);
  std::vector<size_t> rows[3];
  // Byte counts of the text minus those of an id: half their L1 norm (rounded up) is a lower bound
  // of the edit distance (an edit changes at most two counts by one; a swap none), far cheaper.
  int counts[128] = {};
  for (char c : text) ++counts[static_cast<unsigned char>(lower_ascii(c)) & 127];
  auto count_bound = [&](std::string_view id) {
    size_t l1 = text.size();
    for (char c : id) l1 = --counts[static_cast<unsigned char>(lower_ascii(c)) & 127] >= 0 ? l1 - 1 : l1 + 1;
    for (char c : id) ++counts[static_cast<unsigned char>(lower_ascii(c)) & 127];
    return (l1 + 1) / 2;
  };
  // Better: a smaller kind, then a smaller distance, then tie_before (downloads, then id).
  auto take = [&](uint32_t row, SuggestKind kind, size_t distance) {
    if (best.kind != SuggestKind::none) {
      if (kind != best.kind) {
        if (kind > best.kind) return;
      } else if (distance != best.distance) {
        if (distance > best.distance) return;
      } else if (!tie_before(cat, row, best.row)) {
        return;
      }
    }
    best = Suggestion{row, kind, distance};
  };
  for (uint32_t row = 0; row < cat.size(); ++row) {
    const std::string_view id = cat.id(row);
    if (equal_ci(id, text)) {
      take(row, SuggestKind::case_only, 0);
      continue;
    }
    if (best.kind < SuggestKind::same_name) continue;
    if (!text_name.empty() && equal_ci(name_part(id), text_name)) {
      take(row, SuggestKind::same_name, 0);
      continue;
    }
    if (best.kind < SuggestKind::near) continue;
    if (prefix_ok && starts_with_ci(id, text)) {
      take(row, SuggestKind::near, id.size() - text.size());
      continue;
    }
    // A distance above the best so far cannot win; an equal one may (more downloads).
    const size_t bound = best.kind == SuggestKind::near ? std::min(limit, best.distance) : limit;
    const size_t gap = id.size() > text.size() ? id.size() - text.size() : text.size() - id.size();
    if (gap > bound || count_bound(id) > bound) continue;
    const size_t d = osa(text, id, bound, rows);
    if (d <= bound) take(row, SuggestKind::near, d);
  }
  return best;
}

std::string model_id_from_text(std::string_view text) {
  std::string_view t = text;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!t.empty() && space(t.front())) t.remove_prefix(1);
  while (!t.empty() && space(t.back())) t.remove_suffix(1);
  if (starts_with_ci(t, "https://")) t.remove_prefix(8);
  else if (starts_with_ci(t, "http://")) t.remove_prefix(7);
  if (starts_with_ci(t, "www.")) t.remove_prefix(4);
  bool hub = false;
  for (std::string_view host : {std::string_view("huggingface.co"), std::string_view("hf.co")}) {
    if (starts_with_ci(t, host) &&
        (t.size() == host.size() || t[host.size()] == '/' || t[host.size()] == '?' || t[host.size()] == '#')) {
      t.remove_prefix(host.size());
      hub = true;
      break;
    }
  }
  if (!hub) return std::string(text);
  t = t.substr(0, t.find_first_of("?#"));
  std::vector<std::string_view> segs;
  while (!t.empty()) {
    size_t slash = t.find('/');
    std::string_view seg = t.substr(0, slash);
    if (!seg.empty()) segs.push_back(seg);
    if (slash == std::string_view::npos) break;
    t.remove_prefix(slash + 1);
  }
  if (segs.empty()) return {};
  static constexpr std::string_view kSubPages[] = {"tree",   "blob",        "resolve", "raw",   "commits",
                                                   "commit", "discussions", "edit",    "blame", "settings"};
  std::string id(segs[0]);
  if (segs.size() >= 2 && std::find(std::begin(kSubPages), std::end(kSubPages), segs[1]) == std::end(kSubPages)) {
    id += '/';
    id += segs[1];
  }
  return id;
}

}  // namespace hfrec
