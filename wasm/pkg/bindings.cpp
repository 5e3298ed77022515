// The JSON API's boundary (core/api.h) as C functions, for wasm/pkg/index.js and its Catalogue:
// the npm package's whole module, and linked into the app's module too, where the page's
// window.hfrec.core() uses it over the catalogue the app shows. One binding, two modules.
// - Every export returns {ok: true, ...} or {ok: false, code, error}; nothing throws across it.
//   The package's module is built with exception catching, and each export turns what core or
//   the allocator throws (std::bad_alloc) into E_OUT_OF_MEMORY / E_INTERNAL. The app's module is
//   built without it, as the rest of the app (an allocation failure there aborts, as the app's
//   own calls would; the large ones are checked first by core/memory.h).
// - index.js adds E_TOO_LARGE (checked before hfpkg_buffer, which also refuses more than the
//   limit).
#include "bindings.h"

#include <emscripten.h>

#include <exception>
#include <new>
#include <string>

namespace hfrec::pkg {
api::Session& session() {
  static api::Session s;
  return s;
}
}  // namespace hfrec::pkg

namespace {

using hfrec::api::fail;
using hfrec::api::Json;
using hfrec::pkg::session;

// Keeps a returned string alive until the next call (JavaScript copies it at once).
const char* ret(const Json& j) {
  static std::string last;
  last = hfrec::api::dump(j);
  return last.c_str();
}
std::string str(const char* p) { return p ? std::string(p) : std::string(); }

// Runs f() (which returns JSON) with every exception turned into an error record.
template <class F>
const char* guarded(F&& f) {
#if defined(__cpp_exceptions)
  try {
    return ret(f());
  } catch (const std::bad_alloc&) {
    return ret(fail("E_OUT_OF_MEMORY", "out of memory (the WebAssembly heap cannot grow further)"));
  } catch (const std::exception& e) {
    return ret(fail("E_INTERNAL", std::string("internal error: ") + e.what()));
  } catch (...) {
    return ret(fail("E_INTERNAL", "internal error"));
  }
#else
  return ret(f());
#endif
}

}  // namespace

extern "C" {

// The most bytes a catalogue may have (core's LoadLimits): index.js refuses more before asking
// for a buffer.
EMSCRIPTEN_KEEPALIVE double hfpkg_max_bytes() { return hfrec::api::Session::max_bytes(); }

// A buffer of len bytes for a catalogue's text; 0 when len is out of range or memory runs out.
EMSCRIPTEN_KEEPALIVE char* hfpkg_buffer(double len) {
#if defined(__cpp_exceptions)
  try {
    return session().buffer(len);
  } catch (...) {
    return nullptr;
  }
#else
  return session().buffer(len);
#endif
}
// Forgets a buffer from hfpkg_buffer that will not be loaded.
EMSCRIPTEN_KEEPALIVE void hfpkg_drop_buffer(char* buffer) { session().drop_buffer(buffer); }

// Starts loading a filled buffer (format: 0 sniff, 1 CSV, 2 JSON). {ok, handle}; step it with
// hfpkg_load_step until done.
EMSCRIPTEN_KEEPALIVE const char* hfpkg_load(char* buffer, const char* name, int format) {
  return guarded([&] { return session().load(buffer, str(name), format); });
}
EMSCRIPTEN_KEEPALIVE const char* hfpkg_load_step(int h, double budget_ms) {
  return guarded([&] { return session().load_step(h, budget_ms); });
}
// {ok, results}: a request {query: ID | {task, library, modelType, text}, method, k, kmeansK,
// filters: {tasks, libraries, modelTypes}}.
EMSCRIPTEN_KEEPALIVE const char* hfpkg_recommend(int h, const char* request) {
  return guarded([&] {
    const Json in = Json::parse(str(request), nullptr, false);
    return in.is_discarded() ? fail("E_BAD_ARGUMENT", "the request is not JSON") : session().recommend(h, in);
  });
}
// {ok, hits, count}: type-ahead search over ids and authors.
EMSCRIPTEN_KEEPALIVE const char* hfpkg_search(int h, const char* text, int n) {
  return guarded([&] { return session().search(h, str(text), n); });
}
EMSCRIPTEN_KEEPALIVE const char* hfpkg_stats(int h) {
  return guarded([&] { return session().stats(h); });
}
// {ok, job}: starts a clustering (elbow 0) or an elbow (1); step it with hfpkg_job_step.
EMSCRIPTEN_KEEPALIVE const char* hfpkg_job_start(int h, const char* params, int elbow) {
  return guarded([&] {
    const Json in = Json::parse(str(params), nullptr, false);
    return in.is_discarded() ? fail("E_BAD_ARGUMENT", "the parameters are not JSON")
                             : session().job_start(h, in, elbow != 0);
  });
}
EMSCRIPTEN_KEEPALIVE const char* hfpkg_job_step(int id, double budget_ms) {
  return guarded([&] { return session().job_step(id, budget_ms); });
}
// Asks a job to stop; its next step reports E_ABORTED.
EMSCRIPTEN_KEEPALIVE void hfpkg_job_cancel(int id) { session().job_cancel(id); }
// Frees a catalogue and its jobs; later calls with the handle report E_DISPOSED.
EMSCRIPTEN_KEEPALIVE void hfpkg_free(int h) { session().free_catalogue(h); }

}  // extern "C"
