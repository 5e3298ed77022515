// libFuzzer target: the share-link (URL hash) parser, which reads untrusted links.
// Invariants: no crash; a parsed link's catalogue source is an allowed URL; a parsed link formats to
// a hash that parses again and formats identically; percent_decode inverts percent_encode. The
// lenient parse agrees with the strict one (same link without problems, else the strict error is
// its first problem's) and what it keeps is a link the strict parser accepts. The lasso's own
// parser (core/map_lasso.h): a lasso it reads is within its bounds, and once normalised it is
// written and read back to the same doubles.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/map_lasso.h"
#include "core/share_link.h"

using namespace hfrec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view hash(reinterpret_cast<const char*>(data), size);
  const std::string_view origin = "https://hfrec.example";
  (void)is_allowed_catalogue_url(hash, origin);
  (void)huggingface_url(hash);
  auto decoded = percent_decode(percent_encode(hash));
  if (!decoded.ok() || decoded.value() != hash) std::abort();
  if (auto lasso = parse_lasso(hash); lasso.ok()) {
    const MapPolygon& p = lasso.value();
    if (p.x.size() != p.y.size() || p.x.size() < 3 || p.x.size() > kMaxLassoVertices) std::abort();
    const MapPolygon kept = normalize_lasso(p);
    if (!kept.x.empty()) {
      auto back = parse_lasso(format_lasso(kept));
      if (!back.ok() || back.value().x != kept.x || back.value().y != kept.y) std::abort();
    }
  } else if (lasso.error().empty()) {
    std::abort();
  }
  auto r = parse_share_link(hash, origin);
  auto parts = parse_share_link_parts(hash, origin);
  if (parts.ok()) {
    const ShareLinkParts& p = parts.value();
    const std::string kept = format_share_link(p.link);
    auto strict_kept = parse_share_link(kept, origin);
    if (!strict_kept.ok() || format_share_link(strict_kept.value()) != kept) std::abort();
    if (p.problems.empty() != r.ok()) std::abort();
    if (r.ok() && format_share_link(r.value()) != kept) std::abort();
    if (!r.ok() && r.error() != p.problems.front().error) std::abort();
    for (const auto& problem : p.problems)
      if (problem.reason.empty() || describe_link_problem(problem).empty()) std::abort();
  } else if (r.ok() || r.error() != parts.error()) {
    std::abort();
  }
  if (!r.ok()) {
    if (r.error().empty()) std::abort();
    return 0;
  }
  if (!r.value().source.empty() && !is_allowed_catalogue_url(r.value().source, origin)) std::abort();
  const std::string once = format_share_link(r.value());
  auto again = parse_share_link(once, origin);
  if (!again.ok()) std::abort();
  if (format_share_link(again.value()) != once) std::abort();
  return 0;
}
