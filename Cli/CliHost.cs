namespace TaskGrid.Cli;

/// <summary>
/// What the command line runs against: its standard streams, environment and configuration
/// directory. The process passes its own (<see cref="FromProcess"/>); tests pass writers and a
/// dictionary, so they run the CLI in-process without touching the test host's environment.
/// </summary>
public sealed class CliHost
{
    /// <summary>Standard output: results (tables, JSON, YAML, generated code).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: errors, progress and hints.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input (read by <c>login</c> when no key is given). Default: empty.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Reads an environment variable. Default: none set.</summary>
    public Func<string, string?> Environment { get; init; } = _ => null;

    /// <summary>Whether standard output is a terminal (live progress, colours, console width). Default: false.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Whether standard input is a terminal (an API key is then prompted for without echo). Default: false.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Whether Ctrl+C and SIGTERM cancel the running command. Only a whole process should. Default: false.</summary>
    public bool HandleTermination { get; init; }

    /// <summary>
    /// The directory of <c>profile.json</c>: <c>$XDG_CONFIG_HOME/taskgrid</c>, else
    /// <c>~/.config/taskgrid</c> (on Windows, <c>%APPDATA%\taskgrid</c>).
    /// </summary>
    public string ConfigDirectory
    {
        get
        {
            if (Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg)
            {
                return Path.Combine(xdg, "taskgrid");
            }
            if (!OperatingSystem.IsWindows() && Environment("HOME") is { Length: > 0 } home)
            {
                return Path.Combine(home, ".config", "taskgrid");
            }
            return Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.ApplicationData), "taskgrid");
        }
    }

    /// <summary>The real process: console streams, process environment, signal handling.</summary>
    public static CliHost FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        Environment = System.Environment.GetEnvironmentVariable,
        OutputIsTerminal = !Console.IsOutputRedirected,
        InputIsTerminal = !Console.IsInputRedirected,
        HandleTermination = true,
    };
}
