using System.CommandLine;
using TaskGrid.Cli.Connection;

namespace TaskGrid.Cli.Commands;

/// <summary>Options every command takes (recursive options of the root command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The gateway's address. Default: ${ConnectionSettings.UrlVariable}, then the login profile, then {ConnectionSettings.DefaultUrl}.",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key. Default: ${ConnectionSettings.ApiKeyVariable}, then the login profile (when its URL matches).",
        HelpName = "KEY",
        Recursive = true,
    };

    public Option<string> Output { get; } = new Option<string>("--output", "-o")
    {
        Description = "table (for people), json or yaml (the API's own records, for scripts).",
        HelpName = "table|json|yaml",
        DefaultValueFactory = _ => "table",
        Recursive = true,
    }.AcceptOnlyFromAmong("table", "json", "yaml");

    public Option<bool> NoColor { get; } = new("--no-color")
    {
        Description = "No colours or live redrawing (also when $NO_COLOR is set or output is not a terminal).",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Output);
        root.Options.Add(NoColor);
    }
}
