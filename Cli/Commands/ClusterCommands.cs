using System.CommandLine;
using TaskGrid.Cli.Output;
using TaskGrid.Cluster;

namespace TaskGrid.Cli.Commands;

/// <summary><c>taskgrid silos list</c>, <c>taskgrid workers list</c> and <c>taskgrid status</c>.</summary>
internal static class ClusterCommands
{
    public static Command BuildSilos(CliApp app)
    {
        var silos = app.Group("silos", "The silo processes of the cluster.");
        var list = new Command("list", "List every silo that has joined, alive ones first, with heartbeat age and running tasks.");
        app.SetRun(list, async (session, parse, ct) =>
        {
            var result = await session.Client.ListSilosAsync(ct);
            session.Out.Write(result, console => ClusterTables.Silos(console, result));
            return ExitCodes.Ok;
        });
        silos.Subcommands.Add(app.Examples(list, "taskgrid silos list", "taskgrid silos list -o json | jq '[.[] | select(.state == \"active\")] | length'"));
        return app.Examples(silos, "taskgrid silos list");
    }

    public static Command BuildWorkers(CliApp app)
    {
        var workers = app.Group("workers", "The workers (claim loops) of live silos.");
        var silo = new Option<string?>("--silo") { Description = "Only this silo's workers.", HelpName = "NAME" };
        var list = new Command("list", "List the workers of live silos with their running, claimed, completed and failed counts.") { silo };
        app.SetRun(list, async (session, parse, ct) =>
        {
            var result = await session.Client.ListWorkersAsync(parse.GetValue(silo), ct);
            session.Out.Write(result, console => ClusterTables.Workers(console, result));
            return ExitCodes.Ok;
        });
        workers.Subcommands.Add(app.Examples(list, "taskgrid workers list", "taskgrid workers list --silo silo-1"));
        return app.Examples(workers, "taskgrid workers list");
    }

    public static Command BuildStatus(CliApp app)
    {
        var status = new Command("status", "Cluster health: gateway, database, migrations and live silos (no API key needed). Exit code 1 when unhealthy.");
        app.SetRun(status, async (session, parse, ct) =>
        {
            var result = await session.Client.GetStatusAsync(ct);
            session.Out.Write(result, console => ClusterTables.Status(console, session.Connection.Url, result));
            return result.Status == ClusterHealthStatus.Unhealthy ? ExitCodes.Error : ExitCodes.Ok;
        });
        return app.Examples(status, "taskgrid status", "taskgrid status --url http://10.0.0.5:8080 -o json");
    }
}
