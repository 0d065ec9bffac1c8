namespace ApiKeyOperator.Tests.Install;

/// <summary>A build stage: its base image, its `AS` name (or null) and its instructions after FROM.</summary>
public sealed record DockerStage(string BaseImage, string? Name, IReadOnlyList<DockerInstruction> Instructions);
