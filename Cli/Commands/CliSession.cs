using System.CommandLine;
using Spectre.Console;
using TaskGrid.Cli.Connection;
using TaskGrid.Cli.Output;
using TaskGrid.Client;

namespace TaskGrid.Cli.Commands;

/// <summary>
/// One run of one command: where its output goes and in which format, and — made only when the
/// command calls the gateway — the connection settings and the client.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly GlobalOptions _globals;
    private readonly ParseResult _parse;
    private ConnectionSettings? _connection;
    private TaskGridClient? _client;

    public CliSession(CliHost host, GlobalOptions globals, ParseResult parse)
    {
        Host = host;
        _globals = globals;
        _parse = parse;
        Color = !parse.GetValue(globals.NoColor) && string.IsNullOrEmpty(host.Environment("NO_COLOR"));
        var format = parse.GetValue(globals.Output) switch
        {
            "json" => OutputFormat.Json,
            "yaml" => OutputFormat.Yaml,
            _ => OutputFormat.Table,
        };
        Out = new Printer(host.Out, format, CreateConsole(host.Out, host.OutputIsTerminal, PipedTableWidth));
        Error = CreateConsole(host.Error, host.OutputIsTerminal, PipedErrorWidth);
        Profiles = new ProfileStore(host.ConfigDirectory);
    }

    public CliHost Host { get; }

    /// <summary>Standard output in the chosen format.</summary>
    public Printer Out { get; }

    /// <summary>Standard error, for progress, notes and errors.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Whether colours (and live redrawing) are allowed.</summary>
    public bool Color { get; }

    /// <summary>Whether a live progress display can redraw in place.</summary>
    public bool CanRedraw => Color && Host.OutputIsTerminal && Out.IsTable;

    public ProfileStore Profiles { get; }

    public string? UrlOption => _parse.GetValue(_globals.Url);

    public string? ApiKeyOption => _parse.GetValue(_globals.ApiKey);

    public ConnectionSettings Connection =>
        _connection ??= ConnectionSettings.Resolve(UrlOption, ApiKeyOption, Host.Environment, Profiles.Load);

    public TaskGridClient Client => _client ??= CreateClient(Connection.Url, Connection.ApiKey);

    public static TaskGridClient CreateClient(Uri url, string? apiKey) =>
        new(new TaskGridClientOptions { BaseAddress = url, ApiKey = apiKey });

    /// <summary>A note for people on standard error (never mixed into JSON or YAML output).</summary>
    public void Note(string markup) => Error.MarkupLine(markup);

    public void Dispose() => _client?.Dispose();

    // Piped output is read by programs and wide screens: tables do not wrap at 80 columns, and
    // an error stays the one line scripts and tests expect, however long its file name.
    private const int PipedTableWidth = 240;
    private const int PipedErrorWidth = 1 << 16;

    private IAnsiConsole CreateConsole(TextWriter writer, bool isTerminal, int pipedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Color && isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Color && isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = pipedWidth;
        }
        return console;
    }
}
