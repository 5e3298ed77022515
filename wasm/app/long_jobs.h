// The one rule for jobs a view starts by itself (a share link's clustering or UMAP map): a job
// whose estimate is above the threshold (kAutoStartSeconds unless a test lowers it) does not start;
// the view shows why and waits for the person's button. Clusterings (Controller::Impl::held_back)
// and map layouts (ClusterController's sync_layout) both decide and word it here.
#pragma once
#include <cmath>
#include <string>
#include <string_view>

namespace hfrec::app {

// What waits, in place of the job: "" when `native_seconds` (the core's estimate) is within
// `threshold`, else e.g. "This clustering (kmeans on tfidf, k = 2000) would take about 12 s or
// more, so it waits: press Run to start it." The estimate is native; the note doubles it for the
// browser. The seconds are written without grouping (state().clusters.held is read by scripts that
// match \d+ s); counts in `what` are grouped by the caller.
inline std::string long_job_note(std::string_view what, double native_seconds, double threshold,
                                 std::string_view button) {
  if (native_seconds <= threshold) return {};
  return std::string(what) + " would take about " +
         std::to_string(static_cast<long long>(std::ceil(2 * native_seconds))) + " s or more, so it waits: press " +
         std::string(button) + " to start it.";
}

}  // namespace hfrec::app
