namespace TaskGrid.Workers;

/// <summary>A task and the lease token of the attempt that holds it.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Token">The random token written when the task was claimed.</param>
public sealed record LeaseRef(Guid TaskId, Guid Token);
