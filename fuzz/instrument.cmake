# The fuzz build (LIBIOMMUFD_FUZZ, configured by fuzz/run): clang, every
# object instrumented for libFuzzer's coverage and checked by ASan+UBSan.
# Only the library and the fuzzers are built; the ordinary build is gcc's.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "LIBIOMMUFD_FUZZ needs clang (cmake -DCMAKE_C_COMPILER=clang); "
    "this is ${CMAKE_C_COMPILER_ID}.  fuzz/run configures it.")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer -g)
# clang also wants every member in positional initializers ({ cmd, NULL }
# for a three-member struct), which gcc, the build that polices warnings,
# accepts.
add_compile_options(-Wno-missing-field-initializers)
add_link_options(-fsanitize=address,undefined)
