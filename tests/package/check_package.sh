#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds and runs a consumer project
# against the installed LotteryCore package alone.
# Usage: check_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source_dir=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/lib/cmake/LotteryCore/LotteryCoreConfig.cmake"
test -x "$work/prefix/bin/lotteryctl"
cmake -S "$source_dir/tests/package/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer" | tee "$work/out"
[ "$(grep -c '^winner ' "$work/out")" -eq 3 ]
