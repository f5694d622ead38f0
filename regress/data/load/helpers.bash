# helpers.bash: shared by the program tests regress/program/load_*.sh (sourced).
. "$BMN_ROOT/regress/lib.sh"
DATA=$BMN_ROOT/regress/data/load

# A new database with the extension. (lib.sh's fresh_db gives dropdb and createdb a
# -q they do not take.)
new_db() {
    dropdb --if-exists "$PGDATABASE" 2>/dev/null || true
    createdb "$PGDATABASE"
    psql -Xq -v ON_ERROR_STOP=1 -c "CREATE EXTENSION bmn CASCADE" >/dev/null
}

# load WANT_EXIT LOG ARGS...: runs bmn load ARGS, its stderr into LOG (and shown),
# and checks the exit code.
load() {
    local want=$1 log=$2 got=0
    shift 2
    "$BMN" load "$@" 2> "$log" || got=$?
    sed 's/^/    | /' "$log"
    [ "$got" = "$want" ] || fail "exit code of [bmn load $*]: got $got, want $want"
    echo "ok: exit $want from bmn load $*"
}

# expect_line FILE LINE: FILE has exactly this line.
expect_line() {
    grep -qxF -- "$2" "$1" || fail "$1 has no line [$2]"
    echo "ok: line [$2]"
}

# expect_no_line FILE PATTERN: no line of FILE matches the extended regex.
expect_no_line() {
    if grep -qE -- "$2" "$1"; then fail "$1 has a line matching [$2]"; fi
    echo "ok: no line [$2]"
}
