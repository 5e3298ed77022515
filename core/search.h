// Type-ahead search over a catalogue's model ids and authors, ranked for a person typing.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "job.h"

namespace hfrec {

// How a model matched the query; smaller is better.
enum class MatchKind : uint8_t {
  exact = 0,        // the whole id, or the name after the last '/', equals the query
  prefix = 1,       // the id starts with the query
  word_prefix = 2,  // a word of the id (after / - _ . or space) or the author starts with the query
  substring = 3,    // the query occurs somewhere in the id or the author
  fuzzy = 4,        // the query's characters occur in order (a subsequence)
};

const char* match_kind_name(MatchKind k);

struct SearchHit {
  uint32_t row = 0;
  MatchKind kind = MatchKind::fuzzy;
};

struct SearchParams {
  size_t limit = 50;  // hits returned (the count covers every match)
  bool fuzzy = true;  // add subsequence matches when the other kinds find fewer than `limit`
};

struct SearchResult {
  std::vector<SearchHit> hits;  // best first: kind, then downloads desc, then modelId asc
  size_t count = 0;             // every non-fuzzy match, plus the fuzzy ones when they were searched
  bool fuzzy_searched = false;
};

namespace detail {
struct SearchState;
}

// Case-insensitive search over modelId and author.
// - Prefix matches come from a sorted array of lower-cased ids by binary search (O(log n)).
// - Substring and fuzzy matches scan one contiguous buffer; when a query extends the previous one
//   (typing), only the previous matches are rescanned, so each keystroke gets cheaper.
class SearchIndex {
 public:
  SearchIndex() = default;
  explicit SearchIndex(const Catalogue& cat);
  SearchResult search(std::string_view query, const SearchParams& p = {}) const;
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  // Every row, ordered by lower-cased id (bytes, unsigned), then row: an alphabetical listing.
  const std::vector<uint32_t>& rows_by_id() const { return sorted_; }

 private:
  friend struct detail::SearchState;
  std::string_view text(uint32_t row) const {
    return std::string_view(buf_).substr(offsets_[row], offsets_[row + 1] - offsets_[row] - 1);
  }
  // lower(id): the text up to its tab (ids and authors hold none: they are written as spaces).
  // Found, not stored: the row's text is read next anyway, and 4 bytes a row are 8 MB at 2M rows.
  std::string_view id_part(uint32_t row) const {
    std::string_view t = text(row);
    return t.substr(0, t.find('\t'));
  }
  MatchKind classify(uint32_t row, std::string_view q) const;
  int64_t sorted_downloads(size_t i) const;  // downloads of sorted_[i] (see sorted_downloads_)

  const Catalogue* cat_ = nullptr;
  std::string buf_;                // per row: lower(id) [ '\t' lower(author) ] '\n'
  std::vector<uint32_t> offsets_;  // row r's text is buf_[offsets_[r], offsets_[r+1]-1)
  std::vector<uint64_t> bytes_;    // per row: byte_set() of its text, a filter before scanning it
  // Per row: bytes of lower(id) after its last '/', kLongName when that many or more, kNoSlash
  // when there is none. Exact-name checks read this byte instead of the text.
  static constexpr uint8_t kLongName = 254, kNoSlash = 255;
  std::vector<uint8_t> name_len_;
  std::vector<uint32_t> sorted_;  // rows by lower(id) ascending
  // Downloads of sorted_[i]: ranking a prefix range reads these in order. 32 bits hold nearly
  // every count (half the bytes of int64); kBigDownloads says "read the catalogue's".
  static constexpr uint32_t kBigDownloads = UINT32_MAX;
  std::vector<uint32_t> sorted_downloads_;
  // Typing cache: the rows matching the last query as a substring / subsequence.
  mutable std::string last_query_;
  mutable std::vector<uint32_t> last_sub_, last_fuzzy_;
  mutable bool last_fuzzy_valid_ = false;
};

// SearchIndex(cat) in slices of a few milliseconds, as the app builds it after a load (at 1M rows,
// built at once, one 0.7-1 s step). The catalogue must outlive the builder and the index.
class SearchIndexBuilder : public SlicedBuilder<detail::SearchState, SearchIndex> {
 public:
  explicit SearchIndexBuilder(const Catalogue& cat);
};

}  // namespace hfrec
