using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grains.Tasks;
using TaskGrid.Serialization;
using TaskGrid.Templates;
using TaskGrid.Validation;

namespace TaskGrid.Grains.GridTemplates;

/// <summary>One grid template. Its runs are created by the scheduler duty (<see cref="Cluster.ClusterScheduler"/>).</summary>
internal sealed class GridTemplateGrain(Guid id, GrainServices services) : IGridTemplateGrain
{
    public Guid Id => id;

    public async Task<GridTemplateView> CreateAsync(Caller caller, CreateGridTemplateRequest request, CancellationToken cancellationToken = default)
    {
        var schedule = GridTemplateValidator.ThrowIfInvalid(request, [.. services.Tasks.Kinds], services.Tasks.MaxTasksPerCall);
        try
        {
            return await services.Turns.RunAsync("grid-template.create", async (connection, transaction) =>
            {
                var owner = await TaskOwners.ResolveAsync(connection, transaction, caller, request.UserId, cancellationToken);
                await ArtifactReferences.LockAsync(connection, transaction, owner, ArtifactReferences.Of(request.Tasks!, i => $"tasks[{i}].artifact_id"), cancellationToken);
                var next = schedule.Next(services.Clock.TimeProvider.GetUtcNow());
                await using var insert = new NpgsqlCommand(GridTemplateQueries.GridTemplateInsert, connection, transaction)
                    .With("id", id).With("user_id", owner).With("name", request.Name!.Trim())
                    .With("cron", schedule.Expression).With("time_zone", request.TimeZone ?? "UTC")
                    .WithNullable("tasks", JsonSerializer.Serialize(request.Tasks, TaskGridJson.Options), NpgsqlDbType.Jsonb)
                    .With("priority", request.Priority ?? 0)
                    .WithNullable("max_concurrency", request.MaxConcurrency, NpgsqlDbType.Integer)
                    .With("max_attempts", request.MaxAttempts ?? services.Tasks.DefaultMaxAttempts)
                    .WithNullable("task_ttl", request.TaskTtlSeconds is { } ttl ? TimeSpan.FromSeconds(ttl) : null, NpgsqlDbType.Interval)
                    .With("missed_ticks", request.MissedTicks ?? MissedTickPolicy.RunOnce)
                    .WithNullable("next_tick", next, NpgsqlDbType.TimestampTz)
                    .WithNow(services.Clock);
                return (await GridTemplateReader.ReadAllAsync(insert, cancellationToken))[0];
            }, cancellationToken);
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new StateConflictException($"Grid template {id} already exists.");
        }
    }

    public Task<GridTemplateView> GetAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("grid-template.get", async connection =>
        {
            await using var command = new NpgsqlCommand(GridTemplateQueries.GridTemplateSelect, connection).With("id", id).WithOwner(caller.OwnerScope);
            var views = await GridTemplateReader.ReadAllAsync(command, cancellationToken);
            return views.Count == 1 ? views[0] : throw new ResourceNotFoundException("grid template", id.ToString());
        }, cancellationToken);

    public Task DeleteAsync(Caller caller, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("grid-template.delete", async connection =>
        {
            await using var command = new NpgsqlCommand(GridTemplateQueries.GridTemplateDelete, connection).With("id", id).WithOwner(caller.OwnerScope);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 0
                ? throw new ResourceNotFoundException("grid template", id.ToString())
                : true;
        }, cancellationToken);
}
