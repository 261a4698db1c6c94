namespace TaskGrid.Users;

/// <summary>An API key as the API shows it: never the key itself, only its first characters.</summary>
/// <param name="Id">The key's id (used to revoke it).</param>
/// <param name="UserId">Whose key it is.</param>
/// <param name="Name">What it is for.</param>
/// <param name="Prefix">The key's first characters, to recognise it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When it was last seen (updated at most every few seconds).</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record ApiKeyView(Guid Id, string UserId, string? Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
