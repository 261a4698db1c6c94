using System.Globalization;
using Spectre.Console;
using TaskGrid.Cluster;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Output;

/// <summary>Small formatting rules shared by the tables: states in colour, times, durations.</summary>
internal static class Show
{
    public static string State(TaskState state) => state switch
    {
        TaskState.Pending => "[grey]pending[/]",
        TaskState.Running => "[blue]running[/]",
        TaskState.Completed => "[green]completed[/]",
        TaskState.Failed => "[red]failed[/]",
        TaskState.Cancelled => "[yellow]cancelled[/]",
        TaskState.Expired => "[darkorange]expired[/]",
        _ => Markup.Escape(state.ToName()),
    };

    public static string State(GridStatus status) => status switch
    {
        GridStatus.Active => "[blue]active[/]",
        GridStatus.Paused => "[yellow]paused[/]",
        GridStatus.Cancelled => "[grey]cancelled[/]",
        GridStatus.Finished => "[green]finished[/]",
        _ => Markup.Escape(status.ToString().ToLowerInvariant()),
    };

    public static string State(SiloState state) => state switch
    {
        SiloState.Active => "[green]active[/]",
        SiloState.Draining => "[yellow]draining[/]",
        SiloState.Stopped => "[grey]stopped[/]",
        SiloState.Dead => "[red]dead[/]",
        _ => Markup.Escape(state.ToString().ToLowerInvariant()),
    };

    public static string State(ClusterHealthStatus status) => status switch
    {
        ClusterHealthStatus.Healthy => "[green]healthy[/]",
        ClusterHealthStatus.Degraded => "[yellow]degraded[/]",
        _ => "[red]unhealthy[/]",
    };

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "[grey]-[/]";

    public static string Seconds(double? seconds) => seconds switch
    {
        null => "-",
        < 1 => "<1 s",
        < 90 => $"{seconds:0} s",
        < 5400 => $"{seconds / 60:0.#} min",
        _ => $"{seconds / 3600:0.#} h",
    };

    public static string Number(double? value, string format = "0.##") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static string Text(string? text, int max = 60)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "[grey]-[/]";
        }
        var line = text.ReplaceLineEndings(" ").Trim();
        return Markup.Escape(line.Length > max ? line[..(max - 1)] + "…" : line);
    }

    /// <summary>What a task is about, in one line: its objective and language, or its script.</summary>
    public static string Summary(TaskView task) => task.Kind switch
    {
        TaskKinds.Codegen => Text($"{task.Language}: {task.Objective}"),
        TaskKinds.Script when task.Script is { } script => Text($"{script.Interpreter}: {script.Source}"),
        _ => "[grey]-[/]",
    };

    /// <summary>A property table: one "name  value" row each.</summary>
    public static Table Properties(params (string Name, string Value)[] rows)
    {
        var table = new Table().Border(TableBorder.None).HideHeaders().AddColumn("").AddColumn("");
        table.Columns[0].PadRight(2);
        foreach (var (name, value) in rows)
        {
            table.AddRow($"[bold]{Markup.Escape(name)}[/]", value);
        }
        return table;
    }

    public static Table List(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(header)}[/]").NoWrap());
        }
        return table;
    }
}
