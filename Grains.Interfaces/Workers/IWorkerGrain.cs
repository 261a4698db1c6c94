namespace TaskGrid.Workers;

/// <summary>
/// One claim loop of a silo, keyed <c>{silo}/{n}</c>. Its methods are single atomic
/// statements over many tasks: a claim takes up to a batch with <c>FOR UPDATE SKIP LOCKED</c>
/// under one new lease, and every acknowledgement is fenced by that lease (<see cref="LeaseRef"/>),
/// so a worker that lost a lease cannot overwrite the task.
/// </summary>
public interface IWorkerGrain
{
    /// <summary>The worker's id.</summary>
    string Id { get; }

    /// <summary>Records the worker as started on its silo.</summary>
    Task RegisterAsync(CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="max"/> due tasks, highest priority first, honouring grid limits and pauses.</summary>
    Task<IReadOnlyList<ClaimedTask>> ClaimAsync(int max, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the leases of these running tasks; returns the tasks that still hold their lease
    /// (a cancelled task, or one whose lease lapsed and was reaped, is missing).
    /// </summary>
    Task<IReadOnlyList<Guid>> RenewLeasesAsync(IReadOnlyList<LeaseRef> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops leases whose tasks have all been acknowledged, released or stopped; a task an
    /// unconfirmed one still holds goes back to the queue.
    /// </summary>
    Task CloseLeasesAsync(SettledLeases leases, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes these leased tasks as running, so that the API and the counters show them running;
    /// returns how many it wrote (a task already written running, or no longer this lease's, is skipped).
    /// </summary>
    Task<int> MarkRunningAsync(IReadOnlyList<LeaseRef> leases, CancellationToken cancellationToken = default);

    /// <summary>Records successes; returns the tasks acknowledged (a lost lease is refused and left out).</summary>
    Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyList<TaskSuccess> results, CancellationToken cancellationToken = default);

    /// <summary>Records failures, scheduling a retry where one is allowed; returns the tasks acknowledged.</summary>
    Task<IReadOnlyList<Guid>> FailAsync(IReadOnlyList<TaskFailure> failures, CancellationToken cancellationToken = default);

    /// <summary>Hands leased tasks back to pending at once (graceful shutdown); the attempt is not counted.</summary>
    Task<int> ReleaseAsync(IReadOnlyList<LeaseRef> leases, string reason, CancellationToken cancellationToken = default);

    /// <summary>Records the worker's counters and heartbeat.</summary>
    Task ReportAsync(WorkerReport report, CancellationToken cancellationToken = default);
}
