// Text helpers with Python/scikit-learn semantics: str.lower(), string.punctuation, (?u)\b\w\w+\b.
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "simd.h"

namespace hfrec {

// Gotcha (WebAssembly): the wasm32 C ABI passes a std::string_view argument through memory (a copy
// on the caller's stack), not in two registers as x86-64 does, so the helpers called per character
// or per cell keep their common case inline here: ASCII code points, and the string hash.

// The multi-byte case of utf8_next: s[i] >= 0x80.
char32_t utf8_next_multibyte(const char* s, size_t n, size_t& i);
// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes decode as U+FFFD (one byte).
inline char32_t utf8_next(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  return utf8_next_multibyte(s.data(), s.size(), i);
}
// Appends the UTF-8 encoding of cp.
void utf8_append(std::string& out, char32_t cp);
// True when s is valid UTF-8; on failure sets bad_offset to the first bad byte.
bool utf8_valid(std::string_view s, size_t* bad_offset = nullptr);

// is_word_char beyond ASCII (cp >= 0x80).
bool is_word_char_beyond_ascii(char32_t cp);
// What Python's re matches with \w (str.isalnum() or '_'), from tables generated out of Python's
// unicodedata by scripts/gen_unicode_tables.py.
inline bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  return is_word_char_beyond_ascii(cp);
}
// Python's str.lower() for one code point (generated tables; U+0130 lowers to two code points,
// which lower() handles). Gotcha: Python's final-sigma rule is not applied.
char32_t to_lower(char32_t cp);
// A finite decimal number, the whole of v: digits, '.', signs and an exponent only (no spaces, hex,
// inf or nan), at most 40 characters. Portable: Emscripten 3.1.6 has no floating std::from_chars.
bool parse_decimal(std::string_view v, double& out);
// A float as the shortest decimal that reads back as the same float ("0.1", not 0.10000000149),
// returned as the double that decimal names, so a JSON writer prints it short. The fewest digits p
// whose correctly rounded "%.{p}g" reads back as x: if any p-digit decimal does, the nearest one
// does, which is what std::to_chars(float) picks below 2^24 in magnitude (above, to_chars writes
// the integer's every digit; both read back as x). Portable (Emscripten 3.1.6's libc++ has no
// float to_chars): the CLI's `hfrec layout` and the app's map points both write through it.
double shortest_decimal(float x);
// Lower-cases a UTF-8 string like Python's str.lower().
std::string lower(std::string_view s);
// lower(s) appended to out, without a temporary string.
void append_lower(std::string& out, std::string_view s);
// Writes the lower case of s's leading ASCII bytes (those before its first byte of 0x80 or over) to
// d, which has room for s.size() bytes; returns how many. Sixteen bytes at a time where SIMD is.
size_t lower_ascii_prefix(std::string_view s, char* d);
// Deletes every ASCII punctuation character (Python's string.punctuation), keeping the rest.
std::string delete_ascii_punctuation(std::string_view s);

// Input echoed in a message, bounded: at most max_bytes of it (never cut inside a UTF-8
// sequence), then "… (N bytes)", so a huge argument cannot make a huge error.
std::string excerpt(std::string_view text, size_t max_bytes = 80);
// An integer with its thousands grouped: 1234567 -> "1,234,567".
std::string thousands(int64_t n);

// True for a code point that draws as nothing or changes how text around it draws: controls (C0,
// DEL, C1), zero-width and joiners, bidirectional controls, invisible operators, the BOM, soft
// hyphen, variation selectors, tag characters, Hangul fillers and the like.
bool is_invisible(char32_t cp);
// The text with each invisible code point written as "[U+200B]" and each byte that is not UTF-8 as
// "[0xFF]", so two ids that differ only there look different. Unchanged when there are none.
std::string visible_text(std::string_view text);

// The code points of the Basic Multilingual Plane above ASCII that some text uses, as a bitmap
// (8 KB): what a font atlas must hold to draw the text (the app rasterises only these; ASCII is
// always in it). Code points beyond the BMP and invalid bytes are left out.
class CodePointSet {
 public:
  CodePointSet() : bits_(0x10000 / 64, 0) {}
  void add(char32_t cp) {
    if (cp >= 0x80 && cp < 0x10000) bits_[cp >> 6] |= uint64_t{1} << (cp & 63);
  }
  // Adds every code point of UTF-8 text (an ASCII run costs one check per 8 bytes).
  void add_text(std::string_view text);
  bool contains(char32_t cp) const { return cp < 0x80 || (cp < 0x10000 && (bits_[cp >> 6] >> (cp & 63)) & 1); }
  // True when every code point of `other` is here.
  bool covers(const CodePointSet& other) const;
  void merge(const CodePointSet& other);
  // The code points, ascending.
  std::vector<char32_t> list() const;
  bool operator==(const CodePointSet&) const = default;

