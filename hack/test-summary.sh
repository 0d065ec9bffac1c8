#!/usr/bin/env bash
# Sums the per-assembly results `dotnet test` printed into one closing line: "N passed, N failed, N skipped".
set -euo pipefail
log=$1
awk '
  /^[[:space:]]*Passed:[[:space:]]*[0-9]+/  { passed  += $2 }
  /^[[:space:]]*Failed:[[:space:]]*[0-9]+/  { failed  += $2 }
  /^[[:space:]]*Skipped:[[:space:]]*[0-9]+/ { skipped += $2 }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }
' "$log"
