namespace KubeSim.Patching;

/// <summary>A patch document that cannot be applied (bad operation, missing path, failed test).</summary>
internal sealed class PatchException(string message) : Exception(message);
