// hfrec cluster / hfrec elbow (see issue: cluster views).
#include <cstdio>

#include "args.h"

namespace hfrec::cli {

int cmd_cluster(const Args&) {
  std::fprintf(stderr, "hfrec cluster: not built yet\n");
  return kExitUsage;
}

int cmd_elbow(const Args&) {
  std::fprintf(stderr, "hfrec elbow: not built yet\n");
  return kExitUsage;
}

}  // namespace hfrec::cli
