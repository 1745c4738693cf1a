# MedOps: the project's commands. Each target is documented in README.md.
SHELL := /bin/bash
CONFIG ?= Release

.PHONY: help install build crds test test-unit test-integration cluster-up cluster-down demo demo-down bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

install: ## Install what the local control plane needs (Debian packages, Kubernetes 1.20.2 build, kubectl, helm)
	@hack/install.sh

build: ## Build the solution
	dotnet build MedOps.sln -c $(CONFIG) --nologo

crds: ## Generate crds/*.yaml and charts/medops/crds/*.yaml from the C# API types
	dotnet run --project src/MedOps.CrdGen -c $(CONFIG) -- crds charts/medops/crds

test: ## Run every test: unit tests, then integration tests against the local control plane
	@hack/test.sh all

test-unit: ## Run the unit tests only (no cluster needed)
	@hack/test.sh unit

test-integration: ## Run the integration tests only (starts the local control plane if needed)
	@hack/test.sh integration

cluster-up: ## Start the local control plane and the node simulator (kubeconfig: .cluster/kubeconfig)
	@hack/cluster-up.sh

cluster-down: ## Stop the local control plane and remove its state
	@hack/cluster-down.sh

demo: ## Run the local demo on the embedded control plane
	@hack/demo.sh

demo-down: ## Stop the demo and its control plane
	@hack/cluster-down.sh

bench: ## Run the benchmarks and print their figures
	@hack/bench.sh

clean: ## Remove build output
	dotnet clean MedOps.sln --nologo -v quiet
