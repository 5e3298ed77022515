# Per-target options for hfrec's own code (never global flags, never -march=native).

set(HFREC_SHARED_DATA "${CMAKE_CURRENT_SOURCE_DIR}/../shared/data" CACHE PATH
    "Folder holding hf_models_10k.csv (tests and benchmarks skip when it is absent)")

function(hfrec_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-sign-compare)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false -Wrestrict positives inside std::string concatenation (GCC PR 105329).
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(HFREC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(HFREC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

function(hfrec_link_third_party target)
  # Eigen and nlohmann/json are header-only Debian packages.
  target_include_directories(${target} SYSTEM PUBLIC /usr/include/eigen3)
  if(EMSCRIPTEN)
    # nlohmann's CMake package adds -isystem /usr/include, which drags host glibc headers into the
    # WASM build; a build-local folder with a link to just nlohmann/ avoids it.
    set(inc "${CMAKE_BINARY_DIR}/wasm-include")
    file(MAKE_DIRECTORY "${inc}")
    if(NOT EXISTS "${inc}/nlohmann")
      file(CREATE_LINK /usr/include/nlohmann "${inc}/nlohmann" SYMBOLIC)
    endif()
    target_include_directories(${target} SYSTEM PUBLIC "${inc}")
    target_compile_options(${target} PUBLIC -msimd128)
    # Emscripten builds libc++ at -Oz, and its headers declare the common instantiations (std::string's
    # members, std::sort over integers) extern, so calls would go to that size-optimised code, one
    # un-inlined call per push_back. Instantiated here instead, they are compiled at our -O3.
    target_compile_definitions(${target} PUBLIC _LIBCPP_DISABLE_EXTERN_TEMPLATE)
    # Binaryen (wasm-opt -O3) inlines every function that has one caller, however large: the app's
    # Controller::tick grew to 83 KB and hfrec_frame to 62 KB of code. A browser compiles a function
    # whole at its first call (V8: lazily, on the calling thread), so the first load and the first
    # frame compiled every branch of those, used or not. Only functions under 100 Binaryen nodes
    # are inlined for having one caller now (README, "Functions compiled when first called").
    target_link_options(${target} PUBLIC "-sBINARYEN_EXTRA_PASSES=--one-caller-inline-max-function-size=100")
  endif()
  if(HFREC_SANITIZE)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()
