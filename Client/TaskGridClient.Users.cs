using TaskGrid.Client.Http;
using TaskGrid.Paging;
using TaskGrid.Users;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    /// <summary>The user the API key belongs to (<c>GET /v1/users/me</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">401 when the key is missing, unknown or revoked.</exception>
    public Task<UserView> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        GetAsync<UserView>("v1/users/me", cancellationToken);

    /// <summary>Creates a user (<c>POST /v1/users</c>, admins only).</summary>
    /// <param name="request">The new user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">400 naming the bad fields; 403 for a non-admin key.</exception>
    public Task<UserView> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync<UserView, CreateUserRequest>(HttpMethod.Post, "v1/users", request, cancellationToken);
    }

    /// <summary>Gets a user (<c>GET /v1/users/{id}</c>: admins, or the user themself).</summary>
    /// <param name="id">The user id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<UserView> GetUserAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return GetAsync<UserView>($"v1/users/{Escape(id)}", cancellationToken);
    }

    /// <summary>Gets one page of users, newest first (<c>GET /v1/users</c>, admins only).</summary>
    /// <param name="query">Page size and the cursor of the previous page. Default: the first 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Page<UserView>> GetUsersPageAsync(UserQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new UserQuery();
        return GetAsync<Page<UserView>>($"v1/users{new QueryString().Add("limit", query.Limit).Add("cursor", query.Cursor)}", cancellationToken);
    }

    /// <summary>Every user, newest first, fetched page by page as the enumeration goes (admins only).</summary>
    /// <param name="query">Page size. Default: 50 per page.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<UserView> ListUsersAsync(UserQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new UserQuery();
        return PageThroughAsync(query.Cursor, (cursor, ct) => GetUsersPageAsync(query with { Cursor = cursor }, ct), cancellationToken);
    }

    /// <summary>Changes a user's name, role, cap or disabled state (<c>PATCH /v1/users/{id}</c>, admins only).</summary>
    /// <param name="id">The user id.</param>
    /// <param name="request">The fields to change; the others stay.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<UserView> UpdateUserAsync(string id, UpdateUserRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(request);
        return SendJsonAsync<UserView, UpdateUserRequest>(HttpMethod.Patch, $"v1/users/{Escape(id)}", request, cancellationToken);
    }

    /// <summary>Creates an API key for a user (<c>POST /v1/users/{id}/api-keys</c>). The answer holds the key this once.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="request">What the key is for. Default: unnamed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<CreatedApiKey> CreateApiKeyAsync(string userId, CreateApiKeyRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return SendJsonAsync<CreatedApiKey, CreateApiKeyRequest>(HttpMethod.Post, $"v1/users/{Escape(userId)}/api-keys", request ?? new CreateApiKeyRequest(), cancellationToken);
    }

    /// <summary>A user's API keys, newest first, without secrets (<c>GET /v1/users/{id}/api-keys</c>).</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<ApiKeyView>> ListUserApiKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return GetAsync<IReadOnlyList<ApiKeyView>>($"v1/users/{Escape(userId)}/api-keys", cancellationToken);
    }

    /// <summary>API keys without secrets: every key for an admin, the caller's own for a user (<c>GET /v1/api-keys</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<ApiKeyView>>("v1/api-keys", cancellationToken);

    /// <summary>Gets an API key without its secret (<c>GET /v1/api-keys/{id}</c>).</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ApiKeyView> GetApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<ApiKeyView>($"v1/api-keys/{id}", cancellationToken);

    /// <summary>Revokes an API key; it stops working within seconds (<c>DELETE /v1/api-keys/{id}</c>).</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TaskGridApiException">404 for an unknown key; 409 when it is already revoked.</exception>
    public Task<ApiKeyView> RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<ApiKeyView>(new ApiRequest(HttpMethod.Delete, $"v1/api-keys/{id}"), cancellationToken);
}
