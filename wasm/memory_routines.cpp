// memcmp, memchr, memcpy, memmove and memset for the WebAssembly builds, replacing Emscripten
// 3.1.6's musl ones (issue 5: "the WASM build within 1.5x of native on the same work").
//
// musl's memcmp and memchr go a byte at a time and its memcpy a word at a time, with a call into
// JavaScript for copies over 512 bytes; native builds get glibc's vector versions. Profiles of
// hfrec_samework put those routines at 10-15% of a catalogue load under WebAssembly (string pool
// lookups, term sorts, std::string appends). These versions use 128-bit SIMD for long runs, 8-byte
// words for short ones, and the bulk-memory instructions for large copies and fills.
//
// Gotchas:
// - Linked as objects ahead of libc, so these strong definitions win over musl's (memcpy and
//   memset are weak aliases there; memcmp and memchr sit alone in their archive members).
// - Every load stays inside [p, p + n): no reading past the end, even though WebAssembly would
//   allow it inside linear memory, so AddressSanitizer-style reasoning still holds.
// - The bodies must not be turned back into calls to themselves: -fno-builtin on this file, and the
//   large-size paths use __builtin_memcpy/__builtin_memset, which with -mbulk-memory lower to the
//   memory.copy/memory.fill instructions rather than to calls.
// - tests/e2e and hfrec_samework's checksum exercise them; tests/wasm/memory_routines_test.cpp compares them
//   against byte loops on random inputs under Node.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <wasm_simd128.h>

namespace {

inline uint64_t load64(const unsigned char* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);  // a constant size: one i64.load
  return v;
}
inline uint32_t load32(const unsigned char* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}

// The difference of the first unequal bytes of two little-endian words that differ.
inline int first_difference(uint64_t a, uint64_t b) {
  const int shift = __builtin_ctzll(a ^ b) & ~7;
  return static_cast<int>((a >> shift) & 0xff) - static_cast<int>((b >> shift) & 0xff);
}

// memcmp's tail: one word of W when n holds one. On a difference sets diff (as memcmp returns it)
// and returns true; else moves a, b and n past the word.
template <class W>
bool word_differs(const unsigned char*& a, const unsigned char*& b, size_t& n, int& diff) {
  if (n < sizeof(W)) return false;
  W x, y;
  __builtin_memcpy(&x, a, sizeof(W));  // a constant size: one load
  __builtin_memcpy(&y, b, sizeof(W));
  if (x != y) {
    diff = first_difference(x, y);
    return true;
  }
  a += sizeof(W);
  b += sizeof(W);
  n -= sizeof(W);
  return false;
}

constexpr size_t kBulk = 256;  // from here on, memory.copy / memory.fill

}  // namespace

extern "C" {

int memcmp(const void* a_, const void* b_, size_t n) {
  auto a = static_cast<const unsigned char*>(a_);
  auto b = static_cast<const unsigned char*>(b_);
  while (n >= 16) {
    const v128_t eq = wasm_i8x16_eq(wasm_v128_load(a), wasm_v128_load(b));
    const uint32_t mask = wasm_i8x16_bitmask(eq);
    if (mask != 0xffff) {
      const int i = __builtin_ctz(~mask);
      return static_cast<int>(a[i]) - static_cast<int>(b[i]);
    }
    a += 16;
    b += 16;
    n -= 16;
  }
  int diff = 0;
  if (word_differs<uint64_t>(a, b, n, diff) || word_differs<uint32_t>(a, b, n, diff)) return diff;
  for (; n; --n, ++a, ++b)
    if (*a != *b) return static_cast<int>(*a) - static_cast<int>(*b);
  return 0;
}

void* memchr(const void* s_, int c, size_t n) {
  auto s = static_cast<const unsigned char*>(s_);
  const auto ch = static_cast<unsigned char>(c);
  if (n >= 16) {
    const v128_t needle = wasm_i8x16_splat(static_cast<int8_t>(ch));
    do {
      const uint32_t mask = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(s), needle));
      if (mask) return const_cast<unsigned char*>(s + __builtin_ctz(mask));
      s += 16;
      n -= 16;
    } while (n >= 16);
  }
  for (; n; --n, ++s)
    if (*s == ch) return const_cast<unsigned char*>(s);
  return nullptr;
}

void* memcpy(void* __restrict d_, const void* __restrict s_, size_t n) {
  if (n >= kBulk) return __builtin_memcpy(d_, s_, n);  // memory.copy
  auto d = static_cast<unsigned char*>(d_);
  auto s = static_cast<const unsigned char*>(s_);
  if (n >= 16) {
    // Whole 16-byte blocks, then one last block ending exactly at n (overlapping the previous).
    const size_t last = n - 16;
    for (size_t i = 0; i < last; i += 16) wasm_v128_store(d + i, wasm_v128_load(s + i));
    wasm_v128_store(d + last, wasm_v128_load(s + last));
    return d_;
  }
  if (n >= 8) {
    const uint64_t head = load64(s), tail = load64(s + n - 8);
    __builtin_memcpy(d, &head, 8);
    __builtin_memcpy(d + n - 8, &tail, 8);
    return d_;
  }
  if (n >= 4) {
    const uint32_t head = load32(s), tail = load32(s + n - 4);
    __builtin_memcpy(d, &head, 4);
    __builtin_memcpy(d + n - 4, &tail, 4);
    return d_;
  }
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return d_;
}

void* memmove(void* d_, const void* s_, size_t n) {
  auto d = static_cast<unsigned char*>(d_);
  auto s = static_cast<const unsigned char*>(s_);
  if (d == s || n == 0) return d_;
  if (n >= kBulk) return __builtin_memmove(d_, s_, n);  // memory.copy allows overlap
  if (d + n <= s || s + n <= d) return memcpy(d_, s_, n);
  if (d < s) {
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  } else {
    for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
  }
  return d_;
}

void* memset(void* d_, int c, size_t n) {
  if (n >= kBulk) return __builtin_memset(d_, c, n);  // memory.fill
  auto d = static_cast<unsigned char*>(d_);
  const auto ch = static_cast<unsigned char>(c);
  if (n >= 16) {
    const v128_t v = wasm_i8x16_splat(static_cast<int8_t>(ch));
    const size_t last = n - 16;
    for (size_t i = 0; i < last; i += 16) wasm_v128_store(d + i, v);
    wasm_v128_store(d + last, v);
    return d_;
  }
  for (size_t i = 0; i < n; ++i) d[i] = ch;
  return d_;
}

}  // extern "C"
