// JSON text for the automation API (window.hfrec), one writer for the whole app layer: compact,
// and invalid UTF-8 (an id or a file name from a hostile catalogue) replaced, never thrown.
// Internal to wasm/app.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace hfrec::app {

inline std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
inline nlohmann::json ok_json() { return nlohmann::json{{"ok", true}}; }
// {ok: false, error}
inline std::string fail(const std::string& msg) { return dump(nlohmann::json{{"ok", false}, {"error", msg}}); }

}  // namespace hfrec::app
