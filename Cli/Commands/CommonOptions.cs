using System.CommandLine;
using System.CommandLine.Parsing;
using TaskGrid.Paging;
using TaskGrid.Tasks;

namespace TaskGrid.Cli.Commands;

/// <summary>Arguments and options several commands share, with their parsing and checks.</summary>
internal static class CommonOptions
{
    public static Argument<Guid> Id(string what) => new("ID")
    {
        Description = $"The {what}'s id (a UUID).",
        CustomParser = result => ParseGuid(result, result.Tokens[0].Value, what),
    };

    public static Option<Guid?> GridFilter() => new("--grid")
    {
        Description = "Only tasks of this grid.",
        HelpName = "GRID-ID",
        CustomParser = result => ParseGuid(result, result.Tokens[0].Value, "grid"),
    };

    public static Option<string?> Status() => new Option<string?>("--status")
    {
        Description = "Only tasks in this state.",
        HelpName = string.Join('|', TaskStateNames.All.Select(s => s.ToName())),
    }.AcceptOnlyFromAmong([.. TaskStateNames.All.Select(s => s.ToName())]);

    public static Option<int> Limit(string what)
    {
        var option = new Option<int>("--limit")
        {
            Description = $"Show at most this many {what}, newest first (pages of up to {PageLimits.Max} are fetched as needed).",
            HelpName = "N",
            DefaultValueFactory = _ => PageLimits.Default,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be 1 or more.");
            }
        });
        return option;
    }

    public static Option<bool> All(string what) => new("--all")
    {
        Description = $"Show every {what}, however many (ignores --limit).",
    };

    public static Option<string?> Cursor() => new("--cursor")
    {
        Description = "Continue after a previous listing: its next_cursor (see -o json).",
        HelpName = "CURSOR",
    };

    public static Option<double> Interval(double seconds) => Positive(new Option<double>("--interval")
    {
        Description = "Seconds between looks at the server.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => seconds,
    });

    public static TaskState? ParseState(string? name) =>
        name is null ? null : TaskStateNames.TryParse(name, out var state) ? state : throw new UsageException($"'{name}' is not a task state.");

    private static Option<double> Positive(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() <= 0)
            {
                result.AddError($"{option.Name} must be more than 0.");
            }
        });
        return option;
    }

    private static Guid ParseGuid(SymbolResult result, string text, string what)
    {
        if (Guid.TryParse(text, out var id))
        {
            return id;
        }
        result.AddError($"'{text}' is not a {what} id: ids are UUIDs such as 0193a5b2-7c1e-7d4a-9f00-2b6c1d0e4f5a.");
        return Guid.Empty;
    }
}
