# load_xml.sh: survey exports in XML (formats.md). The XML form of the basic pair loads
# the same values as the CSV form; one household per file; meta kept; errors with the
# element's LINE:COLUMN and a reject file of <bmn_household> elements; and what must be
# refused: a DOCTYPE (XXE, billion laughs), a truncated file, binary garbage.
. "$BMN_ROOT/regress/data/load/helpers.bash"
cd "$WORK"
X=$DATA/xml

values() {  # every loaded value but the batch, in a stable order
    q "SELECT h.household_id, survey_year, village_code, village_name, lao_code, lao_name, house_code, house_no, latitude, longitude, collector_id, interview_date, interview_start, interview_end, consent, income_main, income_secondary, income_other, income_own_production, expense_production, expense_consumption, expense_unnecessary, expense_debt, ind_01, ind_05, ind_06 FROM bmn.household h ORDER BY 1"
    q "SELECT household_id, member_no, village_code, national_id, title, first_name, last_name, sex, birth_date, birth_day_known, birth_month_known, relation, nationality, education, in_school, literate, occupation, income, health_status, self_care, welfare_card, ind_01 FROM bmn.member ORDER BY 1, 2"
}

new_db
load 0 log "$DATA/areas.csv"
load 0 log "$DATA/basic/households.csv"
values > from_csv
new_db
load 0 log "$DATA/areas.csv"
load 0 log "$X/survey.xml"
expect_line log "bmn: $X/survey.xml: batch 2, year 2567: 3 households, 5 members loaded"
values > from_xml
cmp -s from_csv from_xml || { diff from_csv from_xml; fail "XML and CSV load other values"; }
echo "ok: the XML form loads the values of the CSV form"
expect_eq "meta" "$(q "SELECT household_id || ' ' || coalesce(meta->>'instanceID', '-') FROM bmn.household ORDER BY 1")" \
    "55010101-0001 uuid:6f1c2e0a-3b1d-4a8e-9f43-0c2b7d5e1a90
55010101-0002 -
55010201-0001 -"
expect_eq "batch" "$(q "SELECT kind, survey_year, households, members, files[1] = '$X/survey.xml' FROM bmn.batch WHERE batch_id = 2")" "survey|2567|3|5|t"
load 0 log "$X/survey.xml"
grep -q "already loaded as batch 2" log || fail "no 'already loaded' message"

# One household per file, the example of formats.md; its village is new (tambon known).
load 0 log "$X/one.xml"
expect_line log "bmn: $X/one.xml: batch 3, year 2567: 1 household, 1 member loaded"
expect_eq "one household" "$(q "SELECT survey_year, income_other, ind_06, meta->>'instanceID' FROM bmn.household WHERE household_id = '55010105-0017'")" \
    "2567|6000.00|t|uuid:6f1c2e0a-3b1d-4a8e-9f43-0c2b7d5e1a91"

# Errors: each with the element's line and column; a bad member takes its household;
# the rejected households go to FILE.rejects.xml; the others load (exit 3).
cat > bad.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<bmn_households>
  <bmn_household><household_id>B-1</household_id><survey_year>2567</survey_year>
    <village_code>55010101</village_code><collector_id>V1</collector_id>
    <interview_date>31/02/2567</interview_date><consent>1</consent>
    <income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production>
  </bmn_household>
  <bmn_household><household_id>B-2</household_id><survey_year>2567</survey_year><village_code>55010101</village_code><collector_id>V1</collector_id><interview_date>01/02/2567</interview_date><consent>1</consent><income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production>
    <member><member_no>1</member_no><sex>1</sex><birth_date>01/01/2500</birth_date><relation>1</relation><nationality>TH</nationality><education>2</education><in_school>0</in_school><occupation>9</occupation></member>
    <member><member_no>1</member_no><sex>2</sex><birth_date>01/01/2500</birth_date><relation>2</relation><nationality>TH</nationality><education>2</education><in_school>0</in_school><occupation>2</occupation></member>
  </bmn_household>
  <bmn_household><household_id>B-3</household_id><survey_year>2567</survey_year><village_code>55010101</village_code><collector_id>V1</collector_id><interview_date>01/02/2567</interview_date><consent>1</consent><consent>0</consent><income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production><colour>red</colour></bmn_household>
  <bmn_household><household_id>B-4</household_id><survey_year>2567</survey_year><village_code>55010101</village_code><collector_id>V1</collector_id><interview_date>01/02/2567</interview_date><income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production></bmn_household>
  <bmn_household><household_id>B-5</household_id><survey_year>2567</survey_year><village_code>55010101</village_code><collector_id>V1</collector_id><interview_date>01/02/2567</interview_date><consent>1</consent><income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production>
    <member><member_no>1</member_no><sex>2</sex><birth_date>01/01/2500</birth_date><relation>1</relation><nationality>TH</nationality><education>2</education><in_school>0</in_school><occupation>2</occupation></member></bmn_household>
  <bmn_household><household_id>B-1</household_id><survey_year>2567</survey_year><village_code>55010101</village_code><collector_id>V1</collector_id><interview_date>01/02/2567</interview_date><consent>1</consent><income_main>0</income_main><income_secondary>0</income_secondary><income_other>0</income_other><income_own_production>0</income_own_production></bmn_household>
