namespace TaskGrid.Artifacts;

/// <summary>A filter over artifacts, newest first.</summary>
/// <param name="UserId">Only this owner's artifacts; null for every owner the caller may see.</param>
/// <param name="Limit">Page size, 1..500.</param>
/// <param name="Cursor">The next cursor of the previous page.</param>
public sealed record ArtifactQuery(string? UserId = null, int Limit = 50, string? Cursor = null);
