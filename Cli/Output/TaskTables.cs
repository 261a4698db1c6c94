using Spectre.Console;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Output;

/// <summary>Tasks for people.</summary>
internal static class TaskTables
{
    public static void List(IAnsiConsole console, Page<TaskView> page)
    {
        if (page.Items.Count == 0)
        {
            console.MarkupLine("[grey]no tasks[/]");
            return;
        }
        var table = Show.List("ID", "KIND", "STATUS", "ATTEMPT", "PRIORITY", "CREATED", "WHAT");
        foreach (var task in page.Items)
        {
            table.AddRow(task.Id.ToString(), Markup.Escape(task.Kind), Show.State(task.Status), $"{task.Attempt}/{task.MaxAttempts}",
                task.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture), Show.Time(task.CreatedAt), Show.Summary(task));
        }
        console.Write(table);
        More(console, page);
    }

    public static void Detail(IAnsiConsole console, TaskView task)
    {
        var rows = new List<(string, string)>
        {
            ("id", task.Id.ToString()),
            ("status", Show.State(task.Status)),
            ("kind", Markup.Escape(task.Kind)),
            ("owner", Markup.Escape(task.UserId)),
        };
        if (task.GridId is { } grid)
        {
            rows.Add(("grid", grid.ToString()));
        }
        rows.Add(("priority", task.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        rows.Add(("attempt", $"{task.Attempt} of {task.MaxAttempts}"));
        if (task.Objective is not null)
        {
            rows.Add(("objective", Markup.Escape(task.Objective)));
            rows.Add(("language", Markup.Escape(task.Language ?? "-")));
        }
        if (task.Script is { } script)
        {
            rows.Add(("interpreter", Markup.Escape(script.Interpreter)));
            if (script.Args.Count > 0)
            {
                rows.Add(("args", Markup.Escape(string.Join(' ', script.Args))));
            }
        }
        rows.Add(("created", Show.Time(task.CreatedAt)));
        rows.Add(("started", Show.Time(task.StartedAt)));
        rows.Add(("completed", Show.Time(task.CompletedAt)));
        if (task.ExpiresAt is { } expires && !TaskTransitions.IsTerminal(task.Status))
        {
            rows.Add(("expires", Show.Time(expires)));
        }
        if (task.Usage is { } usage)
        {
            rows.Add(("tokens", $"{usage.TotalTokens} ({usage.PromptTokens} in, {usage.CompletionTokens} out, {Markup.Escape(usage.Model)})"));
        }
        console.Write(Show.Properties([.. rows]));
        Block(console, "error", task.Error, "red");
        Block(console, "script", task.Script?.Source, "grey");
        Block(console, "code", task.Code, "green");
        Block(console, "output", task.Output, "blue");
    }

    public static void Events(IAnsiConsole console, IReadOnlyList<TaskEventView> events)
    {
        var table = Show.List("AT", "FROM", "TO", "ATTEMPT", "BY", "WHY");
        foreach (var change in events)
        {
            table.AddRow(Show.Time(change.At), change.From is { } from ? Show.State(from) : "[grey]-[/]", Show.State(change.To),
                change.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), Show.Text(change.Worker, 30), Show.Text(change.Reason, 80));
        }
        console.Write(table);
    }

    public static void More<T>(IAnsiConsole console, Page<T> page)
    {
        if (page.NextCursor is not null)
        {
            console.MarkupLine($"[grey]{page.Items.Count} shown; more with --limit, --all or --cursor {Markup.Escape(page.NextCursor)}[/]");
        }
    }

    private static void Block(IAnsiConsole console, string title, string? text, string color)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }
        console.WriteLine();
        console.MarkupLine($"[bold {color}]{title}[/]");
        console.Write(new Text(text.TrimEnd('\n')));
        console.WriteLine();
    }
}
