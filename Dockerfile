# syntax=docker/dockerfile:1
# The operator image: `make docker-build IMG=…` (default ghcr.io/apikeyoperator/apikey-operator:v$(cat VERSION)).
# tests/ApiKeyOperator.Tests/Install/ContainerImageTests.cs replays this file's build stage (its COPY and
# `RUN dotnet` steps) and starts the result, so keep those steps plain.

# The build runs on the builder's own platform even for a multi-arch image (docker buildx --platform
# linux/amd64,linux/arm64): the framework-dependent output is portable IL plus native libraries for every
# Linux architecture, so nothing is built under emulation.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: source edits then reuse the downloaded packages.
COPY VERSION Directory.Build.props Directory.Packages.props ./
COPY src/ApiKeyOperator/ApiKeyOperator.csproj src/ApiKeyOperator/
RUN dotnet restore src/ApiKeyOperator/ApiKeyOperator.csproj
COPY src/ApiKeyOperator/ src/ApiKeyOperator/
# Framework-dependent rather than self-contained and trimmed: the runtime image below already carries
# the .NET and ASP.NET Core shared frameworks the operator needs, and trimming would put the reflection-
# based JSON/YAML (de)serialization of KubernetesClient and YamlDotNet at risk for a few MB saved.
RUN dotnet publish src/ApiKeyOperator/ApiKeyOperator.csproj -c Release -o /app --no-self-contained --no-restore
# The ledger directory, created here because the runtime image has no shell to run mkdir.
RUN mkdir -p /ledger

# Chiseled: no shell, no package manager, only what .NET needs; non-root.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=65532:65532 /ledger /var/lib/apikey-operator
USER 65532:65532
# The SQLite audit ledger (--ledger-path=/var/lib/apikey-operator/ledger.db); mount a volume to keep it.
VOLUME /var/lib/apikey-operator
# metrics, health probes, review endpoint
EXPOSE 8080 8081 8443
ENTRYPOINT ["dotnet", "/app/apikey-operator.dll"]
# Without a command the binary only prints help; the Deployment's args start with `run` as well.
CMD ["run"]
