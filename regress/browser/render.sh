#!/bin/bash
# render.sh PAGE PREFIX: renders an HTML file in headless Chromium (Debian's
# /usr/bin/chromium; $CHROMIUM overrides) with no network, a fresh profile each run
# and a window of an A4 page at 150 dpi. Writes PREFIX.png (the screenshot) and
# PREFIX.dom.html (the DOM once rendered), then prints one line
#   mean=M colors=N
# M: the screenshot's mean intensity (1 is all white), N: its distinct colours;
# ImageMagick's identify measures them, so no python is needed.
# Exits 1, saying which Debian package is missing, without chromium or identify.
set -eu
page=$1 prefix=$2
chromium=${CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$chromium" ]; then
    echo "render.sh: $chromium is missing: the browser tests need Debian's chromium" \
         "package (apt-get install chromium)" >&2
    exit 1
fi
if ! command -v identify >/dev/null; then
    echo "render.sh: identify is missing: the browser tests need Debian's imagemagick" \
         "package (apt-get install imagemagick)" >&2
    exit 1
fi

url="file://$(realpath "$page")"
log="$prefix.chromium.log"
: > "$log"

# chromium MODE_ARGS...: one headless run on a profile of its own.
chromium_run() {
    local profile rc=0
    profile=$(mktemp -d /tmp/bmn-chromium.XXXXXX)
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --user-data-dir="$profile" "$@" 2>> "$log" || rc=$?
    rm -rf "$profile"
    if [ "$rc" -ne 0 ]; then
        tail -20 "$log" >&2
        echo "render.sh: chromium failed (exit $rc) on $page" >&2
        exit 1
    fi
}

rm -f "$prefix.png"
chromium_run --screenshot="$prefix.png" --window-size=1240,1754 "$url" > /dev/null
[ -s "$prefix.png" ] || { tail -20 "$log" >&2; echo "render.sh: no screenshot" >&2; exit 1; }
chromium_run --dump-dom "$url" > "$prefix.dom.html"
[ -s "$prefix.dom.html" ] || { echo "render.sh: empty DOM dump" >&2; exit 1; }

identify -format 'mean=%[fx:mean] colors=%k\n' "$prefix.png"
