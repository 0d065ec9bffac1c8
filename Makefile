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

.PHONY: test
test: build ## Run unit, KubeSim and integration tests (KubeSim backend unless APIKEY_TEST_BACKEND says otherwise)
	@mkdir -p $(dir $(TEST_LOG))
	set -o pipefail; $(DOTNET) test ApiKeyOperator.sln --no-build $(TEST_FLAGS) 2>&1 | tee $(TEST_LOG); \
	  status=$$?; ./hack/test-summary.sh $(TEST_LOG); exit $$status

.PHONY: demo
demo: build ## Start KubeSim, install the CRDs, run the operator, apply the samples and rotate a key with kubectl
	CONFIGURATION=$(CONFIGURATION) ./hack/demo.sh

.PHONY: clean
clean: ## Remove build output
	$(DOTNET) clean ApiKeyOperator.sln --configuration $(CONFIGURATION)
	rm -rf .demo

KUBECTL ?= kubectl
IMG ?= apikey-operator:dev

.PHONY: manifests
manifests: ## Print the whole install (kubectl kustomize config/default); apply it with kubectl apply -k config/default
	@command -v $(KUBECTL) >/dev/null 2>&1 || { echo "manifests: $(KUBECTL) is not on PATH; it renders the kustomization" >&2; exit 1; }
	@$(KUBECTL) kustomize config/default

.PHONY: docker-build
docker-build: ## Build the operator image (IMG, default apikey-operator:dev); needs a running Docker engine
	@command -v docker >/dev/null 2>&1 || { echo "docker-build: docker is not installed; install Docker to build the image (the image's publish step is tested without it by make test)" >&2; exit 1; }
	@docker info >/dev/null 2>&1 || { echo "docker-build: no Docker engine is reachable (is the daemon running, and may this user use it?)" >&2; exit 1; }
	docker build -t $(IMG) .

.PHONY: postgres-up
postgres-up: ## Install PostgreSQL (and promtool) if missing, start a local server in .postgres/ and print the --ledger URL
	./hack/postgres.sh up

.PHONY: postgres-down
postgres-down: ## Stop the server of make postgres-up (its data stays in .postgres/)
	./hack/postgres.sh down

.PHONY: alerts-test
alerts-test: build ## Run promtool's unit tests of config/prometheus/rules.yaml (rules.test.yaml)
	$(DOTNET) test tests/ApiKeyOperator.Tests --no-build $(TEST_FLAGS) --filter "FullyQualifiedName~ApiKeyOperator.Tests.Alerts"