</bmn_households>
XML
load 3 log bad.xml
expect_line log 'bad.xml:5:5: error: interview_date "31/02/2567" is not a valid date (DD/MM/YYYY or YYYY-MM-DD)'
expect_line log 'bad.xml:9:183: error: occupation "9" is not one of the codes 0 none, 1 student only, 2 agriculture, 3 private employee, 4 government or state enterprise, 5 own business or trade, 6 general labour, 7 other'
expect_line log 'bad.xml:10:13: error: member_no 1 of household "B-2" appears more than once (also on line 9)'
expect_line log 'bad.xml:12:212: error: <consent> appears twice (also on line 12)'
expect_line log 'bad.xml:13:3: error: consent has no value, but it is required'
expect_line log 'bad.xml:16:18: error: household_id "B-1" appears more than once (also on line 3); every row with it is rejected'
expect_line log 'bad.xml: warning: unknown elements are ignored: <colour>'
expect_line log "bmn: bad.xml: batch 4, year 2567: 1 household, 1 member loaded, 5 households rejected (see bad.xml.rejects.xml)"
expect_eq "B-5 alone" "$(q "SELECT string_agg(household_id, ' ') FROM bmn.household WHERE household_id LIKE 'B-%'")" "B-5"
grep -c '<bmn_household>' bad.xml.rejects.xml | grep -qx 5 || fail "5 households in the reject file"
grep -q 'B-5' bad.xml.rejects.xml && fail "B-5 is not rejected"
head -2 bad.xml.rejects.xml | tail -1 | grep -qx '<bmn_households>' || fail "reject file root"
echo "ok: reject file"
# The reject file is an XML export itself: corrected, it loads.
sed -e 's/31\/02\/2567/01\/02\/2567/; s/<occupation>9</<occupation>2</; 0,/<member_no>1<\/member_no><sex>2</s//<member_no>2<\/member_no><sex>2</' \
    -e 's/<consent>0<\/consent>//; s/<interview_date>01\/02\/2567<\/interview_date><income_main>/<interview_date>01\/02\/2567<\/interview_date><consent>1<\/consent><income_main>/' \
    bad.xml.rejects.xml | awk '/<household_id>B-1</ && seen++ { next } { print }' > fixed.xml
load 0 log fixed.xml
expect_eq "corrected households" "$(q "SELECT string_agg(household_id || ':' || batch_id, ' ' ORDER BY household_id) FROM bmn.household WHERE household_id LIKE 'B-%'")" \
    "B-1:5 B-2:5 B-3:5 B-4:5 B-5:4"

# Refused: a DOCTYPE (an external entity, or entities that expand without end), before
# anything is read; the file read by the entity never shows.
n=$(q "SELECT count(*) FROM bmn.batch")
cat > xxe.xml <<'XML'
<?xml version="1.0"?>
<!DOCTYPE bmn_household [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<bmn_household><household_id>&secret;</household_id></bmn_household>
XML
load 1 log xxe.xml
expect_line log "xxe.xml: error: the XML has a DOCTYPE declaration, which survey exports never have; it is refused (a DOCTYPE can make a reader fetch files or expand entities without end)"
expect_no_line log "root:"
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE lolz [ <!ENTITY lol "lol">'
    for i in 1 2 3 4 5 6 7 8 9; do
        printf '<!ENTITY lol%d "' "$i"; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&lol%s;' "$([ "$i" = 1 ] && echo "" || echo $((i - 1)))"; done; echo '">'
    done
    echo ']>'
    echo '<bmn_household><household_id>&lol9;</household_id></bmn_household>'
} > laughs.xml
start=$(date +%s)
load 1 log laughs.xml
[ $(( $(date +%s) - start )) -lt 5 ] || fail "billion laughs took too long"
grep -q "laughs.xml: error: the XML has a DOCTYPE declaration" log || fail "billion laughs not refused"
# A DOCTYPE after a long comment is refused by the reader all the same.
{ printf '<!--'; head -c 100000 /dev/zero | tr '\0' 'c'; printf -- '-->\n<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:1/">]>\n<bmn_household>&e;</bmn_household>\n'; } > late.xml
load 1 log late.xml
grep -q "late.xml:[0-9]*: error: the XML has a DOCTYPE declaration" log || fail "late DOCTYPE not refused"

# A truncated file: an error with its line, nothing loaded.
head -c 2000 "$X/survey.xml" > cut.xml
sed -i 's/55010101-0001/55010101-0009/' cut.xml
load 1 log cut.xml
grep -qE "^cut.xml:[0-9]+(:[0-9]+)?: error: (the XML ends too early|the XML is not well-formed)" log || fail "truncated XML message"
# Binary garbage, and an XML file whose bytes go bad half-way.
head -c 3000 /dev/urandom > garbage.xml
load 1 log garbage.xml
grep -q "garbage.xml: error" log || fail "garbage message"
{ printf '<bmn_households>\n<bmn_household><household_id>G-1</household_id></bmn_household>\n'; head -c 500 /dev/urandom | tr -d '<>&'; printf '\n</bmn_households>\n'; } > half.xml
load 1 log --encoding utf-8 half.xml
grep -q "half.xml:[0-9]*" log || fail "half-garbage message"
expect_eq "nothing from the refused files" "$(q "SELECT count(*) FROM bmn.batch")" "$n"

# CP874 XML without a declaration (the Thai of the example, Thai digits) loads.
sed 's/55010105-0017/55010105-0018/; s/a91</a92</; s/<\/consent>/<\/consent><village_name>บ้านนาเหลือง<\/village_name>/; 1d' "$X/one.xml" |
    iconv -f UTF-8 -t CP874 > cp874.xml
load 0 log cp874.xml
expect_line log "bmn: cp874.xml is not UTF-8: reading it as CP874 (windows-874)"
expect_eq "CP874 XML" "$(q "SELECT survey_year, village_name FROM bmn.household WHERE household_id = '55010105-0018'")" "2567|บ้านนาเหลือง"
