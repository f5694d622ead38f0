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
