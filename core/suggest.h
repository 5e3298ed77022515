// What people type or paste for a model: the id in a Hub URL ("https://huggingface.co/gpt2"), and
// "did you mean" for an id the catalogue does not have (letter case, typos, a shortened id).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "catalogue.h"

namespace hfrec {

// How a suggestion relates to the text; smaller is better.
enum class SuggestKind : uint8_t {
  exact = 0,      // the text is an id
  case_only = 1,  // an id equal to the text when ASCII letter case is ignored
  same_name = 2,  // an id whose name (after its last '/') equals the text's, letter case aside
  near = 3,       // an id within the edit distance limit of the text, or starting with it
  none = 4,       // nothing close enough
};

// "exact", "case", "name", "near", "none".
const char* suggest_kind_name(SuggestKind k);

struct SuggestParams {
  size_t max_distance = 0;  // edit distance limit; 0: a third of the text's length, from 1 to 8
  size_t min_prefix = 3;    // an id starting with the text is near when the text is this long
};

struct Suggestion {
  uint32_t row = 0;  // valid unless kind == none
  SuggestKind kind = SuggestKind::none;
  size_t distance = 0;  // near: the edit distance (letter case aside); else 0
};

// The catalogue id closest to `text`: the best kind, then (near) the smallest distance, then the
// most downloaded, then the smaller id. One pass over the ids (O(rows · length · limit)); ids
// longer or shorter than the text by more than the limit are skipped without a distance, and a
// distance stops as soon as every cell of a row exceeds the best so far.
Suggestion suggest_model(const Catalogue& cat, std::string_view text, const SuggestParams& p = {});

// Optimal string alignment distance (Levenshtein plus adjacent transpositions; Damerau 1964,
// restricted form) over bytes, ASCII letter case ignored; limit + 1 when it exceeds `limit`.
size_t edit_distance(std::string_view a, std::string_view b, size_t limit);

// The model id in a Hub URL or host-prefixed id; any other text comes back unchanged.
// - Accepts http(s)://, www., huggingface.co/ and hf.co/ (letter case aside) and surrounding spaces.
// - Drops ?query, #fragment, a trailing '/', and the sub-pages after the id (/tree/main,
//   /blob/..., /resolve/..., /raw/..., /commits/..., /discussions, ...).
// - "https://huggingface.co/gpt2/tree/main" -> "gpt2"; "hf.co/google-bert/bert-base-uncased?x" ->
//   "google-bert/bert-base-uncased"; "bert" -> "bert".
std::string model_id_from_text(std::string_view text);

}  // namespace hfrec
