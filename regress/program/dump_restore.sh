# dump_restore.sh: a bmn database saved with pg_dump comes back whole into a new
# database: loaded data, scores (one partition per round), findings, rollups, and
# the pseudonym key (so analysts' pseudonyms are the same); the restored database
# takes a correction and refreshes it.
. "$BMN_ROOT/regress/lib.sh"
export PGOPTIONS="-c client_min_messages=warning"
fresh_db
cd "$WORK"
Y=2562
load_province 55 400 21 $Y registry
q "SELECT bmn.refresh($Y)" >/dev/null

figures="SELECT (SELECT count(*) FROM bmn.household), (SELECT count(*) FROM bmn.member),
  (SELECT count(*) FROM bmn.household_score), (SELECT count(*) FROM bmn.finding),
  (SELECT sum(households_passed) FROM bmn.indicator_rollup),
  (SELECT md5(string_agg(national_id_pseudonym, ',' ORDER BY household_id, member_no)) FROM bmn.member_deid)"
before=$(q "$figures")
# (pg_dump warns that bmn.area refers to itself: its rows restore in the order they
# were loaded, parents first.)
pg_dump -f dump.sql "$PGDATABASE" 2> dump.log || { cat dump.log; fail "pg_dump failed"; }

src=$PGDATABASE
export PGDATABASE="${src}_restored"
dropdb --if-exists "$PGDATABASE"
createdb "$PGDATABASE"
psql -Xq -v ON_ERROR_STOP=1 -f dump.sql > restore.log 2>&1 || { cat restore.log; fail "the dump does not restore"; }
expect_eq "households, members, scores, findings, rollups and pseudonyms restored" "$(q "$figures")" "$before"
expect_eq "the round's score partition restored" \
    "$(q "SELECT count(*) FROM pg_inherits WHERE inhparent = 'bmn.household_score'::regclass")" 1

# A correction in the restored database is refreshed like any other.
head -2 d/households.csv > fix_h.csv
hid=$(sed -n 2p d/households.csv | cut -d, -f1)
awk -F, -v id="$hid" 'NR == 1 || $1 == id' d/members.csv > fix_m.csv
"$BMN" load --quiet fix_h.csv fix_m.csv
expect_eq "the correction refreshed" "$(q "SELECT bmn.refresh($Y)")" 1
dropdb "$PGDATABASE"
