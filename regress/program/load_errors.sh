# load_errors.sh: what stops a load before anything is written (a missing required
# column, a year no indicator set covers, a file that is not UTF-8 CSV, a survey file
# without its pair), and the usage and connection errors (exit 2).
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
load 0 "$WORK/log" "$DATA/areas.csv"
cd "$WORK"

# A missing required column: exit 1, nothing written, every missing column named.
mkdir nocol
cut -d, -f1-14,16- "$DATA/basic/households.csv" > nocol/households.csv   # no consent
cut -d, -f1-6,8- "$DATA/basic/members.csv" > nocol/members.csv             # no sex
head -1 nocol/households.csv | grep -q consent && fail "fixture still has consent"
load 1 log nocol/households.csv
expect_line log 'nocol/households.csv:1: error: required column "consent" is missing'
expect_no_line log 'members.csv.*error'
expect_eq "nothing written" "$(q "SELECT (SELECT count(*) FROM bmn.batch), (SELECT count(*) FROM bmn.household), (SELECT count(*) FROM bmn.survey_round)")" "1|0|0"
cp "$DATA/basic/households.csv" nocol/households.csv
load 1 log nocol/households.csv
expect_line log 'nocol/members.csv:1: error: required column "sex" is missing'
expect_eq "nothing written" "$(q "SELECT count(*) FROM bmn.batch")" "1"

# A column named twice.
mkdir twice
sed '1s/,consent,/,CONSENT,/; 1s/,ind_06$/,consent/' "$DATA/basic/households.csv" > twice/households.csv
cp "$DATA/basic/members.csv" twice/
load 1 log twice/households.csv
expect_line log 'twice/households.csv:1: error: column "consent" appears twice in the header'

# A survey year no indicator set covers (2571-2575 has none yet).
mkdir y2580
sed '2,$s/,2567,/,2580,/; 2s/,๒๕๖๗,/,2580,/' "$DATA/basic/households.csv" > y2580/households.csv
cp "$DATA/basic/members.csv" y2580/
load 1 log y2580/households.csv
expect_line log "y2580/households.csv: error: survey year 2580 has no survey round, and no indicator set covers it (add the indicator set to bmn.indicator_set, then load again)"
expect_eq "no round 2580" "$(q "SELECT count(*) FROM bmn.survey_round")" "0"

# A UTF-8 file with a few bytes that are not UTF-8 (a CP874 name pasted in): it stays
# UTF-8 (read as CP874 every Thai name of it would be garbled), the row with those bytes
# is rejected with its line and column, and the warning says how to force CP874.
mkdir damaged
{ head -2 "$DATA/basic/households.csv"; printf '55010101-0009,2567,55010101,\xba\xe9\xd2\xb9,,,,,,,V1,12/02/2567,,,1,0,0,0,0,,,,,,,\n'; sed -n '3,$p' "$DATA/basic/households.csv"; } > damaged/households.csv
cp "$DATA/basic/members.csv" damaged/
load 3 log damaged/households.csv
expect_line log "damaged/households.csv:3: warning: the file is UTF-8, but 2 bytes in it are not (the first on this line): the rows that hold them are rejected (if the file is in CP874, say --encoding cp874)"
expect_line log "damaged/households.csv:3:4: error: village_name contains bytes that are not UTF-8 text (is the file damaged, or in another encoding? see --encoding)"
expect_no_line log "reading it as CP874"
expect_eq "the other households, Thai names intact" "$(q "SELECT count(*), string_agg(village_name, '') FILTER (WHERE household_id = '55010101-0001') FROM bmn.household")" "3|บ้านนาเหลือง"
sed -n '1p;3p' damaged/households.csv > want
cmp damaged/households.csv.rejects.csv want || fail "reject file of the damaged row"
echo "ok: the damaged row, byte for byte, in the reject file"
new_db
load 0 log "$DATA/areas.csv"

# Files that are not what the loader takes.
printf '<?xml version="1.0"?>\n<survey><x/></survey>\n' > sub.xml
load 1 log sub.xml
expect_line log "sub.xml:2:1: error: the root element is <survey>; a survey export has <bmn_household> or <bmn_households>"
printf 'a,b\n1,2\n' > other.csv
load 1 log other.csv
grep -q "other.csv:1: error: cannot tell what this file is from its header" log || fail "unknown header message"
: > empty.csv
load 1 log empty.csv
expect_line log "empty.csv: error: the file is empty"
load 1 log no-such-file.csv
grep -q "no-such-file.csv: error: cannot open" log || fail "missing file message"

# A survey file without its pair.
mkdir alone
cp "$DATA/basic/households.csv" alone/
load 1 log alone/households.csv
expect_line log "alone/households.csv: error: its members file alone/members.csv does not exist; give both files"
expect_eq "still nothing" "$(q "SELECT count(*) FROM bmn.batch")" "1"

# --kind applies to the files after it: an area list read as households lacks their
# columns.
load 1 log --kind households "$DATA/areas.csv" --kind members "$DATA/basic/members.csv"
expect_line log "$DATA/areas.csv:1: error: required column \"household_id\" is missing"
expect_line log "$DATA/areas.csv:1: error: required column \"collector_id\" is missing"

# Usage and connection errors: exit 2, nothing written.
expect_exit 0 "$BMN" load --help
"$BMN" load --help | grep -q -- "--max-rejects=N" || fail "--help lacks --max-rejects"
load 2 log
expect_line log "bmn load: no file to load"
load 2 log --bogus "$DATA/areas.csv"
expect_line log 'bmn load: invalid option "--bogus"'
load 2 log "$DATA/areas.csv" -d
expect_exit 0 "$BMN" load -?
load 2 log --encoding latin1 "$DATA/areas.csv"
expect_line log 'bmn load: unknown encoding "latin1" (utf-8, cp874 or tis-620)'
Try="Try \"bmn load --help\" for more information."
expect_line log "$Try"
load 2 log --kind census "$DATA/areas.csv"
load 1 log --kind registry "$DATA/areas.csv"
expect_line log "$DATA/areas.csv:1: error: required column \"house_code\" is missing"
load 2 log --max-rejects many "$DATA/areas.csv"
load 0 log --encoding UTF-8 --dry-run "$DATA/areas.csv"
load 2 log -d "host=$WORK/no-server-here" "$DATA/areas.csv"
grep -q "could not connect" log || fail "connection message"
expect_eq "still nothing" "$(q "SELECT count(*) FROM bmn.batch")" "1"
load 2 log --as-of 31/02/2567 "$DATA/areas.csv"
expect_line log 'bmn load: --as-of wants a date (DD/MM/YYYY or YYYY-MM-DD), not "31/02/2567"'
createdb "${PGDATABASE}_noext"
load 2 log -d "${PGDATABASE}_noext" "$DATA/areas.csv"
expect_line log "bmn: database \"${PGDATABASE}_noext\" has no bmn extension; create it first with  CREATE EXTENSION bmn"
dropdb "${PGDATABASE}_noext"
