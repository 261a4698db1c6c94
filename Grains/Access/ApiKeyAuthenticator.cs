using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Access;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Access;

/// <summary>
/// Turns a presented key into a caller. Answers (valid or not) are cached for
/// <see cref="AuthOptions.KeyCacheDuration"/> per key hash, so a busy client costs one database
/// lookup every few seconds; that is also how long a revocation elsewhere takes to bite.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;
    private readonly AuthOptions _options;
    private readonly byte[]? _bootstrapHash;
    private readonly ConcurrentDictionary<string, (AuthenticatedKey? Key, long ExpiresAt)> _cache = new();

    internal ApiKeyAuthenticator(GrainTurns turns, DbClock clock, IOptions<AuthOptions> options)
    {
        _turns = turns;
        _clock = clock;
        _options = options.Value;
        _bootstrapHash = _options.BootstrapAdminKey is { } key ? ApiKeySecrets.Hash(key) : null;
    }

    /// <summary>The key's owner, or null when the key is unknown, revoked, or its user disabled.</summary>
    public async Task<AuthenticatedKey?> AuthenticateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeySecrets.Hash(presentedKey);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrapHash))
        {
            return new AuthenticatedKey(new Caller(_options.BootstrapAdminUserId, CallerRole.Admin), null);
        }
        var cacheKey = Convert.ToBase64String(hash);
        var now = Environment.TickCount64;
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Key;
        }
        var found = await _turns.RunStatementAsync("auth.key", async connection =>
        {
            await using var command = new NpgsqlCommand(ApiKeyQueries.ApiKeyAuthenticate, connection).With("hash", hash).WithNow(_clock);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new AuthenticatedKey(new Caller(reader.GetString(1), Roles.Parse(reader.GetString(2))), reader.GetGuid(0))
                : null;
        }, cancellationToken);
        if (_cache.Count > 10_000)
        {
            _cache.Clear(); // bounded: a flood of random keys must not grow memory
        }
        _cache[cacheKey] = (found, now + (long)_options.KeyCacheDuration.TotalMilliseconds);
        return found;
    }

    /// <summary>Forgets every cached answer (this gateway revoked a key or disabled a user).</summary>
    public void Forget() => _cache.Clear();
}
