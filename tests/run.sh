#!/usr/bin/env bash
# HaTools' whole test run: build (warnings are errors), unit tests, the lab (real sshd, corosync, pacemaker in
# network namespaces), lab tests, Pester where pwsh exists. Ends with one line: "N passed, N failed[, N skipped]".
# Lab tests need root; without root they are reported as skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
passed=0; failed=0; skipped=0; rc=0
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step() { printf '\n==> %s\n' "$*"; }

# Sums dotnet test's per-assembly summary lines ("Failed!  - Failed: 1, Passed: 9, Skipped: 0, Total: 10, ...").
count() {
  local log=$1 line p f s
  while IFS= read -r line; do
    p=$(sed -n 's/.*Passed: *\([0-9]\+\).*/\1/p' <<<"$line"); f=$(sed -n 's/.*Failed: *\([0-9]\+\),.*/\1/p' <<<"$line"); s=$(sed -n 's/.*Skipped: *\([0-9]\+\).*/\1/p' <<<"$line")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  done < <(grep -E '^(Passed|Failed)! +- +Failed: ' "$log" || true)
}

run_tests() {
  local name=$1; shift
  local log="$results/$name.log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  count "$log"
  if [ "$code" -ne 0 ] && ! grep -qE '^(Passed|Failed)! +- +Failed: ' "$log"; then
    echo "$name: the test run itself failed (exit $code)"; failed=$((failed + 1))
  fi
  [ "$code" -eq 0 ] || rc=1
}

step "build (Release, warnings are errors)"
if ! dotnet build HaTools.sln -c Release -nologo -v q; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi

run_tests unit dotnet test tests/HaTools.Tests -c Release --no-build -nologo

if [ "$(id -u)" -eq 0 ]; then
  # One lab per machine: wait for anyone else using it (benchmarks, another test run) to finish.
  exec 9>/tmp/hatools-lab-lease
  flock 9
  if bash tests/install-deps.sh && bash tests/lab/lab.sh up 3; then
    export HATOOLS_LAB=1
    run_tests lab dotnet test tests/HaTools.LabTests -c Release --no-build -nologo
  else
    echo "lab: could not start"; failed=$((failed + 1)); rc=1
  fi
  step "lab down"
  bash tests/lab/lab.sh down || { echo "lab down failed"; rc=1; }
  flock -u 9
else
  run_tests lab dotnet test tests/HaTools.LabTests -c Release --no-build -nologo
  echo "lab: not root, lab tests skipped"
fi

if command -v pwsh >/dev/null 2>&1; then
  step "Pester"
  pwsh -NoProfile -File build.ps1 -Task Test -PesterOnly 2>&1 | tee "$results/pester.log"
  p=$(sed -n 's/.*Tests Passed: *\([0-9]\+\).*/\1/p' "$results/pester.log" | tail -n 1)
  f=$(sed -n 's/.*Failed: *\([0-9]\+\).*/\1/p' "$results/pester.log" | tail -n 1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
  echo "Pester: skipped (pwsh not installed)"
fi

[ "$failed" -eq 0 ] || rc=1
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
