namespace TaskGrid.Grids;

/// <summary>A filter over grids, newest first.</summary>
/// <param name="UserId">Only this owner's grids; null for every owner the caller may see.</param>
/// <param name="Limit">Page size, 1..500.</param>
/// <param name="Cursor">The next cursor of the previous page.</param>
public sealed record GridQuery(string? UserId = null, int Limit = 50, string? Cursor = null);
