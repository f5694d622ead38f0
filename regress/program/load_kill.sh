# load_kill.sh: a load stopped at any moment leaves no trace of its batch, and loading it
# again succeeds: kill -9 while the files are read, while households and while members
# are sent; Ctrl-C (SIGINT) during COPY; the server restarted in the middle of a load.
# Spool files are unlinked as soon as they are made: none is left behind either.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
cd "$WORK"
mkdir gen spool
export TMPDIR=$WORK/spool
AREAS=${SHARED:-$BMN_ROOT/../shared}/data/thai_areas.csv
gen=(generate --province 55 --households 60000 --year 2567 --seed 11 --out gen --quiet)
[ -f "$AREAS" ] && gen+=(--areas "$AREAS")
"$BMN" "${gen[@]}"
load 0 log gen/areas.csv
households=$(($(wc -l < gen/households.csv) - 1))
members=$(($(wc -l < gen/members.csv) - 1))

# The loader's session, if any: its query.
session() { q "SELECT coalesce(max(left(query, 40)), '') FROM pg_stat_activity WHERE application_name = 'bmn' AND pid <> pg_backend_pid()"; }
# Waits (up to 20 s) until the session's query starts with $1.
wait_query() {
    for _ in $(seq 400); do
        case "$(session)" in "$1"*) return 0 ;; esac
        sleep 0.05
    done
    fail "the load never ran [$1]"
}
# Waits until the server has ended the killed load's session.
wait_gone() {
    for _ in $(seq 400); do
        [ -z "$(session)" ] && return 0
        sleep 0.05
    done
    fail "the killed load's session is still there"
}
no_trace() {
    wait_gone
    expect_eq "no trace after $1" "$(q "SELECT (SELECT count(*) FROM bmn.batch WHERE kind = 'survey'), (SELECT count(*) FROM bmn.household), (SELECT count(*) FROM bmn.member), (SELECT count(*) FROM bmn.survey_round)")" "0|0|0|0"
    [ -z "$(ls -A spool)" ] || fail "spool files left after $1: $(ls spool)"
}
start_load() {
    "$BMN" load "$@" gen/households.csv gen/members.csv 2> load.log &
    pid=$!
}

# kill -9 while the files are still being read (before the first row is sent).
start_load
sleep 0.1
kill -9 $pid; wait $pid || true
no_trace "kill -9 while reading"

# kill -9 while households are sent, then while members are.
start_load
wait_query "COPY bmn.household"
kill -9 $pid; wait $pid || true
no_trace "kill -9 during COPY of households"
start_load
wait_query "COPY bmn.member"
kill -9 $pid; wait $pid || true
no_trace "kill -9 during COPY of members"

# Ctrl-C: the running statement is cancelled, the program says so and exits with 1.
start_load
wait_query "COPY bmn.member"
kill -INT $pid
got=0; wait $pid || got=$?
sed 's/^/    | /' load.log
expect_eq "exit after SIGINT" "$got" "1"
grep -q "interrupted: the batch being loaded is rolled back" load.log || fail "no interruption message"
no_trace "SIGINT"

# The server restarted during COPY: the load fails (exit 1), nothing of it is kept.
cluster=$(pg_lsclusters -h | awk -v port="${PGPORT:-5432}" '$3 == port { print $1 " " $2 }')
if [ -n "$cluster" ]; then
    start_load
    wait_query "COPY bmn.member"
    pg_ctlcluster $cluster restart -m fast
    got=0; wait $pid || got=$?
    sed 's/^/    | /' load.log
    expect_eq "exit when the server goes away" "$got" "1"
    for _ in $(seq 100); do q "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
    no_trace "a server restart"
else
    # Without access to the cluster, the loader's backend is terminated instead.
    echo "note: no cluster to restart here; terminating the loader's backend instead"
    start_load
    wait_query "COPY bmn.member"
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bmn'" >/dev/null
    got=0; wait $pid || got=$?
    expect_eq "exit when the backend goes away" "$got" "1"
    no_trace "the backend terminated"
fi

# And now it loads, whole.
load 0 log gen/households.csv gen/members.csv
expect_eq "loaded" "$(q "SELECT households || ' ' || members FROM bmn.batch WHERE kind = 'survey'")" "$households $members"
expect_eq "rows" "$(q "SELECT (SELECT count(*) FROM bmn.household) || ' ' || (SELECT count(*) FROM bmn.member)")" "$households $members"
[ -z "$(ls -A spool)" ] || fail "spool files left after a load"
echo "ok: no spool file left"
