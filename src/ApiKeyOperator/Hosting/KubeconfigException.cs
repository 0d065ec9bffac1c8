namespace ApiKeyOperator.Hosting;

/// <summary>No usable cluster configuration; the message is one line naming the file or what to set.</summary>
public sealed class KubeconfigException(string message, Exception? inner = null) : Exception(message, inner);
