namespace TaskGrid.Grids;

/// <summary>A grid's overall status.</summary>
public enum GridStatus
{
    /// <summary>Its tasks are claimed as workers have room.</summary>
    Active,

    /// <summary>No new task of it is claimed; running ones finish.</summary>
    Paused,

    /// <summary>Cancelled with all its unfinished tasks.</summary>
    Cancelled,

    /// <summary>Active, and every task reached a terminal state.</summary>
    Finished,
}
