# load_bad_input.sh: files that are not what they should be (formats.md, bad input):
# a 30 MB field, unterminated quotes, binary garbage and spreadsheets instead of CSV,
# a household whose member row is malformed. Nothing of a file that cannot be read to
# its end is written; a malformed row takes its household with it.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
load 0 "$WORK/log" "$DATA/areas.csv"
cd "$WORK"
batches() { q "SELECT count(*) FROM bmn.batch"; }

# A 30 MB field (a quote missing, or junk): the reading stops at 1 MB, nothing is written.
mkdir big
cp "$DATA/basic/households.csv" big/
{ cat "$DATA/basic/members.csv"; printf '55010101-0002,2,,,"'; head -c $((30 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; printf '",1,01/01/2500,2,TH,2,0,0,2,0,,,,\n'; } > big/members.csv
load 1 log big/households.csv
expect_line log "big/members.csv:8:5: error: a field is longer than 1 MB; is a quote missing?"
expect_line log "bmn: big/households.csv + big/members.csv: nothing loaded"
expect_eq "nothing written" "$(batches):$(q "SELECT count(*) FROM bmn.household")" "1:0"

# The same in households.csv, whose rows were already going to the server.
mkdir big2
{ cat "$DATA/basic/households.csv"; printf '55010201-0002,2567,55010201,"'; head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' 'y'; printf '",,,,,,,V1,14/02/2567,,,0,0,0,0,0,,,,,,,\n'; } > big2/households.csv
cp "$DATA/basic/members.csv" big2/
load 1 log big2/households.csv
expect_line log "big2/households.csv:5:4: error: a field is longer than 1 MB; is a quote missing?"
expect_line log "bmn: big2/households.csv + big2/members.csv: nothing loaded"
expect_eq "nothing written" "$(batches):$(q "SELECT count(*) FROM bmn.household"):$(q "SELECT count(*) FROM bmn.survey_round")" "1:0:0"

# Unterminated quotes: in the middle of the file the row is malformed and rejected with
# its household; at the end of the file likewise.
mkdir quote
cp "$DATA/basic/households.csv" quote/
{ head -2 "$DATA/basic/members.csv"; printf '55010101-0001,2,,"นาง,สมหญิง,ใจดี,2,00/03/2512,2,TH,3,0,1,2,0,,,,\n'; sed -n '4,$p' "$DATA/basic/members.csv"; printf '55010201-0001,2,,นาย,"ดำ,ดี,1,01/01/2500,2,TH,2,0,1,2,0,,,,\n'; } > quote/members.csv
load 3 log quote/households.csv
expect_line log 'quote/members.csv:3:4: error: malformed CSV: a quoted field of this row goes on to line 4 and ends badly there (is a closing " missing on this line?)'
expect_line log "quote/members.csv:8:5: error: a quoted field is not closed (a \" is missing)"
expect_eq "the household without a bad row" "$(q "SELECT string_agg(household_id, ' ') FROM bmn.household")" "55010101-0002"
new_db
load 0 log "$DATA/areas.csv"

# Binary files: refused with what they look like.
printf 'PK\003\004\024\000\010\000\010\000' > book.xlsx
head -c 2000 /dev/urandom >> book.xlsx
load 1 log book.xlsx
expect_line log "book.xlsx: error: this is not a text file: it looks like a zip archive or an Excel workbook (.xlsx). Save it as CSV (UTF-8) and load that file"
head -c 4096 /dev/urandom > garbage.csv
load 1 log garbage.csv
grep -qE "^garbage.csv(:1)?: error: (this is not a text file|cannot tell what this file is)" log || fail "garbage message"
printf '\xff\xfeh\x00o\x00' > utf16.csv
load 1 log utf16.csv
expect_line log "utf16.csv: error: this is not a text file: it looks like UTF-16 text. Save it as CSV (UTF-8) and load that file"
expect_eq "nothing written" "$(batches)" "1"

# SQL, quotes and COPY's own escapes in values are data: nothing runs, nothing breaks.
mkdir sql
cat > sql/areas.csv <<'CSV'
code,name_th,name_en
550103,"x'); DROP TABLE bmn.area; --","\N\t\.
end"
CSV
load 0 log sql/areas.csv
expect_eq "kept as text" "$(q "SELECT name_th || '|' || replace(name_en, E'\n', '/') FROM bmn.area WHERE area_code = '550103'")" "x'); DROP TABLE bmn.area; --|\\N\\t\\./end"
expect_eq "table still there" "$(q "SELECT count(*) FROM bmn.area")" "5"
