#!/usr/bin/env bash
# HaTools' whole test run: build (warnings are errors), unit tests, the lab (real sshd, corosync, pacemaker in
# network namespaces), lab tests, and the Pester files in real pwsh 7.6.9 under Pester 5.7.1 and 6.2.0 (installed
# into .tools/ by install-deps.sh). Ends with one line: "N passed, N failed, N skipped".
# Pester files: Describe blocks tagged 'Lab' run while the lab is up (root), the rest without it.
# Lab tests need root; without root they are reported as skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
passed=0; failed=0; skipped=0; rc=0
results=$(mktemp -d)
pester_versions=(5.7.1 6.2.0)
pester_summary=()
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

# Runs Pester files under each Pester version (one pwsh per version) and adds run-pester.ps1's counts.
run_pester() {
  local name=$1; shift
  local v counts code p f s
  for v in "${pester_versions[@]}"; do
    counts="$results/pester-$name-$v.json"
    step "Pester $v: $name"
    "$pwsh" -NoProfile -NonInteractive -File tests/Pester/run-pester.ps1 -PesterVersion "$v" -CountsFile "$counts" "$@" 2>&1 |
      tee "$results/pester-$name-$v.log"
    code=${PIPESTATUS[0]}
    if [ -s "$counts" ]; then
      p=$(sed -n 's/.*"passed":\([0-9]*\).*/\1/p' "$counts"); f=$(sed -n 's/.*"failed":\([0-9]*\).*/\1/p' "$counts"); s=$(sed -n 's/.*"skipped":\([0-9]*\).*/\1/p' "$counts")
      passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
      pester_summary+=("Pester $v $name: $p passed, $f failed, $s skipped")
    else
      echo "Pester $v $name: the run itself failed (exit $code)"; failed=$((failed + 1))
      pester_summary+=("Pester $v $name: the run itself failed (exit $code)")
    fi
    [ "$code" -eq 0 ] || rc=1
  done
}

step "build (Release, warnings are errors)"
if ! dotnet build HaTools.sln -c Release -nologo -v q; then
  echo "build failed"; echo "0 passed, 1 failed"; exit 1
fi
step "stage out/HaTools (the module the Pester files import)"
if ! dotnet run --project build/HelpGen -c Release --no-build -- stage --configuration Release; then
  echo "staging failed"; echo "0 passed, 1 failed"; exit 1
fi

run_tests unit dotnet test tests/HaTools.Tests -c Release --no-build -nologo
# The staged module hosted in-process (Microsoft.PowerShell.SDK): progress, warnings, ShouldProcess, Stop, errors.
run_tests host dotnet test tests/HaTools.HostTests -c Release --no-build -nologo

step "PowerShell and Pester"
pwsh=
if bash tests/install-deps.sh --powershell; then
  pwsh=$root/.tools/pwsh/pwsh
  run_pester unit -Path tests/Pester -ExcludeTag Lab
else
  echo "Pester: skipped (pwsh not installed)"
fi

if [ "$(id -u)" -eq 0 ]; then
  # One lab per machine: wait for anyone else using it (benchmarks, another test run) to finish.
  exec 9>/tmp/hatools-lab-lease
  flock 9
  if bash tests/install-deps.sh && bash tests/lab/lab.sh up 3; then
    export HATOOLS_LAB=1
    run_tests lab dotnet test tests/HaTools.LabTests -c Release --no-build -nologo
    # The Pacemaker suite once more over the in-process SSH.NET runner (ssh.transport: sshnet).
    run_tests lab-sshnet env HATOOLS_LAB_TRANSPORT=sshnet dotnet test tests/HaTools.LabTests -c Release --no-build -nologo --filter FullyQualifiedName~PacemakerLabTests
    # The lab Pester files bootstrap their own cluster from bare nodes and tear it down.
    [ -n "$pwsh" ] && run_pester lab -Path tests/Pester -Tag Lab
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

[ "$failed" -eq 0 ] || rc=1
echo
[ "${#pester_summary[@]}" -eq 0 ] || printf '%s\n' "${pester_summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
