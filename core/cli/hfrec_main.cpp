// hfrec: the command-line face of the core engine (recommend, stats, cluster, elbow, eval, fetch, layout).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "../memory.h"
#include "../suggest.h"
#include "args.h"

namespace hfrec::cli {

Args parse_args(int argc, char** argv, const std::vector<std::string>& flags) {
  Args a;
  int i = 1;
  if (i < argc && argv[i][0] != '-') a.command = argv[i++];
  for (; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("-", 0) != 0) {
      a.errors.push_back("unexpected argument '" + excerpt(k) + "'");
      continue;
    }
    if (k.rfind("--", 0) == 0 && k.find('=') != std::string::npos) {
      a.opts.emplace(k.substr(0, k.find('=')), k.substr(k.find('=') + 1));
      continue;
    }
    bool is_flag = false;
    for (const auto& f : flags) is_flag |= f == k;
    if (is_flag) {
      a.opts.emplace(k, "1");
    } else if (i + 1 < argc) {
      a.opts.emplace(k, argv[++i]);
    } else {
      a.errors.push_back("option " + k + " needs a value");
    }
  }
  return a;
}

bool Args::get_int(const std::string& k, long long& out, long long lo, long long hi) {
  if (!has(k)) return true;
  std::string v = get(k);
  long long x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    errors.push_back(k + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                     excerpt(v) + "'");
    return false;
  }
  out = x;
  return true;
}

bool Args::get_double(const std::string& k, double& out) {
  if (!has(k)) return true;
  std::string v = get(k);
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') {
    errors.push_back(k + " must be a number, got '" + excerpt(v) + "'");
    return false;
  }
  out = x;
  return true;
}

void check_options(Args& a, const std::vector<std::string>& known) {
  for (const auto& [name, value] : a.opts) {
    if (name == "--help" || name == "-h" || std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string best;
    size_t best_d = 3;  // a hint only for a near miss (at most 2 edits)
    for (const auto& k : known)
      if (const size_t d = hfrec::edit_distance(name, k, 2); d < best_d) best = k, best_d = d;
    a.errors.push_back("unknown option " + excerpt(name) + (best.empty() ? "" : " (did you mean " + best + "?)"));
  }
}

std::string printable(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string json_line(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

size_t peak_rss_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

}  // namespace hfrec::cli

static const char* kUsage =
    "hfrec — content-based recommendations for Hugging Face model catalogues\n"
    "\n"
    "usage:\n"
    "  hfrec recommend --catalogue FILE --method M [-k N] (--model ID [--model ID ...] | --queries FILE)\n"
    "                  [--format jsonl|table] [--task T] [--library L] [--model-type MT] [--kmeans-k N]\n"
    "  hfrec recommend --catalogue FILE --method M [-k N] --adhoc [--task T] [--library L] [--model-type MT]\n"
    "                  [--text \"free text\"]\n"
    "  hfrec stats     --catalogue FILE\n"
    "  hfrec cluster   --catalogue FILE --algo kmeans|ward|dbscan [--features attributes|soup|tfidf] [--k N]\n"
    "                  [--eps E --min-samples M] [--seed S]\n"
    "  hfrec elbow     --catalogue FILE --k-min A --k-max B [--features attributes|soup|tfidf]\n"
    "  hfrec eval      --catalogue FILE --protocol datasets|task --method M\n"
    "  hfrec layout    --catalogue FILE --features attributes|soup|tfidf|hybrid [--method umap|pca] [--seed S]\n"
    "  hfrec fetch     --out FILE.csv|FILE.json [--sort downloads|likes|lastModified|createdAt] [--limit N]\n"
    "                  [--hub URL] [--resume STATE] [--page-size N] [--retries N] [--retry-base-ms MS]\n"
    "\n"
    "methods: jaccard, cosine, tfidf, knn, kmeans, hybrid\n"
    "fetch: the top N models (--limit, default 10000, 0 = all) from the Hub (default https://huggingface.co)\n"
    "       as a catalogue the other commands read; a failed fetch keeps what it got and says how to resume\n"
    "exit codes: 0 ok, 2 unusable catalogue or arguments, 3 some queries failed, 4 fetch failed after retries\n";

int main(int argc, char** argv) {
  using namespace hfrec::cli;
  std::ios::sync_with_stdio(false);
  Args a = parse_args(argc, argv, {"--help", "-h", "--adhoc"});
  if (a.command.empty() || a.command == "help" || a.has("--help") || a.has("-h")) {
    std::fputs(kUsage, a.command.empty() && !a.has("--help") && !a.has("-h") ? stderr : stdout);
    return a.command.empty() && !a.has("--help") && !a.has("-h") ? kExitUsage : 0;
  }
  // Each command's options: anything else is refused (exit 2) with a hint for a near miss.
  static const std::vector<std::pair<const char*, std::vector<std::string>>> kOptions = {
      {"recommend",
       {"--catalogue", "--method", "-k", "--k", "--model", "--queries", "--format", "--task", "--library",
        "--model-type", "--kmeans-k", "--adhoc", "--text"}},
      {"stats", {"--catalogue"}},
      {"cluster",
       {"--catalogue", "--algo", "--features", "--k", "--eps", "--min-samples", "--metric", "--seed", "--restarts",
        "--height", "--silhouette-sample"}},
      {"elbow", {"--catalogue", "--features", "--k-min", "--k-max", "--seed", "--restarts", "--silhouette-sample"}},
      {"eval", {"--catalogue", "--protocol", "--method", "--k", "-k", "--kmeans-k", "--seed"}},
      {"layout", {"--catalogue", "--features", "--method", "--seed"}},
      {"fetch", {"--out", "--sort", "--limit", "--hub", "--resume", "--page-size", "--retries", "--retry-base-ms"}},
  };
  for (const auto& [command, known] : kOptions)
    if (a.command == command) check_options(a, known);
  // The catalogue's index is built in a heap grown once in huge pages (core/memory.h); not for a
  // command its options refuse.
  if (a.has("--catalogue") && a.errors.empty()) {
    std::error_code size_error;
    const uint64_t file_bytes = std::filesystem::file_size(a.get("--catalogue"), size_error);
    if (!size_error) hfrec::prepare_heap_for_file(file_bytes);
  }
  if (a.command == "recommend") return cmd_recommend(a);
  if (a.command == "stats") return cmd_stats(a);
  if (a.command == "cluster") return cmd_cluster(a);
  if (a.command == "elbow") return cmd_elbow(a);
  if (a.command == "eval") return cmd_eval(a);
  if (a.command == "fetch") return cmd_fetch(a);
  if (a.command == "layout") return cmd_layout(a);
  std::fprintf(stderr, "hfrec: unknown command '%s'\n\n%s", printable(hfrec::excerpt(a.command)).c_str(), kUsage);
  return kExitUsage;
}
