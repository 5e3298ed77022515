// Sixteen bytes at a time, written once for both targets that have 128-bit vectors: WebAssembly
// SIMD (the browser build, -msimd128) and SSE2 (every x86-64). HFREC_SIMD128 is 1 when one of them
// is there; code without it keeps its scalar loop.
#pragma once
#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define HFREC_SIMD128 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#define HFREC_SIMD128 1
#else
#define HFREC_SIMD128 0
#endif

#if HFREC_SIMD128
namespace hfrec::simd {

#if defined(__wasm_simd128__)
using Bytes = v128_t;
inline Bytes load(const char* p) { return wasm_v128_load(p); }  // unaligned
inline Bytes splat(char c) { return wasm_i8x16_splat(c); }
inline Bytes eq(Bytes a, Bytes b) { return wasm_i8x16_eq(a, b); }
inline Bytes either(Bytes a, Bytes b) { return wasm_v128_or(a, b); }
inline Bytes both(Bytes a, Bytes b) { return wasm_v128_and(a, b); }
// Bit i set when byte i has its high bit set (for eq's results: when byte i matched).
inline uint32_t high_bits(Bytes a) { return static_cast<uint32_t>(wasm_i8x16_bitmask(a)); }
inline void store(char* p, Bytes v) { wasm_v128_store(p, v); }     // unaligned
inline Bytes gt(Bytes a, Bytes b) { return wasm_i8x16_gt(a, b); }  // signed bytes
inline Bytes add8(Bytes a, Bytes b) { return wasm_i8x16_add(a, b); }
#else
using Bytes = __m128i;
inline Bytes load(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline Bytes splat(char c) { return _mm_set1_epi8(c); }
inline Bytes eq(Bytes a, Bytes b) { return _mm_cmpeq_epi8(a, b); }
inline Bytes either(Bytes a, Bytes b) { return _mm_or_si128(a, b); }
inline Bytes both(Bytes a, Bytes b) { return _mm_and_si128(a, b); }
inline uint32_t high_bits(Bytes a) { return static_cast<uint32_t>(_mm_movemask_epi8(a)); }
inline void store(char* p, Bytes v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }
inline Bytes gt(Bytes a, Bytes b) { return _mm_cmpgt_epi8(a, b); }
inline Bytes add8(Bytes a, Bytes b) { return _mm_add_epi8(a, b); }
#endif

// Two doubles at a time, each lane rounded as the scalar operation is (so the same bits as scalar
// code doing the same operations in the same order); comparisons give a lane mask, mask2 its bits.
#if defined(__wasm_simd128__)
using Doubles = v128_t;
inline Doubles load2(const double* p) { return wasm_v128_load(p); }  // unaligned
inline void store2(double* p, Doubles v) { wasm_v128_store(p, v); }
inline Doubles splat2(double v) { return wasm_f64x2_splat(v); }
inline Doubles add(Doubles a, Doubles b) { return wasm_f64x2_add(a, b); }
inline Doubles mul(Doubles a, Doubles b) { return wasm_f64x2_mul(a, b); }
inline Doubles ge(Doubles a, Doubles b) { return wasm_f64x2_ge(a, b); }
inline Doubles ne(Doubles a, Doubles b) { return wasm_f64x2_ne(a, b); }
inline Doubles either2(Doubles a, Doubles b) { return wasm_v128_or(a, b); }
inline uint32_t mask2(Doubles m) { return static_cast<uint32_t>(wasm_i64x2_bitmask(m)); }
#else
using Doubles = __m128d;
inline Doubles load2(const double* p) { return _mm_loadu_pd(p); }
inline void store2(double* p, Doubles v) { _mm_storeu_pd(p, v); }
inline Doubles splat2(double v) { return _mm_set1_pd(v); }
inline Doubles add(Doubles a, Doubles b) { return _mm_add_pd(a, b); }
inline Doubles mul(Doubles a, Doubles b) { return _mm_mul_pd(a, b); }
inline Doubles ge(Doubles a, Doubles b) { return _mm_cmpge_pd(a, b); }
inline Doubles ne(Doubles a, Doubles b) { return _mm_cmpneq_pd(a, b); }
inline Doubles either2(Doubles a, Doubles b) { return _mm_or_pd(a, b); }
inline uint32_t mask2(Doubles m) { return static_cast<uint32_t>(_mm_movemask_pd(m)); }
#endif

}  // namespace hfrec::simd
#endif
