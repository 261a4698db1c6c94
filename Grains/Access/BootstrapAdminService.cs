using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Access;

/// <summary>
/// When a bootstrap admin key is configured, makes sure its user exists so that what the
/// bootstrap admin creates has an owner row. Runs after migrations (registered after them).
/// </summary>
internal sealed class BootstrapAdminService(GrainTurns turns, IOptions<AuthOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is null)
        {
            return;
        }
        await turns.RunStatementAsync("auth.ensure-admin", async connection =>
        {
            await using var command = new NpgsqlCommand(UserQueries.UserEnsureAdmin, connection).With("id", options.Value.BootstrapAdminUserId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
