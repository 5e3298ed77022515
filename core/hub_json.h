// Hub JSON: the Hub's list-models response (an array of model objects) read into a catalogue one
// element at a time. CatalogueLoader and load_hub_json() (catalogue.h) drive it.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "catalogue.h"

namespace hfrec {

// A Hub list-models JSON array loaded one element at a time, so no DOM of the whole file is built
// and the load can run in slices.
// - A plain model object is read by a strict one-pass scanner; any other element is found by a
//   scan that follows strings and nesting (its depth checked on the way) and parsed on its own by
//   nlohmann's DOM, whose conversions and messages are the reference. Both read the same
//   (LoadLimits::json_fast_path = false sends everything through the DOM, for tests and fuzzers).
// - Any syntax error falls back to a whole-text SAX pass for its message ("JSON byte 17: ...").
// - The text and the catalogue must outlive the load.
class HubJsonLoad {
 public:
  // screened: the caller has already refused text over max_file_bytes and text with a NUL byte
  // (CatalogueLoader does, for every format), so the JSON loader does not scan for them again.
  HubJsonLoad(std::string_view text, Catalogue& cat, const LoadLimits& limits, bool screened);
  ~HubJsonLoad();
  // Works through up to `budget` models; true when finished (then error() is empty on success).
  bool step(size_t budget);
  // Why the load failed, or "".
  const std::string& error() const;
  // Fraction of the text read, in [0, 1].
  double progress() const;
  // Model objects read so far by the DOM path (the rest went through the fast path): for tests and
  // benchmarks that check real-shape objects stay on the fast path.
  size_t dom_elements() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hfrec
