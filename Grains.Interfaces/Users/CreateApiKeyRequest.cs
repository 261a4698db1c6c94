namespace TaskGrid.Users;

/// <summary>A new API key for a user.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>What the key is for, for people (for example "laptop" or "ci"). Up to 200 characters.</summary>
    public string? Name { get; init; }
}
