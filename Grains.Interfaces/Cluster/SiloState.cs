namespace TaskGrid.Cluster;

/// <summary>A silo's membership state.</summary>
public enum SiloState
{
    /// <summary>Heartbeating and claiming work.</summary>
    Active,

    /// <summary>Shutting down: claims nothing new, finishing what it holds.</summary>
    Draining,

    /// <summary>Stopped cleanly.</summary>
    Stopped,

    /// <summary>Stopped heartbeating; declared dead and its leases reaped.</summary>
    Dead,
}
