// hfrec eval (see issue: evaluation harness).
#include <cstdio>

#include "args.h"

namespace hfrec::cli {

int cmd_eval(const Args&) {
  std::fprintf(stderr, "hfrec eval: not built yet\n");
  return kExitUsage;
}

}  // namespace hfrec::cli
