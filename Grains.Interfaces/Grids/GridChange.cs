namespace TaskGrid.Grids;

/// <summary>The result of an operation on a whole grid.</summary>
/// <param name="Grid">The grid after the operation.</param>
/// <param name="TasksAffected">How many of its tasks changed state.</param>
public sealed record GridChange(GridView Grid, int TasksAffected);
