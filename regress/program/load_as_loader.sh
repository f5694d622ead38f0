# load_as_loader.sh: a provincial IT officer logs in as a member of bmn_loader granted
# one province. Row-level security refuses such a user COPY into the survey and
# registry tables, so bmn load goes through temporary tables: the files of its province
# load (first load, correction, registry, XML); a batch with a village of another
# province is refused as a whole, with a message that names the villages and the areas
# granted; an area list is for administrators only.
. "$BMN_ROOT/regress/data/load/helpers.bash"
new_db
cd "$WORK"

LOADER=regress_it55
LOADER_PW=it55-secret
ADMIN=$PGUSER ADMIN_PW=${PGPASSWORD:-}
q "DROP ROLE IF EXISTS $LOADER" >/dev/null 2>&1 || true
q "CREATE ROLE $LOADER LOGIN PASSWORD '$LOADER_PW' IN ROLE bmn_loader"
trap 'PGUSER=$ADMIN PGPASSWORD=$ADMIN_PW q "DROP ROLE IF EXISTS $LOADER" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

# as_loader CMD...: CMD connected as the loader (pg_virtualenv connects by password).
as_loader() { PGUSER=$LOADER PGPASSWORD=$LOADER_PW "$@"; }

"$BMN" generate --province 55 --households 60 --year 2567 --seed 11 --out p55 --quiet
"$BMN" generate --province 56 --households 520 --year 2567 --seed 12 --out p56 --quiet
load 0 log p55/areas.csv
load 0 log p56/areas.csv
q "SELECT bmn.grant_area('$LOADER', '55')" >/dev/null
expect_eq "the role is subject to row-level security" \
    "$(as_loader q "SELECT row_security_active('bmn.household')")" "t"

counts() { q "SELECT (SELECT count(*) FROM bmn.batch) || ':' || (SELECT count(*) FROM bmn.household) || ':' || (SELECT count(*) FROM bmn.member) || ':' || (SELECT count(*) FROM bmn.registry_person) || ':' || (SELECT count(*) FROM bmn.area)"; }
h56=$(($(wc -l < p56/households.csv) - 1))
m56=$(($(wc -l < p56/members.csv) - 1))
name55=$(q "SELECT name_th FROM bmn.area WHERE area_code = '55'")
name56=$(q "SELECT name_th FROM bmn.area WHERE area_code = '56'")
# refusal HOUSEHOLDS_CSV: the message for the villages of province 56 in the file.
refusal() {
    local v n list
    v=$(awk -F, 'NR > 1 { print $3 }' "$1" | sort -u)
    n=$(echo "$v" | wc -l)
    list=$(echo "$v" | head -3 | paste -sd, | sed 's/,/, /g')
    if [ "$n" = 1 ]; then list="village $list"; else list="villages $list"; fi
    if [ "$n" -gt 3 ]; then list="$list and $((n - 3)) more"; fi
    echo "you may not load households of $list (province 56 $name56): role \"$LOADER\" is granted only area 55 $name55; an administrator grants areas with bmn.grant_area"
}
refusal=$(refusal p56/households.csv)
case $refusal in *" and "*" more "*) ;; *) fail "want more than 3 villages in p56: $refusal" ;; esac

# Another province on the first load of the year (households stream while read): refused.
before=$(counts)
as_loader load 1 log p56/households.csv p56/members.csv
expect_line log "bmn: p56/households.csv: $refusal"
expect_line log "bmn: p56/households.csv + p56/members.csv: nothing loaded"
expect_eq "nothing of the refused batch" "$(counts)" "$before"

# Its own province: loaded, counted, recorded as loaded by the role. (A refused batch
# used up its batch_id: identities are not transactional.)
last_batch() { q "SELECT max(batch_id) FROM bmn.batch"; }
h55=$(($(wc -l < p55/households.csv) - 1))
m55=$(($(wc -l < p55/members.csv) - 1))
as_loader load 0 log p55/households.csv p55/members.csv
b=$(last_batch)
expect_line log "bmn: p55/households.csv + p55/members.csv: batch $b, year 2567: $h55 households, $m55 members loaded"
expect_eq "households and members" "$(q "SELECT count(*) FROM bmn.household")|$(q "SELECT count(*) FROM bmn.member")" "$h55|$m55"
expect_eq "batch" "$(q "SELECT loaded_by || ':' || households || ':' || members FROM bmn.batch WHERE batch_id = $b")" "$LOADER:$h55:$m55"
b55=$b

