using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TaskGrid.Grains.Artifacts;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Grains.Tasks;
using TaskGrid.Serialization;
using TaskGrid.Tasks;
using TaskGrid.Templates;

namespace TaskGrid.Grains.Cluster;

/// <summary>
/// The scheduler's periodic duties: retire grids whose window closed, create the runs of grid
/// templates whose tick came, and drop rate-limit grants no window counts any more. Every silo
/// offers to do each duty on its timer, exactly as with <see cref="ClusterMaintenance"/>: the duty
/// runs in one transaction that first takes the duty's transaction-scoped advisory lock with
/// pg_try_advisory_xact_lock, so at most one silo does a duty at a time and the others skip it.
/// Nobody holds a lock between passes, so when the silo that last did a duty dies, the next silo
/// whose timer fires does it (within one SchedulerInterval). Which silo did each duty last is
/// written to <c>cluster_duties</c> for operators. Template runs are also protected by the unique
/// key (template_id, tick): even two passes racing (a lock lost with a dropped connection while
/// the old transaction still commits) cannot create a tick's run twice.
/// </summary>
public sealed class ClusterScheduler
{
    /// <summary>Duty names as recorded in <c>cluster_duties</c>.</summary>
    public const string WindowsDuty = "grid-windows", TemplatesDuty = "grid-templates", RateLimitsDuty = "rate-limits";

    private readonly GrainTurns _turns;
    private readonly DbClock _clock;
    private readonly IOptions<ClusterOptions> _options;

    internal ClusterScheduler(GrainTurns turns, DbClock clock, IOptions<ClusterOptions> options)
    {
        _turns = turns;
        _clock = clock;
        _options = options;
    }

    /// <summary>Offers every duty once on behalf of <paramref name="siloName"/>; the duties another silo held right now are left out of the answer.</summary>
    public async Task<SchedulerPass> RunOnceAsync(string siloName, CancellationToken cancellationToken)
    {
        var expired = await RunDutyAsync(WindowsDuty, SchedulerQueries.WindowsLockKey, siloName, RetireWindowsAsync, cancellationToken);
        var runs = await RunDutyAsync(TemplatesDuty, SchedulerQueries.TemplatesLockKey, siloName, CreateRunsAsync, cancellationToken);
        await RunDutyAsync(RateLimitsDuty, SchedulerQueries.RateLimitsLockKey, siloName, (c, t, ct) => ExecuteAsync(c, t, RateLimitQueries.RateLimitGrantDeleteOld, ct), cancellationToken);
        return new SchedulerPass(expired, runs ?? []);
    }

