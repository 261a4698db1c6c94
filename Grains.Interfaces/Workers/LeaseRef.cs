namespace TaskGrid.Workers;

/// <summary>A task and the lease of the attempt that holds it.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Token">The id of the claim's lease, random per claim.</param>
/// <param name="ClaimedVersion">
/// The task row's version when the claim left the row pending (it writes the rows of limited
/// grids only): the task is this attempt's while its row still has this version. Null when the
/// claim wrote the task running; its lease token then fences it.
/// </param>
public sealed record LeaseRef(Guid TaskId, Guid Token, long? ClaimedVersion = null);
