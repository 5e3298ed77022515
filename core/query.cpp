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

bool parse_method(std::string_view s, Method& out) {
  for (Method m : kAllMethods)
    if (s == method_name(m)) {
      out = m;
      return true;
    }
  return false;
}

}  // namespace hfrec
