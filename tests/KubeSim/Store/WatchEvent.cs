using System.Text.Json.Nodes;

namespace KubeSim;

/// <summary>A change delivered to in-process subscribers: Type is ADDED, MODIFIED or DELETED.</summary>
public sealed record WatchEvent(string Type, JsonObject Object);
