namespace ApiKeyOperator.Controllers;

/// <summary>UTC normalisation for times read from objects, whose DateTime kind depends on how they were parsed.</summary>
internal static class Time
{
    public static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    public static DateTime? Utc(DateTime? time) => time is { } t ? Utc(t) : null;

    /// <summary>Second precision, as Kubernetes timestamps have.</summary>
    public static DateTime TruncateToSeconds(DateTime time) => new(Utc(time).Ticks - (Utc(time).Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
