// Text helpers: UTF-8 decoding and validation, lower-casing and tokenizing with Python and
// scikit-learn semantics, SIMD substring search, decimal parsing (text.h).
#include "text.h"

#include <cstdio>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "simd.h"

namespace hfrec {

char32_t utf8_next_multibyte(const char* s, size_t n, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > n) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return cp;
}

void utf8_append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool utf8_valid(std::string_view s, size_t* bad_offset) {
  size_t i = 0;
  while (i < s.size()) {
    // ASCII, 32 then 8 bytes at a time: a catalogue is nearly all ASCII, and this pass sees all of it.
#if HFREC_SIMD128
    while (i + 32 <= s.size() &&
           !simd::high_bits(simd::either(simd::load(s.data() + i), simd::load(s.data() + i + 16))))
      i += 32;
#endif
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t at = i;
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp = utf8_next(s, i);
    if (cp == 0xFFFD && !(c == 0xEF && i - at == 3)) {
      if (bad_offset) *bad_offset = at;
      return false;
    }
  }
  return true;
}

namespace {
#include "unicode_tables.inc"
}  // namespace

namespace {

static_assert(std::endian::native == std::endian::little, "find_text reads words little-endian");

// The high bit of each zero byte of x, exactly (no false positives from borrows).
inline uint64_t zero_bytes(uint64_t x) {
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

}  // namespace

size_t find_text_bytes(const char* h, size_t n, const char* q, size_t m, size_t from) {
  constexpr size_t npos = std::string_view::npos;
  if (from > n) return npos;
  if (m == 0) return from;
  if (m > n - from) return npos;
  const size_t last_start = n - m;
  auto rest_equal = [&](size_t at) {  // the bytes between the first and the last
    for (size_t k = 1; k + 1 < m; ++k)
      if (h[at + k] != q[k]) return false;
    return true;
  };
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  const uint64_t first = kOnes * static_cast<unsigned char>(q[0]);
  const uint64_t last = kOnes * static_cast<unsigned char>(q[m - 1]);
  size_t i = from;
  // Sixteen starts at a time where the target has 128-bit vectors (simd.h).
#if HFREC_SIMD128
  const simd::Bytes vfirst = simd::splat(q[0]), vlast = simd::splat(q[m - 1]);
  for (; i + 15 <= last_start; i += 16) {
    uint32_t hits =
        simd::high_bits(simd::both(simd::eq(simd::load(h + i), vfirst), simd::eq(simd::load(h + i + m - 1), vlast)));
    for (; hits; hits &= hits - 1) {
      const size_t at = i + static_cast<size_t>(std::countr_zero(hits));
      if (rest_equal(at)) return at;
    }
  }
#endif
  // Eight starts at a time: i..i+7, each with its first byte at h[i+k] and last at h[i+k+m-1].
  for (; i + 7 <= last_start; i += 8) {
    uint64_t hits = zero_bytes(load64(h + i) ^ first) & zero_bytes(load64(h + i + m - 1) ^ last);
    for (; hits; hits &= hits - 1) {
      const size_t at = i + (static_cast<size_t>(std::countr_zero(hits)) >> 3);
      if (rest_equal(at)) return at;
    }
  }
  for (; i <= last_start; ++i)
    if (h[i] == q[0] && h[i + m - 1] == q[m - 1] && rest_equal(i)) return i;
  return npos;
}

bool is_word_char_beyond_ascii(char32_t cp) {
  size_t lo = 0, hi = sizeof(kWordRanges) / sizeof(kWordRanges[0]);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cp < kWordRanges[mid][0]) hi = mid;
    else if (cp > kWordRanges[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

char32_t to_lower(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  size_t lo = 0, hi = sizeof(kLowerRuns) / sizeof(kLowerRuns[0]);
  const auto c = static_cast<int32_t>(cp);
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (c < kLowerRuns[mid][0]) hi = mid;
    else if (c > kLowerRuns[mid][1]) lo = mid + 1;
    else {
      const int32_t stride = kLowerRuns[mid][3];
      if (stride == 0 || (c - kLowerRuns[mid][0]) % stride == 0) return static_cast<char32_t>(c + kLowerRuns[mid][2]);
      return cp;
    }
  }
  return cp;
}

size_t lower_ascii_prefix(std::string_view s, char* d) {
  const size_t n = s.size();
  size_t i = 0;
#if HFREC_SIMD128
  // Sixteen bytes at a time up to the first block with a high byte, and the last bytes as a block
  // ending at the end (over some done already: the same bytes again). In the search index's
  // build, an id's bytes one at a time took about 2.7 ns each in WebAssembly.
  {
    using namespace simd;
    const Bytes before_a = splat('A' - 1), after_z = splat('Z' + 1), case_bit = splat(32);
    auto block = [&](size_t at) {
      const Bytes v = load(s.data() + at);
      if (high_bits(v)) return false;
      store(d + at, add8(v, both(both(gt(v, before_a), gt(after_z, v)), case_bit)));
      return true;
    };
    while (i + 16 <= n && block(i)) i += 16;
    if (i < n && n >= 16 && i + 16 > n && block(n - 16)) i = n;
  }
#endif
  for (; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) break;
    d[i] = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  }
  return i;
}

void append_lower(std::string& out, std::string_view s) {
  // ASCII maps byte for byte: write it straight into the grown string, with no per-byte append.
  const size_t base = out.size();
  out.resize(base + s.size());
  size_t i = lower_ascii_prefix(s, out.data() + base);
  if (i == s.size()) return;
  out.resize(base + i);
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
      ++i;
      continue;
    }
    size_t start = i;
    char32_t cp = utf8_next(s, i);
    if (cp == 0xFFFD) {
      out.append(s.substr(start, i - start));
    } else {
      bool multi = false;
      for (const auto& m : kLowerMulti)
        if (m[0] == cp) {
          utf8_append(out, m[1]);
          utf8_append(out, m[2]);
          multi = true;
        }
      if (!multi) utf8_append(out, to_lower(cp));
    }
  }
}

