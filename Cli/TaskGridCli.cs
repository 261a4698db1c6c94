using System.CommandLine;
using System.CommandLine.Invocation;
using TaskGrid.Cli.Commands;

namespace TaskGrid.Cli;

/// <summary>The <c>taskgrid</c> command line, callable in-process (tests) as well as from <c>Program</c>.</summary>
public static class TaskGridCli
{
    /// <summary>Parses <paramref name="args"/>, runs the command and answers its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="host">Streams, environment and configuration directory to run against.</param>
    /// <param name="cancellationToken">Interrupts the command (as Ctrl+C does).</param>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var app = new CliApp(host);
        var parse = app.Root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            return ReportParseErrors(app, parse);
        }
        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = host.HandleTermination ? TimeSpan.FromSeconds(2) : null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("error: interrupted.");
            return ExitCodes.Interrupted;
        }
    }

    private static int ReportParseErrors(CliApp app, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var error in parse.Errors)
        {
            app.Host.Error.WriteLine($"error: {error.Message}");
        }
        app.Host.Error.WriteLine($"Run '{PathOf(command)} --help' for usage and examples.");
        return ExitCodes.Usage;
    }

    private static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Add(c.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
