using TaskGrid.Access;

namespace TaskGrid.Users;

/// <summary>One API key, keyed by its id. Its owner or an admin may read and revoke it.</summary>
public interface IApiKeyGrain
{
    /// <summary>The key's id.</summary>
    Guid Id { get; }

    /// <summary>The key, without its secret.</summary>
    Task<ApiKeyView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Revokes the key: it stops working within seconds on every gateway. Revoking twice is a conflict.</summary>
    Task<ApiKeyView> RevokeAsync(Caller caller, CancellationToken cancellationToken = default);
}
