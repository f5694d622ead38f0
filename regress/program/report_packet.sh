# report_packet.sh: bmn report on a generated province. Every CSV file equals the
# views it comes from (read back into the database and compared row for row, as
# text); the HTML page has no network reference; rendered in headless Chromium it is
# not blank and shows the views' figures.
. "$BMN_ROOT/regress/lib.sh"
export PGOPTIONS="-c client_min_messages=warning"
fresh_db
cd "$WORK"
Y=2562

load_province 55 600 3 $Y registry
q "SELECT bmn.refresh($Y)" >/dev/null

expect_exit 0 "$BMN" report 55 --year $Y --format html --out page.html
expect_exit 0 "$BMN" report 55 --year $Y --format csv --out csv

# ---- CSV against the views -------------------------------------------------------
# load_csv NAME: csv/NAME.csv into table csv_NAME, every column text.
load_csv() {
    [ -f "csv/$1.csv" ] || fail "csv/$1.csv was not written"
    local cols
    cols=$(head -1 "csv/$1.csv" | sed 's/,/ text, /g; s/$/ text/')
    q "DROP TABLE IF EXISTS csv_$1; CREATE TABLE csv_$1 ($cols)"
    psql -Xq -v ON_ERROR_STOP=1 -c "\\copy csv_$1 FROM 'csv/$1.csv' WITH (FORMAT csv, HEADER)"
}
# same_rows WHAT SQL_A SQL_B: the same rows, duplicates counted, and at least one.
same_rows() {
    local got
    got=$(q "SELECT (SELECT count(*) FROM (($2) EXCEPT ALL ($3)) a) || ' '
                 || (SELECT count(*) FROM (($3) EXCEPT ALL ($2)) b) || ' '
                 || (SELECT count(*) > 0 FROM ($2) c)")
    expect_eq "$1" "$got" "0 0 true"
}
for t in population poverty indicators income low_income_summary low_income_households \
         findings confidence certification review_sample; do
    load_csv $t
done

# The province and its districts, as every table of a province's packet has them.
# in55 [ALIAS]: the predicate, columns qualified by ALIAS.
in55() {
    local x=${1:+$1.}
    echo "${x}year = $Y AND ((${x}area_code = '55' AND ${x}level = 'province')
          OR (${x}level = 'district' AND ${x}area_code LIKE '55__'))"
}
IN=$(in55)

same_rows "population.csv = bmn.population_report" \
    "SELECT * FROM csv_population" \
    "SELECT area_code, level, name_th, name_en, households::text, persons::text, male::text,
            female::text, age_0_5::text, age_6_14::text, age_15_59::text, age_60_plus::text,
            thai::text, foreigners::text FROM bmn.population_report WHERE $IN"
expect_eq "population.csv: the province and every district with households" \
    "$(q "SELECT count(*) FROM csv_population")" \
    "$(q "SELECT 1 + count(DISTINCT left(village_code, 4)) FROM bmn.household WHERE survey_year = $Y")"
expect_eq "population.csv: the province first" "$(sed -n 2p csv/population.csv | cut -d, -f1-2)" "55,province"

same_rows "indicators.csv = bmn.indicator_rollup" \
    "SELECT area_code, level, indicator_no, households_applicable, households_passed,
            households_failed, persons_applicable, persons_passed, persons_failed,
            pct_passed FROM csv_indicators" \
    "SELECT area_code, level, indicator_no::text, households_applicable::text,
            households_passed::text, households_failed::text, persons_applicable::text,
            persons_passed::text, persons_failed::text, pct_passed::text
       FROM bmn.indicator_rollup WHERE $IN"
same_rows "indicators.csv: names of the round's set" \
    "SELECT indicator_no, category, name_th, name_en FROM csv_indicators" \
    "SELECT i.indicator_no::text, i.category, i.name_th, i.name_en
       FROM bmn.indicator_rollup r
       JOIN bmn.survey_round sr ON sr.survey_year = r.year
       JOIN bmn.indicator i ON (i.set_code, i.indicator_no) = (sr.set_code, r.indicator_no)
      WHERE $(in55 r)"
expect_eq "indicators.csv: 31 indicators of the province" \
    "$(q "SELECT count(*) FROM csv_indicators WHERE area_code = '55'")" "31"

