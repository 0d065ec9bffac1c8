namespace ApiKeyOperator.Hosting;

/// <summary>The operator could not start; the message is the one line to print (which flag, which address or file).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