# Another province again, now that the round has households (no streaming): refused.
before=$(counts)
as_loader load 1 log p56/households.csv p56/members.csv
expect_line log "bmn: p56/households.csv: $refusal"
expect_eq "nothing of the refused batch, again" "$(counts)" "$before"

# One household of another province among those of its own: the whole batch is refused.
mkdir mixed
{ cat p55/households.csv; sed -n 2p p56/households.csv | sed 's/^[^,]*,/X-1,/'; } > mixed/households.csv
{ cat p55/members.csv; awk -F, -v id="$(sed -n 2p p56/households.csv | cut -d, -f1)" '$1 == id' p56/members.csv | sed 's/^[^,]*,/X-1,/'; } > mixed/members.csv
v=$(sed -n 2p p56/households.csv | cut -d, -f3)
as_loader load 1 log mixed/households.csv mixed/members.csv
expect_line log "bmn: mixed/households.csv: you may not load households of village $v (province 56 $name56): role \"$LOADER\" is granted only area 55 $name55; an administrator grants areas with bmn.grant_area"
expect_eq "nothing of the mixed batch" "$(counts)" "$before"
expect_eq "no household X-1" "$(q "SELECT count(*) FROM bmn.household WHERE household_id = 'X-1'")" "0"

# A correction: one household sent again replaces the earlier version (its members too),
# and the lineage records it.
id=$(sed -n 2p p55/households.csv | cut -d, -f1)
mkdir fix
awk -F, -v OFS=, 'NR == 1 || NR == 2 { if (NR == 2) $16 = 123456; print }' p55/households.csv > fix/households.csv
awk -F, -v id="$id" 'NR == 1 || $1 == id' p55/members.csv > fix/members.csv
mfix=$(($(wc -l < fix/members.csv) - 1))
as_loader load 0 log fix/households.csv fix/members.csv
b=$(last_batch)
expect_line log "bmn: fix/households.csv + fix/members.csv: batch $b, year 2567: 1 household, $mfix members loaded, 1 replacing earlier versions"
expect_eq "corrected household" "$(q "SELECT income_main || ':' || batch_id FROM bmn.household WHERE household_id = '$id'")" "123456.00:$b"
expect_eq "its members replaced" "$(q "SELECT count(*) FILTER (WHERE batch_id = $b) || ':' || count(*) FROM bmn.member WHERE household_id = '$id'")" "$mfix:$mfix"
expect_eq "lineage" "$(q "SELECT household_id || ':' || batch_id || '>' || replaced_by_batch FROM bmn.household_version")" "$id:$b55>$b"
expect_eq "households after the correction" "$(q "SELECT count(*) FROM bmn.household")" "$h55"

# The same content again: recognised, nothing to do.
as_loader load 0 log fix/households.csv fix/members.csv
grep -q "already loaded as batch $b" log || fail "no 'already loaded' message"

# The registry extract of its province loads; that of another province is refused.
rows55=$(($(wc -l < p55/registry.csv) - 1))
as_loader load 0 log --as-of 2024-01-15 p55/registry.csv
b=$(last_batch)
grep -q "^bmn: p55/registry.csv: batch $b, registry as of 2024-01-15: " log || fail "no summary line of the registry"
expect_eq "registry rows" "$(q "SELECT registry_rows || ':' || (SELECT count(*) FROM bmn.registry_person WHERE batch_id = $b) FROM bmn.batch WHERE batch_id = $b")" \
    "$rows55:$(awk -F'|' 'NR > 1 && $5 $7 $9 != ""' p55/registry.csv | wc -l)"
