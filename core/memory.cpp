// Memory checks before large allocations (memory.h).
#include "memory.h"

#include <climits>
#include <cstdlib>
#include <limits>
#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif
#include <algorithm>
#include <cstdint>

namespace hfrec {

namespace {
uint64_t limit = 0;  // set_allocation_limit
}  // namespace

void set_allocation_limit(uint64_t bytes) { limit = bytes; }

void prepare_heap(uint64_t expected_bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
  mallopt(M_MMAP_MAX, 0);              // no block of its own mapping: all from the heap
  mallopt(M_TRIM_THRESHOLD, INT_MAX);  // the heap's free top kept (up to 2 GB)
  const size_t grow = static_cast<size_t>(std::min<uint64_t>(expected_bytes, INT_MAX / 2));
  auto* const before = static_cast<char*>(sbrk(0));
  // The heap grows by `grow`, untouched (nothing resident yet). Through a volatile pointer, so the
  // compiler cannot drop the malloc/free pair.
  static void* volatile block;
  block = std::malloc(grow);
  std::free(block);
  auto* const after = static_cast<char*>(sbrk(0));
  constexpr uintptr_t kHuge = uintptr_t(2) << 20;
  const uintptr_t from = (reinterpret_cast<uintptr_t>(before) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t to = reinterpret_cast<uintptr_t>(after) & ~(kHuge - 1);
  if (before != reinterpret_cast<char*>(-1) && to > from)
    madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);  // advice: failure changes nothing
#else
  (void)expected_bytes;
#endif
}

void prepare_heap_for_file(uint64_t file_bytes) {
  if (file_bytes > 0) prepare_heap(std::max<uint64_t>(8 * file_bytes, uint64_t(64) << 20));
}

bool can_allocate(uint64_t bytes) {
  if (bytes > std::numeric_limits<size_t>::max() || (limit && bytes > limit)) return false;
  // Through a volatile pointer, so the compiler cannot drop the malloc/free pair.
  static void* volatile block;
  block = std::malloc(static_cast<size_t>(bytes));
  const bool ok = block != nullptr;
  std::free(block);
  block = nullptr;
  return ok;
}

std::string out_of_memory(uint64_t bytes, const std::string& what) {
  std::string mb = std::to_string((bytes + (1u << 20) - 1) >> 20);
  for (size_t i = mb.size(); i > 3;) mb.insert(i -= 3, ",");
  return "not enough memory: " + what + " needs " + mb +
         " MB more, and the WebAssembly heap stops at 4 GB (reload the page to give back a previous "
         "catalogue's memory)";
}

}  // namespace hfrec
