namespace TaskGrid.Users;

/// <summary>A new API key. <see cref="Key"/> is shown this once and stored only as a hash: keep it.</summary>
/// <param name="Id">The key's id (used to revoke it).</param>
/// <param name="UserId">Whose key it is.</param>
/// <param name="Name">What it is for.</param>
/// <param name="Prefix">The key's first characters, to recognise it later.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Key">The secret; send it as <c>Authorization: Bearer ...</c> or <c>X-Api-Key</c>.</param>
public sealed record CreatedApiKey(Guid Id, string UserId, string? Name, string Prefix, DateTimeOffset CreatedAt, string Key);
