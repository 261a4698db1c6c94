namespace TaskGrid.Grains.Cluster;

/// <summary>Who a silo process is: its stable name and this run's incarnation.</summary>
/// <param name="Name">Stable across restarts (the StatefulSet pod name).</param>
/// <param name="Host">The machine.</param>
/// <param name="ProcessId">The operating-system process id.</param>
/// <param name="Incarnation">New for every start; fences a restarted silo's rows from a stale process of the same name.</param>
public sealed record SiloIdentity(string Name, string Host, int ProcessId, Guid Incarnation);
