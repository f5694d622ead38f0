# load_encodings.sh: CP874 (windows-874) and TIS-620 files (formats.md): detected when a
# file is not UTF-8 and said once, or forced with --encoding; Thai text and Thai digits
# load as from UTF-8; bytes that are not text in the file's encoding reject their row
# with its line and column, and the reject file keeps the file's own bytes; NUL bytes.
. "$BMN_ROOT/regress/data/load/helpers.bash"
cd "$WORK"

values() {
    q "SELECT household_id, survey_year, village_name, lao_name, income_main, income_other FROM bmn.household ORDER BY 1"
    q "SELECT household_id, member_no, title, first_name, last_name, birth_date, income FROM bmn.member ORDER BY 1, 2"
}

new_db
load 0 log "$DATA/areas.csv"
load 0 log "$DATA/basic/households.csv"
values > from_utf8

# The basic pair in CP874, members.csv with CRLF line ends.
mkdir cp874
iconv -f UTF-8 -t CP874 "$DATA/basic/households.csv" > cp874/households.csv
iconv -f UTF-8 -t CP874 "$DATA/basic/members.csv" | sed 's/$/\r/' > cp874/members.csv
grep -q $'\xf2\xf5\xf6\xf7' cp874/households.csv || fail "fixture: no Thai digits in CP874"
new_db
load 0 log "$DATA/areas.csv"
load 0 log cp874/households.csv
expect_line log "bmn: cp874/households.csv is not UTF-8: reading it as CP874 (windows-874)"
expect_line log "bmn: cp874/members.csv is not UTF-8: reading it as CP874 (windows-874)"
[ "$(grep -c 'is not UTF-8' log)" = 2 ] || fail "said more than once per file"
values > from_cp874
# The quoted line break of members.csv is CRLF in this copy.
sed -i 's/\r$//' from_cp874
cmp -s from_utf8 from_cp874 || { diff from_utf8 from_cp874; fail "CP874 loads other values"; }
echo "ok: CP874 loads the values of UTF-8"

# Forced: the same, without the message; TIS-620 reads these files too.
for enc in cp874 TIS-620; do
    new_db
    load 0 log "$DATA/areas.csv"
    load 0 log --encoding "$enc" cp874/households.csv
    expect_no_line log "is not UTF-8"
    values | sed 's/\r$//' > forced
    cmp -s from_utf8 forced || { diff from_utf8 forced; fail "--encoding $enc loads other values"; }
    echo "ok: --encoding $enc"
done

# Bytes CP874 does not define (0xFC, 0xDB) reject their row; … (0x85) is CP874's, not
# TIS-620's. The reject file holds the rows in CP874, byte for byte.
mkdir bad
cp cp874/households.csv bad/
{
    head -1 cp874/members.csv
    sed -n '2p' cp874/members.csv | sed 's/,\xca\xc1\xaa\xd2\xc2,/,\xca\xc1\xfc\xaa\xd2\xc2,/'
    sed -n '3,$p' cp874/members.csv
} > bad/members.csv
printf '55010201-0001,2,,\xb9\xd2\xa7,\xc1\xd2\xc5\xd5\x85,\xdb,2,01/01/2530,2,TH,2,0,1,0,0,,,,\r\n' >> bad/members.csv
new_db
load 0 log "$DATA/areas.csv"
load 3 log bad/households.csv
expect_line log "bad/members.csv:2:5: error: first_name contains bytes that are not CP874 (windows-874) text (is the file damaged, or in another encoding? see --encoding)"
expect_line log "bad/members.csv:8:6: error: last_name contains bytes that are not CP874 (windows-874) text (is the file damaged, or in another encoding? see --encoding)"
expect_no_line log "bad/members.csv:8:5"
expect_line log "bmn: bad/households.csv + bad/members.csv: batch 2, year 2567: 1 household, 1 member loaded, 2 households rejected (see bad/households.csv.rejects.csv and bad/members.csv.rejects.csv)"
sed -n '1p;2p;4p' bad/households.csv > want_h
cmp bad/households.csv.rejects.csv want_h || fail "households reject file is not the CP874 rows"
sed -n '1,4p;7,8p' bad/members.csv > want_m
cmp bad/members.csv.rejects.csv want_m || { cmp -l want_m bad/members.csv.rejects.csv | head; fail "members reject file is not the CP874 rows"; }
echo "ok: reject files in CP874, with their CRLF"
new_db
load 0 log "$DATA/areas.csv"
load 3 log --encoding tis-620 bad/households.csv
expect_line log "bad/members.csv:8:5: error: first_name contains bytes that are not TIS-620 text (is the file damaged, or in another encoding? see --encoding)"

# UTF-8 forced on CP874: every row with Thai in it is rejected, nothing garbled loads.
new_db
load 0 log "$DATA/areas.csv"
load 1 log --encoding utf-8 cp874/households.csv
expect_line log "cp874/households.csv:2:2: error: survey_year contains bytes that are not UTF-8 text (is the file damaged, or in another encoding? see --encoding)"
expect_line log "cp874/households.csv:3:16: error: income_main contains bytes that are not UTF-8 text (is the file damaged, or in another encoding? see --encoding)"
expect_eq "nothing garbled" "$(q "SELECT count(*) FROM bmn.household")" "0"

# NUL bytes in a field (UTF-8 file): the row is rejected, the others load.
mkdir nul
{ head -3 "$DATA/basic/households.csv"; printf '55010201-0001,2567,55010201,\xe0\xb8\x9a\x00x,,,,7,,,V5501-0043,14/02/2567,,,0,0,0,0,0,,,,,,,\n'; } > nul/households.csv
cp "$DATA/basic/members.csv" nul/
new_db
load 0 log "$DATA/areas.csv"
load 3 log nul/households.csv
expect_line log "nul/households.csv:4:4: error: village_name contains a NUL byte (is the file damaged, or not a text file?)"
expect_eq "the others" "$(q "SELECT count(*) FROM bmn.household")" "2"
cmp <(sed -n '1p;4p' nul/households.csv) nul/households.csv.rejects.csv || fail "NUL row in the reject file"
echo "ok: the NUL row, byte for byte, in the reject file"

# An area list in TIS-620 (the real list is UTF-8; provincial lists often are not).
iconv -f UTF-8 -t TIS-620 "$DATA/areas.csv" > areas620.csv
new_db
load 0 log areas620.csv
expect_eq "Thai names" "$(q "SELECT name_th FROM bmn.area WHERE area_code = '5501'")" "เมืองน่าน"
