# lib.sh: helpers for the program tests in regress/program/ (sourced, not run).
# Each test runs inside the throwaway cluster of scripts/server-tests, with $BMN the
# program under test and $SHARED the project's ../shared folder.
set -eu
BMN=${BMN:-$BMN_ROOT/etl/bmn}
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/bmn-$TEST_NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PGDATABASE="t_$TEST_NAME"

# A new database with the extension, for this test alone.
fresh_db() {
    dropdb --if-exists "$PGDATABASE"
    createdb "$PGDATABASE"
    psql -Xq -v ON_ERROR_STOP=1 -c "CREATE EXTENSION bmn CASCADE" >/dev/null
}

# q SQL: one value (or rows, |-separated) from the test database.
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1"; }

fail() { echo "FAILED: $*" >&2; exit 1; }

# load_province PROVINCE HOUSEHOLDS SEED YEAR [registry]: a province made by
# `bmn generate` (real tambons when ../shared has them) into $WORK/d, its areas and
# survey loaded into the test database, and its registry too when asked.
load_province() {
    local gen=(--province "$1" --households "$2" --year "$4" --seed "$3" --out "$WORK/d" --quiet)
    [ -f "$SHARED/data/thai_areas.csv" ] && gen+=(--areas "$SHARED/data/thai_areas.csv")
    "$BMN" generate "${gen[@]}"
    "$BMN" load --quiet "$WORK/d/areas.csv"
    "$BMN" load --quiet "$WORK/d/households.csv" "$WORK/d/members.csv"
    if [ "${5:-}" = registry ]; then "$BMN" load --quiet "$WORK/d/registry.csv"; fi
}

# expect_eq WHAT GOT WANT
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got [$2], want [$3]"
    echo "ok: $1"
}

# expect_exit WANT CMD...: run CMD, compare its exit code.
expect_exit() {
    local want=$1; shift
    local got=0
    "$@" || got=$?
    [ "$got" = "$want" ] || fail "exit code of [$*]: got $got, want $want"
    echo "ok: exit $want from $1 ${2:-}"
}
