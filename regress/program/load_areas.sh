# load_areas.sh: area lists. The real list of ../shared/data/thai_areas.csv loads
# whole; level and parent_code must agree with the code; a parent must be known or
# come in the same file; a rejected parent takes its children with it; a second list
# updates names.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
cd "$WORK"

REAL=${SHARED:-$BMN_ROOT/../shared}/data/thai_areas.csv
if [ -f "$REAL" ]; then
    load 0 log "$REAL"
    expect_line log "bmn: $REAL: batch 1: 8441 areas loaded (8441 new, 0 changed, 0 unchanged)"
    expect_eq "levels" "$(q "SELECT string_agg(level || ':' || n, ' ' ORDER BY level) FROM (SELECT level, count(*) n FROM bmn.area GROUP BY level) x")" \
        "district:928 province:77 tambon:7436"
    expect_eq "Bangkok's khwaeng" "$(q "SELECT name_en || '/' || parent_code FROM bmn.area WHERE area_code = '100101'")" "Phra Borom Maha Ratchawang/1001"
    expect_eq "batch" "$(q "SELECT kind, areas, rejected FROM bmn.batch")" "areas|8441|0"
    load 0 log "$REAL"
    grep -q "already loaded as batch 1" log || fail "no 'already loaded' message"
    # A survey can now use any tambon of the country.
    load 0 log "$DATA/basic/households.csv"
    new_db
else
    echo "skipped: $REAL is absent"
fi

# Parents in the file after their children, villages, a level in Thai, CRLF.
printf 'code,name_th,name_en,level\r\n55010101,บ้านนาเหลือง,,หมู่บ้าน\r\n550101,ในเวียง,Nai Wiang,tambon\r\n5501,เมืองน่าน,,district\r\n55,น่าน,Nan,Province\r\n' > a1.csv
load 0 log a1.csv
expect_line log "bmn: a1.csv: batch 1: 4 areas loaded (4 new, 0 changed, 0 unchanged)"
expect_eq "tree" "$(q "SELECT string_agg(area_code || '>' || coalesce(parent_code, '-') || ':' || level, ' ' ORDER BY area_code COLLATE \"C\") FROM bmn.area")" \
    "55>-:province 5501>55:district 550101>5501:tambon 55010101>550101:village"

# Rejects: bad code, wrong level, wrong parent_code, duplicates, unknown parent, and
# the children of a rejected parent; the rest loads, names are updated.
cat > a2.csv <<'CSV'
code,name_th,name_en,level,parent_code
5501,เมืองน่าน,Mueang Nan,district,55
550102,บ่อ,Bo,tambon,5501
5502,แม่จริม,Mae Charim,tambon,55
5503,บ้านหลวง,Ban Luang,district,56
5504,นาน้อย,Na Noi,district,55
5504,นาน้อย ๒,Na Noi 2,district,55
550401,นาน้อย,Na Noi,tambon,5504
5601,เมืองพะเยา,Mueang Phayao,district,56
550A,ผิด,Wrong,district,55
550103,,No name,tambon,5501
CSV
load 3 log a2.csv
expect_line log 'a2.csv:4:4: error: level "tambon" does not match code 5502, which is a district code'
expect_line log 'a2.csv:5:5: error: parent_code "56" does not match code 5503, whose parent is 55'
expect_line log 'a2.csv:7:1: error: code 5504 appears more than once (also on line 6); every row with it is rejected'
expect_line log 'a2.csv:10:1: error: code "550A" is not an area code (2 digits for a province, 4 a district, 6 a tambon, 8 a village)'
expect_line log 'a2.csv:11:2: error: name_th has no value, but it is required'
expect_line log 'a2.csv:9:1: error: code 5601: its parent 56 is neither in the area list nor in this file'
expect_line log 'a2.csv:8:1: error: code 550401: its parent 5504 is rejected, and not in the area list'
expect_line log "bmn: a2.csv: batch 2: 2 areas loaded (1 new, 1 changed, 0 unchanged), 8 rows rejected (see a2.csv.rejects.csv)"
expect_eq "loaded" "$(q "SELECT string_agg(area_code || ':' || coalesce(name_en, '-'), ' ' ORDER BY area_code COLLATE \"C\") FROM bmn.area")" \
    "55:Nan 5501:Mueang Nan 550101:Nai Wiang 55010101:- 550102:Bo"
sed -n '1p;4,11p' a2.csv > want
cmp a2.csv.rejects.csv want || { diff want a2.csv.rejects.csv; fail "reject file"; }
echo "ok: reject file"
expect_eq "batch 2" "$(q "SELECT areas, rejected FROM bmn.batch WHERE batch_id = 2")" "2|8"
