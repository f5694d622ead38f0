# load_replace.sh: a later batch with a household of the same year replaces the earlier
# version (household and members), leaves the others alone, and counts the replaced;
# a pair named 2567_households.csv / 2567_members.csv.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db

load 0 "$WORK/log" "$DATA/areas.csv"
load 0 "$WORK/log" "$DATA/basic/households.csv" "$DATA/basic/members.csv"
expect_eq "first version" "$(q "SELECT income_main, batch_id FROM bmn.household WHERE household_id = '55010101-0001'")" "120000.00|2"

# Given in the other order, named by a year stem.
load 0 "$WORK/log" "$DATA/fix/2567_members.csv" "$DATA/fix/2567_households.csv"
expect_line "$WORK/log" "bmn: $DATA/fix/2567_households.csv + $DATA/fix/2567_members.csv: batch 3, year 2567: 2 households, 3 members loaded, 1 replacing earlier versions"
expect_eq "batch 3" "$(q "SELECT households, members, replaced, rejected FROM bmn.batch WHERE batch_id = 3")" "2|3|1|0"
expect_eq "corrected household" "$(q "SELECT income_main, interview_date, batch_id, village_name IS NULL FROM bmn.household WHERE household_id = '55010101-0001'")" \
    "150000.00|2024-02-20|3|t"
expect_eq "its members, all replaced" "$(q "SELECT string_agg(member_no || ':' || batch_id, ' ' ORDER BY member_no) FROM bmn.member WHERE household_id = '55010101-0001'")" "1:3 2:3"
expect_eq "others untouched" "$(q "SELECT string_agg(household_id || ':' || batch_id, ' ' ORDER BY household_id) FROM bmn.household")" \
    "55010101-0001:3 55010101-0002:2 55010102-0001:3 55010201-0001:2"
expect_eq "members in all" "$(q "SELECT count(*) FROM bmn.member")" "5"
expect_eq "village kept its name" "$(q "SELECT name_th FROM bmn.area WHERE area_code = '55010101'")" "บ้านนาเหลือง"
expect_eq "new village" "$(q "SELECT name_th || ':' || parent_code || ':' || lao_code FROM bmn.area WHERE area_code = '55010102'")" "บ้านใหม่:550101:6550101"

# The first files again: content seen before, nothing changes (the correction stays).
load 0 "$WORK/log" "$DATA/basic/households.csv"
grep -q "already loaded as batch 2" "$WORK/log" || fail "no 'already loaded' message"
expect_eq "correction stays" "$(q "SELECT income_main FROM bmn.household WHERE household_id = '55010101-0001'")" "150000.00"

# The lineage: which batch each replaced version came from, and which replaced it.
expect_eq "household_version" "$(q "SELECT survey_year || ' ' || household_id || ' ' || batch_id || ' ' || village_code || ' ' || replaced_by_batch || ' ' || (replaced_at <= now()) FROM bmn.household_version")" \
    "2567 55010101-0001 2 55010101 3 true"

# A correction that is itself rejected (a bad member) leaves the earlier version alone;
# the other household of the batch replaces its own.
cd "$WORK"
cat > 2567b_households.csv <<'CSV'
household_id,survey_year,village_code,collector_id,interview_date,consent,income_main,income_secondary,income_other,income_own_production
55010101-0002,2567,55010101,V5501-0042,21/02/2567,1,99999,0,0,0
55010201-0001,2567,55010201,V5501-0043,21/02/2567,1,77777,0,0,0
CSV
cat > 2567b_members.csv <<'CSV'
household_id,member_no,sex,birth_date,relation,nationality,education,in_school,occupation
55010101-0002,1,1,01/01/2520,1,TH,2,0,2
55010201-0001,1,2,01/01/2500,1,TH,2,0,9
CSV
load 3 log 2567b_households.csv
expect_line log "2567b_members.csv:3:9: error: occupation \"9\" is not one of the codes 0 none, 1 student only, 2 agriculture, 3 private employee, 4 government or state enterprise, 5 own business or trade, 6 general labour, 7 other"
expect_line log "bmn: 2567b_households.csv + 2567b_members.csv: batch 4, year 2567: 1 household, 1 member loaded, 1 replacing earlier versions, 1 household rejected (see 2567b_households.csv.rejects.csv and 2567b_members.csv.rejects.csv)"
expect_eq "rejected correction: earlier version kept" "$(q "SELECT income_main || ':' || batch_id FROM bmn.household WHERE household_id = '55010201-0001'")" "0.00:2"
expect_eq "its members kept" "$(q "SELECT string_agg(member_no || ':' || batch_id, ' ') FROM bmn.member WHERE household_id = '55010201-0001'")" "1:2"
expect_eq "accepted correction" "$(q "SELECT income_main || ':' || batch_id FROM bmn.household WHERE household_id = '55010101-0002'")" "99999.00:4"
expect_eq "lineage" "$(q "SELECT string_agg(household_id || ':' || batch_id || '>' || replaced_by_batch, ' ' ORDER BY replaced_by_batch) FROM bmn.household_version")" \
    "55010101-0001:2>3 55010101-0002:2>4"
