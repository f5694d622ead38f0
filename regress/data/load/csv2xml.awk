# csv2xml.awk: a survey CSV pair as written by `bmn generate` (no quoted fields; the
# members of a household together, in the order of households.csv) turned into the
# XML form of formats.md: <bmn_households> around one <bmn_household> per household,
# with its <member> elements and a <meta><instanceID>. For tests and benchmarks, until
# `bmn generate` writes XML itself.
#   awk -F, -v members=DIR/members.csv -f csv2xml.awk DIR/households.csv > DIR/survey.xml
function esc(s) {
    gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s)
    return s
}
function next_member(    line) {
    if ((getline line < members) > 0) { mn = split(line, m, ","); have = 1 } else have = 0
}
BEGIN {
    if ((getline line < members) <= 0) { print "csv2xml: no members file" > "/dev/stderr"; exit 1 }
    mcols = split(line, mh, ",")
    next_member()
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    print "<bmn_households xmlns:odk=\"http://www.opendatakit.org/xforms\">"
}
NR == 1 { ncols = split($0, h, ","); next }
{
    printf "  <bmn_household version=\"%s.1\">\n", $2
    line = "   "
    for (i = 1; i <= ncols; i++)
        if ($i != "") line = line sprintf(" <%s>%s</%s>", h[i], esc($i), h[i])
    print line
    while (have && m[1] == $1) {
        line = "    <member>"
        for (i = 2; i <= mcols; i++)
            if (m[i] != "") line = line sprintf("<%s>%s</%s>", mh[i], esc(m[i]), mh[i])
        print line "</member>"
        next_member()
    }
    printf "    <meta><odk:instanceID>uuid:%08d-0000-4000-8000-%012d</odk:instanceID></meta>\n", NR - 1, NR - 1
    print "  </bmn_household>"
}
END { print "</bmn_households>" }
