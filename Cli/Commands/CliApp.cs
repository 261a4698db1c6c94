using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using TaskGrid.Cli.Connection;

namespace TaskGrid.Cli.Commands;

/// <summary>
/// The command tree and what every command shares: the global options, the host, the help
/// text with examples, and the wrapper that turns a command's failure into an exit code.
/// </summary>
internal sealed class CliApp
{
    private readonly Dictionary<Command, string[]> _examples = [];

    public CliApp(CliHost host)
    {
        Host = host;
        Root = Group("taskgrid", "Submit, watch and steer TaskGrid tasks and grids, and inspect the cluster.");
        Root.Options.Add(new HelpOption { Action = new ExamplesHelpAction(this) });
        Root.Options.Add(new VersionOption());
        Globals.AddTo(Root);
        Examples(Root,
            "taskgrid status",
            "taskgrid tasks add --objective \"Reverse a string\" --language python --wait",
            "taskgrid grids create nightly --from-file tasks.jsonl --watch",
            "taskgrid grids list -o json | jq '.items[].id'",
            "taskgrid login --url https://taskgrid.example.com --api-key tg_...");
        Root.Subcommands.Add(TasksCommands.Build(this));
        Root.Subcommands.Add(GridsCommands.Build(this));
        Root.Subcommands.Add(ClusterCommands.BuildSilos(this));
        Root.Subcommands.Add(ClusterCommands.BuildWorkers(this));
        Root.Subcommands.Add(ClusterCommands.BuildStatus(this));
        Root.Subcommands.Add(LoginCommands.BuildLogin(this));
        Root.Subcommands.Add(LoginCommands.BuildLogout(this));
    }

    public CliHost Host { get; }

    public Command Root { get; }

    public GlobalOptions Globals { get; } = new();

    /// <summary>Records the examples shown under "Examples:" in the command's help.</summary>
    public T Examples<T>(T command, params string[] examples) where T : Command
    {
        _examples[command] = examples;
        return command;
    }

    /// <summary>Makes <paramref name="run"/> the command's action, with failures reported as one line and an exit code.</summary>
    public void SetRun(Command command, Func<CliSession, ParseResult, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var session = new CliSession(Host, Globals, parse);
            try
            {
                return await run(session, parse, cancellationToken);
            }
            catch (Exception ex)
            {
                return Failures.Report(ex, session, cancellationToken);
            }
        });

    /// <summary>A command that only groups subcommands: run alone, it shows its help.</summary>
    public Command Group(string name, string description)
    {
        var group = new Command(name, description);
        group.SetAction(parse =>
        {
            // Run alone, a group shows its help, on standard error since nothing was done.
            var path = new List<string> { "--help" };
            for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            {
                path.Insert(0, result.Command.Name);
            }
            Root.Parse(path).Invoke(new InvocationConfiguration { Output = Host.Error, Error = Host.Error });
            return ExitCodes.Usage;
        });
        return group;
    }

    /// <summary>The standard help, followed by the command's examples (and, for the root, connection and exit codes).</summary>
    private sealed class ExamplesHelpAction(CliApp app) : SynchronousCommandLineAction
    {
        private readonly HelpAction _standard = new();

        public override int Invoke(ParseResult parseResult)
        {
            _standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var command = parseResult.CommandResult.Command;
            if (app._examples.TryGetValue(command, out var examples))
            {
                output.WriteLine("Examples:");
                foreach (var example in examples)
                {
                    output.WriteLine("  " + example);
                }
                output.WriteLine();
            }
            if (command == app.Root)
            {
                output.WriteLine($"""
                    Connection:
                      The gateway URL comes from --url, else ${ConnectionSettings.UrlVariable}, else the login profile, else {ConnectionSettings.DefaultUrl}.
                      The API key comes from --api-key, else ${ConnectionSettings.ApiKeyVariable}, else the login profile
                      (written by 'taskgrid login' to {new ProfileStore(app.Host.ConfigDirectory).FilePath}, mode 600),
                      which is only used for the URL it was saved with.

                    Exit codes:
                    {ExitCodes.Help}
                    """);
            }
            return ExitCodes.Ok;
        }
    }
}
