using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.RateLimiting;

/// <summary>
/// Permits from the cluster-wide limiters in PostgreSQL. <see cref="AcquireAsync"/> asks the
/// database for a permit; when the window is full it sleeps until the moment the database says a
/// permit frees up (plus jitter, so silos do not ask in lockstep) and asks again. The caller's
/// worker slot stays taken while it waits, but nothing spins: one question per free-up time.
/// </summary>
public sealed class ClusterRateLimiter
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;
    private readonly RateLimitOptions _options;

    internal ClusterRateLimiter(GrainTurns turns, DbClock clock, IOptions<RateLimitOptions> options)
    {
        _turns = turns;
        _clock = clock;
        _options = options.Value;
    }

    /// <summary>Waits for a permit of <paramref name="limiter"/> for a request expected to use <paramref name="tokens"/> tokens; returns the grant (null when no such limiter is configured).</summary>
    public async Task<long?> AcquireAsync(string limiter, int tokens, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (granted, grant, retryAfter) = await _turns.RunStatementAsync("rate-limit.acquire", async connection =>
            {
                await using var command = new NpgsqlCommand(RateLimitQueries.RateLimitAcquire, connection)
                    .With("name", limiter).With("tokens", tokens).With("margin", _options.SafetyMargin).WithNow(_clock);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                return (reader.GetBoolean(0), reader.IsDBNull(1) ? (long?)null : reader.GetInt64(1),
                        reader.IsDBNull(2) ? TimeSpan.Zero : reader.GetFieldValue<TimeSpan>(2));
            }, cancellationToken);
            if (granted)
            {
                return grant;
            }
            var wait = retryAfter + TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20));
            await Task.Delay(wait < _options.MaxWaitBetweenTries ? wait : _options.MaxWaitBetweenTries, _clock.TimeProvider, cancellationToken);
        }
    }

    /// <summary>Replaces a grant's reserved tokens by what the request really used.</summary>
    public Task RecordUsageAsync(long grant, int tokens, CancellationToken cancellationToken) =>
        _turns.RunStatementAsync("rate-limit.usage", async connection =>
        {
            await using var command = new NpgsqlCommand(RateLimitQueries.RateLimitGrantUsage, connection).With("id", grant).With("tokens", tokens);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>The provider answered 429: lowers the limiter for a while, cluster-wide.</summary>
    public Task ThrottleAsync(string limiter, CancellationToken cancellationToken) =>
        _turns.RunStatementAsync("rate-limit.throttle", async connection =>
        {
            await using var command = new NpgsqlCommand(RateLimitQueries.RateLimitThrottle, connection)
                .With("name", limiter).With("factor", _options.ThrottleFactor).With("floor", _options.MinimumThrottleFactor)
                .With("duration", _options.ThrottleDuration).WithNow(_clock);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
