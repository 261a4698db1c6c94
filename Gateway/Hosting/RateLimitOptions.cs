namespace TaskGrid.Gateway.Hosting;

/// <summary>Per-key request rate limits. Section <c>TaskGrid:Gateway:RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Gateway:RateLimit";

    /// <summary>Requests per second one API key may make, sustained. Default: 100.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests one API key may make in a burst. Default: 200.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Requests per second from one address without a valid key. Default: 20.</summary>
    public int AnonymousPermitsPerSecond { get; set; } = 20;
}
