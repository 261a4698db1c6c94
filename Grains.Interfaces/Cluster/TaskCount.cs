using TaskGrid.Tasks;

namespace TaskGrid.Cluster;

/// <summary>How many tasks of one kind are in one state, cluster-wide.</summary>
/// <param name="Kind">The task kind.</param>
/// <param name="Status">The state.</param>
/// <param name="Count">How many tasks.</param>
public sealed record TaskCount(string Kind, TaskState Status, long Count);
