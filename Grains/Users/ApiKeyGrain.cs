using Npgsql;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Users;

namespace TaskGrid.Grains.Users;

/// <summary>One API key: its owner or an admin may read and revoke it.</summary>
internal sealed class ApiKeyGrain(Guid id, GrainServices services) : IApiKeyGrain
{
    public Guid Id => id;

    public Task<ApiKeyView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("key.get", connection => SelectAsync(connection, null, caller, forUpdate: false, cancellationToken), cancellationToken);

    public async Task<ApiKeyView> RevokeAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var revoked = await services.Turns.RunAsync("key.revoke", async (connection, transaction) =>
        {
            var key = await SelectAsync(connection, transaction, caller, forUpdate: true, cancellationToken);
            if (key.RevokedAt is not null)
            {
                throw new StateConflictException($"API key {id} was already revoked at {key.RevokedAt:u}.");
            }
            await using var command = new NpgsqlCommand(ApiKeyQueries.ApiKeyRevoke, connection, transaction).With("id", id).WithNow(services.Clock);
            return (await UserReader.ReadSingleAsync(command, UserReader.ReadKey, cancellationToken))!;
        }, cancellationToken);
        services.Authenticator.Forget();
        return revoked;
    }

    private async Task<ApiKeyView> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Caller caller, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(forUpdate ? ApiKeyQueries.ApiKeySelectForUpdate : ApiKeyQueries.ApiKeySelect, connection, transaction)
            .With("id", id).WithOwner(caller.OwnerScope);
        return await UserReader.ReadSingleAsync(command, UserReader.ReadKey, cancellationToken)
            ?? throw new ResourceNotFoundException("API key", id.ToString());
    }
}
