namespace KubeSim.JsonPaths;

/// <summary>A JSONPath template kubectl would reject.</summary>
public sealed class JsonPathParseException(string message) : Exception(message);