 private:
  std::vector<uint64_t> bits_;
};

// Unaligned little-endian word loads (memcpy compiles to one load).
inline uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The 8 bytes of s from `from` as a big-endian integer, zero-padded past s's end: integers that
// compare as the bytes do (the sort keys of ids).
inline uint64_t load_be64(std::string_view s, size_t from) {
  static_assert(std::endian::native == std::endian::little, "load_be64 reads words little-endian");
  if (from + 8 <= s.size()) return __builtin_bswap64(load64(s.data() + from));
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | (from + i < s.size() ? static_cast<unsigned char>(s[from + i]) : 0u);
  return v;
}

// a[0, n) == b[0, n). Up to 16 bytes (most ids, tags and values) inline, in two overlapping loads
// a side, with no call; longer by memcmp.
inline bool bytes_equal(const char* a, const char* b, size_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  if (n == 0) return true;
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];  // n <= 3: every byte
}

// MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the word.
inline uint64_t mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// A 64-bit hash of the bytes of s, for hash tables of strings (string pool, cell caches). Eight
// bytes per step with 64-bit multiplies, the same in every build; std::hash is a byte-wise 32-bit
// MurmurHash2 under Emscripten.
inline uint64_t hash_text(std::string_view s) {
  static_assert(std::endian::native == std::endian::little, "hash_text reads words little-endian");
  constexpr uint64_t kMul = 0x9e3779b97f4a7c15ull;  // 2^64 / golden ratio
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = (n * kMul) ^ 0x243f6a8885a308d3ull;
  auto step = [&](uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  };
  for (; n >= 16; p += 16, n -= 16) {  // two steps per loop test (WebAssembly checks each iteration)
    step(load64(p));
    step(load64(p + 8));
  }
  if (n >= 8) {
    step(load64(p));
    p += 8;
    n -= 8;
  }
  if (n >= 4) step(load32(p) | (uint64_t{load32(p + n - 4)} << 32));  // two overlapping halves
  else if (n > 0)
    step(static_cast<unsigned char>(p[0]) | (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
         (uint64_t{static_cast<unsigned char>(p[n - 1])} << 16));
  return mix64(h);  // every input bit reaches the low bits that pick a slot
}

// The first position at or after p where s holds a, b or c (else s.size(); for two bytes, pass b
// twice): 16 bytes per step where the target has 128-bit vectors (simd.h). For scanners that stop
// at a few delimiters (CSV fields, quoted strings), whose byte loops WebAssembly runs slowest.
inline size_t find_first_of3(std::string_view s, size_t p, char a, char b, char c) {
  const char* d = s.data();
  const size_t n = s.size();
#if HFREC_SIMD128
  const simd::Bytes va = simd::splat(a), vb = simd::splat(b), vc = simd::splat(c);
  for (; p + 16 <= n; p += 16) {
    const simd::Bytes x = simd::load(d + p);
    const uint32_t m = simd::high_bits(simd::either(simd::either(simd::eq(x, va), simd::eq(x, vb)), simd::eq(x, vc)));
    if (m) return p + static_cast<size_t>(std::countr_zero(m));
  }
#endif
  while (p < n && d[p] != a && d[p] != b && d[p] != c) ++p;
  return p;
}

// The first position at or after `from` where needle occurs in hay, or npos (needle.empty():
// from, when from <= hay.size()). Looks at eight bytes per step for a needle's first and last
// bytes in the same places (SWAR), so common first letters do not cost a call each as with
// std::string_view::find's memchr + memcmp per candidate.
size_t find_text_bytes(const char* hay, size_t n, const char* needle, size_t m, size_t from);
inline size_t find_text(std::string_view hay, std::string_view needle, size_t from = 0) {
  return find_text_bytes(hay.data(), hay.size(), needle.data(), needle.size(), from);  // (see utf8_next)
}

// scikit-learn CountVectorizer's default analyzer: lower-case, then every match of (?u)\b\w\w+\b.
// Calls emit(token) for each token in order.
template <class F>
void for_each_token(std::string_view lowered, F&& emit) {
  size_t i = 0;
  std::string tok;
  while (i < lowered.size()) {
    size_t start = i;
    char32_t cp = utf8_next(lowered, i);
    if (!is_word_char(cp)) continue;
    size_t n = 1;
    size_t end = i;
    while (end < lowered.size()) {
      size_t j = end;
      char32_t c2 = utf8_next(lowered, j);
      if (!is_word_char(c2)) break;
      end = j;
      ++n;
    }
    if (n >= 2) emit(lowered.substr(start, end - start));
    i = end;
  }
}

// Splits a model id into name tokens: on '/', '-', '_', '.', spaces and lower→upper case changes;
// lower-cased. "google/flan-t5-XL" -> google, flan, t5, xl.
std::vector<std::string> id_tokens(std::string_view id);

}  // namespace hfrec
