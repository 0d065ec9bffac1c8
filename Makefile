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

.PHONY: test
test: build ## Run unit, KubeSim and integration tests (KubeSim backend unless APIKEY_TEST_BACKEND says otherwise)
	$(DOTNET) test ApiKeyOperator.sln --no-build $(TEST_FLAGS)

.PHONY: demo
demo: build ## Start KubeSim, install the CRDs, run the operator, apply the samples and rotate a key with kubectl
	CONFIGURATION=$(CONFIGURATION) ./hack/demo.sh

.PHONY: clean
clean: ## Remove build output
	$(DOTNET) clean ApiKeyOperator.sln --configuration $(CONFIGURATION)
	rm -rf .demo
