# report_levels.sh: bmn report at every level (country, province, district, tambon,
# village, LAO): the area's row first, then its sub-areas, as the views count them.
. "$BMN_ROOT/regress/lib.sh"
export PGOPTIONS="-c client_min_messages=warning"
fresh_db
cd "$WORK"
Y=2562

load_province 55 300 11 $Y
q "SELECT bmn.refresh($Y)" >/dev/null

village=$(q "SELECT min(village_code) FROM bmn.household")
lao=$(q "SELECT min(h.lao_code) FROM bmn.household h JOIN bmn.lao l USING (lao_code)")
district=${village:0:4}
tambon=${village:0:6}

# level CODE LEVEL CHILD_LEVEL
check_level() {
    local code=$1 level=$2 child=$3 d="p_$1"
    expect_exit 0 "$BMN" report "$code" --year $Y --format csv --out "$d"
    expect_eq "$level $code: its row first" "$(sed -n 2p "$d/population.csv" | cut -d, -f1-2)" \
        "$code,$level"
    expect_eq "$level $code: households, persons" \
        "$(sed -n 2p "$d/population.csv" | cut -d, -f5-6)" \
        "$(q "SELECT households || ',' || persons FROM bmn.population_report
               WHERE year = $Y AND area_code = '$code' AND level = '$level'")"
    expect_eq "$level $code: sub-areas ($child)" \
        "$(tail -n +3 "$d/population.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')" \
        "$( [ -n "$child" ] && echo "$child ")"
    expect_exit 0 "$BMN" report "$code" --year $Y --out "$d.html"
    grep -q "<title>จปฐ. $Y " "$d.html" || fail "$d.html: no title"
}
check_level TH country province
check_level 55 province district
check_level "$district" district tambon
check_level "$tambon" tambon village
check_level "$village" village ""
if [ -n "$lao" ]; then
    check_level "$lao" lao village
    expect_eq "LAO $lao: its villages" \
        "$(tail -n +3 "p_$lao/population.csv" | cut -d, -f1 | sort | paste -sd' ')" \
        "$(q "SELECT string_agg(DISTINCT village_code, ' ' ORDER BY village_code) FROM bmn.household WHERE lao_code = '$lao'")"
fi
# A village has no sub-areas: the page says so instead of charting nothing.
grep -q 'This area has no sub-areas' "p_$village.html" || fail "village page: no note"
echo "ok: village page says it has no sub-areas"
# The country's review sample draws from every province.
expect_eq "TH review sample" "$(($(wc -l < p_TH/review_sample.csv) - 1))" "10"
