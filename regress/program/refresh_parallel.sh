# refresh_parallel.sh: a whole round refreshed with parallel workers comes out
# exactly as the refreshing backend alone makes it: every score, finding (with
# its details, registry checks included), village rollup and area rollup. Also
# with no worker to be had (the backend takes every part itself), and when a
# worker fails: the refresh fails whole with the worker's error, and the next
# one works.
. "$BMN_ROOT/regress/lib.sh"
export PGOPTIONS="-c client_min_messages=warning"
fresh_db
cd "$WORK"
Y=2562
load_province 55 3000 5 $Y registry
q "ANALYZE" >/dev/null

# Everything a refresh writes, as one digest per table (finding_id aside: the
# order in which findings are numbered is not part of what they say).
digest() {
    q "SELECT concat_ws(' ',
        (SELECT md5(string_agg(concat_ws('|', household_id, batch_id, village_code, lao_code,
                                         score::text, spot_key, ids_key), E'\n' ORDER BY household_id))
           FROM bmn.household_score),
        (SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
           SELECT concat_ws('|', check_code, entity, village_code, lao_code, household_id,
                            member_no, collector_id, details::text, status) AS x
             FROM bmn.finding) f),
        (SELECT md5(string_agg(concat_ws('|', village_code, lao_code, rollup::text), E'\n'
                               ORDER BY village_code, lao_code)) FROM bmn.village_rollup),
        (SELECT md5(string_agg(concat_ws('|', area_code, level, indicator, households_passed,
                                         persons_passed), E'\n' ORDER BY level, area_code, indicator))
           FROM bmn.indicator_rollup))"
}

# refresh_whole SETTINGS...: the round redone from scratch with those settings;
# the server's debug lines go to refresh.log.
refresh_whole() {
    q "UPDATE bmn.batch SET refreshed_at = NULL" >/dev/null
    PGOPTIONS="-c client_min_messages=debug1 $*" \
        psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT bmn.refresh($Y)" > refresh.out 2> refresh.log
}

refresh_whole -c bmn.refresh_parallel_min_households=2000000000
grep -q "parallel workers" refresh.log && fail "the serial refresh used parallel workers"
expect_eq "the serial refresh scored every household" "$(cat refresh.out)" 3000
serial=$(digest)
[ "$(q "SELECT count(*) > 100 FROM bmn.finding WHERE household_id IS NOT NULL")" = t ] ||
    fail "too few household findings to compare"
[ "$(q "SELECT count(*) > 0 FROM bmn.finding WHERE check_code LIKE 'REGISTRY%'")" = t ] ||
    fail "no registry findings to compare"

# Parts of 100 households or so: the processes take turns, so the leader holds
# records of parts ahead of the one it writes.
refresh_whole -c bmn.refresh_parallel_min_households=0 -c max_parallel_maintenance_workers=2 \
    -c bmn.refresh_part_max_households=100
grep -Eq "[0-9]{2} parts, [1-9][0-9]* parallel workers" refresh.log ||
    { cat refresh.log; fail "the refresh did not use parallel workers"; }
expect_eq "scored with parallel workers" "$(cat refresh.out)" 3000
expect_eq "with parallel workers: the same scores, findings and rollups" "$(digest)" "$serial"
expect_eq "finding ids unique" \
    "$(q "SELECT count(DISTINCT finding_id) = count(*) FROM bmn.finding")" t
grep -Eq "holding at most [1-9][0-9]* kB" refresh.log ||
    { cat refresh.log; fail "the leader held no records back"; }
# The leader writes the parts in their order, whoever scored them: the scores lie
# in household order on their pages, as their index's build wants them.
expect_eq "with parallel workers: scores on their pages in household order" \
    "$(q "SELECT count(*) FILTER (WHERE household_id < before) FROM (
            SELECT household_id, lag(household_id) OVER (ORDER BY ctid) AS before
              FROM bmn.household_score_$Y) s")" 0

refresh_whole -c bmn.refresh_parallel_min_households=0 -c max_parallel_maintenance_workers=2 \
    -c max_parallel_workers=0
grep -Eq "[0-9]+ parts, 0 parallel workers" refresh.log ||
    { cat refresh.log; fail "the refresh did not go through its parts without workers"; }
expect_eq "in parts, without a worker: the same scores, findings and rollups" "$(digest)" "$serial"

# Another session using the findings' sequence keeps the refresh from reserving
# ids: the findings then wait until the workers are gone, and come out the same.
PGAPPNAME=sequence_holder psql -XAtq -c "BEGIN" \
    -c "SELECT nextval(pg_get_serial_sequence('bmn.finding', 'finding_id'))" \
    -c "SELECT pg_sleep(60)" > /dev/null 2>&1 &
holder=$!
for _ in $(seq 50); do
    [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
             WHERE c.relname = 'finding_finding_id_seq' AND l.granted")" -gt 0 ] && break
    sleep 0.1
done
refresh_whole -c bmn.refresh_parallel_min_households=0 -c max_parallel_maintenance_workers=2
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = 'sequence_holder'" > /dev/null
wait "$holder" 2>/dev/null || true
grep -q "no block of finding ids" refresh.log || { cat refresh.log; fail "the ids were reserved all the same"; }
expect_eq "with the sequence in use elsewhere: the same scores, findings and rollups" \
    "$(digest)" "$serial"

# A household whose member has an infinite birth date stops any process that
# reads it; the error reaches the caller and nothing of the refresh is kept.
q "UPDATE bmn.member SET birth_date = 'infinity'
    WHERE (household_id, member_no) = (SELECT household_id, member_no FROM bmn.member
                                        ORDER BY household_id DESC LIMIT 1)" >/dev/null
before=$(digest)
if refresh_whole -c bmn.refresh_parallel_min_households=0 -c max_parallel_maintenance_workers=2; then
    fail "a refresh reading an infinite date succeeded"
fi
grep -q "infinite date" refresh.log || { cat refresh.log; fail "the reader's error did not reach the caller"; }
expect_eq "a failed refresh keeps nothing" "$(digest)" "$before"
q "UPDATE bmn.member SET birth_date = '1980-01-01' WHERE birth_date = 'infinity'" >/dev/null
refresh_whole -c bmn.refresh_parallel_min_households=0 -c max_parallel_maintenance_workers=2
expect_eq "the next refresh works" "$(cat refresh.out)" 3000
