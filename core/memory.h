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

// For a native process that builds a catalogue's index and exits (the CLI): freed memory is kept
// for reuse instead of being handed back to the system, and large blocks come from the heap rather
// than from fresh mappings. Each growth of a large array otherwise maps new pages, and the system
// zeroes each one on first touch: at 2M rows natively, 0.83M page faults and half of the parse's
// time. glibc only (mallopt); nothing elsewhere, and nothing under WebAssembly, whose memory never
// shrinks anyway.
void keep_freed_memory();

// "needs 1,234 MB more for <what>; the WebAssembly heap stops at 4 GB": the message of a failed check.
std::string out_of_memory(uint64_t bytes, const std::string& what);

}  // namespace hfrec
