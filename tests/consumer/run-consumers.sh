#!/bin/bash
# Install the built library into a temporary prefix, then build and run a C
# program through pkg-config and a C++ program through find_package.
set -euo pipefail
build_dir=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name libiommufd.pc -printf '%h\n' | head -1)
export PKG_CONFIG_PATH="$libdir"
export LD_LIBRARY_PATH="$(dirname "$libdir")"

echo "pkg-config --cflags --libs libiommufd: $(pkg-config --cflags --libs libiommufd)"
cc -Wall -Wextra -Werror -o "$work/consumer_c" "$here/consumer.c" \
	$(pkg-config --cflags --libs libiommufd)
"$work/consumer_c"

cmake -S "$here/cmake_consumer" -B "$work/cmake_build" -G Ninja \
	-DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake_build" >/dev/null
"$work/cmake_build/consumer_cpp"
# The C++ program must have linked the shared library from the prefix.
# (ldd's output is read whole: grep -q exiting early would SIGPIPE ldd and,
# with pipefail, fail the test at random.)
libs=$(ldd "$work/cmake_build/consumer_cpp")
grep -q "$work/prefix.*libiommufd.so.0" <<<"$libs"
echo "consumers: pkg-config (C) and find_package (C++) built and ran"
