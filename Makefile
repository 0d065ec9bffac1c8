# ApiKeyOperator — run `make help` for the list of targets.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIGURATION ?= Release
TEST_FLAGS ?= --configuration $(CONFIGURATION) --logger "console;verbosity=normal"

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## Build everything (warnings are errors)
	$(DOTNET) build ApiKeyOperator.sln --configuration $(CONFIGURATION)

TEST_LOG ?= TestResults/test.log

REQUEST_LOG_DIR ?= TestResults/operator-requests

.PHONY: test
test: build ## Run unit, KubeSim and integration tests (KubeSim backend unless APIKEY_TEST_BACKEND says otherwise), then hold the suite's API requests against config/rbac
	@mkdir -p $(dir $(TEST_LOG))
	@rm -rf $(REQUEST_LOG_DIR)
	set -o pipefail; $(DOTNET) test ApiKeyOperator.sln --no-build $(TEST_FLAGS) --filter "Category!=AfterIntegrationSuite" 2>&1 | tee $(TEST_LOG); \
	  status=$$?; \
	  if [ $$status -eq 0 ]; then \
	    $(DOTNET) test tests/ApiKeyOperator.Tests --no-build $(TEST_FLAGS) --filter "Category=AfterIntegrationSuite" 2>&1 | tee -a $(TEST_LOG); \
	    status=$$?; \
	  fi; \
	  ./hack/test-summary.sh $(TEST_LOG); exit $$status

.PHONY: rbac-check
rbac-check: ## After `make test`: the API requests the suite's operators made against config/rbac, both ways (nothing used ungranted, nothing granted unused)
	$(DOTNET) test tests/ApiKeyOperator.Tests --no-build $(TEST_FLAGS) --filter "Category=AfterIntegrationSuite"

.PHONY: demo
demo: build ## Start KubeSim, install the CRDs, run the operator, apply the samples and rotate a key with kubectl
	CONFIGURATION=$(CONFIGURATION) ./hack/demo.sh

KUBESIM_PACKAGE_DIR ?= artifacts

.PHONY: kubesim-pack
kubesim-pack: ## Pack KubeSim (the API-server double) as a NuGet package under artifacts/
	$(DOTNET) pack tests/KubeSim/KubeSim.csproj --configuration $(CONFIGURATION) --output $(KUBESIM_PACKAGE_DIR)

.PHONY: clean
clean: ## Remove build output
	$(DOTNET) clean ApiKeyOperator.sln --configuration $(CONFIGURATION)
	rm -rf .demo

##@ Release and install (kubebuilder's targets; README "Install" and "Uninstall")

KUBECTL ?= kubectl
# One version for everything: the VERSION file feeds the binary (apikey-operator --version), the image tag and
# config/manager/kustomization.yaml (a unit test keeps that one equal).
VERSION := $(shell cat VERSION)
IMAGE_REPO ?= ghcr.io/apikeyoperator/apikey-operator
IMG ?= $(IMAGE_REPO):v$(VERSION)
# kustomize, when installed, sets the image (`kustomize edit set image`); otherwise kubectl's built-in kustomize.
KUSTOMIZE ?= $(shell command -v kustomize 2>/dev/null)
# The CLI that `undeploy KEEP_SECRETS=true` runs (`kubectl apikey` works too when it is on PATH).
APIKEY_OPERATOR ?= dotnet src/ApiKeyOperator/bin/$(CONFIGURATION)/net10.0/apikey-operator.dll
KEEP_SECRETS ?= false
UNDEPLOY_TIMEOUT ?= 5m

.PHONY: version
version: ## Print the release tag (v + VERSION)
	@echo v$(VERSION)

.PHONY: manifests
manifests: ## Print the whole install with the released image (kubectl kustomize config/default)
	@command -v $(KUBECTL) >/dev/null 2>&1 || { echo "manifests: $(KUBECTL) is not on PATH; it renders the kustomization" >&2; exit 1; }
	@$(KUBECTL) kustomize config/default

.PHONY: render
render: ## Print the whole install with the operator image set to IMG (what deploy applies); the tree is not changed
	@IMG=$(IMG) KUSTOMIZE=$(KUSTOMIZE) KUBECTL=$(KUBECTL) ./hack/render-install.sh

.PHONY: docker-build
docker-build: ## Build the operator image IMG (default: the release, ghcr.io/…:v + VERSION); needs a running Docker engine
	@command -v docker >/dev/null 2>&1 || { echo "docker-build: docker is not installed; install Docker to build the image (the image's publish step is tested without it by make test)" >&2; exit 1; }
	@docker info >/dev/null 2>&1 || { echo "docker-build: no Docker engine is reachable (is the daemon running, and may this user use it?)" >&2; exit 1; }
	docker build -t $(IMG) .

.PHONY: docker-push
docker-push: ## Push the image IMG (after docker-build; log in to the registry first)
	@command -v docker >/dev/null 2>&1 || { echo "docker-push: docker is not installed" >&2; exit 1; }
	docker push $(IMG)

.PHONY: install
install: ## Install the CRDs only into the cluster of KUBECONFIG
	$(KUBECTL) apply -k config/crds

.PHONY: uninstall
uninstall: ## Delete the CRDs, and with them every ApiKey (revoked, Secrets removed): run while the operator still runs
	$(KUBECTL) delete -k config/crds --ignore-not-found --wait --timeout=$(UNDEPLOY_TIMEOUT) || { \
	  echo "uninstall: ApiKeys are still being deleted; their finalizer needs the operator running (kubectl get apikeys -A)" >&2; exit 1; }

.PHONY: deploy
deploy: ## Install everything (CRDs, RBAC, the operator running IMG) into the cluster of KUBECONFIG
	set -o pipefail; IMG=$(IMG) KUSTOMIZE=$(KUSTOMIZE) KUBECTL=$(KUBECTL) ./hack/render-install.sh | $(KUBECTL) apply -f -

.PHONY: undeploy
undeploy: ## Safe uninstall: ApiKeys first (while the operator revokes them), then CRDs, then the operator; KEEP_SECRETS=true keeps credential Secrets
	@if [ "$(KEEP_SECRETS)" = true ]; then echo "$(APIKEY_OPERATOR) orphan-secrets --all-namespaces"; $(APIKEY_OPERATOR) orphan-secrets --all-namespaces || exit 1; fi
	$(MAKE) --no-print-directory uninstall KUBECTL="$(KUBECTL)" UNDEPLOY_TIMEOUT=$(UNDEPLOY_TIMEOUT)
	set -o pipefail; IMG=$(IMG) KUSTOMIZE=$(KUSTOMIZE) KUBECTL=$(KUBECTL) ./hack/render-install.sh | $(KUBECTL) delete --ignore-not-found --wait --timeout=$(UNDEPLOY_TIMEOUT) -f -

.PHONY: postgres-up
postgres-up: ## Install PostgreSQL (and promtool) if missing, start a local server in .postgres/ and print the --ledger URL
	./hack/postgres.sh up

.PHONY: postgres-down
postgres-down: ## Stop the server of make postgres-up (its data stays in .postgres/)
	./hack/postgres.sh down

.PHONY: alerts-test
alerts-test: build ## Run promtool's unit tests of config/prometheus/rules.yaml (rules.test.yaml)
	$(DOTNET) test tests/ApiKeyOperator.Tests --no-build $(TEST_FLAGS) --filter "FullyQualifiedName~ApiKeyOperator.Tests.Alerts"
