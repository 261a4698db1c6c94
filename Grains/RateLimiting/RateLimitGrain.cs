using Npgsql;
using NpgsqlTypes;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.RateLimits;
using TaskGrid.Validation;

namespace TaskGrid.Grains.RateLimiting;

/// <summary>One named limiter. Reads are open to every caller (a limiter holds no user's data); changes need an admin.</summary>
internal sealed class RateLimitGrain(string name, GrainServices services) : IRateLimitGrain
{
    public string Name => name;

    public Task<RateLimitView> GetAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        RateLimitValidator.ThrowIfBadName(name);
        return services.Turns.RunStatementAsync("rate-limit.get", connection => SelectAsync(connection, null, cancellationToken), cancellationToken);
    }

    public Task<(RateLimitView View, bool Created)> PutAsync(Caller caller, RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        ThrowUnlessAdmin(caller);
        RateLimitValidator.ThrowIfBadName(name);
        RateLimitValidator.ThrowIfInvalid(request, replace: true);
        return services.Turns.RunAsync("rate-limit.put", async (connection, transaction) =>
        {
            bool created;
            await using (var upsert = new NpgsqlCommand(RateLimitQueries.RateLimitUpsert, connection, transaction))
            {
                upsert.With("name", name).With("requests_per_minute", request.RequestsPerMinute!.Value)
                    .WithNullable("tokens_per_minute", request.TokensPerMinute, NpgsqlDbType.Integer)
                    .With("window", TimeSpan.FromSeconds(request.WindowSeconds ?? 60)).WithNow(services.Clock);
                created = await upsert.ExecuteScalarAsync(cancellationToken) is true;
            }
            return (await SelectAsync(connection, transaction, cancellationToken), created);
        }, cancellationToken);
    }

    public Task<RateLimitView> UpdateAsync(Caller caller, RateLimitRequest request, CancellationToken cancellationToken = default)
    {
        ThrowUnlessAdmin(caller);
        RateLimitValidator.ThrowIfBadName(name);
        RateLimitValidator.ThrowIfInvalid(request, replace: false);
        return services.Turns.RunAsync("rate-limit.update", async (connection, transaction) =>
        {
            await using (var update = new NpgsqlCommand(RateLimitQueries.RateLimitUpdate, connection, transaction))
            {
                update.With("name", name)
                    .WithNullable("requests_per_minute", request.RequestsPerMinute, NpgsqlDbType.Integer)
                    .WithNullable("tokens_per_minute", request.TokensPerMinute, NpgsqlDbType.Integer)
                    .With("clear_tokens", request.ClearTokensPerMinute == true)
                    .WithNullable("window", request.WindowSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, NpgsqlDbType.Interval)
                    .WithNow(services.Clock);
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    throw NotFound();
                }
            }
            return await SelectAsync(connection, transaction, cancellationToken);
        }, cancellationToken);
    }

    public Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        ThrowUnlessAdmin(caller);
        RateLimitValidator.ThrowIfBadName(name);
        return services.Turns.RunStatementAsync("rate-limit.delete", async connection =>
        {
            await using var delete = new NpgsqlCommand(RateLimitQueries.RateLimitDelete, connection).With("name", name);
            return await delete.ExecuteNonQueryAsync(cancellationToken) == 0 ? throw NotFound() : true;
        }, cancellationToken);
    }

    private async Task<RateLimitView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RateLimitQueries.RateLimitSelect, connection, transaction).With("name", name).WithNow(services.Clock);
        var views = await RateLimitReader.ReadAllAsync(command, cancellationToken);
        return views.Count == 1 ? views[0] : throw NotFound();
    }

    private ResourceNotFoundException NotFound() => new("rate limit", name);

    private static void ThrowUnlessAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new AccessDeniedException("Only admins change rate limits; ask an admin, or read them with GET /v1/limits.");
        }
    }
}
