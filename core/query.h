// Recommendation queries: what a query asks (method, k, filters; a catalogue model or an ad-hoc
// query) and what it answers (Recommendation). An Index (index.h) answers them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hfrec {

// The notebook's five methods and the hybrid of issue 7 (docs/hybrid.md).
enum class Method { jaccard, cosine, tfidf, knn, kmeans, hybrid };
inline constexpr Method kAllMethods[] = {Method::jaccard, Method::cosine, Method::tfidf,
                                         Method::knn,     Method::kmeans, Method::hybrid};

// The method's name as the CLI, the share link and the app spell it ("cosine").
const char* method_name(Method m);
// What a method does, in one or two plain sentences (for help text and tooltips).
const char* method_description(Method m);
// Parses "jaccard", "cosine", ...; false for an unknown name.
bool parse_method(std::string_view s, Method& out);
// True for the methods that read the soup space (cosine, tfidf); an Index built with its soup
// later builds it for them first.
inline bool reads_soup(Method m) { return m == Method::cosine || m == Method::tfidf; }

// Candidate restrictions; an empty list means any value.
struct Filters {
  std::vector<std::string> tasks, libraries, model_types;
  bool empty() const { return tasks.empty() && libraries.empty() && model_types.empty(); }
};

// What to recommend: the method, how many, among which candidates.
struct RecommendParams {
  Method method = Method::cosine;
  size_t k = 10;
  Filters filters;
  int kmeans_k = 10;  // clusters for Method::kmeans
  // Skip the posting lists that cannot change the answer (cosine, tfidf, hybrid; the answer is the
  // same either way, bit for bit); false walks every list (tests and benchmarks compare the two).
  bool prune = true;
};

// A query that is not in the catalogue: attribute values and free text ("arabic").
struct AdhocQuery {
  std::string pipeline_tag, library_name, model_type, author;
  std::vector<std::string> architectures;
  std::string text;
};

// One recommended model.
struct Recommendation {
  uint32_t row = 0;
  double score = 0;                 // similarity, higher is closer (knn: 1 / (1 + distance))
  double distance = 0;              // knn: Euclidean distance; others: 1 - score
  std::vector<std::string> shared;  // tokens or attributes that explain the score, strongest first
};

}  // namespace hfrec
