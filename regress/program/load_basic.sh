# load_basic.sh: `bmn load` of an area list and a small survey pair: what lands in the
# database, value by value (Thai digits, BE dates, 00 birth dates, thousands separators
# in quoted fields, SQL and backslashes as data); the same content twice; CRLF + BOM.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db

load 0 "$WORK/log" "$DATA/areas.csv"
expect_eq "areas" "$(q "SELECT string_agg(area_code || ':' || level || ':' || coalesce(parent_code, '-'), ' ' ORDER BY area_code) FROM bmn.area")" \
    "55:province:- 5501:district:55 550101:tambon:5501 550102:tambon:5501"
expect_eq "areas batch" "$(q "SELECT kind, survey_year IS NULL, areas, rejected FROM bmn.batch")" "areas|t|4|0"

# Only households.csv given: members.csv beside it is its pair.
load 0 "$WORK/log" "$DATA/basic/households.csv"
expect_line "$WORK/log" "bmn: $DATA/basic/households.csv + $DATA/basic/members.csv: batch 2, year 2567: 3 households, 5 members loaded"
expect_eq "survey batch" "$(q "SELECT kind, survey_year, households, members, rejected, replaced, array_length(files, 1), content_sha256 ~ '^[0-9a-f]{64}$' FROM bmn.batch WHERE batch_id = 2")" \
    "survey|2567|3|5|0|0|2|t"
expect_eq "round created" "$(q "SELECT set_code FROM bmn.survey_round WHERE survey_year = 2567")" "2023-2027"

# Households: Thai digits in survey_year and income_main, separators in quoted fields,
# BE and CE dates, times on the interview date and date-times, answers 1/0/-/9/empty.
expect_eq "household 1" "$(q "SELECT survey_year, batch_id, village_code, village_name, lao_code, lao_name, house_code, house_no, latitude, longitude, collector_id, interview_date, interview_start, interview_end, consent, income_main, income_secondary, income_other, income_own_production, expense_production, expense_consumption, expense_unnecessary, expense_debt, ind_01, ind_05, ind_06 FROM bmn.household WHERE household_id = '55010101-0001'")" \
    "2567|2|55010101|บ้านนาเหลือง|6550101|เทศบาลเมืองน่าน|55010001234|12/3|18.7763|100.773|V5501-0042|2024-02-12|2024-02-12 09:15:00|2024-02-12 09:45:00|t|120000.00|0.00|6000.50|15000.00|5000.00|30000.00|2000.00|0.00|t|f|"
expect_eq "household 2" "$(q "SELECT village_name IS NULL, lao_code IS NULL, house_code IS NULL, latitude IS NULL, interview_date, interview_start, interview_end, income_main, expense_debt IS NULL, ind_01 IS NULL, ind_05, ind_06 IS NULL FROM bmn.household WHERE household_id = '55010101-0002'")" \
    "t|t|t|t|2024-02-13|2024-02-13 10:00:00|2024-02-13 10:30:00|120000.00|t|t|t|t"
expect_eq "household 3" "$(q "SELECT consent, interview_start IS NULL, house_code FROM bmn.household WHERE household_id = '55010201-0001'")" "f|t|55010002345"

# Members: village_code from the household, birth dates with 00, Thai member_no,
# national IDs with dashes, quoted commas and quotes, SQL and backslashes kept as text.
expect_eq "members" "$(q "SELECT string_agg(household_id || '/' || member_no || ' ' || village_code || ' ' || birth_date || ' ' || birth_day_known::int || birth_month_known::int, ', ' ORDER BY household_id, member_no) FROM bmn.member")" \
    "55010101-0001/1 55010101 1967-07-01 00, 55010101-0001/2 55010101 1969-03-01 01, 55010101-0001/3 55010101 2012-06-15 11, 55010101-0002/1 55010101 1980-05-01 11, 55010201-0001/1 55010201 1957-07-15 10"
expect_eq "member 1" "$(q "SELECT national_id, title, first_name, last_name, sex, relation, nationality, education, in_school, literate, occupation, income, health_status, self_care, welfare_card, ind_01 FROM bmn.member WHERE household_id = '55010101-0001' AND member_no = 1")" \
    "3100600445635|นาย|สมชาย|ใจดี|1|1|TH|2|f|t|2|120000.00|0|t|f|t"
