#!/usr/bin/env bash
# The test vector of docs/FAIRNESS.md: the doc's own script and lotteryctl, run as the
# doc shows them, give exactly the expected lines the doc prints; a wrong winner fails.
# Usage: check_vector.sh LOTTERYCTL DOCS_DIR
set -euo pipefail
lotteryctl=$(realpath "$1")
docs=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The entries file and the expected output, as they stand in the doc (indented blocks).
awk '/^`entries.csv`:/{take=1; next} take && /^    /{sub(/^    /, ""); print; next} take && NF{exit}' \
  "$docs/FAIRNESS.md" >"$work/entries.csv"
awk '/^Expected \(the output of `verify_draw.py`\):/{take=1; next} take && /^    /{sub(/^    /, ""); print; next} take && NF{exit}' \
  "$docs/FAIRNESS.md" >"$work/expected"
[ "$(wc -l <"$work/entries.csv")" -eq 6 ] || { echo "entries.csv not found in the doc"; exit 1; }
[ "$(wc -l <"$work/expected")" -eq 5 ] || { echo "expected output not found in the doc"; exit 1; }

seed=0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20
public="2026-11-26 Русское лото: 17 42 5"
cd "$work"
python3 "$docs/verify_draw.py" --lottery 7 --seed "$seed" --entries entries.csv \
  --public "$public" --skipped 0 --places 3 >actual
diff -u expected actual

commitment=$(awk '$1 == "commitment" {print $2}' expected)
entries_hash=$(awk '$1 == "entries_hash" {print $2}' expected)
winners=$(awk '$1 == "winner" {printf "%s%s", sep, $3; sep=","}' expected)
"$lotteryctl" verify-draw --lottery 7 --seed "$seed" --entries entries.csv --public "$public" \
  --skipped 0 --winners "$winners" --commitment "$commitment" --entries-hash "$entries_hash" \
  >lotteryctl.out
grep -q "всё совпадает" lotteryctl.out

if "$lotteryctl" verify-draw --lottery 7 --seed "$seed" --entries entries.csv \
  --public "$public" --skipped 0 --winners 2,1,3 >wrong.out; then
  echo "a wrong winner list passed the check"
  exit 1
fi
grep -q "победители не совпадают" wrong.out

# The redraw vector: the same list and seed, skipped 0,4, three winners in draw order.
awk '/^Expected for the redraw \(skipped `0,4`, 3 winners\):/{take=1; next} take && /^    /{sub(/^    /, ""); print; next} take && NF{exit}' \
  "$docs/FAIRNESS.md" >"$work/expected-redraw"
[ "$(wc -l <"$work/expected-redraw")" -eq 5 ] || { echo "the redraw vector not found in the doc"; exit 1; }
python3 "$docs/verify_draw.py" --lottery 7 --seed "$seed" --entries entries.csv \
  --public "$public" --skipped 0,4 --places 3 >actual-redraw
diff -u expected-redraw actual-redraw
winners=$(awk '$1 == "winner" {printf "%s%s", sep, $3; sep=","}' expected-redraw)
"$lotteryctl" verify-draw --lottery 7 --seed "$seed" --entries entries.csv --public "$public" \
  --skipped 0,4 --winners "$winners" --commitment "$commitment" --entries-hash "$entries_hash" \
  >lotteryctl-redraw.out
grep -q "всё совпадает" lotteryctl-redraw.out
echo "the test vectors of docs/FAIRNESS.md hold"
