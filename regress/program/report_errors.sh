# report_errors.sh: bmn report's usage and errors, with their exit codes (0 written,
# 1 error, 2 usage or connection), and what a packet says when a part is missing: a
# round not refreshed yet, a role that may not draw the review sample.
. "$BMN_ROOT/regress/lib.sh"
export PGOPTIONS="-c client_min_messages=warning"
fresh_db
cd "$WORK"
Y=2562

# run WANT_EXIT ARGS...: bmn report ARGS, its stderr in err (shown).
run() {
    local want=$1 got=0
    shift
    "$BMN" report "$@" > out 2> err || got=$?
    sed 's/^/    | /' err
    [ "$got" = "$want" ] || fail "exit code of [bmn report $*]: got $got, want $want"
    echo "ok: exit $want from bmn report $*"
}
says() { grep -qF -- "$1" err || fail "no [$1] on stderr"; }

# Usage errors: 2, before any connection.
run 0 --help
grep -q -- '--year' out || fail "--help does not list --year"
run 2
says "which area?"
run 2 55
says "--year is required"
run 2 55 --year 62
says "Buddhist Era"
run 2 55 --year abc
run 2 55 --year $Y --format pdf
says 'unknown format "pdf"'
run 2 55 --year $Y --format csv
says "give a directory with --out"
run 2 55 --year $Y --sample -1
run 2 55 --year $Y --seed x
run 2 55 --year $Y --colour
says 'invalid option'
run 2 55 5501 --year $Y
says 'one area at a time'
run 2 55 --year $Y --out
says 'needs a value'

# Connection errors: 2.
run 2 55 --year $Y -d "host=/nonexistent-socket-dir dbname=x"
says "could not connect"
createdb "${PGDATABASE}_plain"
run 2 55 --year $Y -d "${PGDATABASE}_plain"
says "has no bmn extension"
dropdb "${PGDATABASE}_plain"

"$BMN" generate --province 55 --households 200 --year $Y --seed 5 --out d --quiet
"$BMN" load --quiet d/areas.csv
"$BMN" load --quiet d/households.csv d/members.csv

# Unknown areas and years without data: 1.
run 1 99 --year $Y
says 'unknown area "99"'
run 1 5-5 --year $Y
says 'unknown area "5-5"'
run 1 55 --year 2563
says "no survey round 2563"
# A district of the area list without a household this round.
q "INSERT INTO bmn.area (area_code, level, name_th, name_en, parent_code)
   VALUES ('5598', 'district', 'ว่าง', 'Empty', '55')" >/dev/null
run 1 5598 --year $Y
says "district 5598 (Empty) has no household in survey round $Y"
run 1 55 --year $Y --out "$WORK/no/such/dir/page.html"
says "cannot write"
touch afile
run 1 55 --year $Y --format csv --out afile
says "is not a directory"

# Before bmn.refresh: a packet all the same, saying what to run.
run 0 55 --year $Y --out before.html
says "run SELECT bmn.refresh($Y) first"
grep -qF "SELECT bmn.refresh($Y)" before.html || fail "the page does not say to refresh"
echo "ok: the page says to refresh"
q "SELECT bmn.refresh($Y)" >/dev/null

# Thai digits and spaces in the area code; the page on standard output.
run 0 " ๕๕ " --year $Y
grep -q '<html lang="th">' out || fail "no page on standard output"
grep -q 'จังหวัดน่าน' out || fail "no area title"
echo "ok: page on standard output"

# An analyst may not draw the review sample (bmn_committee's): the packet says so.
q "DO \$\$ BEGIN CREATE ROLE report_analyst IN ROLE bmn_analyst;
   EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
PGOPTIONS="$PGOPTIONS -c role=report_analyst" run 0 55 --year $Y --out analyst.html
says "review_sample left out"
grep -q 'Not available to this database role' analyst.html || fail "no note on the page"
grep -q 'id="population"' analyst.html || fail "no population table for the analyst"
echo "ok: the analyst's packet has everything but the review sample"
PGOPTIONS="$PGOPTIONS -c role=report_analyst" run 0 55 --year $Y --format csv --out analyst
[ ! -e analyst/review_sample.csv ] || fail "review_sample.csv for an analyst"
[ -s analyst/population.csv ] || fail "no population.csv for an analyst"
echo "ok: no review_sample.csv for an analyst"

# The same seed draws the same sample; another seed, another.
run 0 55 --year $Y --format csv --out s1 --sample 5 --seed 7
run 0 55 --year $Y --format csv --out s2 --sample 5 --seed 7
run 0 55 --year $Y --format csv --out s3 --sample 5 --seed 8
cmp -s s1/review_sample.csv s2/review_sample.csv || fail "seed 7 twice: different samples"
cmp -s s1/review_sample.csv s3/review_sample.csv && fail "seeds 7 and 8: the same sample"
expect_eq "--sample 5" "$(($(wc -l < s1/review_sample.csv) - 1))" "5"
