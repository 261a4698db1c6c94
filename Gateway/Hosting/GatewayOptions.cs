namespace TaskGrid.Gateway.Hosting;

/// <summary>HTTP limits of the gateway. Section <c>TaskGrid:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Gateway";

    /// <summary>Largest request body; larger requests get 413. Default: 32 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted. Default: 32.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}
