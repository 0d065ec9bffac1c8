namespace ApiKeyOperator.Hosting;

/// <summary>
/// A setting the operator cannot run with (a flag, a file or an environment variable it names). The message is one
/// line for the person who set it: commands print it as <c>error: …</c> and exit 1, without a stack trace.
/// </summary>
public sealed class OperatorConfigurationException(string message) : Exception(message);
