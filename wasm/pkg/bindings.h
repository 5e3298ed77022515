// The JSON API's exports (hfpkg_*, core/api.h), in both WebAssembly modules: the npm package's and
// the app's. The app's own file reaches the same session to hand it the page's catalogue.
#pragma once
#include "core/api.h"

namespace hfrec::pkg {

// The module's one session: every hfpkg_* handle is in it.
api::Session& session();

}  // namespace hfrec::pkg
