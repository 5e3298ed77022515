// Checks wasm/memory_routines.cpp (the WebAssembly builds' memcmp, memchr, memcpy, memmove and
// memset) against byte-at-a-time references on every size up to 700, at every alignment and with
// overlaps, so each path (bytes, words, 16-byte vectors, memory.copy/fill) is crossed. Built only
// by Emscripten (target hfrec_memory_test) and run under Node by scripts/test.sh; exits non-zero
// on the first mismatch and says which call it was.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

// Called through volatile pointers, so the compiler cannot fold or inline the calls.
int (*volatile cmp_fn)(const void*, const void*, size_t) = &std::memcmp;
const void* (*volatile chr_fn)(const void*, int, size_t) = [](const void* s, int c, size_t n) -> const
    void* { return std::memchr(s, c, n); };
void* (*volatile cpy_fn)(void*, const void*, size_t) = &std::memcpy;
void* (*volatile move_fn)(void*, const void*, size_t) = &std::memmove;
void* (*volatile set_fn)(void*, int, size_t) = &std::memset;

uint64_t rng = 0x9e3779b97f4a7c15ull;
unsigned char next_byte() {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return static_cast<unsigned char>(rng);
}

int sign(int v) { return (v > 0) - (v < 0); }

int failures = 0;
void fail(const char* what, size_t n, size_t a, size_t b) {
  if (++failures <= 10) std::printf("memory_routines_test: %s wrong for n=%zu at offsets %zu, %zu\n", what, n, a, b);
}

}  // namespace

int main() {
  constexpr size_t kMax = 700, kPad = 64;
  std::vector<unsigned char> x(kMax + 2 * kPad), y(kMax + 2 * kPad), z(kMax + 2 * kPad);
  size_t checks = 0;
  for (size_t n = 0; n <= kMax; n += (n < 80 ? 1 : 7)) {
    for (size_t ao = 0; ao < 16; ao += 5) {
      for (size_t bo = 0; bo < 16; bo += 3) {
        unsigned char* a = x.data() + kPad + ao;
        unsigned char* b = y.data() + kPad + bo;
        for (size_t i = 0; i < n; ++i) a[i] = b[i] = next_byte() & 7;  // few values: many equal runs
        // memcmp: equal, then differing at each of a few places (both directions).
        if (cmp_fn(a, b, n) != 0) fail("memcmp(equal)", n, ao, bo);
        for (size_t d : {size_t{0}, n / 3, n / 2, n > 0 ? n - 1 : 0}) {
          if (n == 0) break;
          const unsigned char keep = b[d];
          b[d] = static_cast<unsigned char>(a[d] + 1 + (next_byte() & 0x7f));
          int want = 0;
          for (size_t i = 0; i < n && !want; ++i) want = a[i] < b[i] ? -1 : a[i] > b[i] ? 1 : 0;
          if (sign(cmp_fn(a, b, n)) != want || sign(cmp_fn(b, a, n)) != -want) fail("memcmp(differing)", n, ao, bo);
          b[d] = keep;
          ++checks;
        }
        // memchr: every value, including ones past the end and absent ones.
        for (int c : {0, 3, 7, 8, 200}) {
          const unsigned char* want = nullptr;
          for (size_t i = 0; i < n && !want; ++i)
            if (a[i] == c) want = a + i;
          if (chr_fn(a, c, n) != want) fail("memchr", n, ao, static_cast<size_t>(c));
          ++checks;
        }
        // memcpy into z, with guard bytes either side untouched.
        std::memset(z.data(), 0xAB, z.size());
        unsigned char* d = z.data() + kPad + bo;
        cpy_fn(d, a, n);
        bool ok = true;
        for (size_t i = 0; i < z.size(); ++i) {
          const unsigned char* p = z.data() + i;
          ok &= (p >= d && p < d + n) ? *p == a[p - d] : *p == 0xAB;
        }
        if (!ok) fail("memcpy", n, ao, bo);
        // memset, same guards.
        std::memset(z.data(), 0xAB, z.size());
        set_fn(d, 0x5C, n);
        ok = true;
        for (size_t i = 0; i < z.size(); ++i) {
          const unsigned char* p = z.data() + i;
          ok &= *p == ((p >= d && p < d + n) ? 0x5C : 0xAB);
        }
        if (!ok) fail("memset", n, ao, bo);
        // memmove within one buffer, overlapping forwards and backwards.
        for (long shift : {-9L, -1L, 1L, 17L}) {
          std::vector<unsigned char> ref(x);
          unsigned char* src = x.data() + kPad + ao;
          unsigned char* dst = src + shift;
          unsigned char* rsrc = ref.data() + kPad + ao;
          std::vector<unsigned char> tmp(rsrc, rsrc + n);
          for (size_t i = 0; i < n; ++i) rsrc[shift + static_cast<long>(i)] = tmp[i];
          move_fn(dst, src, n);
          if (x != ref) fail("memmove", n, ao, static_cast<size_t>(shift + 100));
          ++checks;
        }
        checks += 3;
      }
    }
  }
  std::printf("memory_routines_test: %zu checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