    private Task<T?> RunDutyAsync<T>(string duty, long key, string siloName, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _turns.RunAsync("scheduler." + duty, async (connection, transaction) =>
        {
            await using (var tryLock = new NpgsqlCommand(MaintenanceQueries.LockTry, connection, transaction).With("key", key))
            {
                if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
                {
                    return default;
                }
            }
            var result = await work(connection, transaction, cancellationToken);
            await using var record = new NpgsqlCommand(SchedulerQueries.DutyRecord, connection, transaction)
                .With("name", duty).With("silo", siloName).WithNow(_clock);
            await record.ExecuteNonQueryAsync(cancellationToken);
            return result;
        }, cancellationToken);

    private async Task<int> RetireWindowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var retire = new NpgsqlCommand(SchedulerQueries.GridMarkRetired, connection, transaction).WithNow(_clock))
        {
            await retire.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var expire = new NpgsqlCommand(SchedulerQueries.GridRetireTasks, connection, transaction)
            .With("batch", _options.Value.MaintenanceBatchSize * 10).WithNow(_clock);
        return await expire.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<TemplateRun>> CreateRunsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var due = new List<DueTemplate>();
        await using (var select = new NpgsqlCommand(GridTemplateQueries.GridTemplateSelectDue, connection, transaction).With("batch", 50).WithNow(_clock))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueTemplate(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetInt32(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<TimeSpan>(9), reader.GetString(10),
                    reader.GetFieldValue<DateTimeOffset>(11), reader.GetFieldValue<DateTimeOffset>(12)));
            }
        }
        var runs = new List<TemplateRun>();
        foreach (var template in due)
        {
            if (await TickAsync(connection, transaction, template, cancellationToken) is { } run)
            {
                runs.Add(run);
            }
        }
        return runs;
    }

    // One template whose tick came: decides which tick (if any) gets a run under the missed-tick
    // policy, creates it, and moves the template to its next tick.
    private async Task<TemplateRun?> TickAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueTemplate template, CancellationToken cancellationToken)
    {
        if (!CronSchedule.TryParse(template.Cron, template.TimeZone, out var schedule, out var why))
        {
            await AdvanceAsync(connection, transaction, template.Id, null, null, null, $"The schedule no longer parses ({why}); no more runs.", cancellationToken);
            return null;
        }
        var latest = template.NextTick;
        for (var guard = 0; guard < 1_000_000 && schedule!.Next(latest) is { } later && later <= template.Now; guard++)
        {
            latest = later;
        }
        var missed = template.Now - latest > _options.Value.MissedTickAfter;
        var next = schedule!.Next(template.Now);
        if (missed && template.MissedTicks == MissedTickPolicy.Skip)
        {
            await AdvanceAsync(connection, transaction, template.Id, next, null, null, null, cancellationToken);
            return null;
        }
        var runId = Guid.CreateVersion7();
        await transaction.SaveAsync("template_run", cancellationToken);
        try
        {
            var created = await InsertRunAsync(connection, transaction, template, runId, latest, cancellationToken);
            await transaction.ReleaseAsync("template_run", cancellationToken);
            await AdvanceAsync(connection, transaction, template.Id, next, latest, created ? runId : null, null, cancellationToken);
            return created ? new TemplateRun(template.Id, runId, latest, missed) : null;
        }
        catch (Exception ex) when (ex is PostgresException { SqlState: not (PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure) }
                                       or Errors.RequestValidationException or JsonException)
        {
            await transaction.RollbackAsync("template_run", cancellationToken);
            var reason = ex is Errors.RequestValidationException validation
                ? string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"))
                : ex.Message;
            await AdvanceAsync(connection, transaction, template.Id, next, latest, null, $"The run for {latest:O} was not created: {reason}", cancellationToken);
            return null;
        }
    }

    private async Task<bool> InsertRunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueTemplate template, Guid runId, DateTimeOffset tick, CancellationToken cancellationToken)
    {
        var local = TimeZoneInfo.ConvertTime(tick, TimeZoneInfo.FindSystemTimeZoneById(template.TimeZone));
        await using (var insert = new NpgsqlCommand(GridTemplateQueries.GridInsertRun, connection, transaction))
        {
            insert.With("id", runId).With("user_id", template.UserId).With("name", $"{template.Name} {local:yyyy-MM-dd HH:mm}")
                .With("priority", template.Priority)
                .WithNullable("max_concurrency", template.MaxConcurrency, NpgsqlDbType.Integer)
                .With("max_attempts", template.MaxAttempts)
                .WithNullable("task_ttl", template.TaskTtl, NpgsqlDbType.Interval)
                .With("template_id", template.Id).With("tick", tick.ToUniversalTime()).WithNow(_clock);
            if (await insert.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }
        var requests = JsonSerializer.Deserialize<List<SubmitTaskRequest>>(template.TasksJson, TaskGridJson.Options) ?? [];
        await ArtifactReferences.LockAsync(connection, transaction, template.UserId, ArtifactReferences.Of(requests, i => $"tasks[{i}].artifact_id"), cancellationToken);
        var defaults = new TaskDefaults(template.Priority, template.MaxAttempts, template.TaskTtl);
        var tasks = requests.Select(r => NewTask.From(r, Guid.CreateVersion7(), template.UserId, defaults, runId)).ToList();
        if (tasks.Count > 0)
        {
            await using var command = NewTaskBatch.Bind(new NpgsqlCommand(TaskQueries.TaskInsertMany, connection, transaction), tasks, "scheduler", _clock);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return true;
    }

    private async Task AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, DateTimeOffset? next, DateTimeOffset? tick, Guid? run, string? error, CancellationToken cancellationToken)
    {
        await using var advance = new NpgsqlCommand(GridTemplateQueries.GridTemplateAdvance, connection, transaction)
            .With("id", id)
            .WithNullable("next_tick", next?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
            .WithNullable("last_tick", tick?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
            .WithNullable("last_run_id", run, NpgsqlDbType.Uuid)
            .WithNullable("last_error", error, NpgsqlDbType.Text)
            .WithNow(_clock);
        await advance.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction).WithNow(_clock);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record DueTemplate(
        Guid Id, string UserId, string Name, string Cron, string TimeZone, string TasksJson, int Priority, int? MaxConcurrency,
        int MaxAttempts, TimeSpan? TaskTtl, string MissedTicks, DateTimeOffset NextTick, DateTimeOffset Now);
}

/// <summary>What one scheduler pass did (duties another silo held are counted as nothing).</summary>
/// <param name="TasksExpired">Pending tasks of retired grids that expired.</param>
/// <param name="Runs">Grid runs created for template ticks.</param>
public sealed record SchedulerPass(int TasksExpired, IReadOnlyList<TemplateRun> Runs);

/// <summary>A grid run created for a template tick.</summary>
/// <param name="TemplateId">The template.</param>
/// <param name="GridId">The new grid.</param>
/// <param name="Tick">The tick it is for.</param>
/// <param name="WasMissed">True when the tick was missed and run under the run_once policy.</param>
public sealed record TemplateRun(Guid TemplateId, Guid GridId, DateTimeOffset Tick, bool WasMissed);
