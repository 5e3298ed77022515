// hfrec eval: the offline protocols of issue 7 (datasets-P@10, task agreement@10).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "../catalogue.h"
#include "../eval.h"
#include "args.h"

namespace hfrec::cli {

int cmd_eval(const Args& in) {
  Args a = in;
  EvalParams p;
  if (!a.has("--catalogue")) a.errors.push_back("--catalogue FILE is required");
  if (!a.has("--protocol")) a.errors.push_back("--protocol is required (datasets, task)");
  else if (!parse_protocol(a.get("--protocol"), p.protocol))
    a.errors.push_back("unknown protocol '" + a.get("--protocol") + "' (datasets, task)");
  if (!a.has("--method")) {
    a.errors.push_back("--method is required (jaccard, cosine, tfidf, knn, kmeans, hybrid, random)");
  } else {
    p.method = a.get("--method");
    Method m;
    if (p.method != "random" && !parse_method(p.method, m))
      a.errors.push_back("unknown method '" + p.method + "' (jaccard, cosine, tfidf, knn, kmeans, hybrid, random)");
  }
  long long k = 10, kk = 10, seed = 0;
  if (a.has("-k")) a.opts.emplace("--k", a.get("-k"));
  a.get_int("--k", k, 1, 1000);
  a.get_int("--kmeans-k", kk, 1, 1000);
  if (a.has("--seed")) {
    if (p.method != "random") a.errors.push_back("--seed applies to --method random only");
    a.get_int("--seed", seed, 0, (1LL << 62));
    p.random_sample = true;
  }
  if (!a.errors.empty()) {
    for (const auto& e : a.errors) std::fprintf(stderr, "hfrec eval: %s\n", printable(e).c_str());
    std::fprintf(stderr, "run 'hfrec --help' for usage\n");
    return kExitUsage;
  }
  p.k = static_cast<size_t>(k);
  p.kmeans_k = static_cast<int>(kk);
  p.seed = static_cast<uint64_t>(seed);
  auto loaded = load_catalogue_file(a.get("--catalogue"));
  if (!loaded.ok()) {
    std::fprintf(stderr, "hfrec eval: %s\n", loaded.error().c_str());
    return kExitUsage;
  }
  auto r = evaluate(loaded.value(), p);
  if (!r.ok()) {
    std::fprintf(stderr, "hfrec eval: %s\n", r.error().c_str());
    return kExitUsage;
  }
  const EvalResult& e = r.value();
  nlohmann::json o;
  o["protocol"] = protocol_name(e.protocol);
  o["method"] = e.method;
  o["queries"] = e.queries;
  o["value"] = e.value;
  o["k"] = p.k;
  o["seconds"] = e.seconds;
  std::cout << json_line(o) << "\n";
  return 0;
}

}  // namespace hfrec::cli
