#!/usr/bin/env bash
# The operator's own memory, in a process of its own (the in-process benchmarks share theirs with KubeSim):
# a standalone KubeSim, N ApiKeys over M namespaces created first, then the built operator started cold until every
# ApiKey is Ready and the queue has settled; prints the operator's peak RSS (VmHWM) and its RSS after settling.
# This is the figure config/manager/manager.yaml's memory limit is sized from.
#   make build && bench/operator-memory.sh [APIKEYS=2000] [NAMESPACES=20]
set -euo pipefail
cd "$(dirname "$0")/.."
apikeys="${1:-2000}"
namespaces="${2:-20}"
work="$(mktemp -d)"
sim_pid=""
op_pid=""
cleanup() {
  [ -n "$op_pid" ] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet tests/KubeSim/bin/Release/net10.0/KubeSim.dll --port 0 --kubeconfig "$work/kubeconfig" --no-controllers > "$work/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 600); do [ -s "$work/kubeconfig" ] && break; sleep 0.1; done
export KUBECONFIG="$work/kubeconfig"
kubectl apply -k config/crds >/dev/null
kubectl wait --for=condition=Established crd/apikeys.apikeyoperator.io --timeout=60s >/dev/null

{
  for n in $(seq "$namespaces"); do
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mem-%d\n---\n' "$n"
  done
  for i in $(seq "$apikeys"); do
    n=$(( (i - 1) % namespaces + 1 ))
    printf 'apiVersion: apikeyoperator.io/v1alpha1\nkind: ApiKey\nmetadata:\n  name: key-%d\n  namespace: mem-%d\nspec:\n  secretName: key-%d\n---\n' "$i" "$n" "$i"
  done
} > "$work/objects.yaml"
kubectl apply -f "$work/objects.yaml" >/dev/null
echo "created $apikeys ApiKeys in $namespaces namespaces"

started=$(date +%s)
src/ApiKeyOperator/bin/Release/net10.0/apikey-operator run --kubeconfig "$work/kubeconfig" \
  --metrics-bind-address 127.0.0.1:0 --health-probe-bind-address 127.0.0.1:0 --review-bind-address 127.0.0.1:0 \
  --review-auth none --ledger-path "$work/ledger.db" --log-level warn > "$work/operator.log" 2>&1 &
op_pid=$!

ready() { kubectl get apikeys -A -o jsonpath='{range .items[*]}{.status.currentKeyId}{"\n"}{end}' | grep -c . || true; }
while [ "$(ready)" -lt "$apikeys" ]; do
  kill -0 "$op_pid" 2>/dev/null || { echo "the operator exited:" >&2; tail -5 "$work/operator.log" >&2; exit 1; }
  sleep 2
done
echo "all $apikeys Ready after $(( $(date +%s) - started )) s"
sleep 20  # the queue settles and the GC catches up
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$op_pid/status")
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$op_pid/status")
echo "operator peak RSS (VmHWM) ${hwm} MiB, RSS after settling ${rss} MiB, at $apikeys ApiKeys (+ as many Secrets) in $namespaces namespaces"
