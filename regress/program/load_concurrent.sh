# load_concurrent.sh: loads of one survey round run side by side once the round
# exists (a shared lock of the year: each province loads on its own core); the
# first load of a round, which creates it, runs alone (the exclusive lock).
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
cd "$WORK"
Y=2567
KEY=6450542
for p in 55 56 57; do
    "$BMN" generate --province $p --households 300 --year $Y --seed $p --out g$p --quiet
    "$BMN" generate --province $p --households 300 --year 2568 --seed $p --out h$p --quiet
    load 0 log g$p/areas.csv
done

# hold LOCKFN: another session holds the year's lock (LOCKFN is
# pg_advisory_lock_shared or pg_advisory_lock) until release.
hold() {
    PGAPPNAME=bmn_test_holder psql -XAtq -c "SELECT $1($KEY, $Y)" -c "SELECT pg_sleep(60)" \
        >/dev/null 2>&1 &
    holder=$!
    until [ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = $KEY AND objid = $Y AND granted")" = 1 ]; do
        sleep 0.1
    done
}
release() {
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bmn_test_holder'" >/dev/null
    wait "$holder" || true
}

# The round does not exist yet: the load that creates it waits for the year alone.
hold pg_advisory_lock_shared
PGOPTIONS="-c lock_timeout=1s" load 1 log g55/households.csv g55/members.csv
grep -q 'lock timeout' log || fail "the first load of a round did not wait for the year's lock"
expect_eq "nothing of it" "$(q "SELECT count(*) FROM bmn.survey_round")" 0
release
load 0 log g55/households.csv g55/members.csv

# The round exists: another load of it goes ahead beside one in progress...
hold pg_advisory_lock_shared
PGOPTIONS="-c lock_timeout=5s" load 0 log g56/households.csv g56/members.csv
release
echo "ok: a load of an existing round goes ahead beside another"
# ... but not while something holds the year alone.
hold pg_advisory_lock
PGOPTIONS="-c lock_timeout=1s" load 1 log g57/households.csv g57/members.csv
grep -q 'lock timeout' log || fail "the load did not wait for the year held alone"
release
echo "ok: no load while the year is held alone"

# Two provinces of one round at once: both load whole.
load 0 log h55/households.csv h55/members.csv
"$BMN" load --quiet h56/households.csv h56/members.csv 2> log56 & a=$!
"$BMN" load --quiet h57/households.csv h57/members.csv 2> log57 & b=$!
wait $a || { cat log56; fail "the load of province 56 failed"; }
wait $b || { cat log57; fail "the load of province 57 failed"; }
expect_eq "households per round and province" \
    "$(q "SELECT string_agg(format('%s:%s:%s', survey_year, p, n), ' ' ORDER BY survey_year, p)
            FROM (SELECT survey_year, left(village_code, 2) AS p, count(*) AS n
                    FROM bmn.household GROUP BY 1, 2) x")" \
    "2567:55:300 2567:56:300 2568:55:300 2568:56:300 2568:57:300"
