using TaskGrid.Access;

namespace TaskGrid.Users;

/// <summary>
/// One user, keyed by user id. Admins manage every user; a user may read themself and manage
/// their own keys. Anyone else gets <see cref="Errors.ResourceNotFoundException"/>.
/// </summary>
public interface IUserGrain
{
    /// <summary>The user id.</summary>
    string Id { get; }

    /// <summary>Creates the user (admins only).</summary>
    Task<UserView> CreateAsync(Caller caller, CreateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>The user.</summary>
    Task<UserView> GetAsync(Caller caller, CancellationToken cancellationToken = default);

    /// <summary>Changes name, role, cap or disabled state (admins only).</summary>
    Task<UserView> UpdateAsync(Caller caller, UpdateUserRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an API key for the user; the answer holds the key once.</summary>
    Task<CreatedApiKey> CreateApiKeyAsync(Caller caller, CreateApiKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The user's keys, newest first, without secrets.</summary>
    Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(Caller caller, CancellationToken cancellationToken = default);
}
