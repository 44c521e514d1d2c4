#!/usr/bin/env bash
# Renders report.html in headless Chromium (Debian's `chromium`, with a CJK font) and checks
# that the page loads without errors and shows its charts. Usage: render_check.sh OUTPUT_DIR [PNG]
# Prints `N passed, M failed` last; exits non-zero on a failure.
set -uo pipefail
out="${1:?usage: render_check.sh OUTPUT_DIR [PNG]}"
png="${2:-$out/report.png}"
report="$(readlink -f "$out/report.html")"
pass=0; fail=0
ok()  { echo "ok    $1"; pass=$((pass + 1)); }
bad() { echo "FAIL  $1"; fail=$((fail + 1)); }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --hide-scrollbars --user-data-dir="$(mktemp -d)" --enable-logging=stderr --v=0)

if [ -f "$report" ]; then ok "report.html exists"; else bad "report.html exists"; fi

dom="$(mktemp)"; log="$(mktemp)"
if timeout 120 chromium "${flags[@]}" --dump-dom "file://$report" >"$dom" 2>"$log"; then
  ok "chromium loads the page"
else
  bad "chromium loads the page (exit $?)"; tail -5 "$log"
fi
# page errors: uncaught script errors or failed loads of the page's own resources
if grep -qiE "Uncaught|ERR_FILE_NOT_FOUND|Failed to load resource" "$log"; then
  bad "no page errors in the console"; grep -iE "Uncaught|ERR_|Failed to load" "$log" | head -5
else
  ok "no page errors in the console"
fi
for chart in chart-zones chart-measures; do
  bars=$(python3 - "$dom" "$chart" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<svg[^>]*id="%s".*?</svg>' % re.escape(sys.argv[2]), html, re.S)
print(len(re.findall(r"<rect", m.group(0))) if m else -1)
PY
)
  if [ "${bars:--1}" -gt 0 ]; then ok "$chart is drawn ($bars bars)"; else bad "$chart is drawn"; fi
done
if grep -q 'id="zones"' "$dom" && grep -q 'href="#a-' "$dom"; then
  ok "per-zone table with links to articles"
else
  bad "per-zone table with links to articles"
fi
if timeout 120 chromium "${flags[@]}" --window-size=1280,1800 --screenshot="$png" "file://$report" >/dev/null 2>&1 \
   && [ "$(stat -c %s "$png" 2>/dev/null || echo 0)" -gt 20000 ]; then
  ok "screenshot rendered ($(stat -c %s "$png") bytes)"
else
  bad "screenshot rendered"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
