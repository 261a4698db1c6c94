namespace TaskGrid.Grids;

/// <summary>How many of a grid's tasks are in each state.</summary>
/// <param name="Pending">Waiting to run.</param>
/// <param name="Running">Running now.</param>
/// <param name="Completed">Finished successfully.</param>
/// <param name="Failed">Failed for good.</param>
/// <param name="Cancelled">Cancelled.</param>
/// <param name="Expired">Expired before they started.</param>
public sealed record GridCounts(int Pending, int Running, int Completed, int Failed, int Cancelled, int Expired)
{
    /// <summary>All tasks of the grid.</summary>
    public int Total => Pending + Running + Completed + Failed + Cancelled + Expired;

    /// <summary>Tasks in a terminal state.</summary>
    public int Done => Completed + Failed + Cancelled + Expired;
}
