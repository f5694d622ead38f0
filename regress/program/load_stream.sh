# load_stream.sh: households go to the server while households.csv is read when their
# year's round is empty, the year taken from the first rows; when most of the file turns
# out to be of another year, that is undone and the batch is written as usual: the
# households of the other year are rejected, nothing of the first guess remains.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
cd "$WORK"
"$BMN" generate --province 55 --households 2100 --year 2566 --seed 3 --out a --quiet
"$BMN" generate --province 55 --households 3000 --year 2567 --seed 4 --out b --quiet
load 0 log a/areas.csv
mkdir ab
{ cat a/households.csv; sed '1d; s/^/B/' b/households.csv; } > ab/households.csv
{ cat a/members.csv; sed '1d; s/^/B/' b/members.csv; } > ab/members.csv
load 3 log ab/households.csv
grep -q "ab/households.csv:2:2: error: survey_year 2566 differs from 2567, the year of the other households (a file holds one survey round)" log ||
    fail "no message for the households of 2566"
expect_eq "2567 loaded, 2566 not" "$(q "SELECT string_agg(survey_year || ':' || n, ' ' ORDER BY survey_year) FROM (SELECT survey_year, count(*) n FROM bmn.household GROUP BY 1) x")" "2567:3000"
expect_eq "members of 2567 only" "$(q "SELECT count(*) FROM bmn.member WHERE household_id NOT LIKE 'B%'")" "0"
expect_eq "no round 2566" "$(q "SELECT string_agg(survey_year::text, ' ') FROM bmn.survey_round")" "2567"
expect_eq "one survey batch" "$(q "SELECT count(*) || ':' || min(households) || ':' || min(rejected) FROM bmn.batch WHERE kind = 'survey'")" "1:3000:2100"

# The first load of a year streams; a rejected member takes its household out again.
new_db
load 0 log a/areas.csv
sed '3s/^\([^,]*,[^,]*\),[^,]*,/\1,x,/' a/members.csv > bad_members.csv
cp a/households.csv bad_households.csv
load 3 log bad_households.csv bad_members.csv
expect_eq "one household fewer" "$(q "SELECT count(*) FROM bmn.household")" "2099"
expect_eq "counts agree" "$(q "SELECT households = (SELECT count(*) FROM bmn.household) AND members = (SELECT count(*) FROM bmn.member) FROM bmn.batch WHERE kind = 'survey'")" "t"
