#!/usr/bin/env bash
# Sums the per-assembly results `dotnet test` printed into one closing line: "N passed, N failed, N skipped",
# preceded by the names of the failed tests (CI keeps only the tail of the output, so they must come last).
set -euo pipefail
log=$1
grep -E '^  Failed [A-Za-z_][A-Za-z0-9_]*\.' "$log" | sed -E 's/^[[:space:]]+/FAILED: /' | cut -c1-300 || true
awk '
  /^[[:space:]]*Passed:[[:space:]]*[0-9]+/  { passed  += $2 }
  /^[[:space:]]*Failed:[[:space:]]*[0-9]+/  { failed  += $2 }
  /^[[:space:]]*Skipped:[[:space:]]*[0-9]+/ { skipped += $2 }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
