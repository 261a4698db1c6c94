namespace TaskGrid.Observability;

/// <summary>A page of the recent-failures feed, newest first.</summary>
/// <param name="Limit">Page size, 1..500.</param>
/// <param name="Cursor">The next cursor of the previous page.</param>
public sealed record FailureQuery(int Limit = 20, string? Cursor = null);
