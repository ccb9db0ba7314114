# bench.sh: the start of a benchmark that drives partad through the
# end-to-end harness, sourced by tests/bench/b-*.sh: the top of the
# tree, the build (PARTA_BUILD, default build), tests/e2e/lib.sh, and
# n, the script's first argument (default BENCH_N), a whole number or
# the usage BENCH_USAGE on stderr and status 2.
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=${1:-$BENCH_N}
case $n in ''|*[!0-9]*) echo "usage: $BENCH_USAGE" >&2; exit 2 ;; esac
export PARTA_BUILD=${PARTA_BUILD:-$top/build}
. "$top/tests/e2e/lib.sh"
