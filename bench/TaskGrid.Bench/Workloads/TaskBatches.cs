using System.Diagnostics;
using System.Globalization;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Bench.Workloads;

/// <summary>Tasks to queue, and queueing them through the API's bulk route in calls of 10,000 (the gateway's default cap).</summary>
internal static class TaskBatches
{
    public const int MaxPerCall = 10_000;

    public static SubmitTaskRequest Noop { get; } = new() { Kind = TaskKinds.Noop };

    public static IReadOnlyList<SubmitTaskRequest> Noops(int count) => [.. Enumerable.Repeat(Noop, count)];

    public static IReadOnlyList<SubmitTaskRequest> Codegen(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new SubmitTaskRequest
        {
            Kind = TaskKinds.Codegen,
            Objective = string.Create(CultureInfo.InvariantCulture, $"benchmark objective {i}: reverse a string"),
            Language = "python",
        })];

    /// <summary>Creates an empty grid and adds <paramref name="tasks"/> to it; returns the grid and how long the adds took.</summary>
    public static async Task<(Guid Grid, TimeSpan Elapsed)> QueueAsync(TaskGridClient client, string name, IReadOnlyList<SubmitTaskRequest> tasks, CancellationToken cancellationToken)
    {
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = name }, cancellationToken);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in tasks.Chunk(MaxPerCall))
        {
            await client.AddGridTasksAsync(grid.Id, chunk, cancellationToken);
        }
        return (grid.Id, clock.Elapsed);
    }
}
