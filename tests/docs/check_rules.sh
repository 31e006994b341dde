#!/usr/bin/env bash
# Keeps docs/SPEC.md, docs/RULES.md, the code and the tests in step.
#
# Usage: check_rules.sh PROJECT_SOURCE_DIR
#
# RULES.md's tables have the columns | Rule | Status | Implemented by | Proved by | Notes |.
# In "Implemented by" each item is `path/to/file: Name` (Name may be qualified,
# `Class::method`); in "Proved by" each item is `Suite.Name` (a gtest) or `ctest:NAME`
# (a test added with add_test in a CMakeLists.txt under tests/). Items are in
# backticks; anything outside backticks is commentary.
#
# Fails (exit 1, one line per problem, each naming the rule) when:
#   * a rule id of docs/SPEC.md has no row in docs/RULES.md (or a row's id is not in
#     the spec, or an id has two rows);
#   * a row's status is not "implemented", "partly ... (issue N)" or
#     "planned (issue N)", or an implemented or partly built rule names no code or no test;
#   * a file named in "Implemented by" does not exist, or the identifier after the last
#     `::` (or the plain name) does not occur in it as a word;
#   * a test `Suite.Name` has no `(Suite, Name)` in any source file under tests/, or a
#     `ctest:NAME` is not added by any CMakeLists.txt under tests/.
# Uses bash, grep, sed and awk only.
set -uo pipefail

if [ "$#" -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 PROJECT_SOURCE_DIR" >&2
  exit 2
fi
root=${1%/}
spec=$root/docs/SPEC.md
rules=$root/docs/RULES.md
for file in "$spec" "$rules"; do
  if [ ! -f "$file" ]; then
    echo "check_rules: $file is missing" >&2
    exit 1
  fi
done

problems=0
problem() {
  echo "check_rules: $*" >&2
  problems=$((problems + 1))
}

id_pattern='R-[A-Z0-9]+-[0-9]+'
gtest_pattern='^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$'
ctest_pattern='^ctest:[A-Za-z0-9_.-]+$'
code_pattern='^[^[:space:]:`]+: [A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$'

# The table rows of RULES.md as "key, status, implemented by, proved by", separated by
# the unit separator (\037, so an empty cell stays a field), without header and
# separator rows.
rows=$(awk -F'|' '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  /^[ \t]*\|/ {
    if ($0 ~ /^[ \t]*\|[ \t:|-]+$/) next                   # |---|---|
    if (trim($4) == "Implemented by") next                 # the header
    printf "%s\037%s\037%s\037%s\n", trim($2), trim($3), trim($4), trim($5)
  }' "$rules")

# The backticked items of a cell, one a line, without the backticks.
items() { grep -oE '`[^`]+`' <<<"$1" | sed -e 's/^`//' -e 's/`$//'; }

spec_ids=$(grep -oE "$id_pattern" "$spec" | sort -u)
row_ids=$(cut -d $'\037' -f1 <<<"$rows" | grep -oE "$id_pattern" | sort)

for id in $spec_ids; do
  grep -qx -- "$id" <<<"$row_ids" || problem "$id is in docs/SPEC.md but has no row in docs/RULES.md"
done
for id in $(uniq <<<"$row_ids"); do
  grep -qx -- "$id" <<<"$spec_ids" || problem "$id has a row in docs/RULES.md but is not in docs/SPEC.md"
done
for id in $(uniq -d <<<"$row_ids"); do
  problem "$id has more than one row in docs/RULES.md"
done

# The test sources and the CMake files under tests/ that tests are looked up in.
mapfile -t test_sources < <(grep -rlE --include='*.cpp' --include='*.hpp' --include='*.h' \
  '(TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P)[[:space:]]*\(' "$root/tests/" 2>/dev/null)
mapfile -t ctest_files < <(find "$root/tests/" -name CMakeLists.txt)

while IFS=$'\037' read -r key status implemented proved; do
  [ -z "$key" ] && continue
  rule=$(grep -oE "$id_pattern" <<<"$key" | head -n 1)
  [ -z "$rule" ] && rule=$(sed -e 's/`//g' <<<"$key")

  if ! grep -qE '^(implemented$|partly.*\(issue [0-9]+\)|planned \(issue [0-9]+\))' <<<"$status"; then
    problem "$rule: status \"$status\" is not implemented, partly ... (issue N) or planned (issue N)"
  fi
  code_items=$(items "$implemented")
  test_items=$(items "$proved")
  if grep -qE '^(implemented|partly)' <<<"$status"; then
    [ -z "$code_items" ] && problem "$rule: is $status but names no function"
    [ -z "$test_items" ] && problem "$rule: is $status but names no test"
  fi

  while IFS= read -r item; do
    [ -z "$item" ] && continue
    if ! grep -qE "$code_pattern" <<<"$item"; then
      problem "$rule: \`$item\` is not of the form \`path/to/file: Name\`"
      continue
    fi
    path=${item%%: *}
    name=${item#*: }
    identifier=${name##*::}
    if [ ! -f "$root/$path" ]; then
      problem "$rule: $path does not exist"
    elif ! grep -qw -- "$identifier" "$root/$path"; then
      problem "$rule: $identifier does not appear in $path"
    fi
  done <<<"$code_items"

  while IFS= read -r item; do
    [ -z "$item" ] && continue
    if grep -qE "$ctest_pattern" <<<"$item"; then
      name=${item#ctest:}
      quoted=$(sed -e 's/[.[\*^$]/\\&/g' <<<"$name")
      if [ "${#ctest_files[@]}" -eq 0 ] ||
        ! grep -qE "add_test[[:space:]]*\([[:space:]]*NAME[[:space:]]+${quoted}([[:space:])]|$)" "${ctest_files[@]}"; then
        problem "$rule: no add_test(NAME $name ...) in tests/"
      fi
    elif grep -qE "$gtest_pattern" <<<"$item"; then
      suite=${item%%.*}
      test=${item#*.}
      if [ "${#test_sources[@]}" -eq 0 ] ||
        ! grep -qE "\([[:space:]]*${suite}[[:space:]]*,[[:space:]]*${test}[[:space:]]*\)" "${test_sources[@]}"; then
        problem "$rule: test $suite.$test has no ($suite, $test) under tests/"
      fi
    else
      problem "$rule: \`$item\` is neither \`Suite.Name\` nor \`ctest:NAME\`"
    fi
  done <<<"$test_items"
done <<<"$rows"

if [ "$problems" -ne 0 ]; then
  echo "check_rules: $problems problem(s) between docs/SPEC.md, docs/RULES.md, the code and the tests" >&2
  exit 1
fi
echo "check_rules: $(wc -w <<<"$spec_ids") rules of docs/SPEC.md, each mapped in docs/RULES.md to code and tests that exist"
exit 0
