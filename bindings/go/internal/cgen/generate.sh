#!/bin/sh
# Generate this package (cgen.go, cgen_wrap.c) from the SWIG interface both
# bindings share, bindings/swig/libiommufd.i.  Run by `go generate ./...`
# and by CMake; the files are not checked in (.gitignore).  Writes a file
# only when its contents change, through a rename, so concurrent runs
# (two build dirs over one tree) never leave a half-written file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
swig=${SWIG:-swig}
tmp=$(mktemp -d "$here/.gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$swig" -go -cgo -intgosize 64 -module cgen \
	-I"$root/include" -I"$root/bindings/swig" \
	-outdir "$tmp" -o "$tmp/cgen_wrap.c" "$root/bindings/swig/libiommufd.i"
for f in cgen.go cgen_wrap.c; do
	if ! cmp -s "$tmp/$f" "$here/$f"; then
		mv -f "$tmp/$f" "$here/$f"
	fi
done
