// The JSON API over core that JavaScript sees: catalogues and jobs as integer handles, requests
// and replies as JSON. One implementation for both WebAssembly modules: the npm package
// (wasm/pkg/bindings.cpp exports it as hfpkg_*) and the app's page (wasm/bindings.cpp exports the
// same functions, and hands the app's own catalogue to it with adopt(), so window.hfrec.core()
// is the package's Catalogue over what the page shows).
// - Every reply is {ok: true, ...} or {ok: false, code, error}. Codes: E_PARSE, E_UNKNOWN_MODEL,
//   E_BAD_ARGUMENT, E_DISPOSED (a freed or unknown handle), E_ABORTED (a cancelled job),
//   E_OUT_OF_MEMORY, E_INTERNAL (the last two from the exporting file's exception guard).
// - Keys are JavaScript's camelCase; result rows are the CLI's (cmd_recommend.cpp) renamed.
//
// [SECTION] Session: handles, loading, queries, jobs
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "catalogue.h"
#include "clustering.h"
#include "index.h"
#include "index_builder.h"
#include "lineage.h"
#include "search.h"

namespace hfrec::api {

using Json = nlohmann::json;

// {ok: false, code, error}
Json fail(const std::string& code, const std::string& message);
// Compact JSON text; invalid UTF-8 (an id from a hostile catalogue) replaced, never thrown.
std::string dump(const Json& j);

//-----------------------------------------------------------------------------
// [SECTION] Session: handles, loading, queries, jobs
//-----------------------------------------------------------------------------

// The handles a module has given out. Not thread-safe (a module instance runs on one thread).
class Session {
 public:
  // The most bytes a catalogue may have (LoadLimits).
  static double max_bytes();

  // A buffer of len bytes for a catalogue's text (the caller fills it); null when len is out of
  // range. Its data never moves. Throws std::bad_alloc when memory runs out (the exporting file
  // catches it where exceptions are on).
  char* buffer(double len);
  // Forgets a buffer that will not be loaded.
  void drop_buffer(const char* buffer);
  // Takes a filled buffer's bytes; false when `buffer` is not one of ours.
  bool take_buffer(const char* buffer, std::string& out);

  // Starts loading a filled buffer (format: 0 sniff, 1 CSV, 2 JSON): {ok, handle}; step it with
  // load_step until done. The load's errors are reported by load_step.
  Json load(const char* buffer, const std::string& name, int format);
  // Parses, then indexes, for about budget_ms: {ok, done, progress, stage}.
  Json load_step(int h, double budget_ms);
  // A handle to an index loaded elsewhere (the app's page), shared, not copied: its memory is
  // freed when both the owner and free_catalogue() have let go. The search index is built on
  // first use when null.
  int adopt(std::shared_ptr<const Index> index, std::shared_ptr<const Lineage> lineage,
            std::shared_ptr<const SearchIndex> search);
  // The index behind a handle (null for an unknown or unready one): adopt()'s caller asks whether
  // its handle is still the one for its index.
  const Index* index_of(int h) const;

  // {ok, results}: a request {query: ID | {task, library, modelType, text}, method, k, kmeansK,
  // filters: {tasks, libraries, modelTypes}}.
  Json recommend(int h, const Json& request);
  // {ok, hits, count}: type-ahead search over ids and authors.
  Json search(int h, const std::string& text, int n);
  // {ok, name, format, rows, columns, duplicatesDropped, warnings, attributes, soup, lineage}
  Json stats(int h) const;

  // {ok, job}: starts a clustering (elbow false) or an elbow; step it with job_step.
  Json job_start(int h, const Json& params, bool elbow);
  // {ok, done, progress, stage} and, once done, {result}; the job is forgotten when done.
  Json job_step(int id, double budget_ms);
  // Asks a job to stop; its next step reports E_ABORTED.
  void job_cancel(int id);
  // Frees a catalogue and its jobs; later calls with the handle report E_DISPOSED.
  void free_catalogue(int h);

  size_t catalogues() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<CatalogueLoader> loader;  // parsing
    std::unique_ptr<IndexBuilder> builder;    // indexing
    std::shared_ptr<const Index> index;       // ready
    std::shared_ptr<const Lineage> lineage;
    std::shared_ptr<const SearchIndex> search;  // built on first search
    std::string error, code;                    // a failed load
    std::string name;
  };
  struct JobEntry {
    int catalogue = 0;
    std::unique_ptr<ClusterJob> cluster;
    std::unique_ptr<ElbowJob> elbow;
    Job& job() { return cluster ? static_cast<Job&>(*cluster) : static_cast<Job&>(*elbow); }
  };

  const Entry* ready(int h, Json& err) const;
  int next_id() { return ++last_id_; }

  std::map<int, Entry> entries_;
  std::map<int, JobEntry> jobs_;
  std::map<uintptr_t, std::unique_ptr<std::string>> buffers_;  // by data address
  int last_id_ = 0;
};

}  // namespace hfrec::api
