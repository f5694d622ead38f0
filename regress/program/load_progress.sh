# load_progress.sh: on a terminal a long load shows its progress on stderr (rows, MB/s,
# time left), rewritten in place; --quiet silences it; not on a terminal (logs, these
# tests), nothing but the messages and the summary line is written.
. "$BMN_ROOT/regress/data/load/helpers.bash"
command -v script >/dev/null || { echo "skipped: no script(1) to make a terminal"; exit 0; }
new_db
cd "$WORK"
"$BMN" generate --province 55 --households 40000 --year 2567 --seed 5 --out gen --quiet
load 0 log gen/areas.csv
"$BMN" generate --province 55 --households 40000 --year 2566 --seed 5 --out gen66 --quiet

# On a terminal (script(1) gives the program one).
script -qec "\"$BMN\" load gen/households.csv gen/members.csv" /dev/null > tty.out
grep -aq $'\r' tty.out || fail "no line rewritten in place"
# Rate and time left depend on how long the load takes; progress_format's unit test
# checks them. Here: the line itself, drawn at the first update of each phase.
grep -aqE 'bmn: gen/households.csv: [0-9,]+ rows, [0-9]+%' tty.out || fail "no progress line for households"
grep -aq 'bmn: gen/households.csv + gen/members.csv: batch 2, year 2567: 40000 households' tty.out || fail "no summary line"
echo "ok: progress on a terminal"

# --quiet: the summary line alone.
script -qec "\"$BMN\" load --quiet gen66/households.csv gen66/members.csv" /dev/null > quiet.out
grep -aqE 'rows, [0-9]+%' quiet.out && fail "progress despite --quiet"
grep -aq 'bmn: gen66/households.csv + gen66/members.csv: batch 3, year 2566: 40000 households' quiet.out || fail "no summary line with --quiet"
echo "ok: --quiet"

# Not a terminal: no progress in the log.
new_db
load 0 log gen/areas.csv
load 0 log gen/households.csv gen/members.csv
[ "$(wc -l < log)" = 1 ] || fail "more than the summary line in a log"
grep -q $'\r' log && fail "progress in a log"
echo "ok: a log has the summary line only"
