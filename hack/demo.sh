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

step "People: alice administers the default namespace (the shipped user roles; scopes are granted by RBAC)"
kubectl apply -f config/rbac/user_roles.yaml >/dev/null
kubectl create rolebinding alice-admin --clusterrole=apikeyoperator-admin --user=alice >/dev/null
kubectl create rolebinding mallory-edit --clusterrole=apikeyoperator-editor --user=mallory >/dev/null

# The operator acts as its own user (KubeSim takes a bearer token as the user name): the admission webhook
# records its scheduled work as system:apikey-operator and everyone else's as themselves.
OPERATOR_USER=system:serviceaccount:apikey-operator-system:apikey-operator
cp "$KUBECONFIG" "$DEMO_DIR/operator.kubeconfig"
kubectl --kubeconfig "$DEMO_DIR/operator.kubeconfig" config set-credentials "$(kubectl config view -o jsonpath='{.contexts[0].context.user}')" --token="$OPERATOR_USER" >/dev/null

step "Starting the operator with its admission webhook on loopback (logs: $DEMO_DIR/operator.log)"
# --webhook-bind-address on a loopback address registers URL-based webhook configurations for this process,
# removed again when it exits cleanly (README "Admission webhook").
dotnet "$OPERATOR_DLL" run --kubeconfig "$DEMO_DIR/operator.kubeconfig" \
  --metrics-bind-address 127.0.0.1:0 --health-probe-bind-address 127.0.0.1:0 \
  --review-bind-address 127.0.0.1:0 --review-auth none \
  --webhook-bind-address 127.0.0.1:0 --operator-username "$OPERATOR_USER" \
  --ledger-path "$DEMO_DIR/ledger.db" >"$DEMO_DIR/operator.log" 2>&1 &
operator_pid=$!
pids+=($operator_pid)
wait_for "the webhook registration" 60 kubectl get validatingwebhookconfiguration apikey-operator-local
kubectl get mutatingwebhookconfigurations,validatingwebhookconfigurations

step "Applying the samples as alice (kubectl --as alice)"
kubectl --as alice apply -f config/samples/apikey.yaml
kubectl apply -f config/samples/demo-deployment.yaml
kubectl wait --for=condition=Ready apikey/billing-exporter --timeout=60s
kubectl rollout status deployment/billing-exporter --timeout=60s

step "kubectl get apikeys"
kubectl get apikeys

step "The Secret's keys (never its values)"
kubectl get secret billing-exporter-key -o go-template='{{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}'
kubectl get secret billing-exporter-key -o jsonpath='{.metadata.annotations.apikeyoperator\.io/key-id}{"\n"}' | sed 's/^/key-id annotation: /'

if [[ -f config/samples/apikeyrotation.yaml ]]; then
  step "Rotating: kubectl apply -f config/samples/apikeyrotation.yaml"
  kubectl --as alice apply -f config/samples/apikeyrotation.yaml
  kubectl wait --for=condition=Ready apikeyrotation/billing-exporter-rotation-1 --timeout=120s
  kubectl get apikeyrotations
  kubectl get apikeys
  kubectl get apikey billing-exporter -o jsonpath='{range .status.keys[*]}{.id}{"\t"}{.state}{"\n"}{end}' | sed 's/^/  /'
fi

step "mallory (an editor who may not read Secrets) tries to repoint the key at a Secret of her own"
if kubectl --as mallory patch apikey billing-exporter --type merge -p '{"spec":{"secretName":"mallory-reads-this"}}' 2>"$DEMO_DIR/refusal.txt"; then
  echo "demo: the webhook let mallory move the key" >&2; exit 1
fi
sed 's/^/  /' "$DEMO_DIR/refusal.txt"

step "apikey-operator status billing-exporter"
dotnet "$OPERATOR_DLL" status billing-exporter --kubeconfig "$KUBECONFIG"

step "apikey-operator audit (the ledger holds key ids, never keys)"
dotnet "$OPERATOR_DLL" audit --ledger-path "$DEMO_DIR/ledger.db" --apikey billing-exporter

step "Stopping the operator: its webhook configurations go with it"
kill -TERM "$operator_pid"
wait "$operator_pid" 2>/dev/null || true
kubectl get validatingwebhookconfigurations 2>&1 | sed 's/^/  /'

step "Done. Events:"
kubectl get events --field-selector involvedObject.kind=ApiKey 2>/dev/null | tail -n 10 || true
