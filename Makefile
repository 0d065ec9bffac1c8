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
