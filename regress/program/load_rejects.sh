# load_rejects.sh: every reject rule of formats.md on a small pair. A bad household is
# rejected with all its members, a bad member takes its household with it; rejected
# rows land, unchanged, in reject files beside the inputs; each reason is logged as
# FILE:LINE:COLUMN: error: MESSAGE; the rest is loaded and the exit code is 3.
# Then --max-rejects (nothing loaded, exit 1), --dry-run and --reject-file.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
load 0 "$WORK/log" "$DATA/areas.csv"

cp "$DATA/bad/households.csv" "$DATA/bad/members.csv" "$WORK/"
cd "$WORK"

# Over the limit: stop, write nothing.
load 1 log --max-rejects 5 households.csv members.csv
grep -q "more than 5 rows rejected (--max-rejects); stopped, nothing loaded" log || fail "no --max-rejects message"
expect_eq "nothing written" "$(q "SELECT (SELECT count(*) FROM bmn.batch), (SELECT count(*) FROM bmn.household)")" "1|0"

# A dry run: the same checks and reject files, nothing in the database.
load 3 log --dry-run --max-rejects 13 households.csv members.csv
expect_line log "bmn: households.csv + members.csv: dry run, year 2567: 2 households, 4 members would be loaded, 12 households rejected, 1 member row without a household rejected (see households.csv.rejects.csv and members.csv.rejects.csv)"
expect_eq "dry run wrote nothing" "$(q "SELECT (SELECT count(*) FROM bmn.batch), (SELECT count(*) FROM bmn.household)")" "1|0"
rm -f ./*.rejects.csv

load 3 log households.csv members.csv
expect_line log "households.csv:1: warning: unknown columns are ignored: note, remark"
[ "$(grep -c warning log)" = 1 ] || fail "more than one warning"
# Missing required value, unparsable value, village code not 8 digits, unknown tambon,
# duplicate household_id, an unquoted thousands separator, a second survey year.
expect_line log "households.csv:3:7: error: consent has no value, but it is required"
expect_line log 'households.csv:4:6: error: interview_date "31/02/2567" is not a valid date (DD/MM/YYYY or YYYY-MM-DD)'
expect_line log 'households.csv:5:3: error: village_code "5501010" is not an 8-digit village code (province, district, tambon, village number)'
expect_line log 'households.csv:6:3: error: village_code "99990101": its tambon 999901 is not in the area list (load the areas first, or correct the code)'
expect_line log 'households.csv:9:1: error: household_id "55010101-0107" appears more than once (also on line 8); every row with it is rejected'
expect_line log 'households.csv:12:15: error: this row has 15 fields, but the header has 14 (a number with a comma must be in quotes: "1,200")'
expect_line log 'households.csv:14:2: error: survey_year 2566 differs from 2567, the year of the other households (a file holds one survey round)'
# Code outside its list, duplicate member, invalid date, member without household,
# malformed CSV.
expect_line log 'members.csv:6:3: error: sex "3" is not one of the codes 1 male, 2 female'
expect_line log 'members.csv:8:2: error: member_no 1 of household "55010101-0108" appears more than once (also on line 7)'
expect_line log 'members.csv:9:4: error: birth_date "31/02/2510" is not a valid date (DD/MM/YYYY or YYYY-MM-DD; day or month 00 when unknown)'
expect_line log 'members.csv:11:1: error: household_id "55010101-0999" is not in households.csv'
expect_line log 'members.csv:13:6: error: malformed CSV: a double quote inside a field must be doubled (""), and a quoted field must end at a comma or the end of the line'
# A member of a household rejected already is checked all the same.
expect_line log 'members.csv:15:6: error: nationality "Thai" is not a two-letter country code (TH for Thai)'
[ "$(grep -c ': error: ' log)" = 14 ] || fail "$(grep -c ': error: ' log) error lines, want 14"
# (A load stopped after its transaction began leaves a gap in the batch numbers.)
batch=$(q "SELECT max(batch_id) FROM bmn.batch")
expect_line log "bmn: households.csv + members.csv: batch $batch, year 2567: 2 households, 4 members loaded, 12 households rejected, 1 member row without a household rejected (see households.csv.rejects.csv and members.csv.rejects.csv)"

# What landed: the two good households with all their members, nothing of the others.
expect_eq "households" "$(q "SELECT string_agg(household_id, ' ' ORDER BY household_id) FROM bmn.household")" "55010101-0101 55010101-0111"
expect_eq "members" "$(q "SELECT string_agg(household_id || '/' || member_no, ' ' ORDER BY household_id, member_no) FROM bmn.member")" \
    "55010101-0101/1 55010101-0101/2 55010101-0101/3 55010101-0111/1"
expect_eq "answer '-' is not applicable" "$(q "SELECT ind_01 IS NULL FROM bmn.household WHERE household_id = '55010101-0111'")" "t"
expect_eq "batch" "$(q "SELECT households, members, rejected FROM bmn.batch WHERE batch_id = $batch")" "2|4|13"

# Reject files: the header and the rejected rows, byte for byte, in file order.
sed -n '1p;3,12p;14,15p' households.csv > want_h
cmp households.csv.rejects.csv want_h || { diff want_h households.csv.rejects.csv; fail "households reject file"; }
echo "ok: households reject file"
grep -vE '^55010101-01(01|11),' members.csv > want_m
cmp members.csv.rejects.csv want_m || { diff want_m members.csv.rejects.csv; fail "members reject file"; }
echo "ok: members reject file"

# The reject files load again once corrected: here, as they are, they are rejected
# again (and the good households are not touched).
mkdir again
load 1 log --reject-file again/ households.csv.rejects.csv members.csv.rejects.csv
grep -q "every household was rejected; nothing loaded (see again/households.csv.rejects.csv and again/members.csv.rejects.csv)" log ||
    fail "no summary naming the prefixed reject files"
cmp again/households.csv.rejects.csv households.csv.rejects.csv || fail "reject of rejects differs"
echo "ok: --reject-file prefix"
expect_eq "still two households" "$(q "SELECT count(*) FROM bmn.household")" "2"
