using System.Globalization;
using Spectre.Console;
using TaskGrid.Cluster;

namespace TaskGrid.Cli.Output;

/// <summary>Silos, workers and cluster health for people.</summary>
internal static class ClusterTables
{
    public static void Silos(IAnsiConsole console, IReadOnlyList<SiloView> silos)
    {
        if (silos.Count == 0)
        {
            console.MarkupLine("[grey]no silos have joined[/]");
            return;
        }
        var table = Show.List("NAME", "STATE", "HOST", "PID", "WORKERS", "RUNNING", "HEARTBEAT", "STARTED");
        foreach (var silo in silos)
        {
            table.AddRow(Markup.Escape(silo.Name), Show.State(silo.State), Markup.Escape(silo.Host), silo.ProcessId.ToString(CultureInfo.InvariantCulture), N(silo.Workers), N(silo.InFlight),
                $"{silo.HeartbeatAgeSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ago", Show.Time(silo.StartedAt));
        }
        console.Write(table);
    }

    public static void Workers(IAnsiConsole console, IReadOnlyList<WorkerView> workers)
    {
        if (workers.Count == 0)
        {
            console.MarkupLine("[grey]no workers (no live silo)[/]");
            return;
        }
        var table = Show.List("ID", "SILO", "STATE", "RUNNING", "CLAIMED", "COMPLETED", "FAILED", "HEARTBEAT");
        foreach (var worker in workers)
        {
            table.AddRow(Markup.Escape(worker.Id), Markup.Escape(worker.Silo), Show.State(worker.State), N(worker.InFlight),
                N(worker.Claimed), N(worker.Completed), N(worker.Failed), Show.Time(worker.HeartbeatAt));
        }
        console.Write(table);
    }

    public static void Status(IAnsiConsole console, Uri url, ClusterStatusView status)
    {
        var database = status.Database.Reachable
            ? $"reachable, {status.Database.LatencyMs.ToString("0.##", CultureInfo.InvariantCulture)} ms"
            : $"[red]unreachable[/]: {Markup.Escape(status.Database.Error ?? "no answer")}";
        var migrations = status.Migrations.Current
            ? $"current ({status.Migrations.Applied})"
            : $"[red]behind[/] ({status.Migrations.Applied} of {status.Migrations.Expected})";
        var silos = $"{status.Silos.Alive} alive, {status.Silos.Dead} dead";
        console.Write(Show.Properties(
            ("gateway", Markup.Escape(url.ToString())),
            ("status", Show.State(status.Status)),
            ("ready", status.Ready ? "yes" : "[red]no[/]"),
            ("database", database),
            ("migrations", migrations),
            ("silos", status.Silos.Alive == 0 ? $"[yellow]{silos}[/]" : silos)));
    }

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