same_rows "income.csv = bmn.income_report" \
    "SELECT area_code, level, households, persons, mean_income_per_person,
            median_income_per_person, mean_income_per_household, mean_income_main,
            mean_income_secondary, mean_income_other, mean_income_own_production,
            mean_expense_per_household, households_with_expense FROM csv_income" \
    "SELECT area_code, level, households::text, persons::text, mean_income_per_person::text,
            median_income_per_person::text, mean_income_per_household::text,
            mean_income_main::text, mean_income_secondary::text, mean_income_other::text,
            mean_income_own_production::text, mean_expense_per_household::text,
            households_with_expense::text FROM bmn.income_report WHERE $IN"

same_rows "low_income_households.csv = bmn.low_income_households" \
    "SELECT household_id, village_code, house_no, persons, income_total, income_avg,
            income_threshold FROM csv_low_income_households" \
    "SELECT household_id, village_code, house_no, persons::text, income_total::text,
            income_avg::text, income_threshold::text
       FROM bmn.low_income_households WHERE year = $Y AND province_code = '55'"
same_rows "low_income_summary.csv counts bmn.low_income_households" \
    "SELECT area_code, low_income_households FROM csv_low_income_summary
      WHERE low_income_households <> '0'" \
    "SELECT '55', count(*)::text FROM bmn.low_income_households WHERE year = $Y AND province_code = '55'
     UNION ALL
     SELECT district_code, count(*)::text FROM bmn.low_income_households
      WHERE year = $Y AND province_code = '55' GROUP BY district_code"

same_rows "findings.csv = bmn.anomaly_summary" \
    "SELECT area_code, level, check_code, severity, count, confirmed, denominator FROM csv_findings" \
    "SELECT area_code, level, check_code, severity, count::text, confirmed::text,
            denominator::text FROM bmn.anomaly_summary WHERE $IN"
same_rows "findings.csv: names from bmn.check_rule" \
    "SELECT check_code, check_level, name_th, name_en FROM csv_findings" \
    "SELECT s.check_code, c.level, c.name_th, c.name_en
       FROM bmn.anomaly_summary s JOIN bmn.check_rule c USING (check_code) WHERE $(in55 s)"

same_rows "confidence.csv = bmn.confidence" \
    "SELECT area_code, level, households, households_with_findings, open_errors,
            confidence_pct, certifiable FROM csv_confidence" \
    "SELECT area_code, level, households::text, households_with_findings::text,
            open_errors::text, confidence_pct::text, left(certifiable::text, 1)
       FROM bmn.confidence WHERE $IN"

expect_eq "review_sample.csv = bmn.review_sample('55', $Y, 10, $Y)" \
    "$(q "SELECT string_agg(household_id, ' ' ORDER BY sample_no::int) FROM csv_review_sample")" \
    "$(q "SELECT string_agg(household_id, ' ') FROM bmn.review_sample('55', $Y, 10, $Y)")"
expect_eq "review_sample.csv: 10 households" "$(q "SELECT count(*) FROM csv_review_sample")" "10"
expect_eq "certification.csv: no decision yet" "$(q "SELECT count(*) FROM csv_certification")" "0"

# bmn.collection_progress: compared column for column, and not empty (the registry
# gives the targets).
load_csv collection_progress
cols=$(head -1 csv/collection_progress.csv | tr ',' '\n' | sed 's/.*/&::text/' | paste -sd,)
same_rows "collection_progress.csv = bmn.collection_progress" \
    "SELECT * FROM csv_collection_progress" \
    "SELECT $cols FROM bmn.collection_progress WHERE $IN"
[ "$(q "SELECT count(*) > 0 FROM csv_collection_progress")" = t ] || fail "collection_progress.csv is empty"

# A decision shows in the next packet.
q "SELECT bmn.certify('5501', $Y, 'certified', 'checked at the meeting')" >/dev/null
"$BMN" report 55 --year $Y --format csv --out csv 2>/dev/null
load_csv certification
same_rows "certification.csv = bmn.certification_status" \
    "SELECT area_code, level, decision, certified, stale, note FROM csv_certification" \
    "SELECT area_code, level, decision, left(certified::text, 1), left(stale::text, 1), note
       FROM bmn.certification_status WHERE $IN"

# ---- the page --------------------------------------------------------------------
if grep -Eqi 'https?://' page.html; then
    grep -Eoi '.{40}https?://.{40}' page.html | head -3
    fail "the page refers to the network"
fi
echo "ok: no http:// or https:// in the page"
for want in '<meta charset="utf-8">' 'size: A4' 'break-before: page' '<svg class="chart"' \
            'Content-Security-Policy' 'Committee certification'; do
    grep -qF -- "$want" page.html || fail "the page has no [$want]"
