// Recommendation queries: the methods' names (query.h).
#include "query.h"

namespace hfrec {

const char* method_name(Method m) {
  switch (m) {
    case Method::jaccard: return "jaccard";
    case Method::cosine: return "cosine";
    case Method::tfidf: return "tfidf";
    case Method::knn: return "knn";
    case Method::kmeans: return "kmeans";
    case Method::hybrid: return "hybrid";
  }
  return "?";
}

const char* method_description(Method m) {
  switch (m) {
    case Method::jaccard:
      return "Attributes in common: task, architectures, model type and library, as the share of the two models' "
             "attributes they both have (1 = the same attributes).";
    case Method::cosine:
      return "Words in common: each model's tags, task, author, architectures, model type and library as a bag "
             "of words, compared by the angle between the bags (1 = the same words).";
    case Method::tfidf:
      return "Like cosine, but a word that few models have counts more than one every model has (tf-idf), so "
             "a shared paper or dataset outweighs a shared \"pytorch\".";
    case Method::knn:
      return "Nearest neighbours on the attributes: the fewest attributes that differ (Euclidean distance on "
             "0/1 columns; the distance is shown).";
    case Method::kmeans:
      return "Groups the models into clusters by their attributes (k-means) first, then ranks by cosine only "
             "the models in the query's cluster.";
    case Method::hybrid:
      return "Everything a row holds, weighed field by field: name words and spelling, author, tags, papers, "
             "datasets, architecture, library and task, rare terms counting more, plus a little popularity.";
  }
  return "";
}

bool parse_method(std::string_view s, Method& out) {
  for (Method m : kAllMethods)
    if (s == method_name(m)) {
      out = m;
      return true;
    }
  return false;
}

}  // namespace hfrec
