# Shared helpers for the tests/vm scripts. Source it; do not run it.
# shellcheck shell=bash

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/libiommufd
VENV=$CACHE/venv

log() { printf '[tests/vm] %s\n' "$*" >&2; }
die() { printf '[tests/vm] error: %s\n' "$*" >&2; exit 1; }

# The two kernels of the matrix.
check_flavour() {
	case ${1:-} in
	latest | 6.12) ;;
	*) die "kernel must be 'latest' or '6.12' (got '${1:-}')" ;;
	esac
}

# vng runs its helpers (virtme-run, ...) through PATH.
export PATH=$VENV/bin:$PATH
