namespace TaskGrid.Grids;

/// <summary>
/// Changes a grid's window; fields left out stay as they are. A change takes effect at once:
/// an <see cref="ActiveFrom"/> in the past opens the grid now, a <see cref="RetireAt"/> in the
/// past retires it now (its pending tasks expire).
/// </summary>
public sealed record UpdateGridRequest
{
    /// <summary>The new opening time of the window.</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>The new retirement time. A later time reopens a retired grid (expired tasks stay expired; retry them with retry-failed).</summary>
    public DateTimeOffset? RetireAt { get; init; }

    /// <summary>True removes the opening time (the grid is claimable at once).</summary>
    public bool? ClearActiveFrom { get; init; }

    /// <summary>True removes the retirement time (the grid never retires).</summary>
    public bool? ClearRetireAt { get; init; }
}