expect_eq "member 2" "$(q "SELECT national_id IS NULL, nationality, income, health_status IS NULL, self_care IS NULL, ind_01 IS NULL FROM bmn.member WHERE household_id = '55010101-0001' AND member_no = 2")" \
    "t|TH|0.00|t|t|t"
expect_eq "quoted comma and quotes" "$(q "SELECT first_name FROM bmn.member WHERE household_id = '55010101-0001' AND member_no = 3")" 'Nick "Noi", Jr'
expect_eq "SQL stays data" "$(q "SELECT last_name FROM bmn.member WHERE household_id = '55010101-0001' AND member_no = 3")" "Robert'); DROP TABLE bmn.member;--"
expect_eq "backslash and line break" "$(q "SELECT first_name = E'back\\\\slash' AND last_name = E'two\\nlines' FROM bmn.member WHERE household_id = '55010101-0002'")" "t"

# Villages and LAOs met in the survey.
expect_eq "villages" "$(q "SELECT string_agg(area_code || ':' || level || ':' || name_th || ':' || parent_code || ':' || coalesce(lao_code, '-'), ' ' ORDER BY area_code) FROM bmn.area WHERE length(area_code) = 8")" \
    "55010101:village:บ้านนาเหลือง:550101:6550101 55010201:village:บ้านบ่อ:550102:-"
expect_eq "LAO" "$(q "SELECT lao_code || ':' || name_th FROM bmn.lao")" "6550101:เทศบาลเมืองน่าน"

# The same content again, given both ways: nothing changes.
load 0 "$WORK/log" "$DATA/basic/members.csv" "$DATA/basic/households.csv"
grep -q "already loaded as batch 2" "$WORK/log" || fail "no 'already loaded' message"
load 0 "$WORK/log" "$DATA/areas.csv"
grep -q "already loaded as batch 1" "$WORK/log" || fail "no 'already loaded' message for areas"
expect_eq "no new batch" "$(q "SELECT count(*) FROM bmn.batch")" "2"

# CRLF line ends and a BOM: other bytes (a new batch), the same data; every household
# replaces its earlier version.
q "SELECT household_id, member_no, first_name, last_name, birth_date, income FROM bmn.member ORDER BY 1, 2" > "$WORK/before"
mkdir "$WORK/crlf"
for f in households members; do
    { printf '\xEF\xBB\xBF'; sed 's/$/\r/' "$DATA/basic/$f.csv"; } > "$WORK/crlf/$f.csv"
done
load 0 "$WORK/log" "$WORK/crlf/households.csv" "$WORK/crlf/members.csv"
expect_line "$WORK/log" "bmn: $WORK/crlf/households.csv + $WORK/crlf/members.csv: batch 3, year 2567: 3 households, 5 members loaded, 3 replacing earlier versions"
q "SELECT household_id, member_no, first_name, last_name, birth_date, income FROM bmn.member ORDER BY 1, 2" > "$WORK/after"
# The quoted line break was CRLF in that file: it is kept as written.
sed -i 's/\r$//' "$WORK/after"
cmp -s "$WORK/before" "$WORK/after" || { diff "$WORK/before" "$WORK/after"; fail "CRLF + BOM loaded other values"; }
echo "ok: CRLF + BOM load the same values"
expect_eq "all from batch 3" "$(q "SELECT count(*) FILTER (WHERE batch_id = 3), count(*) FROM bmn.household")" "3|3"
expect_eq "batch 3 counts" "$(q "SELECT households, members, replaced FROM bmn.batch WHERE batch_id = 3")" "3|5|3"
expect_eq "first column read despite the BOM" "$(q "SELECT count(*) FROM bmn.household WHERE household_id LIKE '5501%'")" "3"

# A dry run writes nothing.
load 0 "$WORK/log" --dry-run "$DATA/fix/2567_households.csv" "$DATA/fix/2567_members.csv"
grep -q "dry run, year 2567: 2 households, 3 members would be loaded" "$WORK/log" || fail "dry run summary"
expect_eq "dry run: no new batch" "$(q "SELECT count(*) FROM bmn.batch")" "3"
