namespace ApiKeyOperator.IntegrationTests.Providers;

/// <summary>A server the tests started could not bind its port (another process took it first).</summary>
public sealed class AddressInUseException(string message) : Exception(message);
