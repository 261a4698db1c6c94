namespace TaskGrid.Observability;

/// <summary>How many tasks are in each state.</summary>
/// <param name="Pending">Waiting to run.</param>
/// <param name="Running">Running now.</param>
/// <param name="Completed">Finished successfully.</param>
/// <param name="Failed">Failed for good.</param>
/// <param name="Cancelled">Cancelled.</param>
/// <param name="Expired">Not started within their time to live.</param>
public sealed record TaskStateCounts(long Pending, long Running, long Completed, long Failed, long Cancelled, long Expired)
{
    /// <summary>All of them.</summary>
    public long Total => Pending + Running + Completed + Failed + Cancelled + Expired;
}