before=$(counts)
as_loader load 1 log p56/registry.csv
grep -q "^bmn: p56/registry.csv: you may not load the registry of villages .* (province 56 $name56): role \"$LOADER\" is granted only area 55 $name55; an administrator grants areas with bmn.grant_area$" log ||
    fail "no refusal of the registry of 56"
expect_line log "bmn: p56/registry.csv: nothing loaded"
expect_eq "nothing of the refused registry" "$(counts)" "$before"

# A new village of its province comes with its households; one of another province
# does not come into the area list.
mkdir newv
awk -F, -v OFS=, 'NR == 1 || NR == 2 { if (NR == 2) { $1 = "N-1"; $3 = substr($3, 1, 6) "99"; $4 = "บ้านใหม่" } print }' p55/households.csv > newv/households.csv
awk -F, -v OFS=, -v id="$id" 'NR == 1 || $1 == id { if (NR > 1) $1 = "N-1"; print }' p55/members.csv > newv/members.csv
nv=$(sed -n 2p newv/households.csv | cut -d, -f3)
as_loader load 0 log newv/households.csv newv/members.csv
expect_eq "new village" "$(q "SELECT name_th || ':' || level FROM bmn.area WHERE area_code = '$nv'")" "บ้านใหม่:village"

# XML: a correction of its province loads; the export of another province is refused.
awk -F, -v members=fix/members.csv -f "$DATA/csv2xml.awk" fix/households.csv > fix.xml
sed -i 's/<income_main>123456</<income_main>654321</' fix.xml
as_loader load 0 log fix.xml
b=$(last_batch)
expect_line log "bmn: fix.xml: batch $b, year 2567: 1 household, $mfix members loaded, 1 replacing earlier versions"
expect_eq "corrected by XML" "$(q "SELECT income_main || ':' || batch_id FROM bmn.household WHERE household_id = '$id'")" "654321.00:$b"
awk -F, -v members=p56/members.csv -f "$DATA/csv2xml.awk" p56/households.csv > p56.xml
before=$(counts)
as_loader load 1 log p56.xml
expect_line log "bmn: p56.xml: $refusal"
expect_eq "nothing of the refused XML" "$(counts)" "$before"

# An area list is for administrators: said before anything is read.
as_loader load 1 log p55/areas.csv
expect_line log "bmn: p55/areas.csv: only an administrator (a member of bmn_admin) may load the area list; role \"$LOADER\" may load survey exports and registry extracts of its areas, and their villages come with them; nothing loaded"
expect_eq "nothing of the area list" "$(counts)" "$before"
# ... and the database holds to it for a loader who tries by hand: provinces and other
# provinces' villages are not its to change.
expect_eq "no province renamed" "$(as_loader q "UPDATE bmn.area SET name_th = 'x' WHERE area_code IN ('55', '56') RETURNING 1")" ""
as_loader psql -XAtq -c "INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES ('56019999', 'village', 'x', '560199')" > out 2>&1 || true
grep -q 'new row violates row-level security policy for table "area"' out || { cat out; fail "a loader added a village of another province"; }
echo "ok: a loader adds no village of another province"
expect_eq "area list untouched" "$(q "SELECT name_th FROM bmn.area WHERE area_code = '55'")|$(q "SELECT count(*) FROM bmn.area WHERE area_code = '56019999'")" "$name55|0"

# Without any area granted, nothing loads, and the message says so.
q "SELECT bmn.revoke_area('$LOADER', '55')" >/dev/null
as_loader load 1 log p56/households.csv p56/members.csv
grep -q "^bmn: p56/households.csv: you may not load households of villages .*: role \"$LOADER\" is granted no area; an administrator grants areas with bmn.grant_area$" log ||
    fail "no message for a role without areas"

# Administrators and superusers are not subject to row-level security: the fast path.
expect_eq "superuser" "$(q "SELECT row_security_active('bmn.household')")" "f"
load 0 log p56/households.csv p56/members.csv
expect_eq "56 loaded by the superuser" "$(q "SELECT count(*) FROM bmn.household WHERE village_code LIKE '56%'")" "$h56"
expect_eq "its members" "$(q "SELECT count(*) FROM bmn.member WHERE village_code LIKE '56%'")" "$m56"
