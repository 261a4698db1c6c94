using System.Globalization;
using Spectre.Console;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Output;

/// <summary>Grids for people.</summary>
internal static class GridTables
{
    public static void List(IAnsiConsole console, Page<GridView> page)
    {
        if (page.Items.Count == 0)
        {
            console.MarkupLine("[grey]no grids[/]");
            return;
        }
        var table = Show.List("ID", "NAME", "STATUS", "DONE", "COMPLETED", "FAILED", "RUNNING", "PENDING", "CREATED");
        foreach (var grid in page.Items)
        {
            table.AddRow(grid.Id.ToString(), Show.Text(grid.Name, 40), Show.State(grid.Status), Done(grid),
                Count(grid.Counts.Completed), Count(grid.Counts.Failed + grid.Counts.Expired), Count(grid.Counts.Running), Count(grid.Counts.Pending),
                Show.Time(grid.CreatedAt));
        }
        console.Write(table);
        TaskTables.More(console, page);
    }

    public static void Detail(IAnsiConsole console, GridView grid)
    {
        console.Write(Show.Properties(
            ("id", grid.Id.ToString()),
            ("name", Markup.Escape(grid.Name)),
            ("status", Show.State(grid.Status)),
            ("owner", Markup.Escape(grid.UserId)),
            ("done", Done(grid)),
            ("throughput", grid.ThroughputPerSecond is { } rate ? $"{Show.Number(rate)} tasks/s" : "-"),
            ("eta", Show.Seconds(grid.EtaSeconds)),
            ("priority", grid.Priority.ToString(CultureInfo.InvariantCulture)),
            ("max concurrency", grid.MaxConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "no limit"),
            ("max attempts", grid.MaxAttempts.ToString(CultureInfo.InvariantCulture)),
            ("task ttl", grid.TaskTtlSeconds is { } ttl ? Show.Seconds(ttl) : "none"),
            ("created", Show.Time(grid.CreatedAt)),
            ("started", Show.Time(grid.StartedAt)),
            ("finished", Show.Time(grid.FinishedAt))));
        console.WriteLine();
        var counts = Show.List("STATE", "TASKS", "SHARE");
        foreach (var (state, count) in Counts(grid.Counts))
        {
            counts.AddRow(Show.State(state), Count(count), grid.Total == 0 ? "-" : $"{100.0 * count / grid.Total:0.#}%");
        }
        console.Write(counts);
    }

    public static void Change(IAnsiConsole console, GridChange change, string verb) =>
        console.MarkupLine($"grid {change.Grid.Id} ({Markup.Escape(change.Grid.Name)}): {verb}, {change.TasksAffected} task(s) changed; now {Show.State(change.Grid.Status)}, {Done(change.Grid)}");

    public static IEnumerable<(TaskState State, int Count)> Counts(GridCounts counts) =>
    [
        (TaskState.Pending, counts.Pending),
        (TaskState.Running, counts.Running),
        (TaskState.Completed, counts.Completed),
        (TaskState.Failed, counts.Failed),
        (TaskState.Cancelled, counts.Cancelled),
        (TaskState.Expired, counts.Expired),
    ];

    public static string Done(GridView grid) =>
        grid.Total == 0 ? "no tasks" : $"{grid.Counts.Done}/{grid.Total} ({grid.Progress * 100:0.#}%)";

    private static string Count(int count) => count.ToString("#,0", CultureInfo.InvariantCulture);
}