double shortest_decimal(float x) {
  if (!std::isfinite(x)) return x;
  char buf[40];
  for (int p = 1; p <= 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(x));
    if (std::strtof(buf, nullptr) == x) break;
  }
  return std::strtod(buf, nullptr);
}

bool parse_decimal(std::string_view v, double& out) {
  if (v.empty() || v.size() > 40) return false;
  for (char c : v)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
  const std::string s(v);  // strtod needs a terminator
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return false;
  out = d;
  return true;
}

std::string lower(std::string_view s) {
  std::string out;
  append_lower(out, s);
  return out;
}

std::string thousands(int64_t n) {
  const uint64_t m = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  const std::string d = std::to_string(m);
  std::string o = n < 0 ? "-" : "";
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) o += ',';
    o += d[i];
  }
  return o;
}

std::string excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "… (" + std::to_string(text.size()) + " bytes)";
}

bool is_invisible(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  static constexpr char32_t kRanges[][2] = {
      {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C},   {0x115F, 0x1160},   {0x17B4, 0x17B5},   {0x180B, 0x180F},
      {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x206F},   {0x3164, 0x3164},   {0xFE00, 0xFE0F},   {0xFEFF, 0xFEFF},
      {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFB}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
  };
  for (const auto& r : kRanges)
    if (cp >= r[0] && cp <= r[1]) return true;
  return false;
}

std::string visible_text(std::string_view s) {
  std::string out;
  size_t done = 0;  // s[0, done) is already in out
  auto mark = [&](size_t at, size_t next, const char* fmt, unsigned value) {
    if (out.empty()) out.reserve(s.size() + 16);
    out.append(s.substr(done, at - done));
    char buf[16];
    std::snprintf(buf, sizeof buf, fmt, value);
    out += buf;
    done = next;
  };
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      if (b < 0x20 || b == 0x7F) mark(at, i, "[U+%04X]", b);
      continue;
    }
    const char32_t cp = utf8_next(s, i);
    if (cp == 0xFFFD && s.substr(at, i - at) != "\xEF\xBF\xBD") mark(at, i, "[0x%02X]", b);  // not UTF-8
    else if (is_invisible(cp)) mark(at, i, "[U+%04X]", static_cast<unsigned>(cp));
  }
  if (done == 0) return std::string(s);
  out.append(s.substr(done));
  return out;
}

std::string delete_ascii_punctuation(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    bool punct = (u >= 33 && u <= 47) || (u >= 58 && u <= 64) || (u >= 91 && u <= 96) || (u >= 123 && u <= 126);
    if (!punct) out += c;
  }
  return out;
}

std::vector<std::string> id_tokens(std::string_view id) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(lower(cur));
    cur.clear();
  };
  char prev = 0;
  for (char c : id) {
    if (c == '/' || c == '-' || c == '_' || c == '.' || c == ' ' || c == ':') {
      flush();
    } else {
      bool up = c >= 'A' && c <= 'Z';
      bool prev_low = prev >= 'a' && prev <= 'z';
      if (up && prev_low) flush();
      cur += c;
    }
    prev = c;
  }
  flush();
  return out;
}

void CodePointSet::add_text(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    if (i + 8 <= n && (load64(text.data() + i) & 0x8080808080808080ull) == 0) {
      i += 8;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t at = i;
    const char32_t cp = utf8_next_multibyte(text.data(), n, i);
    if (cp != 0xFFFD || (i - at == 3 && text.substr(at, 3) == "\xEF\xBF\xBD")) add(cp);  // U+FFFD only when written
  }
}

bool CodePointSet::covers(const CodePointSet& other) const {
  for (size_t w = 0; w < bits_.size(); ++w)
    if (other.bits_[w] & ~bits_[w]) return false;
  return true;
}

void CodePointSet::merge(const CodePointSet& other) {
  for (size_t w = 0; w < bits_.size(); ++w) bits_[w] |= other.bits_[w];
}

std::vector<char32_t> CodePointSet::list() const {
  std::vector<char32_t> out;
  for (size_t w = 0; w < bits_.size(); ++w)
    for (uint64_t b = bits_[w]; b; b &= b - 1) out.push_back(static_cast<char32_t>(w * 64 + std::countr_zero(b)));
  return out;
}

}  // namespace hfrec
