#!/usr/bin/env bash
# make demo: KubeSim (the project's API server double) + the operator + kubectl, all on loopback.
# Shows an ApiKey becoming a Secret and an ApiKeyRotation rolling the demo app; never prints key values.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION=${CONFIGURATION:-Release}
DEMO_DIR=${DEMO_DIR:-.demo}
KUBESIM_DLL=tests/KubeSim/bin/$CONFIGURATION/net10.0/KubeSim.dll
OPERATOR_DLL=src/ApiKeyOperator/bin/$CONFIGURATION/net10.0/apikey-operator.dll

command -v kubectl >/dev/null || { echo "demo: kubectl is not on PATH" >&2; exit 1; }
rm -rf "$DEMO_DIR" && mkdir -p "$DEMO_DIR"
export KUBECONFIG=$PWD/$DEMO_DIR/kubeconfig

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Waits for a command to succeed, with a deadline, instead of sleeping a fixed time.
wait_for() {
  local what=$1 deadline=$((SECONDS + $2)); shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "demo: timed out waiting for $what" >&2; exit 1; fi
    sleep 0.2
  done
}

step "Starting KubeSim (logs: $DEMO_DIR/kubesim.log)"
dotnet "$KUBESIM_DLL" --port 0 --kubeconfig "$KUBECONFIG" >"$DEMO_DIR/kubesim.log" 2>&1 &
pids+=($!)
wait_for "KubeSim" 30 kubectl version
kubectl version 2>/dev/null | sed 's/^/  /'

step "Installing the CRDs"
kubectl apply -f config/crds/apikeyoperator.io_apikeys.yaml -f config/crds/apikeyoperator.io_apikeyrotations.yaml
kubectl wait --for=condition=Established crd/apikeys.apikeyoperator.io crd/apikeyrotations.apikeyoperator.io --timeout=30s

step "Starting the operator (logs: $DEMO_DIR/operator.log)"
dotnet "$OPERATOR_DLL" run --kubeconfig "$KUBECONFIG" \
  --metrics-bind-address 127.0.0.1:0 --health-probe-bind-address 127.0.0.1:0 \
  --review-bind-address 127.0.0.1:0 --review-auth none \
  --ledger-path "$DEMO_DIR/ledger.db" >"$DEMO_DIR/operator.log" 2>&1 &
pids+=($!)

step "Applying the samples"
kubectl apply -f config/samples/apikey.yaml -f config/samples/demo-deployment.yaml
kubectl wait --for=condition=Ready apikey/billing-exporter --timeout=60s
kubectl rollout status deployment/billing-exporter --timeout=60s

step "kubectl get apikeys"
kubectl get apikeys

step "The Secret's keys (never its values)"
kubectl get secret billing-exporter-key -o go-template='{{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}'
kubectl get secret billing-exporter-key -o jsonpath='{.metadata.annotations.apikeyoperator\.io/key-id}{"\n"}' | sed 's/^/key-id annotation: /'

if [[ -f config/samples/apikeyrotation.yaml ]]; then
  step "Rotating: kubectl apply -f config/samples/apikeyrotation.yaml"
  kubectl apply -f config/samples/apikeyrotation.yaml
  kubectl wait --for=condition=Ready apikeyrotation/billing-exporter-rotation-1 --timeout=120s
  kubectl get apikeyrotations
  kubectl get apikeys
  kubectl get apikey billing-exporter -o jsonpath='{range .status.keys[*]}{.id}{"\t"}{.state}{"\n"}{end}' | sed 's/^/  /'
fi

step "apikey-operator status billing-exporter"
dotnet "$OPERATOR_DLL" status billing-exporter --kubeconfig "$KUBECONFIG"

step "apikey-operator audit (the ledger holds key ids, never keys)"
dotnet "$OPERATOR_DLL" audit --ledger-path "$DEMO_DIR/ledger.db" --apikey billing-exporter

step "Done. Events:"
kubectl get events --field-selector involvedObject.kind=ApiKey 2>/dev/null | tail -n 10 || true
