// hfrec_gen: writes a synthetic Hub catalogue scaled from a real one (see catalogue_gen.h).
//   hfrec_gen --source hf_models_10k.csv --rows 1000000 [--seed 1] [--format csv|json|json-real] [--out FILE]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "catalogue_gen.h"

int main(int argc, char** argv) {
  std::string source, out_path, format = "csv";
  hfrec::bench::GenParams p;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto num = [&](double& dst) {
      if (!v) return false;
      char* end = nullptr;
      dst = std::strtod(v, &end);
      ++i;
      return end && *end == '\0';
    };
    double x = 0;
    bool ok = true;
    if (a == "--source" && v) source = v, ++i;
    else if (a == "--out" && v) out_path = v, ++i;
    else if (a == "--format" && v) format = v, ++i;
    else if (a == "--rows") ok = num(x) && x >= 1, p.rows = static_cast<size_t>(x);
    else if (a == "--seed") ok = num(x) && x >= 0, p.seed = static_cast<uint64_t>(x);
    else if (a == "--novelty") ok = num(x) && x >= 0 && x <= 1, p.novelty = x;
    else if (a == "--author-new") ok = num(x) && x >= 0 && x <= 1, p.author_new = x;
    else if (a == "--help" || a == "-h") {
      std::printf(
          "usage: hfrec_gen --source FILE.csv --rows N [--seed S] [--format csv|json|json-real] [--out FILE]\n"
          "                 [--novelty P] [--author-new P]\n"
          "Scales a real Hub CSV dump to N rows (deterministic by seed); writes to stdout without --out.\n"
          "json-real: the same rows in the shape of a real list-models response (siblings, safetensors,\n"
          "cardData.model-index, config.tokenizer_config.chat_template, ...).\n");
      return 0;
    } else ok = false;
    if (!ok) {
      std::fprintf(stderr, "hfrec_gen: bad argument '%s' (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (source.empty() || (format != "csv" && format != "json" && format != "json-real")) {
    std::fprintf(stderr, "hfrec_gen: --source FILE is required and --format is csv, json or json-real (see --help)\n");
    return 2;
  }
  hfrec::bench::SourceCatalogue src;
  std::string error;
  if (!hfrec::bench::read_source_csv(source, src, error)) {
    std::fprintf(stderr, "hfrec_gen: %s\n", error.c_str());
    return 2;
  }
  const auto fmt = format == "csv"    ? hfrec::bench::GenFormat::csv
                   : format == "json" ? hfrec::bench::GenFormat::hub_json
                                      : hfrec::bench::GenFormat::hub_json_real;
  if (out_path.empty()) {
    std::ios::sync_with_stdio(false);
    hfrec::bench::generate(src, p, fmt, std::cout);
    return std::cout ? 0 : 1;
  }
  std::ofstream out(out_path, std::ios::binary);
  if (!out) {
    std::fprintf(stderr, "hfrec_gen: %s: cannot write\n", out_path.c_str());
    return 2;
  }
  hfrec::bench::generate(src, p, fmt, out);
  out.close();
  if (!out) {
    std::fprintf(stderr, "hfrec_gen: %s: write failed\n", out_path.c_str());
    return 1;
  }
  return 0;
}