done
echo "ok: charset, A4, page breaks, charts, signatures"
if grep -Eqi '<(script|img|link|iframe|object)\b|url\(' page.html; then
    fail "the page loads something (script, image, link or url())"
fi
echo "ok: nothing loaded from anywhere"
[ "$(grep -c '<section id="s-' page.html)" -ge 10 ] || fail "fewer than 10 sections"

# ---- rendered in Chromium ----------------------------------------------------------
shot=$("$BMN_ROOT/regress/browser/render.sh" page.html shot)
echo "screenshot: $shot"
mean=${shot#mean=}; mean=${mean%% *}
colors=${shot##*colors=}
awk -v m="$mean" 'BEGIN { exit !(m < 0.99) }' || fail "the screenshot is blank (mean $mean)"
[ "$colors" -gt 16 ] || fail "the screenshot has only $colors colours"
echo "ok: screenshot not blank"

# grp N: digits grouped as the page writes them (1955 -> 1,955).
grp() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<< "$1"; }
# dom_cell TABLE AREA COL [MATCH]: a cell of the rendered page's table, from the row
# of AREA (and holding MATCH).
dom_cell() {
    awk -v t="<table id=\"$1\"" -v a="data-area=\"$2\"" -v m="${4:-}" '
        index($0, t) { on = 1 }
        on && index($0, a) && (m == "" || index($0, m)) { print; exit }
        on && /<\/table>/ { on = 0 }' shot.dom.html |
        sed -n "s/.*data-col=\"$3\">\([^<]*\)<.*/\1/p"
}
vq() { q "SELECT $1 FROM $2 WHERE year = $Y AND area_code = '${3:-55}' AND level = '${4:-province}'"; }

for col in households persons male female age_60_plus foreigners; do
    expect_eq "page: $col of 55" "$(dom_cell population 55 $col)" \
        "$(grp "$(vq $col bmn.population_report)")"
done
for d in $(q "SELECT area_code FROM bmn.population_report WHERE year = $Y AND level = 'district' ORDER BY 1"); do
    expect_eq "page: households of $d" "$(dom_cell population "$d" households)" \
        "$(grp "$(vq households bmn.population_report "$d" district)")"
done
# The weakest indicators, the income indicator and the first one.
for i in $(q "SELECT indicator_no FROM bmn.indicator_rollup WHERE year = $Y AND area_code = '55'
               AND level = 'province' AND households_applicable > 0
             ORDER BY pct_passed, indicator_no LIMIT 3") 22 1; do
    expect_eq "page: % passed, indicator $i" \
        "$(dom_cell indicators 55 pct_passed "data-col=\"indicator_no\">$i<")" \
        "$(q "SELECT pct_passed FROM bmn.indicator_rollup WHERE year = $Y AND area_code = '55'
               AND level = 'province' AND indicator_no = $i")"
    expect_eq "page: households failed, indicator $i" \
        "$(dom_cell indicators 55 households_failed "data-col=\"indicator_no\">$i<")" \
        "$(grp "$(q "SELECT households_failed FROM bmn.indicator_rollup WHERE year = $Y
                      AND area_code = '55' AND level = 'province' AND indicator_no = $i")")"
done
expect_eq "page: mean income per person" "$(dom_cell income 55 mean_income_per_person)" \
    "$(grp "$(vq mean_income_per_person bmn.income_report)")"
expect_eq "page: confidence" "$(dom_cell confidence 55 confidence_pct)" \
    "$(vq confidence_pct bmn.confidence)"
expect_eq "page: low-income households" "$(dom_cell low-income-summary 55 low_income_households)" \
    "$(q "SELECT count(*) FROM bmn.low_income_households WHERE year = $Y AND province_code = '55'")"
check=$(q "SELECT check_code FROM bmn.anomaly_summary WHERE year = $Y AND area_code = '55'
             AND level = 'province' ORDER BY count DESC, check_code LIMIT 1")
if [ -n "$check" ]; then
    row=$(grep -F "data-check=\"$check\"" shot.dom.html | head -1)
    for col in count denominator; do
        expect_eq "page: $check $col" "$(sed -n "s/.*data-col=\"$col\">\([^<]*\)<.*/\1/p" <<< "$row")" \
            "$(grp "$(q "SELECT $col FROM bmn.anomaly_summary WHERE year = $Y AND area_code = '55'
                          AND level = 'province' AND check_code = '$check'")")"
    done
fi
grep -q 'จังหวัดน่าน' shot.dom.html || fail "no Thai area name on the page"
grep -q 'Nan province' shot.dom.html || fail "no English area name on the page"
echo "ok: area names in Thai and English"
