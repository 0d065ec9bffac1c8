namespace ApiKeyOperator.Tests.Install;

/// <summary>One Dockerfile instruction, keyword upper-cased, continuation lines joined.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments);
