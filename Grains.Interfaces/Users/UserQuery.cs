namespace TaskGrid.Users;

/// <summary>A page of users, newest first.</summary>
/// <param name="Limit">Page size, 1..500.</param>
/// <param name="Cursor">The next cursor of the previous page.</param>
public sealed record UserQuery(int Limit = 50, string? Cursor = null);
