using System.Collections.Concurrent;
using System.Text.Json;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>
/// What a scenario accepted, and what the database says became of it: every accepted task
/// must reach exactly one terminal state with a legal history, none recorded completed twice.
/// Writes one summary line per scenario to the test output and to chaos-summary.txt.
/// </summary>
public sealed class ChaosLedger(TestDatabase database, string scenario, ITestOutputHelper output)
{
    private readonly ConcurrentDictionary<Guid, byte> _accepted = new();

    public int Accepted => _accepted.Count;

    public void Accept(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            _accepted.TryAdd(id, 0);
        }
    }

    /// <summary>Waits (bounded) until every accepted task is terminal, then checks and reports.</summary>
    public async Task<ChaosReport> SettleAndCheckAsync(TimeSpan patience)
    {
        var ids = _accepted.Keys.ToArray();
        try
        {
            await Eventually.HoldsAsync(async () => await database.ScalarAsync<long>(
                "select count(*) from tasks where id = any(@ids) and status in ('completed', 'failed', 'cancelled', 'expired')", ("ids", ids)) == ids.Length,
                patience, $"all {ids.Length} accepted tasks of {scenario} to finish", TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException)
        {
            // Reported below as lost: the check, not the wait, decides.
        }

        var rows = new Dictionary<Guid, (TaskState Status, JsonElement History)>();
        await using (var command = database.DataSource.CreateCommand("select id, status, taskgrid_task_history(t)::text from tasks t where id = any(@ids)"))
        {
            command.Parameters.AddWithValue("ids", ids);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows[reader.GetGuid(0)] = (TaskStateNames.Parse(reader.GetString(1)), JsonDocument.Parse(reader.GetString(2)).RootElement.Clone());
            }
        }

        var lost = ids.Count(id => !rows.TryGetValue(id, out var row) || !TaskTransitions.IsTerminal(row.Status));
        var duplicated = rows.Values.Count(r => r.History.EnumerateArray().Count(e => e.GetProperty("to").GetString() == "completed") > 1);
        var illegal = rows.Where(r => !IsLegal(r.Value.Status, r.Value.History)).Select(r => r.Key).ToList();
        var report = new ChaosReport(
            scenario,
            ids.Length,
            rows.Values.Count(r => r.Status == TaskState.Completed),
            rows.Values.Count(r => r.Status == TaskState.Failed),
            lost,
            duplicated,
            illegal.Count,
            rows.Values.Sum(r => r.History.EnumerateArray().Count(e => e.GetProperty("to").GetString() == "running")));
        output.WriteLine(report.ToString());
        WriteSummary(report);
        if (illegal.Count > 0)
        {
            output.WriteLine($"first task with an illegal history: {illegal[0]}: {rows[illegal[0]].History}");
        }
        return report;
    }

    /// <summary>Submitted → pending first, every step allowed, and the last step is the task's status.</summary>
    private static bool IsLegal(TaskState status, JsonElement history)
    {
        TaskState? previous = null;
        foreach (var step in history.EnumerateArray())
        {
            var to = TaskStateNames.Parse(step.GetProperty("to").GetString()!);
            var from = step.GetProperty("from").ValueKind == JsonValueKind.Null ? (TaskState?)null : TaskStateNames.Parse(step.GetProperty("from").GetString()!);
            if (from != previous || (from is { } f ? !TaskTransitions.IsAllowed(f, to) : to != TaskState.Pending))
            {
                return false;
            }
            previous = to;
        }
        return previous == status;
    }

    private static void WriteSummary(ChaosReport report)
    {
        var directory = Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "test-results");
        Directory.CreateDirectory(directory);
        lock (typeof(ChaosLedger))
        {
            File.AppendAllText(Path.Combine(directory, "chaos-summary.txt"), report + Environment.NewLine);
        }
    }
}

/// <summary>One scenario's outcome.</summary>
public sealed record ChaosReport(string Scenario, int Submitted, int Completed, int Failed, int Lost, int Duplicated, int IllegalHistories, int Attempts)
{
    public override string ToString() =>
        $"chaos {Scenario}: submitted {Submitted}, completed {Completed}, failed {Failed}, lost {Lost}, duplicated {Duplicated}, illegal histories {IllegalHistories}, attempts {Attempts}";
}
