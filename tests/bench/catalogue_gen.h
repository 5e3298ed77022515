// Synthetic Hub catalogues for benchmarks: scales a real catalogue (the 10k Hub dump) to N rows,
// deterministically by seed, keeping its distributions. Independent of core/ on purpose: the
// generator must not share bugs with the parser it feeds.
//
// How a row is made (see docs/benchmarks.md):
// - a real row is drawn uniformly, so tasks, libraries, architectures, model types and whole tag
//   sets (their co-occurrence) keep the real joint distribution;
// - its tag set is perturbed: one dataset/arxiv/license/language tag may be swapped for one drawn
//   from the real marginal of that kind, one optional tag may be dropped, one added;
// - the author is kept or replaced by a synthetic one from a pool that grows with N (Zipf-like);
// - a small fraction of rows get a novel architecture and model type (new categories appear as
//   the Hub grows instead of N copies of the same 1,000);
// - downloads are the real row's times a log-normal jitter (the heavy tail is kept);
// - ids are new and unique: "<author>/<name>-r<base36 row>".
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace hfrec::bench {

// One row of the real catalogue, as text (list cells also kept raw, for exact re-emission).
struct SourceRow {
  std::string id, last_modified, pipeline_tag, author, model_type, library_name, downloads;
  std::string tags_raw, architectures_raw, datasets_raw;  // "" when missing
  std::vector<std::string> tags, architectures, datasets;
};

// The real catalogue plus the marginals the perturbations draw from.
struct SourceCatalogue {
  std::vector<SourceRow> rows;
  std::vector<std::string> tag_occurrences;            // every tag occurrence (frequency-weighted)
  std::vector<std::vector<std::string>> tags_by_kind;  // per TagKind, every occurrence
};

// Tunables; the defaults are what docs/benchmarks.md reports on.
struct GenParams {
  size_t rows = 100'000;
  uint64_t seed = 1;
  double tag_swap = 0.30;         // P(swap one dataset/arxiv/license/language tag)
  double tag_drop = 0.20;         // P(drop one optional tag)
  double tag_add = 0.20;          // P(add one tag drawn from the real marginal)
  double author_new = 0.60;       // P(synthetic author instead of the real row's)
  double authors_per_row = 0.15;  // synthetic author pool size = rows × this
  double novelty = 0.003;         // P(novel architecture + model type)
  double download_sigma = 0.35;   // log-normal jitter of downloads
};

// hub_json: the fields hfrec reads, nothing else. hub_json_real: the same rows (the same catalogue
// as the CSV of the same seed) in the shape of a real list-models response with expand[]: siblings,
// spaces, safetensors, widgetData, transformersInfo, cardData's model-index and widget, config's
// tokenizer_config and chat template (escapes, \uXXXX, a surrogate pair), numbers and literals, and
// non-ASCII text escaped as Python's json.dumps writes it.
enum class GenFormat { csv, hub_json, hub_json_real };

// Reads a Hub CSV dump (RFC 4180, columns by header name). False and a message on failure.
bool read_source_csv(const std::string& path, SourceCatalogue& out, std::string& error);

// Writes params.rows generated rows to out, as a Hub CSV dump or list-models JSON.
void generate(const SourceCatalogue& src, const GenParams& params, GenFormat format, std::ostream& out);

// Path of a generated catalogue cached under `dir` (created atomically on first use), or "" and a
// message. The same (source, rows, seed, format) always gives the same bytes.
std::string cached_catalogue(const std::string& source_csv, size_t rows, uint64_t seed, GenFormat format,
                             std::string& error, const std::string& dir = "/tmp/hfrec-bench");

}  // namespace hfrec::bench
