#!/usr/bin/env bash
# Prints the whole install (config/default) with the operator image set to $IMG, leaving the tree untouched: in a
# temporary copy of config/, an overlay on top of default gets the image, through `kustomize edit set image` when
# kustomize is installed ($KUSTOMIZE), else written into it for kubectl's built-in kustomize. What make deploy applies.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${IMG:?set IMG, e.g. IMG=ghcr.io/apikeyoperator/apikey-operator:v$(cat VERSION)}"
KUBECTL=${KUBECTL:-kubectl}
KUSTOMIZE=${KUSTOMIZE:-}
# The image name config/manager/manager.yaml uses; kustomize matches it whatever its tag.
BASE_IMAGE=ghcr.io/apikeyoperator/apikey-operator

copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -R config "$copy/"
overlay=$copy/config/deploy
mkdir -p "$overlay"
cat >"$overlay/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../default
YAML

if [[ -n "$KUSTOMIZE" ]] && command -v "$KUSTOMIZE" >/dev/null 2>&1; then
  (cd "$overlay" && "$KUSTOMIZE" edit set image "$BASE_IMAGE=$IMG")
  "$KUSTOMIZE" build "$overlay"
  exit 0
fi

command -v "$KUBECTL" >/dev/null 2>&1 || { echo "render: neither kustomize nor $KUBECTL is on PATH" >&2; exit 1; }
# name[:tag] or name@digest, as `kustomize edit set image` splits it (a registry port is not a tag).
name=$IMG tag= digest=
if [[ $IMG == *@* ]]; then
  name=${IMG%%@*} digest=${IMG#*@}
elif [[ ${IMG##*/} == *:* ]]; then
  name=${IMG%:*} tag=${IMG##*:}
fi
{
  echo "images:"
  echo "- name: $BASE_IMAGE"
  echo "  newName: $name"
  [[ -n $tag ]] && echo "  newTag: \"$tag\""
  [[ -n $digest ]] && echo "  digest: $digest"
  true
} >>"$overlay/kustomization.yaml"
"$KUBECTL" kustomize "$overlay"
