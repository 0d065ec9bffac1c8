namespace KubeSim.Selectors;

/// <summary>A label or field selector with invalid syntax; the API server answers such requests with 400 BadRequest.</summary>
internal sealed class SelectorParseException(string message) : Exception(message);
