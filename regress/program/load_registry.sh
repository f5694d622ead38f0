# load_registry.sh: house registry extracts (ท.ร.14, formats.md): '|' or ',' between
# columns, statuses as codes or Thai words, a house with nobody registered; a load is the
# snapshot of the villages it covers, as of --as-of or today; a bad row rejects its house
# with every person of it; the extract of `bmn generate` loads whole.
. "$BMN_ROOT/regress/data/load/helpers.bash"
cd "$WORK"
cp "$DATA"/registry/*.csv .
R=.
new_db
load 0 log "$DATA/areas.csv"

load 0 log --as-of 15/01/2567 "$R/registry_a.csv"
expect_line log "bmn: $R/registry_a.csv: batch 2, registry as of 2024-01-15: 4 houses, 4 persons in 3 villages loaded"
expect_eq "batch" "$(q "SELECT kind, survey_year IS NULL, as_of, registry_rows, rejected FROM bmn.batch WHERE batch_id = 2")" "registry|t|2024-01-15|5|0"
expect_eq "houses" "$(q "SELECT string_agg(house_code || ':' || coalesce(house_no, '-') || ':' || village_code || ':' || coalesce(house_type, '-') || ':' || as_of || ':' || batch_id, ' ' ORDER BY house_code) FROM bmn.registry_house")" \
    "55010001111:8:55010101:ห้องชุด:2024-01-15:2 55010001234:12/3:55010101:บ้าน:2024-01-15:2 55010002345:7:55010201:บ้าน:2024-01-15:2 55010003333:9:55010102:บ้าน:2024-01-15:2"
expect_eq "persons" "$(q "SELECT string_agg(house_code || ' ' || coalesce(national_id, '-') || ' ' || sex || ' ' || birth_date || ' ' || birth_day_known::int || birth_month_known::int || ' ' || nationality || ' ' || status || ' ' || coalesce(move_in_date::text, '-'), ', ' ORDER BY national_id) FROM bmn.registry_person")" \
    "55010001234 1103702488992 1 2012-06-15 11 TH 2 2012-06-15, 55010001234 3100600445635 1 1967-07-01 00 TH 1 1997-01-01, 55010002345 3100600445636 2 1957-07-15 10 TH 1 -, 55010003333 3100600445637 1 1957-01-01 11 TH 2 2020-03-01"
expect_eq "nobody in the flat" "$(q "SELECT count(*) FROM bmn.registry_person WHERE house_code = '55010001111'")" "0"
load 0 log "$R/registry_a.csv"
grep -q "already loaded as batch 2" log || fail "no 'already loaded' message"

# A ',' extract of village 55010101 (today): it replaces that village's snapshot, and
# house 55010002345, registered in 55010201 before, moves; 55010102 stays as it was.
load 0 log "$R/registry_b.csv"
expect_line log "bmn: $R/registry_b.csv: batch 3, registry as of $(q "SELECT current_date"): 2 houses, 3 persons in 1 village loaded, replacing 3 houses and 3 persons of an earlier registry"
expect_eq "houses after" "$(q "SELECT string_agg(house_code || ':' || village_code || ':' || batch_id, ' ' ORDER BY house_code) FROM bmn.registry_house")" \
    "55010001234:55010101:3 55010002345:55010101:3 55010003333:55010102:2"
expect_eq "persons after" "$(q "SELECT string_agg(house_code || ':' || coalesce(first_name, '-') || ':' || status || ':' || batch_id, ' ' ORDER BY house_code, status) FROM bmn.registry_person")" \
    "55010001234:สมชาย:1:3 55010002345:มาลี:1:3 55010002345:ด.ญ. \"ฝน\":2:3 55010003333:ดำ:2:2"

# Bad rows: a house code that is no house code is rejected alone; any other bad row
# rejects its house with all its persons (a bad sex, status or date, an unknown tambon,
# a house in two villages); the rows go, as they are, to the reject file.
load 3 log "$R/registry_bad.csv"
expect_line log "$R/registry_bad.csv:2:1: error: house_code \"5501-12\" is not an 11-digit house code (such as 5501-000123-4)"
expect_line log "$R/registry_bad.csv:4:9: error: sex \"3\" is not one of the codes 1 male, 2 female"
expect_line log "$R/registry_bad.csv:5:12: error: status \"7\" is not a status (1 or เจ้าบ้าน householder, 2 or ผู้อาศัย resident)"
expect_line log "$R/registry_bad.csv:7:3: error: house 55010006666 is in village 55010101 on line 6, and in village 55010102 here; every row of the house is rejected"
expect_line log "$R/registry_bad.csv:8:3: error: village_code \"99990101\": its tambon 999901 is not in the area list (load the areas first, or correct the code)"
expect_line log "$R/registry_bad.csv:9:10: error: birth_date \"31/02/2500\" is not a valid date (DD/MM/YYYY or YYYY-MM-DD; day or month 00 when unknown)"
expect_line log "bmn: $R/registry_bad.csv: batch 4, registry as of $(q "SELECT current_date"): 1 house, 1 person in 1 village loaded, replacing 1 house and 1 person of an earlier registry, 5 houses rejected, 1 row without a valid house_code rejected (see $R/registry_bad.csv.rejects.csv)"
sed -n '1,9p' "$R/registry_bad.csv" > want
cmp "$R/registry_bad.csv.rejects.csv" want || { diff want "$R/registry_bad.csv.rejects.csv"; fail "registry reject file"; }
echo "ok: registry reject file"
expect_eq "village 55010102 now" "$(q "SELECT string_agg(house_code, ' ') FROM bmn.registry_house WHERE village_code = '55010102'")" "55010009999"
expect_eq "village 55010101 untouched" "$(q "SELECT count(*) FROM bmn.registry_house WHERE village_code = '55010101'")" "2"

# --max-rejects stops a registry load too.
n=$(q "SELECT count(*) FROM bmn.batch")
cp "$R/registry_bad.csv" again.csv
echo '55010001212|9|55010101|บ้าน|||||||||' >> again.csv
load 1 log --max-rejects 2 --as-of 2024-03-01 again.csv
grep -q "more than 2 rows rejected (--max-rejects); stopped, nothing loaded" log || fail "--max-rejects message"
expect_eq "no batch" "$(q "SELECT count(*) FROM bmn.batch")" "$n"

# The extract `bmn generate` writes loads whole, every house and person of it.
"$BMN" generate --province 55 --households 40 --year 2567 --seed 7 --out gen --quiet
new_db
load 0 log gen/areas.csv
load 0 log gen/registry.csv
rows=$(($(wc -l < gen/registry.csv) - 1))
expect_eq "every row" "$(q "SELECT registry_rows FROM bmn.batch WHERE kind = 'registry'")" "$rows"
expect_eq "persons" "$(q "SELECT count(*) FROM bmn.registry_person")" "$(awk -F'|' 'NR > 1 && $5 $7 $9 != ""' gen/registry.csv | wc -l)"
expect_eq "houses" "$(q "SELECT count(*) FROM bmn.registry_house")" "$(awk -F'|' 'NR > 1 { print $1 }' gen/registry.csv | sort -u | wc -l)"
