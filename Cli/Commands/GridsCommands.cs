using System.CommandLine;
using Spectre.Console;
using TaskGrid.Cli.Output;
using TaskGrid.Client;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Commands;

/// <summary><c>taskgrid grids create|status|list|tasks|pause|resume|cancel|retry-failed</c>.</summary>
internal static class GridsCommands
{
    public static Command Build(CliApp app)
    {
        var grids = app.Group("grids", "Create grids of many tasks, watch their progress, and steer them as a whole.");
        grids.Subcommands.Add(GridCreation.Build(app));
        grids.Subcommands.Add(Status(app));
        grids.Subcommands.Add(List(app));
        grids.Subcommands.Add(Tasks(app));
        grids.Subcommands.Add(Change(app, "pause", "Stop starting the grid's tasks; running ones finish.", "paused", (c, id, ct) => c.PauseGridAsync(id, ct)));
        grids.Subcommands.Add(Change(app, "resume", "Resume a paused grid.", "resumed", (c, id, ct) => c.ResumeGridAsync(id, ct)));
        grids.Subcommands.Add(Change(app, "cancel", "Cancel the grid and every unfinished task of it.", "cancelled", (c, id, ct) => c.CancelGridAsync(id, ct)));
        grids.Subcommands.Add(Change(app, "retry-failed", "Put the grid's failed and expired tasks back to pending.", "retried", (c, id, ct) => c.RetryFailedGridTasksAsync(id, ct)));
        return app.Examples(grids,
            "taskgrid grids create nightly --from-file tasks.jsonl --watch",
            "taskgrid grids status 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a --watch");
    }

    private static Command Status(CliApp app)
    {
        var id = CommonOptions.Id("grid");
        var watch = new Option<bool>("--watch", "-w") { Description = "Follow the grid until it is finished or cancelled: a live bar per task state with throughput and ETA. Exit code 6 if tasks failed, were cancelled or expired." };
        var interval = CommonOptions.Interval(1);
        var command = new Command("status", "Show a grid's counts per state, progress, throughput and ETA.") { id, watch, interval };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var gridId = parse.GetValue(id);
            if (!parse.GetValue(watch))
            {
                var grid = await session.Client.GetGridAsync(gridId, ct);
                session.Out.Write(grid, console => GridTables.Detail(console, grid));
                return ExitCodes.Ok;
            }
            return await WatchAsync(session, gridId, TimeSpan.FromSeconds(parse.GetValue(interval)), ct);
        });
        return app.Examples(command,
            "taskgrid grids status 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a",
            "taskgrid grids status $GRID --watch && echo 'all tasks completed'",
            "taskgrid grids status $GRID -o yaml");
    }

    /// <summary>Watches a grid to its end and prints the last view; the exit code says whether every task completed.</summary>
    public static async Task<int> WatchAsync(CliSession session, Guid id, TimeSpan interval, CancellationToken cancellationToken)
    {
        var progress = session.Out.IsTable ? session.Out.Console : session.Error;
        var grid = await GridWatch.RunAsync(session.Client, id, interval, progress, session.CanRedraw, cancellationToken);
        if (grid.Total == 0)
        {
            session.Note($"[yellow]grid {grid.Id} has no tasks; nothing to watch.[/]");
            session.Out.Write(grid, _ => { });
            return ExitCodes.Ok;
        }
        var unsuccessful = grid.Counts.Failed + grid.Counts.Cancelled + grid.Counts.Expired;
        session.Out.Write(grid, console => console.MarkupLine(
            $"grid {grid.Id} {Show.State(grid.Status)}: {grid.Counts.Completed:#,0} completed, {grid.Counts.Failed:#,0} failed, {grid.Counts.Cancelled:#,0} cancelled, {grid.Counts.Expired:#,0} expired"));
        return grid.Status == GridStatus.Finished && unsuccessful == 0 ? ExitCodes.Ok : ExitCodes.Unsuccessful;
    }

    private static Command List(CliApp app)
    {
        var user = new Option<string?>("--user") { Description = "Only this user's grids (admins).", HelpName = "USER-ID" };
        var limit = CommonOptions.Limit("grids");
        var all = CommonOptions.All("grid");
        var cursor = CommonOptions.Cursor();
        var command = new Command("list", "List grids, newest first, with their progress.") { user, limit, all, cursor };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var query = new GridQuery(parse.GetValue(user), PageLimits.Max, parse.GetValue(cursor));
            var page = await Listing.CollectAsync(
                parse.GetValue(all), parse.GetValue(limit), query.Cursor,
                (size, after, token) => session.Client.GetGridsPageAsync(query with { Limit = size, Cursor = after }, token),
                token => session.Client.ListGridsAsync(query, token), ct);
            session.Out.Write(page, console => GridTables.List(console, page));
            return ExitCodes.Ok;
        });
        return app.Examples(command, "taskgrid grids list", "taskgrid grids list --all -o json | jq -r '.items[] | select(.status == \"active\") | .id'");
    }

    private static Command Tasks(CliApp app)
    {
        var id = CommonOptions.Id("grid");
        var status = CommonOptions.Status();
        var limit = CommonOptions.Limit("tasks");
        var all = CommonOptions.All("task");
        var cursor = CommonOptions.Cursor();
        var command = new Command("tasks", "List a grid's tasks, newest first.") { id, status, limit, all, cursor };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var gridId = parse.GetValue(id);
            var query = new TaskQuery(Status: CommonOptions.ParseState(parse.GetValue(status)), Limit: PageLimits.Max, Cursor: parse.GetValue(cursor));
            var page = await Listing.CollectAsync(
                parse.GetValue(all), parse.GetValue(limit), query.Cursor,
                (size, after, token) => session.Client.GetGridTasksPageAsync(gridId, query with { Limit = size, Cursor = after }, token),
                token => session.Client.ListGridTasksAsync(gridId, query, token), ct);
            session.Out.Write(page, console => TaskTables.List(console, page));
            return ExitCodes.Ok;
        });
        return app.Examples(command, "taskgrid grids tasks $GRID --status failed", "taskgrid grids tasks $GRID --all -o json > results.json");
    }

    private static Command Change(CliApp app, string name, string description, string verb, Func<TaskGridClient, Guid, CancellationToken, Task<GridChange>> change)
    {
        var id = CommonOptions.Id("grid");
        var command = new Command(name, description) { id };
        app.SetRun(command, async (session, parse, ct) =>
        {
            var result = await change(session.Client, parse.GetValue(id), ct);
            session.Out.Write(result, console => GridTables.Change(console, result, verb));
            return ExitCodes.Ok;
        });
        return app.Examples(command, $"taskgrid grids {name} 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a");
    }
}
