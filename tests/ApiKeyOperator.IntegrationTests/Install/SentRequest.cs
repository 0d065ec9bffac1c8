namespace ApiKeyOperator.IntegrationTests.Install;

/// <summary>One request as a client sent it: HTTP method, path without query, and whether it asked for a watch.</summary>
public sealed record SentRequest(string Method, string Path, bool Watch);
