#!/bin/bash
# The pip-install demo (CTest python_pip_install): `pip install
# ./bindings/python` into fresh virtualenvs -- once from the source tree
# (the library compiled into the module), once against this build installed
# into a prefix and found through pkg-config -- then examples/map_buffer.py
# with each, inside the test VM.
# Usage: pip-install-demo.sh <source-dir> <build-dir> <python> <work-dir> [kernel]
set -euo pipefail
src=$1 build=$2 py=$3 work=$4 kernel=${5:-latest}
wheels=${XDG_CACHE_HOME:-$HOME/.cache}/libiommufd/wheels
pip=(--disable-pip-version-check)
# scripts/setup leaves the build requirements here: then no network is needed.
if [[ -d $wheels ]]; then
	pip+=(--no-index --find-links "$wheels")
fi

rm -rf "$work"
mkdir -p "$work"

echo "== pip install ./bindings/python (from the source tree)"
"$py" -m venv "$work/venv-src"
(cd "$src" && "$work/venv-src/bin/pip" install "${pip[@]}" ./bindings/python) | tail -n 2

echo "== pip install ./bindings/python (against an installed libiommufd, pkg-config)"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pcdir=$(dirname "$(find "$work/prefix" -name libiommufd.pc | head -n 1)")
"$py" -m venv "$work/venv-pc"
(cd "$src" && PKG_CONFIG_PATH=$pcdir LIBIOMMUFD_PYTHON_LIB=pkg-config \
	"$work/venv-pc/bin/pip" install "${pip[@]}" ./bindings/python) | tail -n 2

echo "== examples/map_buffer.py in the VM ($kernel), with each"
demo=$src/bindings/python/examples/map_buffer.py
"$src/tests/vm/run" "$kernel" --timeout 600 -- sh -c \
	'set -e; for v in "$0" "$1"; do echo "-- $v"; "$v/bin/python" "$2"; done' \
	"$work/venv-src" "$work/venv-pc" "$demo"
