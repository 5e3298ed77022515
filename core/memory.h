// Memory checks before large allocations: under WebAssembly the heap stops at 4 GB (wasm32), and
// there a failed operator new aborts the page (exceptions are not caught), so a builder asks first.
#pragma once
#include <cstdint>
#include <string>

namespace hfrec {

// True when one block of `bytes` can be allocated now (it is allocated and freed). Natively
// (overcommit) nearly always true; under WebAssembly with ALLOW_MEMORY_GROWTH, malloc returns null
// once the heap cannot grow, where `new` would abort.
bool can_allocate(uint64_t bytes);

// For tests: checks of blocks over `bytes` fail, as they would at the heap's limit (0: no limit).
void set_allocation_limit(uint64_t bytes);

// For a native process that indexes a catalogue and exits (the CLI, the same-work benchmark): the
// heap is grown once by `expected_bytes` in huge pages (transparent huge pages, where the system
// allows them on request: madvise), large blocks come from it rather than from mappings of their
// own, and freed memory stays in it for reuse. Otherwise each growth of a large array maps new 4 KB
// pages that the system zeroes on first touch: at 2M rows natively, 223k page faults and 2.4 of
// the load's 6.1 s (764 faults with this, 3 times the file). glibc on Linux only; nothing elsewhere,
// and nothing under WebAssembly, whose memory never shrinks anyway.
void prepare_heap(uint64_t expected_bytes);

// prepare_heap for indexing a catalogue file of `file_bytes` (nothing when 0): 8 times the file and
// at least 64 MB (address space: a huge page is resident once touched; prepare_heap caps it at
// 1 GB). It was 3 times the file, which the heap's peak passes at 100k rows (the same-work
// benchmark's cold load made 25,946 page faults there; 436 now) and, at 10k, whose 8 MB held only
// 6 MB of whole huge pages. Measured 2026-12-03 on this project's 2-core machine: CSV -> first
// cosine recommendation on the real 10k, whole process, 33.1-34.7 -> 27.2-29.2 ms (peak RSS
// 13.9 -> 15.9 MB); the first load in the same-work benchmark against its steady state, 10k
// 40 / 18 -> 19-22 / 18 ms, 100k 400-435 / 178 -> 286-300 / 168-180 ms, 1M 1.20 -> 1.13 times.
void prepare_heap_for_file(uint64_t file_bytes);

// "needs 1,234 MB more for <what>; the WebAssembly heap stops at 4 GB": the message of a failed check.
std::string out_of_memory(uint64_t bytes, const std::string& what);

}  // namespace hfrec
