namespace KubeSim.JsonPaths;

/// <summary>A JSONPath template kubectl would reject.</summary>
internal sealed class JsonPathParseException(string message) : Exception(message);
