using System.Globalization;
using Spectre.Console;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Output;

/// <summary>
/// <c>grids status --watch</c>: follows a grid until it is finished or cancelled. On a terminal it
/// draws a live bar per task state plus an overall bar with the server's throughput and ETA;
/// elsewhere (a pipe, a log, <c>--no-color</c>) it prints one line whenever the counts change.
/// </summary>
internal static class GridWatch
{
    private static readonly TaskState[] s_states = [.. TaskStateNames.All];

    public static async Task<GridView> RunAsync(TaskGridClient client, Guid id, TimeSpan interval, IAnsiConsole console, bool redraw, CancellationToken cancellationToken) =>
        redraw
            ? await LiveAsync(client, id, interval, console, cancellationToken)
            : await LinesAsync(client, id, interval, console, cancellationToken);

    private static async Task<GridView> LiveAsync(TaskGridClient client, Guid id, TimeSpan interval, IAnsiConsole console, CancellationToken cancellationToken)
    {
        GridView? last = null;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 50 }, new PercentageColumn())
            .StartAsync(async context =>
            {
                var overall = context.AddTask("overall", maxValue: 1);
                var bars = s_states.ToDictionary(s => s, s => context.AddTask(s.ToName(), maxValue: 1));
                await foreach (var grid in client.WatchGridAsync(id, interval, cancellationToken))
                {
                    last = grid;
                    var total = Math.Max(grid.Total, 1);
                    overall.MaxValue = total;
                    overall.Value = grid.Counts.Done;
                    overall.Description = $"[bold]{Markup.Escape(grid.Name)}[/] {Show.State(grid.Status)} {grid.Counts.Done:#,0}/{grid.Total:#,0} · {Rate(grid)} · ETA {Show.Seconds(grid.EtaSeconds)}";
                    foreach (var (state, count) in GridTables.Counts(grid.Counts))
                    {
                        bars[state].MaxValue = total;
                        bars[state].Value = count;
                        bars[state].Description = $"  {Show.State(state)} {count:#,0}";
                    }
                    context.Refresh();
                    if (grid.Total == 0)
                    {
                        break;
                    }
                }
            });
        return last!;
    }

    private static async Task<GridView> LinesAsync(TaskGridClient client, Guid id, TimeSpan interval, IAnsiConsole console, CancellationToken cancellationToken)
    {
        GridView? last = null;
        await foreach (var grid in client.WatchGridAsync(id, interval, cancellationToken))
        {
            if (last is null || grid.Counts != last.Counts || grid.Status != last.Status)
            {
                var counts = string.Join("  ", GridTables.Counts(grid.Counts).Where(c => c.Count > 0 || c.State is TaskState.Pending or TaskState.Running or TaskState.Completed)
                    .Select(c => $"{c.State.ToName()} {c.Count}"));
                console.MarkupLine(Markup.Escape(
                    $"{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {grid.Status.ToString().ToLowerInvariant()}  {GridTables.Done(grid)}  {counts}  {Rate(grid)}  ETA {Show.Seconds(grid.EtaSeconds)}"));
            }
            last = grid;
            if (grid.Total == 0)
            {
                break;
            }
        }
        return last!;
    }

    private static string Rate(GridView grid) =>
        grid.ThroughputPerSecond is { } rate ? $"{Show.Number(rate, "0.#")} tasks/s" : "- tasks/s";
}
