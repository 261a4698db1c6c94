namespace TaskGrid.Silo;

/// <summary>Who this silo is and where it serves probes. Section <c>TaskGrid:Silo</c>.</summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Silo";

    /// <summary>
    /// The silo's unique, stable name (under Kubernetes, the pod name). A restarted silo with
    /// the same name takes over its previous incarnation's rows. Default: <c>{host}-{pid}</c>.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Port of <c>/livez</c>, <c>/healthz</c> and <c>/metrics</c> on all interfaces, for probes and
    /// scraping; 0 serves them on an ephemeral loopback port only. Default: 0.
    /// </summary>
    public int HealthPort { get; set; }
}
