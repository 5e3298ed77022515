// libFuzzer target: the hfrec command line, in process, over its arguments and a --queries file
// (issue 16, item 3: the CLI once aborted on invalid UTF-8 in --model, a query line or a file name).
// Input: argv tokens separated by NUL bytes; after an empty token (two NULs in a row) the rest is
// the queries file. The catalogue is always the project's own web/catalogue.csv: any --catalogue,
// --queries, --out, --hub or --resume the input names is dropped, and `fetch` is not run (it would
// reach the network).
// Invariants: no crash, abort or escaping exception for any bytes; the exit code is 0, 2 or 3;
// standard output is valid UTF-8 with no control bytes but newlines (the table escapes them, JSON
// writes them as \u escapes), not empty after a success, and JSON output is one JSON value or one
// per line. Run it with -close_fd_mask=2 (scripts/run-fuzzers.sh does): the CLI's messages go to
// stderr; stdout must stay open, as the target reads it back.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

// core/cli/hfrec_main.cpp's main, renamed for this target (-Dmain=hfrec_cli_main).
int hfrec_cli_main(int argc, char** argv);

namespace {

int g_out = -1;         // memfd behind stdout
std::string g_queries;  // path of the queries file

bool dropped(std::string_view t) {
  for (std::string_view o : {"--catalogue", "--queries", "--out", "--hub", "--resume"})
    if (t.substr(0, o.size()) == o && (t.size() == o.size() || t[o.size()] == '=')) return true;
  return false;
}

std::string read_all(int fd) {
  std::string s;
  char buf[65536];
  lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<size_t>(n));
  return s;
}

bool is_json(std::string_view t) { return !nlohmann::json::parse(t, nullptr, false).is_discarded(); }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Standard output goes to memory, read back after each run; libFuzzer reports on stderr.
  g_out = memfd_create("hfrec-fuzz-cli-stdout", 0);
  if (g_out < 0 || dup2(g_out, STDOUT_FILENO) < 0) std::abort();
  char dir[] = "/tmp/hfrec-fuzz-cli-XXXXXX";
  if (!mkdtemp(dir)) std::abort();
  g_queries = std::string(dir) + "/queries.txt";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // NUL-separated tokens until an empty one (two NULs in a row); the rest is the queries file.
  std::vector<std::string_view> raw;
  std::string_view queries;
  bool has_queries = false;
  for (size_t i = 0; i < in.size();) {
    const size_t end = std::min(in.find('\0', i), in.size());
    if (end == i) {
      queries = in.substr(i + 1);
      has_queries = true;
      break;
    }
    raw.push_back(in.substr(i, end - i));
    i = end + 1;
  }
  std::vector<std::string> tokens{"hfrec"};
  for (size_t j = 0; j < raw.size() && tokens.size() < 24; ++j) {
    if (dropped(raw[j])) {
      if (raw[j].find('=') == std::string_view::npos) ++j;  // and its value
      continue;
    }
    tokens.emplace_back(raw[j]);
  }
  if (tokens.size() > 1 && tokens[1] == "fetch") return 0;
  tokens.push_back("--catalogue");
  tokens.push_back(HFREC_FUZZ_CATALOGUE);
  if (has_queries) {
    FILE* f = std::fopen(g_queries.c_str(), "wb");
    if (!f) std::abort();
    std::fwrite(queries.data(), 1, queries.size(), f);
    std::fclose(f);
    tokens.push_back("--queries");
    tokens.push_back(g_queries);
  }
  std::vector<char*> argv;
  for (auto& t : tokens) argv.push_back(t.data());
  argv.push_back(nullptr);

  if (ftruncate(g_out, 0) != 0) std::abort();
  lseek(g_out, 0, SEEK_SET);
  const int code = hfrec_cli_main(static_cast<int>(tokens.size()), argv.data());
  std::cout.flush();
  std::fflush(stdout);
  if (code != 0 && code != 2 && code != 3) std::abort();

  const std::string out = read_all(g_out);
  if (code == 0 && out.empty()) std::abort();  // every success says something
  if (!hfrec::utf8_valid(out)) std::abort();
  for (unsigned char ch : out)
    if (ch < 0x20 && ch != '\n') std::abort();
  // JSON output is one value (stats, pretty-printed) or one value per line (JSONL).
  if (!out.empty() && out[0] == '{' && !is_json(out)) {
    for (size_t i = 0; i < out.size();) {
      const size_t nl = std::min(out.find('\n', i), out.size());
      const std::string_view line(out.data() + i, nl - i);
      if (!line.empty() && !is_json(line)) std::abort();
      i = nl + 1;
    }
  }
  return 0;
}
