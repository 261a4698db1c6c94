namespace TaskGrid.Tasks;

/// <summary>The lifecycle state of a task. The database enforces the same closed set.</summary>
public enum TaskState
{
    /// <summary>Waiting to be claimed by a worker (possibly not yet due).</summary>
    Pending,

    /// <summary>Leased by a worker and executing.</summary>
    Running,

    /// <summary>Finished successfully; terminal.</summary>
    Completed,

    /// <summary>Failed after its last allowed attempt, or with a non-retryable error.</summary>
    Failed,

    /// <summary>Cancelled by a user before it finished.</summary>
    Cancelled,

    /// <summary>Not started within its time to live; kept and retryable.</summary>
    Expired,
}
