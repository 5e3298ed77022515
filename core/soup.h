// Soup space: the notebook's bag of words of a catalogue (tags, task, author, architectures, model
// type, library) under CountVectorizer and TfidfVectorizer, its identical rows grouped.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "job.h"
#include "row_groups.h"

namespace hfrec {

// The notebook's soup under CountVectorizer (counts) and TfidfVectorizer (smooth idf, l2).
struct SoupSpace {
  std::vector<std::string> terms;      // sorted, as CountVectorizer's vocabulary
  std::vector<double> idf;             // ln((1 + n) / (1 + df)) + 1
  Groups groups;                       // term counts; a catalogue row's are its group's
  std::vector<double> group_count_sq;  // sum of squared counts per group
  std::vector<double> group_tfidf_sq;  // sum of squared (count * idf) per group
  // Column of a term, or kMissing: a binary search of the sorted terms (a hash map of them would
  // take 20 MB more at two million rows, for the few lookups an ad-hoc query makes).
  uint32_t term(std::string_view t) const {
    auto it = std::lower_bound(terms.begin(), terms.end(), t);
    return it == terms.end() || *it != t ? kMissing : static_cast<uint32_t>(it - terms.begin());
  }
};

// Appends the soup tokens of one row (lower-cased, as CountVectorizer would see them).
void soup_tokens(const Catalogue& cat, uint32_t row, std::vector<std::string>& out);
// The soup space in one call (runs SoupBuilder to the end). `order` is tie_order(cat) when the
// caller has it (else it is computed).
SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);

namespace detail {
struct SoupState;
}  // namespace detail
extern template class SlicedBuilder<detail::SoupState, SoupSpace>;

// build_soup() in slices (see row_groups.h's builders), in phases: tokenizing (rows, each grouped
// with the identical rows before it as it is read), vocabulary sort, counts (groups), idf, collapse
// (members and postings), norms. stage() says which ("soup: tokenizing").
class SoupBuilder : public SlicedBuilder<detail::SoupState, SoupSpace> {
 public:
  SoupBuilder(const Catalogue& cat, const std::vector<uint32_t>& order);
};

}  // namespace hfrec
